//! `validate_profile` and `validate_account`: one test per rule, each through `check`.

use spendsense_schema::{
    AccountSubtype, AccountType, Cadence, CardPayment, Date, IncomeStability, MIN_HISTORY_DAYS,
    PayFrequency, UserProfile, Violation, validate_account, validate_profile,
};

use spendsense_schema::sample;

use crate::dec;

/// Validates `sample::profile()` after `edit` and compares *every* violation, in
/// order, with `expected`: `(path, rule, text the message must contain)`.
fn check(edit: impl FnOnce(&mut UserProfile), expected: &[(&str, &str, &str)]) {
    let mut profile = sample::profile();
    edit(&mut profile);
    compare(&validate_profile(&profile), expected);
}

fn compare(got: &[Violation], expected: &[(&str, &str, &str)]) {
    let shown: Vec<String> = got.iter().map(Violation::to_string).collect();
    let got_keys: Vec<(&str, &str)> = got.iter().map(|v| (v.path.as_str(), v.rule)).collect();
    let want_keys: Vec<(&str, &str)> = expected.iter().map(|e| (e.0, e.1)).collect();
    assert_eq!(got_keys, want_keys, "violations: {shown:#?}");
    for (violation, (_, _, needle)) in got.iter().zip(expected) {
        assert!(
            violation.message.contains(needle),
            "message of {violation} should contain {needle:?}"
        );
    }
}

#[test]
fn sample_profile_validates_clean() {
    check(|_| {}, &[]);
}

#[test]
fn every_violation_is_reported_with_its_path() {
    check(
        |p| {
            p.demographics.age = 12;
            p.demographics.state = "XX".into();
            p.identity.address.region = "XX".into();
            p.accounts[0].mask = Some("12a4".into());
            p.accounts[1].balances.iso_currency_code = Some("usd".into());
            p.accounts[2].balances.limit = None;
        },
        &[
            ("demographics.age", "age-range", "12 is outside 18..=100"),
            ("demographics.state", "unknown-state", "`XX`"),
            ("accounts[0].mask", "mask-format", "`12a4`"),
            (
                "accounts[1].balances.iso_currency_code",
                "unknown-currency",
                "`usd`",
            ),
            (
                "accounts[2].balances.limit",
                "credit-limit-missing",
                "no limit",
            ),
        ],
    );
}

#[test]
fn violations_display_path_message_and_rule() {
    let mut profile = sample::profile();
    profile.demographics.state = "PR".into();
    profile.identity.address.region = "PR".into();
    let shown: Vec<String> = validate_profile(&profile)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        shown,
        ["demographics.state: `PR` is not a USPS code of a US state or DC (unknown-state)"]
    );
}

#[test]
fn credit_card_needs_a_positive_limit() {
    check(
        |p| p.accounts[2].balances.limit = None,
        &[(
            "accounts[2].balances.limit",
            "credit-limit-missing",
            "expected an amount > 0",
        )],
    );
    check(
        |p| {
            let b = &mut p.accounts[2].balances;
            (b.limit, b.current, b.available) =
                (Some(dec("0.00")), Some(dec("0.00")), Some(dec("0.00")));
        },
        &[(
            "accounts[2].balances.limit",
            "credit-limit-range",
            "0.00 must be > 0",
        )],
    );
}

#[test]
fn credit_balance_lies_between_zero_and_the_limit() {
    // Available stays `limit - current` so only the balance rule fires.
    check(
        |p| {
            let b = &mut p.accounts[2].balances;
            (b.current, b.available) = (Some(dec("15000.01")), Some(dec("-0.01")));
        },
        &[(
            "accounts[2].balances.current",
            "credit-balance-range",
            "15000.01 is outside 0..=15000.00",
        )],
    );
    check(
        |p| {
            let b = &mut p.accounts[2].balances;
            (b.current, b.available) = (Some(dec("-50.00")), Some(dec("15050.00")));
        },
        &[(
            "accounts[2].balances.current",
            "credit-balance-range",
            "-50.00 is outside 0..=15000.00",
        )],
    );
    // Both ends are allowed.
    check(
        |p| {
            let b = &mut p.accounts[2].balances;
            (b.current, b.available) = (Some(dec("15000.00")), Some(dec("0.00")));
        },
        &[],
    );
    check(
        |p| {
            let b = &mut p.accounts[2].balances;
            (b.current, b.available) = (Some(dec("0.00")), Some(dec("15000.00")));
        },
        &[],
    );
}

#[test]
fn credit_available_is_limit_minus_current() {
    check(
        |p| p.accounts[2].balances.available = Some(dec("13000.00")),
        &[(
            "accounts[2].balances.available",
            "available-inconsistent",
            "13000.00 should be limit - current = 13200.00",
        )],
    );
    check(
        |p| p.accounts[2].balances.available = None,
        &[(
            "accounts[2].balances.available",
            "available-inconsistent",
            "null should be limit - current = 13200.00",
        )],
    );
}

#[test]
fn depository_available_lies_between_zero_and_current() {
    check(
        |p| p.accounts[0].balances.available = Some(dec("24000.01")),
        &[(
            "accounts[0].balances.available",
            "available-inconsistent",
            "24000.01 should be between 0 and current (24000.00)",
        )],
    );
    check(
        |p| p.accounts[1].balances.available = Some(dec("-1.00")),
        &[(
            "accounts[1].balances.available",
            "available-inconsistent",
            "-1.00 should be between 0 and current (40000.00)",
        )],
    );
    check(
        |p| p.accounts[1].balances.available = None,
        &[(
            "accounts[1].balances.available",
            "available-inconsistent",
            "null should be between 0",
        )],
    );
    // Pending debits make available lower than current; 0 is allowed.
    check(
        |p| p.accounts[0].balances.available = Some(dec("0.00")),
        &[],
    );
    check(
        |p| p.accounts[0].balances.available = Some(dec("23950.25")),
        &[],
    );
}

#[test]
fn depository_balance_is_not_negative() {
    // No available amount fits 0..=current when current is negative, so both fire.
    check(
        |p| {
            let b = &mut p.accounts[0].balances;
            (b.current, b.available) = (Some(dec("-10.00")), Some(dec("0.00")));
        },
        &[
            (
                "accounts[0].balances.current",
                "negative-amount",
                "-10.00 is negative",
            ),
            (
                "accounts[0].balances.available",
                "available-inconsistent",
                "0.00 should be between 0 and current (-10.00)",
            ),
        ],
    );
}

#[test]
fn depository_has_no_limit() {
    check(
        |p| p.accounts[1].balances.limit = Some(dec("500.00")),
        &[(
            "accounts[1].balances.limit",
            "depository-limit",
            "500.00 set on a depository account; expected null",
        )],
    );
}

#[test]
fn current_balance_is_required() {
    check(
        |p| p.accounts[0].balances.current = None,
        &[(
            "accounts[0].balances.current",
            "balance-missing",
            "current is null",
        )],
    );
}

#[test]
fn currency_is_an_active_iso_code() {
    for code in ["XYZ", "usd", "US", "USDD", ""] {
        check(
            |p| p.accounts[0].balances.iso_currency_code = Some(code.into()),
            &[(
                "accounts[0].balances.iso_currency_code",
                "unknown-currency",
                &format!("`{code}` is not an active ISO 4217 code"),
            )],
        );
    }
    for code in ["EUR", "JPY", "GBP"] {
        check(
            |p| p.accounts[0].balances.iso_currency_code = Some(code.into()),
            &[],
        );
    }
}

#[test]
fn exactly_one_currency_code_is_set() {
    check(
        |p| p.accounts[2].balances.unofficial_currency_code = Some("BTC".into()),
        &[("accounts[2].balances", "currency-ambiguous", "both")],
    );
    check(
        |p| p.accounts[2].balances.iso_currency_code = None,
        &[("accounts[2].balances", "currency-missing", "neither")],
    );
    check(
        |p| {
            let b = &mut p.accounts[2].balances;
            (b.iso_currency_code, b.unofficial_currency_code) = (None, Some("BTC".into()));
        },
        &[],
    );
}

#[test]
fn mask_is_exactly_four_digits() {
    for mask in ["123", "12a4", "12345", "", "１２３４"] {
        check(
            |p| p.accounts[1].mask = Some(mask.into()),
            &[(
                "accounts[1].mask",
                "mask-format",
                &format!("`{mask}` is not exactly 4 digits"),
            )],
        );
    }
    check(
        |p| p.accounts[1].mask = None,
        &[("accounts[1].mask", "mask-missing", "mask is null")],
    );
    check(|p| p.accounts[1].mask = Some("0000".into()), &[]);
}

#[test]
fn subtype_belongs_to_the_account_type() {
    // A credit account is also held to the credit balance rules, so the
    // checking account's missing limit is reported too.
    check(
        |p| p.accounts[0].account_type = AccountType::Credit,
        &[
            (
                "accounts[0].subtype",
                "type-subtype-mismatch",
                "subtype `checking` is not valid under type `credit`; it belongs to `depository`",
            ),
            (
                "accounts[0].balances.limit",
                "credit-limit-missing",
                "no limit",
            ),
        ],
    );
    // A card that is no card leaves the plan's charges and card terms on a loan.
    check(
        |p| p.accounts[2].subtype = AccountSubtype::Student,
        &[
            (
                "accounts[2].subtype",
                "type-subtype-mismatch",
                "subtype `student` is not valid under type `credit`; it belongs to `loan`",
            ),
            (
                "plan.recurring[1].account_id",
                "plan-account-kind",
                "`user_MASKED_000_acct_2` is a student account; a recurring charge is paid from checking or a credit card",
            ),
            (
                "plan.recurring[2].account_id",
                "plan-account-kind",
                "student",
            ),
            (
                "plan.cards[0].account_id",
                "plan-account-kind",
                "a card plan belongs to a credit card",
            ),
        ],
    );
}

#[test]
fn amounts_carry_at_most_two_decimals() {
    check(
        |p| p.annual_income = dec("96000.125"),
        &[(
            "annual_income",
            "amount-scale",
            "96000.125 has 3 decimals; at most 2 allowed",
        )],
    );
    check(
        |p| {
            let b = &mut p.accounts[2].balances;
            (b.current, b.available) = (Some(dec("1800.005")), Some(dec("13199.995")));
        },
        &[
            (
                "accounts[2].balances.available",
                "amount-scale",
                "13199.995 has 3 decimals",
            ),
            (
                "accounts[2].balances.current",
                "amount-scale",
                "1800.005 has 3 decimals",
            ),
        ],
    );
    // Reported once, although current is also checked for sign.
    check(
        |p| p.accounts[0].balances.current = Some(dec("24000.001")),
        &[(
            "accounts[0].balances.current",
            "amount-scale",
            "24000.001 has 3 decimals",
        )],
    );
    check(
        |p| p.characteristics.target_savings_monthly = dec("800.001"),
        &[(
            "characteristics.target_savings_monthly",
            "amount-scale",
            "800.001 has 3 decimals",
        )],
    );
    // Fewer decimals than two are fine: scale is not padded or required.
    check(|p| p.annual_income = dec("96000"), &[]);
}

#[test]
fn age_is_18_to_100() {
    for age in [0, 17, 101, 255] {
        check(
            |p| p.demographics.age = age,
            &[(
                "demographics.age",
                "age-range",
                &format!("{age} is outside 18..=100"),
            )],
        );
    }
    for age in [18, 100] {
        check(|p| p.demographics.age = age, &[]);
    }
}

#[test]
fn state_is_a_usps_code() {
    for state in ["PR", "ca", "XX", "California", ""] {
        check(
            |p| (p.demographics.state, p.identity.address.region) = (state.into(), state.into()),
            &[(
                "demographics.state",
                "unknown-state",
                &format!("`{state}` is not a USPS code"),
            )],
        );
    }
    check(
        |p| (p.demographics.state, p.identity.address.region) = ("DC".into(), "DC".into()),
        &[],
    );
}

#[test]
fn identities_are_unmistakably_fictional() {
    check(
        |p| p.identity.email = "ada@gmail.com".into(),
        &[("identity.email", "email-not-reserved", "`ada@gmail.com`")],
    );
    check(
        |p| p.identity.email = "@example.com".into(),
        &[("identity.email", "email-not-reserved", "`@example.com`")],
    );
    check(|p| p.identity.email = "ada@example.org".into(), &[]);
    // One `@` only: the JSON Schema's pattern refuses a second one as well.
    check(
        |p| p.identity.email = "ada@home@example.org".into(),
        &[(
            "identity.email",
            "email-not-reserved",
            "`ada@home@example.org`",
        )],
    );
    check(
        |p| p.identity.phone_number = "+1-415-555-0200".into(),
        &[(
            "identity.phone_number",
            "phone-not-fictional",
            "`+1-415-555-0200`",
        )],
    );
    check(
        |p| p.identity.phone_number = "+1-115-555-0142".into(),
        &[(
            "identity.phone_number",
            "phone-not-fictional",
            "`+1-115-555-0142`",
        )],
    );
    check(|p| p.identity.phone_number = "+1-415-555-0199".into(), &[]);
    // Fifteen bytes with a two-byte character across byte 13: refused, not a panic.
    check(
        |p| p.identity.phone_number = "+1-415-555-0\u{e9}2".into(),
        &[(
            "identity.phone_number",
            "phone-not-fictional",
            "`+1-415-555-0\u{e9}2`",
        )],
    );
    check(
        |p| p.identity.address.region = "NY".into(),
        &[("identity.address.region", "region-mismatch", "`NY` differs")],
    );
    check(
        |p| p.identity.address.postal_code = "9411".into(),
        &[(
            "identity.address.postal_code",
            "postal-code-format",
            "`9411`",
        )],
    );
    check(
        |p| p.identity.address.country = "CA".into(),
        &[("identity.address.country", "country-not-us", "`CA`")],
    );
    check(
        |p| p.identity.address.street = " ".into(),
        &[("identity.address.street", "empty-field", "street is empty")],
    );
}

#[test]
fn pay_schedule_agrees_with_income_stability_and_gap() {
    check(
        |p| p.characteristics.income_stability = IncomeStability::Irregular,
        &[(
            "characteristics.income_stability",
            "pay-schedule-mismatch",
            "income_stability Irregular contradicts pay_frequency Biweekly",
        )],
    );
    check(
        |p| {
            p.characteristics.pay_frequency = PayFrequency::Irregular;
            p.plan.income.frequency = PayFrequency::Irregular;
        },
        &[(
            "characteristics.income_stability",
            "pay-schedule-mismatch",
            "income_stability Regular contradicts pay_frequency Irregular",
        )],
    );
    check(
        |p| {
            p.characteristics.pay_frequency = PayFrequency::Monthly;
            p.plan.income.frequency = PayFrequency::Monthly;
        },
        &[(
            "characteristics.median_pay_gap_days",
            "pay-gap-mismatch",
            "14 days contradicts Monthly pay; expected 30",
        )],
    );
    check(
        |p| {
            let c = &mut p.characteristics;
            (c.pay_frequency, c.income_stability, c.median_pay_gap_days) =
                (PayFrequency::Irregular, IncomeStability::Irregular, 0);
            p.plan.income.frequency = PayFrequency::Irregular;
        },
        &[(
            "characteristics.median_pay_gap_days",
            "pay-gap-zero",
            "0 days",
        )],
    );
    check(
        |p| {
            let c = &mut p.characteristics;
            (c.pay_frequency, c.income_stability, c.median_pay_gap_days) =
                (PayFrequency::Irregular, IncomeStability::Irregular, 61);
            p.plan.income.frequency = PayFrequency::Irregular;
        },
        &[],
    );
}

#[test]
fn target_utilization_is_a_fraction() {
    for (value, text) in [
        ("1.01", "1.01 is outside 0..=1"),
        ("-0.01", "-0.01 is outside 0..=1"),
    ] {
        check(
            |p| p.characteristics.target_credit_utilization = dec(value),
            &[(
                "characteristics.target_credit_utilization",
                "utilization-range",
                text,
            )],
        );
    }
    for value in ["0.00", "1.00"] {
        check(
            |p| p.characteristics.target_credit_utilization = dec(value),
            &[],
        );
    }
}

#[test]
fn savings_target_and_income_have_a_sign() {
    check(
        |p| p.characteristics.target_savings_monthly = dec("-1.00"),
        &[(
            "characteristics.target_savings_monthly",
            "negative-amount",
            "-1.00 is negative",
        )],
    );
    check(
        |p| p.annual_income = dec("0.00"),
        &[("annual_income", "income-not-positive", "0.00 must be > 0")],
    );
}

#[test]
fn income_lies_in_the_product_range() {
    for income in ["19999.99", "200000.01", "1"] {
        check(
            |p| p.annual_income = dec(income),
            &[(
                "annual_income",
                "income-range",
                &format!("{income} is outside 20000..=200000"),
            )],
        );
    }
    // Both ends are allowed, and a non-positive income is only `income-not-positive`.
    check(|p| p.annual_income = dec("20000.00"), &[]);
    check(|p| p.annual_income = dec("200000.00"), &[]);
    check(
        |p| p.annual_income = dec("-1"),
        &[("annual_income", "income-not-positive", "-1 must be > 0")],
    );
}

#[test]
fn identifiers_and_names_are_not_empty() {
    check(
        |p| {
            p.user_id = " ".into();
            p.name = String::new();
            p.accounts[1].name = String::new();
        },
        &[
            ("user_id", "empty-field", "user_id is empty"),
            ("name", "empty-field", "name is empty"),
            ("accounts[1].name", "empty-field", "name is empty"),
        ],
    );
}

#[test]
fn account_ids_and_masks_are_unique_within_a_profile() {
    // The plan still names the card by its old id, which no account has now.
    check(
        |p| p.accounts[2].account_id = p.accounts[0].account_id.clone(),
        &[
            (
                "accounts[2].account_id",
                "duplicate-account-id",
                "`user_MASKED_000_acct_0` repeats",
            ),
            (
                "plan.recurring[1].account_id",
                "plan-account-unknown",
                "`user_MASKED_000_acct_2` is not an account_id of the profile",
            ),
            (
                "plan.recurring[2].account_id",
                "plan-account-unknown",
                "acct_2",
            ),
            ("plan.cards[0].account_id", "plan-account-unknown", "acct_2"),
            (
                "plan.cards",
                "card-plans-mismatch",
                "card plans name the cards []; expected one per credit card, in account order: [`user_MASKED_000_acct_0`]",
            ),
        ],
    );
    check(
        |p| p.accounts[1].mask = p.accounts[0].mask.clone(),
        &[("accounts[1].mask", "duplicate-mask", "`0001` repeats")],
    );
    // Missing masks are reported as missing, not as duplicates of each other.
    check(
        |p| (p.accounts[0].mask, p.accounts[1].mask) = (None, None),
        &[
            ("accounts[0].mask", "mask-missing", "mask is null"),
            ("accounts[1].mask", "mask-missing", "mask is null"),
        ],
    );
}

#[test]
fn loans_need_a_non_negative_balance() {
    let mut loan = sample::profile().accounts[0].clone();
    (loan.account_type, loan.subtype) = (AccountType::Loan, AccountSubtype::Consumer);
    compare(&validate_account(&loan), &[]);
    loan.balances.current = Some(dec("-5.00"));
    compare(
        &validate_account(&loan),
        &[("balances.current", "negative-amount", "-5.00 is negative")],
    );
}

#[test]
fn a_single_account_validates_with_paths_relative_to_it() {
    let mut card = sample::profile().accounts[2].clone();
    compare(&validate_account(&card), &[]);
    card.balances.limit = None;
    card.mask = Some("123".into());
    compare(
        &validate_account(&card),
        &[
            ("mask", "mask-format", "`123`"),
            ("balances.limit", "credit-limit-missing", "no limit"),
        ],
    );
}

fn day(year: i32, month: u8, day: u8) -> Date {
    Date::from_ymd(year, month, day).unwrap()
}

#[test]
fn plan_history_is_long_enough_and_holds_every_event() {
    check(
        |p| p.plan.history_start = p.plan.as_of.add_days(1 - MIN_HISTORY_DAYS + 1),
        &[(
            "plan.history_start",
            "history-too-short",
            "2026-06-05 to as_of 2026-11-30 covers 179 days; at least 180 required",
        )],
    );
    check(
        |p| {
            p.plan.income.paychecks[12].date = day(2026, 12, 4);
            p.plan.recurring[0].first_charge = day(2026, 6, 1);
            p.plan.savings_transfers.as_mut().unwrap().first_transfer = day(2026, 12, 1);
        },
        &[
            (
                "plan.income.paychecks[12].date",
                "date-outside-history",
                "2026-12-04 is outside the history 2026-06-04..=2026-11-30",
            ),
            (
                "plan.recurring[0].first_charge",
                "date-outside-history",
                "2026-06-01",
            ),
            (
                "plan.savings_transfers.first_transfer",
                "date-outside-history",
                "2026-12-01",
            ),
        ],
    );
}

#[test]
fn paychecks_are_oldest_first_with_positive_amounts() {
    check(
        |p| {
            let paychecks = &mut p.plan.income.paychecks;
            paychecks.swap(3, 4);
            paychecks[0].amount = dec("-2880.00");
            paychecks[1].amount = dec("2880.001");
        },
        &[
            (
                "plan.income.paychecks[0].amount",
                "amount-not-positive",
                "-2880.00 must be > 0",
            ),
            (
                "plan.income.paychecks[1].amount",
                "amount-scale",
                "3 decimals",
            ),
            (
                "plan.income.paychecks[4].date",
                "paychecks-out-of-order",
                "2026-07-17 is not after the previous paycheck's 2026-07-31",
            ),
        ],
    );
    check(
        |p| p.plan.income.frequency = PayFrequency::Weekly,
        &[(
            "plan.income.frequency",
            "income-frequency-mismatch",
            "`weekly` differs from characteristics.pay_frequency `biweekly`",
        )],
    );
    check(
        |p| p.plan.income.employer = " ".into(),
        &[("plan.income.employer", "empty-field", "employer is empty")],
    );
}

#[test]
fn recurring_charges_name_a_category_a_day_and_a_paying_account() {
    check(
        |p| {
            let charges = &mut p.plan.recurring;
            charges[0].category.detailed = "RENT".into();
            charges[1].category.primary = "entertainment".into();
            charges[2].first_charge = day(2026, 7, 31);
            charges[2].cadence = Cadence::Monthly;
            charges[2].amount = dec("0");
        },
        &[
            (
                "plan.recurring[0].category.detailed",
                "category-mismatch",
                "`RENT` does not start with its primary category `RENT_AND_UTILITIES` and `_`",
            ),
            (
                "plan.recurring[1].category.primary",
                "category-format",
                "`entertainment` is not a Plaid category code",
            ),
            (
                "plan.recurring[2].amount",
                "amount-not-positive",
                "0 must be > 0",
            ),
            (
                "plan.recurring[2].first_charge",
                "charge-day-range",
                "2026-07-31 is on day 31; a monthly charge repeats on day 1 to 28",
            ),
        ],
    );
    // Weekly charges may start on any day.
    check(
        |p| {
            p.plan.recurring[2].first_charge = day(2026, 7, 31);
            p.plan.recurring[2].cadence = Cadence::Weekly;
        },
        &[],
    );
    check(
        |p| {
            p.plan.recurring[0].account_id = "user_MASKED_000_acct_1".into();
            p.plan.recurring[1].account_id = "acct\u{1b}[2J".into();
        },
        &[
            (
                "plan.recurring[0].account_id",
                "plan-account-kind",
                "`user_MASKED_000_acct_1` is a savings account; a recurring charge is paid from checking or a credit card",
            ),
            (
                "plan.recurring[1].account_id",
                "plan-account-unknown",
                r"`acct\u{1b}[2J` is not an account_id",
            ),
        ],
    );
}

#[test]
fn every_card_has_one_plan_in_account_order() {
    check(
        |p| p.plan.cards.clear(),
        &[(
            "plan.cards",
            "card-plans-mismatch",
            "card plans name the cards []; expected one per credit card, in account order: [`user_MASKED_000_acct_2`]",
        )],
    );
    check(
        |p| {
            let card = p.plan.cards[0].clone();
            p.plan.cards.push(card);
        },
        &[(
            "plan.cards",
            "card-plans-mismatch",
            "name the cards [`user_MASKED_000_acct_2`, `user_MASKED_000_acct_2`]",
        )],
    );
    check(
        |p| {
            let mut card = p.plan.cards[0].clone();
            card.account_id = "user_MASKED_000_acct_0".into();
            p.plan.cards.push(card);
        },
        &[(
            "plan.cards[1].account_id",
            "plan-account-kind",
            "`user_MASKED_000_acct_0` is a checking account; a card plan belongs to a credit card",
        )],
    );
}

#[test]
fn card_terms_follow_from_the_payment_behaviour() {
    check(
        |p| {
            let card = &mut p.plan.cards[0];
            card.purchase_apr = dec("-0.01");
            card.statement_day = 0;
            card.minimum_payment = dec("-1.00");
            card.is_overdue = true;
            card.interest_per_statement = dec("3.10");
        },
        &[
            (
                "plan.cards[0].purchase_apr",
                "apr-range",
                "-0.01 is outside 0..=100",
            ),
            (
                "plan.cards[0].statement_day",
                "statement-day-range",
                "0 is outside 1..=28",
            ),
            (
                "plan.cards[0].minimum_payment",
                "negative-amount",
                "-1.00 is negative",
            ),
            (
                "plan.cards[0].is_overdue",
                "overdue-mismatch",
                "true contradicts payment `pay_in_full`",
            ),
            (
                "plan.cards[0].interest_per_statement",
                "interest-mismatch",
                "3.10 contradicts payment `pay_in_full`; must be 0 when paid in full",
            ),
        ],
    );
    check(
        |p| p.plan.cards[0].payment = CardPayment::Overdue,
        &[
            (
                "plan.cards[0].is_overdue",
                "overdue-mismatch",
                "false contradicts payment `overdue`",
            ),
            (
                "plan.cards[0].interest_per_statement",
                "interest-mismatch",
                "must be > 0 unless paid in full",
            ),
        ],
    );
    check(
        |p| {
            let card = &mut p.plan.cards[0];
            (card.payment, card.interest_per_statement) = (CardPayment::Revolving, dec("18.25"));
        },
        &[],
    );
}

#[test]
fn the_next_due_date_is_25_days_after_the_last_statement() {
    check(
        |p| p.plan.cards[0].next_payment_due_date = day(2026, 12, 18),
        &[(
            "plan.cards[0].next_payment_due_date",
            "due-date-mismatch",
            "2026-12-18 should be 25 days after the last statement on or before as_of: 2026-12-13",
        )],
    );
    // A statement day after as_of's day closes last month.
    check(
        |p| {
            p.plan.as_of = day(2026, 11, 17);
            p.plan.history_start = p.plan.as_of.add_days(1 - MIN_HISTORY_DAYS);
            p.plan.income.paychecks.pop();
            p.plan.cards[0].next_payment_due_date = day(2026, 11, 12);
        },
        &[],
    );
}

#[test]
fn savings_transfers_go_from_checking_into_savings() {
    check(
        |p| {
            let transfers = p.plan.savings_transfers.as_mut().unwrap();
            std::mem::swap(&mut transfers.from_account_id, &mut transfers.to_account_id);
            transfers.amount = dec("-369.23");
        },
        &[
            (
                "plan.savings_transfers.from_account_id",
                "plan-account-kind",
                "`user_MASKED_000_acct_1` is a savings account; expected checking",
            ),
            (
                "plan.savings_transfers.to_account_id",
                "plan-account-kind",
                "is a checking account; expected savings",
            ),
            (
                "plan.savings_transfers.amount",
                "amount-not-positive",
                "-369.23 must be > 0",
            ),
        ],
    );
    check(|p| p.plan.savings_transfers = None, &[]);
}
