//! `generate --format parquet` on the real binary: the seven files read
//! back with the parquet crate's Arrow reader hold the CSV output's rows,
//! value for value, with the same bytes on any thread count, the run
//! configuration in their metadata, and refusals of what cannot be written.

use std::fs::{self, File};
use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Decimal128Type, Int8Type, Int16Type, Int32Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use rust_decimal::Decimal;
use spendsense_export::columns::{self, ColumnType};
use spendsense_schema::Date;

use super::{Input, assert_run, check, run_in};

/// The tables, in the order the summary lists their files.
const TABLES: [&str; 7] = [
    "users",
    "accounts",
    "paychecks",
    "recurring",
    "cards",
    "transactions",
    "liabilities",
];

/// `generate ARGS -q` into `dir`, which must succeed.
fn generate(dir: &Path, args: &[&str]) {
    let mut all = vec!["generate", "-q"];
    all.extend(args);
    let run = run_in(dir, &all, Input::Nothing);
    assert_run(&all, &run, 0, "");
}

/// A file's batches and its `spendsense.run` metadata.
fn read(path: &Path) -> (Vec<RecordBatch>, Option<String>) {
    let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap()).unwrap();
    let run = reader
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .and_then(|kv| kv.iter().find(|kv| kv.key == "spendsense.run"))
        .and_then(|kv| kv.value.clone());
    let batches = reader.build().unwrap().map(Result::unwrap).collect();
    (batches, run)
}

const EPOCH: Date = match Date::from_ymd(1970, 1, 1) {
    Some(date) => date,
    None => panic!("a real day"),
};

/// One cell as the CSV writer spells it: decimals as exact values (compared
/// as numbers, since CSV keeps each amount's own scale), the rest as text.
#[derive(Debug, PartialEq)]
enum Cell {
    Amount(Decimal),
    Text(String),
}

fn csv_cell(field: &str, data_type: &DataType) -> Cell {
    match data_type {
        DataType::Decimal128(..) if !field.is_empty() => Cell::Amount(field.parse().unwrap()),
        _ => Cell::Text(field.to_string()),
    }
}

fn parquet_cell(array: &dyn Array, row: usize) -> Cell {
    if array.is_null(row) {
        return Cell::Text(String::new());
    }
    let text = match array.data_type() {
        DataType::Decimal128(_, scale) => {
            let units = array.as_primitive::<Decimal128Type>().value(row);
            return Cell::Amount(Decimal::from_i128_with_scale(
                units,
                (*scale).try_into().unwrap(),
            ));
        }
        DataType::Utf8 => array.as_string::<i32>().value(row).to_string(),
        DataType::Date32 => EPOCH
            .add_days(array.as_primitive::<Date32Type>().value(row))
            .to_string(),
        DataType::Int8 => array.as_primitive::<Int8Type>().value(row).to_string(),
        DataType::Int16 => array.as_primitive::<Int16Type>().value(row).to_string(),
        DataType::Int32 => array.as_primitive::<Int32Type>().value(row).to_string(),
        DataType::Int64 => array.as_primitive::<Int64Type>().value(row).to_string(),
        DataType::Boolean => array.as_boolean().value(row).to_string(),
        DataType::List(_) => {
            let items = array.as_list::<i32>().value(row);
            let items = items.as_string::<i32>();
            let ids: Vec<&str> = (0..items.len()).map(|i| items.value(i)).collect();
            ids.join(";")
        }
        other => panic!("unexpected type {other}"),
    };
    Cell::Text(text)
}

/// Every Parquet table of a run holds the CSV table's header and rows, in
/// order, value for value, for several seeds, sizes and overlap; money
/// columns are DECIMAL(18, 2).
#[test]
fn tables_hold_the_csv_rows() {
    for (seed, users, overlap) in [("3", "1", "0"), ("8", "45", "0"), ("19", "30", "0.4")] {
        let dir = tempfile::tempdir().unwrap();
        let run = ["-n", users, "--seed", seed, "--overlap", overlap];
        generate(
            dir.path(),
            &[&["--format", "parquet", "-o", "pq"], &run[..]].concat(),
        );
        generate(
            dir.path(),
            &[&["--format", "csv", "-o", "csv"], &run[..]].concat(),
        );
        for table in TABLES {
            let what = format!("{table} of seed {seed}, {users} users, overlap {overlap}");
            let model = columns::table(table).unwrap();
            let (batches, _) = read(&dir.path().join("pq").join(format!("{table}.parquet")));
            let mut csv =
                csv::Reader::from_path(dir.path().join("csv").join(format!("{table}.csv")))
                    .unwrap();
            let header: Vec<String> = csv.headers().unwrap().iter().map(String::from).collect();
            let records: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
            let mut rows = 0;
            for batch in &batches {
                let schema = batch.schema();
                let names: Vec<&String> = schema.fields().iter().map(|f| f.name()).collect();
                assert_eq!(names, header.iter().collect::<Vec<_>>(), "{what}");
                for (field, column) in schema.fields().iter().zip(model.columns) {
                    if column.kind == ColumnType::Decimal {
                        assert_eq!(
                            field.data_type(),
                            &DataType::Decimal128(18, 2),
                            "{what}: {}",
                            field.name()
                        );
                    }
                }
                for row in 0..batch.num_rows() {
                    let record = &records[rows + row];
                    for (column, (field, text)) in schema.fields().iter().zip(record).enumerate() {
                        let got = parquet_cell(batch.column(column).as_ref(), row);
                        let want = csv_cell(text, field.data_type());
                        assert_eq!(got, want, "{what}: row {}, {}", rows + row, field.name());
                    }
                }
                rows += batch.num_rows();
            }
            assert_eq!(rows, records.len(), "{what}");
        }
    }
}

/// Every file of `dir`, by name.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().into_string().unwrap(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// `-j 1` and `-j 3` write the same bytes, over several batches of profiles,
/// and exactly the seven files and the manifest.
#[test]
fn same_bytes_with_one_or_three_threads() {
    let dir = tempfile::tempdir().unwrap();
    let common = ["--format", "parquet", "-n", "400", "--seed", "5"];
    generate(
        dir.path(),
        &[&common[..], &["-j", "1", "-o", "one"]].concat(),
    );
    generate(
        dir.path(),
        &[&common[..], &["-j", "3", "-o", "three"]].concat(),
    );
    let (one, three) = (
        files(&dir.path().join("one")),
        files(&dir.path().join("three")),
    );
    let names: Vec<&str> = one.iter().map(|(name, _)| name.as_str()).collect();
    // The tables and the run's manifest, which lists them.
    let mut expected: Vec<String> = TABLES.iter().map(|t| format!("{t}.parquet")).collect();
    expected.push("manifest.json".into());
    expected.sort();
    assert_eq!(names, expected);
    assert!(one == three, "the files differ between -j 1 and -j 3");
}

/// Every file carries the run configuration, which names the run exactly:
/// the fingerprint `spendsense fingerprint` prints, and the profiles of a shard.
#[test]
fn every_file_carries_the_run_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let seed = "18446744073709551615";
    let args = [
        "--format",
        "parquet",
        "-n",
        "12",
        "--seed",
        seed,
        "--mix",
        "control=1,savings_builder=3",
        "--overlap",
        "0.25",
        "--as-of",
        "2025-06-30",
        "--shard",
        "2/3",
        "-o",
        "out",
    ];
    generate(dir.path(), &args);
    let fingerprint = check(&["fingerprint"], Input::Nothing, 0, "").stdout;
    for table in TABLES {
        let (_, run) = read(&dir.path().join("out").join(format!("{table}.parquet")));
        let run: serde_json::Value = serde_json::from_str(&run.expect("spendsense.run")).unwrap();
        assert_eq!(run["seed_string"], seed, "{table}");
        assert_eq!(run["seed"].as_u64(), Some(u64::MAX), "{table}");
        assert_eq!(run["count"], 12, "{table}");
        assert_eq!(run["overlap"], "0.25", "{table}");
        assert_eq!(run["as_of"], "2025-06-30", "{table}");
        assert_eq!(
            run["profiles"],
            serde_json::json!({"start": 4, "end": 8}),
            "{table}"
        );
        let mix = run["mix"].as_str().unwrap();
        assert!(
            mix.contains("savings_builder") && mix.contains("control"),
            "{mix}"
        );
        assert_eq!(
            run["fingerprint"].as_str().unwrap(),
            fingerprint.trim(),
            "{table}"
        );
    }
}

/// The shards' users tables hold, in order, the rows of the unsharded one,
/// and the summary names the format and the files (the in-process tests
/// check its byte count against the files).
#[test]
fn shards_split_the_rows_and_the_summary_names_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let all = run_in(
        dir.path(),
        &["generate", "--format", "parquet", "-n", "9", "-o", "all"],
        Input::Nothing,
    );
    assert_eq!(all.code, 0, "{}", all.stderr);
    assert!(
        all.stderr.starts_with("wrote 9 profiles (")
            && all
                .stderr
                .contains(" KiB, parquet) to all (users.parquet, accounts.parquet, "),
        "{}",
        all.stderr
    );
    let ids = |dir: &str| -> Vec<String> {
        let (batches, _) = read(&Path::new(dir).join("users.parquet"));
        batches
            .iter()
            .flat_map(|b| {
                let ids = b.column(0).as_string::<i32>();
                (0..ids.len())
                    .map(|i| ids.value(i).to_string())
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let mut sharded = Vec::new();
    for k in 1..=2 {
        let out = format!("shard{k}");
        generate(
            dir.path(),
            &[
                "--format",
                "parquet",
                "-n",
                "9",
                "--shard",
                &format!("{k}/2"),
                "-o",
                &out,
            ],
        );
        sharded.extend(ids(dir.path().join(out).to_str().unwrap()));
    }
    assert_eq!(sharded, ids(dir.path().join("all").to_str().unwrap()));
}

/// What `--format parquet` cannot do is refused with one line, exit 2,
/// before anything is written.
#[test]
fn refusals_name_the_problem() {
    let cases: [(&[&str], &str); 3] = [
        (
            &["generate", "--format", "parquet"],
            "--format parquet writes 7 files (users.parquet, ",
        ),
        (
            &["generate", "--format", "parquet", "-o", "-"],
            "not stdout; give a directory with -o DIR",
        ),
        (
            &[
                "generate",
                "--format",
                "parquet",
                "-o",
                "out",
                "--transactions",
                "tx.jsonl",
            ],
            "it is not available with --format parquet",
        ),
    ];
    for (args, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        let run = run_in(dir.path(), args, Input::Nothing);
        assert_run(args, &run, 2, expected);
        assert!(
            !dir.path().join("out").exists(),
            "{args:?} wrote a directory"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("file"), "").unwrap();
    let args = ["generate", "--format", "parquet", "-o", "file"];
    let run = run_in(dir.path(), &args, Input::Nothing);
    assert_run(
        &args,
        &run,
        2,
        "file is not one; give a directory with -o DIR",
    );
}
