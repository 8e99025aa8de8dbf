//! SpendSense personas: one source of truth for persona rules.
//!
//! Each persona (and the control group) has a [`PersonaDefinition`]: the ranges
//! its profiles are drawn from and its account structure. [`Criteria`] holds
//! the detection thresholds the downstream pipeline applies to a profile's
//! [`Signals`], which [`Signals::in_window`] computes from the
//! profile's dated plan for each [`Window`] (30 and 180 days). The generator draws inside the definitions; the
//! validator checks profiles with [`Personas::check_profile`]; and
//! [`Personas::problems`] proves that every corner of every range classifies to
//! its own persona only.
//!
//! # Example
//!
//! ```
//! use spendsense_personas::{classify, PersonaSet, Personas, Signals};
//! use spendsense_schema::PersonaId;
//! use rust_decimal::Decimal;
//!
//! let personas = Personas::spendsense();
//! assert!(personas.problems().is_empty());
//!
//! // A card at 72% of its limit makes a user High Utilization in any window.
//! let signals = Signals {
//!     max_card_utilization: Some(Decimal::new(72, 2)),
//!     interest_charged: Decimal::ZERO,
//!     minimum_payment_only: false,
//!     overdue: false,
//!     checking_buffer_months: Decimal::new(40, 2),
//!     median_pay_gap_days: Decimal::from(14),
//!     recurring_merchants: 1,
//!     recurring_monthly_spend: Decimal::new(1549, 2),
//!     recurring_spend_share: Decimal::new(1, 2),
//!     savings_inflow_monthly: Decimal::ZERO,
//!     savings_growth: Decimal::ZERO,
//! };
//! assert_eq!(classify(&signals), PersonaSet::only(PersonaId::HighUtilization));
//! ```
#![deny(missing_docs)]

mod catalog;
mod conformance;
mod definition;
mod detect;
mod document;
mod error;
mod mix;
mod overlap;
mod range;
mod window;

pub use catalog::{
    DefinitionProblem, INCOME_LIMITS, LIMITS, Limits, MAX_CREDIT_CARDS, MAX_SUBSCRIPTIONS,
    Personas, corners, max_subscription_spend,
};
pub use conformance::{
    RULE_ACCOUNT_STRUCTURE, RULE_CLASSIFICATION, RULE_OVERLAP, RULE_PERSONA_RANGE,
    RULE_PLAN_MISMATCH,
};
pub use definition::{PayPlan, PersonaDefinition, default_definitions};
pub use detect::{Criteria, PersonaSet, Signals, classify};
pub use document::DocumentError;
pub use error::Error;
pub use mix::{MAX_PERIOD, Mix};
pub use overlap::overlap_partners;
pub use range::{CountRange, DecimalRange};
pub use window::{
    BLOCKS, CARD_PAYMENT_CATEGORY, Evidence, INTEREST_CATEGORY, NOT_SPENDING, NOT_SUBSCRIPTIONS,
    PAYROLL_CATEGORY, RECURRING_LOOKBACK_DAYS, RECURRING_MIN_CHARGES, Window,
    everyday_spend_blocks, is_spending, is_subscription, median, median_gap_days, window_start,
};
