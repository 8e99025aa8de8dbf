//! The synthetic user profile record.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{Account, Error};

/// A persona, or the control group, as spelled on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PersonaId {
    /// Carries high balances relative to credit limits.
    HighUtilization,
    /// Paid irregularly with little cash buffer.
    VariableIncome,
    /// Pays many recurring merchants.
    SubscriptionHeavy,
    /// Saves steadily and keeps card balances low.
    SavingsBuilder,
    /// Triggers no persona.
    Control,
}

impl PersonaId {
    /// Every id, in the order personas are listed and prioritised.
    pub const ALL: [PersonaId; 5] = [
        PersonaId::HighUtilization,
        PersonaId::VariableIncome,
        PersonaId::SubscriptionHeavy,
        PersonaId::SavingsBuilder,
        PersonaId::Control,
    ];

    /// The wire spelling, e.g. `high_utilization`.
    pub fn as_str(self) -> &'static str {
        match self {
            PersonaId::HighUtilization => "high_utilization",
            PersonaId::VariableIncome => "variable_income",
            PersonaId::SubscriptionHeavy => "subscription_heavy",
            PersonaId::SavingsBuilder => "savings_builder",
            PersonaId::Control => "control",
        }
    }

    /// Position in [`PersonaId::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for PersonaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of a persona id that is not one of [`PersonaId::ALL`]: always
/// [`Error::UnknownPersona`]. An alias kept for existing callers.
pub type UnknownPersona = Error;

impl FromStr for PersonaId {
    type Err = UnknownPersona;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PersonaId::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| Error::UnknownPersona(s.to_string()))
    }
}

/// Whether pay arrives on a fixed schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum IncomeStability {
    /// Paychecks on a fixed schedule.
    Regular,
    /// Gig or contract income with uneven gaps.
    Irregular,
}

impl IncomeStability {
    /// The wire spelling, e.g. `regular`.
    pub fn as_str(self) -> &'static str {
        match self {
            IncomeStability::Regular => "regular",
            IncomeStability::Irregular => "irregular",
        }
    }
}

/// How often pay arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PayFrequency {
    /// Every 7 days.
    Weekly,
    /// Every 14 days.
    Biweekly,
    /// Twice a month (about every 15 days).
    Semimonthly,
    /// Once a month (about every 30 days).
    Monthly,
    /// No fixed schedule.
    Irregular,
}

impl PayFrequency {
    /// The wire spelling, e.g. `biweekly`.
    pub fn as_str(self) -> &'static str {
        match self {
            PayFrequency::Weekly => "weekly",
            PayFrequency::Biweekly => "biweekly",
            PayFrequency::Semimonthly => "semimonthly",
            PayFrequency::Monthly => "monthly",
            PayFrequency::Irregular => "irregular",
        }
    }

    /// The typical gap between paydays in days, `None` for irregular pay.
    pub fn nominal_gap_days(self) -> Option<u16> {
        match self {
            PayFrequency::Weekly => Some(7),
            PayFrequency::Biweekly => Some(14),
            PayFrequency::Semimonthly => Some(15),
            PayFrequency::Monthly => Some(30),
            PayFrequency::Irregular => None,
        }
    }
}

/// Who the user is, coarsely. Everything is fictional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Demographics {
    /// Age in whole years, 18 to 100.
    #[cfg_attr(feature = "json-schema", schemars(range(min = crate::AGE_RANGE.0, max = crate::AGE_RANGE.1)))]
    pub age: u8,
    /// Two-letter USPS code of a US state or DC, e.g. `CA`.
    #[cfg_attr(feature = "json-schema", schemars(extend("enum" = crate::reference::US_STATES)))]
    pub state: String,
}

/// Contact details that cannot belong to a real person: an email address at a
/// domain reserved for documentation (RFC 2606), a phone number in the
/// 555-0100–555-0199 range reserved for fiction, and a made-up street address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// Email at `example.com`, `example.org` or `example.net`.
    #[cfg_attr(
        feature = "json-schema",
        schemars(pattern(crate::json_schema::RESERVED_EMAIL))
    )]
    pub email: String,
    /// US phone number `+1-NXX-555-01XX`, e.g. `+1-415-555-0142`.
    #[cfg_attr(
        feature = "json-schema",
        schemars(regex(pattern = r"^\+1-[2-9][0-9]{2}-555-01[0-9]{2}$"))
    )]
    pub phone_number: String,
    /// A fictional postal address in the user's state.
    pub address: Address,
}

/// A fictional US postal address, shaped like Plaid's identity address data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// House number and street, e.g. `2992 Kuhic Parkway`.
    #[cfg_attr(
        feature = "json-schema",
        schemars(length(min = 1), pattern(crate::json_schema::NOT_BLANK))
    )]
    pub street: String,
    /// City, e.g. `North Elvieville`.
    #[cfg_attr(
        feature = "json-schema",
        schemars(length(min = 1), pattern(crate::json_schema::NOT_BLANK))
    )]
    pub city: String,
    /// USPS state code; equals `demographics.state`.
    #[cfg_attr(feature = "json-schema", schemars(extend("enum" = crate::reference::US_STATES)))]
    pub region: String,
    /// Five-digit ZIP code.
    #[cfg_attr(feature = "json-schema", schemars(regex(pattern = r"^[0-9]{5}$")))]
    pub postal_code: String,
    /// ISO 3166-1 alpha-2 country code: always `US`.
    #[cfg_attr(feature = "json-schema", schemars(extend("enum" = ["US"])))]
    pub country: String,
}

/// The behaviour a profile is planned to show; downstream generators realise
/// it as transactions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "json-schema", schemars(transform = crate::json_schema::pay_schedule_rules))]
#[serde(deny_unknown_fields)]
pub struct Characteristics {
    /// Planned credit-card utilization as a fraction (0.70 = 70%); 0 without cards.
    /// Every card's `current / limit` lies within the persona's jitter of it.
    #[serde(with = "crate::money")]
    #[cfg_attr(
        feature = "json-schema",
        schemars(schema_with = "crate::json_schema::amount", range(min = 0, max = 1))
    )]
    pub target_credit_utilization: Decimal,
    /// Planned monthly transfer into savings, in dollars.
    #[serde(with = "crate::money")]
    #[cfg_attr(
        feature = "json-schema",
        schemars(schema_with = "crate::json_schema::amount", range(min = 0))
    )]
    pub target_savings_monthly: Decimal,
    /// Regular or irregular pay.
    pub income_stability: IncomeStability,
    /// Pay schedule.
    pub pay_frequency: PayFrequency,
    /// Median gap between paychecks, in days.
    #[cfg_attr(feature = "json-schema", schemars(range(min = 1)))]
    pub median_pay_gap_days: u16,
    /// Number of distinct recurring merchants the user pays.
    pub subscription_count_target: u8,
}

/// Lowest and highest gross annual income, in whole dollars, of any SpendSense
/// profile: the product's fixed range.
///
/// [`validate_profile`](crate::validate_profile) (rules `income-not-positive`
/// and `income-range`) and the JSON Schema state it; `spendsense-personas`
/// refuses persona definitions whose income range strays outside it.
pub const ANNUAL_INCOME_RANGE: (i64, i64) = (20_000, 200_000);

/// One synthetic user: identity, planned behaviour and accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "json-schema", schemars(transform = crate::json_schema::income_frequency_rule))]
#[serde(deny_unknown_fields)]
pub struct UserProfile {
    /// Masked id, `user_MASKED_000`, `user_MASKED_001`, …
    #[cfg_attr(
        feature = "json-schema",
        schemars(length(min = 1), pattern(crate::json_schema::NOT_BLANK))
    )]
    pub user_id: String,
    /// Fictional full name, unique within a dataset.
    #[cfg_attr(
        feature = "json-schema",
        schemars(length(min = 1), pattern(crate::json_schema::NOT_BLANK))
    )]
    pub name: String,
    /// The persona the profile was generated for (ground truth).
    pub persona: PersonaId,
    /// Overlap scenarios only: the persona the pipeline must assign, the
    /// highest-priority one of `matched_personas`. `null` otherwise.
    // Always written, `null` or not, so every profile has the same keys. A plain
    // `Option` reads an absent key as `None`, which keeps files of earlier versions
    // readable (`KEYS_READ_AS_NULL_WHEN_ABSENT`); the schema still requires it.
    #[cfg_attr(
        feature = "json-schema",
        schemars(schema_with = "crate::json_schema::nullable_persona")
    )]
    pub expected_assignment: Option<PersonaId>,
    /// Overlap scenarios only: every persona whose criteria the profile
    /// meets, in priority order. `null` otherwise (the profile meets exactly
    /// `persona`, or none for control).
    // Like `expected_assignment`: always written, read as `None` when absent.
    #[cfg_attr(
        feature = "json-schema",
        schemars(schema_with = "crate::json_schema::nullable_personas")
    )]
    pub matched_personas: Option<Vec<PersonaId>>,
    /// Gross annual income in dollars, 20,000 to 200,000 ([`ANNUAL_INCOME_RANGE`]).
    #[serde(with = "crate::money")]
    #[cfg_attr(feature = "json-schema", schemars(schema_with = "crate::json_schema::amount", range(min = ANNUAL_INCOME_RANGE.0, max = ANNUAL_INCOME_RANGE.1)))]
    pub annual_income: Decimal,
    /// Age and location.
    pub demographics: Demographics,
    /// Fictional contact details.
    pub identity: Identity,
    /// Planned behaviour.
    pub characteristics: Characteristics,
    /// Accounts: always one checking account, then savings and cards as the persona plans.
    pub accounts: Vec<Account>,
    /// The dated plan the profile's transactions realise.
    pub plan: crate::Plan,
}

impl UserProfile {
    /// The keys that are always written (`null` when unset) and required by
    /// the JSON Schema, but read as `null` when absent: files written before
    /// SpendSense wrote them for every profile (up to algorithm version 5)
    /// left them out unless the profile was an overlap scenario, and those
    /// files stay readable. Every other key must be present.
    pub const KEYS_READ_AS_NULL_WHEN_ABSENT: [&'static str; 2] =
        ["expected_assignment", "matched_personas"];

    /// Monthly gross income, `annual_income / 12`.
    pub fn monthly_income(&self) -> Decimal {
        self.annual_income / Decimal::from(12)
    }

    /// The user's accounts of one subtype.
    pub fn accounts_of(&self, subtype: crate::AccountSubtype) -> impl Iterator<Item = &Account> {
        self.accounts.iter().filter(move |a| a.subtype == subtype)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persona_ids_parse_their_wire_spelling_only() {
        for persona in PersonaId::ALL {
            assert_eq!(persona.as_str().parse::<PersonaId>().ok(), Some(persona));
            let json = serde_json::to_string(&persona).unwrap();
            assert_eq!(json, format!("\"{persona}\""));
        }
        let err = "HighUtilization"
            .parse::<PersonaId>()
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "unknown persona `HighUtilization`; expected one of high_utilization, variable_income, subscription_heavy, savings_builder, control"
        );
    }
}
