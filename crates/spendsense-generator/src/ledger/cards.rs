//! Card interest and statement payments, and the liabilities they leave.
//!
//! A card that accrues interest is charged `interest_per_statement` on each
//! statement date. Each statement is paid `delay` days later (8 to 20, drawn
//! per card, always before the due date 25 days after it): in full, the
//! minimum, or between the two, as planned. An overdue card's latest
//! statement that fell due by `as_of` has no payment. Payments repeat the
//! plan's last-statement figures: balances are not reconciled with purchases
//! (`docs/transactions.md`, "What a fuller generator adds").

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use spendsense_schema::{
    CardLiability, CardPayment, CardPlan, DUE_DAYS_AFTER_STATEMENT, Date, PaymentChannel,
    UserProfile,
};

use super::{Book, Entry, INTEREST, Name};
use crate::money::{cents, to_cents};

const CARD_PAYMENT: (&str, &str) = ("LOAN_PAYMENTS", spendsense_personas::CARD_PAYMENT_CATEGORY);

/// Days from a statement to its payment.
const PAYMENT_DELAY_DAYS: std::ops::RangeInclusive<i32> = 8..=20;

/// Writes each card's interest and payments into `book`; returns the cards' liabilities.
pub(super) fn realise<'a>(
    book: &mut Book<'a>,
    profile: &'a UserProfile,
    checking: &'a str,
    rng: &mut ChaCha8Rng,
) -> Vec<CardLiability> {
    let plan = &profile.plan;
    let mut liabilities = Vec::with_capacity(plan.cards.len());
    for card in &plan.cards {
        let card_name = profile
            .accounts
            .iter()
            .find(|a| a.account_id == card.account_id)
            .map_or("credit card", |a| a.name.as_str());
        let delay = rng.random_range(PAYMENT_DELAY_DAYS);
        if card.payment.accrues_interest() && card.interest_per_statement > Decimal::ZERO {
            for date in card.statement_dates(plan.history_start, plan.as_of) {
                book.push(Entry {
                    account_id: &card.account_id,
                    amount: card.interest_per_statement,
                    date,
                    authorized_date: date,
                    name: Name::Text("Interest charge"),
                    merchant_name: None,
                    channel: PaymentChannel::Other,
                    category: INTEREST,
                });
            }
        }
        let missed = (card.payment == CardPayment::Overdue)
            .then(|| missed_statement(card, plan.as_of))
            .flatten();
        let mut last_payment = None;
        // Statements a month before the history are paid inside it.
        let earliest = plan.history_start.add_days(-31);
        for statement in card.statement_dates(earliest, plan.as_of) {
            let date = statement.add_days(delay);
            if date < plan.history_start || date > plan.as_of || Some(statement) == missed {
                continue;
            }
            let amount = payment_amount(card, rng);
            if amount <= Decimal::ZERO {
                continue;
            }
            for (account_id, amount, name) in [
                (checking, amount, Name::CardPayment(card_name)),
                (&card.account_id, -amount, Name::Text("Payment received")),
            ] {
                book.push(Entry {
                    account_id,
                    amount,
                    date,
                    authorized_date: date,
                    name,
                    merchant_name: None,
                    channel: PaymentChannel::Other,
                    category: CARD_PAYMENT,
                });
            }
            last_payment = Some((date, amount));
        }
        liabilities.push(CardLiability {
            account_id: card.account_id.clone(),
            is_overdue: card.is_overdue,
            last_payment_amount: last_payment.map(|(_, amount)| amount),
            last_payment_date: last_payment.map(|(date, _)| date),
            last_statement_balance: card.last_statement_balance,
            minimum_payment_amount: card.minimum_payment,
            next_payment_due_date: card.next_payment_due_date,
        });
    }
    liabilities
}

/// The statement an overdue card left unpaid: the latest one due by `as_of`.
fn missed_statement(card: &CardPlan, as_of: Date) -> Option<Date> {
    let due_by = as_of.add_days(-DUE_DAYS_AFTER_STATEMENT);
    card.statement_dates(due_by.add_days(-31), due_by).last()
}

/// What one statement's payment is: the balance, the minimum, or for a
/// revolving card the minimum plus 20% to 80% of the rest (always more than
/// the minimum, so that it never reads as a minimum payment).
fn payment_amount(card: &CardPlan, rng: &mut ChaCha8Rng) -> Decimal {
    match card.payment {
        CardPayment::PayInFull => card.last_statement_balance,
        CardPayment::MinimumOnly | CardPayment::Overdue => card.minimum_payment,
        CardPayment::Revolving => {
            let minimum = to_cents(card.minimum_payment);
            let rest = (to_cents(card.last_statement_balance) - minimum).max(0);
            let extra = i128::from(rest) * i128::from(rng.random_range(20..=80i64)) / 100;
            cents(minimum + (extra as i64).max(1))
        }
    }
}
