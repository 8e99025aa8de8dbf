//! The SpendSense profile model: Plaid-style accounts and synthetic user profiles.
//!
//! This crate is the **API boundary** shared by every SpendSense crate. It
//! defines the wire format (serde), exact money handling ([`money`]) and
//! structural validation ([`validate_profile`]). It holds no randomness, does
//! no IO and never reads the clock.
//!
//! # Reading a dataset
//!
//! [`ProfileReader`] iterates over the profiles of a JSON array or of JSON
//! Lines from any [`std::io::BufRead`] (or any [`std::io::Read`] through
//! [`ProfileReader::from_reader`]), one profile at a time, in bounded memory.
//! It reads only as far as asked: stopping the loop stops reading.
//! [`ProfileFormat::detect`] picks the format from a file name or the first
//! byte. Money is [`Decimal`], re-exported here, so sums are exact without a
//! dependency of your own:
//!
//! ```
//! use spendsense_schema::{Date, Decimal, ProfileFormat, ProfileReader, sample};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // Three profiles of JSON Lines; a file, stdin or a socket reads the same.
//! let mut jsonl = Vec::new();
//! for (id, income) in [("user_MASKED_000", "52000.10"), ("user_MASKED_001", "61000.25"), ("user_MASKED_002", "70000.00")] {
//!     let mut profile = sample::profile();
//!     (profile.user_id, profile.annual_income) = (id.into(), Decimal::from_str_exact(income)?);
//!     serde_json::to_writer(&mut jsonl, &profile)?;
//!     jsonl.push(b'\n');
//! }
//! let format = ProfileFormat::detect(None, &mut &jsonl[..])?;
//! assert_eq!(format, ProfileFormat::Jsonl);
//!
//! let mut total = Decimal::ZERO;
//! let mut profiles = ProfileReader::new(&jsonl[..], format);
//! for profile in profiles.by_ref() {
//!     // `?` stops at the first record that is not a profile, or at input
//!     // that is not JSONL; `Error::Record` says which line and field.
//!     let profile = profile?;
//!     total += profile.annual_income;
//!     // Dates are `Date`: compared, shifted by days, printed as YYYY-MM-DD.
//!     assert_eq!(profile.plan.as_of, "2026-11-30".parse::<Date>()?);
//!     if profile.user_id == "user_MASKED_001" {
//!         break; // The third line is never parsed.
//!     }
//! }
//! // Exact to the cent: no float on the way.
//! assert_eq!(total, Decimal::from_str_exact("113000.35")?);
//! assert_eq!(total.to_string(), "113000.35");
//! assert_eq!(profiles.records(), 2);
//! # Ok(())
//! # }
//! ```
//!
//! The crate's `examples/sum_incomes.rs` does the same with a file.
//!
//! # Money and dates
//!
//! Amounts are [`Decimal`]s with their scale (`2000.00`), written to JSON as
//! exact numbers and read back without passing through `f64` ([`money`]).
//! [`rust_decimal`] is re-exported too, for what `Decimal`'s methods name
//! (`RoundingStrategy`, `prelude::ToPrimitive`).
//!
//! Dates are [`Date`], a calendar day (`YYYY-MM-DD`, no time, no zone, no date
//! crate): build one with [`Date::from_ymd`] or by parsing its text
//! ([`str::parse`], [`Error::InvalidDate`] otherwise), move it with
//! [`Date::add_days`] or [`Date::months_later`], measure with
//! [`Date::days_until`], take it apart with [`Date::ymd`], and print it with
//! `Display`, which gives the wire text. Dates order as days do.
//!
//! ```
//! use spendsense_schema::Date;
//!
//! let as_of = Date::from_ymd(2026, 11, 30).unwrap();
//! let start = as_of.add_days(-179);
//! assert_eq!(start.to_string(), "2026-06-04");
//! assert_eq!(start.days_until(as_of), 179);
//! assert_eq!("2026-02-29".parse::<Date>().unwrap_err().to_string(),
//!            "`2026-02-29` is not a date; expected YYYY-MM-DD, e.g. 2026-11-30");
//! ```
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
//! ([`codec::RecordError`], delivered per record by [`read_profiles`], and as
//! [`Error::Record`] by [`ProfileReader`], which goes on after it) and a
//! broken rule ([`Violation`], collected by [`validate_profile`]).
//!
//! # Example
//!
//! ```
//! use spendsense_schema::{Decimal, sample, validate_account, validate_profile};
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
pub use plan::{
    Cadence, CardPayment, CardPlan, Category, DUE_DAYS_AFTER_STATEMENT, IncomePlan,
    MIN_HISTORY_DAYS, Paycheck, Plan, RecurringCharge, SavingsTransfers, TransferCadence,
};
pub use profile::{
    ANNUAL_INCOME_RANGE, Address, Characteristics, Demographics, Identity, IncomeStability,
    PayFrequency, PersonaId, UnknownPersona, UserProfile,
};
/// The decimal crate itself, for what [`Decimal`]'s methods name
/// (`RoundingStrategy`, `prelude::ToPrimitive`, its `Error`), at the version
/// this crate uses.
pub use rust_decimal;
/// Money in every profile: re-exported so that reading, summing and comparing
/// amounts needs no dependency of one's own (see [`money`]).
pub use rust_decimal::Decimal;
pub use transaction::{CardLiability, PaymentChannel, Transaction};
pub use validate::{
    AGE_RANGE, InJsonSchema, RESERVED_EMAIL_DOMAINS, Rule, Violation, validate_account,
    validate_profile,
};
