//! Views of SpendSense profiles for other tools.
//!
//! - [`tables`]: the CSV tables (`users`, `accounts` and the plan's lists), joined by `user_id`;
//! - [`ledger`]: a profile's transactions and card liabilities as two more CSV tables;
//! - [`sandbox`]: a profile as a Plaid Sandbox `user_custom` configuration;
//! - [`stats`]: the per-persona statistics `spendsense report` draws, and its tables: every
//!   rule test per window, overlap, coverage of the definition ranges, a per-column field profile.
//!
//! Every view is a pure function of the profiles it is given and writes to
//! any [`std::io::Write`]; files, directories and atomic replacement belong to
//! the caller. Each view names every field of the profile it carries or
//! deliberately leaves out, and tests compare that list with the fields the
//! profile's serde form really has, so a new field cannot be silently missing.
//!
//! # Example
//!
//! ```
//! use spendsense_export::{sandbox, tables::Tables};
//! use spendsense_generator::{Generator, GeneratorConfig};
//!
//! let generator = Generator::new(&GeneratorConfig::new(42, 1))?;
//! let profile = generator.profile(0);
//!
//! let mut tables = Tables::new(std::array::from_fn(|_| Vec::new()))?;
//! tables.write(&profile)?;
//! let [users, accounts, ..] = tables.finish()?;
//! assert!(String::from_utf8(users)?.starts_with("user_id,name,persona,"));
//! assert_eq!(String::from_utf8(accounts)?.lines().count(), 1 + profile.accounts.len());
//!
//! let ledger = generator.ledger(0, &profile);
//! let config = sandbox::user_custom(&profile, &ledger.transactions)?;
//! assert_eq!(config.override_accounts.len(), profile.accounts.len());
//! let listed: usize = config.override_accounts.iter().map(|a| a.transactions.len()).sum();
//! assert_eq!(listed, ledger.transactions.len());
//! assert_eq!(sandbox::file_name(&profile.user_id)?, "user_MASKED_000.json");
//! assert!(sandbox::file_name("../etc/passwd").is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

pub mod columns;
pub mod ledger;
pub mod sandbox;
pub mod stats;
pub mod tables;

use std::fmt;

use rust_decimal::Decimal;
use spendsense_schema::Date;

/// Why a profile cannot be exported.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A `user_id` that could name a path other than its own file (`../x`,
    /// `index`, an empty id), so it cannot be a Sandbox file name.
    UnsafeFileName(String),
    /// A transaction of an account the profile does not have.
    UnknownAccount {
        /// The profile's `user_id`.
        user_id: String,
        /// The transaction's `transaction_id`.
        transaction_id: String,
        /// Its `account_id`.
        account_id: String,
    },
    /// A transaction dated (authorized or posted) outside the
    /// [`sandbox::TRANSACTION_DAYS`] ending at `as_of`, which Plaid's Sandbox
    /// does not serve as dated.
    TransactionOutsideHistory {
        /// The profile's `user_id`.
        user_id: String,
        /// The transaction's `transaction_id`.
        transaction_id: String,
        /// The date outside the window.
        date: Date,
        /// The window's first day.
        from: Date,
        /// The window's last day, the plan's `as_of`.
        as_of: Date,
    },
    /// An amount with more than two decimals, which Plaid's cents cannot hold.
    AmountNotCents {
        /// The profile's `user_id`.
        user_id: String,
        /// The transaction's `transaction_id`.
        transaction_id: String,
        /// The amount.
        amount: Decimal,
    },
    /// No payroll deposit in the [`sandbox::INCOME_DAYS`] ending at `as_of`,
    /// the only days Plaid's Sandbox reads income from.
    NoRecentIncome {
        /// The profile's `user_id`.
        user_id: String,
        /// The latest payroll deposit's posted date, if there is one.
        latest: Option<Date>,
        /// The window's first day.
        from: Date,
        /// The window's last day, the plan's `as_of`.
        as_of: Date,
    },
}

/// Longest piece of input an error message quotes, in characters.
const MAX_QUOTED_CHARS: usize = 200;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Ids come from input files: every one is quoted with `quote`.
            Error::UnsafeFileName(user_id) => write!(
                f,
                "user_id `{}` cannot be a file name; --format plaid-sandbox needs ids of letters, digits, `_`, `-` and `.`",
                quote(user_id)
            ),
            Error::UnknownAccount {
                user_id,
                transaction_id,
                account_id,
            } => write!(
                f,
                "transaction `{}` of user `{}` is on account `{}`, which the profile does not have",
                quote(transaction_id),
                quote(user_id),
                quote(account_id)
            ),
            Error::TransactionOutsideHistory {
                user_id,
                transaction_id,
                date,
                from,
                as_of,
            } => write!(
                f,
                "transaction `{}` of user `{}` is dated {date}; Plaid's Sandbox takes transactions from the 730 days (two years) ending at as_of, {from} to {as_of}",
                quote(transaction_id),
                quote(user_id)
            ),
            Error::AmountNotCents {
                user_id,
                transaction_id,
                amount,
            } => write!(
                f,
                "transaction `{}` of user `{}` has amount {amount}; Plaid's Sandbox takes at most two decimals",
                quote(transaction_id),
                quote(user_id)
            ),
            Error::NoRecentIncome {
                user_id,
                latest,
                from,
                as_of,
            } => {
                let latest = match latest {
                    Some(date) => format!("its latest is dated {date}"),
                    None => "it has none".to_string(),
                };
                write!(
                    f,
                    "user `{}` has no payroll deposit (INCOME_WAGES) from {from} to {as_of}, the 90 days ending at as_of that Plaid's Sandbox reads income from; {latest}",
                    quote(user_id)
                )
            }
        }
    }
}

impl std::error::Error for Error {}

/// Input text as an error message quotes it: escaped and clipped, so it
/// cannot move the cursor or flood a terminal.
fn quote(text: &str) -> String {
    spendsense_schema::text::escape_clipped(text, MAX_QUOTED_CHARS)
}

/// What the views' tests compare against: the fields a profile's serde form
/// really has, so that no view can miss a field the model gains.
#[cfg(test)]
pub(crate) mod model {
    use std::fmt;

    use serde::Serialize;
    use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
    use serde_json::value::RawValue;
    use spendsense_schema::UserProfile;

    /// A profile that sets every field, the optional overlap keys too
    /// (every account key is always present, null or not), with a full plan
    /// whose nullable `savings_transfers` is set.
    pub fn profile_with_every_field() -> UserProfile {
        spendsense_schema::sample::overlap_profile()
    }

    /// One leaf of a profile's JSON form: its dotted path (account fields as
    /// `accounts[].balances.limit`) and its JSON text, numbers exactly as
    /// written (`2000.00`).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Leaf {
        pub path: String,
        pub json: String,
    }

    /// Every leaf of `profile`'s JSON form, in the order serde writes it;
    /// lists of plain values (`matched_personas`) are leaves.
    pub fn leaves(profile: &UserProfile) -> Vec<Leaf> {
        leaves_of(profile)
    }

    /// Every leaf of any value's JSON form, in the order serde writes it.
    pub fn leaves_of(value: &impl Serialize) -> Vec<Leaf> {
        let text = serde_json::to_string(value).expect("plain JSON");
        let mut out = Vec::new();
        collect(&text, "", &mut out);
        out
    }

    /// The leaf paths of `profile`, each once (the accounts share theirs).
    pub fn leaf_paths(profile: &UserProfile) -> Vec<String> {
        paths_of(profile)
    }

    /// The leaf paths of any value, each once (the items of a list share theirs).
    pub fn paths_of(value: &impl Serialize) -> Vec<String> {
        let mut paths: Vec<String> = Vec::new();
        for leaf in leaves_of(value) {
            if !paths.contains(&leaf.path) {
                paths.push(leaf.path);
            }
        }
        paths
    }

    /// A JSON leaf as its CSV field: strings as they are, numbers and
    /// booleans as their exact text, null as empty, a list of ids joined by
    /// the separator.
    pub fn field_text(json: &str) -> String {
        match serde_json::from_str::<serde_json::Value>(json).unwrap() {
            serde_json::Value::Null => String::new(),
            serde_json::Value::String(text) => text,
            serde_json::Value::Array(items) => items
                .iter()
                .map(|item| item.as_str().expect("a list of ids").to_string())
                .collect::<Vec<_>>()
                .join(&crate::tables::MATCHED_SEPARATOR.to_string()),
            _ => json.to_string(),
        }
    }

    fn collect(json: &str, path: &str, out: &mut Vec<Leaf>) {
        let join = |key: &str| match path {
            "" => key.to_string(),
            _ => format!("{path}.{key}"),
        };
        if json.starts_with('{') {
            let fields: OrderedFields = serde_json::from_str(json).expect("an object");
            for (key, value) in fields.0 {
                collect(value.get(), &join(&key), out);
            }
            return;
        }
        if json.starts_with("[{") {
            let items: Vec<Box<RawValue>> = serde_json::from_str(json).expect("an array");
            for item in items {
                collect(item.get(), &format!("{path}[]"), out);
            }
            return;
        }
        out.push(Leaf {
            path: path.to_string(),
            json: json.to_string(),
        });
    }

    /// An object's fields in their written order, values as raw JSON text
    /// (serde_json's `Value` would sort the keys and round the numbers).
    struct OrderedFields(Vec<(String, Box<RawValue>)>);

    impl<'de> Deserialize<'de> for OrderedFields {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Fields;
            impl<'de> Visitor<'de> for Fields {
                type Value = OrderedFields;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a JSON object")
                }
                fn visit_map<M: MapAccess<'de>>(
                    self,
                    mut map: M,
                ) -> Result<OrderedFields, M::Error> {
                    let mut fields = Vec::new();
                    while let Some(entry) = map.next_entry()? {
                        fields.push(entry);
                    }
                    Ok(OrderedFields(fields))
                }
            }
            deserializer.deserialize_map(Fields)
        }
    }
}
