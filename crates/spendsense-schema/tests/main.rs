//! Integration tests of the profile model: validation rules, the JSON wire
//! format, and (feature `json-schema`) the JSON Schema's agreement with validation.
//!
//! Every test starts from `spendsense_schema::sample::profile()`, a valid
//! profile with a checking account, a savings account and a credit card, and
//! changes one thing.
//!
//! Modules live in `tests/<name>/mod.rs`: Cargo would build a `tests/<name>.rs`
//! as a test binary of its own, and this crate keeps one.

mod encoding;
mod reader;
#[cfg(feature = "json-schema")]
mod schema_parity;
mod validation;
mod wire;

use rust_decimal::Decimal;
use spendsense_schema::{Account, AccountSubtype, Balances, HolderCategory};

/// Parses an exact amount such as `"1800.00"`; the scale is kept.
fn dec(text: &str) -> Decimal {
    Decimal::from_str_exact(text).unwrap()
}

/// A US-dollar account with the given balances.
fn account(
    id: &str,
    mask: &str,
    subtype: AccountSubtype,
    (available, current, limit): (&str, &str, Option<&str>),
) -> Account {
    Account {
        account_id: id.into(),
        balances: Balances {
            available: Some(dec(available)),
            current: Some(dec(current)),
            limit: limit.map(dec),
            iso_currency_code: Some("USD".into()),
            unofficial_currency_code: None,
        },
        mask: Some(mask.into()),
        name: format!("Plaid {}", subtype.as_str()),
        official_name: None,
        account_type: subtype.account_type(),
        subtype,
        holder_category: HolderCategory::Personal,
    }
}
