//! The persona catalog: the default configuration, its corner proof of
//! exclusivity, the problems broken configurations report, and its JSON form.

use spendsense_personas::{CountRange, DecimalRange, PayPlan, PersonaSet, Personas, corners};
use spendsense_schema::PersonaId;

use crate::dec;

/// Runs `problems()` on the default configuration changed by `edit` and
/// compares every problem, in order, with `expected`: `(path, text the reason
/// must contain)`.
fn check(edit: impl FnOnce(&mut Personas), expected: &[(&str, &str)]) {
    let mut personas = Personas::spendsense();
    edit(&mut personas);
    let problems = personas.problems();
    let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    let want: Vec<&str> = expected.iter().map(|e| e.0).collect();
    assert_eq!(paths, want, "problems: {shown:#?}");
    for (problem, (_, needle)) in problems.iter().zip(expected) {
        assert!(
            problem.reason.contains(needle),
            "reason of {problem} should contain {needle:?}"
        );
    }
}

#[test]
fn default_configuration_has_no_problems() {
    check(|_| {}, &[]);
    assert_eq!(Personas::default(), Personas::spendsense());
    let ids: Vec<PersonaId> = Personas::spendsense()
        .definitions
        .iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(ids, PersonaId::ALL);
}

#[test]
fn every_corner_of_every_default_definition_classifies_to_its_own_persona_only() {
    let personas = Personas::spendsense();
    let mut checked = 0;
    for definition in &personas.definitions {
        let expected = PersonaSet::only(definition.id);
        let own = corners(definition, &personas.criteria);
        assert!(!own.is_empty(), "{} has no corners", definition.id);
        for signals in own {
            assert_eq!(
                personas.classify(&signals),
                expected,
                "{} corner {signals:?}",
                definition.id
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} corners checked");
}

#[test]
fn corners_span_every_range_end() {
    let personas = Personas::spendsense();
    let income = personas.get(PersonaId::VariableIncome);
    let all = corners(income, &Personas::spendsense().criteria);
    let gaps: Vec<_> = all.iter().map(|s| s.median_pay_gap_days).collect();
    assert!(
        gaps.contains(&dec("46")) && gaps.contains(&dec("90")),
        "{gaps:?}"
    );
    let utilizations: Vec<_> = all.iter().map(|s| s.max_card_utilization).collect();
    // 0–1 cards: no card at all, and one card at each end of the target range
    // (jitter never leaves it).
    for expected in [None, Some(dec("0.05")), Some(dec("0.40"))] {
        assert!(utilizations.contains(&expected), "{expected:?}");
    }
    assert!(all.iter().any(|s| s.savings_inflow_monthly.is_zero()));
    // A savings builder always has a savings account receiving transfers.
    let saver = corners(personas.get(PersonaId::SavingsBuilder), &personas.criteria);
    assert!(
        saver
            .iter()
            .all(|s| s.savings_inflow_monthly >= personas.criteria.savings_builder_min_inflow)
    );
    assert!(saver.iter().all(|s| s.max_card_utilization.is_some()));
}

#[test]
fn inverted_ranges_are_problems() {
    check(
        |p| {
            let income = &mut p.definitions[1].annual_income;
            (income.min, income.max) = (income.max, income.min);
        },
        &[(
            "definitions[1].annual_income",
            "inverted range: min 120000 > max 20000",
        )],
    );
    check(
        |p| {
            let subscriptions = &mut p.definitions[2].subscriptions;
            (subscriptions.min, subscriptions.max) = (10, 5);
        },
        &[(
            "definitions[2].subscriptions",
            "inverted range: min 10 > max 5",
        )],
    );
}

#[test]
fn negative_amounts_are_problems() {
    check(
        |p| p.definitions[4].savings_monthly.min = dec("-1"),
        &[(
            "definitions[4].savings_monthly",
            "negative amount -1; ranges start at 0",
        )],
    );
}

#[test]
fn fractions_above_one_are_problems() {
    check(
        |p| p.definitions[0].target_utilization.max = dec("1.20"),
        &[(
            "definitions[0].target_utilization",
            "0.60–1.20 must lie within 0–1",
        )],
    );
}

#[test]
fn problems_in_several_definitions_are_all_reported() {
    check(
        |p| {
            p.definitions[0].target_utilization.max = dec("1.20");
            p.definitions[3].checking_buffer_months.max = dec("1.499");
            p.definitions[4].savings_monthly.min = dec("-1");
        },
        &[
            ("definitions[0].target_utilization", "must lie within 0–1"),
            (
                "definitions[3].checking_buffer_months",
                "inverted range: min 1.50 > max 1.499",
            ),
            (
                "definitions[3].checking_buffer_months",
                "1.499 has more than 2 decimals",
            ),
            ("definitions[4].savings_monthly", "negative amount -1"),
        ],
    );
}

#[test]
fn a_high_utilization_range_reaching_below_fifty_percent_is_a_problem() {
    // A card at 0.30 triggers no persona at all.
    check(
        |p| p.definitions[0].target_utilization = DecimalRange::hundredths(30, 80),
        &[(
            "definitions[0]",
            "would classify as {}, not {high_utilization}",
        )],
    );
    // Jitter never leaves the target range, so the range itself must clear
    // the threshold: 0.50 is fine, 0.49 is not.
    check(
        |p| p.definitions[0].target_utilization.min = dec("0.50"),
        &[],
    );
    check(
        |p| p.definitions[0].target_utilization.min = dec("0.49"),
        &[("definitions[0]", "would classify as {}")],
    );
}

#[test]
fn a_control_range_with_many_subscriptions_is_a_problem() {
    check(
        |p| p.definitions[4].subscriptions = CountRange::new(0, 5),
        &[(
            "definitions[4]",
            "would classify as {subscription_heavy}, not {}",
        )],
    );
    check(|p| p.definitions[4].subscriptions.max = 2, &[]);
}

#[test]
fn a_saver_without_a_savings_account_is_a_problem() {
    check(
        |p| p.definitions[3].savings_account_percent = 90,
        &[(
            "definitions[3]",
            "would classify as {}, not {savings_builder}",
        )],
    );
}

#[test]
fn criteria_changes_are_checked_against_the_definitions() {
    // Subscription-Heavy users pay 5–10 merchants; a threshold of 6 misses some.
    check(
        |p| p.criteria.subscription_heavy_min_merchants = 6,
        &[(
            "definitions[2]",
            "would classify as {}, not {subscription_heavy}",
        )],
    );
    check(|p| p.criteria.subscription_heavy_min_merchants = 5, &[]);
}

#[test]
fn a_missing_persona_is_a_problem() {
    check(
        |p| {
            p.definitions.pop();
        },
        &[("definitions", "`control` is missing")],
    );
    check(
        |p| {
            p.definitions.remove(3);
        },
        &[
            ("definitions", "`savings_builder` is missing"),
            ("definitions", "`control` must be entry 4"),
        ],
    );
    check(
        |p| p.definitions.clear(),
        &[
            ("definitions", "`high_utilization` is missing"),
            ("definitions", "`variable_income` is missing"),
            ("definitions", "`subscription_heavy` is missing"),
            ("definitions", "`savings_builder` is missing"),
            ("definitions", "`control` is missing"),
        ],
    );
}

#[test]
fn a_duplicated_persona_is_a_problem() {
    check(
        |p| p.definitions.push(p.definitions[2].clone()),
        &[("definitions", "`subscription_heavy` is defined 2 times")],
    );
}

#[test]
fn personas_out_of_priority_order_are_a_problem() {
    check(
        |p| p.definitions.swap(0, 1),
        &[
            ("definitions", "`high_utilization` must be entry 0"),
            ("definitions", "`variable_income` must be entry 1"),
        ],
    );
}

#[test]
fn personas_round_trip_through_json() {
    let personas = Personas::spendsense();
    let json = serde_json::to_string_pretty(&personas).unwrap();
    let parsed: Personas = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed, personas);
    assert_eq!(serde_json::to_string_pretty(&parsed).unwrap(), json);
    // Thresholds and ranges are exact numbers, not strings or floats.
    for needle in [
        r#""high_utilization_min": 0.50,"#,
        r#""savings_builder_min_inflow": 200,"#,
        r#""utilization_jitter": 0.04,"#,
        r#""schedule": "irregular","#,
    ] {
        assert!(json.contains(needle), "{needle} not in {json}");
    }
}

/// Parses the default configuration's JSON with `from` replaced by `to` and
/// checks the error names `needle`.
fn check_rejected(from: &str, to: &str, needle: &str) {
    let json = serde_json::to_string_pretty(&Personas::spendsense()).unwrap();
    assert!(json.contains(from), "{from:?} not in the JSON");
    let edited = json.replacen(from, to, 1);
    let err = serde_json::from_str::<Personas>(&edited)
        .expect_err(&format!("{to:?} should be refused"))
        .to_string();
    assert!(
        err.contains(needle),
        "error {err:?} should contain {needle:?}"
    );
}

#[test]
fn unknown_fields_in_a_configuration_are_refused_by_name() {
    check_rejected(
        r#""criteria": {"#,
        r#""version": 2, "criteria": {"#,
        "unknown field `version`",
    );
    check_rejected(
        r#""high_utilization_min": 0.50,"#,
        r#""high_utilization_min": 0.50, "high_utilization_max": 0.90,"#,
        "unknown field `high_utilization_max`",
    );
    check_rejected(
        r#""title": "Control","#,
        r#""title": "Control", "colour": "grey","#,
        "unknown field `colour`",
    );
    check_rejected(
        r#""utilization_jitter": 0.04,"#,
        r#""utilization_jitter": 0.04, "jitter": 0.04,"#,
        "unknown field `jitter`",
    );
    check_rejected(
        r#""schedule": "irregular","#,
        r#""schedule": "irregular", "typical_gap_days": 60,"#,
        "unknown field `typical_gap_days`",
    );
    check_rejected(
        r#""min": 46,"#,
        r#""min": 46, "step": 1,"#,
        "unknown field `step`",
    );
    check_rejected(
        r#""id": "control","#,
        r#""id": "mixed","#,
        "unknown variant `mixed`",
    );
}

#[test]
fn values_beyond_the_limits_are_problems() {
    // 1e27 passed once and overflowed generation; every range has a bound now.
    check(
        |p| p.definitions[0].checking_buffer_months.max = dec("1000000000000000000000000000"),
        &[(
            "definitions[0].checking_buffer_months",
            "0.20–1000000000000000000000000000 must lie within 0–120",
        )],
    );
    check(
        |p| p.definitions[0].credit_limit_income_share.max = dec("1000000000000000"),
        &[(
            "definitions[0].credit_limit_income_share",
            "must lie within 0–2",
        )],
    );
    check(
        |p| p.definitions[3].savings_monthly.max = dec("10000.01"),
        &[(
            "definitions[3].savings_monthly",
            "250–10000.01 must lie within 0–10000",
        )],
    );
    check(
        |p| p.definitions[3].savings_balance_months.max = dec("121"),
        &[(
            "definitions[3].savings_balance_months",
            "must lie within 0–120",
        )],
    );
    check(|p| p.definitions[3].savings_monthly.max = dec("10000"), &[]);
}

#[test]
fn irregular_gaps_must_fit_the_history() {
    // Control paid irregularly: its buffer of a month or more keeps it out of
    // Variable Income at any gap, so only the gap bounds decide.
    for (min, max, ok) in [
        (14, 120, true),
        (13, 30, false),
        (0, 30, false),
        (30, 121, false),
    ] {
        let problem = [(
            "definitions[4].pay.median_gap_days",
            "must be a non-inverted range of days within 14–120",
        )];
        check(
            |p| {
                p.definitions[4].pay = PayPlan::Irregular {
                    median_gap_days: CountRange::new(min, max),
                }
            },
            if ok { &[] } else { &problem },
        );
    }
}

#[test]
fn repeated_or_too_many_pay_frequencies_are_problems() {
    check(
        |p| {
            let PayPlan::Regular { frequencies } = &mut p.definitions[0].pay else {
                unreachable!()
            };
            frequencies.extend(frequencies.clone());
        },
        &[(
            "definitions[0].pay.frequencies",
            "8 entries with a repeat; list each of weekly, biweekly, semimonthly, monthly at most once",
        )],
    );
}

#[test]
fn a_long_definitions_list_is_one_problem() {
    check(
        |p| {
            let extra = p.definitions[4].clone();
            p.definitions.extend(std::iter::repeat_n(extra, 1000));
        },
        &[(
            "definitions",
            "`control` is defined 1001 times; define it once",
        )],
    );
}

#[test]
fn criteria_outside_what_a_signal_can_be_are_problems() {
    check(
        |p| p.criteria.high_utilization_min = dec("-0.5"),
        &[("criteria.high_utilization_min", "-0.5 must lie within 0–1")],
    );
    check(
        |p| p.criteria.savings_builder_min_growth = dec("1.5"),
        &[(
            "criteria.savings_builder_min_growth",
            "1.5 must lie within 0–1",
        )],
    );
    check(
        |p| p.criteria.subscription_heavy_min_monthly_spend = dec("1000000000000000000000000000"),
        &[(
            "criteria.subscription_heavy_min_monthly_spend",
            "must lie within 0–75 ($25 a required merchant, at most $100",
        )],
    );
    // Found by fuzzing: no five subscriptions cost $1609.60 a month.
    check(
        |p| {
            p.criteria.subscription_heavy_min_monthly_spend = dec("1609.6");
            p.criteria.subscription_heavy_min_merchants = 5;
        },
        &[(
            "criteria.subscription_heavy_min_monthly_spend",
            "1609.6 must lie within 0–100",
        )],
    );
    check(
        |p| p.criteria.savings_builder_min_inflow = dec("200.001"),
        &[(
            "criteria.savings_builder_min_inflow",
            "200.001 has more than 2 decimals",
        )],
    );
    check(
        |p| p.criteria.variable_income_buffer_below_months = dec("121"),
        &[(
            "criteria.variable_income_buffer_below_months",
            "121 must lie within 0–120",
        )],
    );
    check(
        |p| p.criteria.variable_income_gap_above_days = 181,
        &[(
            "criteria.variable_income_gap_above_days",
            "181 must lie within 0–180 days",
        )],
    );
    check(
        |p| p.criteria.subscription_heavy_min_merchants = 0,
        &[
            // The spend bound is $25 for every merchant required, at least one.
            (
                "criteria.subscription_heavy_min_monthly_spend",
                "50 must lie within 0–25",
            ),
            (
                "criteria.subscription_heavy_min_merchants",
                "0 must lie within 1–20",
            ),
        ],
    );
}
