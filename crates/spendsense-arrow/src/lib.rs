//! SpendSense's normalised tables as Arrow record batches: the columns of
//! [`spendsense_export::columns`] (users, accounts, paychecks, recurring
//! charges, card plans, transactions, card liabilities), typed so that
//! readers need no hints, and with no file format attached: the Parquet
//! writer of `spendsense-parquet` and the Python package build on it.
//!
//! - [`types`]: the Arrow type of every [`ColumnType`](spendsense_export::columns::ColumnType)
//!   (money as `Decimal128(18, 2)`, dates as `Date32`, the narrowest signed
//!   integer, text as `Utf8`, persona lists as `List<Utf8>`) and a table's schema;
//! - [`TableBuilder`]: one table's rows in Arrow column builders, taken out
//!   as a record batch;
//! - [`TableSet`]: the builders of all seven tables, filled a profile and a
//!   ledger at a time (what worker threads make);
//! - [`read`]: the five profile tables read back from record batches into
//!   profiles ([`read_profiles`]), by column name and `user_id`, with a
//!   [`RowError`] per users row that is not a profile (what the Python
//!   package validates pyarrow tables with).
//!
//! The crate does no IO and never reads the clock.
//!
//! # Example
//!
//! ```
//! use spendsense_arrow::TableBuilder;
//! use spendsense_export::columns::{self, PROFILE_TABLES};
//!
//! let profile = spendsense_schema::sample::profile();
//! let mut users = TableBuilder::new(&PROFILE_TABLES[0]);
//! let mut pushed = Ok(());
//! columns::profile_rows(&profile, |table, values| {
//!     if table == 0 && pushed.is_ok() {
//!         pushed = users.push(values);
//!     }
//! });
//! pushed?;
//! let batch = users.finish();
//! assert_eq!(batch.num_rows(), 1);
//! assert_eq!(batch.schema().field(0).name(), "user_id");
//! # Ok::<(), spendsense_arrow::Error>(())
//! ```
#![deny(missing_docs)]

mod builder;
pub mod read;
mod tables;
pub mod types;

use std::fmt;

pub use builder::{MAX_COLUMNS, TableBuilder};
pub use read::{ProfileRows, RowError, SchemaError, read_profiles};
pub use tables::{TABLE_COUNT, TableSet};
pub use types::{data_type, field, schema};

/// A row that does not fit its table: the crate's one error type.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A value that does not fit its column: the wrong kind, a null where the
    /// model allows none, an integer outside the column's range, an amount
    /// that DECIMAL(18, 2) cannot hold exactly.
    Value {
        /// The table's name.
        table: &'static str,
        /// The column's name.
        column: &'static str,
        /// What is wrong, with the value.
        problem: String,
    },
    /// A row without exactly one value per column.
    RowWidth {
        /// The table's name.
        table: &'static str,
        /// Its number of columns.
        expected: usize,
        /// The number of values given.
        found: usize,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Value {
                table,
                column,
                problem,
            } => write!(f, "{table}.{column}: {problem}"),
            Error::RowWidth {
                table,
                expected,
                found,
            } => write!(
                f,
                "a {table} row has {found} values; the table has {expected} columns"
            ),
        }
    }
}

impl std::error::Error for Error {}
