//! The dated plan of a profile: every event its transactions realise.
//!
//! A plan leaves nothing for a transaction generator to guess. It fixes the
//! history window (`history_start..=as_of`, at least 180 days), every paycheck
//! with its date and net amount, every recurring charge with its merchant,
//! Plaid category, amount, cadence and funding account, each card's terms
//! (APR, statement day, how it is paid), the savings transfers, and the
//! monthly expense level the cash-flow buffer divides by. The detection
//! signals of both windows follow from these dates and amounts
//! (`spendsense_personas::WindowSignals`), never from summary figures.
//!
//! Event dates are functions of the plan ([`RecurringCharge::dates`],
//! [`CardPlan::statement_dates`], [`SavingsTransfers::dates`]), so the wire
//! form stays small: paychecks are listed (irregular pay has no rule), the
//! rest are anchors and cadences.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{Date, PayFrequency};

/// Shortest history a plan covers, in days: SpendSense's long window.
pub const MIN_HISTORY_DAYS: i32 = 180;

/// The dated plan of one profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Last day of the history: every detection window ends on it.
    pub as_of: Date,
    /// First day of the history, at least 180 days before `as_of` counting both ends.
    pub history_start: Date,
    /// Where the money comes from.
    pub income: IncomePlan,
    /// Average monthly spending in dollars (recurring charges and everyday
    /// purchases, not transfers or card payments): what the cash-flow buffer divides by.
    #[serde(with = "crate::money")]
    #[cfg_attr(
        feature = "json-schema",
        schemars(schema_with = "crate::json_schema::amount", range(min = 0))
    )]
    pub monthly_expenses: Decimal,
    /// Charges that repeat: housing and bills as well as subscriptions.
    pub recurring: Vec<RecurringCharge>,
    /// The terms of each credit card, in account order.
    pub cards: Vec<CardPlan>,
    /// Transfers from checking into savings; `null` when the user moves no money to savings.
    // The key is always present, `null` or not, like Plaid's nullable keys.
    #[serde(deserialize_with = "required_nullable")]
    #[cfg_attr(
        feature = "json-schema",
        schemars(schema_with = "crate::json_schema::nullable_savings_transfers")
    )]
    pub savings_transfers: Option<SavingsTransfers>,
}

/// Reads an `Option` whose key must be present even when its value is `null`:
/// unlike a plain `Option` field, a missing key is an error.
fn required_nullable<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer)
}

/// Pay: who pays, how often, and every paycheck in the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IncomePlan {
    /// The fictional payer, the deposit's counterparty.
    #[cfg_attr(
        feature = "json-schema",
        schemars(length(min = 1), pattern(crate::json_schema::NOT_BLANK))
    )]
    pub employer: String,
    /// Pay schedule; equals `characteristics.pay_frequency`.
    pub frequency: PayFrequency,
    /// Every paycheck from `history_start` to `as_of`, oldest first, each a
    /// payroll deposit into checking.
    pub paychecks: Vec<Paycheck>,
}

/// One payroll deposit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Paycheck {
    /// The day it arrives.
    pub date: Date,
    /// Net (take-home) amount in dollars.
    #[serde(with = "crate::money")]
    #[cfg_attr(
        feature = "json-schema",
        schemars(schema_with = "crate::json_schema::amount", extend("exclusiveMinimum" = 0))
    )]
    pub amount: Decimal,
}

/// How often a charge repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    /// On the same day of every month (day 1 to 28).
    Monthly,
    /// Every 7 days.
    Weekly,
}

/// A Plaid `personal_finance_category`: `primary` and `detailed` from Plaid's taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Primary category, e.g. `ENTERTAINMENT`.
    #[cfg_attr(feature = "json-schema", schemars(regex(pattern = r"^[A-Z_]+$")))]
    pub primary: String,
    /// Detailed category, starting with the primary one, e.g. `ENTERTAINMENT_TV_AND_MOVIES`.
    #[cfg_attr(feature = "json-schema", schemars(regex(pattern = r"^[A-Z_]+$")))]
    pub detailed: String,
}

/// A charge that repeats on a cadence from one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "json-schema", schemars(transform = crate::json_schema::monthly_charge_day_rule))]
#[serde(deny_unknown_fields)]
pub struct RecurringCharge {
    /// The merchant's name as it appears on statements, e.g. `Netflix`.
    #[cfg_attr(
        feature = "json-schema",
        schemars(length(min = 1), pattern(crate::json_schema::NOT_BLANK))
    )]
    pub merchant: String,
    /// Plaid category of every charge.
    pub category: Category,
    /// Dollars per charge.
    #[serde(with = "crate::money")]
    #[cfg_attr(
        feature = "json-schema",
        schemars(schema_with = "crate::json_schema::amount", extend("exclusiveMinimum" = 0))
    )]
    pub amount: Decimal,
    /// How often it repeats.
    pub cadence: Cadence,
    /// The first charge in the history; monthly charges repeat on its day of
    /// the month (1 to 28), weekly ones every 7 days.
    pub first_charge: Date,
    /// The account charged: checking or a credit card of the profile.
    #[cfg_attr(
        feature = "json-schema",
        schemars(length(min = 1), pattern(crate::json_schema::NOT_BLANK))
    )]
    pub account_id: String,
}

impl Cadence {
    /// The wire spelling, e.g. `monthly`.
    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Monthly => "monthly",
            Cadence::Weekly => "weekly",
        }
    }

    /// What a charge of `amount` at this cadence costs in a 30-day month:
    /// `amount` for monthly charges, `amount × 30 / 7` for weekly ones.
    /// Saturates at `Decimal::MAX` for amounts no real charge has, so that a
    /// hostile file cannot make detection panic.
    pub fn monthly_cost(self, amount: Decimal) -> Decimal {
        match self {
            Cadence::Monthly => amount,
            Cadence::Weekly => amount
                .checked_mul(Decimal::from(30))
                .map_or(Decimal::MAX, |month| month / Decimal::from(7)),
        }
    }
}

impl RecurringCharge {
    /// Every charge date from `first_charge` to `until`, oldest first.
    pub fn dates(&self, until: Date) -> impl Iterator<Item = Date> + '_ {
        self.dates_between(self.first_charge, until)
    }

    /// The charge dates within `from..=until`, oldest first. It starts near
    /// `from` rather than at `first_charge`, so a plan spanning centuries
    /// costs no more than one spanning months.
    pub fn dates_between(&self, from: Date, until: Date) -> impl Iterator<Item = Date> + '_ {
        let first = self.first_charge;
        let cadence = self.cadence;
        let (y0, m0, billing_day) = first.ymd();
        let (y1, m1, _) = from.ymd();
        let skip = match cadence {
            Cadence::Monthly => (y1 - y0) * 12 + (i32::from(m1) - i32::from(m0)) - 1,
            Cadence::Weekly => first.days_until(from) / 7 - 1,
        }
        .max(0);
        (skip..)
            .map(move |n: i32| match cadence {
                Cadence::Monthly => Date::of_month_index(
                    (y0 * 12 + i32::from(m0) - 1).saturating_add(n),
                    billing_day,
                ),
                Cadence::Weekly => first.add_days(n.saturating_mul(7)),
            })
            .skip_while(move |date| *date < from)
            .take_while(move |date| *date <= until && *date < Date::MAX)
    }

    /// What the charge costs in a 30-day month ([`Cadence::monthly_cost`]).
    pub fn monthly_amount(&self) -> Decimal {
        self.cadence.monthly_cost(self.amount)
    }
}

/// How a card's statements are paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CardPayment {
    /// The statement balance, in full and on time: no interest.
    PayInFull,
    /// More than the minimum but less than the statement balance: interest accrues.
    Revolving,
    /// Exactly the minimum payment each month: interest accrues.
    MinimumOnly,
    /// The last minimum payment was missed: interest accrues and the card is overdue.
    Overdue,
}

impl CardPayment {
    /// The wire spelling, e.g. `pay_in_full`.
    pub fn as_str(self) -> &'static str {
        match self {
            CardPayment::PayInFull => "pay_in_full",
            CardPayment::Revolving => "revolving",
            CardPayment::MinimumOnly => "minimum_only",
            CardPayment::Overdue => "overdue",
        }
    }

    /// Whether statements leave a balance that accrues interest.
    pub fn accrues_interest(self) -> bool {
        self != CardPayment::PayInFull
    }
}

/// A credit card's terms and how it is paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "json-schema", schemars(transform = crate::json_schema::card_payment_rules))]
#[serde(deny_unknown_fields)]
pub struct CardPlan {
    /// The card's `account_id`.
    #[cfg_attr(
        feature = "json-schema",
        schemars(length(min = 1), pattern(crate::json_schema::NOT_BLANK))
    )]
    pub account_id: String,
    /// Purchase APR in percent a year, e.g. `24.99`.
    #[serde(with = "crate::money")]
    #[cfg_attr(
        feature = "json-schema",
        schemars(schema_with = "crate::json_schema::amount", range(min = 0, max = 100))
    )]
    pub purchase_apr: Decimal,
    /// Day of the month each statement closes, 1 to 28.
    #[cfg_attr(feature = "json-schema", schemars(range(min = 1, max = 28)))]
    pub statement_day: u8,
    /// How the statements are paid.
    pub payment: CardPayment,
    /// Balance on the last statement on or before `as_of`, in dollars.
    #[serde(with = "crate::money")]
    #[cfg_attr(
        feature = "json-schema",
        schemars(schema_with = "crate::json_schema::amount", range(min = 0))
    )]
    pub last_statement_balance: Decimal,
    /// Minimum payment due on the last statement, in dollars.
    #[serde(with = "crate::money")]
    #[cfg_attr(
        feature = "json-schema",
        schemars(schema_with = "crate::json_schema::amount", range(min = 0))
    )]
    pub minimum_payment: Decimal,
    /// Interest charged on each statement, in dollars; 0 when paid in full.
    #[serde(with = "crate::money")]
    #[cfg_attr(
        feature = "json-schema",
        schemars(schema_with = "crate::json_schema::amount", range(min = 0))
    )]
    pub interest_per_statement: Decimal,
    /// When the next payment is due: 25 days after the last statement.
    pub next_payment_due_date: Date,
    /// Whether a payment is past due (Plaid's `is_overdue`): exactly when `payment` is `overdue`.
    pub is_overdue: bool,
}

/// Days from a statement to its payment due date.
pub const DUE_DAYS_AFTER_STATEMENT: i32 = 25;

impl CardPlan {
    /// The payment due date of a card closing on `statement_day`, as of
    /// `as_of`: its last statement on or before `as_of` plus
    /// [`DUE_DAYS_AFTER_STATEMENT`] days. What `next_payment_due_date` must be.
    pub fn due_date(as_of: Date, statement_day: u8) -> Date {
        let this_month = as_of.with_day(statement_day);
        let last_statement = if this_month <= as_of {
            this_month
        } else {
            as_of.months_later(-1, statement_day)
        };
        last_statement.add_days(DUE_DAYS_AFTER_STATEMENT)
    }

    /// Every statement date from `from` to `until`, oldest first.
    pub fn statement_dates(&self, from: Date, until: Date) -> impl Iterator<Item = Date> + '_ {
        let day = self.statement_day;
        let first = from.with_day(day);
        let first = if first < from {
            first.months_later(1, day)
        } else {
            first
        };
        (0..)
            .map(move |n| first.months_later(n, day))
            .take_while(move |date| *date <= until && *date < Date::MAX)
    }
}

/// How often savings transfers repeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TransferCadence {
    /// Every 14 days: every 30-day window holds two or three.
    Biweekly,
}

/// Regular transfers from checking into savings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SavingsTransfers {
    /// The checking account the money leaves.
    #[cfg_attr(
        feature = "json-schema",
        schemars(length(min = 1), pattern(crate::json_schema::NOT_BLANK))
    )]
    pub from_account_id: String,
    /// The savings account it arrives in.
    #[cfg_attr(
        feature = "json-schema",
        schemars(length(min = 1), pattern(crate::json_schema::NOT_BLANK))
    )]
    pub to_account_id: String,
    /// Dollars per transfer.
    #[serde(with = "crate::money")]
    #[cfg_attr(
        feature = "json-schema",
        schemars(schema_with = "crate::json_schema::amount", extend("exclusiveMinimum" = 0))
    )]
    pub amount: Decimal,
    /// How often.
    pub cadence: TransferCadence,
    /// The first transfer in the history.
    pub first_transfer: Date,
}

impl TransferCadence {
    /// The wire spelling, e.g. `biweekly`.
    pub fn as_str(self) -> &'static str {
        match self {
            TransferCadence::Biweekly => "biweekly",
        }
    }
}

impl SavingsTransfers {
    /// Every transfer date from `first_transfer` to `until`, oldest first.
    pub fn dates(&self, until: Date) -> impl Iterator<Item = Date> + '_ {
        self.dates_between(self.first_transfer, until)
    }

    /// The transfer dates within `from..=until`, oldest first, starting near `from`.
    pub fn dates_between(&self, from: Date, until: Date) -> impl Iterator<Item = Date> + '_ {
        let step = match self.cadence {
            TransferCadence::Biweekly => 14,
        };
        let first = self.first_transfer;
        let skip = (first.days_until(from) / step - 1).max(0);
        (skip..)
            .map(move |n: i32| first.add_days(n.saturating_mul(step)))
            .skip_while(move |date| *date < from)
            .take_while(move |date| *date <= until && *date < Date::MAX)
    }
}
