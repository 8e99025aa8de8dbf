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
//! use spendsense_schema::{validate_account, Account, AccountSubtype, AccountType, Balances, HolderCategory};
//! use rust_decimal::Decimal;
//!
//! let card = Account {
//!     account_id: "user_MASKED_000_acct_1".into(),
//!     balances: Balances {
//!         available: Some(Decimal::new(3000_00, 2)),
//!         current: Some(Decimal::new(7000_00, 2)),
//!         limit: Some(Decimal::new(10000_00, 2)),
//!         iso_currency_code: Some("USD".into()),
//!         unofficial_currency_code: None,
//!     },
//!     mask: Some("4321".into()),
//!     name: "Plaid Credit Card".into(),
//!     official_name: None,
//!     account_type: AccountType::Credit,
//!     subtype: AccountSubtype::CreditCard,
//!     holder_category: HolderCategory::Personal,
//! };
//! assert!(validate_account(&card).is_empty());
//! assert_eq!(card.utilization(), Some(Decimal::new(70, 2)));
//!
//! let json = serde_json::to_string(&card.balances).unwrap();
//! assert!(json.contains(r#""current":7000.00"#));
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
    AGE_RANGE, RESERVED_EMAIL_DOMAINS, Violation, validate_account, validate_profile,
};
