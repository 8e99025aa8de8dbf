//! SpendSense personas: one source of truth for persona rules.
//!
//! Each persona (and the control group) has a [`PersonaDefinition`]: the ranges
//! its profiles are drawn from and its account structure. [`Criteria`] holds
//! the detection thresholds the downstream pipeline applies to a profile's
//! [`PlannedSignals`]. The generator draws inside the definitions; the
//! validator checks profiles with [`Personas::check_profile`]; and
//! [`Personas::problems`] proves that every corner of every range classifies to
//! its own persona only.
//!
//! # Example
//!
//! ```
//! use spendsense_personas::{classify, PersonaSet, Personas, PlannedSignals};
//! use spendsense_schema::PersonaId;
//! use rust_decimal::Decimal;
//!
//! let personas = Personas::spendsense();
//! assert!(personas.problems().is_empty());
//!
//! let signals = PlannedSignals {
//!     max_card_utilization: Some(Decimal::new(72, 2)),
//!     checking_buffer_months: Decimal::new(40, 2),
//!     median_pay_gap_days: 14,
//!     recurring_merchants: 1,
//!     has_savings_account: false,
//!     savings_transfer_monthly: Decimal::ZERO,
//! };
//! assert_eq!(classify(&signals), PersonaSet::only(PersonaId::HighUtilization));
//! ```
#![deny(missing_docs)]

mod catalog;
mod conformance;
mod definition;
mod detect;
mod error;
mod mix;
mod overlap;
mod range;

pub use catalog::{DefinitionProblem, INCOME_LIMITS, Personas, corners};
pub use conformance::{
    RULE_ACCOUNT_STRUCTURE, RULE_CLASSIFICATION, RULE_OVERLAP, RULE_PERSONA_RANGE,
};
pub use definition::{PayPlan, PersonaDefinition, default_definitions};
pub use detect::{Criteria, PersonaSet, PlannedSignals, classify};
pub use error::Error;
pub use mix::{MAX_PERIOD, Mix};
pub use overlap::overlap_partners;
pub use range::{CountRange, DecimalRange};
