//! Profiles as two relational tables, `users.csv` and `accounts.csv`, joined
//! by `user_id` (`spendsense generate --format csv`).
//!
//! The tables carry the same facts as JSON and JSONL: one `users` row per
//! profile with `demographics` and `characteristics` flattened into it, and
//! one `accounts` row per account, in file order, with `balances` flattened
//! into `balances_*` columns. Amounts are the decimal's own text (`1234.50`),
//! `null` and absent keys are empty fields, and the `matched_personas` list is
//! its ids joined by `;`. Column names and types are documented in
//! `docs/profile-format.md` ("CSV tables"), which the client tests check
//! against [`USER_COLUMNS`] and [`ACCOUNT_COLUMNS`].
//!
//! Profiles stream through one at a time, so memory stays flat whatever the
//! count. Where the bytes go (files, atomic replacement) is the caller's
//! business: [`Tables`] writes to any two [`std::io::Write`]rs.

use std::fmt::Write as _;
use std::io::{self, Write};

use spendsense_schema::UserProfile;

/// File name of the users table inside the output directory.
pub const USERS_FILE: &str = "users.csv";
/// File name of the accounts table inside the output directory.
pub const ACCOUNTS_FILE: &str = "accounts.csv";

/// Header of `users.csv`, in the order of the profile's keys.
pub const USER_COLUMNS: [&str; 21] = [
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

/// Groups of a profile whose fields become `users.csv` columns without the
/// group's name: `demographics.age` is `age`, but `identity.address.city` is
/// `address_city`. Every other nesting level joins its keys with `_`.
pub const UNPREFIXED_GROUPS: [&str; 3] = ["demographics", "identity", "characteristics"];

/// The table ([`USERS_FILE`] or [`ACCOUNTS_FILE`]) and column that a profile
/// field becomes, by its JSON path (account fields as `accounts[].…`): the
/// path's keys joined by `_`, without the profile's [`UNPREFIXED_GROUPS`] and
/// without `accounts[]`. `identity.address.city` is `address_city` in
/// `users.csv`; `accounts[].balances.limit` is `balances_limit` in
/// `accounts.csv`.
pub fn column_of(path: &str) -> (&'static str, String) {
    if let Some(account_field) = path.strip_prefix("accounts[].") {
        return (ACCOUNTS_FILE, account_field.replace('.', "_"));
    }
    let unprefixed = UNPREFIXED_GROUPS
        .iter()
        .find_map(|group| path.strip_prefix(group)?.strip_prefix('.'));
    (USERS_FILE, unprefixed.unwrap_or(path).replace('.', "_"))
}

/// Separates the persona ids of `matched_personas` in its one CSV field.
pub const MATCHED_SEPARATOR: char = ';';

/// Writes both tables of profiles to two writers.
#[derive(Debug)]
pub struct Tables<U: Write, A: Write> {
    users: csv::Writer<U>,
    accounts: csv::Writer<A>,
    /// Scratch text for numbers, reused so that a row costs no allocation.
    text: String,
}

impl<U: Write, A: Write> Tables<U, A> {
    /// Starts both tables with their header rows.
    pub fn new(users: U, accounts: A) -> io::Result<Self> {
        let mut tables = Tables {
            users: csv::Writer::from_writer(users),
            accounts: csv::Writer::from_writer(accounts),
            text: String::new(),
        };
        tables.users.write_record(USER_COLUMNS)?;
        tables.accounts.write_record(ACCOUNT_COLUMNS)?;
        Ok(tables)
    }

    /// Appends one profile: a `users` row and one `accounts` row per account.
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
        users.write_field(wire(&traits.income_stability))?;
        users.write_field(wire(&traits.pay_frequency))?;
        users.write_field(number(text, traits.median_pay_gap_days))?;
        users.write_field(number(text, traits.subscription_count_target))?;
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
        Ok(())
    }

    /// Flushes both tables and hands back the writers.
    pub fn finish(self) -> io::Result<(U, A)> {
        let users = self.users.into_inner().map_err(|err| err.into_error())?;
        let accounts = self.accounts.into_inner().map_err(|err| err.into_error())?;
        Ok((users, accounts))
    }
}

/// A number's own text: every digit of a decimal's scale (`1234.50`), no exponent.
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

    fn tables(profiles: &[UserProfile]) -> (String, String) {
        let mut tables = Tables::new(Vec::new(), Vec::new()).unwrap();
        for profile in profiles {
            tables.write(profile).unwrap();
        }
        let (users, accounts) = tables.finish().unwrap();
        (
            String::from_utf8(users).unwrap(),
            String::from_utf8(accounts).unwrap(),
        )
    }

    fn rows(table: &str) -> Vec<csv::StringRecord> {
        csv::Reader::from_reader(table.as_bytes())
            .records()
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn one_user_row_per_profile_and_one_account_row_per_account() {
        for (seed, count) in [(1, 1), (42, 37), (7, 200)] {
            let profiles: Vec<_> = Generator::new(&GeneratorConfig::new(seed, count))
                .unwrap()
                .iter()
                .collect();
            let (users, accounts) = tables(&profiles);
            assert_eq!(users.lines().next().unwrap(), USER_COLUMNS.join(","));
            assert_eq!(accounts.lines().next().unwrap(), ACCOUNT_COLUMNS.join(","));
            let users = rows(&users);
            let accounts = rows(&accounts);
            assert_eq!(users.len(), profiles.len());
            let expected: Vec<(&str, &str)> = profiles
                .iter()
                .flat_map(|p| p.accounts.iter().map(|a| (&*p.user_id, &*a.account_id)))
                .collect();
            let written: Vec<(&str, &str)> = accounts.iter().map(|r| (&r[0], &r[1])).collect();
            assert_eq!(written, expected, "seed {seed}");
        }
    }

    /// A JSON leaf as its CSV field: strings as they are, numbers as their
    /// exact text, null as empty, a list of ids joined by the separator.
    fn field_text(json: &str) -> String {
        match serde_json::from_str::<serde_json::Value>(json).unwrap() {
            serde_json::Value::Null => String::new(),
            serde_json::Value::String(text) => text,
            serde_json::Value::Array(items) => items
                .iter()
                .map(|item| item.as_str().expect("a list of ids").to_string())
                .collect::<Vec<_>>()
                .join(&MATCHED_SEPARATOR.to_string()),
            _ => json.to_string(),
        }
    }

    #[test]
    fn columns_are_the_flattened_fields_of_the_profile_in_order() {
        let profile = crate::model::profile_with_every_field();
        let mut users = Vec::new();
        let mut accounts = vec!["user_id".to_string()];
        for path in crate::model::leaf_paths(&profile) {
            match column_of(&path) {
                (ACCOUNTS_FILE, column) => accounts.push(column),
                (_, column) => users.push(column),
            }
        }
        assert_eq!(
            users, USER_COLUMNS,
            "users.csv columns vs the profile's fields"
        );
        assert_eq!(
            accounts, ACCOUNT_COLUMNS,
            "accounts.csv columns vs the account's fields"
        );
    }

    /// Every field of every row is the profile's own value, looked up by the
    /// column the field's path becomes; absent overlap keys are empty.
    #[test]
    fn every_field_holds_the_profiles_own_value() {
        for (seed, overlap) in [(1, "0"), (9, "1"), (42, "0.5"), (77, "0.2")] {
            let config = GeneratorConfig {
                overlap: spendsense_generator::Overlap::parse(overlap).unwrap(),
                ..GeneratorConfig::new(seed, 60)
            };
            let profiles: Vec<_> = Generator::new(&config).unwrap().iter().collect();
            let (users, accounts) = tables(&profiles);
            let (users, accounts) = (rows(&users), rows(&accounts));
            let mut account_rows = accounts.iter();
            for (profile, user_row) in profiles.iter().zip(&users) {
                let mut written: Vec<(&str, String)> = USER_COLUMNS
                    .iter()
                    .zip(user_row)
                    .map(|(column, field)| (*column, field.to_string()))
                    .collect();
                let mut expected: Vec<(&str, String)> = USER_COLUMNS
                    .iter()
                    .map(|column| (*column, String::new()))
                    .collect();
                let mut account_index = None;
                let mut account_expected: Vec<Vec<String>> = Vec::new();
                for leaf in crate::model::leaves(profile) {
                    let (table, column) = column_of(&leaf.path);
                    let text = field_text(&leaf.json);
                    if table == USERS_FILE {
                        let slot = expected
                            .iter_mut()
                            .find(|(c, _)| *c == column)
                            .unwrap_or_else(|| {
                                panic!(
                                    "field `{}` (column `{column}`) is not in USER_COLUMNS",
                                    leaf.path
                                )
                            });
                        slot.1 = text;
                    } else {
                        if column == "account_id" {
                            account_index = Some(account_expected.len());
                            account_expected.push(vec![profile.user_id.clone()]);
                        }
                        account_expected[account_index.unwrap()].push(text);
                    }
                }
                written.sort();
                expected.sort();
                assert_eq!(written, expected, "{}", profile.user_id);
                for expected in account_expected {
                    let row = account_rows.next().expect("a row per account");
                    let row: Vec<&str> = row.iter().collect();
                    assert_eq!(row, expected, "{}", profile.user_id);
                }
            }
            assert!(account_rows.next().is_none());
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
        let (users, accounts) = tables(std::slice::from_ref(&profile));
        let user = &rows(&users)[0];
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
        let checking = &rows(&accounts)[0];
        assert_eq!(&checking[4], "", "a checking account has no limit");
        assert_eq!(&checking[6], "", "no unofficial currency");
        let current = profile.accounts[0].balances.current.unwrap();
        assert_eq!(checking[3].parse::<Decimal>().unwrap(), current);
        assert_eq!(&checking[3], current.to_string());
        assert_eq!(&checking[10], "depository");
    }

    #[test]
    fn overlap_keys_are_columns() {
        let config = GeneratorConfig {
            overlap: spendsense_generator::Overlap::parse("1").unwrap(),
            ..GeneratorConfig::new(9, 20)
        };
        let profiles: Vec<_> = Generator::new(&config).unwrap().iter().collect();
        let (users, _) = tables(&profiles);
        let users = rows(&users);
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
        let (_, accounts) = tables(std::slice::from_ref(&profile));
        assert!(rows(&accounts).iter().any(|r| &r[11] == "credit card"));
        let json = serde_json::to_value(&profile).unwrap();
        let (users, _) = tables(std::slice::from_ref(&profile));
        let user = &rows(&users)[0];
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
    }
}
