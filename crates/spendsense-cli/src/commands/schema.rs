//! `spendsense schema`.

use std::io::{self, Write};
use std::process::ExitCode;

use crate::Failure;
use crate::args::SchemaArgs;

/// Prints the JSON Schema of one profile, the same bytes as `docs/profile.schema.json`.
pub fn run(SchemaArgs {}: SchemaArgs) -> Result<ExitCode, Failure> {
    let text = spendsense_schema::json_schema::profile_schema_text();
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
