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

use std::ops::{DivAssign, Rem};

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serializer, de::Error as _};
use serde_json::value::RawValue;

use crate::Error;

/// The most decimal places any amount in a profile may carry.
pub const MAX_SCALE: u32 = 2;

/// The name serde_json's `RawValue` serializes under; serde_json writes a
/// field of that struct verbatim. Writing through it directly skips
/// `RawValue::from_string`'s re-parse of every amount. (The profile writers
/// do not go through serde at all; see `encode`.) The test
/// `writes_exactly_what_raw_value_writes` pins the behaviour to `RawValue`'s.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// Appends `value`'s text to `out` as `Decimal`'s `Display` writes it: every
/// digit of the scale kept, no exponent, no sign on zero. Written straight
/// into `out` rather than through `fmt`, which profiling showed to be a large
/// share of writing a profile; the JSON encoder and the CSV tables share it.
pub fn push_decimal(value: &Decimal, out: &mut Vec<u8>) {
    let mantissa = value.mantissa();
    if mantissa < 0 {
        out.push(b'-');
    }
    let scale = value.scale() as usize;
    // 128-bit division is a library call; amounts fit 64 bits, so divide those natively.
    match u64::try_from(mantissa.unsigned_abs()) {
        Ok(digits) => push_digits(digits, scale, out),
        Err(_) => push_digits(mantissa.unsigned_abs(), scale, out),
    }
}

/// Appends `value` in decimal to `out`.
pub(crate) fn push_integer(value: u64, out: &mut Vec<u8>) {
    push_digits(value, 0, out);
}

/// Appends `digits` with a point before the last `scale` of them.
fn push_digits<T>(mut digits: T, scale: usize, out: &mut Vec<u8>)
where
    T: Copy + PartialOrd + Rem<Output = T> + DivAssign + TryInto<u8> + From<u8>,
{
    let (zero, ten) = (T::from(0), T::from(10));
    let start = out.len();
    // Least significant digit first, then turned around.
    let mut written = 0;
    while digits > zero || written <= scale {
        if written == scale && scale > 0 {
            out.push(b'.');
        }
        out.push(b'0' + (digits % ten).try_into().unwrap_or(0));
        digits /= ten;
        written += 1;
    }
    out[start..].reverse();
}

/// Serializes `value` as a JSON number with exactly the decimal's own digits.
pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    let mut text = Vec::with_capacity(32);
    push_decimal(value, &mut text);
    let text = std::str::from_utf8(&text).expect("ASCII digits");
    let mut raw = serializer.serialize_struct(RAW_VALUE_TOKEN, 1)?;
    raw.serialize_field(RAW_VALUE_TOKEN, text)?;
    raw.end()
}

/// Deserializes a JSON number into a [`Decimal`] without passing through `f64`.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    let raw = Box::<RawValue>::deserialize(deserializer)?;
    parse_number(raw.get()).map_err(D::Error::custom)
}

/// Parses the raw text of a JSON value as an exact decimal number.
///
/// Strings, exponents (`1e400`) and anything beyond 28 significant digits are
/// refused with [`Error::AmountNotANumber`] or [`Error::AmountNotExact`],
/// whose messages name the text.
pub fn parse_number(text: &str) -> Result<Decimal, Error> {
    let looks_numeric = text.starts_with(|c: char| c == '-' || c.is_ascii_digit());
    if !looks_numeric {
        return Err(Error::AmountNotANumber {
            text: crate::text::escape(clip(text)).into_owned(),
        });
    }
    Decimal::from_str_exact(text).map_err(|_| Error::AmountNotExact {
        text: crate::text::escape(clip(text)).into_owned(),
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
    use serde::Serialize;
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
    fn number_formatting_matches_display() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let mantissa = (i128::from(next()) << 32 | i128::from(next() >> 32)) >> (next() % 96);
            let scale = (next() % 29) as u32;
            let value = Decimal::from_i128_with_scale(mantissa % 10i128.pow(27), scale);
            let mut pushed = b"x".to_vec();
            push_decimal(&value, &mut pushed);
            assert_eq!(pushed, format!("x{value}").as_bytes());
            let integer = next() >> (next() % 64);
            let mut pushed = Vec::new();
            push_integer(integer, &mut pushed);
            assert_eq!(pushed, integer.to_string().as_bytes());
        }
        for text in [
            "0", "0.00", "-0.01", "-5", "100.10", "0.001", "9.99", "10.00", "99", "100",
        ] {
            let value = Decimal::from_str_exact(text).unwrap();
            let mut pushed = Vec::new();
            push_decimal(&value, &mut pushed);
            assert_eq!(pushed, text.as_bytes());
        }
        for integer in [0, 9, 10, 99, 100, u64::MAX] {
            let mut pushed = Vec::new();
            push_integer(integer, &mut pushed);
            assert_eq!(pushed, integer.to_string().as_bytes());
        }
    }

    #[test]
    fn writes_exactly_what_raw_value_writes() {
        for text in [
            "0",
            "-0.01",
            "2000.00",
            "12345678901234567890.12",
            "7.9228162514264337593543950335",
        ] {
            let value = Decimal::from_str_exact(text).unwrap();
            let mut ours = Vec::new();
            serialize(&value, &mut serde_json::Serializer::new(&mut ours)).unwrap();
            let theirs =
                serde_json::to_vec(&RawValue::from_string(value.to_string()).unwrap()).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(theirs).unwrap()
            );
            assert_eq!(
                serde_json::to_string(&Amounts {
                    amount: value,
                    limit: None
                })
                .unwrap(),
                format!(r#"{{"amount":{text},"limit":null}}"#)
            );
        }
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
