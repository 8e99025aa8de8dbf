//! How far each persona's signals stay from SpendSense's thresholds, per
//! window: `cargo xtask margins` prints it, and `docs/personas.md` shows it
//! for the first 1,000 users of seed 42 (a generated region).
//!
//! For each persona and window, every signal some rule reads is summarised
//! (min, median, max over the persona's users) with its threshold and the
//! margin: the distance from the threshold of the user closest to it, on the
//! side the persona needs. A negative margin would be a misclassified user; 0
//! is fine where the rule is strict on the other side (no interest at all is
//! below "interest > 0"; a 45-day gap is below "gap > 45").

use rust_decimal::Decimal;
use spendsense_generator::{Generator, GeneratorConfig};
use spendsense_personas::{Criteria, PersonaSet, Signals, Window};
use spendsense_schema::{PersonaId, UserProfile};

/// Which side of its threshold a persona's users must keep a signal.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    /// Above the threshold (at it too, for `≥` rules).
    Above,
    /// Below the threshold (at it too, for `≤` rules).
    Below,
}

/// One row: a signal, how it is read, the side the persona needs and the threshold.
struct Row {
    name: &'static str,
    read: fn(&Signals) -> Decimal,
    side: Side,
    threshold: Decimal,
}

fn rows(persona: PersonaId, c: &Criteria) -> Vec<Row> {
    use PersonaId::*;
    let utilization = |s: &Signals| s.max_card_utilization.unwrap_or(Decimal::ZERO);
    let row = |name, read, side, threshold| Row {
        name,
        read,
        side,
        threshold,
    };
    let gap = Decimal::from(c.variable_income_gap_above_days);
    let merchants = Decimal::from(c.subscription_heavy_min_merchants);
    let mut out = Vec::new();
    // High Utilization: one signal suffices; everyone else must avoid all four.
    if persona == HighUtilization {
        out.push(row(
            "max card utilization",
            utilization,
            Side::Above,
            c.high_utilization_min,
        ));
    } else {
        let limit = if persona == SavingsBuilder {
            c.savings_builder_utilization_below
        } else {
            c.high_utilization_min
        };
        out.push(row("max card utilization", utilization, Side::Below, limit));
        out.push(row(
            "interest charged ($)",
            |s| s.interest_charged,
            Side::Below,
            Decimal::ZERO,
        ));
    }
    // Variable Income: both signals; others avoid it through the pay gap.
    let pay_gap = |s: &Signals| s.median_pay_gap_days;
    if persona == VariableIncome {
        out.push(row("median pay gap (days)", pay_gap, Side::Above, gap));
        out.push(row(
            "buffer (months of expenses)",
            |s| s.checking_buffer_months,
            Side::Below,
            c.variable_income_buffer_below_months,
        ));
    } else {
        out.push(row("median pay gap (days)", pay_gap, Side::Below, gap));
    }
    // Subscription-Heavy: both; others avoid it through the merchant count.
    let count = |s: &Signals| Decimal::from(s.recurring_merchants);
    if persona == SubscriptionHeavy {
        out.push(row("recurring merchants", count, Side::Above, merchants));
        out.push(row(
            "recurring spend ($/month)",
            |s| s.recurring_monthly_spend,
            Side::Above,
            c.subscription_heavy_min_monthly_spend,
        ));
    } else {
        out.push(row("recurring merchants", count, Side::Below, merchants));
    }
    // Savings Builder: the inflow suffices; others avoid inflow and growth.
    let inflow = |s: &Signals| s.savings_inflow_monthly;
    if persona == SavingsBuilder {
        out.push(row(
            "savings inflow ($/month)",
            inflow,
            Side::Above,
            c.savings_builder_min_inflow,
        ));
    } else {
        out.push(row(
            "savings inflow ($/month)",
            inflow,
            Side::Below,
            c.savings_builder_min_inflow,
        ));
        out.push(row(
            "savings growth",
            |s| s.savings_growth,
            Side::Below,
            c.savings_builder_min_growth,
        ));
    }
    out
}

fn median(values: &mut [Decimal]) -> Decimal {
    spendsense_personas::median(values).unwrap_or_default()
}

/// The margin table of `profiles` as Markdown, one row per persona, window and signal.
pub fn table(profiles: &[UserProfile], criteria: &Criteria) -> String {
    let mut out = String::from(
        "| persona | window | signal | min | median | max | threshold | margin |\n|---|---|---|---|---|---|---|---|\n",
    );
    for persona in PersonaId::ALL {
        let users: Vec<&UserProfile> = profiles
            .iter()
            .filter(|p| p.persona == persona && p.matched_personas.is_none())
            .collect();
        if users.is_empty() {
            continue;
        }
        for window in Window::BOTH {
            let all: Vec<Signals> = users
                .iter()
                .map(|p| Signals::in_window(p, window))
                .collect();
            debug_assert!(
                all.iter()
                    .all(|s| criteria.classify(s) == PersonaSet::only(persona))
            );
            for row in rows(persona, criteria) {
                let mut values: Vec<Decimal> = all.iter().map(row.read).collect();
                let med = median(&mut values);
                let (min, max) = (values[0], values[values.len() - 1]);
                let (sign, margin) = match row.side {
                    Side::Above => ("above", min - row.threshold),
                    Side::Below => ("below", row.threshold - max),
                };
                out.push_str(&format!(
                    "| {persona} | {} | {} | {} | {} | {} | {sign} {} | {} |\n",
                    window.as_str(),
                    row.name,
                    min.round_dp(2),
                    med.round_dp(2),
                    max.round_dp(2),
                    row.threshold,
                    margin.round_dp(2)
                ));
            }
        }
    }
    out
}

/// The table for the first `count` users of `seed`.
pub fn of_run(seed: u64, count: u64) -> String {
    let config = GeneratorConfig::new(seed, count);
    let generator = Generator::new(&config).expect("the default configuration is valid");
    let profiles: Vec<UserProfile> = generator.iter().collect();
    table(&profiles, &generator.personas().criteria)
}
