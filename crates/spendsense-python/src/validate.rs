//! `spendsense.validate`: a dataset checked with the CLI's validator, its
//! report returned as the CLI prints it (text) and as `--report json` does.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use arrow_array::RecordBatch;
use pyo3::prelude::*;
use spendsense_arrow::read_profiles;
use spendsense_generator::NameIndex;
use spendsense_personas::{Mix, Personas};
use spendsense_schema::{Error as SchemaError, ProfileFormat, read_located_profiles};
use spendsense_validate::{NameKeys, Quotas, Report, Validator};

use crate::invalid;

/// The rules a dataset is checked against: definitions, mix and quotas.
pub(crate) struct Rules {
    personas: Personas,
    mix: Mix,
    quotas: Quotas,
    names: GeneratedNames,
}

/// The generator's names of seed 0 as the validator's [`NameKeys`], one bit
/// per generated name, as the CLI checks a dataset without a manifest (its
/// `RunNames`), so duplicates are found, and listed, exactly as it lists them.
struct GeneratedNames(NameIndex);

impl NameKeys for GeneratedNames {
    fn key(&self, name: &str) -> Option<u64> {
        self.0.index_of(name)
    }
}

impl Rules {
    pub(crate) fn new(personas: Option<&str>, mix: Option<&str>, quotas: &str) -> PyResult<Rules> {
        let quotas = match quotas {
            "shares" => Quotas::Shares,
            "prefix" => Quotas::Prefix,
            "off" => Quotas::Off,
            other => {
                return Err(invalid(format!(
                    "quotas {:?} is not allowed; use \"shares\", \"prefix\" or \"off\"",
                    spendsense_schema::text::escape_clipped(other, 40)
                )));
            }
        };
        Ok(Rules {
            personas: crate::personas(personas)?,
            mix: mix
                .map(Mix::parse)
                .transpose()
                .map_err(invalid)?
                .unwrap_or_default(),
            quotas,
            names: GeneratedNames(NameIndex::new(0)),
        })
    }

    pub(crate) fn validator(&self) -> Validator<'_> {
        Validator::with_mix(&self.personas, self.mix)
            .with_quotas(self.quotas)
            .with_names(&self.names)
    }
}

/// The report as text and as JSON, or the CLI's refusal of an empty dataset.
pub(crate) fn reported(report: Report, name: &str) -> PyResult<(String, String, bool)> {
    if report.total == 0 {
        return Err(invalid(format!(
            "{name} holds no profiles; expected at least one"
        )));
    }
    let json = serde_json::to_string(&report).map_err(invalid)?;
    Ok((report.to_string(), json, report.is_valid()))
}

/// Checks the JSON or JSON Lines file at `path`, told apart as the CLI
/// tells them (by extension, then by the first byte), as
/// `spendsense validate --no-manifest` does.
pub(crate) fn path(rules: &Rules, path: &Path) -> Result<Report, String> {
    let name = spendsense_schema::text::escape(&path.display().to_string()).into_owned();
    if path.is_dir() {
        return Err(format!(
            "{name} is a directory; give a .json or .jsonl file"
        ));
    }
    let file = File::open(path).map_err(|err| format!("cannot open {name}: {err}"))?;
    let mut input = BufReader::with_capacity(1 << 20, file);
    let format = ProfileFormat::detect(Some(path), &mut input).map_err(|err| match err {
        SchemaError::EmptyInput => {
            format!("{name} is empty; expected a JSON array or JSON Lines of profiles")
        }
        SchemaError::UnknownContent { byte } => format!(
            "{name} starts with byte 0x{byte:02x}, not `[` (JSON array) or `{{` (JSON Lines)"
        ),
        SchemaError::Io(err) => format!("cannot read {name}: {err}"),
        other => format!("cannot tell the format of {name}: {other}"),
    })?;
    let mut validator = rules.validator();
    let checker = validator.checker();
    read_located_profiles(&mut input, format, |at, record| match record {
        Ok(profile) => validator.push_checked(&checker.check(&profile, at.line)),
        Err(err) => validator.push_unreadable(err.location.line, &err.path, err.message),
    })
    .map_err(|err| match err {
        SchemaError::Io(err) => format!("cannot read {name}: {err}"),
        other => format!("{name} is not a valid {format} profile dataset: {other}"),
    })?;
    Ok(validator.finish())
}

/// Checks profiles read back from the five profile tables, in the users
/// table's order: a row that is not a profile is an unreadable record, as a
/// JSON record that is not one is, and so is a user id only child tables hold.
pub(crate) fn tables(rules: &Rules, tables: [&[RecordBatch]; 5]) -> Result<Report, String> {
    let rows = read_profiles(tables).map_err(|err| format!("the tables cannot be read: {err}"))?;
    let mut validator = rules.validator();
    let checker = validator.checker();
    for row in rows {
        match row {
            Ok(profile) => validator.push_checked(&checker.check(&profile, None)),
            Err(err) => validator.push_unreadable(None, &err.path, err.message),
        }
    }
    Ok(validator.finish())
}
