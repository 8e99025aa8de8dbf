//! Money as exact JSON numbers.
//!
//! rust_decimal's own serde support writes strings (`"2000.00"`) or goes through
//! `f64` (losing scale and, past ~15 digits, precision). Neither is acceptable for
//! money, so these helpers write the decimal's own text as a raw JSON number and
//! read a number back from its raw text with [`Decimal::from_str_exact`]. Scale
//! survives the round trip: `2000.00` stays `2000.00`.
//!
//! Use with `#[serde(with = "spendsense_schema::money")]` on a `Decimal` field, or
//! `money::option` on an `Option<Decimal>` field. These work with `serde_json`
//! only, which is the one format SpendSense reads and writes.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error as _, ser::Error as _};
use serde_json::value::RawValue;

/// The most decimal places any amount in a profile may carry.
pub const MAX_SCALE: u32 = 2;

/// Serializes `value` as a JSON number with exactly the decimal's own digits.
pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    let raw = RawValue::from_string(value.to_string()).map_err(S::Error::custom)?;
    raw.serialize(serializer)
}

/// Deserializes a JSON number into a [`Decimal`] without passing through `f64`.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    let raw = Box::<RawValue>::deserialize(deserializer)?;
    parse_number(raw.get()).map_err(D::Error::custom)
}

/// Parses the raw text of a JSON value as an exact decimal number.
///
/// Strings, exponents (`1e400`) and anything beyond 28 significant digits are
/// refused with a message naming the text.
pub fn parse_number(text: &str) -> Result<Decimal, String> {
    let looks_numeric = text.starts_with(|c: char| c == '-' || c.is_ascii_digit());
    if !looks_numeric {
        return Err(format!(
            "expected a JSON number for an amount, found `{}`",
            clip(text)
        ));
    }
    Decimal::from_str_exact(text).map_err(|_| {
        format!(
            "`{}` is not an exact decimal amount (plain digits with an optional fraction, no exponent, at most 28 digits)",
            clip(text)
        )
    })
}

fn clip(text: &str) -> &str {
    match text.char_indices().nth(40) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// The same exact-number format for `Option<Decimal>`, with `null` for `None`.
pub mod option {
    use super::*;

    /// Serializes `Some` as an exact JSON number and `None` as `null`.
    pub fn serialize<S: Serializer>(
        value: &Option<Decimal>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => super::serialize(value, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Deserializes `null` as `None` and a number as an exact `Some`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Decimal>, D::Error> {
        let raw = Option::<Box<RawValue>>::deserialize(deserializer)?;
        match raw {
            None => Ok(None),
            Some(raw) if raw.get() == "null" => Ok(None),
            Some(raw) => parse_number(raw.get()).map(Some).map_err(D::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Amounts {
        #[serde(with = "crate::money")]
        amount: Decimal,
        #[serde(with = "crate::money::option")]
        limit: Option<Decimal>,
    }

    fn check_round_trip(json: &str) {
        let parsed: Amounts = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&parsed).unwrap(), json);
    }

    #[test]
    fn scale_and_digits_survive_a_round_trip() {
        check_round_trip(r#"{"amount":2000.00,"limit":null}"#);
        check_round_trip(r#"{"amount":0.10,"limit":5000}"#);
        check_round_trip(r#"{"amount":-12.5,"limit":0.00}"#);
        check_round_trip(r#"{"amount":12345678901234567890.12,"limit":1.99}"#);
    }

    #[test]
    fn amounts_are_numbers_not_strings() {
        let value = Amounts {
            amount: Decimal::from_str("1234.50").unwrap(),
            limit: None,
        };
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            r#"{"amount":1234.50,"limit":null}"#
        );
    }

    #[test]
    fn non_numbers_and_exponents_are_refused_by_name() {
        for (json, needle) in [
            (
                r#"{"amount":"12.00","limit":null}"#,
                "expected a JSON number",
            ),
            (
                r#"{"amount":1e400,"limit":null}"#,
                "`1e400` is not an exact decimal",
            ),
            (r#"{"amount":true,"limit":null}"#, "found `true`"),
            (r#"{"amount":1,"limit":[1]}"#, "found `[1]`"),
        ] {
            let err = serde_json::from_str::<Amounts>(json)
                .unwrap_err()
                .to_string();
            assert!(err.contains(needle), "{json}: {err}");
        }
    }
}
