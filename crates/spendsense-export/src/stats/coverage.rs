//! How much of each persona definition's ranges the data covers.
//!
//! For every persona and every range of its [`PersonaDefinition`], the
//! smallest and largest value its profiles show, how many fall outside, and
//! which tenths of the range (deciles) some profile hits. Values are measured
//! the way [`spendsense_personas::Personas::check_profile`] measures them
//! (balances as months rounded to cents, utilization as the planned target),
//! so a generated file never shows a value outside its range.
//!
//! Overlap profiles are drawn from a blend of two definitions and are only
//! counted ([`Coverage::overlap_skipped`]). Memory is fixed: one entry per
//! persona and range.

use rust_decimal::Decimal;
use spendsense_personas::{PayPlan, PersonaDefinition, Personas};
use spendsense_schema::{AccountSubtype, PayFrequency, PersonaId, UserProfile};

use super::PerPersona;

/// A range of a persona definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Range {
    /// `annual_income`: the profile's annual income.
    AnnualIncome,
    /// `pay.median_gap_days` (irregular pay only): the planned median pay gap.
    MedianGapDays,
    /// `checking_buffer_months`: checking balance ÷ monthly expenses.
    CheckingBufferMonths,
    /// `credit_cards`: how many credit cards.
    CreditCards,
    /// `credit_limit_income_share`: total credit limit ÷ annual income (with cards).
    CreditLimitIncomeShare,
    /// `target_utilization`: the planned utilization (with cards).
    TargetUtilization,
    /// `subscriptions`: the planned recurring merchants.
    Subscriptions,
    /// `savings_income_share`: the planned monthly savings ÷ monthly income,
    /// after `savings_monthly` clamps it (so it can fall outside).
    SavingsIncomeShare,
    /// `savings_monthly`: the planned monthly savings.
    SavingsMonthly,
    /// `savings_balance_months`: savings balance ÷ monthly income (with savings).
    SavingsBalanceMonths,
}

/// Every range, in the definition's field order.
pub const RANGES: [Range; 10] = [
    Range::AnnualIncome,
    Range::MedianGapDays,
    Range::CheckingBufferMonths,
    Range::CreditCards,
    Range::CreditLimitIncomeShare,
    Range::TargetUtilization,
    Range::Subscriptions,
    Range::SavingsIncomeShare,
    Range::SavingsMonthly,
    Range::SavingsBalanceMonths,
];

/// Tenths of a range tracked for coverage.
pub const DECILES: usize = 10;

impl Range {
    /// The field of [`PersonaDefinition`] holding the range.
    pub fn field(self) -> &'static str {
        match self {
            Range::AnnualIncome => "annual_income",
            Range::MedianGapDays => "pay.median_gap_days",
            Range::CheckingBufferMonths => "checking_buffer_months",
            Range::CreditCards => "credit_cards",
            Range::CreditLimitIncomeShare => "credit_limit_income_share",
            Range::TargetUtilization => "target_utilization",
            Range::Subscriptions => "subscriptions",
            Range::SavingsIncomeShare => "savings_income_share",
            Range::SavingsMonthly => "savings_monthly",
            Range::SavingsBalanceMonths => "savings_balance_months",
        }
    }

    /// Whether the range is a [`spendsense_personas::CountRange`] (whole numbers).
    pub fn is_count(self) -> bool {
        matches!(
            self,
            Range::MedianGapDays | Range::CreditCards | Range::Subscriptions
        )
    }

    /// The range's ends in `definition`; `None` when it has none (regular pay).
    pub fn bounds(self, d: &PersonaDefinition) -> Option<(Decimal, Decimal)> {
        let count =
            |r: spendsense_personas::CountRange| Some((Decimal::from(r.min), Decimal::from(r.max)));
        let decimal = |r: spendsense_personas::DecimalRange| Some((r.min, r.max));
        match self {
            Range::AnnualIncome => decimal(d.annual_income),
            Range::MedianGapDays => match &d.pay {
                PayPlan::Irregular { median_gap_days } => count(*median_gap_days),
                PayPlan::Regular { .. } => None,
            },
            Range::CheckingBufferMonths => decimal(d.checking_buffer_months),
            Range::CreditCards => count(d.credit_cards),
            Range::CreditLimitIncomeShare => decimal(d.credit_limit_income_share),
            Range::TargetUtilization => decimal(d.target_utilization),
            Range::Subscriptions => count(d.subscriptions),
            Range::SavingsIncomeShare => decimal(d.savings_income_share),
            Range::SavingsMonthly => decimal(d.savings_monthly),
            Range::SavingsBalanceMonths => decimal(d.savings_balance_months),
        }
    }

    /// The profile's value for this range; `None` when it does not apply
    /// (no card, no savings account, no income to divide by).
    pub fn measure(self, profile: &UserProfile) -> Option<Decimal> {
        let traits = &profile.characteristics;
        let monthly = profile.monthly_income();
        let balance = |subtype: AccountSubtype| {
            let mut of = profile.accounts.iter().filter(|a| a.subtype == subtype);
            match (of.next(), of.next()) {
                (Some(only), None) => Some(only.balances.current.unwrap_or_default()),
                _ => None,
            }
        };
        let months = |amount: Decimal, of: Decimal| {
            (!of.is_zero()).then(|| amount.checked_div(of).unwrap_or(Decimal::MAX).round_dp(2))
        };
        let cards = || profile.accounts.iter().filter(|a| a.is_credit_card());
        match self {
            Range::AnnualIncome => Some(profile.annual_income),
            Range::MedianGapDays => (traits.pay_frequency == PayFrequency::Irregular)
                .then(|| Decimal::from(traits.median_pay_gap_days)),
            Range::CheckingBufferMonths => months(
                balance(AccountSubtype::Checking)?,
                profile.plan.monthly_expenses,
            ),
            Range::CreditCards => Some(Decimal::from(cards().count())),
            Range::CreditLimitIncomeShare => {
                cards().next()?;
                let total = cards()
                    .filter_map(|a| a.balances.limit)
                    .try_fold(Decimal::ZERO, Decimal::checked_add)
                    .unwrap_or(Decimal::MAX);
                months(total, profile.annual_income)
            }
            Range::TargetUtilization => {
                cards().next()?;
                Some(traits.target_credit_utilization)
            }
            Range::Subscriptions => Some(Decimal::from(traits.subscription_count_target)),
            Range::SavingsIncomeShare => months(traits.target_savings_monthly, monthly),
            Range::SavingsMonthly => Some(traits.target_savings_monthly),
            Range::SavingsBalanceMonths => months(balance(AccountSubtype::Savings)?, monthly),
        }
    }
}

/// What one persona's profiles show for one range.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Covered {
    /// The range's ends, from the definition; `None` when it has none.
    pub bounds: Option<(Decimal, Decimal)>,
    /// Profiles with a value.
    pub measured: u64,
    /// Values outside the range.
    pub outside: u64,
    /// Smallest value seen.
    pub min: Option<Decimal>,
    /// Largest value seen.
    pub max: Option<Decimal>,
    /// Bit `i` set when some value lies in slot `i` of the range: its
    /// tenths (the last includes the maximum), or for a count range of
    /// fewer than ten values, each value ([`Covered::slots`]).
    pub deciles: u16,
    /// Whether the range holds whole numbers (a count).
    pub whole: bool,
}

impl Covered {
    fn push(&mut self, value: Decimal) {
        self.measured += 1;
        self.min = Some(self.min.map_or(value, |m| m.min(value)));
        self.max = Some(self.max.map_or(value, |m| m.max(value)));
        let Some((low, high)) = self.bounds else {
            return;
        };
        if value < low || value > high {
            self.outside += 1;
            return;
        }
        let width = high - low;
        let decile = if width.is_zero() {
            0
        } else if self.slots() < DECILES {
            usize::try_from((value - low).floor().mantissa()).unwrap_or(0)
        } else {
            // Inside the range the ratio is in 0..=1, so this cannot overflow.
            let tenth = ((value - low) * Decimal::TEN / width).floor();
            usize::try_from(tenth.mantissa()).unwrap_or(0)
        };
        self.deciles |= 1 << decile.min(self.slots() - 1);
    }

    /// How many slots coverage is counted in: the values of a count range
    /// of fewer than ten, else ten tenths (one for a one-value range).
    pub fn slots(&self) -> usize {
        match self.bounds {
            Some((low, high)) if low == high => 1,
            Some((low, high)) if self.whole && high - low < Decimal::from(DECILES - 1) => {
                usize::try_from((high - low).mantissa()).map_or(DECILES, |w| w + 1)
            }
            _ => DECILES,
        }
    }

    /// Slots some value hits, of [`Covered::slots`].
    pub fn deciles_hit(&self) -> u32 {
        self.deciles.count_ones()
    }
}

/// Per persona, per range: what the data covers.
#[derive(Debug, Clone)]
pub struct Coverage {
    /// `ranges[persona][range]`, ranges in [`RANGES`] order.
    pub ranges: PerPersona<[Covered; RANGES.len()]>,
    /// Per persona, the regular pay schedules its definition allows, as
    /// `(schedule, profiles seen)`; empty for irregular pay.
    pub schedules: PerPersona<Vec<(PayFrequency, u64)>>,
    /// Per persona, the chance of a savings account its definition states.
    pub savings_account_percent: PerPersona<u8>,
    /// Per persona, profiles counted (overlap profiles are not).
    pub profiles: PerPersona<u64>,
    /// Per persona, those holding a savings account.
    pub with_savings: PerPersona<u64>,
    /// Overlap profiles, not counted above.
    pub overlap_skipped: u64,
}

impl Coverage {
    /// Empty coverage of `personas`' definitions.
    pub fn new(personas: &Personas) -> Coverage {
        fn per<T: Default>(personas: &Personas, f: impl Fn(&PersonaDefinition) -> T) -> [T; 5] {
            PersonaId::ALL.map(|p| {
                let definition = personas.definitions.iter().find(|d| d.id == p);
                definition.map(&f).unwrap_or_default()
            })
        }
        Coverage {
            ranges: per(personas, |d| {
                RANGES.map(|r| Covered {
                    bounds: r.bounds(d),
                    whole: r.is_count(),
                    ..Covered::default()
                })
            }),
            schedules: per(personas, |d| match &d.pay {
                PayPlan::Regular { frequencies } => frequencies.iter().map(|f| (*f, 0)).collect(),
                PayPlan::Irregular { .. } => Vec::new(),
            }),
            savings_account_percent: per(personas, |d| d.savings_account_percent),
            profiles: [0; 5],
            with_savings: [0; 5],
            overlap_skipped: 0,
        }
    }

    /// Measures one profile against its persona's definition.
    pub fn push(&mut self, profile: &UserProfile) {
        if profile.matched_personas.is_some() {
            self.overlap_skipped += 1;
            return;
        }
        let p = profile.persona.index();
        self.profiles[p] += 1;
        let has_savings = profile
            .accounts
            .iter()
            .any(|a| a.subtype == AccountSubtype::Savings);
        self.with_savings[p] += u64::from(has_savings);
        for (range, covered) in RANGES.iter().zip(&mut self.ranges[p]) {
            if let Some(value) = range.measure(profile) {
                covered.push(value);
            }
        }
        let frequency = profile.characteristics.pay_frequency;
        if let Some(seen) = self.schedules[p].iter_mut().find(|(f, _)| *f == frequency) {
            seen.1 += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use spendsense_generator::{Generator, GeneratorConfig, Overlap};

    use super::*;

    #[test]
    fn generated_data_stays_inside_every_range_and_covers_most_of_it() {
        let personas = Personas::spendsense();
        for (seed, count) in [(42, 500), (7, 2_000)] {
            let config = GeneratorConfig {
                overlap: Overlap::parse("0.1").unwrap(),
                ..GeneratorConfig::new(seed, count)
            };
            let mut coverage = Coverage::new(&personas);
            for profile in Generator::new(&config).unwrap().iter() {
                coverage.push(&profile);
            }
            let counted: u64 = coverage.profiles.iter().sum();
            assert_eq!(counted + coverage.overlap_skipped, count);
            assert!(coverage.overlap_skipped > 0);
            for (p, ranges) in coverage.ranges.iter().enumerate() {
                for (range, covered) in RANGES.iter().zip(ranges) {
                    // The clamp may move the savings share out; nothing else leaves.
                    if *range != Range::SavingsIncomeShare {
                        assert_eq!(covered.outside, 0, "{range:?} of persona {p}");
                    }
                    let definition = personas.get(PersonaId::ALL[p]);
                    assert_eq!(covered.bounds, range.bounds(definition));
                    if let (Some((low, high)), Some(min), Some(max)) =
                        (covered.bounds, covered.min, covered.max)
                        && *range != Range::SavingsIncomeShare
                    {
                        assert!(low <= min && max <= high, "{range:?}");
                    }
                }
                // Income is drawn over the whole range: with 100+ profiles a
                // persona hits most tenths of it.
                let income = &ranges[0];
                assert!(income.deciles_hit() >= 6, "{income:?}");
            }
            for p in 0..5 {
                let seen: u64 = coverage.schedules[p].iter().map(|s| s.1).sum();
                assert!(seen <= coverage.profiles[p]);
            }
        }
    }

    #[test]
    fn values_outside_a_range_are_counted_and_deciles_are_exact() {
        let mut covered = Covered {
            bounds: Some((Decimal::ZERO, Decimal::TEN)),
            ..Covered::default()
        };
        for v in [0, 10, 5, 11, -1] {
            covered.push(Decimal::from(v));
        }
        assert_eq!(covered.outside, 2);
        assert_eq!(covered.deciles, 0b10_0010_0001);
        assert_eq!(covered.deciles_hit(), 3);
        assert_eq!(
            (covered.min, covered.max),
            (Some(Decimal::from(-1)), Some(Decimal::from(11)))
        );
        let mut point = Covered {
            bounds: Some((Decimal::ONE, Decimal::ONE)),
            ..Covered::default()
        };
        assert_eq!((point.deciles_hit(), point.slots()), (0, 1));
        point.push(Decimal::ONE);
        assert_eq!(point.deciles_hit(), 1);
        // A small count range is covered value by value.
        let mut cards = Covered {
            bounds: Some((Decimal::ONE, Decimal::from(3))),
            whole: true,
            ..Covered::default()
        };
        assert_eq!(cards.slots(), 3);
        cards.push(Decimal::from(3));
        cards.push(Decimal::ONE);
        assert_eq!((cards.deciles, cards.deciles_hit()), (0b101, 2));
        let wide = Covered {
            bounds: Some((Decimal::ZERO, Decimal::from(45))),
            whole: true,
            ..Covered::default()
        };
        assert_eq!(wide.slots(), DECILES);
    }
}
