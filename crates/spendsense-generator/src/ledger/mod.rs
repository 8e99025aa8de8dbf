//! The plan realised: the transactions and card liabilities a Plaid Item of
//! the profile would show.
//!
//! Every event of the plan becomes transactions on its planned dates:
//! paychecks (payroll deposits into checking), recurring charges, card
//! interest on each statement of a card that carries a balance, card
//! payments (both legs), savings transfers (both legs), and the everyday
//! purchases that bring the history's spending to exactly the plan's monthly
//! expenses ([`spendsense_personas::everyday_spend_blocks`]). So the
//! detector (`spendsense-signals`), reading only these, finds the signals the
//! plan promises; `docs/transactions.md` lists what each persona's
//! transactions look like.
//!
//! A ledger is a pure function of `(seed, index, profile)`: its one random
//! stream is keyed like the profile's own, so ledgers can be realised alone,
//! in any order, on any thread.

mod cards;
mod everyday;

use rust_decimal::Decimal;
use spendsense_personas::{INTEREST_CATEGORY, PAYROLL_CATEGORY, Window, window_start};
use spendsense_schema::{
    CardLiability, Category, Date, PaymentChannel, RecurringCharge, Transaction, UserProfile,
};

use crate::streams::{Domain, stream};
use crate::text::{set, set_some};

/// A profile's transactions (oldest first) and its cards' liabilities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ledger {
    /// The last day of the history; every window ends on it.
    pub as_of: Date,
    /// Every transaction from the plan's `history_start` to `as_of`, oldest
    /// first; ids number them in this order.
    pub transactions: Vec<Transaction>,
    /// One per credit card of the plan, in account order.
    pub liabilities: Vec<CardLiability>,
}

impl Ledger {
    /// The transactions dated in `window` (ending at `as_of`), oldest first.
    pub fn in_window(&self, window: Window) -> impl Iterator<Item = &Transaction> + '_ {
        let start = window_start(self.as_of, window);
        self.transactions
            .iter()
            .filter(move |t| t.date >= start && t.date <= self.as_of)
    }
}

/// Realises profile `index` of the run seeded with `seed`.
pub fn realise(seed: u64, index: u64, profile: &UserProfile) -> Ledger {
    let mut ledger = Ledger {
        as_of: profile.plan.as_of,
        transactions: Vec::new(),
        liabilities: Vec::new(),
    };
    realise_into(seed, index, profile, &mut ledger);
    ledger
}

/// [`realise`] into `ledger`, overwriting an earlier ledger's transactions
/// in place and keeping their strings' allocations, so that a long run
/// allocates almost nothing per transaction.
pub fn realise_into(seed: u64, index: u64, profile: &UserProfile, ledger: &mut Ledger) {
    let mut rng = stream(seed, Domain::Ledger, index);
    let plan = &profile.plan;
    let mut book = Book::default();
    let checking = profile
        .accounts
        .iter()
        .find(|a| a.subtype == spendsense_schema::AccountSubtype::Checking)
        .map_or("", |a| a.account_id.as_str());

    for paycheck in &plan.income.paychecks {
        book.push(Entry {
            account_id: checking,
            amount: -paycheck.amount,
            date: paycheck.date,
            authorized_date: paycheck.date,
            name: Name::Payroll(&plan.income.employer),
            merchant_name: Some(&plan.income.employer),
            channel: PaymentChannel::Other,
            category: ("INCOME", PAYROLL_CATEGORY),
        });
    }
    for charge in &plan.recurring {
        recurring(&mut book, charge, plan.history_start, plan.as_of);
    }
    ledger.liabilities = cards::realise(&mut book, profile, checking, &mut rng);
    if let Some(transfers) = &plan.savings_transfers {
        for date in transfers.dates_between(plan.history_start, plan.as_of) {
            book.push(Entry {
                account_id: &transfers.from_account_id,
                amount: transfers.amount,
                date,
                authorized_date: date,
                name: Name::Text("Transfer to savings"),
                merchant_name: None,
                channel: PaymentChannel::Other,
                category: ("TRANSFER_OUT", "TRANSFER_OUT_SAVINGS"),
            });
            book.push(Entry {
                account_id: &transfers.to_account_id,
                amount: -transfers.amount,
                date,
                authorized_date: date,
                name: Name::Text("Transfer from checking"),
                merchant_name: None,
                channel: PaymentChannel::Other,
                category: ("TRANSFER_IN", "TRANSFER_IN_SAVINGS"),
            });
        }
    }
    everyday::realise(&mut book, profile, checking, &mut rng);

    ledger.as_of = plan.as_of;
    book.write_transactions(&profile.user_id, &mut ledger.transactions);
}

fn recurring<'a>(book: &mut Book<'a>, charge: &'a RecurringCharge, from: Date, until: Date) {
    let bill = !spendsense_personas::is_subscription(&charge.category);
    for date in charge.dates_between(from, until) {
        book.push(Entry {
            account_id: &charge.account_id,
            amount: charge.amount,
            date,
            authorized_date: date,
            name: Name::Text(&charge.merchant),
            merchant_name: Some(&charge.merchant),
            channel: if bill {
                PaymentChannel::Other
            } else {
                PaymentChannel::Online
            },
            category: (&charge.category.primary, &charge.category.detailed),
        });
    }
}

/// The interest category as a `(primary, detailed)` pair.
const INTEREST: (&str, &str) = ("BANK_FEES", INTEREST_CATEGORY);

/// How a transaction's `name` is spelled.
#[derive(Debug, Clone, Copy)]
enum Name<'a> {
    Text(&'a str),
    /// `{employer} Payroll`.
    Payroll(&'a str),
    /// `Payment to {card name}`.
    CardPayment(&'a str),
}

/// One transaction before it has an id.
#[derive(Debug, Clone, Copy)]
struct Entry<'a> {
    account_id: &'a str,
    amount: Decimal,
    date: Date,
    authorized_date: Date,
    name: Name<'a>,
    merchant_name: Option<&'a str>,
    channel: PaymentChannel,
    category: (&'a str, &'a str),
}

/// The entries of a ledger being realised, in the order they were made.
#[derive(Debug, Default)]
struct Book<'a> {
    entries: Vec<Entry<'a>>,
}

impl<'a> Book<'a> {
    fn push(&mut self, entry: Entry<'a>) {
        self.entries.push(entry);
    }

    /// Writes the entries into `out` as transactions in date order (ties in
    /// the order they were made), numbered `{user_id}-t0000`, `-t0001`, ….
    fn write_transactions(mut self, user_id: &str, out: &mut Vec<Transaction>) {
        self.entries.sort_by_key(|e| e.date);
        out.truncate(self.entries.len());
        while out.len() < self.entries.len() {
            out.push(blank_transaction());
        }
        for (seq, (e, t)) in self.entries.iter().zip(out.iter_mut()).enumerate() {
            t.transaction_id.clear();
            t.transaction_id.push_str(user_id);
            t.transaction_id.push_str("-t");
            crate::text::push_number(&mut t.transaction_id, seq as u64, 4);
            set(&mut t.account_id, e.account_id);
            t.amount = e.amount;
            t.amount.rescale(2);
            set_some(&mut t.iso_currency_code, "USD");
            t.unofficial_currency_code = None;
            t.date = e.date;
            t.authorized_date = Some(e.authorized_date);
            t.name.clear();
            match e.name {
                Name::Text(text) => t.name.push_str(text),
                Name::Payroll(employer) => {
                    t.name.push_str(employer);
                    t.name.push_str(" Payroll");
                }
                Name::CardPayment(card) => {
                    t.name.push_str("Payment to ");
                    t.name.push_str(card);
                }
            }
            match e.merchant_name {
                Some(merchant) => set_some(&mut t.merchant_name, merchant),
                None => t.merchant_name = None,
            }
            t.payment_channel = e.channel;
            set(&mut t.personal_finance_category.primary, e.category.0);
            set(&mut t.personal_finance_category.detailed, e.category.1);
            t.pending = false;
        }
    }
}

fn blank_transaction() -> Transaction {
    Transaction {
        transaction_id: String::new(),
        account_id: String::new(),
        amount: Decimal::ZERO,
        iso_currency_code: None,
        unofficial_currency_code: None,
        date: Date::MIN,
        authorized_date: None,
        name: String::new(),
        merchant_name: None,
        payment_channel: PaymentChannel::Other,
        personal_finance_category: Category {
            primary: String::new(),
            detailed: String::new(),
        },
        pending: false,
    }
}
