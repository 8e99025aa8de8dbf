//! Plaid-shaped transactions and credit-card liabilities: what an Item shows
//! of a profile's behaviour.
//!
//! A [`Transaction`] follows Plaid's Transaction object, including its sign
//! convention: a positive `amount` is money leaving the account (a purchase,
//! a bill, a payment sent), a negative one money arriving (a paycheck, a
//! transfer received, a card payment received by the card). A
//! [`CardLiability`] is the part of Plaid's credit-card liability
//! (`/liabilities/get`) that detection reads.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{Category, Date};

/// How a transaction was made (Plaid's `payment_channel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
pub enum PaymentChannel {
    /// Online or in an app.
    #[serde(rename = "online")]
    Online,
    /// At a physical store.
    #[serde(rename = "in store")]
    InStore,
    /// Neither: payroll, transfers, bill payments, fees.
    #[serde(rename = "other")]
    Other,
}

impl PaymentChannel {
    /// The wire spelling, e.g. `in store`.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentChannel::Online => "online",
            PaymentChannel::InStore => "in store",
            PaymentChannel::Other => "other",
        }
    }
}

/// One posted transaction, shaped like Plaid's Transaction object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Transaction {
    /// Unique across a dataset: the user's id, `-t` and a sequence number in date order.
    pub transaction_id: String,
    /// The account the money moves in or out of.
    pub account_id: String,
    /// Dollars; positive is money out of the account, negative money in (Plaid's convention).
    #[serde(with = "crate::money")]
    #[cfg_attr(
        feature = "json-schema",
        schemars(schema_with = "crate::json_schema::amount")
    )]
    pub amount: Decimal,
    /// Always `USD`.
    pub iso_currency_code: Option<String>,
    /// Always `null` (Plaid's key for currencies without an ISO code).
    pub unofficial_currency_code: Option<String>,
    /// The day the transaction posted: what detection windows count.
    pub date: Date,
    /// The day it was made; a card purchase posts a day later.
    pub authorized_date: Option<Date>,
    /// The statement description.
    pub name: String,
    /// The merchant or payer, when there is one; `null` for transfers, card payments and fees.
    pub merchant_name: Option<String>,
    /// How it was made.
    pub payment_channel: PaymentChannel,
    /// Plaid's personal finance category.
    pub personal_finance_category: Category,
    /// Always `false`: every transaction of the history has posted.
    pub pending: bool,
}

/// What detection reads of a credit card's liability (Plaid's `CreditCardLiability`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CardLiability {
    /// The card's `account_id`.
    pub account_id: String,
    /// Whether a payment is past due.
    pub is_overdue: bool,
    /// The most recent payment received, in dollars; `null` before the first.
    #[serde(with = "crate::money::option")]
    #[cfg_attr(
        feature = "json-schema",
        schemars(schema_with = "crate::json_schema::nullable_amount")
    )]
    pub last_payment_amount: Option<Decimal>,
    /// When it was received.
    pub last_payment_date: Option<Date>,
    /// Balance on the last statement, in dollars.
    #[serde(with = "crate::money")]
    #[cfg_attr(
        feature = "json-schema",
        schemars(schema_with = "crate::json_schema::amount")
    )]
    pub last_statement_balance: Decimal,
    /// Minimum payment due on the last statement, in dollars.
    #[serde(with = "crate::money")]
    #[cfg_attr(
        feature = "json-schema",
        schemars(schema_with = "crate::json_schema::amount")
    )]
    pub minimum_payment_amount: Decimal,
    /// When the next payment is due.
    pub next_payment_due_date: Date,
}

impl Transaction {
    /// Appends the transaction as one line of JSON (no newline): the JSONL
    /// record `spendsense generate --transactions` writes, with money as exact
    /// numbers (`-1520.00`).
    ///
    /// These are exactly the bytes `serde_json::to_vec` writes for the
    /// derived `Serialize`, which stays the reference form (`tests/encoding`
    /// compares the two), but written by hand like the profile encoder and
    /// several times faster: a run writes hundreds of transactions per profile.
    pub fn encode_json(&self, out: &mut Vec<u8>) {
        crate::encode::encode_transaction(self, out);
    }
}
