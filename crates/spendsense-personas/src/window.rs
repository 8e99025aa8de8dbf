//! Signals of a detection window: the rules that turn a window's
//! [`Evidence`] into [`Signals`], and the evidence a profile's dated plan
//! gives ([`Signals::in_window`]).
//!
//! Both windows end at the plan's `as_of`. The rules where a 30-day window is
//! too short to see the behaviour look back further, the same way in both
//! windows (documented in `docs/personas.md`, "Windows"):
//! - the median pay gap is taken over every payroll deposit of the history;
//! - a merchant is recurring when it has at least three charges in the 90 days
//!   ending at `as_of`;
//! - the buffer divides the checking balance at `as_of` by the average
//!   monthly spending of the 180 days ending at `as_of`.
//!
//! Everything else counts events dated inside the window: interest charged,
//! savings inflow (and so savings growth), and the total spend the
//! subscription share divides by.
//!
//! The reference detector (`spendsense-signals`) gathers the same
//! [`Evidence`] from accounts, liabilities and transactions instead of the
//! plan, and turns it into signals with the same [`Signals::from_evidence`].

use rust_decimal::Decimal;
use spendsense_schema::{Account, AccountSubtype, Category, Date, Plan, UserProfile};

use crate::Signals;

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

/// Plaid primary categories that move money without spending it: they never
/// count toward total spend or monthly expenses. Everything else charged to
/// checking or a card is spending, housing and bills included.
pub const NOT_SPENDING: [&str; 5] = [
    "LOAN_PAYMENTS",
    "TRANSFER_IN",
    "TRANSFER_OUT",
    "INCOME",
    "BANK_FEES",
];

/// Whether a charge in `category` is spending (see [`NOT_SPENDING`]).
pub fn is_spending(category: &Category) -> bool {
    !NOT_SPENDING.contains(&category.primary.as_str())
}

/// Whether a recurring charge in `category` can be a subscription (see [`NOT_SUBSCRIPTIONS`]).
pub fn is_subscription(category: &Category) -> bool {
    !NOT_SUBSCRIPTIONS.contains(&category.primary.as_str())
}

/// The Plaid detailed category of payroll deposits: what makes an inflow pay.
pub const PAYROLL_CATEGORY: &str = "INCOME_WAGES";
/// The Plaid detailed category of a card payment, on both legs.
pub const CARD_PAYMENT_CATEGORY: &str = "LOAN_PAYMENTS_CREDIT_CARD_PAYMENT";
/// The Plaid detailed category of interest a card charges.
pub const INTEREST_CATEGORY: &str = "BANK_FEES_INTEREST_CHARGE";

/// How many 30-day blocks the long window holds; everyday spending is the
/// same in each (see [`everyday_spend_blocks`]).
pub const BLOCKS: usize = 6;

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

/// The median number of days between consecutive `dates` (sorted in place);
/// 0 with fewer than two.
pub fn median_gap_days(dates: &mut [Date]) -> Decimal {
    dates.sort_unstable();
    let mut gaps: Vec<Decimal> = dates
        .windows(2)
        .map(|pair| Decimal::from(pair[0].days_until(pair[1])))
        .collect();
    median(&mut gaps).unwrap_or(Decimal::ZERO)
}

/// The first day of `window` ending at `as_of`.
pub fn window_start(as_of: Date, window: Window) -> Date {
    as_of.add_days(1 - window.days())
}

/// What a window's signals are computed from, gathered from a plan or from
/// transactions. Two sources that agree on it agree on every signal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// The window.
    pub window: Window,
    /// Interest charged on credit cards, dated in the window.
    pub interest_charged: Decimal,
    /// Whether some card, not overdue, was last paid exactly its minimum
    /// payment while its statement balance was larger.
    pub minimum_payment_only: bool,
    /// Whether some card is overdue.
    pub overdue: bool,
    /// Median days between payroll deposits of the whole history.
    pub median_pay_gap_days: Decimal,
    /// Spending (see [`is_spending`]) dated in the window.
    pub spend_in_window: Decimal,
    /// Spending dated in the 180 days ending at `as_of`: six months of expenses.
    pub spend_in_long_window: Decimal,
    /// Subscription merchants with at least three charges in the 90 days
    /// ending at `as_of`, at a monthly or weekly cadence.
    pub recurring_merchants: u16,
    /// What those merchants cost a month ([`spendsense_schema::Cadence::monthly_cost`]).
    pub recurring_monthly_spend: Decimal,
    /// Net money into savings-like accounts, dated in the window.
    pub savings_inflow: Decimal,
}

impl Signals {
    /// The signals of `evidence`'s window for a user with `accounts`.
    pub fn from_evidence(accounts: &[Account], evidence: &Evidence) -> Signals {
        let window = evidence.window;
        let per_month =
            |total: Decimal| ratio(times(total, 30), Decimal::from(window.days()), Decimal::MAX);
        let max_card_utilization = accounts
            .iter()
            .filter(|a| a.is_credit_card())
            .map(|a| a.utilization().unwrap_or(Decimal::ZERO))
            .max();
        let checking = sum(accounts
            .iter()
            .filter(|a| a.subtype == AccountSubtype::Checking)
            .filter_map(|a| a.balances.current));
        let monthly_expenses = ratio(
            times(evidence.spend_in_long_window, 30),
            Decimal::from(Window::Long.days()),
            Decimal::MAX,
        );
        let checking_buffer_months = ratio(checking, monthly_expenses, Decimal::MAX);
        let recurring_spend_share = ratio(
            evidence.recurring_monthly_spend,
            per_month(evidence.spend_in_window),
            Decimal::ONE,
        );
        let savings_now = sum(accounts
            .iter()
            .filter(|a| a.subtype.is_savings_like())
            .filter_map(|a| a.balances.current));
        let inflow = evidence.savings_inflow;
        let savings_before = savings_now.checked_sub(inflow).unwrap_or(Decimal::MIN);
        let savings_growth = if savings_before > Decimal::ZERO {
            ratio(inflow, savings_before, Decimal::MAX)
        } else if inflow > Decimal::ZERO {
            Decimal::MAX
        } else {
            Decimal::ZERO
        };
        Signals {
            max_card_utilization,
            interest_charged: evidence.interest_charged,
            minimum_payment_only: evidence.minimum_payment_only,
            overdue: evidence.overdue,
            checking_buffer_months,
            median_pay_gap_days: evidence.median_pay_gap_days,
            recurring_merchants: evidence.recurring_merchants,
            recurring_monthly_spend: evidence.recurring_monthly_spend,
            recurring_spend_share,
            savings_inflow_monthly: per_month(inflow),
            savings_growth,
        }
    }

    /// The signals of `window`, from the profile's accounts and dated plan.
    pub fn in_window(profile: &UserProfile, window: Window) -> Signals {
        Signals::from_evidence(&profile.accounts, &Evidence::of_plan(profile, window))
    }
}

/// Everyday spending in each 30-day block of the 180 days ending at `as_of`,
/// oldest first (the last block is the 30-day window): what the plan's
/// monthly expenses leave after its recurring spending, so that the long
/// window's spending is exactly six months of `monthly_expenses`. Every block
/// holds a sixth, rounded down to the cent; the oldest also holds the
/// remainder. Zero when recurring spending alone exceeds the expenses.
pub fn everyday_spend_blocks(plan: &Plan) -> [Decimal; BLOCKS] {
    let start = window_start(plan.as_of, Window::Long);
    let recurring = recurring_spend_between(plan, start, plan.as_of);
    let total = times(plan.monthly_expenses, BLOCKS)
        .checked_sub(recurring)
        .unwrap_or(Decimal::ZERO)
        .max(Decimal::ZERO);
    let mut share = (total / Decimal::from(BLOCKS)).floor_cents();
    if share.is_sign_negative() {
        share = Decimal::ZERO;
    }
    let mut blocks = [share; BLOCKS];
    blocks[0] = total - times(share, BLOCKS - 1);
    blocks
}

trait FloorCents {
    fn floor_cents(self) -> Decimal;
}

impl FloorCents for Decimal {
    fn floor_cents(self) -> Decimal {
        let mut floored =
            self.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToNegativeInfinity);
        floored.rescale(2);
        floored
    }
}

/// The plan's recurring spending (charges in spending categories) dated in `from..=until`.
fn recurring_spend_between(plan: &Plan, from: Date, until: Date) -> Decimal {
    sum(plan
        .recurring
        .iter()
        .filter(|c| is_spending(&c.category))
        .map(|c| times(c.amount, c.dates_between(from, until).count())))
}

impl Evidence {
    /// The evidence the profile's dated plan gives for `window`.
    pub fn of_plan(profile: &UserProfile, window: Window) -> Evidence {
        let plan = &profile.plan;
        let end = plan.as_of;
        let start = window_start(end, window);
        let long_start = window_start(end, Window::Long);
        let card_account = |id: &str| {
            profile
                .accounts
                .iter()
                .any(|a| a.account_id == id && a.is_credit_card())
        };

        let interest_charged = sum(plan
            .cards
            .iter()
            .filter(|c| c.payment.accrues_interest() && card_account(&c.account_id))
            .map(|card| {
                let statements = card.statement_dates(start, end).count();
                times(card.interest_per_statement, statements)
            }));
        let minimum_payment_only = plan.cards.iter().any(|c| {
            c.payment == spendsense_schema::CardPayment::MinimumOnly
                && c.minimum_payment < c.last_statement_balance
        });
        let overdue = plan.cards.iter().any(|c| c.is_overdue);

        let mut pay_dates: Vec<Date> = plan.income.paychecks.iter().map(|p| p.date).collect();
        let median_pay_gap_days = median_gap_days(&mut pay_dates);

        let blocks = everyday_spend_blocks(plan);
        let everyday = |window: Window| match window {
            Window::Short => blocks[BLOCKS - 1],
            Window::Long => sum(blocks.iter().copied()),
        };
        let spend_in_window =
            sum([recurring_spend_between(plan, start, end), everyday(window)].into_iter());
        let spend_in_long_window = sum([
            recurring_spend_between(plan, long_start, end),
            everyday(Window::Long),
        ]
        .into_iter());

        let lookback_start = end.add_days(1 - RECURRING_LOOKBACK_DAYS);
        let mut recurring_merchants = 0u16;
        let mut recurring_monthly_spend = Decimal::ZERO;
        for charge in plan
            .recurring
            .iter()
            .filter(|c| is_subscription(&c.category))
        {
            let recent = charge.dates_between(lookback_start, end).count();
            if recent >= RECURRING_MIN_CHARGES {
                recurring_merchants = recurring_merchants.saturating_add(1);
                recurring_monthly_spend = recurring_monthly_spend
                    .checked_add(charge.monthly_amount())
                    .unwrap_or(Decimal::MAX);
            }
        }

        // Only money that reaches a savings-like account of the profile is inflow.
        let into_savings = |id: &str| {
            profile
                .accounts
                .iter()
                .any(|a| a.account_id == id && a.subtype.is_savings_like())
        };
        let savings_inflow = plan
            .savings_transfers
            .as_ref()
            .filter(|t| into_savings(&t.to_account_id))
            .map_or(Decimal::ZERO, |t| {
                times(t.amount, t.dates_between(start, end).count())
            });

        Evidence {
            window,
            interest_charged,
            minimum_payment_only,
            overdue,
            median_pay_gap_days,
            spend_in_window,
            spend_in_long_window,
            recurring_merchants,
            recurring_monthly_spend,
            savings_inflow,
        }
    }
}
