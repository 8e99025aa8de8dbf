//! Signals of a detection window, computed from a profile's dated plan.
//!
//! Both windows end at the plan's `as_of`. The rules where a 30-day window is
//! too short to see the behaviour look back further, the same way in both
//! windows (documented in `docs/personas.md`, "Windows"):
//! - the median pay gap is taken over every paycheck of the 180-day history;
//! - a merchant is recurring when it has at least three charges in the 90 days
//!   ending with the window;
//! - the buffer divides the checking balance at `as_of` by the plan's average
//!   monthly expenses.
//!
//! Everything else counts the plan's events dated inside the window: interest
//! charged on statements, savings transfers (and so savings growth), and the
//! total spend the subscription share divides by.

use rust_decimal::Decimal;
use spendsense_schema::{AccountSubtype, UserProfile};

use crate::PlannedSignals;

/// A SpendSense detection window, ending at the plan's `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Window {
    /// The 30 days ending at `as_of`.
    Short,
    /// The 180 days ending at `as_of`.
    Long,
}

impl Window {
    /// Both windows, short first.
    pub const BOTH: [Window; 2] = [Window::Short, Window::Long];

    /// Length in days.
    pub fn days(self) -> i32 {
        match self {
            Window::Short => 30,
            Window::Long => 180,
        }
    }

    /// The window's name, `30d` or `180d`.
    pub fn as_str(self) -> &'static str {
        match self {
            Window::Short => "30d",
            Window::Long => "180d",
        }
    }
}

/// How many days a recurring merchant's charges are counted over.
pub const RECURRING_LOOKBACK_DAYS: i32 = 90;
/// How many charges in the lookback make a merchant recurring.
pub const RECURRING_MIN_CHARGES: usize = 3;
/// Plaid primary categories whose recurring charges are bills, not
/// subscriptions: they never count toward Subscription-Heavy.
pub const NOT_SUBSCRIPTIONS: [&str; 6] = [
    "RENT_AND_UTILITIES",
    "LOAN_PAYMENTS",
    "TRANSFER_IN",
    "TRANSFER_OUT",
    "INCOME",
    "BANK_FEES",
];

/// `numerator / denominator`, or `fallback` when it cannot be computed
/// (zero or overflow): a hostile file must not panic detection.
fn ratio(numerator: Decimal, denominator: Decimal, fallback: Decimal) -> Decimal {
    if denominator.is_zero() {
        return fallback;
    }
    numerator.checked_div(denominator).unwrap_or(fallback)
}

/// `amount × count`, saturating: counts of events never overflow a profile's
/// own arithmetic, but a hostile file's amounts can.
fn times(amount: Decimal, count: usize) -> Decimal {
    amount
        .checked_mul(Decimal::from(count))
        .unwrap_or(if amount.is_sign_negative() {
            Decimal::MIN
        } else {
            Decimal::MAX
        })
}

fn sum(mut values: impl Iterator<Item = Decimal>) -> Decimal {
    values
        .try_fold(Decimal::ZERO, Decimal::checked_add)
        .unwrap_or(Decimal::MAX)
}

/// The median of `values` (sorted in place); the mean of the middle two for an even count.
pub fn median(values: &mut [Decimal]) -> Option<Decimal> {
    values.sort();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / Decimal::TWO),
    }
}

impl PlannedSignals {
    /// The signals of `window`, from the profile's accounts and dated plan.
    pub fn in_window(profile: &UserProfile, window: Window) -> PlannedSignals {
        let plan = &profile.plan;
        let end = plan.as_of;
        let start = end.add_days(1 - window.days());
        let per_month =
            |total: Decimal| ratio(times(total, 30), Decimal::from(window.days()), Decimal::MAX);

        let max_card_utilization = profile
            .accounts
            .iter()
            .filter(|a| a.is_credit_card())
            .map(|a| a.utilization().unwrap_or(Decimal::ZERO))
            .max();
        let interest_charged = sum(plan
            .cards
            .iter()
            .filter(|c| c.payment.accrues_interest())
            .map(|card| {
                let statements = card.statement_dates(start, end).count();
                times(card.interest_per_statement, statements)
            }));
        let minimum_payment_only = plan
            .cards
            .iter()
            .any(|c| c.payment == spendsense_schema::CardPayment::MinimumOnly);
        let overdue = plan.cards.iter().any(|c| c.is_overdue);

        let checking = sum(profile
            .accounts_of(AccountSubtype::Checking)
            .filter_map(|a| a.balances.current));
        let checking_buffer_months = ratio(checking, plan.monthly_expenses, Decimal::MAX);

        let mut gaps: Vec<Decimal> = plan
            .income
            .paychecks
            .windows(2)
            .map(|pair| Decimal::from(pair[0].date.days_until(pair[1].date)))
            .collect();
        let median_pay_gap_days = median(&mut gaps).unwrap_or(Decimal::ZERO);

        let lookback_start = end.add_days(1 - RECURRING_LOOKBACK_DAYS);
        let mut recurring_merchants = 0u16;
        let mut recurring_monthly_spend = Decimal::ZERO;
        let mut recurring_in_window = Decimal::ZERO;
        let mut recurring_monthly_total = Decimal::ZERO;
        let add = |a: Decimal, b: Decimal| a.checked_add(b).unwrap_or(Decimal::MAX);
        for charge in &plan.recurring {
            let in_window = charge.dates_between(start, end).count();
            recurring_in_window = add(recurring_in_window, times(charge.amount, in_window));
            let monthly = charge.monthly_amount();
            recurring_monthly_total = add(recurring_monthly_total, monthly);
            let subscription = !NOT_SUBSCRIPTIONS.contains(&charge.category.primary.as_str());
            let recent = charge.dates_between(lookback_start, end).count();
            if subscription && recent >= RECURRING_MIN_CHARGES {
                recurring_merchants = recurring_merchants.saturating_add(1);
                recurring_monthly_spend = add(recurring_monthly_spend, monthly);
            }
        }
        // Everyday purchases are spread evenly: what the expenses leave after
        // the recurring charges, per day of the window.
        let everyday_monthly = plan
            .monthly_expenses
            .checked_sub(recurring_monthly_total)
            .unwrap_or(Decimal::ZERO)
            .max(Decimal::ZERO);
        let total_spend_monthly = add(per_month(recurring_in_window), everyday_monthly);
        let recurring_spend_share =
            ratio(recurring_monthly_spend, total_spend_monthly, Decimal::ONE);

        // Only money that reaches a savings-like account of the profile is inflow.
        let into_savings = |id: &str| {
            profile
                .accounts
                .iter()
                .any(|a| a.account_id == id && a.subtype.is_savings_like())
        };
        let transfers_in_window = plan
            .savings_transfers
            .as_ref()
            .filter(|t| into_savings(&t.to_account_id))
            .map_or(Decimal::ZERO, |t| {
                times(t.amount, t.dates_between(start, end).count())
            });
        let savings_now = sum(profile
            .accounts
            .iter()
            .filter(|a| a.subtype.is_savings_like())
            .filter_map(|a| a.balances.current));
        let savings_before = savings_now
            .checked_sub(transfers_in_window)
            .unwrap_or(Decimal::MIN);
        let savings_growth = if savings_before > Decimal::ZERO {
            ratio(transfers_in_window, savings_before, Decimal::MAX)
        } else if transfers_in_window > Decimal::ZERO {
            Decimal::MAX
        } else {
            Decimal::ZERO
        };

        PlannedSignals {
            max_card_utilization,
            interest_charged,
            minimum_payment_only,
            overdue,
            checking_buffer_months,
            median_pay_gap_days,
            recurring_merchants,
            recurring_monthly_spend,
            recurring_spend_share,
            savings_inflow_monthly: per_month(transfers_in_window),
            savings_growth,
        }
    }
}
