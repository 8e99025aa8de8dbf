//! The five profile tables read back from Arrow record batches into
//! [`UserProfile`]s: the inverse of [`TableSet::push_profile`](crate::TableSet::push_profile),
//! for tables that have been through a reader (pyarrow, polars, a Parquet
//! file) and may have been filtered, re-sorted or re-batched on the way.
//!
//! [`read_profiles`] checks the tables' *schemas* first and refuses a batch
//! that lacks a column or holds one with another type ([`SchemaError`]).
//! The [`ProfileRows`] it returns then yields one
//! `Result<UserProfile, RowError>` per users row, in the users table's
//! order, and after them one [`RowError`] per user id that only child tables
//! hold. A [`RowError`] is a finding, not a failure: reading goes on after
//! it, as the JSON readers of `spendsense_schema` go on after a record that
//! is not a profile, and its `path` and `message` are what
//! `spendsense_validate::Validator::push_unreadable` takes.
//!
//! # What is checked where
//!
//! - Columns are found by name, wherever they are; columns the model does
//!   not have are ignored. A column's type must be [`data_type`](crate::data_type)'s,
//!   except that a list column's element may have any name and nullability
//!   (pyarrow calls it `item` and makes it nullable). Nullability in the
//!   schema is not checked: readers often mark every field nullable, so
//!   nulls are judged row by row.
//! - A row is judged by the *model's* types, which is what reading the same
//!   profile from JSON judges: a null where the model has no `Option`, an
//!   enum spelling the model does not know, an integer outside the Rust type
//!   (`age` outside `u8`), a date outside `0001-01-01..=9999-12-31`, an
//!   amount past DECIMAL(18, 2), and a savings-transfer group that is partly
//!   null (all five columns null is no transfers, all five set is
//!   transfers) are row errors. Range rules the model's types do not state
//!   (age 18 to 100, a state code, a four-digit mask) are the validator's, so that its
//!   report is the one it gives for the same dataset as JSON. For the same
//!   reason `mask` and `balances_current`, never null in written tables but
//!   `Option`s in the model, read a null as `None`.
//! - Child rows (accounts, paychecks, recurring charges, cards) join their
//!   profile by `user_id`, each table in its own row order, so any order of
//!   users and of child rows across users reassembles the same profiles.
//! - When two users rows share a `user_id`, both are yielded (finding
//!   duplicates is the validator's business), and every child row of that id
//!   joins the *first*; later ones have no accounts, paychecks, charges or
//!   cards.
//! - Child rows whose `user_id` no users row holds, or is null, are reported
//!   after the users rows: one [`RowError`] per such id (one for all null
//!   ids), with [`RowError::row`] `None`, counting the rows of each table.
//!
//! Rows are numbered from 0 across a table's batches, in the order given.
//!
//! # Example
//!
//! ```
//! use spendsense_arrow::TableSet;
//! use spendsense_arrow::read::read_profiles;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let profile = spendsense_schema::sample::profile();
//! let mut tables = TableSet::new();
//! tables.push_profile(&profile)?;
//! let batches = tables.finish();
//! // One batch per table here; a reader's tables usually come in several.
//! let [users, accounts, paychecks, recurring, cards, ..] =
//!     batches.each_ref().map(std::slice::from_ref);
//! let rows = read_profiles([users, accounts, paychecks, recurring, cards])?;
//! assert_eq!(rows.len(), 1);
//! let profiles: Vec<_> = rows.collect::<Result<_, _>>()?;
//! assert_eq!(profiles, [profile]);
//! # Ok(())
//! # }
//! ```

mod row;
mod user;
mod view;

use std::collections::{HashMap, HashSet};
use std::fmt;

use arrow_array::RecordBatch;
use arrow_schema::DataType;
use spendsense_export::columns::PROFILE_TABLES;
use spendsense_schema::UserProfile;
use spendsense_schema::text::escape_clipped;

use row::Fault;
use view::{Children, TableView};

/// How many child tables a profile has: accounts, paychecks, recurring, cards.
const CHILD_TABLES: usize = PROFILE_TABLES.len() - 1;

/// The longest stretch of input text a message quotes.
const QUOTED: usize = 40;

/// A batch of a profile table that cannot be read as that table: the
/// model's column is not there, is there twice, or has another type. Found
/// before any row is read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemaError {
    /// No column of the batch has the column's name.
    MissingColumn {
        /// The table's name.
        table: &'static str,
        /// The batch, counting from 0 in the order given.
        batch: usize,
        /// The column's name.
        column: &'static str,
        /// Its type, as [`data_type`](crate::data_type) gives it.
        expected: DataType,
    },
    /// Several columns of the batch have the column's name.
    DuplicateColumn {
        /// The table's name.
        table: &'static str,
        /// The batch, counting from 0 in the order given.
        batch: usize,
        /// The column's name.
        column: &'static str,
        /// How many columns have it.
        count: usize,
    },
    /// The column has another type than [`data_type`](crate::data_type)'s.
    WrongType {
        /// The table's name.
        table: &'static str,
        /// The batch, counting from 0 in the order given.
        batch: usize,
        /// The column's name.
        column: &'static str,
        /// The type the batch holds.
        found: DataType,
        /// The type the model's column has.
        expected: DataType,
    },
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchemaError::MissingColumn {
                table,
                batch,
                column,
                expected,
            } => write!(
                f,
                "{table} batch {batch} has no column `{column}`; expected one of type {expected}"
            ),
            SchemaError::DuplicateColumn {
                table,
                batch,
                column,
                count,
            } => write!(
                f,
                "{table} batch {batch} has {count} columns named `{column}`; expected one"
            ),
            SchemaError::WrongType {
                table,
                batch,
                column,
                found,
                expected,
            } => write!(
                f,
                // A found type can hold field names from the input.
                "{table} batch {batch}: column `{column}` is {}; expected {expected}",
                escape_clipped(&found.to_string(), 2 * QUOTED)
            ),
        }
    }
}

impl std::error::Error for SchemaError {}

/// A users row that is not a profile, or child rows that no users row owns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The users row (from 0, across the batches) whose profile this is;
    /// `None` for child rows whose `user_id` no users row holds.
    pub row: Option<usize>,
    /// That row's `user_id` (or the child rows'), as the table holds it;
    /// empty when it is null.
    pub user_id: String,
    /// Where in the profile the bad value belongs, as the JSON readers name
    /// it: `demographics.age`, `accounts[1].balances.current`,
    /// `plan.savings_transfers.amount`. Empty for child rows no users row owns.
    pub path: String,
    /// What is wrong, on one line: the table, row and column, the value
    /// (escaped and clipped) and what is allowed.
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.row {
            Some(row) => write!(f, "users row {row} at {}: {}", self.path, self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for RowError {}

/// The profiles of the five profile tables, one per users row in its
/// order, then one [`RowError`] per `user_id` that only child tables hold;
/// from [`read_profiles`]. See the [module docs](self) for what is checked.
pub struct ProfileRows<'a> {
    users: TableView<'a>,
    children: [Children<'a>; CHILD_TABLES],
    /// The first users row of every non-null `user_id`, which its child rows join.
    owners: HashMap<&'a str, usize>,
    /// Child rows no users row owns, by `user_id` in order of first appearance.
    orphans: Vec<Option<&'a str>>,
    /// The next users row to read.
    next_user: usize,
    /// The next orphan to report, once every users row is read.
    next_orphan: usize,
}

impl fmt::Debug for ProfileRows<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileRows")
            .field("users", &self.users.rows())
            .field("orphans", &self.orphans.len())
            .field("next_user", &self.next_user)
            .field("next_orphan", &self.next_orphan)
            .finish_non_exhaustive()
    }
}

/// Reads the batches of the profile tables, `[users, accounts, paychecks,
/// recurring, cards]` as in [`PROFILE_TABLES`]; an empty slice is an empty
/// table. Every batch's schema is checked first; the first batch that does
/// not fit is refused. Rows are read as the result is iterated.
pub fn read_profiles<'a>(
    tables: [&'a [RecordBatch]; PROFILE_TABLES.len()],
) -> Result<ProfileRows<'a>, SchemaError> {
    ProfileRows::new(tables)
}

impl<'a> ProfileRows<'a> {
    /// [`read_profiles`].
    pub fn new(tables: [&'a [RecordBatch]; PROFILE_TABLES.len()]) -> Result<Self, SchemaError> {
        let [users, accounts, paychecks, recurring, cards] = tables;
        let [
            users_table,
            accounts_table,
            paychecks_table,
            recurring_table,
            cards_table,
        ] = &PROFILE_TABLES;
        let users = TableView::new(users_table, users)?;
        let children = [
            Children::new(TableView::new(accounts_table, accounts)?),
            Children::new(TableView::new(paychecks_table, paychecks)?),
            Children::new(TableView::new(recurring_table, recurring)?),
            Children::new(TableView::new(cards_table, cards)?),
        ];

        let mut owners = HashMap::with_capacity(users.rows());
        for (number, user_id) in users.user_ids().enumerate() {
            if let Some(user_id) = user_id {
                owners.entry(user_id).or_insert(number);
            }
        }
        let orphans = orphans(&children, &owners);
        Ok(ProfileRows {
            users,
            children,
            owners,
            orphans,
            next_user: 0,
            next_orphan: 0,
        })
    }

    /// The profile of users row `number` with the child rows it owns.
    fn profile(&self, number: usize) -> Result<UserProfile, RowError> {
        let Some(row) = self.users.row(number, None) else {
            return Err(RowError {
                row: Some(number),
                user_id: String::new(),
                path: String::new(),
                message: format!("users has no row {number}"),
            });
        };
        // The id first, so that an error names it whatever else is wrong.
        let user_id = row.text_opt("user_id", "user_id").ok().flatten();
        let error = |fault: Fault| RowError {
            row: Some(number),
            user_id: user_id.unwrap_or_default().to_string(),
            path: fault.path,
            message: fault.message,
        };
        let mut profile = user::user(&row).map_err(error)?;
        let Some(user_id) = user_id else {
            return Ok(profile);
        };
        if self.owners.get(user_id) != Some(&number) {
            return Ok(profile);
        }
        let [accounts, paychecks, recurring, cards] = &self.children;
        profile.accounts = accounts
            .read(user_id, "accounts", user::account)
            .map_err(error)?;
        profile.plan.income.paychecks = paychecks
            .read(user_id, "plan.income.paychecks", user::paycheck)
            .map_err(error)?;
        profile.plan.recurring = recurring
            .read(user_id, "plan.recurring", user::recurring)
            .map_err(error)?;
        profile.plan.cards = cards
            .read(user_id, "plan.cards", user::card)
            .map_err(error)?;
        Ok(profile)
    }
}

impl Iterator for ProfileRows<'_> {
    type Item = Result<UserProfile, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.next_user < self.users.rows() {
            let number = self.next_user;
            self.next_user += 1;
            return Some(self.profile(number));
        }
        let orphan = *self.orphans.get(self.next_orphan)?;
        self.next_orphan += 1;
        Some(Err(orphan_error(orphan, &self.children)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (self.users.rows() - self.next_user) + (self.orphans.len() - self.next_orphan);
        (left, Some(left))
    }
}

impl ExactSizeIterator for ProfileRows<'_> {}

/// Every `user_id` of the child tables that `owners` lacks (`None`: null),
/// once, in order of first appearance: accounts' first, then paychecks',
/// and so on.
fn orphans<'a>(
    children: &[Children<'a>; CHILD_TABLES],
    owners: &HashMap<&'a str, usize>,
) -> Vec<Option<&'a str>> {
    let mut seen = HashSet::new();
    children
        .iter()
        .flat_map(|child| child.ids().iter().copied())
        .filter(|user_id| user_id.is_none_or(|id| !owners.contains_key(id)))
        .filter(|user_id| seen.insert(*user_id))
        .collect()
}

/// The error of the child rows of `user_id` that no users row holds.
fn orphan_error(user_id: Option<&str>, children: &[Children<'_>; CHILD_TABLES]) -> RowError {
    let counts: Vec<String> = children
        .iter()
        .filter_map(|child| {
            let count = child.count(user_id);
            let rows = if count == 1 { "row" } else { "rows" };
            (count > 0).then(|| format!("{} has {count} {rows}", child.name()))
        })
        .collect();
    let counts = match counts.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    };
    let message = match user_id {
        Some(user_id) => format!(
            "{counts} for user_id `{}`, which the users table does not hold",
            escape_clipped(user_id, QUOTED)
        ),
        None => format!("{counts} with a null user_id, which no users row can own"),
    };
    RowError {
        row: None,
        user_id: user_id.unwrap_or_default().to_string(),
        path: String::new(),
        message,
    }
}

#[cfg(test)]
mod tests;
