//! `spendsense schema`.

use std::io::{self, Write};
use std::process::ExitCode;

use spendsense_sqlite::Dialect;

use crate::Failure;
use crate::args::{SchemaArgs, SchemaFormat};

/// Prints the JSON Schema of one profile, the same bytes as
/// `docs/profile.schema.json`, or the DDL of the tables in a SQL dialect.
pub fn run(SchemaArgs { format }: SchemaArgs) -> Result<ExitCode, Failure> {
    let text = match format {
        SchemaFormat::JsonSchema => spendsense_schema::json_schema::profile_schema_text(),
        SchemaFormat::SqlSqlite => spendsense_sqlite::ddl(Dialect::Sqlite),
        SchemaFormat::SqlPostgres => spendsense_sqlite::ddl(Dialect::Postgres),
    };
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
