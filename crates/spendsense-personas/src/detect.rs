//! Detection: the criteria the SpendSense pipeline uses to assign personas,
//! applied to a profile's planned signals.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use spendsense_schema::{PersonaId, UserProfile};

use crate::Window;

/// The signals detection looks at in one window, as a profile's dated plan
/// produces them (see [`Signals::in_window`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signals {
    /// Highest `current / limit` over the user's credit cards; `None` without cards.
    pub max_card_utilization: Option<Decimal>,
    /// Interest charged on the user's cards in the window, in dollars.
    pub interest_charged: Decimal,
    /// Whether some card is paid only its minimum each month.
    pub minimum_payment_only: bool,
    /// Whether some card is overdue (Plaid's `is_overdue`).
    pub overdue: bool,
    /// Checking balance divided by average monthly expenses, in months.
    pub checking_buffer_months: Decimal,
    /// Median days between the paychecks of the history ending with the window;
    /// 0 with fewer than two paychecks.
    pub median_pay_gap_days: Decimal,
    /// Recurring subscription merchants: at least three charges in the 90 days
    /// ending with the window, at a monthly or weekly cadence, housing and
    /// bills excluded.
    pub recurring_merchants: u16,
    /// What the recurring merchants cost a month, in dollars.
    pub recurring_monthly_spend: Decimal,
    /// `recurring_monthly_spend` as a share of the window's total monthly spend.
    pub recurring_spend_share: Decimal,
    /// Net inflow into savings accounts, per 30 days of the window, in dollars.
    pub savings_inflow_monthly: Decimal,
    /// Growth of the savings balance over the window (0.02 = 2%); 0 without savings.
    pub savings_growth: Decimal,
}

impl Signals {
    /// The signals of the 180-day window ending at the plan's `as_of`.
    pub fn of(profile: &UserProfile) -> Signals {
        Signals::in_window(profile, Window::Long)
    }
}

impl fmt::Display for Signals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.max_card_utilization {
            Some(utilization) => write!(f, "highest card utilization {utilization}")?,
            None => f.write_str("no credit card")?,
        }
        write!(
            f,
            ", interest ${}, {}{}checking buffer {} months, median pay gap {} days, {} recurring merchants at ${}/month ({} of spend), savings inflow ${}/month, savings growth {}",
            self.interest_charged,
            if self.minimum_payment_only {
                "minimum payments only, "
            } else {
                ""
            },
            if self.overdue { "overdue, " } else { "" },
            self.checking_buffer_months,
            self.median_pay_gap_days,
            self.recurring_merchants,
            self.recurring_monthly_spend,
            self.recurring_spend_share,
            self.savings_inflow_monthly,
            self.savings_growth,
        )
    }
}

/// Thresholds of the SpendSense persona definitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criteria {
    /// High Utilization: some card at or above this utilization (0.50).
    #[serde(with = "spendsense_schema::money")]
    pub high_utilization_min: Decimal,
    /// Variable Income: median pay gap strictly above this many days (45).
    pub variable_income_gap_above_days: u16,
    /// Variable Income: checking buffer strictly below this many months (1).
    #[serde(with = "spendsense_schema::money")]
    pub variable_income_buffer_below_months: Decimal,
    /// Subscription-Heavy: at least this many recurring merchants (3).
    pub subscription_heavy_min_merchants: u16,
    /// Subscription-Heavy: and recurring spend of at least this many dollars a month (50)…
    #[serde(with = "spendsense_schema::money")]
    pub subscription_heavy_min_monthly_spend: Decimal,
    /// …or at least this share of total spend (0.10).
    #[serde(with = "spendsense_schema::money")]
    pub subscription_heavy_min_spend_share: Decimal,
    /// Savings Builder: savings inflow of at least this many dollars a month (200)…
    #[serde(with = "spendsense_schema::money")]
    pub savings_builder_min_inflow: Decimal,
    /// …or savings growth of at least this share over the window (0.02).
    #[serde(with = "spendsense_schema::money")]
    pub savings_builder_min_growth: Decimal,
    /// Savings Builder: every card strictly below this utilization (0.30).
    #[serde(with = "spendsense_schema::money")]
    pub savings_builder_utilization_below: Decimal,
}

impl Criteria {
    /// SpendSense's persona definitions.
    pub fn spendsense() -> Criteria {
        Criteria {
            high_utilization_min: Decimal::new(50, 2),
            variable_income_gap_above_days: 45,
            variable_income_buffer_below_months: Decimal::ONE,
            subscription_heavy_min_merchants: 3,
            subscription_heavy_min_monthly_spend: Decimal::from(50),
            subscription_heavy_min_spend_share: Decimal::new(10, 2),
            savings_builder_min_inflow: Decimal::from(200),
            savings_builder_min_growth: Decimal::new(2, 2),
            savings_builder_utilization_below: Decimal::new(30, 2),
        }
    }

    /// Whether `signals` meet `persona`'s criteria. Control matches when no persona does.
    pub fn matches(&self, persona: PersonaId, signals: &Signals) -> bool {
        match persona {
            PersonaId::HighUtilization => {
                signals
                    .max_card_utilization
                    .is_some_and(|u| u >= self.high_utilization_min)
                    || signals.interest_charged > Decimal::ZERO
                    || signals.minimum_payment_only
                    || signals.overdue
            }
            PersonaId::VariableIncome => {
                signals.median_pay_gap_days > Decimal::from(self.variable_income_gap_above_days)
                    && signals.checking_buffer_months < self.variable_income_buffer_below_months
            }
            PersonaId::SubscriptionHeavy => {
                signals.recurring_merchants >= self.subscription_heavy_min_merchants
                    && (signals.recurring_monthly_spend
                        >= self.subscription_heavy_min_monthly_spend
                        || signals.recurring_spend_share >= self.subscription_heavy_min_spend_share)
            }
            PersonaId::SavingsBuilder => {
                (signals.savings_inflow_monthly >= self.savings_builder_min_inflow
                    || signals.savings_growth >= self.savings_builder_min_growth)
                    && signals
                        .max_card_utilization
                        .is_none_or(|u| u < self.savings_builder_utilization_below)
            }
            PersonaId::Control => self.classify(signals).is_empty(),
        }
    }

    /// Every persona whose criteria `signals` meet; empty means control.
    pub fn classify(&self, signals: &Signals) -> PersonaSet {
        let mut set = PersonaSet::EMPTY;
        for persona in PersonaId::ALL {
            if persona != PersonaId::Control && self.matches(persona, signals) {
                set.insert(persona);
            }
        }
        set
    }
}

/// Classifies with SpendSense's criteria: the personas `signals` trigger, empty for control.
pub fn classify(signals: &Signals) -> PersonaSet {
    Criteria::spendsense().classify(signals)
}

/// A set of personas, iterated in priority order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PersonaSet(u8);

impl PersonaSet {
    /// No persona: what control users classify to.
    pub const EMPTY: PersonaSet = PersonaSet(0);

    /// The set holding only `persona`, or empty for control.
    pub fn only(persona: PersonaId) -> PersonaSet {
        let mut set = PersonaSet::EMPTY;
        if persona != PersonaId::Control {
            set.insert(persona);
        }
        set
    }

    /// The personas `profile` is labelled to meet: its `matched_personas`
    /// for an overlap profile, else its own persona (none for control).
    pub fn expected_of(profile: &UserProfile) -> PersonaSet {
        match &profile.matched_personas {
            Some(matched) => {
                let mut set = PersonaSet::EMPTY;
                matched.iter().for_each(|persona| set.insert(*persona));
                set
            }
            None => PersonaSet::only(profile.persona),
        }
    }

    /// Adds `persona`.
    pub fn insert(&mut self, persona: PersonaId) {
        self.0 |= 1 << persona.index();
    }

    /// Whether `persona` is in the set.
    pub fn contains(self, persona: PersonaId) -> bool {
        self.0 & (1 << persona.index()) != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Members in priority order (High Utilization first).
    pub fn iter(self) -> impl Iterator<Item = PersonaId> {
        PersonaId::ALL
            .into_iter()
            .filter(move |p| self.contains(*p))
    }

    /// The highest-priority member, `Control` when empty.
    pub fn primary(self) -> PersonaId {
        self.iter().next().unwrap_or(PersonaId::Control)
    }
}

impl fmt::Display for PersonaSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("{}");
        }
        let names: Vec<&str> = self.iter().map(PersonaId::as_str).collect();
        write!(f, "{{{}}}", names.join(", "))
    }
}
