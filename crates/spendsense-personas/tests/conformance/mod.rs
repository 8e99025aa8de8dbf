//! `Personas::check_profile` on hand-built profiles, one or two per persona.

use spendsense_personas::{
    PersonaSet, Personas, RULE_ACCOUNT_STRUCTURE, RULE_CLASSIFICATION, RULE_PERSONA_RANGE,
    RULE_PLAN_MISMATCH, Signals,
};
use spendsense_schema::{
    Account, AccountSubtype, IncomeStability, PayFrequency, PersonaId, UserProfile, Violation,
    sample, validate_profile,
};

use crate::dec;

/// What a hand-built profile plans; amounts are exact text such as `"2500.00"`.
struct Plan {
    persona: PersonaId,
    annual_income: &'static str,
    pay: (PayFrequency, u16),
    target_utilization: &'static str,
    savings_monthly: &'static str,
    subscriptions: u8,
    checking: &'static str,
    savings: Option<&'static str>,
    /// `(limit, current)` of each credit card.
    cards: &'static [(&'static str, &'static str)],
}

/// An account of the sample user's, renumbered to position `id`.
fn depository(id: usize, subtype: AccountSubtype, current: &str) -> Account {
    let mut account = sample::profile().accounts[0].clone();
    account.account_id = format!("user_MASKED_000_acct_{id}");
    account.balances.available = Some(dec(current));
    account.balances.current = Some(dec(current));
    account.mask = Some(format!("{:04}", 1000 + id));
    account.name = format!("Plaid {}", subtype.as_str());
    account.account_type = subtype.account_type();
    account.subtype = subtype;
    account
}

fn card(id: usize, limit: &str, current: &str) -> Account {
    let mut account = depository(id, AccountSubtype::CreditCard, current);
    account.balances.limit = Some(dec(limit));
    account.balances.available = Some(dec(limit) - dec(current));
    account
}

/// The shared sample profile, changed to what `plan` says.
fn build(plan: &Plan) -> UserProfile {
    let mut accounts = vec![depository(0, AccountSubtype::Checking, plan.checking)];
    if let Some(savings) = plan.savings {
        accounts.push(depository(1, AccountSubtype::Savings, savings));
    }
    for (limit, current) in plan.cards {
        accounts.push(card(accounts.len(), limit, current));
    }
    let (pay_frequency, median_pay_gap_days) = plan.pay;
    let mut profile = sample::profile();
    profile.persona = plan.persona;
    profile.annual_income = dec(plan.annual_income);
    let traits = &mut profile.characteristics;
    traits.target_credit_utilization = dec(plan.target_utilization);
    traits.target_savings_monthly = dec(plan.savings_monthly);
    traits.income_stability = if pay_frequency == PayFrequency::Irregular {
        IncomeStability::Irregular
    } else {
        IncomeStability::Regular
    };
    traits.pay_frequency = pay_frequency;
    traits.median_pay_gap_days = median_pay_gap_days;
    traits.subscription_count_target = plan.subscriptions;
    profile.accounts = accounts;
    profile.plan = plan_of(&profile, plan);
    profile
}

/// A dated plan that realises `plan` for `profile`: the sample's dates, pay on
/// `plan.pay`, expenses equal to the monthly income (so the buffer in months of
/// expenses is the buffer in months of income), `plan.subscriptions` $15
/// subscriptions billed in the last weeks, cards paid in full, and savings
/// transfers only for a savings target with a savings account.
fn plan_of(profile: &UserProfile, plan: &Plan) -> spendsense_schema::Plan {
    use spendsense_schema::{CardPayment, CardPlan, Paycheck};
    let mut dated = sample::profile().plan;
    let (frequency, gap) = plan.pay;
    dated.income.frequency = frequency;
    // Paychecks exactly `gap` days apart: the nominal gap of a regular
    // schedule lies inside its calendar range (monthly 28-31, semimonthly 13-16).
    let gap = i32::from(gap);
    let first = dated.history_start.add_days(1);
    dated.income.paychecks = (0..)
        .map(|n| first.add_days(gap * n))
        .take_while(|date| *date <= dated.as_of)
        .map(|date| Paycheck {
            date,
            amount: dec("1000.00"),
        })
        .collect();
    dated.monthly_expenses = profile.monthly_income().round_dp(2);
    let template = dated.recurring[1].clone();
    dated.recurring = (0..plan.subscriptions)
        .map(|n| {
            let mut charge = template.clone();
            charge.merchant = format!("Streaming {n}");
            charge.amount = dec("15.00");
            charge.first_charge = dated.history_start.with_day(20).months_later(1, 20);
            charge.account_id = profile.accounts[0].account_id.clone();
            charge
        })
        .collect();
    let card_template: CardPlan = dated.cards[0].clone();
    dated.cards = profile
        .accounts
        .iter()
        .filter(|a| a.is_credit_card())
        .map(|a| CardPlan {
            account_id: a.account_id.clone(),
            payment: CardPayment::PayInFull,
            ..card_template.clone()
        })
        .collect();
    let savings = profile
        .accounts
        .iter()
        .find(|a| a.subtype == AccountSubtype::Savings);
    dated.savings_transfers = match (savings, dec(plan.savings_monthly)) {
        (Some(savings), monthly) if !monthly.is_zero() => {
            let mut transfers = dated.savings_transfers.clone().expect("the sample saves");
            transfers.to_account_id = savings.account_id.clone();
            transfers.amount = (monthly * dec("12") / dec("26")).round_dp(2);
            Some(transfers)
        }
        _ => None,
    };
    dated
}

/// $60,000 a year, half a month of checking, one card at 70% of a 40%-of-income limit.
const HIGH_UTILIZATION: Plan = Plan {
    persona: PersonaId::HighUtilization,
    annual_income: "60000.00",
    pay: (PayFrequency::Biweekly, 14),
    target_utilization: "0.70",
    savings_monthly: "0.00",
    subscriptions: 1,
    checking: "2500.00",
    savings: None,
    cards: &[("24000.00", "16800.00")],
};

/// Conforming profiles: at least one per persona, with and without optional accounts.
const CONFORMING: &[Plan] = &[
    HIGH_UTILIZATION,
    Plan {
        persona: PersonaId::HighUtilization,
        annual_income: "100000.00",
        pay: (PayFrequency::Weekly, 7),
        target_utilization: "0.65",
        savings_monthly: "0.00",
        subscriptions: 2,
        checking: "5000.00",
        savings: Some("5000.00"),
        cards: &[("20000.00", "13000.00"), ("20000.00", "13600.00")],
    },
    Plan {
        persona: PersonaId::VariableIncome,
        annual_income: "36000.00",
        pay: (PayFrequency::Irregular, 60),
        target_utilization: "0.20",
        savings_monthly: "0.00",
        subscriptions: 1,
        checking: "1500.00",
        savings: None,
        cards: &[("3600.00", "720.00")],
    },
    Plan {
        persona: PersonaId::VariableIncome,
        annual_income: "24000.00",
        pay: (PayFrequency::Irregular, 46),
        target_utilization: "0.00",
        savings_monthly: "0.00",
        subscriptions: 0,
        checking: "200.00",
        savings: Some("1000.00"),
        cards: &[],
    },
    Plan {
        persona: PersonaId::SubscriptionHeavy,
        annual_income: "90000.00",
        pay: (PayFrequency::Semimonthly, 15),
        target_utilization: "0.25",
        savings_monthly: "0.00",
        subscriptions: 7,
        checking: "15000.00",
        savings: Some("7500.00"),
        cards: &[("12000.00", "3000.00")],
    },
    Plan {
        persona: PersonaId::SavingsBuilder,
        annual_income: "96000.00",
        pay: (PayFrequency::Biweekly, 14),
        target_utilization: "0.12",
        savings_monthly: "800.00",
        subscriptions: 2,
        checking: "24000.00",
        savings: Some("40000.00"),
        cards: &[("15000.00", "1800.00")],
    },
    Plan {
        persona: PersonaId::Control,
        annual_income: "48000.00",
        pay: (PayFrequency::Monthly, 30),
        target_utilization: "0.00",
        savings_monthly: "0.00",
        subscriptions: 2,
        checking: "6000.00",
        savings: None,
        cards: &[],
    },
    Plan {
        persona: PersonaId::Control,
        annual_income: "48000.00",
        pay: (PayFrequency::Weekly, 7),
        target_utilization: "0.30",
        savings_monthly: "0.00",
        subscriptions: 0,
        checking: "6000.00",
        savings: Some("8000.00"),
        cards: &[("4000.00", "1200.00"), ("4000.00", "1240.00")],
    },
];

/// Checks `build(plan)` changed by `edit` and compares every violation, in
/// order, with `expected`: `(path, rule, text the message must contain)`.
fn check(plan: &Plan, edit: impl FnOnce(&mut UserProfile), expected: &[(&str, &str, &str)]) {
    let mut profile = build(plan);
    edit(&mut profile);
    let got = Personas::spendsense().check_profile(&profile);
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
fn conforming_profiles_of_every_persona_have_no_violations() {
    for plan in CONFORMING {
        let profile = build(plan);
        assert_eq!(validate_profile(&profile), [], "{:?}", plan.persona);
        assert_eq!(
            Personas::spendsense().classify(&Signals::of(&profile)),
            PersonaSet::only(plan.persona),
            "{:?}",
            plan.persona
        );
        check(plan, |_| {}, &[]);
    }
    for persona in PersonaId::ALL {
        assert!(
            CONFORMING.iter().any(|p| p.persona == persona),
            "no conforming {persona} profile"
        );
    }
}

#[test]
fn a_high_utilization_card_at_thirty_percent_is_reported() {
    check(
        &HIGH_UTILIZATION,
        |p| {
            let b = &mut p.accounts[1].balances;
            (b.current, b.available) = (Some(dec("7200.00")), Some(dec("16800.00")));
        },
        &[
            (
                "accounts[1].balances.current",
                RULE_PERSONA_RANGE,
                "utilization 0.30 is outside 0.60–0.80 for high_utilization",
            ),
            (
                "plan",
                RULE_CLASSIFICATION,
                "30d signals classify as {}; a `high_utilization` profile must classify as {high_utilization}",
            ),
            (
                "plan",
                RULE_CLASSIFICATION,
                "180d signals classify as {}; a `high_utilization` profile must classify as {high_utilization}",
            ),
        ],
    );
}

#[test]
fn a_high_utilization_target_of_thirty_percent_is_reported() {
    check(
        &HIGH_UTILIZATION,
        |p| {
            p.characteristics.target_credit_utilization = dec("0.30");
            let b = &mut p.accounts[1].balances;
            (b.current, b.available) = (Some(dec("7200.00")), Some(dec("16800.00")));
        },
        &[
            (
                "characteristics.target_credit_utilization",
                RULE_PERSONA_RANGE,
                "0.30 is outside 0.60–0.80 for high_utilization",
            ),
            (
                "accounts[1].balances.current",
                RULE_PERSONA_RANGE,
                "utilization 0.30 is outside 0.60–0.80 for high_utilization",
            ),
            ("plan", RULE_CLASSIFICATION, "30d signals classify as {}"),
            ("plan", RULE_CLASSIFICATION, "180d signals classify as {}"),
        ],
    );
}

#[test]
fn a_saver_without_savings_account_breaks_structure_and_classification() {
    let saver = CONFORMING
        .iter()
        .find(|p| p.persona == PersonaId::SavingsBuilder)
        .unwrap();
    check(
        saver,
        |p| {
            p.accounts.remove(1);
        },
        &[
            (
                "accounts",
                RULE_ACCOUNT_STRUCTURE,
                "0 savings accounts; savings_builder allows 1..=1",
            ),
            (
                "plan",
                RULE_CLASSIFICATION,
                "30d signals classify as {}; a `savings_builder` profile must classify as {savings_builder}",
            ),
            (
                "plan",
                RULE_CLASSIFICATION,
                "180d signals classify as {}; a `savings_builder` profile must classify as {savings_builder}",
            ),
        ],
    );
}

#[test]
fn values_outside_the_persona_ranges_are_reported() {
    check(
        &HIGH_UTILIZATION,
        |p| {
            p.characteristics.subscription_count_target = 3;
            p.characteristics.target_savings_monthly = dec("150.00");
        },
        &[
            (
                "characteristics.target_savings_monthly",
                RULE_PERSONA_RANGE,
                "150.00 is outside 0 for high_utilization",
            ),
            (
                "characteristics.subscription_count_target",
                RULE_PERSONA_RANGE,
                "3 is outside 0–2 for high_utilization",
            ),
            (
                "characteristics.subscription_count_target",
                RULE_PLAN_MISMATCH,
                "3 subscriptions, but the plan has 1",
            ),
            (
                "characteristics.target_savings_monthly",
                RULE_PLAN_MISMATCH,
                "150.00 a month, but the plan moves 0 every 14 days (expected 69.23)",
            ),
        ],
    );
    check(
        &HIGH_UTILIZATION,
        |p| {
            let checking = &mut p.accounts[0].balances;
            (checking.current, checking.available) = (Some(dec("5000.00")), Some(dec("5000.00")));
        },
        &[(
            "accounts[0].balances.current",
            RULE_PERSONA_RANGE,
            "checking balance 5000.00 is 1.00 months of expenses, outside 0.20–0.90 months for high_utilization",
        )],
    );
}

#[test]
fn a_utilization_target_without_cards_is_reported() {
    let cardless = CONFORMING
        .iter()
        .find(|p| p.persona == PersonaId::Control && p.cards.is_empty())
        .unwrap();
    check(
        cardless,
        |p| p.characteristics.target_credit_utilization = dec("0.10"),
        &[(
            "characteristics.target_credit_utilization",
            RULE_PERSONA_RANGE,
            "0.10 without credit cards; expected 0",
        )],
    );
}

#[test]
fn a_savings_balance_smaller_than_its_transfers_is_reported() {
    let saver = CONFORMING
        .iter()
        .find(|p| p.persona == PersonaId::SavingsBuilder)
        .unwrap();
    check(
        saver,
        |p| {
            let savings = &mut p.accounts[1].balances;
            (savings.current, savings.available) = (Some(dec("100.00")), Some(dec("100.00")));
        },
        &[
            (
                "accounts[1].balances.current",
                RULE_PERSONA_RANGE,
                "savings balance 100.00 is 0.01 months of income",
            ),
            (
                "plan.savings_transfers",
                RULE_PLAN_MISMATCH,
                "the savings balance 100.00 is not more than the",
            ),
        ],
    );
}
