//! Type specs for the readers of a dataset, generated from the model so that
//! DuckDB, Spark, pandas and polars get exact types without guessing: money
//! as DECIMAL(18, 2), dates as DATE, ids, masks and postal codes as text,
//! and typed nulls for columns that happen to be null in every row.
//!
//! - [`json`]: for the JSON and JSONL profile output, the DuckDB `columns`
//!   spec of `read_json` and the Spark schema (a DDL string), both derived
//!   from the profile's JSON Schema;
//! - [`csv_dir`]: for the CSV output, a Frictionless Tabular Data Package
//!   (`datapackage.json`) and DuckDB views (`duckdb.sql`), both derived from
//!   the typed columns of [`crate::columns`], written beside the tables.
//!
//! The specs never list a field by hand; the tests walk the JSON Schema and
//! the column model on their own and compare, so a field added to the model
//! is typed in every spec or fails them.

pub mod csv_dir;
pub mod json;

#[cfg(test)]
mod tests;

use crate::columns::{DECIMAL_PRECISION, DECIMAL_SCALE};

/// DuckDB's and Spark's spelling of the money type, `DECIMAL(18,2)`.
fn decimal_type() -> String {
    format!("DECIMAL({DECIMAL_PRECISION},{DECIMAL_SCALE})")
}

/// The narrowest of 32- and 64-bit integers that holds `min..=max`, as
/// (DuckDB, Spark) type names: every integer of the model fits 32 bits.
fn integer_types(min: i64, max: i64) -> (&'static str, &'static str) {
    if i32::try_from(min).is_ok() && i32::try_from(max).is_ok() {
        ("INTEGER", "INT")
    } else {
        ("BIGINT", "BIGINT")
    }
}

/// `text` as a SQL string literal: single quotes doubled.
fn sql_string(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// `name` as a SQL identifier (DuckDB): always quoted, since the model has
/// keys that are keywords (`type`, `limit`, `date`).
fn sql_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
