//! Smooth, right-skewed incomes that cover the whole range.
//!
//! An income is `min + (max - min) · Q(u)` for a quantile `u`, where `Q` is the
//! quantile function of the Beta(2, 3) distribution: its density is zero at
//! the range's bottom, peaks a third of the way up and tails off smoothly to
//! zero at the top, the shape of an income distribution cut to the persona's
//! range (no spike at a bound). `Q` is found by bisection on Beta(2, 3)'s
//! polynomial CDF in integers, so the result is identical on every platform.
//!
//! `u` is *stratified*: each run of ten consecutive users of a persona takes
//! one quantile from each decile, in a seeded order, so even a handful of
//! users spreads across the persona's range, and `u` is exactly uniform,
//! which is what lets age be drawn given `u` without moving the age shares
//! (see `realism::draw`).
//!
//! The first ten control users also carry the *coverage anchors*: the one in
//! the bottom decile earns within the bottom 2.5% of the control range and the
//! one in the top decile within its top 10%. That guarantees, for every seed
//! and every n >= 50 of the default mix (whose first 50 users hold ten control
//! users), an income at or below $25K and one at or above $180K, with every
//! income band populated by the deciles. Two users per run sit at the extremes,
//! not a tenth of the control group.

use std::cell::RefCell;

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use spendsense_schema::PersonaId;

use crate::money::Hundredths;
use crate::streams::{Domain, permutation, stream};

const STRATA: u64 = 10;
const ONE: u128 = crate::realism::draw::QUANTILE_ONE as u128;

/// `(seed, block, order)` of a persona's last strata block.
type CachedOrder = (u64, u64, [u8; STRATA as usize]);

thread_local! {
    /// The last strata orders built on this thread, one per persona: ten
    /// users of a persona share one, and consecutive profiles cycle personas.
    static STRATA_ORDERS: RefCell<[Option<CachedOrder>; 5]> = const { RefCell::new([None; 5]) };
}

/// The seeded order in which the ten strata of `persona`'s `block` are used.
fn strata_order(seed: u64, persona: PersonaId, block: u64) -> [u8; STRATA as usize] {
    STRATA_ORDERS.with(|cache| {
        let mut cache = cache.borrow_mut();
        let slot = &mut cache[persona.index()];
        if let Some((cached_seed, cached_block, order)) = *slot
            && (cached_seed, cached_block) == (seed, block)
        {
            return order;
        }
        let index = block * 8 + persona.index() as u64;
        let order =
            permutation::<{ STRATA as usize }>(&mut stream(seed, Domain::IncomeStrata, index));
        *slot = Some((seed, block, order));
        order
    })
}

/// `Q(u)` of Beta(2, 3) in millionths: the least `x` with
/// `F(x) = 1 - (1 - x)^3 (1 + 3x) >= u`.
fn beta_2_3_quantile(quantile: u128) -> u128 {
    // F(x) scaled by ONE^4 (at most 10^24, well inside u128).
    let cdf = |x: u128| ONE.pow(4) - (ONE - x).pow(3) * (ONE + 3 * x);
    let target = quantile * ONE.pow(3);
    let (mut low, mut high) = (0, ONE);
    while low < high {
        let middle = (low + high) / 2;
        if cdf(middle) >= target {
            high = middle;
        } else {
            low = middle + 1;
        }
    }
    low
}

/// A drawn income: cents in whole hundreds of dollars, and the quantile
/// (millionths) it was drawn at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Income {
    pub(crate) cents: i64,
    pub(crate) quantile: u64,
}

/// Draws the annual income of the `slot`-th user of `persona`.
pub(crate) fn draw_income(
    seed: u64,
    persona: PersonaId,
    slot: u64,
    range: Hundredths,
    rng: &mut ChaCha8Rng,
) -> Income {
    let order = strata_order(seed, persona, slot / STRATA);
    let stratum = u128::from(order[(slot % STRATA) as usize]);
    let width = ONE / u128::from(STRATA);
    let quantile = rng.random_range(stratum * width..(stratum + 1) * width);
    let (min, max) = (range.min, range.max);
    let span = (max - min) as u128;
    let anchored = persona == PersonaId::Control && slot < STRATA;
    let raw = match stratum {
        0 if anchored => min + rng.random_range(0..=span / 40) as i64,
        9 if anchored => max - rng.random_range(0..=span / 10) as i64,
        _ => min + (span * beta_2_3_quantile(quantile) / ONE) as i64,
    };
    Income {
        cents: ((raw + 50) / 100 * 100).clamp(min, max),
        quantile: quantile as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    const CONTROL: Hundredths = Hundredths {
        min: 20_000_00,
        max: 200_000_00,
    };

    fn draw(seed: u64, slot: u64) -> Decimal {
        let rng = &mut stream(seed, Domain::Profile, slot);
        crate::money::cents(draw_income(seed, PersonaId::Control, slot, CONTROL, rng).cents)
    }

    #[test]
    fn the_first_ten_control_users_reach_both_tails() {
        for seed in 0..200 {
            let incomes: Vec<Decimal> = (0..10).map(|slot| draw(seed, slot)).collect();
            assert!(
                incomes.iter().any(|i| *i <= Decimal::from(25_000)),
                "{incomes:?}"
            );
            assert!(
                incomes.iter().any(|i| *i >= Decimal::from(180_000)),
                "{incomes:?}"
            );
            let (low, high) = (Decimal::from(20_000), Decimal::from(200_000));
            assert!(
                incomes
                    .iter()
                    .all(|i| *i >= low && *i <= high && i.fract().is_zero())
            );
        }
    }

    #[test]
    fn the_quantile_function_inverts_the_cdf() {
        assert_eq!(beta_2_3_quantile(0), 0);
        assert_eq!(beta_2_3_quantile(ONE), ONE);
        // The median of Beta(2, 3) is 0.3857.
        let median = beta_2_3_quantile(ONE / 2);
        assert!((385_000..386_500).contains(&median), "{median}");
        let mut last = 0;
        for q in (0..=ONE).step_by(997) {
            let x = beta_2_3_quantile(q);
            assert!(x >= last);
            last = x;
        }
    }

    /// No spike at either bound: the bottom and top 2% of the range hold
    /// few users, the density peaks about a third of the way up.
    #[test]
    fn income_density_is_smooth_at_both_bounds() {
        let mut bins = [0u32; 50];
        for slot in 10..20_010 {
            let income = crate::money::to_cents(draw(11, slot)) - CONTROL.min;
            let bin = (income * 50 / (CONTROL.max - CONTROL.min + 1)) as usize;
            bins[bin] += 1;
        }
        let peak = bins
            .iter()
            .position(|b| b == bins.iter().max().unwrap())
            .unwrap();
        assert!((13..=20).contains(&peak), "peak bin {peak}: {bins:?}");
        assert!(bins[0] < bins[peak] / 8, "{bins:?}");
        assert!(bins[49] < bins[peak] / 100 + 1, "{bins:?}");
        assert!(
            bins[0] < bins[1] && bins[1] < bins[3],
            "rises from the bottom: {bins:?}"
        );
    }

    #[test]
    fn incomes_are_right_skewed() {
        let mut incomes: Vec<Decimal> = (0..1_000).map(|slot| draw(3, slot)).collect();
        incomes.sort();
        let median = incomes[500];
        let mean = incomes.iter().sum::<Decimal>() / Decimal::from(incomes.len());
        assert!(mean > median, "mean {mean} should exceed median {median}");
    }
}
