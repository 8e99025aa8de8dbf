//! The JSON Schema (Draft 2020-12) of one profile, derived from this crate's
//! types so that it cannot drift from what the crate reads and writes.
//!
//! Enabled by the `json-schema` cargo feature. `spendsense schema` prints
//! [`profile_schema_text`], and `cargo xtask gen-data` keeps the committed copy,
//! `docs/profile.schema.json`, byte for byte the same.
//!
//! The schema states what a *valid* profile is, as far as JSON Schema can say
//! it, and never more than [`validate_profile`](crate::validate_profile) and the
//! persona checks require:
//!
//! - every key is required, nullable ones included, so every profile has the
//!   same keys; no other key is allowed. (Files of earlier versions left out the
//!   two keys of overlap scenarios when they were `null`; serde still reads
//!   them, see [`UserProfile::KEYS_READ_AS_NULL_WHEN_ABSENT`](crate::UserProfile::KEYS_READ_AS_NULL_WHEN_ABSENT).)
//! - amounts are JSON numbers (never strings), with the fixed ranges
//!   (`target_credit_utilization` 0–1, `annual_income` within
//!   [`ANNUAL_INCOME_RANGE`](crate::ANNUAL_INCOME_RANGE), non-negative savings
//!   and `current` balances);
//! - enums list the exact wire values, Plaid's spaces included (`credit card`);
//! - text that validation refuses when blank has a non-white-space character,
//!   with white space spelled out as Rust's `trim` knows it; currency codes
//!   are the active ISO 4217 list, as validation's are;
//! - `mask` and `current`, which Plaid allows to be null, must be set, as
//!   validation requires;
//! - per account type: the subtypes that belong to it, and for credit and
//!   depository accounts the `limit` and `available` rules that need no
//!   arithmetic; per pay frequency: the income stability and nominal gap,
//!   and the plan's income frequency;
//! - in the plan: positive paycheck, charge and transfer amounts, APRs of 0
//!   to 100, statement days 1 to 28, monthly charges on day 1 to 28, and per
//!   card payment behaviour whether interest accrues and the card is overdue.
//!
//! [`Rule::ALL`](crate::Rule::ALL) says, rule by rule, whether this schema
//! states it; the crate's tests check both directions.
//!
//! Rules that compare two numbers (`current <= limit`, `available = limit -
//! current`), dates (the history window, the due date), ids across arrays (the
//! plan's accounts) or whole datasets (unique ids, persona quotas), and the two-decimal
//! limit on amounts, are beyond JSON Schema or beyond what float-based
//! validators check reliably; `spendsense validate` checks them.
//!
//! # Example
//!
//! ```
//! let schema = spendsense_schema::json_schema::profile_schema();
//! let utilization = schema
//!     .pointer("/$defs/Characteristics/properties/target_credit_utilization")
//!     .unwrap();
//! assert_eq!(utilization["type"], "number");
//! assert_eq!(utilization["maximum"], 1);
//! assert_eq!(schema.get("additionalProperties"), Some(&serde_json::json!(false)));
//! ```

use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::{Schema, SchemaGenerator, json_schema};
use serde_json::{Map, Value, json};

use crate::{AccountSubtype, AccountType, Cadence, CardPayment, PayFrequency, UserProfile};

/// The JSON Schema of one [`UserProfile`]: one element of a JSON dataset, or
/// one line of a JSONL dataset.
pub fn profile_schema() -> Schema {
    let mut schema = SchemaSettings::draft2020_12()
        .with_transform(RecursiveTransform(enum_of_constants))
        .with_transform(RecursiveTransform(plain_descriptions))
        .into_generator()
        .into_root_schema_for::<UserProfile>();
    schema.insert(
        "description".into(),
        json!(
            "One SpendSense synthetic user profile: one element of a JSON dataset (a top-level array) \
             or one line of a JSONL dataset. Generated from the spendsense-schema Rust types by \
             `spendsense schema`; do not edit by hand."
        ),
    );
    schema
}

/// [`profile_schema`] pretty-printed with a trailing newline: the bytes of
/// `docs/profile.schema.json` and of `spendsense schema`.
pub fn profile_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&profile_schema()).expect("a schema is plain JSON");
    text.push('\n');
    text
}

/// The characters Rust's `char::is_whitespace` (Unicode `White_Space`) and so
/// `str::trim` know, spelled out: JSON Schema patterns are ECMA-262 regexes,
/// whose `\s` is a different set (it has U+FEFF, lacks U+0085), so `\s`
/// would let the schema and validation disagree on blank text.
macro_rules! white_space {
    () => {
        r"\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000"
    };
}

/// The `pattern` of text that is not blank: validation's `empty-field` trims
/// before it checks. Docs render it as "not blank".
pub const NOT_BLANK: &str = concat!("[^", white_space!(), "]");

/// An address at a domain reserved for documentation, as validation's
/// `email-not-reserved` requires: no `@` or white space before the last `@`.
pub(crate) const RESERVED_EMAIL: &str =
    concat!("^[^@", white_space!(), r"]+@example\.(com|org|net)$");

/// An ISO 4217 code of [`crate::reference::ISO_4217_CODES`], or `null`
/// (validation's `unknown-currency`).
pub(crate) fn nullable_iso_currency(_: &mut SchemaGenerator) -> Schema {
    let mut codes: Vec<Value> = crate::reference::ISO_4217_CODES
        .iter()
        .map(|code| json!(code))
        .collect();
    codes.push(Value::Null);
    json_schema!({ "type": ["string", "null"], "enum": codes })
}

/// An amount: a JSON number, never a string (see [`crate::money`]).
pub(crate) fn amount(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "number" })
}

/// An amount that may be `null`.
pub(crate) fn nullable_amount(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": ["number", "null"] })
}

/// A string that may be `null` but whose key must be present, as Plaid's
/// nullable keys are. (schemars would make a plain `Option` key optional.)
pub(crate) fn nullable_string(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": ["string", "null"] })
}

/// On `Account`: the subtypes of each type, and the balance rules of credit and
/// depository accounts that JSON Schema can state (validation's
/// `type-subtype-mismatch`, `credit-limit-missing`, `credit-limit-range`,
/// `depository-limit` and the sign part of `available-inconsistent`).
pub(crate) fn account_type_rules(schema: &mut Schema) {
    let rules: Vec<Value> = [
        AccountType::Depository,
        AccountType::Credit,
        AccountType::Loan,
    ]
    .into_iter()
    .map(|account_type| {
        let subtypes: Vec<&str> = AccountSubtype::ALL
            .iter()
            .filter(|s| s.account_type() == account_type)
            .map(|s| s.as_str())
            .collect();
        let mut then = json!({ "properties": { "subtype": { "enum": subtypes } } });
        let balances = match account_type {
            AccountType::Credit => Some(json!({
                "limit": { "type": "number", "exclusiveMinimum": 0 },
                "available": { "type": "number", "minimum": 0 }
            })),
            AccountType::Depository => Some(json!({
                "limit": { "type": "null" },
                "available": { "type": "number", "minimum": 0 }
            })),
            AccountType::Loan => None,
        };
        if let Some(balances) = balances {
            then["properties"]["balances"] = json!({ "properties": balances });
        }
        json!({
            "if": { "properties": { "type": { "const": account_type.as_str() } } },
            "then": then
        })
    })
    .collect();
    schema.insert("allOf".into(), Value::Array(rules));
}

/// On `Balances`: exactly one of the two currency codes is set
/// (`currency-missing`, `currency-ambiguous`).
pub(crate) fn one_currency_rule(schema: &mut Schema) {
    let only = |set: &str, unset: &str| json!({ "properties": { set: { "type": "string" }, unset: { "type": "null" } } });
    schema.insert(
        "oneOf".into(),
        json!([
            only("iso_currency_code", "unofficial_currency_code"),
            only("unofficial_currency_code", "iso_currency_code"),
        ]),
    );
}

/// On `Characteristics`: each pay frequency's income stability and nominal gap
/// (`pay-schedule-mismatch`, `pay-gap-mismatch`).
pub(crate) fn pay_schedule_rules(schema: &mut Schema) {
    let frequencies = [
        PayFrequency::Weekly,
        PayFrequency::Biweekly,
        PayFrequency::Semimonthly,
        PayFrequency::Monthly,
        PayFrequency::Irregular,
    ];
    let rules: Vec<Value> = frequencies
        .into_iter()
        .map(|frequency| {
            let wire = serde_json::to_value(frequency).expect("a unit variant");
            let mut then = Map::new();
            let stability = match frequency {
                PayFrequency::Irregular => "irregular",
                _ => "regular",
            };
            then.insert("income_stability".into(), json!({ "const": stability }));
            if let Some(gap) = frequency.nominal_gap_days() {
                then.insert("median_pay_gap_days".into(), json!({ "const": gap }));
            }
            json!({
                "if": { "properties": { "pay_frequency": { "const": wire } } },
                "then": { "properties": then }
            })
        })
        .collect();
    schema.insert("allOf".into(), Value::Array(rules));
}

/// On `UserProfile`: the plan's pay schedule is the profile's
/// (`income-frequency-mismatch`), one `if`/`then` per frequency.
pub(crate) fn income_frequency_rule(schema: &mut Schema) {
    let rules: Vec<Value> = [
        PayFrequency::Weekly,
        PayFrequency::Biweekly,
        PayFrequency::Semimonthly,
        PayFrequency::Monthly,
        PayFrequency::Irregular,
    ]
    .into_iter()
        .map(|frequency| {
            let wire = json!(frequency.as_str());
            json!({
                "if": { "properties": { "characteristics": { "properties": { "pay_frequency": { "const": wire } } } } },
                "then": { "properties": { "plan": { "properties": { "income": { "properties": { "frequency": { "const": wire } } } } } } }
            })
        })
        .collect();
    schema.insert("allOf".into(), Value::Array(rules));
}

/// On `RecurringCharge`: a monthly charge's first date is on day 1 to 28
/// (`charge-day-range`), so it exists in every month.
pub(crate) fn monthly_charge_day_rule(schema: &mut Schema) {
    schema.insert(
        "allOf".into(),
        json!([{
            "if": { "properties": { "cadence": { "const": Cadence::Monthly.as_str() } } },
            "then": { "properties": { "first_charge": {
                "pattern": "^[0-9]{4}-[0-9]{2}-(0[1-9]|1[0-9]|2[0-8])$"
            } } }
        }]),
    );
}

/// On `CardPlan`: what each payment behaviour implies (`overdue-mismatch`,
/// `interest-mismatch`): interest exactly when not paid in full, overdue
/// exactly when `overdue`.
pub(crate) fn card_payment_rules(schema: &mut Schema) {
    let rules: Vec<Value> = [
        CardPayment::PayInFull,
        CardPayment::Revolving,
        CardPayment::MinimumOnly,
        CardPayment::Overdue,
    ]
    .into_iter()
    .map(|payment| {
        let interest = if payment.accrues_interest() {
            json!({ "exclusiveMinimum": 0 })
        } else {
            json!({ "maximum": 0 })
        };
        json!({
            "if": { "properties": { "payment": { "const": payment.as_str() } } },
            "then": { "properties": {
                "interest_per_statement": interest,
                "is_overdue": { "const": payment == CardPayment::Overdue }
            } }
        })
    })
    .collect();
    schema.insert("allOf".into(), Value::Array(rules));
}

/// `expected_assignment`: a `PersonaId` or `null`, its key always present.
pub(crate) fn nullable_persona(generator: &mut SchemaGenerator) -> Schema {
    let persona = generator.subschema_for::<crate::PersonaId>();
    json_schema!({ "anyOf": [persona, { "type": "null" }] })
}

/// `matched_personas`: a list of `PersonaId`s or `null`, its key always present.
pub(crate) fn nullable_personas(generator: &mut SchemaGenerator) -> Schema {
    let persona = generator.subschema_for::<crate::PersonaId>();
    json_schema!({ "type": ["array", "null"], "items": persona })
}

/// `plan.savings_transfers`: a `SavingsTransfers` object or `null`, its key
/// always present (schemars would make a plain `Option` key optional).
pub(crate) fn nullable_savings_transfers(generator: &mut SchemaGenerator) -> Schema {
    let transfers = generator.subschema_for::<crate::SavingsTransfers>();
    json_schema!({ "anyOf": [transfers, { "type": "null" }] })
}

/// Descriptions come from doc comments; rustdoc's link brackets
/// (``[`AccountType`]``) mean nothing to a schema reader, so only the code span stays.
fn plain_descriptions(schema: &mut Schema) {
    if let Some(Value::String(text)) = schema.get_mut("description") {
        *text = text.replace("[`", "`").replace("`]", "`");
    }
}

/// schemars writes an enum whose variants carry doc comments as a `oneOf` of
/// documented constants; consumers (code generators, readable validation
/// errors) expect a plain `enum` of the wire values.
fn enum_of_constants(schema: &mut Schema) {
    let Some(Value::Array(variants)) = schema.get("oneOf") else {
        return;
    };
    let values: Option<Vec<Value>> = variants
        .iter()
        .map(|variant| match variant.get("const") {
            Some(Value::String(value)) => Some(Value::String(value.clone())),
            _ => None,
        })
        .collect();
    if let Some(values) = values {
        schema.remove("oneOf");
        schema.insert("type".into(), json!("string"));
        schema.insert("enum".into(), Value::Array(values));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{HolderCategory, IncomeStability, PersonaId};

    fn schema() -> Value {
        profile_schema().to_value()
    }

    fn def<'a>(schema: &'a Value, name: &str) -> &'a Value {
        schema
            .pointer(&format!("/$defs/{name}"))
            .unwrap_or_else(|| panic!("no $defs/{name}"))
    }

    fn wire<T: serde::Serialize>(values: impl IntoIterator<Item = T>) -> Value {
        values
            .into_iter()
            .map(|v| serde_json::to_value(v).unwrap())
            .collect()
    }

    #[test]
    fn is_draft_2020_12_for_one_profile() {
        let schema = schema();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert_eq!(schema["title"], "UserProfile");
        assert_eq!(schema["type"], "object");
    }

    /// A profile with every key, the optional overlap keys included.
    fn sample() -> Value {
        serde_json::to_value(crate::sample::overlap_profile()).unwrap()
    }

    #[test]
    fn required_keys_are_exactly_the_keys_serde_requires() {
        let schema = schema();
        assert!(serde_json::from_value::<UserProfile>(sample()).is_ok());
        let objects = [
            ("", "root"),
            ("/demographics", "Demographics"),
            ("/characteristics", "Characteristics"),
            ("/accounts/0", "Account"),
            ("/accounts/0/balances", "Balances"),
        ];
        for (pointer, name) in objects {
            let object = if name == "root" {
                &schema
            } else {
                def(&schema, name)
            };
            assert_eq!(object["additionalProperties"], false, "{name}");
            let required = object["required"].as_array().unwrap();
            let sample = sample();
            let keys = sample.pointer(pointer).unwrap().as_object().unwrap();
            let properties = object["properties"].as_object().unwrap();
            assert_eq!(
                keys.keys().collect::<Vec<_>>().len(),
                properties.len(),
                "{name}: the sample has every key"
            );
            for key in keys.keys() {
                assert!(properties.contains_key(key), "{name}.{key}");
                let mut without = sample.clone();
                without
                    .pointer_mut(pointer)
                    .unwrap()
                    .as_object_mut()
                    .unwrap()
                    .remove(key);
                let refused = serde_json::from_value::<UserProfile>(without).is_err();
                let read_as_null = pointer.is_empty()
                    && UserProfile::KEYS_READ_AS_NULL_WHEN_ABSENT.contains(&key.as_str());
                assert!(
                    required.contains(&json!(key)),
                    "{name}.{key}: every key is required"
                );
                assert_eq!(
                    !read_as_null, refused,
                    "{name}.{key}: serde refuses its absence unless it is read as null"
                );
            }
        }
        let balances = def(&schema, "Balances");
        for key in ["limit", "unofficial_currency_code"] {
            assert!(
                balances["required"]
                    .as_array()
                    .unwrap()
                    .contains(&json!(key))
            );
        }
    }

    #[test]
    fn keys_read_as_null_are_nullable_and_written_as_null() {
        let schema = schema();
        let plain = serde_json::to_value(crate::sample::profile()).unwrap();
        for key in UserProfile::KEYS_READ_AS_NULL_WHEN_ABSENT {
            assert!(schema["required"].as_array().unwrap().contains(&json!(key)));
            assert_eq!(plain[key], Value::Null, "{key} is written as null");
            let property = &schema["properties"][key];
            let allows_null = property["type"]
                .as_array()
                .is_some_and(|t| t.contains(&json!("null")))
                || property["anyOf"]
                    .as_array()
                    .is_some_and(|a| a.contains(&json!({ "type": "null" })));
            assert!(allows_null, "{key}: {property}");
            let mut without = plain.clone();
            without.as_object_mut().unwrap().remove(key);
            let read: UserProfile = serde_json::from_value(without).unwrap();
            assert_eq!(read, crate::sample::profile(), "{key} absent reads as null");
        }
    }

    #[test]
    fn amounts_are_numbers_with_their_fixed_ranges() {
        let schema = schema();
        let check = |pointer: &str, expected: Value| {
            assert_eq!(schema.pointer(pointer).unwrap(), &expected, "{pointer}");
        };
        check("/properties/annual_income/type", json!("number"));
        check("/properties/annual_income/minimum", json!(20_000));
        check("/properties/annual_income/maximum", json!(200_000));
        let traits = "/$defs/Characteristics/properties";
        check(
            &format!("{traits}/target_credit_utilization/minimum"),
            json!(0),
        );
        check(
            &format!("{traits}/target_credit_utilization/maximum"),
            json!(1),
        );
        check(
            &format!("{traits}/target_savings_monthly/type"),
            json!("number"),
        );
        check(
            &format!("{traits}/target_savings_monthly/minimum"),
            json!(0),
        );
        let balances = "/$defs/Balances/properties";
        check(&format!("{balances}/current/type"), json!("number"));
        check(&format!("{balances}/current/minimum"), json!(0));
        for nullable in ["available", "limit"] {
            check(
                &format!("{balances}/{nullable}/type"),
                json!(["number", "null"]),
            );
            assert!(
                schema
                    .pointer(&format!("{balances}/{nullable}/minimum"))
                    .is_none()
            );
        }
        check("/$defs/Demographics/properties/age/minimum", json!(18));
        check("/$defs/Demographics/properties/age/maximum", json!(100));
    }

    #[test]
    fn enums_list_the_wire_values() {
        let schema = schema();
        let check = |name: &str, expected: Value| {
            let def = def(&schema, name);
            assert_eq!(def["type"], "string", "{name}");
            assert_eq!(def["enum"], expected, "{name}");
            assert!(def.get("oneOf").is_none(), "{name}");
        };
        check("PersonaId", wire(PersonaId::ALL));
        check("AccountSubtype", wire(AccountSubtype::ALL.iter().copied()));
        check(
            "AccountType",
            wire([
                AccountType::Depository,
                AccountType::Credit,
                AccountType::Loan,
            ]),
        );
        check(
            "HolderCategory",
            wire([
                HolderCategory::Personal,
                HolderCategory::Business,
                HolderCategory::Unrecognized,
            ]),
        );
        check(
            "IncomeStability",
            wire([IncomeStability::Regular, IncomeStability::Irregular]),
        );
        assert!(
            def(&schema, "AccountSubtype")["enum"]
                .as_array()
                .unwrap()
                .contains(&json!("credit card"))
        );
        assert_eq!(
            def(&schema, "Demographics")["properties"]["state"]["enum"],
            json!(crate::reference::US_STATES)
        );
    }

    #[test]
    fn strings_have_their_formats() {
        let schema = schema();
        let account = def(&schema, "Account");
        assert_eq!(
            account["properties"]["mask"],
            json!({ "description": "Last four digits of the account number.", "type": "string", "pattern": "^[0-9]{4}$" })
        );
        let iso = &def(&schema, "Balances")["properties"]["iso_currency_code"];
        assert_eq!(iso["type"], json!(["string", "null"]));
        let codes = iso["enum"].as_array().unwrap();
        assert_eq!(codes.len(), crate::reference::ISO_4217_CODES.len() + 1);
        assert!(codes.contains(&json!("USD")) && codes.contains(&Value::Null));
    }

    #[test]
    fn text_is_pretty_with_a_trailing_newline() {
        let text = profile_schema_text();
        assert!(text.starts_with("{\n  \""));
        assert!(text.ends_with("}\n") && !text.ends_with("\n\n"));
        assert_eq!(
            serde_json::from_str::<Value>(&text).unwrap(),
            profile_schema().to_value()
        );
    }
}
