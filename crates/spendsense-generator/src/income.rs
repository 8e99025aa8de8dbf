//! Right-skewed incomes that always cover the whole range.
//!
//! An income is `min + (max - min) · u²` for a quantile `u`: squaring skews the
//! distribution right (many modest incomes, a long tail of high ones) using
//! integer arithmetic only, so the result is identical on every platform.
//!
//! `u` is *stratified*: each run of ten consecutive users of a persona takes
//! one quantile from each of ten strata, in a seeded order, so even a handful
//! of users spreads across the persona's range. For the control group the two
//! outer strata are narrow (the bottom and top 4% of quantiles), so every ten
//! control users include one within 0.2% of the range's bottom and one in its
//! top 8%. That is what guarantees, for every seed and every n >= 50 of the
//! default mix, incomes at or below $25K and at or above $180K (from the
//! control group's $20K–$200K range) with every income band populated. The
//! personas use plain deciles, which keeps their distributions smooth.

use std::cell::RefCell;

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use spendsense_schema::PersonaId;

use crate::money::Hundredths;
use crate::streams::{Domain, permutation, stream};

const STRATA: u64 = 10;
/// Stratum edges of the control group in millionths of the quantile range: narrow tails.
const CONTROL_EDGES: [u64; STRATA as usize + 1] = [
    0, 40_000, 155_000, 270_000, 385_000, 500_000, 615_000, 730_000, 845_000, 960_000, 1_000_000,
];
/// Stratum edges of every persona: deciles.
const DECILE_EDGES: [u64; STRATA as usize + 1] = [
    0, 100_000, 200_000, 300_000, 400_000, 500_000, 600_000, 700_000, 800_000, 900_000, 1_000_000,
];
const ONE: u128 = 1_000_000;

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

/// Draws the annual income of the `slot`-th user of `persona`: cents, in whole dollars.
pub(crate) fn draw_income(
    seed: u64,
    persona: PersonaId,
    slot: u64,
    range: Hundredths,
    rng: &mut ChaCha8Rng,
) -> i64 {
    let order = strata_order(seed, persona, slot / STRATA);
    let stratum = usize::from(order[(slot % STRATA) as usize]);
    let edges = if persona == PersonaId::Control {
        &CONTROL_EDGES
    } else {
        &DECILE_EDGES
    };
    let quantile = u128::from(rng.random_range(edges[stratum]..edges[stratum + 1]));
    let (min, max) = (range.min, range.max);
    let span = (max - min) as u128;
    let raw = min + (span * quantile * quantile / (ONE * ONE)) as i64;
    ((raw + 50) / 100 * 100).clamp(min, max)
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
        crate::money::cents(draw_income(seed, PersonaId::Control, slot, CONTROL, rng))
    }

    #[test]
    fn every_ten_slots_reach_both_tails() {
        for seed in 0..50 {
            for block in 0..5 {
                let incomes: Vec<Decimal> = (block * 10..block * 10 + 10)
                    .map(|slot| draw(seed, slot))
                    .collect();
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
