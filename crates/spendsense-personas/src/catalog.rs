//! The full persona configuration: detection criteria plus one definition per persona.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use spendsense_schema::PersonaId;

use crate::{Criteria, DecimalRange, PayPlan, PersonaDefinition, PersonaSet, Signals};

/// The annual incomes, in dollars, every persona range must stay within: the
/// product's fixed range, which the profile's JSON Schema states too.
pub const INCOME_LIMITS: (i64, i64) = spendsense_schema::ANNUAL_INCOME_RANGE;

/// Detection criteria and the five persona definitions, in priority order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Personas {
    /// Detection thresholds.
    pub criteria: Criteria,
    /// One definition per [`PersonaId`], in [`PersonaId::ALL`] order.
    pub definitions: Vec<PersonaDefinition>,
}

/// Something wrong with a persona configuration, found before generating anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionProblem {
    /// JSON path of the offending value, e.g. `definitions[0].annual_income`.
    pub path: String,
    /// Why it is refused.
    pub reason: String,
}

impl fmt::Display for DefinitionProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

impl Default for Personas {
    fn default() -> Self {
        Personas::spendsense()
    }
}

impl Personas {
    /// SpendSense's default criteria and definitions.
    pub fn spendsense() -> Personas {
        Personas {
            criteria: Criteria::spendsense(),
            definitions: crate::default_definitions(),
        }
    }

    /// The definition of `persona`.
    ///
    /// # Panics
    /// If the configuration lacks `persona`; [`Personas::problems`] reports that
    /// before any caller gets here.
    pub fn get(&self, persona: PersonaId) -> &PersonaDefinition {
        self.definitions
            .iter()
            .find(|d| d.id == persona)
            .unwrap_or_else(|| {
                panic!("persona configuration lacks `{persona}`; call problems() first")
            })
    }

    /// The personas `signals` trigger under these criteria; empty means control.
    pub fn classify(&self, signals: &Signals) -> PersonaSet {
        self.criteria.classify(signals)
    }

    /// [`Personas::problems`] as a `Result`: `Ok` when the generator can use
    /// the configuration, else every problem in one [`Error::Definitions`](crate::Error::Definitions).
    pub fn check(&self) -> Result<(), crate::Error> {
        let problems = self.problems();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(crate::Error::Definitions(problems))
        }
    }

    /// Every problem with this configuration: missing or repeated personas,
    /// inverted ranges, negative amounts, values outside the bounds below
    /// which generation arithmetic cannot overflow (see [`LIMITS`]), and range corners that would make a
    /// persona's users trigger another persona (or control users any).
    pub fn problems(&self) -> Vec<DefinitionProblem> {
        let mut problems = Vec::new();
        // Each persona exactly once also bounds the list to five entries.
        for (at, persona) in PersonaId::ALL.into_iter().enumerate() {
            match self.definitions.iter().filter(|d| d.id == persona).count() {
                // `get`: with a persona missing, the list is shorter than `ALL`.
                1 if self.definitions.get(at).is_some_and(|d| d.id == persona) => {}
                1 => problems.push(problem(
                    "definitions",
                    format!("`{persona}` must be entry {at}; list personas in priority order"),
                )),
                0 => problems.push(problem(
                    "definitions",
                    format!("`{persona}` is missing; every persona needs a definition"),
                )),
                n => problems.push(problem(
                    "definitions",
                    format!("`{persona}` is defined {n} times; define it once"),
                )),
            }
        }
        if !problems.is_empty() {
            return problems;
        }
        // Corners are classified under the criteria, so only sane criteria prove anything.
        let criteria = criteria_problems(&self.criteria);
        let criteria_ok = criteria.is_empty();
        problems.extend(criteria);
        for (at, definition) in self.definitions.iter().enumerate() {
            let shape = definition_shape_problems(definition, &format!("definitions[{at}]"));
            if shape.is_empty() && criteria_ok {
                problems.extend(self.exclusivity_problems(definition, at));
            }
            problems.extend(shape);
        }
        problems
    }

    fn exclusivity_problems(
        &self,
        definition: &PersonaDefinition,
        at: usize,
    ) -> Vec<DefinitionProblem> {
        let expected = PersonaSet::only(definition.id);
        corners(definition, &self.criteria)
            .into_iter()
            .filter_map(|signals| {
                let got = self.classify(&signals);
                (got != expected).then(|| {
                    problem(
                        &format!("definitions[{at}]"),
                        format!(
                            "a `{}` user at the range corner ({signals}) would classify as {got}, not {expected}",
                            definition.id
                        ),
                    )
                })
            })
            .take(1)
            .collect()
    }
}

fn problem(path: &str, reason: String) -> DefinitionProblem {
    DefinitionProblem {
        path: path.to_string(),
        reason,
    }
}

/// The upper bounds of persona file values, beyond [`INCOME_LIMITS`],
/// [`MAX_SUBSCRIPTIONS`] and [`MAX_CREDIT_CARDS`]. Each is far above any real
/// persona and low enough that no arithmetic of the generator, the detector or
/// the validator can overflow: with incomes of at most $200,000 every derived
/// amount stays below $100 million.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Checking buffers, savings balances and the Variable Income buffer
    /// threshold, in months: 10 years.
    pub months: i64,
    /// Total credit limit as a share of annual income.
    pub credit_limit_income_share: i64,
    /// Planned monthly savings and the Savings Builder inflow threshold, in dollars.
    pub monthly_dollars: i64,
    /// The Subscription-Heavy monthly spend threshold, in dollars per merchant
    /// the rule requires, and at most: the generator tops a Subscription-Heavy
    /// user's subscriptions up to the threshold plus $5 from its list of real
    /// prices, and any `k` of its priciest cost at least this much plus $5.
    pub subscription_spend_dollars: (i64, i64),
    /// Irregular median pay gaps, in days: from the shortest gap the generator
    /// draws to a gap that leaves room for three paychecks of the 180-day history.
    pub median_gap_days: (u16, u16),
    /// The Variable Income gap threshold, in days: the history's length.
    pub gap_threshold_days: u16,
}

/// The bounds [`Personas::problems`] enforces.
pub const LIMITS: Limits = Limits {
    months: 120,
    credit_limit_income_share: 2,
    monthly_dollars: 10_000,
    subscription_spend_dollars: (25, 100),
    median_gap_days: (14, 120),
    gap_threshold_days: 180,
};

/// Most credit cards a definition may plan.
pub const MAX_CREDIT_CARDS: u16 = 8;

/// Most subscriptions a definition may plan: the generator draws each from a
/// distinct real-world merchant, and it knows this many.
pub const MAX_SUBSCRIPTIONS: u16 = 20;

fn definition_shape_problems(d: &PersonaDefinition, at: &str) -> Vec<DefinitionProblem> {
    let mut out = Vec::new();
    let unit = DecimalRange {
        min: Decimal::ZERO,
        max: Decimal::ONE,
    };
    let upto = |max: i64| DecimalRange {
        min: Decimal::ZERO,
        max: Decimal::from(max),
    };
    // Incomes have their own bound and message below.
    let decimal_ranges = [
        ("annual_income", d.annual_income, None),
        (
            "checking_buffer_months",
            d.checking_buffer_months,
            Some(upto(LIMITS.months)),
        ),
        (
            "credit_limit_income_share",
            d.credit_limit_income_share,
            Some(upto(LIMITS.credit_limit_income_share)),
        ),
        ("target_utilization", d.target_utilization, Some(unit)),
        ("savings_income_share", d.savings_income_share, Some(unit)),
        (
            "savings_monthly",
            d.savings_monthly,
            Some(upto(LIMITS.monthly_dollars)),
        ),
        (
            "savings_balance_months",
            d.savings_balance_months,
            Some(upto(LIMITS.months)),
        ),
    ];
    for (field, range, within) in decimal_ranges {
        let path = format!("{at}.{field}");
        if range.min > range.max {
            out.push(problem(
                &path,
                format!("inverted range: min {} > max {}", range.min, range.max),
            ));
        }
        if range.min.is_sign_negative() && !range.min.is_zero() {
            out.push(problem(
                &path,
                format!("negative amount {}; ranges start at 0", range.min),
            ));
        }
        // Every bound starts at 0, which the negative amount check covers.
        if let Some(within) = within
            && range.min.max(range.max) > within.max
        {
            out.push(problem(&path, format!("{range} must lie within {within}")));
        }
        for value in range.ends() {
            if value.scale() > 2 {
                out.push(problem(&path, format!("{value} has more than 2 decimals")));
            }
        }
    }
    let (lowest, highest) = INCOME_LIMITS;
    if d.annual_income.min < Decimal::from(lowest) || d.annual_income.max > Decimal::from(highest) {
        out.push(problem(
            &format!("{at}.annual_income"),
            format!(
                "{} must lie within {lowest}–{highest}, SpendSense's income range",
                d.annual_income
            ),
        ));
    }
    for (field, range) in [
        ("credit_cards", d.credit_cards),
        ("subscriptions", d.subscriptions),
    ] {
        if range.min > range.max {
            out.push(problem(
                &format!("{at}.{field}"),
                format!("inverted range: min {} > max {}", range.min, range.max),
            ));
        }
    }
    if d.credit_cards.max > MAX_CREDIT_CARDS {
        out.push(problem(
            &format!("{at}.credit_cards"),
            format!(
                "max {} is above {MAX_CREDIT_CARDS} cards",
                d.credit_cards.max
            ),
        ));
    }
    if d.subscriptions.max > MAX_SUBSCRIPTIONS {
        out.push(problem(
            &format!("{at}.subscriptions"),
            format!(
                "max {} is above {MAX_SUBSCRIPTIONS} subscriptions, the most a plan draws from distinct merchants",
                d.subscriptions.max
            ),
        ));
    }
    if d.utilization_jitter.is_sign_negative()
        || d.utilization_jitter > Decimal::new(20, 2)
        || d.utilization_jitter.scale() > 2
    {
        out.push(problem(
            &format!("{at}.utilization_jitter"),
            format!(
                "{} must be 0–0.20 with at most 2 decimals",
                d.utilization_jitter
            ),
        ));
    }
    if d.savings_account_percent > 100 {
        out.push(problem(
            &format!("{at}.savings_account_percent"),
            format!("{} is above 100", d.savings_account_percent),
        ));
    }
    let (shortest, longest) = LIMITS.median_gap_days;
    match &d.pay {
        PayPlan::Regular { frequencies }
            if frequencies.is_empty()
                || frequencies.iter().any(|f| f.nominal_gap_days().is_none()) =>
        {
            out.push(problem(
                &format!("{at}.pay.frequencies"),
                "list one or more of weekly, biweekly, semimonthly, monthly".into(),
            ))
        }
        PayPlan::Regular { frequencies }
            if frequencies
                .iter()
                .enumerate()
                .any(|(i, f)| frequencies[..i].contains(f)) =>
        {
            out.push(problem(
                &format!("{at}.pay.frequencies"),
                format!(
                    "{} entries with a repeat; list each of weekly, biweekly, semimonthly, monthly at most once",
                    frequencies.len()
                ),
            ))
        }
        PayPlan::Irregular { median_gap_days }
            if median_gap_days.min > median_gap_days.max
                || median_gap_days.min < shortest
                || median_gap_days.max > longest =>
        {
            out.push(problem(
                &format!("{at}.pay.median_gap_days"),
                format!(
                    "{median_gap_days} must be a non-inverted range of days within {shortest}–{longest}"
                ),
            ))
        }
        _ => {}
    }
    out
}

/// The highest Subscription-Heavy spend threshold, in dollars, for a rule
/// requiring `merchants` recurring merchants.
pub fn max_subscription_spend(merchants: u16) -> i64 {
    let (per_merchant, most) = LIMITS.subscription_spend_dollars;
    (per_merchant * i64::from(merchants.max(1))).min(most)
}

/// Thresholds outside what a signal can be (negative amounts, shares above 1)
/// or beyond [`LIMITS`].
fn criteria_problems(c: &Criteria) -> Vec<DefinitionProblem> {
    let mut out = Vec::new();
    let decimals = [
        ("high_utilization_min", c.high_utilization_min, 1, None),
        (
            "variable_income_buffer_below_months",
            c.variable_income_buffer_below_months,
            LIMITS.months,
            None,
        ),
        (
            "subscription_heavy_min_monthly_spend",
            c.subscription_heavy_min_monthly_spend,
            max_subscription_spend(c.subscription_heavy_min_merchants),
            Some(2),
        ),
        (
            "subscription_heavy_min_spend_share",
            c.subscription_heavy_min_spend_share,
            1,
            None,
        ),
        (
            "savings_builder_min_inflow",
            c.savings_builder_min_inflow,
            LIMITS.monthly_dollars,
            Some(2),
        ),
        (
            "savings_builder_min_growth",
            c.savings_builder_min_growth,
            1,
            None,
        ),
        (
            "savings_builder_utilization_below",
            c.savings_builder_utilization_below,
            1,
            None,
        ),
    ];
    for (field, value, max, scale) in decimals {
        let path = format!("criteria.{field}");
        if value.is_sign_negative() && !value.is_zero() || value > Decimal::from(max) {
            let why = if field == "subscription_heavy_min_monthly_spend" {
                let (per_merchant, most) = LIMITS.subscription_spend_dollars;
                format!(
                    " (${per_merchant} a required merchant, at most ${most}: what the generator's subscriptions can cost)"
                )
            } else {
                String::new()
            };
            out.push(problem(
                &path,
                format!("{value} must lie within 0–{max}{why}"),
            ));
        }
        if let Some(scale) = scale
            && value.scale() > scale
        {
            out.push(problem(
                &path,
                format!("{value} has more than {scale} decimals"),
            ));
        }
    }
    if c.variable_income_gap_above_days > LIMITS.gap_threshold_days {
        out.push(problem(
            "criteria.variable_income_gap_above_days",
            format!(
                "{} must lie within 0–{} days, the history's length",
                c.variable_income_gap_above_days, LIMITS.gap_threshold_days
            ),
        ));
    }
    if !(1..=MAX_SUBSCRIPTIONS).contains(&c.subscription_heavy_min_merchants) {
        out.push(problem(
            "criteria.subscription_heavy_min_merchants",
            format!(
                "{} must lie within 1–{MAX_SUBSCRIPTIONS}",
                c.subscription_heavy_min_merchants
            ),
        ));
    }
    out
}

/// The extreme planned signals a definition can produce: every combination of
/// range ends. Detection criteria are thresholds, monotone in each signal, so a
/// definition whose corners all classify to its own persona is exclusive
/// everywhere in between.
///
/// Signals the definition does not range over follow the generator's policy
/// (`docs/personas.md`, "The dated plan"): cards carry utilization within the
/// target range; only High Utilization cards revolve (which only adds High
/// Utilization signals, so corners leave them out); three or more
/// subscriptions cost at least `criteria`'s spend threshold a month; savings
/// transfers go every 14 days, so a window sees at least 12/13 of the planned
/// monthly amount a month, and a savings balance that receives any may grow
/// by anything from almost nothing (a large balance) past any threshold (a
/// small one), so such corners come with both.
pub fn corners(d: &PersonaDefinition, criteria: &Criteria) -> Vec<Signals> {
    let utilizations: Vec<Option<Decimal>> = {
        let mut v = Vec::new();
        if d.credit_cards.min == 0 {
            v.push(None);
        }
        if d.credit_cards.max > 0 {
            v.extend([
                Some(d.target_utilization.min),
                Some(d.target_utilization.max),
            ]);
        }
        v
    };
    let savings_accounts: &[bool] = match d.savings_account_percent {
        0 => &[false],
        100.. => &[true],
        _ => &[false, true],
    };
    let mut out = Vec::new();
    for gap in d.pay.gap_days_extremes() {
        for buffer in d.checking_buffer_months.ends() {
            for &utilization in &utilizations {
                for merchants in [d.subscriptions.min, d.subscriptions.max] {
                    let spend = if merchants >= criteria.subscription_heavy_min_merchants {
                        criteria.subscription_heavy_min_monthly_spend
                    } else {
                        Decimal::ZERO
                    };
                    for &has_savings_account in savings_accounts {
                        for savings in d.savings_monthly.ends() {
                            let transfers = has_savings_account && savings > Decimal::ZERO;
                            let (inflow, growths): (Decimal, &[Decimal]) = if transfers {
                                (
                                    savings * Decimal::from(12) / Decimal::from(13),
                                    &[Decimal::ZERO, Decimal::MAX],
                                )
                            } else {
                                (Decimal::ZERO, &[Decimal::ZERO])
                            };
                            for &growth in growths {
                                out.push(Signals {
                                    max_card_utilization: utilization,
                                    interest_charged: Decimal::ZERO,
                                    minimum_payment_only: false,
                                    overdue: false,
                                    checking_buffer_months: buffer,
                                    median_pay_gap_days: Decimal::from(gap),
                                    recurring_merchants: merchants,
                                    recurring_monthly_spend: spend,
                                    recurring_spend_share: Decimal::ZERO,
                                    savings_inflow_monthly: inflow,
                                    savings_growth: growth,
                                });
                            }
                        }
                    }
                }
            }
        }
    }
    out
}
