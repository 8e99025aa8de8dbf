//! The same rows and metadata make the same bytes, however the rows were
//! batched, and the file carries the caller's metadata and nothing that
//! could change from one run to the next.

use bytes::Bytes;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use spendsense_export::columns::{self, PROFILE_TABLES};
use spendsense_parquet::{TableBuilder, TableWriter};

use crate::{DATASETS, generator, tables, write_tables};

const RUN: &str = r#"{"seed":7,"count":37}"#;

#[test]
fn same_rows_same_bytes() {
    for dataset in DATASETS {
        let generator = generator(dataset);
        let metadata = [("spendsense.run", RUN)];
        let first = write_tables(&generator, 0..dataset.1, 64, &metadata);
        let second = write_tables(&generator, 0..dataset.1, 64, &metadata);
        assert!(first == second, "{dataset:?}");
        // And the bytes follow the rows: another seed's files differ.
        let other = write_tables(
            &crate::generator((dataset.0 + 1, dataset.1, dataset.2)),
            0..dataset.1,
            64,
            &metadata,
        );
        for (table, (a, b)) in tables().zip(first.iter().zip(&other)) {
            assert_ne!(a, b, "{} of {dataset:?}", table.name);
        }
    }
}

/// Rows pushed one at a time and rows written as batches of any size (as
/// worker threads make them) give the same file: row groups are cut by row
/// count alone.
#[test]
fn bytes_do_not_depend_on_batching() {
    let generator = generator(DATASETS[2]);
    let count = DATASETS[2].1;
    let users = &PROFILE_TABLES[0];
    let accounts = &PROFILE_TABLES[1];
    for table in [users, accounts] {
        let index = PROFILE_TABLES.iter().position(|t| t == table).unwrap();
        let pushed = &write_tables(&generator, 0..count, 40, &[])[index];
        for batch_profiles in [1, 3, 17, 500] {
            let mut writer = TableWriter::with_row_group_rows(table, Vec::new(), &[], 40).unwrap();
            let mut builder = TableBuilder::new(table);
            for start in (0..count).step_by(batch_profiles) {
                for i in start..(start + batch_profiles as u64).min(count) {
                    let profile = generator.profile(i);
                    columns::profile_rows(&profile, |t, values| {
                        if t == index {
                            builder.push(values).unwrap();
                        }
                    });
                }
                writer.write(&builder.finish()).unwrap();
            }
            let (batched, size) = writer.finish().unwrap();
            assert_eq!(size, batched.len() as u64);
            assert!(
                &batched == pushed,
                "{} in batches of {batch_profiles} profiles",
                table.name
            );
        }
    }
}

/// The footer's key-value metadata is the caller's, in order, after the
/// Arrow schema the writer embeds; `created_by` names the encoder's version
/// only.
#[test]
fn metadata_is_the_callers_and_nothing_else() {
    let generator = generator(DATASETS[1]);
    let metadata = [("spendsense.run", RUN), ("note", "second")];
    let files = write_tables(&generator, 0..5, 1_000, &metadata);
    for (table, file) in tables().zip(&files) {
        let reader =
            ParquetRecordBatchReaderBuilder::try_new(Bytes::copy_from_slice(file)).unwrap();
        let meta = reader.metadata().file_metadata();
        let pairs: Vec<(&str, Option<&str>)> = meta
            .key_value_metadata()
            .unwrap()
            .iter()
            .map(|kv| (kv.key.as_str(), kv.value.as_deref()))
            .collect();
        let keys: Vec<&str> = pairs.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            keys,
            ["spendsense.run", "note", "ARROW:schema"],
            "{}",
            table.name
        );
        assert_eq!(pairs[0].1, Some(RUN));
        assert_eq!(pairs[1].1, Some("second"));
        let created_by = meta.created_by().unwrap();
        assert!(
            created_by.starts_with("parquet-rs version "),
            "{created_by}"
        );
        assert!(!created_by.contains(':'), "no time in {created_by}");
    }
}
