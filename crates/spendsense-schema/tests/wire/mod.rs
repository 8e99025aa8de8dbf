//! The JSON wire format: exact round trips, exact numbers, always-present
//! nullable keys and refused unknown fields.

use serde_json::Value;
use spendsense_schema::{AccountSubtype, UserProfile};

use spendsense_schema::sample;

use crate::{account, dec};

/// `sample::profile()` pretty-printed: the wire text the tests below edit.
/// Its exact bytes are pinned by the `sample_profile_pretty` snapshot.
fn sample_json() -> String {
    serde_json::to_string_pretty(&sample::profile()).unwrap()
}

/// Serializes `profile` compactly and pretty, parses each back, and checks the
/// parsed value equals `profile` and serializes to the very same bytes.
fn check_round_trip(profile: &UserProfile) {
    for pretty in [false, true] {
        let write = |p: &UserProfile| {
            if pretty {
                serde_json::to_string_pretty(p).unwrap()
            } else {
                serde_json::to_string(p).unwrap()
            }
        };
        let first = write(profile);
        let parsed: UserProfile = serde_json::from_str(&first).unwrap();
        assert_eq!(&parsed, profile, "{first}");
        assert_eq!(write(&parsed), first);
    }
}

/// Parses `sample_json()` with `from` replaced by `to` and checks the error names `needle`.
fn check_rejected(from: &str, to: &str, needle: &str) {
    let sample = sample_json();
    assert_eq!(sample.matches(from).count(), 1, "ambiguous edit {from:?}");
    let json = sample.replacen(from, to, 1);
    let err = serde_json::from_str::<UserProfile>(&json)
        .expect_err(&format!("{to:?} should be refused"))
        .to_string();
    assert!(
        err.contains(needle),
        "error {err:?} should contain {needle:?}"
    );
}

#[test]
fn sample_profile_has_the_documented_wire_format() {
    // A reviewer reads this snapshot's diff to see what a model change does to the wire.
    insta::assert_snapshot!("sample_profile_pretty", sample_json());
}

#[test]
fn parsing_the_wire_format_gives_the_profile_back() {
    let parsed: UserProfile = serde_json::from_str(&sample_json()).unwrap();
    assert_eq!(parsed, sample::profile());
    assert_eq!(
        serde_json::to_string_pretty(&parsed).unwrap(),
        sample_json()
    );
}

#[test]
fn full_profiles_round_trip_byte_for_byte() {
    check_round_trip(&sample::profile());

    // Amounts of every scale and size, a non-ISO currency and a loan.
    let mut odd = sample::profile();
    odd.annual_income = dec("12345678901234567890.12");
    odd.characteristics.target_credit_utilization = dec("0.1");
    odd.characteristics.target_savings_monthly = dec("0");
    let b = &mut odd.accounts[1].balances;
    (b.available, b.current) = (Some(dec("0.10")), Some(dec("0.10")));
    (b.iso_currency_code, b.unofficial_currency_code) = (None, Some("BTC".into()));
    odd.accounts[2].balances.available = None;
    odd.accounts[2].mask = None;
    odd.accounts.push(account(
        "user_MASKED_000_acct_3",
        "0004",
        AccountSubtype::Consumer,
        ("0.00", "5000", None),
    ));
    check_round_trip(&odd);
    let text = serde_json::to_string(&odd).unwrap();
    for needle in [
        r#""annual_income":12345678901234567890.12"#,
        r#""target_credit_utilization":0.1,"#,
        r#""target_savings_monthly":0,"#,
        r#""available":0.10,"current":0.10,"#,
        r#""iso_currency_code":null,"unofficial_currency_code":"BTC""#,
        r#""available":null,"current":1800.00"#,
        r#""mask":null"#,
        r#""type":"loan","subtype":"consumer""#,
    ] {
        assert!(text.contains(needle), "{needle} not in {text}");
    }

    let mut empty = sample::profile();
    empty.accounts.clear();
    check_round_trip(&empty);
}

#[test]
fn money_is_written_as_json_numbers() {
    let value: Value = serde_json::to_value(sample::profile()).unwrap();
    let mut amounts = vec![
        &value["annual_income"],
        &value["characteristics"]["target_credit_utilization"],
        &value["characteristics"]["target_savings_monthly"],
    ];
    for account in value["accounts"].as_array().unwrap() {
        amounts.push(&account["balances"]["available"]);
        amounts.push(&account["balances"]["current"]);
    }
    amounts.push(&value["accounts"][2]["balances"]["limit"]);
    assert_eq!(amounts.len(), 10);
    for amount in amounts {
        assert!(amount.is_number(), "{amount} is not a number");
    }
    let text = serde_json::to_string(&sample::profile()).unwrap();
    assert!(
        text.contains(r#""current":1800.00,"limit":15000.00"#),
        "{text}"
    );
    assert!(!text.contains(r#""1800.00""#) && !text.contains("1800.0,"));
}

#[test]
fn money_is_read_only_from_exact_json_numbers() {
    check_rejected(
        r#""annual_income": 96000.00"#,
        r#""annual_income": "96000.00""#,
        "expected a JSON number for an amount, found `\"96000.00\"`",
    );
    check_rejected(
        r#""current": 1800.00"#,
        r#""current": 1.8e3"#,
        "`1.8e3` is not an exact decimal amount",
    );
    check_rejected(
        r#""limit": 15000.00"#,
        r#""limit": "15000.00""#,
        "expected a JSON number",
    );
}

#[test]
fn nullable_keys_are_always_written_as_null() {
    let value: Value = serde_json::to_value(sample::profile()).unwrap();
    let checking = &value["accounts"][0];
    for (object, key) in [
        (checking, "official_name"),
        (&checking["balances"], "unofficial_currency_code"),
        (&checking["balances"], "limit"),
    ] {
        let object = object.as_object().unwrap();
        assert_eq!(object.get(key), Some(&Value::Null), "{key} in {object:?}");
    }
    let mut bare = sample::profile();
    bare.accounts[0].mask = None;
    bare.accounts[0].balances.available = None;
    bare.accounts[0].balances.current = None;
    bare.accounts[0].balances.iso_currency_code = None;
    let text = serde_json::to_string(&bare.accounts[0]).unwrap();
    assert_eq!(
        text,
        r#"{"account_id":"user_MASKED_000_acct_0","balances":{"available":null,"current":null,"limit":null,"iso_currency_code":null,"unofficial_currency_code":null},"mask":null,"name":"Plaid checking","official_name":null,"type":"depository","subtype":"checking","holder_category":"personal"}"#
    );
}

#[test]
fn unknown_fields_are_refused_by_name() {
    check_rejected(
        r#""user_id": "user_MASKED_000","#,
        r#""nickname": "Ada", "user_id": "user_MASKED_000","#,
        "unknown field `nickname`",
    );
    check_rejected(
        r#""age": 34,"#,
        r#""age": 34, "zip": "94110","#,
        "unknown field `zip`",
    );
    check_rejected(
        r#""subscription_count_target": 2"#,
        r#""subscription_count_target": 2, "mood": "thrifty""#,
        "unknown field `mood`",
    );
    // Real Plaid fields that SpendSense does not model are refused too.
    check_rejected(
        r#""mask": "0002","#,
        r#""mask": "0002", "verification_status": "unsent","#,
        "unknown field `verification_status`",
    );
    check_rejected(
        r#""current": 1800.00,"#,
        r#""current": 1800.00, "last_updated_datetime": null,"#,
        "unknown field `last_updated_datetime`",
    );
}

#[test]
fn enum_values_use_plaid_spellings_only() {
    check_rejected(
        r#""subtype": "credit card""#,
        r#""subtype": "credit_card""#,
        "unknown variant `credit_card`",
    );
    check_rejected(
        r#""subtype": "savings""#,
        r#""subtype": "personal""#,
        "unknown variant `personal`",
    );
    check_rejected(
        r#""persona": "savings_builder""#,
        r#""persona": "SavingsBuilder""#,
        "unknown variant `SavingsBuilder`",
    );
}

#[test]
fn nullable_keys_must_be_present_even_when_null() {
    check_rejected(r#""mask": "0002","#, "", "missing field `mask`");
    check_rejected(
        r#""mask": "0001",
      "name": "Plaid checking",
      "official_name": null,"#,
        r#""mask": "0001",
      "name": "Plaid checking","#,
        "missing field `official_name`",
    );
}
