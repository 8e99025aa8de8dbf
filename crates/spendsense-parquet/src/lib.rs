//! SpendSense's normalised tables as Parquet files: the columns of
//! [`spendsense_export::columns`] (users, accounts, paychecks, recurring
//! charges, card plans, transactions, card liabilities), one file per table,
//! typed so that readers need no hints.
//!
//! - [`types`] and [`TableBuilder`], re-exported from `spendsense-arrow`:
//!   the Arrow type of every column (money as `Decimal128(18, 2)`, dates as
//!   `Date32`, the narrowest signed integer, text as `Utf8`, persona lists
//!   as `List<Utf8>`), and one table's rows in Arrow column builders, taken
//!   out as a record batch (what worker threads make);
//! - [`TableWriter`]: one table's file on any [`std::io::Write`], in row
//!   groups of [`ROW_GROUP_ROWS`] rows, zstd-compressed, with the caller's
//!   key-value metadata and nothing else that could differ between runs.
//!
//! The crate does no IO beyond the writer it is given and never reads the
//! clock: the same rows and metadata always make the same bytes.
//!
//! # Example
//!
//! ```
//! use spendsense_export::columns::{self, PROFILE_TABLES};
//! use spendsense_parquet::TableWriter;
//!
//! let profile = spendsense_schema::sample::profile();
//! let users = &PROFILE_TABLES[0];
//! let run = r#"{"seed":42}"#;
//! let mut writer = TableWriter::new(users, Vec::new(), &[("spendsense.run", run)])?;
//! let mut pushed = Ok(());
//! columns::profile_rows(&profile, |table, values| {
//!     if table == 0 && pushed.is_ok() {
//!         pushed = writer.push(values);
//!     }
//! });
//! pushed?;
//! let (file, size) = writer.finish()?;
//! assert!(file.starts_with(b"PAR1") && file.ends_with(b"PAR1"));
//! assert_eq!(size, file.len() as u64);
//! # Ok::<(), spendsense_parquet::Error>(())
//! ```
#![deny(missing_docs)]

mod writer;

use std::fmt;
use std::io;

use spendsense_export::columns::Table;

pub use spendsense_arrow::{
    MAX_COLUMNS, TABLE_COUNT, TableBuilder, TableSet, data_type, field, schema, types,
};
pub use writer::{ROW_GROUP_ROWS, TableWriter, ZSTD_LEVEL};

/// The file a table is written to, `<table>.parquet`: `users.parquet`, …
pub fn file_name(table: &Table) -> String {
    format!("{}.parquet", table.name)
}

/// Why a table could not be written: the crate's one error type.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A row that does not fit its table (see [`spendsense_arrow::Error`]).
    Row(spendsense_arrow::Error),
    /// A record batch that is not of the table's schema.
    Schema {
        /// The table's name.
        table: &'static str,
    },
    /// The writer failed; its error as it returned it.
    Io(io::Error),
    /// The Parquet encoder failed.
    Parquet(parquet::errors::ParquetError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Row(err) => err.fmt(f),
            Error::Schema { table } => {
                write!(
                    f,
                    "a record batch that is not of the {table} table's schema"
                )
            }
            Error::Io(err) => err.fmt(f),
            Error::Parquet(err) => write!(f, "cannot encode parquet: {err}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io(err) => err.source(),
            Error::Parquet(err) => Some(err),
            Error::Row(err) => err.source(),
            Error::Schema { .. } => None,
        }
    }
}

impl From<spendsense_arrow::Error> for Error {
    fn from(err: spendsense_arrow::Error) -> Error {
        Error::Row(err)
    }
}

impl From<Error> for io::Error {
    /// The writer's own error as it was; anything else as
    /// [`io::ErrorKind::InvalidData`].
    fn from(err: Error) -> io::Error {
        match err {
            Error::Io(err) => err,
            other => io::Error::new(io::ErrorKind::InvalidData, other),
        }
    }
}
