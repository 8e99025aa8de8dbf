//! Detection thresholds, probed on both sides of each boundary.

use rust_decimal::Decimal;
use spendsense_personas::{Criteria, PersonaSet, Personas, Signals, classify};
use spendsense_schema::PersonaId;

use crate::{dec, set};

/// Signals that trigger nothing: a card at 10% paid in full, two months of
/// buffer, biweekly pay, one $15 subscription, $50 a month into savings
/// growing 1% over the window.
fn quiet() -> Signals {
    Signals {
        max_card_utilization: Some(dec("0.10")),
        interest_charged: Decimal::ZERO,
        minimum_payment_only: false,
        overdue: false,
        checking_buffer_months: dec("2.00"),
        median_pay_gap_days: dec("14"),
        recurring_merchants: 1,
        recurring_monthly_spend: dec("15.49"),
        recurring_spend_share: dec("0.005"),
        savings_inflow_monthly: dec("50.00"),
        savings_growth: dec("0.01"),
    }
}

/// Classifies `quiet()` changed by `tweak` three ways (the free function, the
/// default `Personas`, and `Criteria::matches` per persona) and compares each
/// with `expected` (`&[]` is control).
fn check(tweak: impl FnOnce(&mut Signals), expected: &[PersonaId]) {
    let mut signals = quiet();
    tweak(&mut signals);
    let want = set(expected);
    assert_eq!(classify(&signals), want, "{signals:?}");
    assert_eq!(
        Personas::spendsense().classify(&signals),
        want,
        "{signals:?}"
    );
    let criteria = Criteria::spendsense();
    for persona in PersonaId::ALL {
        let expected_match = if persona == PersonaId::Control {
            want.is_empty()
        } else {
            want.contains(persona)
        };
        assert_eq!(
            criteria.matches(persona, &signals),
            expected_match,
            "{persona} on {signals:?}"
        );
    }
}

#[test]
fn quiet_signals_are_control() {
    check(|_| {}, &[]);
    // An empty set is control when one persona must be named.
    assert_eq!(classify(&quiet()).primary(), PersonaId::Control);
    assert_eq!(PersonaSet::EMPTY.primary(), PersonaId::Control);
}

#[test]
fn high_utilization_starts_at_exactly_fifty_percent() {
    check(|s| s.max_card_utilization = Some(dec("0.4999")), &[]);
    check(
        |s| s.max_card_utilization = Some(dec("0.50")),
        &[PersonaId::HighUtilization],
    );
    check(
        |s| s.max_card_utilization = Some(dec("0.5000")),
        &[PersonaId::HighUtilization],
    );
    check(
        |s| s.max_card_utilization = Some(Decimal::ONE),
        &[PersonaId::HighUtilization],
    );
    check(|s| s.max_card_utilization = None, &[]);
}

#[test]
fn any_interest_minimum_payments_or_overdue_card_is_high_utilization() {
    check(
        |s| s.interest_charged = dec("0.01"),
        &[PersonaId::HighUtilization],
    );
    check(|s| s.interest_charged = dec("0.00"), &[]);
    check(
        |s| s.minimum_payment_only = true,
        &[PersonaId::HighUtilization],
    );
    check(|s| s.overdue = true, &[PersonaId::HighUtilization]);
}

#[test]
fn variable_income_needs_a_gap_above_45_days() {
    let thin = |gap: &str| {
        let gap = dec(gap);
        move |s: &mut Signals| {
            (s.median_pay_gap_days, s.checking_buffer_months) = (gap, dec("0.50"));
        }
    };
    check(thin("45"), &[]);
    check(thin("45.5"), &[PersonaId::VariableIncome]);
    check(thin("46"), &[PersonaId::VariableIncome]);
    check(thin("90"), &[PersonaId::VariableIncome]);
}

#[test]
fn variable_income_needs_a_buffer_below_one_month() {
    let long_gap = |buffer: &str| {
        let buffer = dec(buffer);
        move |s: &mut Signals| {
            (s.median_pay_gap_days, s.checking_buffer_months) = (dec("46"), buffer);
        }
    };
    check(long_gap("0.99"), &[PersonaId::VariableIncome]);
    check(long_gap("0.9999"), &[PersonaId::VariableIncome]);
    check(long_gap("0"), &[PersonaId::VariableIncome]);
    check(long_gap("1.00"), &[]);
    check(long_gap("1"), &[]);
}

/// `merchants` recurring merchants costing `spend` a month, `share` of all spend.
fn subscriptions(merchants: u16, spend: &str, share: &str) -> impl FnOnce(&mut Signals) {
    let (spend, share) = (dec(spend), dec(share));
    move |s: &mut Signals| {
        (
            s.recurring_merchants,
            s.recurring_monthly_spend,
            s.recurring_spend_share,
        ) = (merchants, spend, share)
    }
}

#[test]
fn subscription_heavy_starts_at_three_merchants() {
    check(subscriptions(2, "500.00", "0.50"), &[]);
    check(
        subscriptions(3, "50.00", "0.01"),
        &[PersonaId::SubscriptionHeavy],
    );
    check(
        subscriptions(10, "90.00", "0.02"),
        &[PersonaId::SubscriptionHeavy],
    );
}

#[test]
fn subscription_heavy_needs_50_dollars_a_month_or_a_tenth_of_spend() {
    check(subscriptions(3, "49.99", "0.0999"), &[]);
    check(subscriptions(3, "50", "0"), &[PersonaId::SubscriptionHeavy]);
    check(
        subscriptions(3, "10.00", "0.10"),
        &[PersonaId::SubscriptionHeavy],
    );
}

#[test]
fn savings_builder_starts_at_200_dollars_a_month() {
    check(|s| s.savings_inflow_monthly = dec("199.99"), &[]);
    check(
        |s| s.savings_inflow_monthly = dec("200.00"),
        &[PersonaId::SavingsBuilder],
    );
    check(
        |s| s.savings_inflow_monthly = dec("200"),
        &[PersonaId::SavingsBuilder],
    );
}

#[test]
fn savings_builder_starts_at_two_percent_growth() {
    check(|s| s.savings_growth = dec("0.0199"), &[]);
    check(
        |s| s.savings_growth = dec("0.02"),
        &[PersonaId::SavingsBuilder],
    );
}

#[test]
fn savings_builder_needs_every_card_below_thirty_percent() {
    let saver = |utilization: Option<&str>| {
        let utilization = utilization.map(dec);
        move |s: &mut Signals| {
            s.savings_inflow_monthly = dec("500.00");
            s.max_card_utilization = utilization;
        }
    };
    check(saver(Some("0.2999")), &[PersonaId::SavingsBuilder]);
    check(saver(Some("0.30")), &[]);
    check(saver(None), &[PersonaId::SavingsBuilder]);
    // At 50% the card makes the saver High Utilization instead.
    check(saver(Some("0.50")), &[PersonaId::HighUtilization]);
}

#[test]
fn signals_can_trigger_several_personas_listed_by_priority() {
    check(
        |s| {
            s.max_card_utilization = Some(dec("0.90"));
            (s.median_pay_gap_days, s.checking_buffer_months) = (dec("60"), dec("0.20"));
            (s.recurring_merchants, s.recurring_monthly_spend) = (8, dec("120.00"));
        },
        &[
            PersonaId::HighUtilization,
            PersonaId::VariableIncome,
            PersonaId::SubscriptionHeavy,
        ],
    );
    let mut signals = quiet();
    (signals.recurring_merchants, signals.recurring_monthly_spend) = (4, dec("60.00"));
    signals.savings_inflow_monthly = dec("300.00");
    let got = classify(&signals);
    assert_eq!(
        got.iter().collect::<Vec<_>>(),
        [PersonaId::SubscriptionHeavy, PersonaId::SavingsBuilder]
    );
    assert_eq!(got.primary(), PersonaId::SubscriptionHeavy);
    assert_eq!(got.to_string(), "{subscription_heavy, savings_builder}");
    // High Utilization outranks Subscription Heavy: primary, and first in the name.
    let mut signals = quiet();
    signals.max_card_utilization = Some(dec("0.70"));
    (signals.recurring_merchants, signals.recurring_monthly_spend) = (7, dec("99.00"));
    let got = classify(&signals);
    assert_eq!(got.primary(), PersonaId::HighUtilization);
    assert_eq!(got.to_string(), "{high_utilization, subscription_heavy}");
}
