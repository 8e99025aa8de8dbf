//! Every threshold test of the four persona rules, and how each persona's
//! profiles fare against each one in both windows.
//!
//! A rule combines tests ([`TESTS`]): High Utilization is any of four,
//! Variable Income both of two, and so on. Each test reads its threshold from
//! [`Criteria`] when it is built ([`Test::of`]), so a changed definition file
//! moves every number on the page; a test in this module checks that the
//! tests, combined as each rule combines them, classify exactly as
//! [`Criteria::matches`] does.

use rust_decimal::Decimal;
use spendsense_personas::{Criteria, Signals};
use spendsense_schema::{PersonaId, UserProfile};

use super::{PerPersona, WINDOWS};

/// One signal of [`Signals`] that some rule tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// `max_card_utilization` (a share; absent without cards).
    Utilization,
    /// `interest_charged`, in dollars.
    Interest,
    /// `minimum_payment_only` (a flag).
    MinimumPaymentOnly,
    /// `overdue` (a flag).
    Overdue,
    /// `median_pay_gap_days`, in days.
    PayGap,
    /// `checking_buffer_months`, in months.
    Buffer,
    /// `recurring_merchants`, a count.
    RecurringMerchants,
    /// `recurring_monthly_spend`, in dollars a month.
    RecurringSpend,
    /// `recurring_spend_share`, a share.
    SpendShare,
    /// `savings_inflow_monthly`, in dollars a month.
    SavingsInflow,
    /// `savings_growth`, a share.
    SavingsGrowth,
}

/// How a signal's value is read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A fraction shown as a percentage.
    Share,
    /// Dollars.
    Dollars,
    /// Days.
    Days,
    /// Months.
    Months,
    /// A whole count.
    Count,
    /// True or false (1 or 0).
    Flag,
}

impl Signal {
    /// The signal's value; `None` only for utilization without a card. Flags are 1 or 0.
    pub fn value(self, s: &Signals) -> Option<Decimal> {
        let flag = |b: bool| Decimal::from(u8::from(b));
        Some(match self {
            Signal::Utilization => return s.max_card_utilization,
            Signal::Interest => s.interest_charged,
            Signal::MinimumPaymentOnly => flag(s.minimum_payment_only),
            Signal::Overdue => flag(s.overdue),
            Signal::PayGap => s.median_pay_gap_days,
            Signal::Buffer => s.checking_buffer_months,
            Signal::RecurringMerchants => Decimal::from(s.recurring_merchants),
            Signal::RecurringSpend => s.recurring_monthly_spend,
            Signal::SpendShare => s.recurring_spend_share,
            Signal::SavingsInflow => s.savings_inflow_monthly,
            Signal::SavingsGrowth => s.savings_growth,
        })
    }

    /// The unit the value is in.
    pub fn unit(self) -> Unit {
        match self {
            Signal::Utilization | Signal::SpendShare | Signal::SavingsGrowth => Unit::Share,
            Signal::Interest | Signal::RecurringSpend | Signal::SavingsInflow => Unit::Dollars,
            Signal::MinimumPaymentOnly | Signal::Overdue => Unit::Flag,
            Signal::PayGap => Unit::Days,
            Signal::Buffer => Unit::Months,
            Signal::RecurringMerchants => Unit::Count,
        }
    }

    /// What the signal is, as the page names it.
    pub fn name(self) -> &'static str {
        match self {
            Signal::Utilization => "highest card utilization",
            Signal::Interest => "interest charged",
            Signal::MinimumPaymentOnly => "minimum payments only",
            Signal::Overdue => "overdue",
            Signal::PayGap => "median pay gap",
            Signal::Buffer => "checking buffer",
            Signal::RecurringMerchants => "recurring merchants",
            Signal::RecurringSpend => "recurring spend a month",
            Signal::SpendShare => "recurring share of spend",
            Signal::SavingsInflow => "savings inflow a month",
            Signal::SavingsGrowth => "savings growth",
        }
    }
}

/// How a test compares the signal with its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `value ≥ threshold`.
    AtLeast,
    /// `value > threshold`.
    Above,
    /// `value < threshold`.
    Below,
    /// The flag is set (the threshold is 1).
    IsSet,
}

impl Comparison {
    /// The operator as the page writes it.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::AtLeast => "≥",
            Comparison::Above => ">",
            Comparison::Below => "<",
            Comparison::IsSet => "is",
        }
    }
}

/// A test's identity: which persona's rule, which signal, how compared.
/// [`Test::of`] adds the threshold from the criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TestKind {
    /// The persona whose rule this test belongs to.
    pub persona: PersonaId,
    /// The signal tested.
    pub signal: Signal,
    /// The comparison.
    pub comparison: Comparison,
}

const fn kind(persona: PersonaId, signal: Signal, comparison: Comparison) -> TestKind {
    TestKind {
        persona,
        signal,
        comparison,
    }
}

/// Every test of every rule, grouped by persona in priority order.
pub const TESTS: [TestKind; 12] = {
    use Comparison::*;
    use PersonaId::*;
    use Signal::*;
    [
        kind(HighUtilization, Utilization, AtLeast),
        kind(HighUtilization, Interest, Above),
        kind(HighUtilization, MinimumPaymentOnly, IsSet),
        kind(HighUtilization, Overdue, IsSet),
        kind(VariableIncome, PayGap, Above),
        kind(VariableIncome, Buffer, Below),
        kind(SubscriptionHeavy, RecurringMerchants, AtLeast),
        kind(SubscriptionHeavy, RecurringSpend, AtLeast),
        kind(SubscriptionHeavy, SpendShare, AtLeast),
        kind(SavingsBuilder, SavingsInflow, AtLeast),
        kind(SavingsBuilder, SavingsGrowth, AtLeast),
        kind(SavingsBuilder, Utilization, Below),
    ]
};

/// One test with its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Test {
    /// Which test.
    pub kind: TestKind,
    /// The threshold, read from the criteria (1 for a flag, 0 for interest:
    /// the rule asks for any interest at all).
    pub threshold: Decimal,
}

impl Test {
    /// The test `kind` with its threshold from `criteria`.
    pub fn of(kind: TestKind, criteria: &Criteria) -> Test {
        use Signal::*;
        let threshold = match (kind.persona, kind.signal) {
            (PersonaId::SavingsBuilder, Utilization) => criteria.savings_builder_utilization_below,
            (_, Utilization) => criteria.high_utilization_min,
            (_, Interest) => Decimal::ZERO,
            (_, MinimumPaymentOnly | Overdue) => Decimal::ONE,
            (_, PayGap) => Decimal::from(criteria.variable_income_gap_above_days),
            (_, Buffer) => criteria.variable_income_buffer_below_months,
            (_, RecurringMerchants) => Decimal::from(criteria.subscription_heavy_min_merchants),
            (_, RecurringSpend) => criteria.subscription_heavy_min_monthly_spend,
            (_, SpendShare) => criteria.subscription_heavy_min_spend_share,
            (_, SavingsInflow) => criteria.savings_builder_min_inflow,
            (_, SavingsGrowth) => criteria.savings_builder_min_growth,
        };
        Test { kind, threshold }
    }

    /// Every test of [`TESTS`] for `criteria`.
    pub fn all(criteria: &Criteria) -> [Test; TESTS.len()] {
        TESTS.map(|kind| Test::of(kind, criteria))
    }

    /// Whether `signals` pass. No card passes "every card below" and fails
    /// "some card at least", as in [`Criteria::matches`].
    pub fn passes(&self, signals: &Signals) -> bool {
        let Some(value) = self.kind.signal.value(signals) else {
            return self.kind.comparison == Comparison::Below;
        };
        match self.kind.comparison {
            Comparison::AtLeast => value >= self.threshold,
            Comparison::Above => value > self.threshold,
            Comparison::Below => value < self.threshold,
            Comparison::IsSet => value >= self.threshold,
        }
    }
}

/// What one test saw in one window for one persona's profiles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Seen {
    /// Profiles that pass the test.
    pub passed: u64,
    /// Profiles with a value (all but cardless ones for utilization).
    pub measured: u64,
    /// Smallest value seen.
    pub min: Option<Decimal>,
    /// Largest value seen.
    pub max: Option<Decimal>,
}

impl Seen {
    fn push(&mut self, value: Option<Decimal>, passed: bool) {
        self.passed += u64::from(passed);
        if let Some(v) = value {
            self.measured += 1;
            self.min = Some(self.min.map_or(v, |m| m.min(v)));
            self.max = Some(self.max.map_or(v, |m| m.max(v)));
        }
    }
}

/// Per test, per window, per persona of the file: what the profiles showed.
#[derive(Debug, Clone)]
pub struct RuleStats {
    /// The tests, in [`TESTS`] order.
    pub tests: [Test; TESTS.len()],
    /// `seen[test][window][persona]`, windows in [`WINDOWS`] order.
    pub seen: [[PerPersona<Seen>; 2]; TESTS.len()],
}

impl RuleStats {
    /// Empty statistics for `criteria`.
    pub fn new(criteria: &Criteria) -> RuleStats {
        RuleStats {
            tests: Test::all(criteria),
            seen: [[[Seen::default(); 5]; 2]; TESTS.len()],
        }
    }

    /// Counts one profile, whose two windows' signals are `signals`.
    pub fn push(&mut self, profile: &UserProfile, signals: &[Signals; 2]) {
        let p = profile.persona.index();
        for (test, seen) in self.tests.iter().zip(&mut self.seen) {
            for (w, s) in signals.iter().enumerate() {
                seen[w][p].push(test.kind.signal.value(s), test.passes(s));
            }
        }
    }

    /// The signals of `profile` in both windows, read through [`Signals::in_window`].
    pub fn signals_of(profile: &UserProfile) -> [Signals; 2] {
        WINDOWS.map(|w| Signals::in_window(profile, w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rule as its tests combine, written from `docs/personas.md`.
    fn combined(tests: &[Test], persona: PersonaId, s: &Signals) -> bool {
        let pass = |signal: Signal| {
            tests
                .iter()
                .filter(|t| t.kind.persona == persona && t.kind.signal == signal)
                .all(|t| t.passes(s))
        };
        use Signal::*;
        match persona {
            PersonaId::HighUtilization => {
                pass(Utilization) || pass(Interest) || pass(MinimumPaymentOnly) || pass(Overdue)
            }
            PersonaId::VariableIncome => pass(PayGap) && pass(Buffer),
            PersonaId::SubscriptionHeavy => {
                pass(RecurringMerchants) && (pass(RecurringSpend) || pass(SpendShare))
            }
            PersonaId::SavingsBuilder => {
                (pass(SavingsInflow) || pass(SavingsGrowth)) && pass(Utilization)
            }
            PersonaId::Control => unreachable!("control has no tests"),
        }
    }

    /// Signals whose every value sits on, just below or just above a
    /// threshold, the sides chosen by `sides` (one entry per signal).
    fn near(criteria: &Criteria, sides: [u64; 12]) -> Signals {
        let at = |i: usize, t: Decimal| match sides[i] % 3 {
            0 => t - Decimal::new(1, 2),
            1 => t,
            _ => t + Decimal::new(1, 2),
        };
        let utilization = match sides[0] % 3 {
            0 => None,
            1 => Some(at(1, criteria.high_utilization_min)),
            _ => Some(at(1, criteria.savings_builder_utilization_below)),
        };
        let side = u16::try_from(sides[2] % 3).unwrap_or(0);
        Signals {
            max_card_utilization: utilization,
            interest_charged: at(3, Decimal::ZERO).max(Decimal::ZERO),
            minimum_payment_only: sides[4].is_multiple_of(2),
            overdue: sides[5].is_multiple_of(2),
            checking_buffer_months: at(6, criteria.variable_income_buffer_below_months),
            median_pay_gap_days: at(7, Decimal::from(criteria.variable_income_gap_above_days)),
            recurring_merchants: (criteria.subscription_heavy_min_merchants + 1)
                .saturating_sub(side),
            recurring_monthly_spend: at(8, criteria.subscription_heavy_min_monthly_spend),
            recurring_spend_share: at(9, criteria.subscription_heavy_min_spend_share),
            savings_inflow_monthly: at(10, criteria.savings_builder_min_inflow),
            savings_growth: at(11, criteria.savings_builder_min_growth),
        }
    }

    #[test]
    fn tests_combined_as_each_rule_classify_as_the_criteria() {
        let mut changed = Criteria::spendsense();
        changed.high_utilization_min = Decimal::new(65, 2);
        changed.variable_income_gap_above_days = 30;
        changed.subscription_heavy_min_merchants = 5;
        changed.savings_builder_min_growth = Decimal::new(35, 3);
        for criteria in [Criteria::spendsense(), changed] {
            let tests = Test::all(&criteria);
            // A small xorshift: enough to reach every combination of sides.
            let mut state = 0x9E37_79B9_7F4A_7C15_u64;
            let mut pick = || {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state
            };
            for _ in 0..20_000 {
                let s = near(&criteria, std::array::from_fn(|_| pick()));
                for persona in PersonaId::ALL.into_iter().take(4) {
                    assert_eq!(
                        combined(&tests, persona, &s),
                        criteria.matches(persona, &s),
                        "{persona} on {s}"
                    );
                }
            }
        }
    }

    #[test]
    fn thresholds_come_from_the_criteria() {
        let criteria = Criteria::spendsense();
        let tests = Test::all(&criteria);
        let find = |persona: PersonaId, signal: Signal| {
            tests
                .iter()
                .find(|t| t.kind.persona == persona && t.kind.signal == signal)
                .unwrap()
                .threshold
        };
        assert_eq!(
            find(PersonaId::HighUtilization, Signal::Utilization),
            criteria.high_utilization_min
        );
        assert_eq!(
            find(PersonaId::SavingsBuilder, Signal::Utilization),
            criteria.savings_builder_utilization_below
        );
        // Every rule but control's has a test.
        for persona in PersonaId::ALL.into_iter().take(4) {
            assert!(tests.iter().any(|t| t.kind.persona == persona));
        }
    }

    #[test]
    fn every_profile_passes_its_own_rule_in_both_windows() {
        for (seed, count) in [(1, 60), (9, 250)] {
            let config = spendsense_generator::GeneratorConfig::new(seed, count);
            let criteria = Criteria::spendsense();
            let mut stats = RuleStats::new(&criteria);
            let mut counts = [0u64; 5];
            for profile in spendsense_generator::Generator::new(&config)
                .unwrap()
                .iter()
            {
                counts[profile.persona.index()] += 1;
                stats.push(&profile, &RuleStats::signals_of(&profile));
            }
            for (test, seen) in stats.tests.iter().zip(&stats.seen) {
                for window in seen {
                    let total: u64 = window.iter().map(|s| s.measured).sum();
                    if test.kind.signal != Signal::Utilization {
                        assert_eq!(total, count, "{test:?}");
                    }
                    for (p, s) in window.iter().enumerate() {
                        assert!(s.passed <= counts[p]);
                        if let (Some(min), Some(max)) = (s.min, s.max) {
                            assert!(min <= max);
                        }
                    }
                }
            }
            // Variable Income needs both of its tests: all its profiles pass each.
            let vi = PersonaId::VariableIncome.index();
            for (test, seen) in stats.tests.iter().zip(&stats.seen) {
                if test.kind.persona == PersonaId::VariableIncome {
                    assert_eq!(seen[0][vi].passed, counts[vi]);
                    assert_eq!(seen[1][vi].passed, counts[vi]);
                }
            }
        }
    }
}
