//! `spendsense._native`: the extension module of the `spendsense` Python
//! package (`python/spendsense`), a thin layer over the library crates.
//!
//! It generates a run's slice as one list of Arrow record batches per
//! table, handed to pyarrow through the C data interface. Generation runs
//! with the interpreter released, on worker threads that each build whole
//! batches of profiles, so the batches, and every value in them, are the
//! same on any number of threads and equal to the CLI's Parquet tables.
//! Every error reaches Python as a `ValueError` with the library's message.

mod validate;

use std::ops::Range;
use std::path::PathBuf;

use arrow_array::RecordBatch;
use arrow_pyarrow::{PyArrowType, ToPyArrow};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use spendsense_arrow::{TABLE_COUNT, TableSet};
use spendsense_export::columns::PROFILE_TABLES;
use spendsense_generator::{
    DEFAULT_AS_OF, Generator, GeneratorConfig, MAX_COUNT, Mix, Overlap, Shard,
};
use spendsense_personas::Personas;

/// Profiles per record batch: with their ledgers about 1.3 million
/// transaction rows, large enough that per-batch costs vanish.
const BATCH: u64 = 8_192;

/// One batch of every table.
type Batches = [RecordBatch; TABLE_COUNT];

/// A table as Python receives it: its name, pyarrow schema and batches.
type PyTable<'py> = (String, Bound<'py, PyAny>, Vec<Bound<'py, PyAny>>);

pub(crate) fn invalid(err: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(err.to_string())
}

/// The definitions of a persona document (JSON), checked as the CLI checks
/// a `--personas` file; the built-in ones for `None`.
fn personas(text: Option<&str>) -> PyResult<Personas> {
    match text {
        Some(text) => Personas::from_json(text).map_err(invalid),
        None => Ok(Personas::spendsense()),
    }
}

/// The run a call describes, checked as the CLI checks it.
fn generator(
    count: u64,
    seed: u64,
    mix: Option<&str>,
    overlap: Option<&str>,
    as_of: Option<&str>,
    personas: Option<&str>,
) -> PyResult<Generator> {
    let personas = self::personas(personas)?;
    let config = GeneratorConfig {
        seed,
        count,
        personas,
        mix: mix
            .map(Mix::parse)
            .transpose()
            .map_err(invalid)?
            .unwrap_or_default(),
        overlap: overlap
            .map(Overlap::parse)
            .transpose()
            .map_err(invalid)?
            .unwrap_or_default(),
        as_of: match as_of {
            Some(text) => text.parse().map_err(invalid)?,
            None => DEFAULT_AS_OF,
        },
    };
    Generator::new(&config).map_err(invalid)
}

/// Profiles `range` (and with `ledgers` their transactions and card
/// liabilities) as one record batch per table.
fn build(generator: &Generator, range: Range<u64>, ledgers: bool) -> Result<Batches, String> {
    let mut tables = TableSet::new();
    // Each profile and ledger is built over the last one's allocations.
    let (mut profile, mut ledger) = (None, None);
    for index in range {
        let profile = match &mut profile {
            Some(profile) => {
                generator.profile_into(index, profile);
                profile
            }
            None => profile.insert(generator.profile(index)),
        };
        tables.push_profile(profile).map_err(|e| e.to_string())?;
        if ledgers {
            let ledger = match &mut ledger {
                Some(ledger) => {
                    generator.ledger_into(index, profile, ledger);
                    ledger
                }
                None => ledger.insert(generator.ledger(index, profile)),
            };
            tables
                .push_ledger(&profile.user_id, &ledger.transactions, &ledger.liabilities)
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(tables.finish())
}

/// Every batch of `range`, in order, built on `threads` workers that take
/// batches round-robin.
fn build_all(
    generator: &Generator,
    range: Range<u64>,
    ledgers: bool,
    threads: usize,
) -> Result<Vec<Batches>, String> {
    let batches = (range.end - range.start).div_ceil(BATCH);
    let batch = |number: u64| {
        let start = range.start + number * BATCH;
        start..(start + BATCH).min(range.end)
    };
    let threads = threads.clamp(1, batches.max(1) as usize);
    let built: Vec<Vec<(u64, Result<Batches, String>)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads as u64)
            .map(|worker| {
                let batch = &batch;
                scope.spawn(move || {
                    (worker..batches)
                        .step_by(threads)
                        .map(|number| (number, build(generator, batch(number), ledgers)))
                        .collect()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p))
            })
            .collect()
    });
    let mut all: Vec<(u64, Result<Batches, String>)> = built.into_iter().flatten().collect();
    all.sort_by_key(|(number, _)| *number);
    all.into_iter().map(|(_, batches)| batches).collect()
}

/// Generates profiles `start..end` of the run of `count` profiles of
/// `seed` and returns `[(table, schema, [batch, ...]), ...]` for the seven
/// tables in model order; the ledger tables are empty unless `ledgers`.
#[pyfunction]
#[pyo3(signature = (count, seed, start, end, mix=None, overlap=None, as_of=None, personas=None, ledgers=false, threads=1))]
#[allow(clippy::too_many_arguments)]
fn generate_tables<'py>(
    py: Python<'py>,
    count: u64,
    seed: u64,
    start: u64,
    end: u64,
    mix: Option<&str>,
    overlap: Option<&str>,
    as_of: Option<&str>,
    personas: Option<&str>,
    ledgers: bool,
    threads: usize,
) -> PyResult<Vec<PyTable<'py>>> {
    if count == 0 || count > MAX_COUNT {
        return Err(invalid(format!(
            "count {count} is not allowed; use a whole number from 1 to {MAX_COUNT}"
        )));
    }
    if start > end || end > count {
        return Err(invalid(format!(
            "start {start} and end {end} are not a slice of a run of {count} profiles; use 0 <= start <= end <= count"
        )));
    }
    let generator = generator(count, seed, mix, overlap, as_of, personas)?;
    let built = py
        .detach(|| build_all(&generator, start..end, ledgers, threads))
        .map_err(invalid)?;
    let mut tables = Vec::with_capacity(TABLE_COUNT);
    for (at, table) in TableSet::tables().enumerate() {
        let schema = spendsense_arrow::schema(table).to_pyarrow(py)?;
        let batches = built
            .iter()
            .map(|batches| batches[at].to_pyarrow(py))
            .collect::<PyResult<Vec<_>>>()?;
        tables.push((table.name.to_string(), schema, batches));
    }
    Ok(tables)
}

/// The fingerprint of `personas` (JSON; the built-in definitions when
/// `None`) and of the generator's algorithm, as `spendsense fingerprint`.
#[pyfunction]
#[pyo3(signature = (personas=None))]
fn fingerprint(personas: Option<&str>) -> PyResult<String> {
    Ok(generator(1, 0, None, None, None, personas)?.fingerprint())
}

/// A persona document (JSON; the built-in definitions when `None`) checked
/// and written out again in the form `spendsense personas --format json` prints.
#[pyfunction]
#[pyo3(signature = (personas=None))]
fn personas_json(personas: Option<&str>) -> PyResult<String> {
    serde_json::to_string_pretty(&self::personas(personas)?).map_err(invalid)
}

/// The ids of the personas of a document, in priority order.
#[pyfunction]
#[pyo3(signature = (personas=None))]
fn persona_ids(personas: Option<&str>) -> PyResult<Vec<&'static str>> {
    Ok(self::personas(personas)?
        .definitions
        .iter()
        .map(|definition| definition.id.as_str())
        .collect())
}

/// Validates the JSON or JSON Lines file at `path` as `spendsense validate
/// --no-manifest` does; returns the text report, the JSON report and whether
/// every rule holds.
#[pyfunction]
#[pyo3(signature = (path, personas=None, mix=None, quotas="shares"))]
fn validate_path(
    py: Python<'_>,
    path: PathBuf,
    personas: Option<&str>,
    mix: Option<&str>,
    quotas: &str,
) -> PyResult<(String, String, bool)> {
    let rules = validate::Rules::new(personas, mix, quotas)?;
    let report = py
        .detach(|| validate::path(&rules, &path))
        .map_err(invalid)?;
    validate::reported(
        report,
        &spendsense_schema::text::escape(&path.display().to_string()),
    )
}

/// Validates the five profile tables (`[[batch, ...], ...]` in
/// `profile_tables()` order) as `validate_path` validates a file of the same
/// profiles.
#[pyfunction]
#[pyo3(signature = (tables, personas=None, mix=None, quotas="shares"))]
fn validate_tables(
    py: Python<'_>,
    tables: Vec<Vec<PyArrowType<RecordBatch>>>,
    personas: Option<&str>,
    mix: Option<&str>,
    quotas: &str,
) -> PyResult<(String, String, bool)> {
    let rules = validate::Rules::new(personas, mix, quotas)?;
    let tables: Vec<Vec<RecordBatch>> = tables
        .into_iter()
        .map(|batches| batches.into_iter().map(|batch| batch.0).collect())
        .collect();
    let [users, accounts, paychecks, recurring, cards] = tables.as_slice() else {
        return Err(invalid(format!(
            "{} tables given; validate takes the five profile tables",
            tables.len()
        )));
    };
    let report = py
        .detach(|| validate::tables(&rules, [users, accounts, paychecks, recurring, cards]))
        .map_err(invalid)?;
    validate::reported(report, "the tables")
}

/// Profiles `(start, end)` of shard `shard` of `shards` of a run of
/// `count`, as the CLI's `--shard shard/shards` slices it.
#[pyfunction]
fn shard_range(count: u64, shard: u64, shards: u64) -> PyResult<(u64, u64)> {
    let shard: Shard = format!("{shard}/{shards}").parse().map_err(invalid)?;
    let range = shard.range(count);
    Ok((range.start, range.end))
}

/// The pyarrow schema of table `name`, as the CLI's Parquet file has it.
#[pyfunction]
fn table_schema<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    let table = TableSet::tables()
        .find(|table| table.name == name)
        .ok_or_else(|| {
            let names: Vec<&str> = TableSet::tables().map(|table| table.name).collect();
            invalid(format!(
                "unknown table {:?}; the tables are {}",
                spendsense_schema::text::escape_clipped(name, 40),
                names.join(", ")
            ))
        })?;
    spendsense_arrow::schema(table).to_pyarrow(py)
}

/// The names of the profile tables, the ones without transactions.
#[pyfunction]
fn profile_tables() -> Vec<&'static str> {
    PROFILE_TABLES.iter().map(|table| table.name).collect()
}

#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(generate_tables, module)?)?;
    module.add_function(wrap_pyfunction!(fingerprint, module)?)?;
    module.add_function(wrap_pyfunction!(personas_json, module)?)?;
    module.add_function(wrap_pyfunction!(persona_ids, module)?)?;
    module.add_function(wrap_pyfunction!(validate_path, module)?)?;
    module.add_function(wrap_pyfunction!(validate_tables, module)?)?;
    module.add_function(wrap_pyfunction!(shard_range, module)?)?;
    module.add_function(wrap_pyfunction!(table_schema, module)?)?;
    module.add_function(wrap_pyfunction!(profile_tables, module)?)?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
