//! Detection thresholds, probed on both sides of each boundary.

use rust_decimal::Decimal;
use spendsense_personas::{Criteria, PersonaSet, Personas, PlannedSignals, classify};
use spendsense_schema::PersonaId;

use crate::{dec, set};

/// Signals that trigger nothing: a card at 10%, two months of buffer,
/// biweekly pay, one merchant, a savings account receiving $50 a month.
fn quiet() -> PlannedSignals {
    PlannedSignals {
        max_card_utilization: Some(dec("0.10")),
        checking_buffer_months: dec("2.00"),
        median_pay_gap_days: 14,
        recurring_merchants: 1,
        has_savings_account: true,
        savings_transfer_monthly: dec("50.00"),
    }
}

/// Classifies `quiet()` changed by `tweak` three ways (the free function, the
/// default `Personas`, and `Criteria::matches` per persona) and compares each
/// with `expected` (`&[]` is control).
fn check(tweak: impl FnOnce(&mut PlannedSignals), expected: &[PersonaId]) {
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
fn variable_income_needs_a_gap_above_45_days() {
    let thin = |gap: u16| {
        move |s: &mut PlannedSignals| {
            (s.median_pay_gap_days, s.checking_buffer_months) = (gap, dec("0.50"));
        }
    };
    check(thin(45), &[]);
    check(thin(46), &[PersonaId::VariableIncome]);
    check(thin(90), &[PersonaId::VariableIncome]);
}

#[test]
fn variable_income_needs_a_buffer_below_one_month() {
    let long_gap = |buffer: &str| {
        let buffer = dec(buffer);
        move |s: &mut PlannedSignals| {
            (s.median_pay_gap_days, s.checking_buffer_months) = (46, buffer);
        }
    };
    check(long_gap("0.99"), &[PersonaId::VariableIncome]);
    check(long_gap("0.9999"), &[PersonaId::VariableIncome]);
    check(long_gap("0"), &[PersonaId::VariableIncome]);
    check(long_gap("1.00"), &[]);
    check(long_gap("1"), &[]);
}

#[test]
fn subscription_heavy_starts_at_three_merchants() {
    check(|s| s.recurring_merchants = 2, &[]);
    check(
        |s| s.recurring_merchants = 3,
        &[PersonaId::SubscriptionHeavy],
    );
    check(
        |s| s.recurring_merchants = 10,
        &[PersonaId::SubscriptionHeavy],
    );
}

#[test]
fn savings_builder_starts_at_200_dollars_a_month() {
    check(|s| s.savings_transfer_monthly = dec("199.99"), &[]);
    check(
        |s| s.savings_transfer_monthly = dec("200.00"),
        &[PersonaId::SavingsBuilder],
    );
    check(
        |s| s.savings_transfer_monthly = dec("200"),
        &[PersonaId::SavingsBuilder],
    );
}

#[test]
fn savings_transfers_without_a_savings_account_are_no_inflow() {
    let no_account = |s: &mut PlannedSignals| {
        s.has_savings_account = false;
        s.savings_transfer_monthly = dec("5000.00");
    };
    check(no_account, &[]);
    let mut signals = quiet();
    no_account(&mut signals);
    assert_eq!(signals.savings_inflow_monthly(), Decimal::ZERO);
    signals.has_savings_account = true;
    assert_eq!(signals.savings_inflow_monthly(), dec("5000.00"));
}

#[test]
fn savings_builder_needs_every_card_below_thirty_percent() {
    let saver = |utilization: Option<&str>| {
        let utilization = utilization.map(dec);
        move |s: &mut PlannedSignals| {
            s.savings_transfer_monthly = dec("500.00");
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
            (s.median_pay_gap_days, s.checking_buffer_months) = (60, dec("0.20"));
            s.recurring_merchants = 8;
        },
        &[
            PersonaId::HighUtilization,
            PersonaId::VariableIncome,
            PersonaId::SubscriptionHeavy,
        ],
    );
    let mut signals = quiet();
    signals.recurring_merchants = 4;
    signals.savings_transfer_monthly = dec("300.00");
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
    signals.recurring_merchants = 7;
    let got = classify(&signals);
    assert_eq!(got.primary(), PersonaId::HighUtilization);
    assert_eq!(got.to_string(), "{high_utilization, subscription_heavy}");
}
