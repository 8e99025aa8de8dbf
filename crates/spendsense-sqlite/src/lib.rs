//! SpendSense datasets as SQL: the seven tables of `--format csv` (users,
//! accounts, paychecks, recurring, cards, transactions, liabilities) as
//! SQLite and Postgres DDL generated from the typed column model
//! ([`spendsense_export::columns`]), and a [`Loader`] that inserts
//! profiles' and ledgers' rows into a SQLite database.
//!
//! SQLite has no exact decimal type, so in SQLite an amount is an
//! `INTEGER` of cents in a column named `<column>_cents` (`sum` is then
//! exact); dates are `YYYY-MM-DD` text, booleans 0 or 1, and every table is
//! `STRICT` with a `CHECK` per constraint of its columns' types. Postgres
//! keeps the CSV's column names with `NUMERIC(18,2)`, `DATE` and
//! `BOOLEAN`. `docs/sql.md` describes both.
//!
//! The crate does no file IO: the caller opens the [`rusqlite::Connection`]
//! (on a file, or in memory) and closes it.
//!
//! # Example
//!
//! ```
//! use spendsense_sqlite::{Loader, rusqlite::Connection};
//!
//! let profile = spendsense_schema::sample::profile();
//! let connection = Connection::open_in_memory()?;
//! let mut loader = Loader::new(&connection)?;
//! loader.profile(&profile)?;
//! loader.finish(&[("seed", "42")])?;
//!
//! let income: i64 = connection.query_row(
//!     "SELECT annual_income_cents FROM users WHERE user_id = ?1",
//!     [&profile.user_id],
//!     |row| row.get(0),
//! )?;
//! assert_eq!(income, spendsense_sqlite::cents(profile.annual_income)?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![deny(missing_docs)]

mod ddl;
mod load;

use std::fmt;

pub use ddl::{Dialect, MAX_CENTS, RUN_TABLE, column_name, create_table, ddl};
pub use load::{APPLICATION_ID, LAYOUT_VERSION, Loader, cents};
/// The SQLite binding the [`Loader`] takes its connection from.
pub use rusqlite;

/// Why rows could not be loaded.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// SQLite refused a statement.
    Sqlite(rusqlite::Error),
    /// An amount with a fraction of a cent, or past `DECIMAL(18, 2)`.
    Amount(rust_decimal::Decimal),
    /// A row whose foreign key has no parent row.
    ForeignKey {
        /// The referring table.
        table: String,
        /// Its `rowid`.
        row: i64,
        /// The table referred to.
        parent: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Sqlite(err) => write!(f, "sqlite: {err}"),
            Error::Amount(amount) => write!(
                f,
                "amount {amount} cannot be stored as whole cents; amounts have at most 2 decimals and 16 digits before the point"
            ),
            Error::ForeignKey { table, row, parent } => write!(
                f,
                "row {row} of table {table} refers to a row of {parent} that does not exist"
            ),
        }
    }
}

/// No `source`: the message already carries SQLite's, whose own source
/// repeats it with a number (`Error code 778: disk I/O error`).
impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Self {
        Error::Sqlite(err)
    }
}
