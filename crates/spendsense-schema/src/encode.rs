//! A direct JSON encoder for [`UserProfile`] and [`Transaction`], the hot
//! path of every writer.
//!
//! It writes exactly the bytes serde_json writes for the derived `Serialize`
//! impls (compact, or pretty with two-space indents), but with field names
//! as literals and strings copied whole when they need no escaping. Through
//! serde, escaping every key and value byte by byte was a fifth of the time
//! to generate a profile. The derived impls stay the reference: tests
//! (`tests/encoding` here, and the CLI's pipeline tests on generated
//! datasets) compare the two on thousands of random profiles full of
//! characters that need escaping, so a field added to the model but not
//! here fails them.

use rust_decimal::Decimal;

use crate::money::{push_decimal, push_integer};
use crate::{
    Account, Address, Balances, CardPlan, Characteristics, Date, Demographics, Identity, Plan,
    RecurringCharge, Transaction, UserProfile,
};

/// Starts the first entry of an object: `"name":` as one literal.
macro_rules! first_key {
    ($json:ident, $name:literal) => {
        $json.key(concat!("\"", $name, "\":"))
    };
}

/// Starts any later entry of an object: `,"name":` as one literal.
macro_rules! key {
    ($json:ident, $name:literal) => {
        $json.key(concat!(",\"", $name, "\":"))
    };
}

/// Appends `profile` as JSON to `out`: compact when `indent` is `None`, else
/// pretty-printed as if nested `indent` levels deep (its first line is not
/// indented; its closing brace is).
pub(crate) fn encode_profile(profile: &UserProfile, indent: Option<usize>, out: &mut Vec<u8>) {
    // Profiles are 1.2 to 2.5 KB: one reservation spares most capacity checks their growth.
    out.reserve(4096);
    match indent {
        None => Encoder::<false>::new(out, 0).profile(profile),
        Some(depth) => Encoder::<true>::new(out, depth).profile(profile),
    }
}

/// Appends `transaction` as compact JSON to `out`.
pub(crate) fn encode_transaction(transaction: &Transaction, out: &mut Vec<u8>) {
    // A generated record is 330 to 420 bytes; one reservation covers almost all.
    out.reserve(512);
    Encoder::<false>::new(out, 0).transaction(transaction);
}

/// Writes compact JSON, or pretty JSON when `PRETTY` (a constant, so the
/// compact path carries no layout branches).
struct Encoder<'a, const PRETTY: bool> {
    out: &'a mut Vec<u8>,
    /// Nesting level, for pretty indents.
    depth: usize,
    /// Whether nothing has been written in the current object or array yet.
    first: bool,
}

impl<'a, const PRETTY: bool> Encoder<'a, PRETTY> {
    fn new(out: &'a mut Vec<u8>, depth: usize) -> Self {
        Encoder {
            out,
            depth,
            first: true,
        }
    }

    fn profile(&mut self, profile: &UserProfile) {
        self.open(b'{');
        first_key!(self, "user_id");
        self.string(&profile.user_id);
        key!(self, "name");
        self.string(&profile.name);
        key!(self, "persona");
        self.literal(profile.persona.as_str());
        key!(self, "expected_assignment");
        match profile.expected_assignment {
            Some(persona) => self.literal(persona.as_str()),
            None => self.out.extend_from_slice(b"null"),
        }
        key!(self, "matched_personas");
        match &profile.matched_personas {
            Some(personas) => {
                self.open(b'[');
                for persona in personas {
                    self.element();
                    self.literal(persona.as_str());
                }
                self.close(b']');
            }
            None => self.out.extend_from_slice(b"null"),
        }
        key!(self, "annual_income");
        self.money(&profile.annual_income);
        key!(self, "demographics");
        self.demographics(&profile.demographics);
        key!(self, "identity");
        self.identity(&profile.identity);
        key!(self, "characteristics");
        self.characteristics(&profile.characteristics);
        key!(self, "accounts");
        self.open(b'[');
        for account in &profile.accounts {
            self.element();
            self.account(account);
        }
        self.close(b']');
        key!(self, "plan");
        self.plan(&profile.plan);
        self.close(b'}');
    }

    fn transaction(&mut self, transaction: &Transaction) {
        self.open(b'{');
        first_key!(self, "transaction_id");
        self.string(&transaction.transaction_id);
        key!(self, "account_id");
        self.string(&transaction.account_id);
        key!(self, "amount");
        self.money(&transaction.amount);
        key!(self, "iso_currency_code");
        self.optional_string(transaction.iso_currency_code.as_deref());
        key!(self, "unofficial_currency_code");
        self.optional_string(transaction.unofficial_currency_code.as_deref());
        key!(self, "date");
        self.date(transaction.date);
        key!(self, "authorized_date");
        match transaction.authorized_date {
            Some(date) => self.date(date),
            None => self.out.extend_from_slice(b"null"),
        }
        key!(self, "name");
        self.string(&transaction.name);
        key!(self, "merchant_name");
        self.optional_string(transaction.merchant_name.as_deref());
        key!(self, "payment_channel");
        self.literal(transaction.payment_channel.as_str());
        key!(self, "personal_finance_category");
        self.open(b'{');
        first_key!(self, "primary");
        self.string(&transaction.personal_finance_category.primary);
        key!(self, "detailed");
        self.string(&transaction.personal_finance_category.detailed);
        self.close(b'}');
        key!(self, "pending");
        self.boolean(transaction.pending);
        self.close(b'}');
    }

    fn plan(&mut self, plan: &Plan) {
        self.open(b'{');
        first_key!(self, "as_of");
        self.date(plan.as_of);
        key!(self, "history_start");
        self.date(plan.history_start);
        key!(self, "income");
        self.open(b'{');
        first_key!(self, "employer");
        self.string(&plan.income.employer);
        key!(self, "frequency");
        self.literal(plan.income.frequency.as_str());
        key!(self, "paychecks");
        self.open(b'[');
        for paycheck in &plan.income.paychecks {
            self.element();
            self.open(b'{');
            first_key!(self, "date");
            self.date(paycheck.date);
            key!(self, "amount");
            self.money(&paycheck.amount);
            self.close(b'}');
        }
        self.close(b']');
        self.close(b'}');
        key!(self, "monthly_expenses");
        self.money(&plan.monthly_expenses);
        key!(self, "recurring");
        self.open(b'[');
        for charge in &plan.recurring {
            self.element();
            self.recurring(charge);
        }
        self.close(b']');
        key!(self, "cards");
        self.open(b'[');
        for card in &plan.cards {
            self.element();
            self.card(card);
        }
        self.close(b']');
        key!(self, "savings_transfers");
        match &plan.savings_transfers {
            None => self.out.extend_from_slice(b"null"),
            Some(transfers) => {
                self.open(b'{');
                first_key!(self, "from_account_id");
                self.string(&transfers.from_account_id);
                key!(self, "to_account_id");
                self.string(&transfers.to_account_id);
                key!(self, "amount");
                self.money(&transfers.amount);
                key!(self, "cadence");
                self.literal(transfers.cadence.as_str());
                key!(self, "first_transfer");
                self.date(transfers.first_transfer);
                self.close(b'}');
            }
        }
        self.close(b'}');
    }

    fn recurring(&mut self, charge: &RecurringCharge) {
        self.open(b'{');
        first_key!(self, "merchant");
        self.string(&charge.merchant);
        key!(self, "category");
        self.open(b'{');
        first_key!(self, "primary");
        self.string(&charge.category.primary);
        key!(self, "detailed");
        self.string(&charge.category.detailed);
        self.close(b'}');
        key!(self, "amount");
        self.money(&charge.amount);
        key!(self, "cadence");
        self.literal(charge.cadence.as_str());
        key!(self, "first_charge");
        self.date(charge.first_charge);
        key!(self, "account_id");
        self.string(&charge.account_id);
        self.close(b'}');
    }

    fn card(&mut self, card: &CardPlan) {
        self.open(b'{');
        first_key!(self, "account_id");
        self.string(&card.account_id);
        key!(self, "purchase_apr");
        self.money(&card.purchase_apr);
        key!(self, "statement_day");
        push_integer(card.statement_day.into(), self.out);
        key!(self, "payment");
        self.literal(card.payment.as_str());
        key!(self, "last_statement_balance");
        self.money(&card.last_statement_balance);
        key!(self, "minimum_payment");
        self.money(&card.minimum_payment);
        key!(self, "interest_per_statement");
        self.money(&card.interest_per_statement);
        key!(self, "next_payment_due_date");
        self.date(card.next_payment_due_date);
        key!(self, "is_overdue");
        self.boolean(card.is_overdue);
        self.close(b'}');
    }

    /// A date as `"YYYY-MM-DD"`: digits and dashes, which never need escaping.
    #[inline(always)]
    fn date(&mut self, date: Date) {
        self.out.push(b'"');
        date.push_iso(self.out);
        self.out.push(b'"');
    }

    fn demographics(&mut self, demographics: &Demographics) {
        self.open(b'{');
        first_key!(self, "age");
        push_integer(demographics.age.into(), self.out);
        key!(self, "state");
        self.string(&demographics.state);
        self.close(b'}');
    }

    fn identity(&mut self, identity: &Identity) {
        self.open(b'{');
        first_key!(self, "email");
        self.string(&identity.email);
        key!(self, "phone_number");
        self.string(&identity.phone_number);
        key!(self, "address");
        self.address(&identity.address);
        self.close(b'}');
    }

    fn address(&mut self, address: &Address) {
        self.open(b'{');
        first_key!(self, "street");
        self.string(&address.street);
        key!(self, "city");
        self.string(&address.city);
        key!(self, "region");
        self.string(&address.region);
        key!(self, "postal_code");
        self.string(&address.postal_code);
        key!(self, "country");
        self.string(&address.country);
        self.close(b'}');
    }

    fn characteristics(&mut self, characteristics: &Characteristics) {
        self.open(b'{');
        first_key!(self, "target_credit_utilization");
        self.money(&characteristics.target_credit_utilization);
        key!(self, "target_savings_monthly");
        self.money(&characteristics.target_savings_monthly);
        key!(self, "income_stability");
        self.literal(characteristics.income_stability.as_str());
        key!(self, "pay_frequency");
        self.literal(characteristics.pay_frequency.as_str());
        key!(self, "median_pay_gap_days");
        push_integer(characteristics.median_pay_gap_days.into(), self.out);
        key!(self, "subscription_count_target");
        push_integer(characteristics.subscription_count_target.into(), self.out);
        self.close(b'}');
    }

    fn account(&mut self, account: &Account) {
        self.open(b'{');
        first_key!(self, "account_id");
        self.string(&account.account_id);
        key!(self, "balances");
        self.balances(&account.balances);
        key!(self, "mask");
        self.optional_string(account.mask.as_deref());
        key!(self, "name");
        self.string(&account.name);
        key!(self, "official_name");
        self.optional_string(account.official_name.as_deref());
        key!(self, "type");
        self.literal(account.account_type.as_str());
        key!(self, "subtype");
        self.literal(account.subtype.as_str());
        key!(self, "holder_category");
        self.literal(account.holder_category.as_str());
        self.close(b'}');
    }

    fn balances(&mut self, balances: &Balances) {
        self.open(b'{');
        first_key!(self, "available");
        self.optional_money(balances.available.as_ref());
        key!(self, "current");
        self.optional_money(balances.current.as_ref());
        key!(self, "limit");
        self.optional_money(balances.limit.as_ref());
        key!(self, "iso_currency_code");
        self.optional_string(balances.iso_currency_code.as_deref());
        key!(self, "unofficial_currency_code");
        self.optional_string(balances.unofficial_currency_code.as_deref());
        self.close(b'}');
    }

    #[inline(always)]
    fn open(&mut self, bracket: u8) {
        self.out.push(bracket);
        self.depth += 1;
        self.first = true;
    }

    #[inline(always)]
    fn close(&mut self, bracket: u8) {
        self.depth -= 1;
        if PRETTY && !self.first {
            self.newline();
        }
        self.out.push(bracket);
        self.first = false;
    }

    /// Starts an array element.
    #[inline(always)]
    fn element(&mut self) {
        if !self.first {
            self.out.push(b',');
        }
        if PRETTY {
            self.newline();
        }
        self.first = false;
    }

    /// Starts an object entry: `entry` is `"name":`, after a comma unless
    /// it is the object's first (`first_key!` and `key!` spell it).
    #[inline(always)]
    fn key(&mut self, entry: &'static str) {
        if PRETTY {
            let (comma, entry) = entry.split_at(usize::from(entry.starts_with(',')));
            self.out.extend_from_slice(comma.as_bytes());
            self.newline();
            self.out.extend_from_slice(entry.as_bytes());
            self.out.push(b' ');
        } else {
            self.out.extend_from_slice(entry.as_bytes());
        }
        self.first = false;
    }

    fn newline(&mut self) {
        self.out.push(b'\n');
        self.out.resize(self.out.len() + 2 * self.depth, b' ');
    }

    #[inline(always)]
    fn boolean(&mut self, value: bool) {
        self.out
            .extend_from_slice(if value { b"true" } else { b"false" });
    }

    /// A string known to need no escaping (an enum's wire spelling).
    #[inline(always)]
    fn literal(&mut self, text: &str) {
        self.out.push(b'"');
        self.out.extend_from_slice(text.as_bytes());
        self.out.push(b'"');
    }

    #[inline(always)]
    fn string(&mut self, text: &str) {
        self.out.push(b'"');
        push_escaped(text, self.out);
        self.out.push(b'"');
    }

    #[inline(always)]
    fn optional_string(&mut self, text: Option<&str>) {
        match text {
            Some(text) => self.string(text),
            None => self.out.extend_from_slice(b"null"),
        }
    }

    #[inline(always)]
    fn money(&mut self, amount: &Decimal) {
        push_decimal(amount, self.out);
    }

    #[inline(always)]
    fn optional_money(&mut self, amount: Option<&Decimal>) {
        match amount {
            Some(amount) => push_decimal(amount, self.out),
            None => self.out.extend_from_slice(b"null"),
        }
    }
}

/// Whether any byte of `bytes` is a control character, `"` or `\\`.
fn needs_escape(bytes: &[u8]) -> bool {
    // No short-circuit, so the check compiles to vector code; checking
    // eight bytes per step by hand measured no faster.
    bytes.iter().fold(false, |any, &b| {
        any | (b < 0x20) | (b == b'"') | (b == b'\\')
    })
}

/// Appends `text` with JSON escapes exactly as serde_json writes them: `\"`,
/// `\\`, the five short control escapes and `\u00XX` (lowercase hex) for the
/// other control characters; everything else, non-ASCII included, verbatim.
fn push_escaped(text: &str, out: &mut Vec<u8>) {
    // Checked and copied eight bytes at a time: fixed-size copies compile to
    // single moves, where a copy of unknown length is a call to memmove, and
    // most profile strings are short.
    let bytes = text.as_bytes();
    let start = out.len();
    let mut words = bytes.chunks_exact(8);
    for word in words.by_ref() {
        let word: &[u8; 8] = word.try_into().expect("eight bytes");
        if needs_escape(word) {
            out.truncate(start);
            return push_with_escapes(bytes, out);
        }
        out.extend_from_slice(word);
    }
    let tail = words.remainder();
    if needs_escape(tail) {
        out.truncate(start);
        return push_with_escapes(bytes, out);
    }
    for &byte in tail {
        out.push(byte);
    }
}

#[cold]
fn push_with_escapes(bytes: &[u8], out: &mut Vec<u8>) {
    let mut clean_from = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        let escape: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => {
                out.extend_from_slice(&bytes[clean_from..at]);
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(byte >> 4)]);
                out.push(HEX[usize::from(byte & 0xf)]);
                clean_from = at + 1;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[clean_from..at]);
        out.extend_from_slice(escape);
        clean_from = at + 1;
    }
    out.extend_from_slice(&bytes[clean_from..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte value at every position, among neighbours of every kind.
    #[test]
    fn needs_escape_finds_every_special_byte_anywhere() {
        for len in 1..=19 {
            for at in 0..len {
                for byte in 0..=255u8 {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = byte;
                    let special = byte < 0x20 || byte == b'"' || byte == b'\\';
                    assert_eq!(needs_escape(&bytes), special, "{bytes:?}");
                    // Neighbours on either side of each special range and byte.
                    for neighbour in [0x1f, 0x20, 0x21, 0x23, 0x5b, 0x5d, 0x7f, 0x80, 0xff] {
                        let mut bytes = vec![neighbour; len];
                        bytes[at] = byte;
                        let neighbour_special = neighbour < 0x20 && len > 1;
                        assert_eq!(needs_escape(&bytes), special || neighbour_special);
                    }
                }
            }
        }
        assert!(!needs_escape(b""));
    }
}
