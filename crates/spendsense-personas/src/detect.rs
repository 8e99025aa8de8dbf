//! Detection: the criteria the SpendSense pipeline uses to assign personas,
//! applied to a profile's planned signals.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use spendsense_schema::{AccountSubtype, PersonaId, UserProfile};

/// The signals detection looks at, as a profile plans them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedSignals {
    /// Highest `current / limit` over the user's credit cards; `None` without cards.
    pub max_card_utilization: Option<Decimal>,
    /// Checking `current` divided by monthly income, in months.
    pub checking_buffer_months: Decimal,
    /// Median days between paychecks.
    pub median_pay_gap_days: u16,
    /// Distinct recurring merchants.
    pub recurring_merchants: u16,
    /// Whether the user has a savings account.
    pub has_savings_account: bool,
    /// Planned monthly savings transfer; it is an inflow only into a savings account.
    pub savings_transfer_monthly: Decimal,
}

impl PlannedSignals {
    /// Reads the planned signals off a profile.
    pub fn of(profile: &UserProfile) -> PlannedSignals {
        let max_card_utilization = profile
            .accounts
            .iter()
            .filter(|a| a.is_credit_card())
            .map(|a| a.utilization().unwrap_or(Decimal::ZERO))
            .max();
        let checking: Decimal = profile
            .accounts_of(AccountSubtype::Checking)
            .filter_map(|a| a.balances.current)
            .try_fold(Decimal::ZERO, Decimal::checked_add)
            .unwrap_or(Decimal::MAX);
        let checking_buffer_months = if profile.annual_income > Decimal::ZERO {
            // Absurd balances saturate rather than overflow: they are far
            // outside every persona's range either way.
            (checking.checked_mul(Decimal::from(12)))
                .and_then(|yearly| yearly.checked_div(profile.annual_income))
                .unwrap_or(Decimal::MAX)
        } else {
            Decimal::ZERO
        };
        let traits = &profile.characteristics;
        PlannedSignals {
            max_card_utilization,
            checking_buffer_months,
            median_pay_gap_days: traits.median_pay_gap_days,
            recurring_merchants: u16::from(traits.subscription_count_target),
            has_savings_account: profile
                .accounts_of(AccountSubtype::Savings)
                .next()
                .is_some(),
            savings_transfer_monthly: traits.target_savings_monthly,
        }
    }

    /// Monthly savings inflow: the planned transfer when there is a savings account, else 0.
    pub fn savings_inflow_monthly(&self) -> Decimal {
        if self.has_savings_account {
            self.savings_transfer_monthly
        } else {
            Decimal::ZERO
        }
    }
}

impl fmt::Display for PlannedSignals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.max_card_utilization {
            Some(utilization) => write!(f, "highest card utilization {utilization}")?,
            None => f.write_str("no credit card")?,
        }
        write!(
            f,
            ", checking buffer {} months, median pay gap {} days, {} recurring merchants, {}, savings transfer ${}/month",
            self.checking_buffer_months,
            self.median_pay_gap_days,
            self.recurring_merchants,
            if self.has_savings_account {
                "a savings account"
            } else {
                "no savings account"
            },
            self.savings_transfer_monthly
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
    /// Savings Builder: savings inflow of at least this many dollars a month (200).
    #[serde(with = "spendsense_schema::money")]
    pub savings_builder_min_inflow: Decimal,
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
            savings_builder_min_inflow: Decimal::from(200),
            savings_builder_utilization_below: Decimal::new(30, 2),
        }
    }

    /// Whether `signals` meet `persona`'s criteria. Control matches when no persona does.
    pub fn matches(&self, persona: PersonaId, signals: &PlannedSignals) -> bool {
        match persona {
            PersonaId::HighUtilization => signals
                .max_card_utilization
                .is_some_and(|u| u >= self.high_utilization_min),
            PersonaId::VariableIncome => {
                signals.median_pay_gap_days > self.variable_income_gap_above_days
                    && signals.checking_buffer_months < self.variable_income_buffer_below_months
            }
            PersonaId::SubscriptionHeavy => {
                signals.recurring_merchants >= self.subscription_heavy_min_merchants
            }
            PersonaId::SavingsBuilder => {
                signals.has_savings_account
                    && signals.savings_inflow_monthly() >= self.savings_builder_min_inflow
                    && signals
                        .max_card_utilization
                        .is_none_or(|u| u < self.savings_builder_utilization_below)
            }
            PersonaId::Control => self.classify(signals).is_empty(),
        }
    }

    /// Every persona whose criteria `signals` meet; empty means control.
    pub fn classify(&self, signals: &PlannedSignals) -> PersonaSet {
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
pub fn classify(signals: &PlannedSignals) -> PersonaSet {
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
