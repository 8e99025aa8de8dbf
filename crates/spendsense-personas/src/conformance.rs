//! Checking a profile against its persona's definition and the detection criteria.

use rust_decimal::Decimal;
use spendsense_schema::{Account, AccountSubtype, IncomeStability, UserProfile, Violation};

use crate::{PayPlan, PersonaDefinition, PersonaSet, Personas, Signals, overlap_partners};

/// Rule name for a value outside its persona's range.
pub const RULE_PERSONA_RANGE: &str = "persona-range";
/// Rule name for accounts that do not follow the persona's structure.
pub const RULE_ACCOUNT_STRUCTURE: &str = "account-structure";
/// Rule name for inconsistent `expected_assignment` / `matched_personas`.
pub const RULE_OVERLAP: &str = "overlap-fields";
/// Rule name for a profile that does not classify to exactly its own persona.
pub const RULE_CLASSIFICATION: &str = "classification-mismatch";
/// Rule name for `characteristics` that disagree with the dated plan.
pub const RULE_PLAN_MISMATCH: &str = "plan-mismatch";

impl Personas {
    /// Checks `profile` against its persona's ranges and account structure, and
    /// that its planned signals classify to exactly its persona (none for control).
    ///
    /// Ratios derived from cent-rounded balances (buffer, savings months,
    /// utilization) are compared at two decimals, the precision they are drawn at.
    ///
    /// An overlap profile (one with `matched_personas`) is checked against
    /// its overlap definition and must classify to both of its personas.
    pub fn check_profile(&self, profile: &UserProfile) -> Vec<Violation> {
        let mut out = Findings {
            persona: profile.persona,
            found: Vec::new(),
        };
        let (overlap, expected) = self.overlap_of(profile, &mut out);
        let definition = overlap
            .as_ref()
            .unwrap_or_else(|| self.get(profile.persona));
        let traits = &profile.characteristics;
        let monthly = profile.monthly_income();
        // An income outside the product's range is already `income-range`;
        // a second finding for the same value would only be noise.
        let (lowest, highest) = spendsense_schema::ANNUAL_INCOME_RANGE;
        if (Decimal::from(lowest)..=Decimal::from(highest)).contains(&profile.annual_income) {
            out.range(
                "annual_income",
                profile.annual_income,
                definition.annual_income,
            );
        }
        out.range(
            "characteristics.target_savings_monthly",
            traits.target_savings_monthly,
            definition.savings_monthly,
        );

        let of_subtype = |subtype: AccountSubtype| -> Vec<(usize, &Account)> {
            profile
                .accounts
                .iter()
                .enumerate()
                .filter(|(_, a)| a.subtype == subtype)
                .collect()
        };
        let checking = of_subtype(AccountSubtype::Checking);
        let savings = of_subtype(AccountSubtype::Savings);
        let cards = of_subtype(AccountSubtype::CreditCard);
        if monthly > Decimal::ZERO {
            if let [(at, account)] = checking.as_slice() {
                let expenses = (profile.plan.monthly_expenses, "expenses");
                out.months(*at, account, expenses, definition.checking_buffer_months);
            }
            if let [(at, account)] = savings.as_slice() {
                out.months(
                    *at,
                    account,
                    (monthly, "income"),
                    definition.savings_balance_months,
                );
            }
            if let Some((first_card, _)) = cards.first() {
                out.range(
                    "characteristics.target_credit_utilization",
                    traits.target_credit_utilization,
                    definition.target_utilization,
                );
                // Checked arithmetic throughout: input files can hold any amount.
                let total = cards
                    .iter()
                    .filter_map(|(_, a)| a.balances.limit)
                    .try_fold(Decimal::ZERO, Decimal::checked_add)
                    .unwrap_or(Decimal::MAX);
                let share = definition.credit_limit_income_share;
                let slack = Decimal::from(100) * Decimal::from(cards.len());
                let bound = |share: Decimal, slack: Decimal| {
                    profile
                        .annual_income
                        .checked_mul(share)
                        .and_then(|v| v.checked_add(slack))
                };
                let (low, high) = (
                    bound(share.min, -slack).unwrap_or(Decimal::MIN),
                    bound(share.max, slack).unwrap_or(Decimal::MAX),
                );
                let limit_path = format!("accounts[{first_card}].balances.limit");
                if total < low || total > high {
                    out.push(
                        &limit_path,
                        RULE_PERSONA_RANGE,
                        format!(
                            "total credit limit {total} is outside {low}–{high} ({share} of income, $100 rounding)"
                        ),
                    );
                }
            }
        }

        if checking.len() != 1 {
            out.structure(format!(
                "{} checking accounts; every user has exactly 1",
                checking.len()
            ));
        }
        let savings_allowed = match definition.savings_account_percent {
            0 => 0..=0,
            100.. => 1..=1,
            _ => 0..=1,
        };
        if !savings_allowed.contains(&savings.len()) {
            out.structure(format!(
                "{} savings accounts; {} allows {savings_allowed:?}",
                savings.len(),
                profile.persona
            ));
        }
        let card_count = u16::try_from(cards.len()).unwrap_or(u16::MAX);
        if !definition.credit_cards.contains(card_count) {
            out.structure(format!(
                "{card_count} credit cards; {} allows {}",
                profile.persona, definition.credit_cards
            ));
        }
        let others = profile.accounts.len() - checking.len() - savings.len() - cards.len();
        if others > 0 {
            out.structure(format!(
                "{others} accounts that are not checking, savings or credit card"
            ));
        }

        for (at, account) in profile.accounts.iter().enumerate() {
            let Some(utilization) = account.utilization().filter(|_| account.is_credit_card())
            else {
                continue;
            };
            let gap = (utilization.round_dp(2))
                .checked_sub(traits.target_credit_utilization)
                .map_or(Decimal::MAX, |gap| gap.abs());
            let rounded = utilization.round_dp(2);
            if !definition.target_utilization.contains(rounded) {
                out.push(
                    &format!("accounts[{at}].balances.current"),
                    RULE_PERSONA_RANGE,
                    format!(
                        "utilization {rounded} is outside {} for {}",
                        definition.target_utilization, profile.persona
                    ),
                );
            } else if gap > definition.utilization_jitter {
                out.push(
                    &format!("accounts[{at}].balances.current"),
                    RULE_PERSONA_RANGE,
                    format!(
                        "utilization {} is {gap} from the target {}; at most {} allowed",
                        utilization.round_dp(4),
                        traits.target_credit_utilization,
                        definition.utilization_jitter
                    ),
                );
            }
        }
        if cards.is_empty() && !traits.target_credit_utilization.is_zero() {
            out.push(
                "characteristics.target_credit_utilization",
                RULE_PERSONA_RANGE,
                format!(
                    "{} without credit cards; expected 0",
                    traits.target_credit_utilization
                ),
            );
        }

        let subscriptions = u16::from(traits.subscription_count_target);
        if !definition.subscriptions.contains(subscriptions) {
            out.push(
                "characteristics.subscription_count_target",
                RULE_PERSONA_RANGE,
                format!(
                    "{subscriptions} is outside {} for {}",
                    definition.subscriptions, profile.persona
                ),
            );
        }
        match &definition.pay {
            PayPlan::Regular { frequencies } => {
                if traits.income_stability != IncomeStability::Regular
                    || !frequencies.contains(&traits.pay_frequency)
                {
                    out.push(
                        "characteristics.pay_frequency",
                        RULE_PERSONA_RANGE,
                        format!(
                            "{:?} pay; {} is paid on one of {frequencies:?}",
                            traits.pay_frequency, profile.persona
                        ),
                    );
                }
            }
            PayPlan::Irregular { median_gap_days } => {
                if traits.income_stability != IncomeStability::Irregular
                    || !median_gap_days.contains(traits.median_pay_gap_days)
                {
                    out.push(
                        "characteristics.median_pay_gap_days",
                        RULE_PERSONA_RANGE,
                        format!(
                            "{:?} pay every {} days; {} is paid irregularly every {median_gap_days} days",
                            traits.income_stability, traits.median_pay_gap_days, profile.persona
                        ),
                    );
                }
            }
        }

        let signals = crate::Window::BOTH.map(|window| Signals::in_window(profile, window));
        check_plan_agrees(profile, &signals[1], &mut out);
        for (window, signals) in crate::Window::BOTH.into_iter().zip(&signals) {
            let classified = self.classify(signals);
            if classified != expected {
                out.push(
                    "plan",
                    RULE_CLASSIFICATION,
                    format!(
                        "the plan's {} signals classify as {classified}; a `{}` profile must classify as {expected}",
                        window.as_str(),
                        profile.persona
                    ),
                );
            }
        }
        out.found
    }
}

/// The days a regular schedule's real gaps can take: calendar months vary.
fn calendar_gaps(frequency: spendsense_schema::PayFrequency) -> Option<(Decimal, Decimal)> {
    use spendsense_schema::PayFrequency::*;
    let days = |low: i64, high: i64| Some((Decimal::from(low), Decimal::from(high)));
    match frequency {
        Weekly => days(7, 7),
        Biweekly => days(14, 14),
        Semimonthly => days(13, 16),
        Monthly => days(28, 31),
        Irregular => None,
    }
}

/// `characteristics` summarise the plan; every summary figure must agree with
/// the schedule it summarises.
fn check_plan_agrees(profile: &UserProfile, signals: &Signals, out: &mut Findings) {
    let traits = &profile.characteristics;
    let plan = &profile.plan;
    let median = signals.median_pay_gap_days;
    let gap_agrees = match calendar_gaps(traits.pay_frequency) {
        Some((low, high)) => plan.income.paychecks.len() < 2 || (low..=high).contains(&median),
        None => median == Decimal::from(traits.median_pay_gap_days),
    };
    if !gap_agrees {
        out.push(
            "characteristics.median_pay_gap_days",
            RULE_PLAN_MISMATCH,
            format!(
                "{} days, but the plan's paychecks are a median {median} days apart",
                traits.median_pay_gap_days
            ),
        );
    }
    let subscriptions = plan
        .recurring
        .iter()
        .filter(|c| !crate::NOT_SUBSCRIPTIONS.contains(&c.category.primary.as_str()))
        .count();
    if subscriptions != usize::from(traits.subscription_count_target) {
        out.push(
            "characteristics.subscription_count_target",
            RULE_PLAN_MISMATCH,
            format!(
                "{} subscriptions, but the plan has {subscriptions}",
                traits.subscription_count_target
            ),
        );
    }
    // The savings balance holds what the transfers of the history brought in:
    // before them it was positive, so the growth of each window is defined.
    if let Some(transfers) = &plan.savings_transfers {
        let received = Signals::in_window(profile, crate::Window::Long).savings_inflow_monthly
            * Decimal::from(6);
        let balance = profile
            .accounts
            .iter()
            .find(|a| a.account_id == transfers.to_account_id)
            .and_then(|a| a.balances.current);
        // A missing account is a structural fault, reported by validation.
        if let Some(balance) = balance.filter(|b| *b <= received) {
            out.push(
                "plan.savings_transfers",
                RULE_PLAN_MISMATCH,
                format!(
                    "the savings balance {balance} is not more than the {received} the plan transfers in over 180 days"
                ),
            );
        }
    }
    // The plan moves `target × 12 / 26` every 14 days, rounded to the cent.
    let planned = plan
        .savings_transfers
        .as_ref()
        .map_or(Decimal::ZERO, |t| t.amount);
    let expected = (traits.target_savings_monthly * Decimal::from(12) / Decimal::from(26))
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointNearestEven);
    if planned != expected {
        out.push(
            "characteristics.target_savings_monthly",
            RULE_PLAN_MISMATCH,
            format!(
                "{} a month, but the plan moves {planned} every 14 days (expected {expected})",
                traits.target_savings_monthly
            ),
        );
    }
}

impl Personas {
    /// The overlap definition and expected classification of `profile`:
    /// `(None, only(persona))` for an ordinary profile.
    fn overlap_of(
        &self,
        profile: &UserProfile,
        out: &mut Findings,
    ) -> (Option<PersonaDefinition>, PersonaSet) {
        let ordinary = (None, PersonaSet::only(profile.persona));
        let persona = profile.persona;
        let (matched, assignment) = match (&profile.matched_personas, profile.expected_assignment) {
            (None, None) => return ordinary,
            (Some(matched), Some(assignment)) => (matched, assignment),
            _ => {
                let message =
                    "expected_assignment and matched_personas come together; give both or neither"
                        .into();
                out.push("matched_personas", RULE_OVERLAP, message);
                return ordinary;
            }
        };
        let partner = match matched.as_slice() {
            [first, partner]
                if *first == persona && overlap_partners(persona).contains(partner) =>
            {
                *partner
            }
            _ => {
                let allowed: Vec<String> = overlap_partners(persona)
                    .iter()
                    .map(|p| format!("[{persona}, {p}]"))
                    .collect();
                let allowed = if allowed.is_empty() {
                    format!("none: `{persona}` has no lower-priority partner")
                } else {
                    allowed.join(" or ")
                };
                out.push(
                    "matched_personas",
                    RULE_OVERLAP,
                    format!("{matched:?} is not an overlap of `{persona}`; allowed: {allowed}"),
                );
                return ordinary;
            }
        };
        if assignment != persona {
            let message = format!(
                "`{assignment}` should be `{persona}`, the higher-priority persona of the overlap"
            );
            out.push("expected_assignment", RULE_OVERLAP, message);
        }
        (
            self.overlap_definition(persona, partner),
            Personas::overlap_set(persona, partner),
        )
    }
}

/// Violations found so far for one profile.
struct Findings {
    persona: spendsense_schema::PersonaId,
    found: Vec<Violation>,
}

impl Findings {
    fn push(&mut self, path: &str, rule: &'static str, message: String) {
        self.found.push(Violation {
            path: path.to_string(),
            rule,
            message,
        });
    }

    fn range(&mut self, path: &str, value: Decimal, allowed: crate::DecimalRange) {
        if !allowed.contains(value) {
            let message = format!("{value} is outside {allowed} for {}", self.persona);
            self.push(path, RULE_PERSONA_RANGE, message);
        }
    }

    /// A balance checked as months of income, the unit its range is drawn in.
    /// Checks a balance as months of `monthly` (`(amount, "income")`).
    fn months(
        &mut self,
        at: usize,
        account: &Account,
        (monthly, of): (Decimal, &str),
        allowed: crate::DecimalRange,
    ) {
        let current = account.balances.current.unwrap_or_default();
        let months = current
            .checked_div(monthly)
            .unwrap_or(Decimal::MAX)
            .round_dp(2);
        if !allowed.contains(months) {
            let message = format!(
                "{} balance {current} is {months:.2} months of {of}, outside {allowed} months for {}",
                account.subtype.as_str(),
                self.persona
            );
            self.push(
                &format!("accounts[{at}].balances.current"),
                RULE_PERSONA_RANGE,
                message,
            );
        }
    }

    fn structure(&mut self, message: String) {
        self.push("accounts", RULE_ACCOUNT_STRUCTURE, message);
    }
}
