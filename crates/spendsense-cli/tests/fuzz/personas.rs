//! Fuzzing of persona files: the default `Personas` JSON with numbers swapped
//! for hostile values (0, negative, huge, many decimals, off by a little) and
//! lists lengthened or shortened, read exactly as `--personas` reads it.
//!
//! The property: a file is either refused (by deserialization or by
//! `Personas::problems`, and then `Generator::new` refuses it too), or the
//! generator accepts it, generating never panics, and every profile it writes
//! validates against the same file.

use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::Value;
use spendsense_generator::{Generator, GeneratorConfig};
use spendsense_personas::Personas;

/// Profiles generated from each accepted file: a few per persona.
const COUNT: u64 = 30;

/// One change to the persona file, at a position taken modulo the count of
/// numbers (or lists) in the file as it stands.
#[derive(Debug, Clone)]
enum Edit {
    /// Replaces a number by this JSON number text.
    Number(usize, String),
    /// Multiplies a number by this factor, keeping its decimals.
    Scale(usize, Decimal),
    /// Appends this many copies of a list's first element (or a number to an empty list).
    Lengthen(usize, usize),
    /// Removes the element at this position of a list.
    Shorten(usize, usize),
}

fn number_text() -> impl Strategy<Value = String> {
    let hostile: Vec<&'static str> = vec![
        "0",
        "-1",
        "-0.01",
        "1",
        "2",
        "13",
        "14",
        "46",
        "120",
        "121",
        "180",
        "181",
        "255",
        "256",
        "65535",
        "65536",
        "100",
        "101",
        "10000",
        "10000.01",
        "200001",
        "0.005",
        "1.999",
        "1000000000000000",
        "1000000000000000000000000000",
        "79228162514264337593543950335",
        "79228162514264337593543950336",
        "0.0000000000000000000000000001",
        "1e27",
        "-0",
    ];
    prop_oneof![
        proptest::sample::select(hostile).prop_map(String::from),
        (0i64..1_000_000, 0u32..4).prop_map(|(n, scale)| Decimal::new(n, scale).to_string()),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    let factors = ["0", "0.5", "0.9", "0.99", "1.01", "1.1", "1.5", "2", "10"];
    prop_oneof![
        3 => (any::<usize>(), number_text()).prop_map(|(at, text)| Edit::Number(at, text)),
        3 => (any::<usize>(), proptest::sample::select(factors.to_vec()))
            .prop_map(|(at, f)| Edit::Scale(at, f.parse().unwrap())),
        1 => (any::<usize>(), 1usize..40).prop_map(|(at, n)| Edit::Lengthen(at, n)),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(at, i)| Edit::Shorten(at, i)),
    ]
}

/// JSON pointers of every number and every list in `value`.
fn leaves(value: &Value, at: String, numbers: &mut Vec<String>, lists: &mut Vec<String>) {
    match value {
        Value::Number(_) => numbers.push(at),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                leaves(item, format!("{at}/{i}"), numbers, lists);
            }
            lists.push(at);
        }
        Value::Object(fields) => {
            for (key, item) in fields {
                leaves(item, format!("{at}/{key}"), numbers, lists);
            }
        }
        _ => {}
    }
}

/// The default persona file changed by `edits`, as text.
fn persona_file(edits: &[Edit]) -> String {
    let mut value = serde_json::to_value(Personas::spendsense()).unwrap();
    // Replacements are placeholders until the end, so that any number text,
    // however large or precise, reaches the file exactly as written.
    let mut texts = Vec::new();
    for edit in edits {
        let (mut numbers, mut lists) = (Vec::new(), Vec::new());
        leaves(&value, String::new(), &mut numbers, &mut lists);
        let number_at = |at: usize| numbers.get(at % numbers.len().max(1)).cloned();
        match edit {
            Edit::Number(at, text) => {
                if let Some(pointer) = number_at(*at) {
                    *value.pointer_mut(&pointer).unwrap() =
                        Value::String(format!("@@{}@@", texts.len()));
                    texts.push(text.clone());
                }
            }
            Edit::Scale(at, factor) => {
                if let Some(pointer) = number_at(*at) {
                    let slot = value.pointer_mut(&pointer).unwrap();
                    let old: Decimal = slot.to_string().parse().unwrap();
                    let new = (old * factor).round_dp(old.scale());
                    *slot = Value::String(format!("@@{}@@", texts.len()));
                    texts.push(new.to_string());
                }
            }
            Edit::Lengthen(at, n) => {
                let pointer = &lists[at % lists.len()];
                let list = value.pointer_mut(pointer).unwrap().as_array_mut().unwrap();
                let item = list.first().cloned().unwrap_or(Value::from(1));
                list.extend(std::iter::repeat_n(item, *n));
            }
            Edit::Shorten(at, i) => {
                let pointer = &lists[at % lists.len()];
                let list = value.pointer_mut(pointer).unwrap().as_array_mut().unwrap();
                if !list.is_empty() {
                    let i = i % list.len();
                    list.remove(i);
                }
            }
        }
    }
    let mut text = serde_json::to_string_pretty(&value).unwrap();
    for (i, number) in texts.iter().enumerate() {
        text = text.replace(&format!("\"@@{i}@@\""), number);
    }
    text
}

/// Reads `text` as `--personas` does and checks the property.
fn check_file(text: &str, seed: u64) -> Result<(), TestCaseError> {
    let Ok(personas) = serde_json::from_str::<Personas>(text) else {
        return Ok(());
    };
    let problems = personas.problems();
    let mut config = GeneratorConfig::new(seed, COUNT);
    config.personas = personas.clone();
    match Generator::new(&config) {
        Err(err) => {
            prop_assert!(!problems.is_empty(), "refused without a problem: {err}");
            prop_assert!(!err.to_string().is_empty());
        }
        Ok(generator) => {
            prop_assert!(problems.is_empty(), "accepted despite {problems:?}");
            let profiles: Vec<_> = (0..COUNT).map(|i| generator.profile(i)).collect();
            let report = spendsense_validate::validate(&personas, &profiles);
            prop_assert!(report.is_valid(), "{report}\n--- persona file\n{text}");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(super::config())]

    #[test]
    fn persona_files_are_refused_or_generate_valid_profiles(
        edits in proptest::collection::vec(edit(), 1..4),
        seed in any::<u64>(),
    ) {
        check_file(&persona_file(&edits), seed)?;
    }
}

/// The perturbations reach the generator often enough to mean something:
/// many files of the strategy are accepted, and some are refused.
#[test]
fn the_persona_file_strategy_both_passes_and_fails() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = proptest::collection::vec(edit(), 1..4);
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..200 {
        let edits = strategy.new_tree(&mut runner).unwrap().current();
        let ok = serde_json::from_str::<Personas>(&persona_file(&edits))
            .is_ok_and(|p| p.problems().is_empty());
        if ok { accepted += 1 } else { refused += 1 }
    }
    assert!(
        accepted >= 20 && refused >= 20,
        "accepted {accepted}, refused {refused}"
    );
}

#[test]
fn the_default_persona_file_round_trips_through_the_editor() {
    let text = persona_file(&[]);
    let personas: Personas = serde_json::from_str(&text).unwrap();
    assert_eq!(personas, Personas::spendsense());
    check_file(&text, 7).unwrap();
}
