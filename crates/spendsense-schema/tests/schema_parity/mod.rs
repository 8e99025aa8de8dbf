//! The JSON Schema and `validate_profile` agree, in both directions.
//!
//! - Schema to validation: the test walks the generated schema and, for every
//!   constraint it finds, changes the sample profile at that place to values
//!   that break the constraint. Every changed profile the schema rejects must be
//!   rejected by serde (types, enums, required and unknown keys) or by
//!   `validate_profile`; and every constraint must be broken, so rejected, by
//!   at least one of them. Nothing is listed by hand but the breaking values
//!   per keyword, so a constraint added to a new field is covered on its own,
//!   and a keyword the walk does not know fails the test.
//! - Validation to schema: every rule of [`Rule::ALL`] has an example profile
//!   here that breaks it; the schema must reject it when the rule is
//!   [`InJsonSchema::Stated`] and accept it when it is not (which is why the
//!   rule is validation's alone).
//!
//! The schema is evaluated by the small Draft 2020-12 evaluator below, which
//! knows exactly the keywords the generated schema uses: the `jsonschema`
//! crate would do it too, but brings about 70 crates (ICU, big numbers, URL
//! parsing) for one test.

use std::collections::{BTreeMap, BTreeSet};

use regex::Regex;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use spendsense_schema::json_schema::profile_schema;
use spendsense_schema::{
    AccountSubtype, CardPayment, Date, InJsonSchema, IncomeStability, PayFrequency, Rule,
    UserProfile, sample, validate_profile,
};

use crate::{account, dec};

/// Keywords that describe and never constrain. (`format` is an annotation in
/// Draft 2020-12; schemars' integer formats come with `minimum`/`maximum`.)
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$defs",
    "title",
    "description",
    "format",
    "default",
    "examples",
];

/// A minimal JSON Schema evaluator that reports the keyword path (through
/// `$ref`s, e.g. `/properties/demographics/$ref/properties/age/minimum`) of
/// every keyword that fails, inside `anyOf`/`oneOf` branches too.
struct Evaluator {
    root: Value,
    patterns: BTreeMap<String, Regex>,
}

impl Evaluator {
    fn new(root: Value) -> Self {
        let mut patterns = BTreeMap::new();
        collect(&root, &mut |key, value| {
            if key == "pattern" {
                let text = value.as_str().unwrap();
                patterns.insert(text.to_string(), Regex::new(text).unwrap());
            }
        });
        Evaluator { root, patterns }
    }

    fn failures(&self, instance: &Value) -> Vec<String> {
        let mut out = Vec::new();
        self.eval(&self.root, "", instance, &mut out);
        out
    }

    fn resolve(&self, reference: &str) -> &Value {
        let pointer = reference.strip_prefix('#').expect("a local $ref");
        self.root.pointer(pointer).expect("$ref resolves")
    }

    fn eval(&self, schema: &Value, at: &str, instance: &Value, out: &mut Vec<String>) {
        let object = match schema {
            Value::Bool(true) => return,
            Value::Bool(false) => return out.push(at.to_string()),
            Value::Object(object) => object,
            other => panic!("{at}: a schema is an object or a boolean, not {other}"),
        };
        for (keyword, value) in object {
            let here = format!("{at}/{keyword}");
            let fails = match keyword.as_str() {
                k if ANNOTATIONS.contains(&k) => false,
                // Evaluated with their `if`.
                "then" | "else" => false,
                "$ref" => {
                    self.eval(self.resolve(value.as_str().unwrap()), &here, instance, out);
                    false
                }
                "type" => !types(value).iter().any(|t| is_type(t, instance)),
                "enum" => !value.as_array().unwrap().iter().any(|v| same(v, instance)),
                "const" => !same(value, instance),
                "minimum" => number(instance).is_some_and(|n| n < value.as_f64().unwrap()),
                "maximum" => number(instance).is_some_and(|n| n > value.as_f64().unwrap()),
                "exclusiveMinimum" => {
                    number(instance).is_some_and(|n| n <= value.as_f64().unwrap())
                }
                "exclusiveMaximum" => {
                    number(instance).is_some_and(|n| n >= value.as_f64().unwrap())
                }
                "minLength" => length(instance).is_some_and(|n| n < value.as_u64().unwrap()),
                "maxLength" => length(instance).is_some_and(|n| n > value.as_u64().unwrap()),
                "pattern" => instance
                    .as_str()
                    .is_some_and(|s| !self.patterns[value.as_str().unwrap()].is_match(s)),
                "required" => instance.as_object().is_some_and(|o| {
                    value
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|key| !o.contains_key(key.as_str().unwrap()))
                }),
                "properties" => {
                    if let Some(o) = instance.as_object() {
                        for (key, sub) in value.as_object().unwrap() {
                            if let Some(v) = o.get(key) {
                                self.eval(sub, &format!("{here}/{key}"), v, out);
                            }
                        }
                    }
                    false
                }
                "additionalProperties" => {
                    if let Some(o) = instance.as_object() {
                        let known = object.get("properties").and_then(Value::as_object);
                        for (key, v) in o {
                            if !known.is_some_and(|k| k.contains_key(key)) {
                                self.eval(value, &here, v, out);
                            }
                        }
                    }
                    false
                }
                "items" => {
                    for item in instance.as_array().into_iter().flatten() {
                        self.eval(value, &here, item, out);
                    }
                    false
                }
                "allOf" => {
                    for (i, sub) in value.as_array().unwrap().iter().enumerate() {
                        self.eval(sub, &format!("{here}/{i}"), instance, out);
                    }
                    false
                }
                "anyOf" | "oneOf" => {
                    let branches: Vec<Vec<String>> = value
                        .as_array()
                        .unwrap()
                        .iter()
                        .enumerate()
                        .map(|(i, sub)| {
                            let mut failed = Vec::new();
                            self.eval(sub, &format!("{here}/{i}"), instance, &mut failed);
                            failed
                        })
                        .collect();
                    let passing = branches.iter().filter(|b| b.is_empty()).count();
                    let fails = if keyword == "anyOf" {
                        passing == 0
                    } else {
                        passing != 1
                    };
                    if fails {
                        out.extend(branches.into_iter().flatten());
                    }
                    fails
                }
                "if" => {
                    let mut failed = Vec::new();
                    self.eval(value, &here, instance, &mut failed);
                    let branch = if failed.is_empty() { "then" } else { "else" };
                    if let Some(sub) = object.get(branch) {
                        self.eval(sub, &format!("{at}/{branch}"), instance, out);
                    }
                    false
                }
                other => panic!(
                    "{here}: the parity test does not know the keyword `{other}`; teach its evaluator and its walk"
                ),
            };
            if fails {
                out.push(here);
            }
        }
    }
}

/// Calls `visit` with every key and value of every object inside `value`.
fn collect(value: &Value, visit: &mut impl FnMut(&str, &Value)) {
    match value {
        Value::Object(object) => {
            for (key, v) in object {
                visit(key, v);
                collect(v, visit);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, visit)),
        _ => {}
    }
}

fn types(value: &Value) -> Vec<&str> {
    match value {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().map(|t| t.as_str().unwrap()).collect(),
        other => panic!("type {other}"),
    }
}

fn is_type(name: &str, instance: &Value) -> bool {
    match name {
        "null" => instance.is_null(),
        "boolean" => instance.is_boolean(),
        "object" => instance.is_object(),
        "array" => instance.is_array(),
        "string" => instance.is_string(),
        "number" => instance.is_number(),
        "integer" => number(instance).is_some_and(|n| n.fract() == 0.0),
        other => panic!("unknown type {other}"),
    }
}

fn number(instance: &Value) -> Option<f64> {
    instance.as_f64()
}

fn length(instance: &Value) -> Option<u64> {
    instance.as_str().map(|s| s.chars().count() as u64)
}

/// JSON Schema equality: numbers compare by value (`14` equals `14.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// One change to a profile at one place.
#[derive(Debug, Clone)]
enum Edit {
    Set(Value),
    Remove(String),
    AddKey(String),
}

/// Values that break one constraint, found at keyword path `keyword` and
/// applied at JSON pointer `pointer` of the base profile.
#[derive(Debug)]
struct Target {
    keyword: String,
    pointer: String,
    edits: Vec<Edit>,
}

/// Walks `schema` alongside `instance` (at `pointer` in the profile) and
/// lists, for every constraint, edits that break it. `words` holds the
/// strings of every `enum` and `const` of the schema, one list each, to try
/// as wrong values.
fn walk(
    evaluator: &Evaluator,
    schema: &Value,
    at: &str,
    pointer: &str,
    instance: &Value,
    words: &[Vec<String>],
    out: &mut Vec<Target>,
) {
    let Some(object) = schema.as_object() else {
        return;
    };
    for (keyword, value) in object {
        let here = format!("{at}/{keyword}");
        let mut edits = Vec::new();
        // Wrong values for an `enum` or `const` allowing `allowed`: the other
        // values of every enum over the same domain (a subtype of another
        // account type, the other income stability), plus values of no domain.
        let wrong_words = |allowed: &[Value]| {
            let related: BTreeSet<&String> = words
                .iter()
                .filter(|list| list.iter().any(|w| allowed.contains(&json!(w))))
                .flatten()
                .collect();
            related
                .into_iter()
                .map(|w| json!(w))
                .chain([json!("not-a-value"), Value::Null, json!(0)])
                .filter(|w| !allowed.iter().any(|a| same(a, w)))
                .collect::<Vec<Value>>()
        };
        match keyword.as_str() {
            k if ANNOTATIONS.contains(&k) => {}
            // `if` holds conditions, not constraints: the evaluator applies
            // `then` where they hold.
            "if" => {}
            "$ref" => walk(
                evaluator,
                evaluator.resolve(value.as_str().unwrap()),
                &here,
                pointer,
                instance,
                words,
                out,
            ),
            "type" => {
                let allowed = types(value);
                let mut tries = vec![
                    Value::Null,
                    json!(true),
                    json!("text"),
                    json!(1.5),
                    json!(7),
                    json!([]),
                    json!({}),
                ];
                // The edges of Rust's integer types: beyond them serde
                // refuses, within them validation must.
                if allowed.contains(&"integer") {
                    tries.extend([-1, 0, 255, 256, 65535, 65536].map(|n| json!(n)));
                }
                edits.extend(
                    tries
                        .into_iter()
                        .filter(|v| !allowed.iter().any(|t| is_type(t, v)) || v.is_number())
                        .map(Edit::Set),
                );
            }
            "enum" => {
                edits.extend(
                    wrong_words(value.as_array().unwrap())
                        .into_iter()
                        .map(Edit::Set),
                );
            }
            "const" => {
                let mut tries = wrong_words(std::slice::from_ref(value));
                if let Some(n) = value.as_i64() {
                    tries.extend([json!(n - 1), json!(n + 1)]);
                }
                edits.extend(tries.into_iter().map(Edit::Set));
            }
            "minimum" | "exclusiveMinimum" => {
                let bound = value.as_f64().unwrap();
                let mut tries = vec![json!(bound - 1.0), json!(bound - 0.01)];
                if keyword == "exclusiveMinimum" {
                    tries.push(value.clone());
                }
                edits.extend(tries.into_iter().map(Edit::Set));
            }
            "maximum" | "exclusiveMaximum" => {
                let bound = value.as_f64().unwrap();
                let mut tries = vec![json!(bound + 1.0), json!(bound + 0.01)];
                if keyword == "exclusiveMaximum" {
                    tries.push(value.clone());
                }
                edits.extend(tries.into_iter().map(Edit::Set));
            }
            "minLength" => {
                let n = value.as_u64().unwrap() as usize;
                edits.extend((n > 0).then(|| Edit::Set(json!("x".repeat(n - 1)))));
            }
            "maxLength" => {
                let n = value.as_u64().unwrap() as usize;
                edits.push(Edit::Set(json!("x".repeat(n + 1))));
            }
            "pattern" => {
                let regex = &evaluator.patterns[value.as_str().unwrap()];
                let base = instance.as_str().unwrap_or("");
                let mut tries = mutations(base);
                tries.retain(|t| !regex.is_match(t));
                edits.extend(tries.into_iter().map(|t| Edit::Set(json!(t))));
            }
            // Keywords of objects say nothing about another branch's value
            // (`null` in an `anyOf` with an object).
            "required" | "additionalProperties" if !instance.is_object() => {}
            // The one documented gap: the schema requires the keys every
            // profile is written with, and serde reads files of earlier
            // versions, which left some of them out, as `null`.
            "required" => edits.extend(
                value
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|k| k.as_str().unwrap())
                    .filter(|k| {
                        !(pointer.is_empty()
                            && UserProfile::KEYS_READ_AS_NULL_WHEN_ABSENT.contains(k))
                    })
                    .map(|k| Edit::Remove(k.to_string())),
            ),
            "additionalProperties" => {
                assert_eq!(value, &json!(false), "{here}: only `false` is walked");
                edits.push(Edit::AddKey("unexpected_key".into()));
            }
            "properties" => {
                for (key, sub) in value.as_object().unwrap() {
                    if let Some(v) = instance.get(key) {
                        let path = format!("{here}/{key}");
                        walk(
                            evaluator,
                            sub,
                            &path,
                            &format!("{pointer}/{key}"),
                            v,
                            words,
                            out,
                        );
                    }
                }
            }
            "items" => {
                for (i, item) in instance.as_array().into_iter().flatten().enumerate() {
                    let item_pointer = format!("{pointer}/{i}");
                    walk(evaluator, value, &here, &item_pointer, item, words, out);
                }
            }
            "allOf" | "anyOf" | "oneOf" => {
                for (i, sub) in value.as_array().unwrap().iter().enumerate() {
                    let branch = format!("{here}/{i}");
                    walk(evaluator, sub, &branch, pointer, instance, words, out);
                }
            }
            "then" | "else" => walk(evaluator, value, &here, pointer, instance, words, out),
            other => panic!(
                "{here}: the parity test does not know the keyword `{other}`; teach its evaluator and its walk"
            ),
        }
        if !edits.is_empty() {
            out.push(Target {
                keyword: here,
                pointer: pointer.to_string(),
                edits,
            });
        }
    }
}

/// Strings near `base` (and a few notorious ones) to try against a pattern.
fn mutations(base: &str) -> Vec<String> {
    let mut tries: Vec<String> = [
        "", " ", "\t", "\u{a0}", "\u{85}", "\u{feff}", "x", "0", "A", "a@b", "usd", "XYZ",
    ]
    .map(String::from)
    .to_vec();
    let chars: Vec<char> = base.chars().collect();
    tries.extend([
        format!("{base}x"),
        format!("x{base}"),
        format!("{base}0"),
        format!("{base}\n"),
        format!(" {base}"),
        format!("a@{base}"),
        base.to_lowercase(),
        base.to_uppercase(),
    ]);
    for i in 0..chars.len() {
        for replacement in ["", "a", "0", " ", "@", "é"] {
            let mut changed: String = chars[..i].iter().collect();
            changed.push_str(replacement);
            changed.extend(&chars[i + 1..]);
            tries.push(changed);
        }
    }
    tries
}

fn apply(base: &Value, pointer: &str, edit: &Edit) -> Value {
    let mut changed = base.clone();
    let place = changed.pointer_mut(pointer).unwrap();
    match edit {
        Edit::Set(value) => *place = value.clone(),
        Edit::Remove(key) => {
            place.as_object_mut().unwrap().remove(key);
        }
        Edit::AddKey(key) => {
            place.as_object_mut().unwrap().insert(key.clone(), json!(1));
        }
    }
    changed
}

/// Why the crate refuses `value`, or `None` when serde and validation both accept it.
fn refusal(value: &Value) -> Option<String> {
    match serde_json::from_value::<UserProfile>(value.clone()) {
        Err(err) => Some(format!("serde: {err}")),
        Ok(profile) => {
            let violations = validate_profile(&profile);
            (!violations.is_empty()).then(|| format!("validate: {}", violations[0]))
        }
    }
}

/// The sample profiles the walk starts from: between them they reach every
/// constraint (the overlap keys, and an account of every type).
fn bases() -> Vec<Value> {
    let mut with_loan = sample::profile();
    with_loan.accounts.push(account(
        "user_MASKED_000_acct_3",
        "0004",
        AccountSubtype::Student,
        ("0.00", "5000.00", None),
    ));
    // Each pay frequency's rule applies only to profiles paid that way.
    let paid = |frequency, stability, gap| {
        let mut profile = sample::profile();
        let traits = &mut profile.characteristics;
        (
            traits.pay_frequency,
            traits.income_stability,
            traits.median_pay_gap_days,
        ) = (frequency, stability, gap);
        profile.plan.income.frequency = frequency;
        profile
    };
    // Each payment behaviour's rule applies only to cards paid that way.
    let card_paid = |payment, interest: &str| {
        let mut profile = sample::profile();
        let card = &mut profile.plan.cards[0];
        (card.payment, card.interest_per_statement, card.is_overdue) =
            (payment, dec(interest), payment == CardPayment::Overdue);
        profile
    };
    let no_transfers = {
        let mut profile = sample::profile();
        profile.plan.savings_transfers = None;
        profile
    };
    let regular = IncomeStability::Regular;
    [
        sample::profile(),
        sample::overlap_profile(),
        with_loan,
        paid(PayFrequency::Weekly, regular, 7),
        paid(PayFrequency::Semimonthly, regular, 15),
        paid(PayFrequency::Monthly, regular, 30),
        paid(PayFrequency::Irregular, IncomeStability::Irregular, 45),
        card_paid(CardPayment::Revolving, "22.50"),
        card_paid(CardPayment::MinimumOnly, "22.50"),
        card_paid(CardPayment::Overdue, "22.50"),
        no_transfers,
    ]
    .iter()
    .map(|p| {
        assert_eq!(validate_profile(p), [], "a base must be valid");
        serde_json::to_value(p).unwrap()
    })
    .collect()
}

fn evaluator() -> Evaluator {
    Evaluator::new(profile_schema().to_value())
}

#[test]
fn the_schema_accepts_the_samples() {
    let evaluator = evaluator();
    for base in bases() {
        assert_eq!(evaluator.failures(&base), Vec::<String>::new());
    }
}

#[test]
fn every_schema_constraint_is_enforced_by_serde_or_validation() {
    let evaluator = evaluator();
    let mut words = Vec::new();
    collect(&evaluator.root, &mut |key, value| {
        if key == "enum" || key == "const" {
            let values = value
                .as_array()
                .cloned()
                .unwrap_or_else(|| vec![value.clone()]);
            words.push(
                values
                    .iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect(),
            );
        }
    });
    let mut constraints = BTreeSet::new();
    let mut broken = BTreeSet::new();
    let mut leaks = BTreeSet::new();
    for base in bases() {
        let mut targets = Vec::new();
        walk(
            &evaluator,
            &evaluator.root,
            "",
            "",
            &base,
            &words,
            &mut targets,
        );
        for target in targets {
            constraints.insert(target.keyword.clone());
            for edit in &target.edits {
                let changed = apply(&base, &target.pointer, edit);
                let failures = evaluator.failures(&changed);
                if failures.is_empty() {
                    continue;
                }
                if failures.contains(&target.keyword) {
                    broken.insert(target.keyword.clone());
                }
                if refusal(&changed).is_none() {
                    leaks.insert(format!(
                        "{} = {edit:?}: the schema refuses it ({}) but serde and validate_profile accept it",
                        target.pointer,
                        failures.join(", ")
                    ));
                }
            }
        }
    }
    assert!(leaks.is_empty(), "{leaks:#?}");
    let unbroken: Vec<&String> = constraints.difference(&broken).collect();
    assert!(
        unbroken.is_empty(),
        "no edit broke these constraints; add a breaking value for the keyword or a base that reaches them: {unbroken:#?}"
    );
    // The walk really went everywhere: a sanity floor, not a count to maintain.
    assert!(constraints.len() > 80, "{constraints:#?}");
}

fn day(year: i32, month: u8, day: u8) -> Date {
    Date::from_ymd(year, month, day).unwrap()
}

/// A change to `sample::profile()` that breaks `rule`, for every rule of [`Rule::ALL`].
fn breaking(rule: &Rule) -> Option<fn(&mut UserProfile)> {
    let edit: fn(&mut UserProfile) = match rule.name {
        "empty-field" => |p| p.name = " ".into(),
        "amount-scale" => |p| p.annual_income = dec("96000.125"),
        "income-not-positive" => |p| p.annual_income = Decimal::ZERO,
        "income-range" => |p| p.annual_income = dec("19999.99"),
        "age-range" => |p| p.demographics.age = 17,
        "unknown-state" => |p| {
            p.demographics.state = "PR".into();
            p.identity.address.region = "PR".into();
        },
        "utilization-range" => |p| p.characteristics.target_credit_utilization = dec("1.01"),
        "negative-amount" => |p| p.characteristics.target_savings_monthly = dec("-1.00"),
        "pay-schedule-mismatch" => {
            |p| p.characteristics.income_stability = IncomeStability::Irregular
        }
        "pay-gap-mismatch" => |p| p.characteristics.median_pay_gap_days = 13,
        "pay-gap-zero" => |p| p.characteristics.median_pay_gap_days = 0,
        "email-not-reserved" => |p| p.identity.email = "ada@gmail.com".into(),
        "phone-not-fictional" => |p| p.identity.phone_number = "+1-415-555-0200".into(),
        "region-mismatch" => |p| p.identity.address.region = "NY".into(),
        "postal-code-format" => |p| p.identity.address.postal_code = "9411".into(),
        "country-not-us" => |p| p.identity.address.country = "CA".into(),
        "duplicate-account-id" => |p| p.accounts[2].account_id = p.accounts[0].account_id.clone(),
        "duplicate-mask" => |p| p.accounts[2].mask = p.accounts[0].mask.clone(),
        "type-subtype-mismatch" => |p| p.accounts[0].subtype = AccountSubtype::Mortgage,
        "mask-missing" => |p| p.accounts[0].mask = None,
        "mask-format" => |p| p.accounts[0].mask = Some("12a4".into()),
        "unknown-currency" => |p| p.accounts[0].balances.iso_currency_code = Some("XYZ".into()),
        "currency-ambiguous" => {
            |p| p.accounts[0].balances.unofficial_currency_code = Some("BTC".into())
        }
        "currency-missing" => |p| p.accounts[0].balances.iso_currency_code = None,
        "balance-missing" => |p| p.accounts[0].balances.current = None,
        "credit-limit-missing" => |p| p.accounts[2].balances.limit = None,
        "credit-limit-range" => |p| {
            let b = &mut p.accounts[2].balances;
            (b.limit, b.current, b.available) =
                (Some(dec("0.00")), Some(dec("0.00")), Some(dec("0.00")));
        },
        // Over the limit while `available` stays >= 0, the part the schema states.
        "credit-balance-range" => |p| {
            let b = &mut p.accounts[2].balances;
            (b.current, b.available) = (Some(dec("15000.01")), Some(dec("0.00")));
        },
        "available-inconsistent" => |p| p.accounts[2].balances.available = Some(dec("13000.00")),
        "depository-limit" => |p| p.accounts[0].balances.limit = Some(dec("100.00")),
        "history-too-short" => |p| p.plan.history_start = p.plan.as_of.add_days(-178),
        "date-outside-history" => |p| p.plan.recurring[0].first_charge = day(2026, 12, 1),
        "paychecks-out-of-order" => |p| {
            let paychecks = &mut p.plan.income.paychecks;
            paychecks[1].date = paychecks[0].date;
        },
        "amount-not-positive" => |p| p.plan.income.paychecks[0].amount = dec("0.00"),
        "income-frequency-mismatch" => |p| p.plan.income.frequency = PayFrequency::Weekly,
        "category-format" => |p| p.plan.recurring[1].category.primary = "Entertainment".into(),
        "category-mismatch" => {
            |p| p.plan.recurring[1].category.detailed = "FOOD_AND_DRINK_COFFEE".into()
        }
        "charge-day-range" => |p| p.plan.recurring[0].first_charge = day(2026, 7, 29),
        "plan-account-unknown" => {
            |p| p.plan.recurring[0].account_id = "user_MASKED_000_acct_9".into()
        }
        "plan-account-kind" => {
            |p| p.plan.recurring[0].account_id = p.accounts[1].account_id.clone()
        }
        "card-plans-mismatch" => |p| p.plan.cards.clear(),
        "apr-range" => |p| p.plan.cards[0].purchase_apr = dec("100.01"),
        "statement-day-range" => |p| p.plan.cards[0].statement_day = 29,
        "overdue-mismatch" => |p| p.plan.cards[0].is_overdue = true,
        "interest-mismatch" => |p| p.plan.cards[0].interest_per_statement = dec("1.00"),
        "due-date-mismatch" => |p| p.plan.cards[0].next_payment_due_date = day(2026, 12, 14),
        _ => return None,
    };
    Some(edit)
}

#[test]
fn every_validation_rule_is_stated_by_the_schema_or_says_why_not() {
    let evaluator = evaluator();
    for rule in Rule::ALL {
        let edit = breaking(rule).unwrap_or_else(|| {
            panic!(
                "rule `{}` has no example in `breaking`; add one, and say in Rule::ALL whether the JSON Schema states it",
                rule.name
            )
        });
        let mut profile = sample::profile();
        edit(&mut profile);
        let rules: Vec<&str> = validate_profile(&profile).iter().map(|v| v.rule).collect();
        assert!(rules.contains(&rule.name), "{}: got {rules:?}", rule.name);
        let failures = evaluator.failures(&serde_json::to_value(&profile).unwrap());
        match rule.in_json_schema {
            InJsonSchema::Stated => assert!(
                !failures.is_empty(),
                "`{}` is marked Stated, but the schema accepts a profile that breaks it",
                rule.name
            ),
            InJsonSchema::NotExpressible(reason) => assert!(
                failures.is_empty(),
                "`{}` is marked not expressible ({reason}), but the schema rejects its example at {failures:?}: is it Stated now?",
                rule.name
            ),
        }
    }
}

#[test]
fn not_blank_text_means_what_trim_means() {
    // The schema spells white space out for ECMA-262 regexes; it must be
    // exactly the set `str::trim` (validation's `empty-field`) removes.
    let schema = profile_schema().to_value();
    let pattern = schema.pointer("/properties/name/pattern").unwrap();
    let not_blank = Regex::new(pattern.as_str().unwrap()).unwrap();
    for c in (0..=0x3000u32).filter_map(char::from_u32) {
        assert_eq!(
            not_blank.is_match(&c.to_string()),
            !c.is_whitespace(),
            "U+{:04X}",
            c as u32
        );
    }
}
