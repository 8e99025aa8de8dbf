//! Tests of the Parquet tables: written from generated profiles and read
//! back with the parquet crate's own Arrow reader.

mod bytes;
mod refused;
mod roundtrip;

use std::ops::Range;

use spendsense_export::columns::{self, LEDGER_TABLES, PROFILE_TABLES, Table};
use spendsense_generator::{Generator, GeneratorConfig, Overlap};
use spendsense_parquet::TableWriter;

/// The seven tables, profile tables first, as `--format parquet` writes them.
pub fn tables() -> impl Iterator<Item = &'static Table> {
    columns::all_tables()
}

/// (seed, users, overlap) of the datasets the properties are checked on.
pub const DATASETS: [(u64, u64, &str); 4] = [
    (42, 1, "0"),
    (7, 37, "0"),
    (2024, 211, "0"),
    (11, 120, "0.5"),
];

/// The generator of a dataset of [`DATASETS`].
pub fn generator((seed, users, overlap): (u64, u64, &str)) -> Generator {
    let mut config = GeneratorConfig::new(seed, users);
    config.overlap = Overlap::parse(overlap).unwrap();
    Generator::new(&config).unwrap()
}

/// Every table's file for profiles `range` of `generator`, each row pushed
/// on its own, in row groups of `row_group_rows`.
pub fn write_tables(
    generator: &Generator,
    range: Range<u64>,
    row_group_rows: usize,
    metadata: &[(&str, &str)],
) -> Vec<Vec<u8>> {
    let mut writers: Vec<TableWriter<Vec<u8>>> = tables()
        .map(|table| {
            TableWriter::with_row_group_rows(table, Vec::new(), metadata, row_group_rows).unwrap()
        })
        .collect();
    let (profile_writers, ledger_writers) = writers.split_at_mut(PROFILE_TABLES.len());
    assert_eq!(ledger_writers.len(), LEDGER_TABLES.len());
    for index in range {
        let profile = generator.profile(index);
        let ledger = generator.ledger(index, &profile);
        columns::profile_rows(&profile, |table, values| {
            profile_writers[table].push(values).unwrap()
        });
        columns::ledger_rows(
            &profile.user_id,
            &ledger.transactions,
            &ledger.liabilities,
            |table, values| ledger_writers[table].push(values).unwrap(),
        );
    }
    let finish = |writer: TableWriter<Vec<u8>>| {
        let (file, size) = writer.finish().unwrap();
        assert_eq!(size, file.len() as u64, "the size finish reports");
        file
    };
    writers.into_iter().map(finish).collect()
}
