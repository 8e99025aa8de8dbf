//! Profiles as relational tables joined by `user_id` (`spendsense generate
//! --format csv`): `users.csv`, and one table per list of objects in a
//! profile, `accounts.csv`, `paychecks.csv`, `recurring.csv` and `cards.csv`.
//! A profile's ledger adds two tables of the same kind ([`crate::ledger`]),
//! whose columns follow the same naming rule ([`column_of`]).
//!
//! The tables carry the same facts as JSON and JSONL: one `users` row per
//! profile with `demographics`, `identity`, `characteristics` and the plan's
//! scalar fields flattened into it (the nullable `plan.savings_transfers`
//! object as `savings_transfers_*` columns, all empty when it is null), and
//! one row per item of each list, in file order, after the owner's `user_id`,
//! with nested objects flattened (`balances_*`, `category_*`). Amounts are the
//! decimal's own text (`1234.50`), dates `YYYY-MM-DD`, booleans `true` or
//! `false`, `null` and absent keys are empty fields, and the
//! `matched_personas` list is its ids joined by `;`. Column names are
//! documented in `docs/profile-format.md` ("CSV tables"), which the client
//! tests check against [`COLUMNS`].
//!
//! Profiles stream through one at a time, so memory stays flat whatever the
//! count. Where the bytes go (files, atomic replacement) is the caller's
//! business: [`Tables`] writes to any [`std::io::Write`]rs, one per table.

use std::fmt::Write as _;
use std::io::{self, Write};

use spendsense_schema::UserProfile;

/// File name of the users table inside the output directory.
pub const USERS_FILE: &str = "users.csv";
/// File name of the accounts table inside the output directory.
pub const ACCOUNTS_FILE: &str = "accounts.csv";
/// File name of the paychecks table (`plan.income.paychecks`).
pub const PAYCHECKS_FILE: &str = "paychecks.csv";
/// File name of the recurring charges table (`plan.recurring`).
pub const RECURRING_FILE: &str = "recurring.csv";
/// File name of the card plans table (`plan.cards`).
pub const CARDS_FILE: &str = "cards.csv";

/// Every table, in the order [`Tables::new`] takes their writers.
pub const FILES: [&str; 5] = [
    USERS_FILE,
    ACCOUNTS_FILE,
    PAYCHECKS_FILE,
    RECURRING_FILE,
    CARDS_FILE,
];

/// Header of `users.csv`, in the order of the profile's keys.
pub const USER_COLUMNS: [&str; 31] = [
    "user_id",
    "name",
    "persona",
    "expected_assignment",
    "matched_personas",
    "annual_income",
    "age",
    "state",
    "email",
    "phone_number",
    "address_street",
    "address_city",
    "address_region",
    "address_postal_code",
    "address_country",
    "target_credit_utilization",
    "target_savings_monthly",
    "income_stability",
    "pay_frequency",
    "median_pay_gap_days",
    "subscription_count_target",
    "as_of",
    "history_start",
    "income_employer",
    "income_frequency",
    "monthly_expenses",
    "savings_transfers_from_account_id",
    "savings_transfers_to_account_id",
    "savings_transfers_amount",
    "savings_transfers_cadence",
    "savings_transfers_first_transfer",
];

/// Header of `accounts.csv`: the owner's `user_id`, then the account's keys in
/// order. `balances.limit` becomes `balances_limit`, which also keeps SQL's
/// `LIMIT` keyword out of the column names.
pub const ACCOUNT_COLUMNS: [&str; 13] = [
    "user_id",
    "account_id",
    "balances_available",
    "balances_current",
    "balances_limit",
    "balances_iso_currency_code",
    "balances_unofficial_currency_code",
    "mask",
    "name",
    "official_name",
    "type",
    "subtype",
    "holder_category",
];

/// Header of `paychecks.csv`: the owner's `user_id`, then a paycheck's keys.
pub const PAYCHECK_COLUMNS: [&str; 3] = ["user_id", "date", "amount"];

/// Header of `recurring.csv`: the owner's `user_id`, then a charge's keys,
/// `category` flattened into `category_primary` and `category_detailed`.
pub const RECURRING_COLUMNS: [&str; 8] = [
    "user_id",
    "merchant",
    "category_primary",
    "category_detailed",
    "amount",
    "cadence",
    "first_charge",
    "account_id",
];

/// Header of `cards.csv`: the owner's `user_id`, then a card plan's keys.
pub const CARD_COLUMNS: [&str; 10] = [
    "user_id",
    "account_id",
    "purchase_apr",
    "statement_day",
    "payment",
    "last_statement_balance",
    "minimum_payment",
    "interest_per_statement",
    "next_payment_due_date",
    "is_overdue",
];

/// The header of each table of [`FILES`], in the same order.
pub const COLUMNS: [&[&str]; 5] = [
    &USER_COLUMNS,
    &ACCOUNT_COLUMNS,
    &PAYCHECK_COLUMNS,
    &RECURRING_COLUMNS,
    &CARD_COLUMNS,
];

/// The lists of objects in a profile, by JSON path, and the table each
/// becomes: one row per item, after the owner's `user_id`.
pub const LIST_TABLES: [(&str, &str); 4] = [
    ("accounts", ACCOUNTS_FILE),
    ("plan.income.paychecks", PAYCHECKS_FILE),
    ("plan.recurring", RECURRING_FILE),
    ("plan.cards", CARDS_FILE),
];

/// Groups of a profile whose fields become `users.csv` columns without the
/// group's name: `demographics.age` is `age` and `plan.as_of` is `as_of`, but
/// `identity.address.city` is `address_city` and `plan.income.employer` is
/// `income_employer`. Every other nesting level joins its keys with `_`.
pub const UNPREFIXED_GROUPS: [&str; 4] = ["demographics", "identity", "characteristics", "plan"];

/// The table (one of [`FILES`]) and column that a profile field becomes, by
/// its JSON path (items of a list as `list[].…`): the path's keys joined by
/// `_`, without the profile's [`UNPREFIXED_GROUPS`], and for the fields of a
/// list's items ([`LIST_TABLES`]) without the list's path.
/// `identity.address.city` is `address_city` in `users.csv`;
/// `accounts[].balances.limit` is `balances_limit` in `accounts.csv`;
/// `plan.recurring[].category.primary` is `category_primary` in `recurring.csv`;
/// `plan.savings_transfers.amount` is `savings_transfers_amount` in `users.csv`.
/// A ledger's lists ([`crate::ledger::LEDGER_TABLES`]) are read the same way:
/// `transactions[].personal_finance_category.primary` is
/// `personal_finance_category_primary` in `transactions.csv`.
pub fn column_of(path: &str) -> (&'static str, String) {
    for (list, file) in LIST_TABLES.into_iter().chain(crate::ledger::LEDGER_TABLES) {
        if let Some(field) = path.strip_prefix(list).and_then(|p| p.strip_prefix("[].")) {
            return (file, field.replace('.', "_"));
        }
    }
    let unprefixed = UNPREFIXED_GROUPS
        .iter()
        .find_map(|group| path.strip_prefix(group)?.strip_prefix('.'));
    (USERS_FILE, unprefixed.unwrap_or(path).replace('.', "_"))
}

/// Separates the persona ids of `matched_personas` in its one CSV field.
pub const MATCHED_SEPARATOR: char = ';';

/// Writes every table of profiles, one writer per file of [`FILES`].
#[derive(Debug)]
pub struct Tables<W: Write> {
    users: csv::Writer<W>,
    accounts: csv::Writer<W>,
    paychecks: csv::Writer<W>,
    recurring: csv::Writer<W>,
    cards: csv::Writer<W>,
    /// Scratch text for numbers, reused so that a row costs no allocation.
    text: String,
}

impl<W: Write> Tables<W> {
    /// Starts every table with its header row; `writers` are in the order of [`FILES`].
    pub fn new(writers: [W; 5]) -> io::Result<Self> {
        let mut tables = Self::without_headers(writers);
        tables.users.write_record(USER_COLUMNS)?;
        tables.accounts.write_record(ACCOUNT_COLUMNS)?;
        tables.paychecks.write_record(PAYCHECK_COLUMNS)?;
        tables.recurring.write_record(RECURRING_COLUMNS)?;
        tables.cards.write_record(CARD_COLUMNS)?;
        Ok(tables)
    }

    /// Every table without its header row: for a run written in pieces
    /// (batches encoded on several threads) after the headers of
    /// [`Tables::new`]. The pieces concatenated in order are the bytes one
    /// writer would have written.
    pub fn without_headers(writers: [W; 5]) -> Self {
        let [users, accounts, paychecks, recurring, cards] = writers.map(csv::Writer::from_writer);
        Tables {
            users,
            accounts,
            paychecks,
            recurring,
            cards,
            text: String::new(),
        }
    }

    /// Appends one profile: a `users` row, and a row per account, paycheck,
    /// recurring charge and card plan.
    pub fn write(&mut self, profile: &UserProfile) -> io::Result<()> {
        let traits = &profile.characteristics;
        let users = &mut self.users;
        let text = &mut self.text;
        users.write_field(&profile.user_id)?;
        users.write_field(&profile.name)?;
        users.write_field(profile.persona.as_str())?;
        users.write_field(profile.expected_assignment.map_or("", |p| p.as_str()))?;
        text.clear();
        for (i, persona) in profile.matched_personas.iter().flatten().enumerate() {
            if i > 0 {
                text.push(MATCHED_SEPARATOR);
            }
            text.push_str(persona.as_str());
        }
        users.write_field(&*text)?;
        users.write_field(number(text, profile.annual_income))?;
        users.write_field(number(text, profile.demographics.age))?;
        users.write_field(&profile.demographics.state)?;
        let identity = &profile.identity;
        users.write_field(&identity.email)?;
        users.write_field(&identity.phone_number)?;
        let address = &identity.address;
        for field in [
            &address.street,
            &address.city,
            &address.region,
            &address.postal_code,
            &address.country,
        ] {
            users.write_field(field)?;
        }
        users.write_field(number(text, traits.target_credit_utilization))?;
        users.write_field(number(text, traits.target_savings_monthly))?;
        users.write_field(traits.income_stability.as_str())?;
        users.write_field(traits.pay_frequency.as_str())?;
        users.write_field(number(text, traits.median_pay_gap_days))?;
        users.write_field(number(text, traits.subscription_count_target))?;
        let plan = &profile.plan;
        users.write_field(number(text, plan.as_of))?;
        users.write_field(number(text, plan.history_start))?;
        users.write_field(&plan.income.employer)?;
        users.write_field(plan.income.frequency.as_str())?;
        users.write_field(number(text, plan.monthly_expenses))?;
        match &plan.savings_transfers {
            Some(transfers) => {
                users.write_field(&transfers.from_account_id)?;
                users.write_field(&transfers.to_account_id)?;
                users.write_field(number(text, transfers.amount))?;
                users.write_field(transfers.cadence.as_str())?;
                users.write_field(number(text, transfers.first_transfer))?;
            }
            // A null object is empty in each of its columns.
            None => {
                for _ in 0..5 {
                    users.write_field("")?;
                }
            }
        }
        users.write_record(None::<&[u8]>)?;

        let accounts = &mut self.accounts;
        for account in &profile.accounts {
            let balances = &account.balances;
            accounts.write_field(&profile.user_id)?;
            accounts.write_field(&account.account_id)?;
            for amount in [balances.available, balances.current, balances.limit] {
                accounts.write_field(amount.map_or("", |a| number(text, a)))?;
            }
            accounts.write_field(balances.iso_currency_code.as_deref().unwrap_or(""))?;
            accounts.write_field(balances.unofficial_currency_code.as_deref().unwrap_or(""))?;
            accounts.write_field(account.mask.as_deref().unwrap_or(""))?;
            accounts.write_field(&account.name)?;
            accounts.write_field(account.official_name.as_deref().unwrap_or(""))?;
            accounts.write_field(account.account_type.as_str())?;
            accounts.write_field(account.subtype.as_str())?;
            accounts.write_field(wire(&account.holder_category))?;
            accounts.write_record(None::<&[u8]>)?;
        }

        let paychecks = &mut self.paychecks;
        for paycheck in &plan.income.paychecks {
            paychecks.write_field(&profile.user_id)?;
            paychecks.write_field(number(text, paycheck.date))?;
            paychecks.write_field(number(text, paycheck.amount))?;
            paychecks.write_record(None::<&[u8]>)?;
        }

        let recurring = &mut self.recurring;
        for charge in &plan.recurring {
            recurring.write_field(&profile.user_id)?;
            recurring.write_field(&charge.merchant)?;
            recurring.write_field(&charge.category.primary)?;
            recurring.write_field(&charge.category.detailed)?;
            recurring.write_field(number(text, charge.amount))?;
            recurring.write_field(charge.cadence.as_str())?;
            recurring.write_field(number(text, charge.first_charge))?;
            recurring.write_field(&charge.account_id)?;
            recurring.write_record(None::<&[u8]>)?;
        }

        let cards = &mut self.cards;
        for card in &plan.cards {
            cards.write_field(&profile.user_id)?;
            cards.write_field(&card.account_id)?;
            cards.write_field(number(text, card.purchase_apr))?;
            cards.write_field(number(text, card.statement_day))?;
            cards.write_field(card.payment.as_str())?;
            cards.write_field(number(text, card.last_statement_balance))?;
            cards.write_field(number(text, card.minimum_payment))?;
            cards.write_field(number(text, card.interest_per_statement))?;
            cards.write_field(number(text, card.next_payment_due_date))?;
            cards.write_field(if card.is_overdue { "true" } else { "false" })?;
            cards.write_record(None::<&[u8]>)?;
        }
        Ok(())
    }

    /// Flushes every table and hands back the writers, in the order of [`FILES`].
    pub fn finish(self) -> io::Result<[W; 5]> {
        let inner = |writer: csv::Writer<W>| writer.into_inner().map_err(|err| err.into_error());
        Ok([
            inner(self.users)?,
            inner(self.accounts)?,
            inner(self.paychecks)?,
            inner(self.recurring)?,
            inner(self.cards)?,
        ])
    }
}

/// A value's own text: every digit of a decimal's scale (`1234.50`), no
/// exponent; a date as `YYYY-MM-DD`.
fn number(text: &mut String, value: impl std::fmt::Display) -> &str {
    text.clear();
    write!(text, "{value}").expect("writing to a String cannot fail");
    text
}

/// A unit enum's wire spelling, as serde writes it in JSON.
fn wire<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        other => unreachable!("unit enums serialize as strings, got {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use spendsense_generator::{Generator, GeneratorConfig};

    /// How many rows of a list table a profile has.
    type ItemCount = fn(&UserProfile) -> usize;

    /// Every table of `profiles`, in the order of [`FILES`].
    fn tables(profiles: &[UserProfile]) -> [String; 5] {
        let mut tables = Tables::new(std::array::from_fn(|_| Vec::new())).unwrap();
        for profile in profiles {
            tables.write(profile).unwrap();
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
        FILES.iter().position(|f| *f == file).expect("a table")
    }

    /// Profiles that between them fill every list and leave every nullable
    /// object null once: generated ones and the samples.
    fn samples() -> Vec<UserProfile> {
        let mut without_transfers = spendsense_schema::sample::profile();
        without_transfers.plan.savings_transfers = None;
        without_transfers.user_id = "user_MASKED_001".into();
        vec![
            spendsense_schema::sample::profile(),
            crate::model::profile_with_every_field(),
            without_transfers,
        ]
    }

    #[test]
    fn one_user_row_per_profile_and_one_row_per_list_item() {
        for (seed, count) in [(1, 1), (42, 37), (7, 200)] {
            let mut profiles: Vec<_> = Generator::new(&GeneratorConfig::new(seed, count))
                .unwrap()
                .iter()
                .collect();
            profiles.extend(samples());
            let written = tables(&profiles);
            for (text, columns) in written.iter().zip(COLUMNS) {
                assert_eq!(text.lines().next().unwrap(), columns.join(","));
            }
            let users = rows(&written[0]);
            assert_eq!(users.len(), profiles.len());
            let accounts = rows(&written[table_index(ACCOUNTS_FILE)]);
            let expected: Vec<(&str, &str)> = profiles
                .iter()
                .flat_map(|p| p.accounts.iter().map(|a| (&*p.user_id, &*a.account_id)))
                .collect();
            let got: Vec<(&str, &str)> = accounts.iter().map(|r| (&r[0], &r[1])).collect();
            assert_eq!(got, expected, "seed {seed}");
            let lists: [(&str, ItemCount); 3] = [
                (PAYCHECKS_FILE, |p| p.plan.income.paychecks.len()),
                (RECURRING_FILE, |p| p.plan.recurring.len()),
                (CARDS_FILE, |p| p.plan.cards.len()),
            ];
            for (file, count) in lists {
                let table = rows(&written[table_index(file)]);
                let owners: Vec<&str> = table.iter().map(|r| &r[0]).collect();
                let expected: Vec<&str> = profiles
                    .iter()
                    .flat_map(|p| std::iter::repeat_n(&*p.user_id, count(p)))
                    .collect();
                assert_eq!(owners, expected, "{file}, seed {seed}");
            }
        }
    }

    use crate::model::field_text;

    /// Every table has exactly the columns the profile's fields become, in
    /// the order serde writes them: a new field, or a new list of objects
    /// (whose fields would land in `users.csv` as `list[]_…`), fails here.
    #[test]
    fn columns_are_the_flattened_fields_of_the_profile_in_order() {
        let profile = crate::model::profile_with_every_field();
        let mut columns: Vec<Vec<String>> = FILES
            .iter()
            .map(|file| match *file {
                USERS_FILE => Vec::new(),
                _ => vec!["user_id".to_string()],
            })
            .collect();
        for path in crate::model::leaf_paths(&profile) {
            let (file, column) = column_of(&path);
            columns[table_index(file)].push(column);
        }
        for ((file, expected), got) in FILES.iter().zip(COLUMNS).zip(&columns) {
            assert_eq!(got, expected, "{file} columns vs the profile's fields");
        }
        for (list, file) in LIST_TABLES {
            assert!(
                crate::model::leaf_paths(&profile)
                    .iter()
                    .any(|path| path.starts_with(&format!("{list}[]."))),
                "{list} (the source of {file}) is a list of objects of the profile"
            );
        }
    }

    /// Every field of every row is the profile's own value, looked up by the
    /// column the field's path becomes; absent overlap keys and the columns
    /// of a null object are empty.
    #[test]
    fn every_field_holds_the_profiles_own_value() {
        for (seed, overlap) in [(1, "0"), (9, "1"), (42, "0.5"), (77, "0.2")] {
            let config = GeneratorConfig {
                overlap: spendsense_generator::Overlap::parse(overlap).unwrap(),
                ..GeneratorConfig::new(seed, 60)
            };
            let mut profiles: Vec<_> = Generator::new(&config).unwrap().iter().collect();
            profiles.extend(samples());
            let written = tables(&profiles);
            let mut written_rows: Vec<std::vec::IntoIter<csv::StringRecord>> =
                written.iter().map(|t| rows(t).into_iter()).collect();
            for profile in &profiles {
                let user_row = written_rows[0].next().expect("a users row per profile");
                let mut got: Vec<(&str, String)> = USER_COLUMNS
                    .iter()
                    .zip(&user_row)
                    .map(|(column, field)| (*column, field.to_string()))
                    .collect();
                let mut expected: Vec<(&str, String)> = USER_COLUMNS
                    .iter()
                    .map(|column| (*column, String::new()))
                    .collect();
                let mut items: Vec<Vec<Vec<String>>> = vec![Vec::new(); FILES.len()];
                for leaf in crate::model::leaves(profile) {
                    let (file, column) = column_of(&leaf.path);
                    let text = field_text(&leaf.json);
                    let table = table_index(file);
                    // An empty list of objects has no rows.
                    if leaf.json == "[]" && LIST_TABLES.iter().any(|(list, _)| *list == leaf.path) {
                        continue;
                    }
                    if file != USERS_FILE {
                        // An item's first field starts its row.
                        if column == COLUMNS[table][1] {
                            items[table].push(vec![profile.user_id.clone()]);
                        }
                        items[table].last_mut().unwrap().push(text);
                        continue;
                    }
                    if let Some(slot) = expected.iter_mut().find(|(c, _)| *c == column) {
                        slot.1 = text;
                        continue;
                    }
                    let prefix = format!("{column}_");
                    assert!(
                        leaf.json == "null" && USER_COLUMNS.iter().any(|c| c.starts_with(&prefix)),
                        "field `{}` (column `{column}`) is not in USER_COLUMNS",
                        leaf.path
                    );
                }
                got.sort();
                expected.sort();
                assert_eq!(got, expected, "{}", profile.user_id);
                for (table, items) in items.into_iter().enumerate().skip(1) {
                    for expected in items {
                        let row = written_rows[table].next().expect("a row per item");
                        let row: Vec<&str> = row.iter().collect();
                        assert_eq!(row, expected, "{} in {}", profile.user_id, FILES[table]);
                    }
                }
            }
            for (file, mut left) in FILES.iter().zip(written_rows) {
                assert!(left.next().is_none(), "{file} has rows of no profile");
            }
        }
    }

    /// Headers, then pieces without them, are byte for byte one writer's tables.
    #[test]
    fn pieces_without_headers_join_into_the_whole_tables() {
        let mut profiles: Vec<_> = Generator::new(&GeneratorConfig::new(11, 50))
            .unwrap()
            .iter()
            .collect();
        profiles.extend(samples());
        let whole = tables(&profiles);
        for size in [1, 8, 100] {
            let headers = Tables::new(std::array::from_fn(|_| Vec::new()))
                .unwrap()
                .finish()
                .unwrap();
            let mut joined = headers.map(|bytes| String::from_utf8(bytes).unwrap());
            for piece in profiles.chunks(size) {
                let mut tables = Tables::without_headers(std::array::from_fn(|_| Vec::new()));
                for profile in piece {
                    tables.write(profile).unwrap();
                }
                for (joined, bytes) in joined.iter_mut().zip(tables.finish().unwrap()) {
                    joined.push_str(&String::from_utf8(bytes).unwrap());
                }
            }
            assert_eq!(joined, whole, "pieces of {size} profiles");
        }
    }

    fn user_column(name: &str) -> usize {
        USER_COLUMNS
            .iter()
            .position(|c| *c == name)
            .expect("a users.csv column")
    }

    #[test]
    fn amounts_keep_their_digits_and_nulls_are_empty() {
        let profile = Generator::new(&GeneratorConfig::new(42, 1))
            .unwrap()
            .profile(0);
        let written = tables(std::slice::from_ref(&profile));
        let user = &rows(&written[0])[0];
        assert_eq!(&user[5], profile.annual_income.to_string());
        assert!(user[5].ends_with(".00"), "{}", &user[5]);
        assert_eq!((&user[3], &user[4]), ("", ""), "no overlap keys");
        assert_eq!(
            &user[user_column("target_credit_utilization")],
            profile
                .characteristics
                .target_credit_utilization
                .to_string()
        );
        let checking = &rows(&written[1])[0];
        assert_eq!(&checking[4], "", "a checking account has no limit");
        assert_eq!(&checking[6], "", "no unofficial currency");
        let current = profile.accounts[0].balances.current.unwrap();
        assert_eq!(checking[3].parse::<Decimal>().unwrap(), current);
        assert_eq!(&checking[3], current.to_string());
        assert_eq!(&checking[10], "depository");
    }

    #[test]
    fn plan_lists_and_the_null_transfer_object_are_flat() {
        let mut profile = spendsense_schema::sample::profile();
        let written = tables(std::slice::from_ref(&profile));
        let user = &rows(&written[0])[0];
        assert_eq!(&user[user_column("as_of")], "2026-11-30");
        assert_eq!(&user[user_column("income_employer")], "Northwind Analytics");
        assert_eq!(&user[user_column("savings_transfers_amount")], "369.23");
        let paychecks = rows(&written[table_index(PAYCHECKS_FILE)]);
        assert_eq!(paychecks.len(), 13);
        assert_eq!(
            paychecks[0].iter().collect::<Vec<_>>(),
            ["user_MASKED_000", "2026-06-05", "2880.00"]
        );
        let recurring = rows(&written[table_index(RECURRING_FILE)]);
        assert_eq!(
            recurring[1].iter().collect::<Vec<_>>(),
            [
                "user_MASKED_000",
                "Netflix",
                "ENTERTAINMENT",
                "ENTERTAINMENT_TV_AND_MOVIES",
                "15.49",
                "monthly",
                "2026-06-12",
                "user_MASKED_000_acct_2"
            ]
        );
        let cards = rows(&written[table_index(CARDS_FILE)]);
        assert_eq!(&cards[0][4], "pay_in_full");
        assert_eq!(&cards[0][7], "0.00");
        assert_eq!(&cards[0][9], "false");

        profile.plan.savings_transfers = None;
        let written = tables(std::slice::from_ref(&profile));
        let user = &rows(&written[0])[0];
        for (column, field) in USER_COLUMNS.iter().zip(user) {
            if column.starts_with("savings_transfers_") {
                assert_eq!(field, "", "{column}");
            }
        }
    }

    #[test]
    fn overlap_keys_are_columns() {
        let config = GeneratorConfig {
            overlap: spendsense_generator::Overlap::parse("1").unwrap(),
            ..GeneratorConfig::new(9, 20)
        };
        let profiles: Vec<_> = Generator::new(&config).unwrap().iter().collect();
        let users = rows(&tables(&profiles)[0]);
        let mut overlapping = 0;
        for (profile, row) in profiles.iter().zip(&users) {
            let expected = profile.expected_assignment.map_or("", |p| p.as_str());
            assert_eq!(&row[3], expected);
            let matched: Vec<&str> = profile
                .matched_personas
                .iter()
                .flatten()
                .map(|p| p.as_str())
                .collect();
            assert_eq!(&row[4], matched.join(";"));
            overlapping += usize::from(!matched.is_empty());
        }
        assert!(overlapping > 0);
    }

    #[test]
    fn wire_spellings_match_json() {
        let profile = Generator::new(&GeneratorConfig::new(3, 50))
            .unwrap()
            .iter()
            .find(|p| p.accounts.iter().any(|a| a.is_credit_card()))
            .unwrap();
        let written = tables(std::slice::from_ref(&profile));
        assert!(rows(&written[1]).iter().any(|r| &r[11] == "credit card"));
        let json = serde_json::to_value(&profile).unwrap();
        let user = &rows(&written[0])[0];
        assert_eq!(
            json["characteristics"]["pay_frequency"],
            &user[user_column("pay_frequency")]
        );
        assert_eq!(
            json["characteristics"]["income_stability"],
            &user[user_column("income_stability")]
        );
        assert_eq!(
            json["identity"]["address"]["city"],
            &user[user_column("address_city")]
        );
        assert_eq!(json["identity"]["email"], &user[user_column("email")]);
        assert_eq!(
            json["plan"]["income"]["frequency"],
            &user[user_column("income_frequency")]
        );
    }
}
