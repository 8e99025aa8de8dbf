//! Fuzzing of profile parsing and validation: `read_profiles` (JSON and
//! JSONL) feeding `Validator`, exactly as `spendsense validate` does, on
//! arbitrary bytes, on JSON-shaped noise, on byte-level mutations of valid
//! profiles and on valid profiles with one value swapped for a hostile one.
//!
//! The property: nothing panics; reading returns `Ok(count)` with every record
//! delivered or `Err`; the report counts every delivered record, renders as
//! text and JSON, and quotes no more than a clipped piece of the input.
//!
//! The default of 256 cases per property keeps `cargo test` quick; run longer with
//! `PROPTEST_CASES=100000 cargo test --release -p spendsense-cli --test main fuzz`
//! (see docs/errors.md).

mod personas;

use proptest::prelude::*;
use serde_json::Value;
use spendsense_personas::Personas;
use spendsense_schema::{ProfileFormat, read_profiles};
use spendsense_validate::Validator;

use crate::{sample_json, sample_jsonl, sample_values};

/// Record error messages are clipped to 200 characters plus a `[… N bytes …]` marker.
const MAX_UNREADABLE_MESSAGE: usize = 240;

/// Reads `bytes` in both formats through the validator and checks the property.
fn feed(bytes: &[u8]) -> Result<(), TestCaseError> {
    let personas = Personas::spendsense();
    for format in [ProfileFormat::Json, ProfileFormat::Jsonl] {
        let mut validator = Validator::new(&personas);
        let mut delivered = 0u64;
        let mut misplaced = Vec::new();
        let result = read_profiles(bytes, format, |record| {
            match record {
                Ok(profile) => validator.push(&profile),
                Err(err) => {
                    if err.location.index != delivered {
                        misplaced.push((err.location.index, delivered));
                    }
                    validator.push_unreadable(err.location.line, &err.path, err.message);
                }
            }
            delivered += 1;
        });
        prop_assert!(
            misplaced.is_empty(),
            "{format}: record indices {misplaced:?}"
        );
        match result {
            Ok(count) => prop_assert_eq!(count, delivered, "{}", format),
            Err(err) => prop_assert!(!err.to_string().is_empty()),
        }
        let report = validator.finish();
        prop_assert_eq!(report.total, delivered);
        prop_assert!(report.violation_count >= report.violations.len() as u64);
        for violation in &report.violations {
            if violation.rule == "unreadable-record" {
                let chars = violation.message.chars().count() + violation.path.chars().count();
                prop_assert!(chars <= 2 * MAX_UNREADABLE_MESSAGE, "{violation:?}");
            }
        }
        let _text = report.to_string();
        let _json = serde_json::to_string(&report).expect("reports always serialize");
    }
    Ok(())
}

/// Bytes biased towards JSON punctuation, digits and the words JSON knows.
fn json_noise() -> impl Strategy<Value = Vec<u8>> {
    let pieces: Vec<&'static str> = vec![
        "[",
        "]",
        "{",
        "}",
        "\"",
        ":",
        ",",
        " ",
        "\n",
        "\r\n",
        "0",
        "1",
        "-",
        ".",
        "e",
        "E",
        "+",
        "null",
        "true",
        "false",
        "\\",
        "\\u0000",
        "\\ud800",
        "é",
        "\u{feff}",
        "\"user_id\"",
        "\"accounts\"",
        "\"balances\"",
        "\"persona\"",
        "\"control\"",
        "1e400",
        "\0",
        "\u{7f}",
        "79228162514264337593543950336",
    ];
    proptest::collection::vec(proptest::sample::select(pieces), 0..400)
        .prop_map(|pieces| pieces.concat().into_bytes())
}

/// One byte-level edit, at a position taken modulo the length.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Insert(usize, u8),
    Replace(usize, &'static str),
    Truncate(usize),
    /// Repeats the `"key":` found at or after the position, so the key is duplicated.
    DuplicateKey(usize),
    /// Wraps the number found at or after the position in quotes.
    Quote(usize),
    /// Swaps the string found at or after the position for a number.
    Unquote(usize, &'static str),
}

const TOKENS: &[&str] = &[
    "null",
    "[]",
    "{}",
    "-",
    "1e400",
    "\"",
    "\\",
    "\\u0000",
    "0",
    "-0.00",
    "0.001",
    "99999999999999999999999999999",
    "-79228162514264337593543950335",
    "\"x\"",
    ",",
    ":",
    "\n",
    "\u{2028}",
    "\u{fffd}",
];

fn edit() -> impl Strategy<Value = Edit> {
    let token = proptest::sample::select(TOKENS);
    prop_oneof![
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Edit::Insert(at, byte)),
        (any::<usize>(), token.clone()).prop_map(|(at, t)| Edit::Replace(at, t)),
        any::<usize>().prop_map(Edit::Truncate),
        any::<usize>().prop_map(Edit::DuplicateKey),
        any::<usize>().prop_map(Edit::Quote),
        (any::<usize>(), token).prop_map(|(at, t)| Edit::Unquote(at, t)),
    ]
}

fn apply(bytes: &mut Vec<u8>, edit: &Edit) {
    if bytes.is_empty() {
        return;
    }
    let at = |position: usize| position % bytes.len();
    match *edit {
        Edit::Delete(position) => {
            bytes.remove(at(position));
        }
        Edit::Insert(position, byte) => bytes.insert(at(position), byte),
        Edit::Replace(position, token) => {
            let start = at(position);
            let end = (start + 1).min(bytes.len());
            bytes.splice(start..end, token.bytes());
        }
        Edit::Truncate(position) => bytes.truncate(at(position)),
        Edit::DuplicateKey(position) => {
            let start = at(position);
            let Some(key_end) = find(bytes, start, b"\":") else {
                return;
            };
            let Some(key_start) = bytes[..key_end].iter().rposition(|b| *b == b'"') else {
                return;
            };
            let mut copy = bytes[key_start..key_end + 2].to_vec();
            copy.extend_from_slice(b"0,");
            bytes.splice(key_start..key_start, copy);
        }
        Edit::Quote(position) => {
            let start = at(position);
            let Some(first) = bytes[start..].iter().position(u8::is_ascii_digit) else {
                return;
            };
            let first = start + first;
            let len = bytes[first..]
                .iter()
                .take_while(|b| b.is_ascii_digit() || **b == b'.')
                .count();
            bytes.insert(first + len, b'"');
            bytes.insert(first, b'"');
        }
        Edit::Unquote(position, token) => {
            let start = at(position);
            let Some(open) = find(bytes, start, b"\"") else {
                return;
            };
            let Some(close) = find(bytes, open + 1, b"\"") else {
                return;
            };
            bytes.splice(open..=close, token.bytes());
        }
    }
}

fn find(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|at| from + at)
}

/// A hostile JSON value, as raw text (so it can be what serde_json would
/// never write: `1e400`, 29 digits, `-0`).
fn hostile_value() -> impl Strategy<Value = String> {
    let raw = proptest::sample::select(vec![
        "null",
        "true",
        "false",
        "0",
        "-0",
        "-1",
        "1",
        "0.5",
        "-0.01",
        "0.001",
        "1e400",
        "-1e400",
        "1e-400",
        "18446744073709551616",
        "-9223372036854775809",
        "4294967296",
        "65536",
        "256",
        "79228162514264337593543950335",
        "-79228162514264337593543950335",
        "7922816251426433759354395033.5",
        "0.0000000000000000000000000001",
        "99999999999999999999999999999",
        "[]",
        "{}",
        "[null]",
        "{\"a\":1}",
        "\"\"",
        "\" \"",
        "\"control\"",
        "\"credit card\"",
        "\"checking\"",
        "\"savings\"",
        "\"depository\"",
        "\"credit\"",
        "\"USD\"",
        "\"user_MASKED_000\"",
        "\"\\u0000\"",
        "\"\\ud800\"",
    ]);
    prop_oneof![
        4 => raw.prop_map(str::to_string),
        1 => "\\PC{0,40}".prop_map(|s| serde_json::to_string(&s).unwrap()),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => (any::<i64>(), 0u32..30).prop_map(|(n, scale)| rust_decimal::Decimal::new(n, scale.min(28)).to_string()),
    ]
}

/// What to do at the place a walk through a profile reaches.
#[derive(Debug, Clone)]
enum Change {
    /// Replace the value with raw JSON text.
    Set(String),
    /// Remove the field (a missing field) or array element.
    Remove,
    /// Add an unknown field next to it.
    AddField,
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        6 => hostile_value().prop_map(Change::Set),
        1 => Just(Change::Remove),
        1 => Just(Change::AddField),
    ]
}

const MARK: &str = "@@fuzz@@";

/// Applies `change` where the walk `steps` (indices modulo the width at each
/// level) ends in `value`; returns false when there was nothing to change.
fn change_at(value: &mut Value, steps: &[usize], change: &Change) -> bool {
    let width = match value {
        Value::Object(map) => map.len(),
        Value::Array(items) => items.len(),
        _ => 0,
    };
    let Some((&step, rest)) = steps.split_first().filter(|_| width > 0) else {
        return false;
    };
    let index = step % width;
    let stop = rest.is_empty()
        || !matches!(
            child(value, index),
            Some(Value::Object(_) | Value::Array(_))
        );
    if !stop && change_at(child_mut(value, index), rest, change) {
        return true;
    }
    match (value, change) {
        (Value::Object(map), Change::Set(_)) => {
            let key = map.keys().nth(index).unwrap().clone();
            map[&key] = Value::String(MARK.into());
        }
        (Value::Array(items), Change::Set(_)) => items[index] = Value::String(MARK.into()),
        (Value::Object(map), Change::Remove) => {
            let key = map.keys().nth(index).unwrap().clone();
            map.remove(&key);
        }
        (Value::Array(items), Change::Remove) => {
            items.remove(index);
        }
        (Value::Object(map), Change::AddField) => {
            map.insert("unexpected".into(), Value::Null);
        }
        (Value::Array(items), Change::AddField) => items.push(Value::Null),
        _ => return false,
    }
    true
}

fn child(value: &Value, index: usize) -> Option<&Value> {
    match value {
        Value::Object(map) => map.values().nth(index),
        Value::Array(items) => items.get(index),
        _ => None,
    }
}

fn child_mut(value: &mut Value, index: usize) -> &mut Value {
    match value {
        Value::Object(map) => map.values_mut().nth(index).unwrap(),
        Value::Array(items) => &mut items[index],
        _ => unreachable!("only containers have children"),
    }
}

/// The sample profiles with `changes` applied, as JSONL and as a JSON array.
fn with_changes(changes: &[(usize, Vec<usize>, Change)]) -> (Vec<u8>, Vec<u8>) {
    let mut values = sample_values();
    let mut raws = Vec::new();
    for (profile, steps, change) in changes {
        let count = values.len();
        if change_at(&mut values[profile % count], steps, change)
            && let Change::Set(raw) = change
        {
            raws.push(raw.clone());
        }
    }
    // Each mark becomes one of the raw texts (which one does not matter; a
    // later change may have removed an earlier mark).
    let render = |text: String| {
        let quoted = format!("\"{MARK}\"");
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        let mut raws = raws.iter();
        while let Some(at) = rest.find(&quoted) {
            out.push_str(&rest[..at]);
            out.push_str(raws.next().map_or("null", String::as_str));
            rest = &rest[at + quoted.len()..];
        }
        out.push_str(rest);
        out.into_bytes()
    };
    let jsonl: String = values.iter().map(|v| format!("{v}\n")).collect();
    let json = serde_json::to_string_pretty(&values).unwrap();
    (render(jsonl), render(json))
}

/// proptest's defaults (`PROPTEST_CASES`, 256 by default) with a fixed seed,
/// so a plain `cargo test` is reproducible; set `PROPTEST_RNG_SEED` to explore.
/// A failure prints its minimal input; nothing is written to the source tree.
fn config() -> ProptestConfig {
    let mut config = ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = proptest::test_runner::RngSeed::Fixed(0x5eed_0005);
    }
    config
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        feed(&bytes)?;
    }

    #[test]
    fn json_noise_never_panics(bytes in json_noise()) {
        feed(&bytes)?;
        // The same noise inside a valid array and after a valid line.
        let mut wrapped = b"[".to_vec();
        wrapped.extend_from_slice(&bytes);
        wrapped.push(b']');
        feed(&wrapped)?;
        let mut after = sample_jsonl().as_bytes().to_vec();
        after.extend_from_slice(&bytes);
        feed(&after)?;
    }

    #[test]
    fn edited_profiles_never_panic(edits in proptest::collection::vec(edit(), 1..6), json in any::<bool>()) {
        let mut bytes = if json { sample_json() } else { sample_jsonl() }.as_bytes().to_vec();
        for edit in &edits {
            apply(&mut bytes, edit);
        }
        feed(&bytes)?;
    }

    #[test]
    fn profiles_with_hostile_values_never_panic(
        changes in proptest::collection::vec(
            (any::<usize>(), proptest::collection::vec(any::<usize>(), 1..6), change()),
            1..4,
        ),
    ) {
        let (jsonl, json) = with_changes(&changes);
        feed(&jsonl)?;
        feed(&json)?;
    }
}
