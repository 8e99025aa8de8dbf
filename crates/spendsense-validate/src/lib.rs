//! Dataset validation: one pass over profiles, bounded memory, a full report.
//!
//! [`Validator`] takes profiles one at a time, so a file of any size can be
//! checked while it streams. It keeps per-persona counts, an income histogram
//! (one entry per distinct income), a 64-bit hash per user id, name and
//! account id for duplicate detection (about 115 MB per million users), and at
//! most [`Validator::LISTED`] violations in full; the rest are counted.
//!
//! With a profile's transactions ([`Validator::push_with_transactions`]) it
//! also runs the reference detector (`spendsense-signals`) on them, which
//! must find the profile's personas in both windows.
//!
//! The crate depends on the schema, the personas and the reference detector
//! only: checking a file never needs the generator, so a consumer that only
//! reads datasets stays small.
//!
//! # Example
//!
//! ```
//! use spendsense_personas::Personas;
//! use spendsense_schema::{ProfileFormat, read_profiles};
//! use spendsense_validate::Validator;
//!
//! let personas = Personas::spendsense();
//! let mut validator = Validator::new(&personas);
//! let jsonl = b"{\"user_id\": \"user_MASKED_000\"}\n";
//! read_profiles(&jsonl[..], ProfileFormat::Jsonl, |record| match record {
//!     Ok(profile) => validator.push(&profile),
//!     Err(err) => validator.push_unreadable(None, &err.path, err.message),
//! })
//! .unwrap();
//! let report = validator.finish();
//! assert!(!report.is_valid());
//! assert_eq!(report.violations[0].rule, "unreadable-record");
//! ```
#![deny(missing_docs)]

mod report;

pub use report::{
    BandCount, COVERAGE_EXTREMES, COVERAGE_FROM_USERS, INCOME_BANDS, PersonaSummary,
    RULE_DETECTOR_MISMATCH, RULE_TRANSACTION_ACCOUNT, Report, ReportViolation, Validator, validate,
};
