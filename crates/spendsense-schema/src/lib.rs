//! The SpendSense profile model: Plaid-style accounts and synthetic user profiles.
//!
//! This crate is the **API boundary** shared by every SpendSense crate. It
//! defines the wire format (serde), exact money handling ([`money`]) and
//! structural validation ([`validate_profile`]). It holds no randomness, does
//! no IO and never reads the clock.
//!
//! # Errors
//!
//! The crate has one error type, [`Error`], a `#[non_exhaustive]` enum whose
//! variants carry the offending value; its messages are lowercase, without a
//! final period, and say what is allowed. Only [`Error::Io`] has a
//! [`source`](std::error::Error::source), the reader's own error. The older
//! names [`codec::ReadError`], [`UnknownPersona`] and [`codec::UnknownFormat`]
//! are aliases of it, kept so that callers compile unchanged; each says which
//! variants its functions return.
//!
//! Two kinds of finding are data, not errors, because reading or checking
//! goes on after them: a record that is JSON but not a profile
//! ([`codec::RecordError`], delivered per record) and a broken rule
//! ([`Violation`], collected by [`validate_profile`]).
//!
//! # Example
//!
//! ```
//! use rust_decimal::Decimal;
//! use spendsense_schema::{sample, validate_account, validate_profile};
//!
//! // `sample::profile()` is a valid profile with checking, savings and a card.
//! let profile = sample::profile();
//! assert!(validate_profile(&profile).is_empty());
//!
//! let card = &profile.accounts[2];
//! assert!(card.is_credit_card() && validate_account(card).is_empty());
//! assert_eq!(card.utilization(), Some(Decimal::new(12, 2)));
//!
//! // Money is written as exact JSON numbers, scale included.
//! let json = serde_json::to_string(&card.balances).unwrap();
//! assert!(json.contains(r#""current":1800.00,"limit":15000.00"#));
//! ```
#![deny(missing_docs)]

mod account;
pub mod codec;
mod date;
mod encode;
mod error;
#[cfg(feature = "json-schema")]
pub mod json_schema;
pub mod money;
mod plan;
mod profile;
pub mod reference;
pub mod sample;
pub mod text;
mod transaction;
mod validate;

pub use account::{Account, AccountSubtype, AccountType, Balances, HolderCategory};
pub use codec::{
    ProfileFormat, ProfileReader, ProfileWriter, read_located_profiles, read_profiles,
    write_profiles,
};
pub use date::{Date, days_in_month};
pub use error::Error;
/// Money in every profile: re-exported so that reading, summing and comparing
/// amounts needs no dependency of one's own (see [`money`]).
pub use rust_decimal::Decimal;
/// The decimal crate itself, for what [`Decimal`]'s methods name
/// (`RoundingStrategy`, `prelude::ToPrimitive`, its `Error`), at the version
/// this crate uses.
pub use rust_decimal;
pub use plan::{
    Cadence, CardPayment, CardPlan, Category, DUE_DAYS_AFTER_STATEMENT, IncomePlan,
    MIN_HISTORY_DAYS, Paycheck, Plan, RecurringCharge, SavingsTransfers, TransferCadence,
};
pub use profile::{
    ANNUAL_INCOME_RANGE, Address, Characteristics, Demographics, Identity, IncomeStability,
    PayFrequency, PersonaId, UnknownPersona, UserProfile,
};
pub use transaction::{CardLiability, PaymentChannel, Transaction};
pub use validate::{
    AGE_RANGE, InJsonSchema, RESERVED_EMAIL_DOMAINS, Rule, Violation, validate_account,
    validate_profile,
};
