//! What `spendsense report` plots, gathered in one pass in bounded memory.
//!
//! Counts and income bins are fixed-size arrays; the scatter keeps at most
//! [`SCATTER_CAP`] points; savings targets are a histogram per persona keyed
//! by the exact amount (generated targets are whole dollars, so a few thousand
//! keys at most per persona).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use spendsense_personas::PlannedSignals;
use spendsense_schema::{AccountSubtype, PersonaId, UserProfile};

/// Lowest income the histograms bin, in dollars.
pub const INCOME_FROM: i64 = 20_000;
/// Width of one income bin, in dollars.
pub const INCOME_BIN: i64 = 10_000;
/// Number of income bins: $20K to $200K (the last bin includes $200K itself).
pub const INCOME_BINS: usize = 18;
/// Highest income the histograms bin, in dollars.
pub const INCOME_TO: i64 = INCOME_FROM + INCOME_BIN * INCOME_BINS as i64;
/// Profiles with cards kept for the utilization scatter.
pub const SCATTER_CAP: usize = 5_000;

/// Account kinds counted in the account mix, in display order.
pub const ACCOUNT_KINDS: [&str; 4] = ["checking", "savings", "credit card", "other"];

/// One profile on the utilization-vs-income scatter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// The profile's persona.
    pub persona: PersonaId,
    /// Annual income in dollars.
    pub income: f64,
    /// Highest card utilization as a percentage (55.0 = 55%).
    pub utilization: f64,
}

/// Aggregates over every readable profile.
#[derive(Debug, Default)]
pub struct Stats {
    /// Readable profiles seen.
    pub profiles: u64,
    /// Profiles per persona, in [`PersonaId::ALL`] order.
    pub counts: [u64; 5],
    /// Profiles per $10K income bin, per persona.
    pub income_bins: [[u64; INCOME_BINS]; 5],
    /// Profiles with an income below [`INCOME_FROM`], per persona.
    pub income_below: [u64; 5],
    /// Profiles with an income above [`INCOME_TO`], per persona.
    pub income_above: [u64; 5],
    /// Profiles holding at least one credit card.
    pub with_cards: u64,
    /// The first [`SCATTER_CAP`] profiles with cards.
    pub points: Vec<Point>,
    /// Monthly savings target → number of profiles, per persona.
    pub savings: [BTreeMap<Decimal, u64>; 5],
    /// Accounts per persona, by [`ACCOUNT_KINDS`].
    pub accounts: [[u64; 4]; 5],
}

impl Stats {
    /// Counts one profile.
    pub fn push(&mut self, profile: &UserProfile) {
        let p = profile.persona.index();
        self.profiles += 1;
        self.counts[p] += 1;

        let income = profile.annual_income;
        if income < Decimal::from(INCOME_FROM) {
            self.income_below[p] += 1;
        } else if income > Decimal::from(INCOME_TO) {
            self.income_above[p] += 1;
        } else {
            let bin = ((income - Decimal::from(INCOME_FROM)) / Decimal::from(INCOME_BIN))
                .floor()
                .to_usize()
                .unwrap_or(0);
            self.income_bins[p][bin.min(INCOME_BINS - 1)] += 1;
        }

        if let Some(utilization) = PlannedSignals::of(profile).max_card_utilization {
            self.with_cards += 1;
            if self.points.len() < SCATTER_CAP {
                let percent = utilization
                    .checked_mul(Decimal::ONE_HUNDRED)
                    .unwrap_or(Decimal::MAX);
                self.points.push(Point {
                    persona: profile.persona,
                    income: income.to_f64().unwrap_or(0.0),
                    utilization: percent.to_f64().unwrap_or(0.0),
                });
            }
        }

        *self.savings[p]
            .entry(profile.characteristics.target_savings_monthly)
            .or_default() += 1;

        for account in &profile.accounts {
            let kind = match account.subtype {
                AccountSubtype::Checking => 0,
                AccountSubtype::Savings => 1,
                AccountSubtype::CreditCard => 2,
                _ => 3,
            };
            self.accounts[p][kind] += 1;
        }
    }

    /// Whether any account is neither checking, savings nor a credit card.
    pub fn has_other_accounts(&self) -> bool {
        self.accounts.iter().any(|kinds| kinds[3] > 0)
    }
}

/// Min, quartiles and max of one persona's savings targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spread {
    /// Lowest value.
    pub min: Decimal,
    /// Lower quartile.
    pub p25: Decimal,
    /// Median (the lower middle value for even counts).
    pub median: Decimal,
    /// Upper quartile.
    pub p75: Decimal,
    /// Highest value.
    pub max: Decimal,
}

impl Spread {
    /// The spread of a value → count histogram, `None` when it is empty.
    pub fn of(histogram: &BTreeMap<Decimal, u64>) -> Option<Spread> {
        let total: u64 = histogram.values().sum();
        if total == 0 {
            return None;
        }
        // The value at rank ⌊(n − 1)·q⌋ (from 0), with q = num / 4.
        let at = |num: u64| {
            let rank = (total - 1) * num / 4;
            let mut seen = 0;
            for (value, count) in histogram {
                seen += count;
                if seen > rank {
                    return *value;
                }
            }
            unreachable!("rank {rank} is below the total {total}")
        };
        Some(Spread {
            min: at(0),
            p25: at(1),
            median: at(2),
            p75: at(3),
            max: at(4),
        })
    }
}

/// Savings-target bands for the savings histogram, scaled to the Savings
/// Builder threshold `t`: $0, under t/2, t/2 to t, t to 2.5t, 2.5t to 5t,
/// 5t to 10t, and 10t or more (each band includes its lower bound). With the
/// default $200 the threshold falls between the third and fourth band.
#[derive(Debug, Clone)]
pub struct SavingsBands {
    /// The Savings Builder inflow threshold.
    pub threshold: Decimal,
    /// Lower bounds of the bands after the first ($0) one.
    bounds: [Decimal; 6],
}

impl SavingsBands {
    /// The bands around `threshold` (a non-positive threshold falls back to $200).
    pub fn new(threshold: Decimal) -> SavingsBands {
        let t = if threshold > Decimal::ZERO {
            threshold
        } else {
            Decimal::from(200)
        };
        let scaled = |num: i64, den: i64| t * Decimal::from(num) / Decimal::from(den);
        SavingsBands {
            threshold: t,
            bounds: [
                Decimal::ZERO,
                scaled(1, 2),
                t,
                scaled(5, 2),
                scaled(5, 1),
                scaled(10, 1),
            ],
        }
    }

    /// Number of bands.
    pub fn band_count(&self) -> usize {
        self.bounds.len() + 1
    }

    /// The band the threshold starts.
    pub fn threshold_index(&self) -> usize {
        3
    }

    /// The band of `value`: 0 for $0 (or less), else the last bound not above it.
    pub fn band(&self, value: Decimal) -> usize {
        if value <= Decimal::ZERO {
            return 0;
        }
        self.bounds
            .iter()
            .rposition(|b| value >= *b)
            .map_or(0, |i| i + 1)
    }

    /// Profiles per band of a value → count histogram.
    pub fn counts(&self, histogram: &BTreeMap<Decimal, u64>) -> Vec<u64> {
        let mut counts = vec![0; self.band_count()];
        for (value, count) in histogram {
            counts[self.band(*value)] += count;
        }
        counts
    }

    /// A short label: `$0`, `< $100`, `$100–$200`, …, `≥ $2K`.
    pub fn label(&self, band: usize) -> String {
        let money = |d: Decimal| {
            let d = d.round_dp(2).normalize();
            if d >= Decimal::from(1000) && (d % Decimal::from(1000)).is_zero() {
                format!("${}K", d / Decimal::from(1000))
            } else {
                format!("${d}")
            }
        };
        match band {
            0 => "$0".to_string(),
            1 => format!("< {}", money(self.bounds[1])),
            b if b == self.band_count() - 1 => format!("≥ {}", money(self.bounds[b - 1])),
            b => format!("{}–{}", money(self.bounds[b - 1]), money(self.bounds[b])),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn savings_bands_split_at_the_threshold() {
        let bands = SavingsBands::new(Decimal::from(200));
        let labels: Vec<String> = (0..bands.band_count()).map(|b| bands.label(b)).collect();
        assert_eq!(
            labels,
            [
                "$0",
                "< $100",
                "$100–$200",
                "$200–$500",
                "$500–$1K",
                "$1K–$2K",
                "≥ $2K"
            ]
        );
        for (value, band) in [
            (0, 0),
            (1, 1),
            (99, 1),
            (100, 2),
            (199, 2),
            (200, 3),
            (499, 3),
            (500, 4),
            (1_000, 5),
            (1_999, 5),
            (2_000, 6),
            (3_000, 6),
        ] {
            assert_eq!(bands.band(Decimal::from(value)), band, "${value}");
        }
        assert_eq!(bands.band(Decimal::new(19999, 2)), 2);
        assert_eq!(bands.label(bands.threshold_index()), "$200–$500");
    }

    #[test]
    fn spread_picks_lower_middle_values() {
        let histogram: BTreeMap<Decimal, u64> = [(1, 1), (2, 2), (10, 1)]
            .into_iter()
            .map(|(v, c)| (Decimal::from(v), c))
            .collect();
        let spread = Spread::of(&histogram).unwrap();
        let d = Decimal::from;
        assert_eq!(
            (
                spread.min,
                spread.p25,
                spread.median,
                spread.p75,
                spread.max
            ),
            (d(1), d(1), d(2), d(2), d(10))
        );
        assert_eq!(Spread::of(&BTreeMap::new()), None);
    }
}
