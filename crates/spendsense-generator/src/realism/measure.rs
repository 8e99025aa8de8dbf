//! How closely a population follows the reference tables: generated
//! marginals beside the reference ones, each with a distance, and persona
//! shares by age band and region (demographic parity).
//!
//! [`Marginals`] takes profiles one at a time in bounded memory, so it
//! measures millions of profiles: incomes are counted in whole dollars (exact
//! for generated incomes) from $0 to $1M, at most a million bins, and paired
//! with ages in $1,000 bins. Shares and distances are statistics, not money,
//! and are `f64`.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use spendsense_schema::{PayFrequency, PersonaId, UserProfile};

use super::tables::{Region, tables};

/// Regular pay frequencies, in the reference table's order.
const REGULAR: [PayFrequency; 4] = [
    PayFrequency::Weekly,
    PayFrequency::Biweekly,
    PayFrequency::Semimonthly,
    PayFrequency::Monthly,
];

/// Ages whose income ranks are correlated: working ages, where income rises
/// towards its 45-54 peak.
pub const RANK_CORRELATION_AGES: (u8, u8) = (25, 64);

/// Counts of a population, ready to compare with the reference tables.
#[derive(Debug, Clone, Default)]
pub struct Marginals {
    total: u64,
    /// Per state of the tables (in their order); states outside them are not counted.
    states: Vec<u64>,
    age_bands: Vec<u64>,
    regular_pay: [u64; 4],
    incomes: BTreeMap<Decimal, u64>,
    /// Incomes per age band.
    incomes_by_band: Vec<BTreeMap<Decimal, u64>>,
    zips_checked: u64,
    zips_in_state: u64,
    persona_by_band: Vec<[u64; 5]>,
    persona_by_region: [[u64; 5]; 4],
    /// `(age, income in $1,000 bins) → users`, for working ages.
    age_income: BTreeMap<(u8, Decimal), u64>,
}

/// Generated shares beside reference shares, with their total variation distance.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// One row per category.
    pub rows: Vec<Share>,
    /// Half the sum of absolute share differences: 0 is identical, 1 disjoint.
    pub total_variation: f64,
}

/// One category of a [`Comparison`].
#[derive(Debug, Clone, PartialEq)]
pub struct Share {
    /// Category, e.g. `CA` or `25-34`.
    pub label: String,
    /// Users in it.
    pub count: u64,
    /// Share of the generated population.
    pub generated: f64,
    /// Share in the reference table.
    pub reference: f64,
}

/// Persona shares within each group of users.
#[derive(Debug, Clone, PartialEq)]
pub struct Parity {
    /// `(group, users, persona shares in PersonaId::ALL order)`.
    pub groups: Vec<(String, u64, [f64; 5])>,
    /// The largest difference, over personas, between a persona's share in
    /// two groups holding at least [`PARITY_MIN_GROUP`] users.
    pub max_gap: f64,
}

/// Groups smaller than this are shown but left out of [`Parity::max_gap`].
pub const PARITY_MIN_GROUP: u64 = 100;

/// The whole comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Realism {
    /// Profiles measured.
    pub users: u64,
    /// States by population.
    pub states: Comparison,
    /// Adult age bands.
    pub age_bands: Comparison,
    /// Regular pay frequencies (among regular payers) against shares of businesses.
    pub pay_frequencies: Comparison,
    /// `(percentile, reference household income $, generated income)`.
    pub income_percentiles: Vec<(u8, i64, Decimal)>,
    /// Largest gap between the generated share of incomes at or below a
    /// reference percentile's value and that percentile.
    pub income_distance: f64,
    /// `(age band, generated median income, reference median personal income $)`.
    pub median_income_by_age: Vec<(String, Option<Decimal>, i64)>,
    /// `(ZIPs checked, ZIPs whose prefix belongs to the user's state)`.
    pub zip_state_agreement: (u64, u64),
    /// Spearman rank correlation of age and income at [`RANK_CORRELATION_AGES`].
    pub age_income_rank_correlation: Option<f64>,
    /// Persona shares by age band.
    pub parity_by_age: Parity,
    /// Persona shares by Census region.
    pub parity_by_region: Parity,
}

impl Marginals {
    /// No profiles yet.
    pub fn new() -> Marginals {
        let t = tables();
        Marginals {
            states: vec![0; t.states.len()],
            age_bands: vec![0; t.age_bands.len()],
            incomes_by_band: vec![BTreeMap::new(); t.age_bands.len()],
            persona_by_band: vec![[0; 5]; t.age_bands.len()],
            ..Marginals::default()
        }
    }

    /// Counts `profile`.
    pub fn push(&mut self, profile: &UserProfile) {
        let t = tables();
        self.total += 1;
        let persona = profile.persona.index();
        let income = income_bin(profile.annual_income, 1);
        *self.incomes.entry(income).or_default() += 1;
        let state = profile.demographics.state.as_str();
        if let Some(at) = t.states.iter().position(|s| s.code == state) {
            self.states[at] += 1;
            self.persona_by_region[region_index(t.states[at].region)][persona] += 1;
        }
        let age = profile.demographics.age;
        if let Some(band) = t
            .age_bands
            .iter()
            .position(|b| (b.min..=b.max).contains(&age))
        {
            self.age_bands[band] += 1;
            self.persona_by_band[band][persona] += 1;
            *self.incomes_by_band[band].entry(income).or_default() += 1;
        }
        let (youngest, oldest) = RANK_CORRELATION_AGES;
        if (youngest..=oldest).contains(&age) {
            let coarse = income_bin(profile.annual_income, 1_000);
            *self.age_income.entry((age, coarse)).or_default() += 1;
        }
        if let Some(at) = REGULAR
            .iter()
            .position(|f| *f == profile.characteristics.pay_frequency)
        {
            self.regular_pay[at] += 1;
        }
        self.zips_checked += 1;
        if t.state_of_zip(&profile.identity.address.postal_code) == Some(state) {
            self.zips_in_state += 1;
        }
    }

    /// The comparison with the reference tables.
    pub fn realism(&self) -> Realism {
        let t = tables();
        let states = compare(
            t.states
                .iter()
                .zip(&self.states)
                .map(|(s, n)| (s.code.to_owned(), *n, s.population as f64)),
        );
        let age_bands = compare(
            t.age_bands
                .iter()
                .zip(&self.age_bands)
                .map(|(b, n)| (b.label.to_owned(), *n, b.population as f64)),
        );
        let pay_frequencies = compare(REGULAR.iter().zip(self.regular_pay).map(|(f, n)| {
            let share = t
                .pay_frequencies
                .iter()
                .find(|(g, _)| g == f)
                .map_or(0, |(_, s)| *s);
            (f.as_str().to_owned(), n, f64::from(share))
        }));
        let income_percentiles = t
            .household_income_percentiles
            .iter()
            .map(|(p, reference)| {
                let value = quantile(&self.incomes, f64::from(*p) / 100.0).unwrap_or_default();
                (*p, *reference, value)
            })
            .collect();
        let income_distance = t
            .household_income_percentiles
            .iter()
            .map(|(p, reference)| {
                let at_or_below: u64 = self
                    .incomes
                    .range(..=Decimal::from(*reference))
                    .map(|(_, n)| n)
                    .sum();
                (share(at_or_below, self.total) - f64::from(*p) / 100.0).abs()
            })
            .fold(0.0, f64::max);
        let median_income_by_age = t
            .age_bands
            .iter()
            .zip(&self.incomes_by_band)
            .map(|(b, incomes)| {
                (
                    b.label.to_owned(),
                    quantile(incomes, 0.5),
                    b.median_personal_income,
                )
            })
            .collect();
        let parity_by_age = parity(
            t.age_bands
                .iter()
                .zip(&self.persona_by_band)
                .map(|(b, counts)| (b.label.to_owned(), *counts)),
        );
        let parity_by_region = parity(
            Region::ALL
                .iter()
                .zip(self.persona_by_region)
                .map(|(r, counts)| (r.label().to_owned(), counts)),
        );
        Realism {
            users: self.total,
            states,
            age_bands,
            pay_frequencies,
            income_percentiles,
            income_distance,
            median_income_by_age,
            zip_state_agreement: (self.zips_checked, self.zips_in_state),
            age_income_rank_correlation: spearman(&self.age_income),
            parity_by_age,
            parity_by_region,
        }
    }
}

/// `income` rounded to a multiple of `dollars`, within $0 to $1M: the
/// counts stay bounded whatever a file holds.
fn income_bin(income: Decimal, dollars: i64) -> Decimal {
    let income = income.clamp(Decimal::ZERO, Decimal::from(1_000_000));
    let width = Decimal::from(dollars);
    (income / width).round() * width
}

fn region_index(region: Region) -> usize {
    Region::ALL.iter().position(|r| *r == region).unwrap_or(0)
}

fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn compare(rows: impl Iterator<Item = (String, u64, f64)>) -> Comparison {
    let rows: Vec<(String, u64, f64)> = rows.collect();
    let total: u64 = rows.iter().map(|(_, n, _)| n).sum();
    let reference_total: f64 = rows.iter().map(|(_, _, r)| r).sum();
    let rows: Vec<Share> = rows
        .into_iter()
        .map(|(label, count, reference)| Share {
            label,
            count,
            generated: share(count, total),
            reference: if reference_total > 0.0 {
                reference / reference_total
            } else {
                0.0
            },
        })
        .collect();
    let total_variation = rows
        .iter()
        .map(|r| (r.generated - r.reference).abs())
        .sum::<f64>()
        / 2.0;
    Comparison {
        rows,
        total_variation,
    }
}

/// The smallest value with at least `fraction` of the counts at or below it.
fn quantile(histogram: &BTreeMap<Decimal, u64>, fraction: f64) -> Option<Decimal> {
    let total: u64 = histogram.values().sum();
    if total == 0 {
        return None;
    }
    let wanted = ((fraction * total as f64).ceil() as u64).max(1);
    let mut seen = 0;
    histogram.iter().find_map(|(value, n)| {
        seen += n;
        (seen >= wanted).then_some(*value)
    })
}

fn parity(groups: impl Iterator<Item = (String, [u64; 5])>) -> Parity {
    let groups: Vec<(String, u64, [f64; 5])> = groups
        .map(|(label, counts)| {
            let users: u64 = counts.iter().sum();
            (label, users, counts.map(|n| share(n, users)))
        })
        .collect();
    let max_gap = PersonaId::ALL
        .iter()
        .map(|p| {
            let shares = groups
                .iter()
                .filter(|(_, users, _)| *users >= PARITY_MIN_GROUP)
                .map(|(_, _, shares)| shares[p.index()]);
            let (low, high) =
                shares.fold((f64::MAX, f64::MIN), |(lo, hi), s| (lo.min(s), hi.max(s)));
            if high >= low { high - low } else { 0.0 }
        })
        .fold(0.0, f64::max);
    Parity { groups, max_gap }
}

/// Spearman's rank correlation over `(x, y) → count` cells, ties given their
/// average rank.
fn spearman(cells: &BTreeMap<(u8, Decimal), u64>) -> Option<f64> {
    let n: u64 = cells.values().sum();
    if n < 3 {
        return None;
    }
    let mut by_x = BTreeMap::<u8, u64>::new();
    let mut by_y = BTreeMap::<Decimal, u64>::new();
    for ((x, y), count) in cells {
        *by_x.entry(*x).or_default() += count;
        *by_y.entry(*y).or_default() += count;
    }
    fn average_ranks<K: Ord + Copy>(counts: &BTreeMap<K, u64>) -> BTreeMap<K, f64> {
        let mut below = 0u64;
        counts
            .iter()
            .map(|(key, count)| {
                let rank = below as f64 + (*count as f64 + 1.0) / 2.0;
                below += count;
                (*key, rank)
            })
            .collect()
    }
    let (rank_x, rank_y) = (average_ranks(&by_x), average_ranks(&by_y));
    let mean = (n as f64 + 1.0) / 2.0;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for ((x, y), count) in cells {
        let (dx, dy) = (rank_x[x] - mean, rank_y[y] - mean);
        let c = *count as f64;
        sxy += c * dx * dy;
        sxx += c * dx * dx;
        syy += c * dy * dy;
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_correlation_is_one_for_a_monotone_relation_and_handles_ties() {
        let mut cells = BTreeMap::new();
        for (age, income) in [(30, 10), (40, 20), (50, 30), (50, 30)] {
            *cells.entry((age, Decimal::from(income))).or_default() += 1;
        }
        assert!((spearman(&cells).unwrap() - 1.0).abs() < 1e-12);
        let mut reversed = BTreeMap::new();
        for (age, income) in [(30, 30), (40, 20), (50, 10)] {
            reversed.insert((age, Decimal::from(income)), 1);
        }
        assert!((spearman(&reversed).unwrap() + 1.0).abs() < 1e-12);
        assert_eq!(spearman(&BTreeMap::new()), None);
    }

    #[test]
    fn incomes_are_binned_and_bounded() {
        let bin = |text: &str, width| income_bin(text.parse().unwrap(), width).to_string();
        assert_eq!(bin("91050.00", 1), "91050");
        assert_eq!(bin("91050.49", 1), "91050");
        assert_eq!(bin("91049.99", 1_000), "91000");
        assert_eq!(bin("1e20", 1), "1000000");
        assert_eq!(bin("-5e9", 1_000), "0");
    }

    #[test]
    fn total_variation_is_half_the_absolute_difference() {
        let c = compare([("a".to_owned(), 3, 1.0), ("b".to_owned(), 1, 1.0)].into_iter());
        assert!((c.total_variation - 0.25).abs() < 1e-12);
        let histogram: BTreeMap<Decimal, u64> =
            [(Decimal::ONE, 1), (Decimal::TWO, 1), (Decimal::TEN, 2)].into();
        assert_eq!(quantile(&histogram, 0.5), Some(Decimal::TWO));
        assert_eq!(quantile(&histogram, 0.51), Some(Decimal::TEN));
    }
}
