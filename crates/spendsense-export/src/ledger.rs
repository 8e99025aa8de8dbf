//! A profile's ledger as two more CSV tables: `transactions.csv`, one row per
//! Plaid-shaped [`Transaction`], and `liabilities.csv`, one row per credit
//! card's [`CardLiability`] (`spendsense generate --format csv` writes them
//! next to the profile tables of [`crate::tables`]).
//!
//! A ledger is what `spendsense_generator::Generator::ledger` realises of a
//! profile's plan; this module takes its lists as slices, so it needs no
//! generator. The columns follow the naming rule of the profile tables
//! ([`crate::tables::column_of`], with the ledger's lists in
//! [`LEDGER_TABLES`]): the owner's `user_id`, then the item's keys in serde's
//! order with nested objects joined by `_`
//! (`personal_finance_category.primary` is
//! `personal_finance_category_primary`). Values are as in the other tables:
//! amounts the decimal's own text (`-2880.00`, never a float), dates
//! `YYYY-MM-DD`, booleans `true` or `false`, `null` an empty field.

use std::io::{self, Write};

use rust_decimal::Decimal;
use spendsense_schema::{CardLiability, Date, Transaction};

/// File name of the transactions table inside the output directory.
pub const TRANSACTIONS_FILE: &str = "transactions.csv";
/// File name of the card liabilities table inside the output directory.
pub const LIABILITIES_FILE: &str = "liabilities.csv";

/// The ledger's tables, in the order [`LedgerTables::new`] takes their writers.
pub const FILES: [&str; 2] = [TRANSACTIONS_FILE, LIABILITIES_FILE];

/// Header of `transactions.csv`: the owner's `user_id`, then a transaction's
/// keys, `personal_finance_category` flattened into its two keys.
pub const TRANSACTION_COLUMNS: [&str; 14] = [
    "user_id",
    "transaction_id",
    "account_id",
    "amount",
    "iso_currency_code",
    "unofficial_currency_code",
    "date",
    "authorized_date",
    "name",
    "merchant_name",
    "payment_channel",
    "personal_finance_category_primary",
    "personal_finance_category_detailed",
    "pending",
];

/// Header of `liabilities.csv`: the owner's `user_id`, then a card liability's keys.
pub const LIABILITY_COLUMNS: [&str; 8] = [
    "user_id",
    "account_id",
    "is_overdue",
    "last_payment_amount",
    "last_payment_date",
    "last_statement_balance",
    "minimum_payment_amount",
    "next_payment_due_date",
];

/// The header of each table of [`FILES`], in the same order.
pub const COLUMNS: [&[&str]; 2] = [&TRANSACTION_COLUMNS, &LIABILITY_COLUMNS];

/// The lists of a ledger, by the path [`crate::tables::column_of`] reads
/// (`transactions[].amount`), and the table each becomes.
pub const LEDGER_TABLES: [(&str, &str); 2] = [
    ("transactions", TRANSACTIONS_FILE),
    ("liabilities", LIABILITIES_FILE),
];

/// Writes the ledger tables, one writer per file of [`FILES`].
#[derive(Debug)]
pub struct LedgerTables<W: Write> {
    transactions: csv::Writer<W>,
    liabilities: csv::Writer<W>,
    /// Scratch bytes for amounts, reused so a row allocates nothing.
    text: Vec<u8>,
    /// The last date written and its text: a ledger is in date order, so
    /// most dates are the one before (and `authorized_date` often `date`).
    last_date: (Date, Vec<u8>),
}

impl<W: Write> LedgerTables<W> {
    /// Starts both tables with their header rows; `writers` are in the order of [`FILES`].
    pub fn new(writers: [W; 2]) -> io::Result<Self> {
        let mut tables = Self::without_headers(writers);
        tables.transactions.write_record(TRANSACTION_COLUMNS)?;
        tables.liabilities.write_record(LIABILITY_COLUMNS)?;
        Ok(tables)
    }

    /// Both tables without their header rows: for a run written in pieces
    /// (batches encoded on several threads) after the header rows of
    /// [`LedgerTables::new`] (written alone, or as the first piece). The
    /// pieces concatenated in order are the bytes one writer would have written.
    pub fn without_headers(writers: [W; 2]) -> Self {
        let [transactions, liabilities] = writers.map(csv::Writer::from_writer);
        LedgerTables {
            transactions,
            liabilities,
            text: Vec::with_capacity(32),
            last_date: (Date::MIN, b"0001-01-01".to_vec()),
        }
    }

    /// Appends one profile's ledger: a row per transaction and per card
    /// liability, in the order given, each after `user_id`.
    pub fn write(
        &mut self,
        user_id: &str,
        transactions: &[Transaction],
        liabilities: &[CardLiability],
    ) -> io::Result<()> {
        let out = &mut self.transactions;
        let text = &mut self.text;
        let last = &mut self.last_date;
        for transaction in transactions {
            out.write_field(user_id)?;
            out.write_field(&transaction.transaction_id)?;
            out.write_field(&transaction.account_id)?;
            out.write_field(amount(text, &transaction.amount))?;
            out.write_field(optional(&transaction.iso_currency_code))?;
            out.write_field(optional(&transaction.unofficial_currency_code))?;
            out.write_field(date(last, transaction.date))?;
            match transaction.authorized_date {
                Some(authorized) => out.write_field(date(last, authorized))?,
                None => out.write_field("")?,
            }
            out.write_field(&transaction.name)?;
            out.write_field(optional(&transaction.merchant_name))?;
            out.write_field(transaction.payment_channel.as_str())?;
            let category = &transaction.personal_finance_category;
            out.write_field(&category.primary)?;
            out.write_field(&category.detailed)?;
            out.write_field(boolean(transaction.pending))?;
            out.write_record(None::<&[u8]>)?;
        }
        let out = &mut self.liabilities;
        for liability in liabilities {
            out.write_field(user_id)?;
            out.write_field(&liability.account_id)?;
            out.write_field(boolean(liability.is_overdue))?;
            match &liability.last_payment_amount {
                Some(paid) => out.write_field(amount(text, paid))?,
                None => out.write_field("")?,
            }
            match liability.last_payment_date {
                Some(paid) => out.write_field(date(last, paid))?,
                None => out.write_field("")?,
            }
            out.write_field(amount(text, &liability.last_statement_balance))?;
            out.write_field(amount(text, &liability.minimum_payment_amount))?;
            out.write_field(date(last, liability.next_payment_due_date))?;
            out.write_record(None::<&[u8]>)?;
        }
        Ok(())
    }

    /// Flushes both tables and hands back the writers, in the order of [`FILES`].
    pub fn finish(self) -> io::Result<[W; 2]> {
        let inner = |writer: csv::Writer<W>| writer.into_inner().map_err(|err| err.into_error());
        Ok([inner(self.transactions)?, inner(self.liabilities)?])
    }
}

fn optional(text: &Option<String>) -> &str {
    text.as_deref().unwrap_or("")
}

fn boolean(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

/// An amount's own text, every digit of its scale kept (`-2880.00`).
fn amount<'a>(text: &'a mut Vec<u8>, value: &Decimal) -> &'a [u8] {
    text.clear();
    spendsense_schema::money::push_decimal(value, text);
    text
}

/// A date as `YYYY-MM-DD`, from `last` when it is the last one written.
fn date(last: &mut (Date, Vec<u8>), value: Date) -> &[u8] {
    if last.0 != value {
        last.1.clear();
        value.push_iso(&mut last.1);
        last.0 = value;
    }
    &last.1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{field_text, leaves_of, paths_of};
    use crate::tables::column_of;
    use serde::Serialize;
    use spendsense_generator::ledger::Ledger;
    use spendsense_generator::{Generator, GeneratorConfig, Overlap};
    use spendsense_schema::{Category, PaymentChannel, UserProfile};

    /// A ledger's lists under the names [`column_of`] reads them by.
    #[derive(Serialize)]
    struct Lists<'a> {
        transactions: &'a [Transaction],
        liabilities: &'a [CardLiability],
    }

    impl<'a> Lists<'a> {
        fn of(ledger: &'a Ledger) -> Self {
            Lists {
                transactions: &ledger.transactions,
                liabilities: &ledger.liabilities,
            }
        }
    }

    /// Every profile of a run with its ledger.
    fn generated(seed: u64, count: u64, overlap: &str) -> Vec<(UserProfile, Ledger)> {
        let config = GeneratorConfig {
            overlap: Overlap::parse(overlap).unwrap(),
            ..GeneratorConfig::new(seed, count)
        };
        let generator = Generator::new(&config).unwrap();
        (0..count)
            .map(|index| {
                let profile = generator.profile(index);
                let ledger = generator.ledger(index, &profile);
                (profile, ledger)
            })
            .collect()
    }

    /// A ledger whose text needs CSV quoting and whose nullable fields are
    /// null, which generated ledgers never are in some of them.
    fn edge_ledger() -> (UserProfile, Ledger) {
        let (profile, mut ledger) = generated(3, 1, "0").remove(0);
        let mut odd = ledger.transactions[0].clone();
        odd.amount = Decimal::new(-1, 2);
        odd.iso_currency_code = None;
        odd.unofficial_currency_code = Some("BTC".into());
        odd.authorized_date = None;
        odd.name = "Caf\u{e9} \"Zo\u{eb}\", 50/50\r\nsecond line".into();
        odd.merchant_name = None;
        odd.payment_channel = PaymentChannel::InStore;
        odd.personal_finance_category = Category {
            primary: "A,B".into(),
            detailed: " leading space".into(),
        };
        odd.pending = true;
        ledger.transactions.push(odd);
        ledger.liabilities.push(CardLiability {
            account_id: "card, \"quoted\"".into(),
            is_overdue: true,
            last_payment_amount: None,
            last_payment_date: None,
            last_statement_balance: Decimal::new(0, 2),
            minimum_payment_amount: Decimal::new(1_234_567_89, 2),
            next_payment_due_date: Date::MAX,
        });
        (profile, ledger)
    }

    /// Both tables of `ledgers`, in the order of [`FILES`].
    fn tables(ledgers: &[(UserProfile, Ledger)]) -> [String; 2] {
        let mut tables = LedgerTables::new([Vec::new(), Vec::new()]).unwrap();
        for (profile, ledger) in ledgers {
            tables
                .write(&profile.user_id, &ledger.transactions, &ledger.liabilities)
                .unwrap();
        }
        tables
            .finish()
            .unwrap()
            .map(|bytes| String::from_utf8(bytes).unwrap())
    }

    fn rows(table: &str) -> Vec<csv::StringRecord> {
        csv::Reader::from_reader(table.as_bytes())
            .records()
            .map(Result::unwrap)
            .collect()
    }

    fn table_index(file: &str) -> usize {
        FILES
            .iter()
            .position(|f| *f == file)
            .expect("a ledger table")
    }

    /// Each table has exactly the columns a ledger's fields become by the
    /// profile tables' naming rule, in serde's order, after the owner's
    /// `user_id`: a field added to `Transaction` or `CardLiability` fails here.
    #[test]
    fn columns_are_the_flattened_fields_of_a_ledger_in_order() {
        let (_, ledger) = edge_ledger();
        let mut columns: Vec<Vec<String>> = vec![vec!["user_id".to_string()]; FILES.len()];
        for path in paths_of(&Lists::of(&ledger)) {
            let (file, column) = column_of(&path);
            assert!(FILES.contains(&file), "`{path}` lands in {file}");
            columns[table_index(file)].push(column);
        }
        for ((file, expected), got) in FILES.iter().zip(COLUMNS).zip(&columns) {
            assert_eq!(got, expected, "{file} columns vs the ledger's fields");
        }
        let tables = tables(&[]);
        for (table, expected) in tables.iter().zip(COLUMNS) {
            assert_eq!(*table, expected.join(",") + "\n", "a header row only");
        }
    }

    /// Every field of every row is the ledger's own JSON value (strings as
    /// they are, amounts and dates their exact text, null empty), over
    /// generated ledgers of several seeds and the edge cases.
    #[test]
    fn every_field_holds_the_ledgers_own_value() {
        for (seed, count, overlap) in [(1, 40, "0"), (9, 30, "1"), (42, 60, "0.5"), (77, 25, "0")] {
            let mut ledgers = generated(seed, count, overlap);
            ledgers.push(edge_ledger());
            let written = tables(&ledgers);
            let mut written_rows: Vec<_> = written.iter().map(|t| rows(t).into_iter()).collect();
            let mut checked = [0usize; 2];
            for (profile, ledger) in &ledgers {
                let mut items: Vec<Vec<Vec<String>>> = vec![Vec::new(); FILES.len()];
                for leaf in leaves_of(&Lists::of(ledger)) {
                    // An empty list has no rows.
                    if leaf.json == "[]" && LEDGER_TABLES.iter().any(|(list, _)| *list == leaf.path)
                    {
                        continue;
                    }
                    let (file, column) = column_of(&leaf.path);
                    let table = table_index(file);
                    // An item's first field starts its row.
                    if column == COLUMNS[table][1] {
                        items[table].push(vec![profile.user_id.clone()]);
                    }
                    items[table]
                        .last_mut()
                        .unwrap()
                        .push(field_text(&leaf.json));
                }
                for (table, items) in items.into_iter().enumerate() {
                    for expected in items {
                        let row = written_rows[table].next().expect("a row per item");
                        let row: Vec<&str> = row.iter().collect();
                        assert_eq!(row, expected, "{} in {}", profile.user_id, FILES[table]);
                        checked[table] += 1;
                    }
                }
            }
            for (file, mut left) in FILES.iter().zip(written_rows) {
                assert!(left.next().is_none(), "{file} has rows of no ledger");
            }
            assert!(checked[0] > 1_000 && checked[1] > 0, "{checked:?}");
        }
    }

    /// Amounts are plain decimals with two places and Plaid's sign (money
    /// out positive, a paycheck negative), and add up exactly.
    #[test]
    fn amounts_are_exact_with_plaids_sign() {
        let ledgers = generated(42, 20, "0");
        let written = tables(&ledgers);
        let transactions = rows(&written[0]);
        let column = |name: &str| TRANSACTION_COLUMNS.iter().position(|c| *c == name).unwrap();
        let (amount, category) = (
            column("amount"),
            column("personal_finance_category_primary"),
        );
        let mut total = Decimal::ZERO;
        for row in &transactions {
            let text = &row[amount];
            let (whole, cents) = text.split_once('.').expect("a decimal point");
            assert!(
                cents.len() == 2 && cents.bytes().all(|b| b.is_ascii_digit()),
                "{text}"
            );
            assert!(
                whole
                    .trim_start_matches('-')
                    .bytes()
                    .all(|b| b.is_ascii_digit()),
                "{text}"
            );
            let value: Decimal = text.parse().unwrap();
            match &row[category] {
                "INCOME" => assert!(value < Decimal::ZERO, "a paycheck is money in: {text}"),
                "ENTERTAINMENT" | "FOOD_AND_DRINK" => assert!(value > Decimal::ZERO, "{text}"),
                _ => {}
            }
            total += value;
        }
        let expected: Decimal = ledgers
            .iter()
            .flat_map(|(_, l)| &l.transactions)
            .map(|t| t.amount)
            .sum();
        assert_eq!(total, expected);
        let liabilities = rows(&written[1]);
        assert_eq!(
            liabilities.len(),
            ledgers
                .iter()
                .map(|(_, l)| l.liabilities.len())
                .sum::<usize>()
        );
    }

    /// A run written in pieces (the first with headers) is byte for byte the
    /// run written by one writer.
    #[test]
    fn pieces_without_headers_join_into_the_whole_table() {
        let mut ledgers = generated(5, 30, "0.5");
        ledgers.push(edge_ledger());
        let whole = tables(&ledgers);
        for size in [1, 7, 64] {
            let mut joined = [String::new(), String::new()];
            for (number, piece) in ledgers.chunks(size).enumerate() {
                let writers = [Vec::new(), Vec::new()];
                let mut tables = match number {
                    0 => LedgerTables::new(writers).unwrap(),
                    _ => LedgerTables::without_headers(writers),
                };
                for (profile, ledger) in piece {
                    tables
                        .write(&profile.user_id, &ledger.transactions, &ledger.liabilities)
                        .unwrap();
                }
                for (joined, bytes) in joined.iter_mut().zip(tables.finish().unwrap()) {
                    joined.push_str(&String::from_utf8(bytes).unwrap());
                }
            }
            assert_eq!(joined, whole, "pieces of {size} profiles");
        }
    }

    /// The hand-written JSON of every generated transaction is serde_json's
    /// (`spendsense-schema`'s own tests cover random text; these are the
    /// records a run really writes).
    #[test]
    fn transaction_json_equals_serde_json_on_generated_ledgers() {
        let mut out = Vec::new();
        let mut checked = 0;
        for seed in [0, 1, 7, 42, 1234] {
            for (_, ledger) in generated(seed, 40, "0.5") {
                for transaction in &ledger.transactions {
                    out.clear();
                    transaction.encode_json(&mut out);
                    assert_eq!(out, serde_json::to_vec(transaction).unwrap());
                    checked += 1;
                }
            }
        }
        assert!(checked > 10_000, "{checked}");
    }
}
