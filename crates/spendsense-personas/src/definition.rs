//! Persona definitions: the ranges a persona's profiles are drawn from.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use spendsense_schema::{PayFrequency, PersonaId};

use crate::{CountRange, DecimalRange};

/// How a persona is paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "schedule", rename_all = "snake_case", deny_unknown_fields)]
pub enum PayPlan {
    /// Paid on a fixed schedule; the median gap is the schedule's nominal gap.
    Regular {
        /// The schedules a user may have (never `irregular`).
        frequencies: Vec<PayFrequency>,
    },
    /// Paid irregularly with a median gap in this range of days.
    Irregular {
        /// Median days between paychecks.
        median_gap_days: CountRange,
    },
}

impl PayPlan {
    /// Every median pay gap, in days, this plan can produce, as range ends.
    pub fn gap_days_extremes(&self) -> Vec<u16> {
        match self {
            PayPlan::Regular { frequencies } => frequencies
                .iter()
                .filter_map(|f| f.nominal_gap_days())
                .collect(),
            PayPlan::Irregular { median_gap_days } => {
                vec![median_gap_days.min, median_gap_days.max]
            }
        }
    }
}

/// Everything the generator draws for one persona, and the validator checks.
///
/// Amounts are dollars; `*_months` are multiples of monthly income
/// (`annual_income / 12`); `*_share` are fractions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonaDefinition {
    /// Which persona this defines.
    pub id: PersonaId,
    /// Human title, e.g. `High Utilization`.
    pub title: String,
    /// One sentence on who these users are.
    pub summary: String,
    /// Gross annual income, drawn right-skewed within the range.
    pub annual_income: DecimalRange,
    /// Pay schedule.
    pub pay: PayPlan,
    /// Checking balance as months of income.
    pub checking_buffer_months: DecimalRange,
    /// Number of credit cards.
    pub credit_cards: CountRange,
    /// Total credit limit as a share of annual income (each card's limit rounds to $100).
    pub credit_limit_income_share: DecimalRange,
    /// The profile's target utilization (`target_credit_utilization`).
    pub target_utilization: DecimalRange,
    /// How far each card's `current / limit` may sit from the target, either way.
    #[serde(with = "spendsense_schema::money")]
    pub utilization_jitter: Decimal,
    /// Recurring merchants (`subscription_count_target`).
    pub subscriptions: CountRange,
    /// Planned monthly savings as a share of monthly income, before `savings_monthly` clamps it.
    pub savings_income_share: DecimalRange,
    /// Bounds of the planned monthly savings transfer, in dollars.
    pub savings_monthly: DecimalRange,
    /// Chance, in percent, that the user has a savings account (100 = always, 0 = never).
    pub savings_account_percent: u8,
    /// Savings balance as months of income, when there is a savings account.
    pub savings_balance_months: DecimalRange,
}

/// The pay schedules of salaried users.
fn regular_pay() -> PayPlan {
    PayPlan::Regular {
        frequencies: vec![
            PayFrequency::Weekly,
            PayFrequency::Biweekly,
            PayFrequency::Semimonthly,
            PayFrequency::Monthly,
        ],
    }
}

fn dollars(min: i64, max: i64) -> DecimalRange {
    DecimalRange {
        min: Decimal::from(min),
        max: Decimal::from(max),
    }
}

fn hundredths(min: i64, max: i64) -> DecimalRange {
    DecimalRange::hundredths(min, max)
}

/// SpendSense's default persona definitions, in priority order.
///
/// Ranges keep clear of every detection threshold (see `docs/personas.md`), so
/// the jitter and rounding of generation cannot tip a profile into another persona.
pub fn default_definitions() -> Vec<PersonaDefinition> {
    // Savings transfers of any size can grow a small savings balance past 2% in a
    // window, so users outside Savings Builder move no money to savings.
    let no_savings_habit = (hundredths(0, 0), dollars(0, 0));
    vec![
        PersonaDefinition {
            id: PersonaId::HighUtilization,
            title: "High Utilization".into(),
            summary: "Carries card balances at 60-80% of high limits; a thin checking buffer."
                .into(),
            annual_income: dollars(35_000, 110_000),
            pay: regular_pay(),
            checking_buffer_months: hundredths(20, 90),
            credit_cards: CountRange::new(1, 2),
            credit_limit_income_share: hundredths(30, 50),
            target_utilization: hundredths(60, 80),
            utilization_jitter: Decimal::new(4, 2),
            subscriptions: CountRange::new(0, 2),
            savings_income_share: no_savings_habit.0,
            savings_monthly: no_savings_habit.1,
            savings_account_percent: 40,
            savings_balance_months: hundredths(10, 100),
        },
        PersonaDefinition {
            id: PersonaId::VariableIncome,
            title: "Variable Income".into(),
            summary:
                "Gig or contract pay with median gaps of 46-90 days and under a month of buffer."
                    .into(),
            annual_income: dollars(20_000, 120_000),
            pay: PayPlan::Irregular {
                median_gap_days: CountRange::new(46, 90),
            },
            checking_buffer_months: hundredths(10, 80),
            credit_cards: CountRange::new(0, 1),
            credit_limit_income_share: hundredths(5, 20),
            target_utilization: hundredths(5, 40),
            utilization_jitter: Decimal::new(4, 2),
            subscriptions: CountRange::new(0, 2),
            savings_income_share: no_savings_habit.0,
            savings_monthly: no_savings_habit.1,
            savings_account_percent: 30,
            savings_balance_months: hundredths(5, 50),
        },
        PersonaDefinition {
            id: PersonaId::SubscriptionHeavy,
            title: "Subscription-Heavy".into(),
            summary:
                "Pays 5-10 recurring merchants (streaming, gym, software) from a steady salary."
                    .into(),
            annual_income: dollars(40_000, 150_000),
            pay: regular_pay(),
            checking_buffer_months: hundredths(110, 300),
            credit_cards: CountRange::new(1, 1),
            credit_limit_income_share: hundredths(10, 25),
            target_utilization: hundredths(5, 40),
            utilization_jitter: Decimal::new(4, 2),
            subscriptions: CountRange::new(5, 10),
            savings_income_share: no_savings_habit.0,
            savings_monthly: no_savings_habit.1,
            savings_account_percent: 50,
            savings_balance_months: hundredths(25, 200),
        },
        PersonaDefinition {
            id: PersonaId::SavingsBuilder,
            title: "Savings Builder".into(),
            summary: "Moves 5-15% of income into a well-funded savings account; cards under 25%."
                .into(),
            annual_income: dollars(60_000, 200_000),
            pay: regular_pay(),
            checking_buffer_months: hundredths(150, 600),
            credit_cards: CountRange::new(1, 1),
            credit_limit_income_share: hundredths(10, 25),
            target_utilization: hundredths(5, 20),
            utilization_jitter: Decimal::new(4, 2),
            subscriptions: CountRange::new(0, 2),
            savings_income_share: hundredths(5, 15),
            savings_monthly: dollars(250, 3_000),
            savings_account_percent: 100,
            savings_balance_months: hundredths(300, 1200),
        },
        PersonaDefinition {
            id: PersonaId::Control,
            title: "Control".into(),
            summary: "Moderate, steady finances that trigger no persona.".into(),
            annual_income: dollars(20_000, 200_000),
            pay: regular_pay(),
            checking_buffer_months: hundredths(100, 250),
            credit_cards: CountRange::new(0, 2),
            credit_limit_income_share: hundredths(10, 25),
            target_utilization: hundredths(5, 40),
            utilization_jitter: Decimal::new(4, 2),
            subscriptions: CountRange::new(0, 2),
            savings_income_share: no_savings_habit.0,
            savings_monthly: no_savings_habit.1,
            savings_account_percent: 50,
            savings_balance_months: hundredths(25, 200),
        },
    ]
}
