//! Draws calibrated to the reference tables, in integer arithmetic only.
//!
//! Two ideas carry most of the calibration:
//! - a *tilt* (permille, -1000..=1000) bends a uniform draw over a range
//!   into the linear density `1 + t·(2x - 1)`: the mixture of a uniform draw
//!   and, with probability |t|, the larger (or smaller) of two. Tilts come
//!   from how far a band's reference figure lies from the mean of all bands,
//!   so values stay inside every persona range while leaning the way the
//!   statistics lean;
//! - age is drawn *given* the income quantile `u` with weights
//!   `population · (1 + t·(2u - 1))`. Because the quantiles are uniform and the
//!   tilts average to zero over the population, every age band keeps its
//!   census share exactly, while bands whose incomes are higher get more of
//!   the high quantiles.

use std::sync::OnceLock;

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use spendsense_schema::PayFrequency;

use super::tables::{State, tables};
use crate::text::push_number;

/// One in millionths: income quantiles are drawn on this scale.
pub(crate) const QUANTILE_ONE: u64 = 1_000_000;
const TILT_ONE: i64 = 1_000;

struct Calibration {
    /// Cumulative state populations, in table order.
    state_cumulative: Vec<u64>,
    /// Per age band: `(min, max, population, income tilt)`.
    age_bands: Vec<(u8, u8, u64, i64)>,
    /// Credit and balance tilts, indexed by age.
    by_age: Vec<AgeTilts>,
}

/// How one age leans (permille): card limits, card utilisation, cash balances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AgeTilts {
    /// Limits rise with age (median total limit by generation).
    pub(crate) limit: i64,
    /// Utilisation falls with age (share of cards maxed out).
    pub(crate) utilization: i64,
    /// Balances rise with age (median transaction-account balance).
    pub(crate) balance: i64,
}

fn calibration() -> &'static Calibration {
    static CALIBRATION: OnceLock<Calibration> = OnceLock::new();
    CALIBRATION.get_or_init(|| {
        let t = tables();
        let state_cumulative = t
            .states
            .iter()
            .scan(0, |total, state| {
                *total += state.population;
                Some(*total)
            })
            .collect();
        let weighted: Vec<(i64, i64)> = t
            .age_bands
            .iter()
            .map(|band| (band.population as i64, band.median_personal_income))
            .collect();
        let income_tilts = centred_tilts(&weighted, 2);
        let age_bands = t
            .age_bands
            .iter()
            .zip(income_tilts)
            .map(|(band, tilt)| (band.min, band.max, band.population, tilt))
            .collect();
        let credit = &t.credit_by_age;
        let limits = tilts(&credit.iter().map(|r| (1, r.2)).collect::<Vec<_>>());
        let maxed = tilts(&credit.iter().map(|r| (1, r.3)).collect::<Vec<_>>());
        let cash = &t.balances_by_age;
        let balances = tilts(&cash.iter().map(|r| (1, r.1)).collect::<Vec<_>>());
        let by_age = (0..=u8::MAX)
            .map(|age| {
                let at = by_age(credit, age, |r| r.0);
                AgeTilts {
                    limit: limits[at],
                    utilization: maxed[at],
                    balance: balances[by_age(cash, age, |r| r.0)],
                }
            })
            .collect();
        Calibration {
            state_cumulative,
            age_bands,
            by_age,
        }
    })
}

/// Tilts of `(weight, value)` rows: each row's distance from the weighted
/// mean, scaled so the farthest row gets ±1000.
pub(crate) fn tilts(rows: &[(i64, i64)]) -> Vec<i64> {
    let total: i64 = rows.iter().map(|(weight, _)| weight).sum();
    let weighted: i128 = rows
        .iter()
        .map(|(weight, value)| i128::from(*weight) * i128::from(*value))
        .sum();
    let mean = (weighted / i128::from(total.max(1))) as i64;
    let farthest = rows
        .iter()
        .map(|(_, value)| (value - mean).abs())
        .max()
        .unwrap_or(0)
        .max(1);
    rows.iter()
        .map(|(_, value)| (value - mean) * TILT_ONE / farthest)
        .collect()
}

/// [`tilts`] made `strength` times steeper, cut to ±1000 and shifted so they
/// still average to zero over the weights (which keeps the weighted bands'
/// shares exact when drawn given a uniform quantile).
pub(crate) fn centred_tilts(rows: &[(i64, i64)], strength: i64) -> Vec<i64> {
    let steep: Vec<i64> = tilts(rows).iter().map(|t| t * strength).collect();
    let shifted = |shift: i64| -> Vec<i64> {
        steep
            .iter()
            .map(|t| (t + shift).clamp(-TILT_ONE, TILT_ONE))
            .collect()
    };
    let weighted_sum = |tilts: &[i64]| -> i128 {
        rows.iter()
            .zip(tilts)
            .map(|((weight, _), tilt)| i128::from(*weight) * i128::from(*tilt))
            .sum()
    };
    // The weighted sum rises with the shift: bisect for the shift closest to zero.
    let (mut low, mut high) = (-2 * TILT_ONE * strength, 2 * TILT_ONE * strength);
    while low < high {
        let middle = (low + high).div_euclid(2);
        if weighted_sum(&shifted(middle)) < 0 {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    shifted(low)
}

/// A value in `min..=max` from the linear density tilted by `tilt` permille.
pub(crate) fn tilted(rng: &mut ChaCha8Rng, min: i64, max: i64, tilt: i64) -> i64 {
    let first = rng.random_range(0..QUANTILE_ONE);
    let second = rng.random_range(0..QUANTILE_ONE);
    let lean = rng.random_range(0..TILT_ONE);
    let x = if lean < tilt.abs() {
        if tilt > 0 {
            first.max(second)
        } else {
            first.min(second)
        }
    } else {
        first
    };
    let span = (max - min + 1).max(1) as u128;
    min + (span * u128::from(x) / u128::from(QUANTILE_ONE)) as i64
}

/// One of `items` (not empty, total weight above zero), each as likely as its weight.
fn pick_weighted<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T], weight: impl Fn(&T) -> u64) -> &'a T {
    let total: u64 = items.iter().map(&weight).sum();
    let mut pick = rng.random_range(0..total);
    for item in items {
        let w = weight(item);
        if pick < w {
            return item;
        }
        pick -= w;
    }
    &items[items.len() - 1]
}

/// A state, weighted by its 2020 population.
pub(crate) fn draw_state(rng: &mut ChaCha8Rng) -> &'static State {
    let cumulative = &calibration().state_cumulative;
    let total = *cumulative.last().expect("states");
    let pick = rng.random_range(0..total);
    let at = cumulative.partition_point(|&upto| upto <= pick);
    &tables().states[at]
}

/// Writes a 5-digit ZIP code of `state` into `out`: one of its 3-digit
/// prefixes, weighted by how many standard ZIPs the prefix range holds, then
/// two digits from 01 to 99.
pub(crate) fn write_zip(rng: &mut ChaCha8Rng, state: &State, out: &mut String) {
    let (first, last, _) = pick_weighted(rng, &state.zip3_ranges, |(_, _, weight)| *weight);
    let prefix = rng.random_range(u32::from(*first)..=u32::from(*last));
    out.clear();
    push_number(out, prefix.into(), 3);
    push_number(out, rng.random_range(1..100u32).into(), 2);
}

/// An adult age given the income quantile `quantile` (millionths): bands
/// keep their census shares, and higher-earning bands get higher quantiles.
pub(crate) fn draw_age(rng: &mut ChaCha8Rng, quantile: u64) -> u8 {
    let bands = &calibration().age_bands;
    let lean = 2 * quantile as i64 - QUANTILE_ONE as i64;
    let weight = |(_, _, population, tilt): &(u8, u8, u64, i64)| {
        let factor = QUANTILE_ONE as i64 * TILT_ONE + tilt * lean;
        population * factor.max(0) as u64
    };
    let band = pick_weighted(rng, bands, weight);
    rng.random_range(band.0..=band.1)
}

/// One of `allowed`, weighted by the share of businesses paying that way.
pub(crate) fn draw_pay_frequency(rng: &mut ChaCha8Rng, allowed: &[PayFrequency]) -> PayFrequency {
    let share = |frequency: &PayFrequency| {
        tables()
            .pay_frequencies
            .iter()
            .find(|(f, _)| f == frequency)
            .map_or(1, |(_, share)| u64::from(*share))
    };
    *pick_weighted(rng, allowed, share)
}

/// Percent of adults with `income_dollars` who hold a credit card.
pub(crate) fn card_ownership_percent(income_dollars: i64) -> u32 {
    tables()
        .card_ownership
        .iter()
        .find(|(from, to, _)| income_dollars >= *from && to.is_none_or(|to| income_dollars < to))
        .map_or(100, |(_, _, percent)| *percent)
}

/// The row of `rows` (`(age from, …)`, youngest first) that holds `age`.
fn by_age<T: Copy>(rows: &[T], age: u8, from: impl Fn(&T) -> u8) -> usize {
    rows.iter().rposition(|row| from(row) <= age).unwrap_or(0)
}

/// How `age` leans; computed once per age, not per profile.
pub(crate) fn age_tilts(age: u8) -> AgeTilts {
    calibration().by_age[usize::from(age)]
}

/// The tilt of an income quantile: -1000 at the bottom, +1000 at the top.
pub(crate) fn quantile_tilt(quantile: u64) -> i64 {
    (2 * quantile as i64 - QUANTILE_ONE as i64) * TILT_ONE / QUANTILE_ONE as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::streams::{Domain, stream};

    #[test]
    fn tilts_span_minus_to_plus_one_and_average_to_zero() {
        let rows = [(1, 10), (2, 20), (1, 60)];
        let t = tilts(&rows);
        // Weighted mean 27; the farthest row is 33 away.
        assert_eq!(t, vec![-515, -212, 1000]);
        let bands = &calibration().age_bands;
        let weighted: i128 = bands
            .iter()
            .map(|(_, _, population, tilt)| i128::from(*population) * i128::from(*tilt))
            .sum();
        let total: i128 = bands.iter().map(|b| i128::from(b.2)).sum();
        assert!(
            weighted.abs() < 2 * total,
            "weighted tilt {weighted} is not ~0"
        );
        let peak = bands.iter().max_by_key(|b| b.3).unwrap();
        assert_eq!((peak.0, peak.1), (45, 54), "incomes peak at 45-54");
    }

    #[test]
    fn tilted_draws_stay_in_range_and_lean() {
        let rng = &mut stream(3, Domain::Profile, 0);
        let mean = |tilt: i64, rng: &mut ChaCha8Rng| {
            let draws: Vec<i64> = (0..4_000).map(|_| tilted(rng, 100, 200, tilt)).collect();
            assert!(draws.iter().all(|d| (100..=200).contains(d)));
            draws.iter().sum::<i64>() / 4_000
        };
        let (low, flat, high) = (mean(-1000, rng), mean(0, rng), mean(1000, rng));
        assert!(low < flat && flat < high, "{low} {flat} {high}");
        assert!((130..=137).contains(&low) && (163..=170).contains(&high));
        assert_eq!(tilted(rng, 5, 5, 700), 5);
    }

    #[test]
    fn zips_belong_to_their_state() {
        let t = tables();
        let rng = &mut stream(9, Domain::Profile, 1);
        let mut zip = String::new();
        for _ in 0..5_000 {
            let state = draw_state(rng);
            write_zip(rng, state, &mut zip);
            assert_eq!(t.state_of_zip(&zip), Some(state.code), "{zip}");
        }
    }

    #[test]
    fn ages_are_adult_and_lean_on_income() {
        let rng = &mut stream(5, Domain::Profile, 2);
        let mean_age = |quantile, rng: &mut ChaCha8Rng| {
            let ages: Vec<u64> = (0..4_000)
                .map(|_| u64::from(draw_age(rng, quantile)))
                .collect();
            assert!(ages.iter().all(|a| (18..=89).contains(a)));
            ages.iter().filter(|a| **a <= 24).count()
        };
        let (young_at_bottom, young_at_top) = (mean_age(10_000, rng), mean_age(990_000, rng));
        assert!(
            young_at_bottom > 5 * young_at_top.max(1),
            "{young_at_bottom} {young_at_top}"
        );
    }

    #[test]
    fn pay_frequencies_follow_the_business_shares() {
        let rng = &mut stream(1, Domain::Profile, 3);
        let all = [
            PayFrequency::Weekly,
            PayFrequency::Biweekly,
            PayFrequency::Semimonthly,
            PayFrequency::Monthly,
        ];
        let mut counts = [0u32; 4];
        for _ in 0..20_000 {
            let f = draw_pay_frequency(rng, &all);
            counts[all.iter().position(|a| *a == f).unwrap()] += 1;
        }
        // 32.4%, 36.5%, 19.8%, 11.3% within 1.5 points.
        for (count, share) in counts.iter().zip([324, 365, 198, 113]) {
            assert!((i64::from(*count) / 20 - share).abs() < 15, "{counts:?}");
        }
        assert_eq!(
            draw_pay_frequency(rng, &[PayFrequency::Monthly]),
            PayFrequency::Monthly
        );
    }
}
