//! Integration tests of the persona rules through the public API: detection
//! boundaries, the default catalog and its exclusivity proof, broken
//! configurations, and profile conformance.
//!
//! Modules live in `tests/<name>/mod.rs`: Cargo would build a `tests/<name>.rs`
//! as a test binary of its own, and this crate keeps one.

mod catalog;
mod conformance;
mod detection;

use rust_decimal::Decimal;
use spendsense_personas::PersonaSet;
use spendsense_schema::PersonaId;

/// Parses an exact amount such as `"0.4999"`; the scale is kept.
fn dec(text: &str) -> Decimal {
    Decimal::from_str_exact(text).unwrap()
}

/// The set of `personas`; `&[]` is control.
fn set(personas: &[PersonaId]) -> PersonaSet {
    let mut set = PersonaSet::EMPTY;
    for persona in personas {
        set.insert(*persona);
    }
    set
}
