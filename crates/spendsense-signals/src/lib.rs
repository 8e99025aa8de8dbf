//! The reference detector: SpendSense's signals and personas from what a
//! Plaid Item shows (accounts, credit-card liabilities, transactions), never
//! from a profile's plan.
//!
//! It implements the signals of the SpendSense detection rules over the
//! 30-day and 180-day windows ending at `as_of` and classifies them with the
//! personas crate's [`Criteria`]. Reading transactions is all this crate
//! does: the rules that turn the gathered [`Evidence`] into [`Signals`] are
//! [`Signals::from_evidence`], the same the plan's own signals go through, so
//! that a detector and a plan agreeing on the evidence agree on everything.
//!
//! What it reads, per window (`docs/transactions.md` has the full list):
//! - payroll deposits: inflows categorised `INCOME_WAGES` into a depository account;
//! - spending: outflows from checking or a card, not in [`NOT_SPENDING`](spendsense_personas::NOT_SPENDING);
//! - recurring merchants: a merchant's outflows in the 90 days ending at
//!   `as_of`, at least three, every gap 7 days (weekly) or every gap 28 to 31
//!   days (monthly), in a subscription category;
//! - interest: `BANK_FEES_INTEREST_CHARGE` on credit cards;
//! - savings inflow: net money into savings, money market and HSA accounts;
//! - minimum-payment-only and overdue: the cards' liabilities.
//!
//! # Example
//!
//! ```
//! use spendsense_generator::{Generator, GeneratorConfig};
//! use spendsense_personas::PersonaSet;
//! use spendsense_signals::{Item, detect};
//!
//! let generator = Generator::new(&GeneratorConfig::new(7, 10)).unwrap();
//! let profile = generator.profile(3);
//! let ledger = generator.ledger(3, &profile);
//! let item = Item {
//!     accounts: &profile.accounts,
//!     liabilities: &ledger.liabilities,
//!     transactions: &ledger.transactions,
//! };
//! let detection = detect(&item, ledger.as_of, &generator.personas().criteria);
//! assert_eq!(detection.long.personas, detection.short.personas);
//! assert_eq!(detection.long.personas.primary(), profile.persona);
//! ```
#![deny(missing_docs)]

use rust_decimal::Decimal;
use spendsense_personas::{
    CARD_PAYMENT_CATEGORY, Criteria, Evidence, INTEREST_CATEGORY, PAYROLL_CATEGORY, PersonaSet,
    RECURRING_LOOKBACK_DAYS, RECURRING_MIN_CHARGES, Signals, Window, is_spending, is_subscription,
    median_gap_days, window_start,
};
use spendsense_schema::{
    Account, AccountType, Cadence, CardLiability, CardPlan, Date, Transaction,
};

/// What a Plaid Item shows of one user.
#[derive(Debug, Clone, Copy)]
pub struct Item<'a> {
    /// The user's accounts, with balances at `as_of`.
    pub accounts: &'a [Account],
    /// The liabilities of the user's credit cards.
    pub liabilities: &'a [CardLiability],
    /// The user's posted transactions, in any order.
    pub transactions: &'a [Transaction],
}

/// One window's signals and the personas they meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowDetection {
    /// The signals.
    pub signals: Signals,
    /// Every persona whose criteria they meet; empty for control.
    pub personas: PersonaSet,
}

/// Both windows' detections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detection {
    /// The 30 days ending at `as_of`.
    pub short: WindowDetection,
    /// The 180 days ending at `as_of`.
    pub long: WindowDetection,
}

impl Detection {
    /// The detection of `window`.
    pub fn window(&self, window: Window) -> &WindowDetection {
        match window {
            Window::Short => &self.short,
            Window::Long => &self.long,
        }
    }
}

/// Detects both windows ending at `as_of` with `criteria`.
pub fn detect(item: &Item<'_>, as_of: Date, criteria: &Criteria) -> Detection {
    let of = |window| {
        let signals = signals(item, as_of, window);
        WindowDetection {
            signals,
            personas: criteria.classify(&signals),
        }
    };
    Detection {
        short: of(Window::Short),
        long: of(Window::Long),
    }
}

/// The signals of `window` ending at `as_of`.
pub fn signals(item: &Item<'_>, as_of: Date, window: Window) -> Signals {
    Signals::from_evidence(item.accounts, &evidence(item, as_of, window))
}

/// The Plaid Item's credit-card liabilities for a profile read from files:
/// the card terms of `cards` (what `/liabilities/get` reports: overdue,
/// statement balance, minimum payment, due date) with the last payment taken
/// from `transactions` (the latest payment each card received). This is the
/// only use of the plan here, and it reads no planned behaviour (how cards
/// are paid), only the liability fields Plaid would return.
pub fn card_liabilities(cards: &[CardPlan], transactions: &[Transaction]) -> Vec<CardLiability> {
    cards
        .iter()
        .map(|card| {
            let last_payment = transactions
                .iter()
                .filter(|t| {
                    t.account_id == card.account_id
                        && t.amount < Decimal::ZERO
                        && t.personal_finance_category.detailed == CARD_PAYMENT_CATEGORY
                })
                .max_by_key(|t| t.date);
            CardLiability {
                account_id: card.account_id.clone(),
                is_overdue: card.is_overdue,
                last_payment_amount: last_payment.map(|t| -t.amount),
                last_payment_date: last_payment.map(|t| t.date),
                last_statement_balance: card.last_statement_balance,
                minimum_payment_amount: card.minimum_payment,
                next_payment_due_date: card.next_payment_due_date,
            }
        })
        .collect()
}

/// The item's account `account_id`, when it has one.
fn account_kind<'a>(item: &Item<'a>, account_id: &str) -> Option<&'a Account> {
    item.accounts.iter().find(|a| a.account_id == account_id)
}

fn add(total: &mut Decimal, amount: Decimal) {
    *total = total.checked_add(amount).unwrap_or(Decimal::MAX);
}

/// The evidence the item's transactions and liabilities give for `window`.
pub fn evidence(item: &Item<'_>, as_of: Date, window: Window) -> Evidence {
    let start = window_start(as_of, window);
    let long_start = window_start(as_of, Window::Long);
    let lookback_start = as_of.add_days(1 - RECURRING_LOOKBACK_DAYS);

    let mut interest_charged = Decimal::ZERO;
    let mut spend_in_window = Decimal::ZERO;
    let mut spend_in_long_window = Decimal::ZERO;
    let mut savings_inflow = Decimal::ZERO;
    let mut pay_dates = Vec::new();
    let mut recent_charges: Vec<(&str, Date, Decimal)> = Vec::new();

    for t in item.transactions.iter().filter(|t| t.date <= as_of) {
        let Some(account) = account_kind(item, &t.account_id) else {
            continue;
        };
        let in_window = t.date >= start;
        let category = &t.personal_finance_category;
        let card = account.is_credit_card();
        if t.amount < Decimal::ZERO
            && account.account_type == AccountType::Depository
            && category.detailed == PAYROLL_CATEGORY
        {
            pay_dates.push(t.date);
        }
        if card && in_window && category.detailed == INTEREST_CATEGORY {
            add(&mut interest_charged, t.amount);
        }
        if in_window && account.subtype.is_savings_like() {
            add(&mut savings_inflow, -t.amount);
        }
        let spends_from = card || account.subtype == spendsense_schema::AccountSubtype::Checking;
        if t.amount > Decimal::ZERO && spends_from && is_spending(category) {
            if in_window {
                add(&mut spend_in_window, t.amount);
            }
            if t.date >= long_start {
                add(&mut spend_in_long_window, t.amount);
            }
            if t.date >= lookback_start
                && is_subscription(category)
                && let Some(merchant) = &t.merchant_name
            {
                recent_charges.push((merchant, t.date, t.amount));
            }
        }
    }

    let (recurring_merchants, recurring_monthly_spend) = recurring(&mut recent_charges);
    Evidence {
        window,
        interest_charged,
        minimum_payment_only: item.liabilities.iter().any(|l| {
            !l.is_overdue
                && l.last_payment_amount == Some(l.minimum_payment_amount)
                && l.minimum_payment_amount < l.last_statement_balance
        }),
        overdue: item.liabilities.iter().any(|l| l.is_overdue),
        median_pay_gap_days: median_gap_days(&mut pay_dates),
        spend_in_window,
        spend_in_long_window,
        recurring_merchants,
        recurring_monthly_spend,
        savings_inflow,
    }
}

/// The recurring merchants among the lookback's subscription charges
/// `(merchant, date, amount)` and what they cost a month.
fn recurring(charges: &mut [(&str, Date, Decimal)]) -> (u16, Decimal) {
    charges.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let mut merchants = 0u16;
    let mut monthly = Decimal::ZERO;
    for group in charges.chunk_by(|a, b| a.0 == b.0) {
        if group.len() < RECURRING_MIN_CHARGES {
            continue;
        }
        if let Some(cadence) = cadence(group) {
            merchants = merchants.saturating_add(1);
            let latest = group[group.len() - 1].2;
            add(&mut monthly, cadence.monthly_cost(latest));
        }
    }
    (merchants, monthly)
}

/// The cadence every gap between a merchant's charges (oldest first) keeps, if any.
fn cadence(group: &[(&str, Date, Decimal)]) -> Option<Cadence> {
    let gaps = || group.windows(2).map(|pair| pair[0].1.days_until(pair[1].1));
    if gaps().all(|gap| gap == 7) {
        Some(Cadence::Weekly)
    } else if gaps().all(|gap| (28..=31).contains(&gap)) {
        Some(Cadence::Monthly)
    } else {
        None
    }
}
