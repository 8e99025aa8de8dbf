//! What `spendsense report` plots, gathered in one pass in bounded memory.
//!
//! Every signal is read through [`Signals::in_window`], for the 30-day
//! and the 180-day window, never recomputed here. Memory does not grow with
//! the input: counts and histograms are fixed-size arrays (income in $10K
//! bins, recurring merchants by count, money and shares in seven [`Bands`]
//! around each threshold), and each scatter keeps at most [`SCATTER_CAP`]
//! points. Values stay `Decimal` (exact) until the report draws them.
//!
//! The submodules gather the report's tables: [`rules`] (every threshold test
//! of every rule, per persona and window), [`overlap`] (the overlap fields),
//! [`coverage`] (how much of each definition range the data spans) and
//! [`fields`] (a per-column profile of the CSV tables).

pub mod coverage;
pub mod fields;
pub mod overlap;
pub mod rules;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use spendsense_personas::{Criteria, Signals, Window};
use spendsense_schema::{AccountSubtype, Date, PersonaId, UserProfile};

use overlap::OverlapStats;
use rules::RuleStats;

/// Lowest income the histograms bin, in dollars.
pub const INCOME_FROM: i64 = 20_000;
/// Width of one income bin, in dollars.
pub const INCOME_BIN: i64 = 10_000;
/// Number of income bins: $20K to $200K (the last bin includes $200K itself).
pub const INCOME_BINS: usize = 18;
/// Highest income the histograms bin, in dollars.
pub const INCOME_TO: i64 = INCOME_FROM + INCOME_BIN * INCOME_BINS as i64;
/// Points kept per scatter: the first profiles that have the plotted signals.
pub const SCATTER_CAP: usize = 5_000;
/// Bins of the recurring-merchant histogram: 0 to 14 merchants, then 15 or more.
pub const MERCHANT_BINS: usize = 16;
/// Bands of every banded histogram.
pub const BANDS: usize = 7;
/// Lower bounds of the interest-charged bands after `$0`, in dollars; the
/// High Utilization rule (interest > $0) separates the first two bands.
pub const INTEREST_BOUNDS: [i64; BANDS - 1] = [0, 100, 250, 500, 1_000, 2_500];

/// Account kinds counted in the account mix, in display order.
pub const ACCOUNT_KINDS: [&str; 4] = ["checking", "savings", "credit card", "other"];

/// The ways a profile can meet the High Utilization rule, in the order of
/// [`Stats::triggers`].
pub const TRIGGERS: [&str; 5] = [
    "some card at the utilization threshold",
    "interest charged (30d)",
    "interest charged (180d)",
    "minimum payments only",
    "overdue",
];

/// The windows in the order every per-window array uses: 30 days, then 180.
pub const WINDOWS: [Window; 2] = Window::BOTH;

/// Per persona, in [`PersonaId::ALL`] order.
pub type PerPersona<T> = [T; 5];
/// Profiles per band, per persona.
pub type Banded = PerPersona<[u64; BANDS]>;

/// One profile on the utilization-vs-income scatter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    /// The profile's persona.
    pub persona: PersonaId,
    /// Annual income in dollars.
    pub income: Decimal,
    /// Highest card utilization (0.55 = 55%).
    pub utilization: Decimal,
}

/// One profile on the pay-gap-vs-buffer scatter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayPoint {
    /// The profile's persona.
    pub persona: PersonaId,
    /// Median days between paychecks.
    pub gap_days: Decimal,
    /// Checking balance in months of expenses.
    pub buffer_months: Decimal,
}

/// Seven bands of a signal: `0` (or less), then from each lower bound up to
/// the next, the last one open. Each band includes its lower bound, except
/// the threshold of a strict rule ([`Bands::above`]), which stays below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bands {
    /// Lower bounds of the bands after the first one.
    bounds: [Decimal; BANDS - 1],
    /// The band the persona threshold starts.
    threshold_index: usize,
    /// Whether a value equal to the threshold belongs below it (a `>` rule).
    strict: bool,
}

impl Bands {
    /// Bands scaled to a threshold `t` that a signal must reach: 0, under
    /// t/2, t/2 to t, t to 2.5t, 2.5t to 5t, 5t to 10t, and 10t or more, so
    /// the threshold starts the fourth band. A non-positive threshold is
    /// scaled as 1 (no band is empty of meaning, nothing panics).
    pub fn around(threshold: Decimal) -> Bands {
        let t = if threshold > Decimal::ZERO {
            threshold
        } else {
            Decimal::ONE
        };
        let scaled = |num: i64, den: i64| {
            t.checked_mul(Decimal::from(num))
                .map_or(Decimal::MAX, |x| x / Decimal::from(den))
        };
        Bands {
            bounds: [
                Decimal::ZERO,
                scaled(1, 2),
                t,
                scaled(5, 2),
                scaled(5, 1),
                scaled(10, 1),
            ],
            threshold_index: 3,
            strict: false,
        }
    }

    /// [`Bands::around`] for a rule a signal must exceed (`> t`): a value
    /// of exactly `t` falls in the band below the threshold.
    pub fn above(threshold: Decimal) -> Bands {
        Bands {
            strict: true,
            ..Bands::around(threshold)
        }
    }

    /// Utilization bands around the Savings Builder ceiling `below` and the
    /// High Utilization floor `at_least`: 0, under below/2, below/2 to
    /// below, below to at_least, at_least to halfway to 100%, then to 100%,
    /// and 100% or more. `band(below)` and `band(at_least)` are the bands
    /// each line starts; the second is the threshold band.
    pub fn utilization(below: Decimal, at_least: Decimal) -> Bands {
        let one = Decimal::ONE;
        let halfway = at_least
            .checked_add(one)
            .map_or(Decimal::MAX, |sum| sum / Decimal::TWO);
        Bands {
            bounds: [
                Decimal::ZERO,
                below / Decimal::TWO,
                below,
                at_least,
                halfway,
                one,
            ],
            threshold_index: 4,
            strict: false,
        }
    }

    /// The interest-charged bands ([`INTEREST_BOUNDS`]): anything above $0
    /// meets High Utilization, so the threshold starts the second band.
    pub fn interest() -> Bands {
        Bands {
            bounds: INTEREST_BOUNDS.map(Decimal::from),
            threshold_index: 1,
            strict: false,
        }
    }

    /// Lower bounds of the bands after the first one.
    pub fn bounds(&self) -> &[Decimal; BANDS - 1] {
        &self.bounds
    }

    /// The band the persona threshold starts.
    pub fn threshold_index(&self) -> usize {
        self.threshold_index
    }

    /// The band of `value`: 0 for 0 (or less), else after the last bound not above it.
    pub fn band(&self, value: Decimal) -> usize {
        if value <= Decimal::ZERO {
            return 0;
        }
        let band = self
            .bounds
            .iter()
            .rposition(|b| value >= *b)
            .map_or(0, |i| i + 1);
        if self.strict && band == self.threshold_index && value == self.bounds[band - 1] {
            return band - 1;
        }
        band
    }

    /// A short label with values written by `show`: `0`, `< a`, `a–b`, `≥ z`.
    pub fn label(&self, band: usize, show: impl Fn(Decimal) -> String) -> String {
        match band {
            0 => show(Decimal::ZERO),
            1 => format!("< {}", show(self.bounds[1])),
            b if b >= BANDS - 1 => format!("≥ {}", show(self.bounds[BANDS - 2])),
            b => format!("{}–{}", show(self.bounds[b - 1]), show(self.bounds[b])),
        }
    }
}

/// The bands of every banded signal, fixed by the criteria before the first profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignalBands {
    /// Recurring monthly spend, around the Subscription-Heavy spend threshold.
    pub recurring_spend: Bands,
    /// Checking buffer in months, around the Variable Income buffer threshold.
    pub buffer: Bands,
    /// Median pay gap in days, around the Variable Income gap threshold (strict).
    pub pay_gap: Bands,
    /// Highest card utilization, around both utilization thresholds.
    pub utilization: Bands,
    /// Recurring spend share, around the Subscription-Heavy share threshold.
    pub spend_share: Bands,
    /// Savings inflow a month, around the Savings Builder inflow threshold.
    pub savings_inflow: Bands,
    /// Savings growth, around the Savings Builder growth threshold.
    pub savings_growth: Bands,
    /// Interest charged ([`Bands::interest`]).
    pub interest: Bands,
}

impl SignalBands {
    /// The bands for `criteria`.
    pub fn new(criteria: &Criteria) -> SignalBands {
        SignalBands {
            recurring_spend: Bands::around(criteria.subscription_heavy_min_monthly_spend),
            buffer: Bands::around(criteria.variable_income_buffer_below_months),
            pay_gap: Bands::above(Decimal::from(criteria.variable_income_gap_above_days)),
            utilization: Bands::utilization(
                criteria.savings_builder_utilization_below,
                criteria.high_utilization_min,
            ),
            spend_share: Bands::around(criteria.subscription_heavy_min_spend_share),
            savings_inflow: Bands::around(criteria.savings_builder_min_inflow),
            savings_growth: Bands::around(criteria.savings_builder_min_growth),
            interest: Bands::interest(),
        }
    }
}

/// Aggregates over every readable profile.
#[derive(Debug)]
pub struct Stats {
    /// The thresholds the rules table and the charts use.
    pub criteria: Criteria,
    /// The bands of the banded histograms.
    pub bands: SignalBands,
    /// Readable profiles seen.
    pub profiles: u64,
    /// Profiles per persona.
    pub counts: PerPersona<u64>,
    /// Profiles per $10K income bin, per persona.
    pub income_bins: PerPersona<[u64; INCOME_BINS]>,
    /// Profiles with an income below [`INCOME_FROM`], per persona.
    pub income_below: PerPersona<u64>,
    /// Profiles with an income above [`INCOME_TO`], per persona.
    pub income_above: PerPersona<u64>,
    /// Profiles holding at least one credit card.
    pub with_cards: u64,
    /// The first [`SCATTER_CAP`] profiles with cards.
    pub points: Vec<Point>,
    /// The first [`SCATTER_CAP`] profiles, by pay gap and buffer (180-day window).
    pub pay_points: Vec<PayPoint>,
    /// Per window, per persona of the file: profiles whose signals meet each
    /// persona's rule (index 4, control, counts profiles meeting none).
    pub matched: [PerPersona<PerPersona<u64>>; 2],
    /// Per persona, profiles meeting each High Utilization trigger ([`TRIGGERS`]).
    pub triggers: PerPersona<[u64; 5]>,
    /// Per window, interest charged by [`SignalBands::interest`].
    pub interest: [Banded; 2],
    /// Per window, recurring merchants by count ([`MERCHANT_BINS`]).
    pub merchants: [PerPersona<[u64; MERCHANT_BINS]>; 2],
    /// Per window, recurring monthly spend by band.
    pub recurring_spend: [Banded; 2],
    /// Per window, checking buffer (months of expenses) by band.
    pub buffer: [Banded; 2],
    /// Per window, median pay gap by band.
    pub pay_gap: [Banded; 2],
    /// Per window, highest card utilization by band (profiles with a card only).
    pub utilization: [Banded; 2],
    /// Per window, recurring spend share by band.
    pub spend_share: [Banded; 2],
    /// Per window, savings inflow a month by band.
    pub savings_inflow: [Banded; 2],
    /// Per window, savings growth by band.
    pub savings_growth: [Banded; 2],
    /// Accounts per persona, by [`ACCOUNT_KINDS`].
    pub accounts: PerPersona<[u64; 4]>,
    /// Every threshold test of every rule, per window and persona.
    pub rules: RuleStats,
    /// The overlap fields.
    pub overlap: OverlapStats,
    /// The earliest and latest `plan.as_of` seen.
    pub as_of: Option<(Date, Date)>,
}

impl Default for Stats {
    /// Statistics for SpendSense's own criteria.
    fn default() -> Stats {
        Stats::new(&Criteria::spendsense())
    }
}

impl Stats {
    /// Empty statistics banded for `criteria`.
    pub fn new(criteria: &Criteria) -> Stats {
        Stats {
            criteria: *criteria,
            bands: SignalBands::new(criteria),
            profiles: 0,
            counts: [0; 5],
            income_bins: [[0; INCOME_BINS]; 5],
            income_below: [0; 5],
            income_above: [0; 5],
            with_cards: 0,
            points: Vec::new(),
            pay_points: Vec::new(),
            matched: [[[0; 5]; 5]; 2],
            triggers: [[0; 5]; 5],
            interest: [[[0; BANDS]; 5]; 2],
            merchants: [[[0; MERCHANT_BINS]; 5]; 2],
            recurring_spend: [[[0; BANDS]; 5]; 2],
            buffer: [[[0; BANDS]; 5]; 2],
            pay_gap: [[[0; BANDS]; 5]; 2],
            utilization: [[[0; BANDS]; 5]; 2],
            spend_share: [[[0; BANDS]; 5]; 2],
            savings_inflow: [[[0; BANDS]; 5]; 2],
            savings_growth: [[[0; BANDS]; 5]; 2],
            accounts: [[0; 4]; 5],
            rules: RuleStats::new(criteria),
            overlap: OverlapStats::default(),
            as_of: None,
        }
    }

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

        let signals = WINDOWS.map(|w| Signals::in_window(profile, w));
        self.rules.push(profile, &signals);
        self.overlap.push(profile, &signals, &self.criteria);
        let as_of = profile.plan.as_of;
        self.as_of = Some(self.as_of.map_or((as_of, as_of), |(low, high)| {
            (low.min(as_of), high.max(as_of))
        }));
        let long = &signals[1];
        for (w, s) in signals.iter().enumerate() {
            let met = self.criteria.classify(s);
            if met.is_empty() {
                self.matched[w][p][PersonaId::Control.index()] += 1;
            }
            for persona in met.iter() {
                self.matched[w][p][persona.index()] += 1;
            }
            self.interest[w][p][self.bands.interest.band(s.interest_charged)] += 1;
            self.spend_share[w][p][self.bands.spend_share.band(s.recurring_spend_share)] += 1;
            self.savings_inflow[w][p][self.bands.savings_inflow.band(s.savings_inflow_monthly)] +=
                1;
            self.savings_growth[w][p][self.bands.savings_growth.band(s.savings_growth)] += 1;
            self.merchants[w][p][usize::from(s.recurring_merchants).min(MERCHANT_BINS - 1)] += 1;
            let spend = self.bands.recurring_spend.band(s.recurring_monthly_spend);
            self.recurring_spend[w][p][spend] += 1;
            self.buffer[w][p][self.bands.buffer.band(s.checking_buffer_months)] += 1;
            self.pay_gap[w][p][self.bands.pay_gap.band(s.median_pay_gap_days)] += 1;
            if let Some(utilization) = s.max_card_utilization {
                self.utilization[w][p][self.bands.utilization.band(utilization)] += 1;
            }
        }

        let triggers = [
            long.max_card_utilization
                .is_some_and(|u| u >= self.criteria.high_utilization_min),
            signals[0].interest_charged > Decimal::ZERO,
            long.interest_charged > Decimal::ZERO,
            long.minimum_payment_only,
            long.overdue,
        ];
        for (count, met) in self.triggers[p].iter_mut().zip(triggers) {
            *count += u64::from(met);
        }

        if self.pay_points.len() < SCATTER_CAP {
            self.pay_points.push(PayPoint {
                persona: profile.persona,
                gap_days: long.median_pay_gap_days,
                buffer_months: long.checking_buffer_months,
            });
        }
        if let Some(utilization) = long.max_card_utilization {
            self.with_cards += 1;
            if self.points.len() < SCATTER_CAP {
                self.points.push(Point {
                    persona: profile.persona,
                    income,
                    utilization,
                });
            }
        }

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

#[cfg(test)]
mod tests {
    use super::*;

    fn money(d: Decimal) -> String {
        format!("${}", d.normalize())
    }

    #[test]
    fn bands_split_at_the_threshold() {
        let bands = Bands::around(Decimal::from(200));
        let labels: Vec<String> = (0..BANDS).map(|b| bands.label(b, money)).collect();
        assert_eq!(
            labels,
            [
                "$0",
                "< $100",
                "$100–$200",
                "$200–$500",
                "$500–$1000",
                "$1000–$2000",
                "≥ $2000"
            ]
        );
        for (value, band) in [
            (-5, 0),
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
        assert_eq!(bands.band(Decimal::MAX), 6);
        assert_eq!(bands.band(Decimal::MIN), 0);
        assert_eq!(bands.threshold_index(), 3);
        assert_eq!(bands.band(Decimal::from(200)), bands.threshold_index());
    }

    #[test]
    fn strict_bands_keep_the_threshold_below_the_line() {
        let bands = Bands::above(Decimal::from(45));
        assert_eq!(bands.band(Decimal::from(45)), bands.threshold_index() - 1);
        assert_eq!(bands.band(Decimal::new(455, 1)), bands.threshold_index());
        assert_eq!(bands.band(Decimal::from(44)), bands.threshold_index() - 1);
        let inclusive = Bands::around(Decimal::from(45));
        assert_eq!(
            inclusive.band(Decimal::from(45)),
            inclusive.threshold_index()
        );
    }

    #[test]
    fn utilization_bands_start_a_band_at_each_threshold() {
        let criteria = Criteria::spendsense();
        let (below, at_least) = (
            criteria.savings_builder_utilization_below,
            criteria.high_utilization_min,
        );
        let bands = Bands::utilization(below, at_least);
        assert_eq!(bands.band(at_least), bands.threshold_index());
        assert_eq!(bands.band(at_least - Decimal::new(1, 4)), bands.band(below));
        assert_eq!(
            bands.band(below - Decimal::new(1, 4)) + 1,
            bands.band(below)
        );
        assert_eq!(bands.band(Decimal::ONE), BANDS - 1);
        let labels: Vec<String> = (0..BANDS).map(|b| bands.label(b, money)).collect();
        assert_eq!(labels[3], format!("{}–{}", money(below), money(at_least)));
    }

    #[test]
    fn interest_bands_put_any_interest_past_the_threshold() {
        let bands = Bands::interest();
        assert_eq!(bands.band(Decimal::ZERO), 0);
        assert_eq!(bands.band(Decimal::new(1, 2)), bands.threshold_index());
        assert_eq!(bands.label(1, money), "< $100");
        assert_eq!(bands.label(6, money), "≥ $2500");
    }

    #[test]
    fn extreme_thresholds_band_without_panicking() {
        for t in [
            Decimal::MAX,
            Decimal::MIN,
            Decimal::ZERO,
            Decimal::new(1, 28),
        ] {
            let bands = Bands::around(t);
            for v in [Decimal::MIN, Decimal::ZERO, Decimal::ONE, Decimal::MAX] {
                assert!(bands.band(v) < BANDS);
            }
        }
    }

    #[test]
    fn every_profile_lands_in_each_histogram_once() {
        let config = spendsense_generator::GeneratorConfig::new(42, 200);
        let mut stats = Stats::default();
        for profile in spendsense_generator::Generator::new(&config)
            .unwrap()
            .iter()
        {
            stats.push(&profile);
        }
        let total = |banded: &Banded| banded.iter().flatten().sum::<u64>();
        for w in 0..2 {
            for banded in [
                &stats.interest[w],
                &stats.spend_share[w],
                &stats.savings_inflow[w],
                &stats.savings_growth[w],
            ] {
                assert_eq!(total(banded), 200);
            }
            // A generated dataset meets exactly its own personas' rules.
            for p in 0..5 {
                assert_eq!(stats.matched[w][p][p], stats.counts[p], "window {w}");
            }
        }
        for w in 0..2 {
            assert_eq!(total(&stats.recurring_spend[w]), 200);
            assert_eq!(total(&stats.buffer[w]), 200);
            assert_eq!(total(&stats.pay_gap[w]), 200);
            assert_eq!(total(&stats.utilization[w]), stats.with_cards);
            assert_eq!(stats.merchants[w].iter().flatten().sum::<u64>(), 200);
        }
        assert_eq!(stats.pay_points.len(), 200);
    }
}
