//! Dataset validation: one pass over profiles, bounded memory, a full report.
//!
//! [`Validator`] takes profiles one at a time, so a file of any size can be
//! checked while it streams. The checks of one profile alone ([`Checker`])
//! can run on many threads; the checks across profiles take the results in
//! input order. It keeps per-persona counts, an exact income histogram, the
//! duplicate-detection state of [`keys`](NameKeys) (one bit per generated id
//! or name, a 64-bit fingerprint per other text, confirmed by comparing
//! texts, so no false duplicates), and at most [`Validator::LISTED`]
//! violations in full; the rest are counted.
//!
//! Quotas are judged at every prefix of the run ([`Quotas::Prefix`], for a
//! generated run in order), on the whole dataset ([`Quotas::Shares`], any
//! order), or not at all. A [`Summary`] of one stretch of a run merges with
//! the next ([`Summary::then`]), so a run's shards are validated where they
//! are made and the run from their summaries.
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

mod checked;
mod histogram;
mod keys;
mod quota;
mod report;
mod summary;
mod validator;

pub use checked::{Checked, Checker};
pub use keys::{KeyKind, NameKeys, TextKey, generated_account_key, generated_user_index};
pub use quota::{Excursion, Quotas};
pub use report::{
    BandCount, COVERAGE_EXTREMES, COVERAGE_FROM_USERS, INCOME_BANDS, PersonaSummary, Report,
    ReportViolation, validate,
};
pub use summary::{IdSummary, MergeError, PersonaTally, Summary};
pub use validator::Validator;

/// Rule name for a profile whose transactions the reference detector reads
/// as other personas than the profile's.
pub const RULE_DETECTOR_MISMATCH: &str = "detector-mismatch";

/// Rule name for transactions of a user that name an account the user does not have.
pub const RULE_TRANSACTION_ACCOUNT: &str = "transaction-account-unknown";
