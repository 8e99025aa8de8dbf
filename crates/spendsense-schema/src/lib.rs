//! The SpendSense profile model: Plaid-style accounts and synthetic user profiles.
//!
//! This crate is the **API boundary** shared by every SpendSense crate. It
//! defines the wire format (serde), exact money handling ([`money`]) and
//! structural validation ([`validate_profile`]). It holds no randomness, does
//! no IO and never reads the clock.
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
mod encode;
#[cfg(feature = "json-schema")]
pub mod json_schema;
pub mod money;
mod profile;
pub mod reference;
pub mod sample;
mod validate;

pub use account::{Account, AccountSubtype, AccountType, Balances, HolderCategory};
pub use codec::{
    ProfileFormat, ProfileWriter, read_located_profiles, read_profiles, write_profiles,
};
pub use profile::{
    ANNUAL_INCOME_RANGE, Address, Characteristics, Demographics, Identity, IncomeStability,
    PayFrequency, PersonaId, UnknownPersona, UserProfile,
};
pub use validate::{
    AGE_RANGE, InJsonSchema, RESERVED_EMAIL_DOMAINS, Rule, Violation, validate_account,
    validate_profile,
};
