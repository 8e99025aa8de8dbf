//! Every value read back with the parquet crate's Arrow reader equals the
//! profile's, with the types of `spendsense_parquet::types`, with or
//! without the Arrow schema the writer embeds.

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Decimal128Type, Int8Type, Int16Type, Int32Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, SchemaRef};
use bytes::Bytes;
use parquet::arrow::arrow_reader::{ArrowReaderOptions, ParquetRecordBatchReaderBuilder};
use parquet::basic::{LogicalType, Type as PhysicalType};
use rust_decimal::Decimal;
use spendsense_export::columns::{self, ColumnType, Value};
use spendsense_schema::Date;

use crate::{DATASETS, generator, tables, write_tables};

/// One cell as read back, or as the model has it.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Null,
    Text(String),
    Decimal(Decimal),
    Date(Date),
    Integer(i64),
    Boolean(bool),
    List(Vec<String>),
}

fn expected(value: &Value<'_>) -> Cell {
    match *value {
        Value::Null => Cell::Null,
        Value::Text(text) => Cell::Text(text.to_string()),
        Value::Decimal(amount) => Cell::Decimal(amount),
        Value::Date(date) => Cell::Date(date),
        Value::Integer(number) => Cell::Integer(number),
        Value::Boolean(flag) => Cell::Boolean(flag),
        Value::PersonaList(ids) => {
            Cell::List(ids.iter().map(|id| id.as_str().to_string()).collect())
        }
    }
}

/// Every table's rows for profiles `range`, as the model gives them.
fn model_rows(generator: &spendsense_generator::Generator, count: u64) -> Vec<Vec<Vec<Cell>>> {
    let mut rows = vec![Vec::new(); 7];
    for index in 0..count {
        let profile = generator.profile(index);
        let ledger = generator.ledger(index, &profile);
        columns::profile_rows(&profile, |table, values| {
            rows[table].push(values.iter().map(expected).collect())
        });
        columns::ledger_rows(
            &profile.user_id,
            &ledger.transactions,
            &ledger.liabilities,
            |table, values| rows[5 + table].push(values.iter().map(expected).collect()),
        );
    }
    rows
}

/// A file's schema and batches as the reader sees it; `hints` keeps the
/// embedded Arrow schema, without it the types come from Parquet's own.
fn read(file: &[u8], hints: bool) -> (SchemaRef, Vec<RecordBatch>) {
    let options = ArrowReaderOptions::new().with_skip_arrow_metadata(!hints);
    let builder = ParquetRecordBatchReaderBuilder::try_new_with_options(
        Bytes::copy_from_slice(file),
        options,
    )
    .unwrap();
    let schema = builder.schema().clone();
    let batches = builder.build().unwrap().map(Result::unwrap).collect();
    (schema, batches)
}

const EPOCH: Date = match Date::from_ymd(1970, 1, 1) {
    Some(date) => date,
    None => panic!("a real day"),
};

fn cell(array: &dyn Array, row: usize) -> Cell {
    if array.is_null(row) {
        return Cell::Null;
    }
    match array.data_type() {
        DataType::Utf8 => Cell::Text(array.as_string::<i32>().value(row).to_string()),
        DataType::Decimal128(18, 2) => Cell::Decimal(Decimal::from_i128_with_scale(
            array.as_primitive::<Decimal128Type>().value(row),
            2,
        )),
        DataType::Date32 => {
            Cell::Date(EPOCH.add_days(array.as_primitive::<Date32Type>().value(row)))
        }
        DataType::Int8 => Cell::Integer(array.as_primitive::<Int8Type>().value(row).into()),
        DataType::Int16 => Cell::Integer(array.as_primitive::<Int16Type>().value(row).into()),
        DataType::Int32 => Cell::Integer(array.as_primitive::<Int32Type>().value(row).into()),
        DataType::Int64 => Cell::Integer(array.as_primitive::<Int64Type>().value(row)),
        DataType::Boolean => Cell::Boolean(array.as_boolean().value(row)),
        DataType::List(_) => {
            let items = array.as_list::<i32>().value(row);
            let items = items.as_string::<i32>();
            Cell::List(
                (0..items.len())
                    .map(|i| items.value(i).to_string())
                    .collect(),
            )
        }
        other => panic!("unexpected type {other}"),
    }
}

fn file_rows(batches: &[RecordBatch]) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for batch in batches {
        for row in 0..batch.num_rows() {
            rows.push(
                batch
                    .columns()
                    .iter()
                    .map(|c| cell(c.as_ref(), row))
                    .collect(),
            );
        }
    }
    rows
}

/// Every table of every dataset, in row groups smaller than most tables,
/// reads back row by row equal to the model's values, with and without the
/// embedded Arrow schema.
#[test]
fn every_value_reads_back_as_the_model_has_it() {
    for dataset in DATASETS {
        let generator = generator(dataset);
        let files = write_tables(&generator, 0..dataset.1, 50, &[]);
        let model = model_rows(&generator, dataset.1);
        for ((table, file), expected) in tables().zip(&files).zip(&model) {
            for hints in [true, false] {
                let (schema, batches) = read(file, hints);
                assert_eq!(
                    schema,
                    spendsense_parquet::schema(table),
                    "{} {dataset:?}",
                    table.name
                );
                let rows = file_rows(&batches);
                assert_eq!(
                    rows.len(),
                    expected.len(),
                    "{} rows of {dataset:?}",
                    table.name
                );
                for (number, (row, want)) in rows.iter().zip(expected).enumerate() {
                    assert_eq!(row, want, "{} row {number} of {dataset:?}", table.name);
                }
            }
        }
    }
}

/// Column sums of money read back equal the sums of the profiles' own
/// `Decimal`s, to the cent: nothing passes through a float.
#[test]
fn money_sums_are_exact() {
    for dataset in DATASETS {
        let generator = generator(dataset);
        let files = write_tables(&generator, 0..dataset.1, 1_000, &[]);
        let (mut income, mut current, mut spent) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
        for index in 0..dataset.1 {
            let profile = generator.profile(index);
            income += profile.annual_income;
            current += profile
                .accounts
                .iter()
                .filter_map(|a| a.balances.current)
                .sum::<Decimal>();
            spent += generator
                .ledger(index, &profile)
                .transactions
                .iter()
                .map(|t| t.amount)
                .sum::<Decimal>();
        }
        let sum = |file: &[u8], column: &str| {
            let (_, batches) = read(file, false);
            let mut total = 0_i128;
            for batch in &batches {
                let array = batch
                    .column_by_name(column)
                    .unwrap()
                    .as_primitive::<Decimal128Type>();
                total += array.iter().flatten().sum::<i128>();
            }
            Decimal::from_i128_with_scale(total, 2)
        };
        assert_eq!(sum(&files[0], "annual_income"), income, "{dataset:?}");
        assert_eq!(sum(&files[1], "balances_current"), current, "{dataset:?}");
        assert_eq!(sum(&files[5], "amount"), spent, "{dataset:?}");
    }
}

/// The Parquet types themselves, which readers that ignore Arrow's schema
/// go by: money INT64 DECIMAL(18, 2), days INT32 DATE, text STRING, whole
/// numbers signed INT of the narrowest width; required where never null.
#[test]
fn parquet_types_are_the_mapped_ones() {
    let generator = generator(DATASETS[3]);
    let files = write_tables(&generator, 0..20, 1_000, &[]);
    for (table, file) in tables().zip(&files) {
        let reader =
            ParquetRecordBatchReaderBuilder::try_new(Bytes::copy_from_slice(file)).unwrap();
        let parquet_schema = reader.parquet_schema();
        let leaves: Vec<_> = parquet_schema.columns().iter().collect();
        assert_eq!(leaves.len(), table.columns.len(), "{}", table.name);
        for (column, leaf) in table.columns.iter().zip(leaves) {
            let what = format!("{}.{}", table.name, column.name);
            let logical = leaf.logical_type_ref().cloned();
            let (physical, want_logical) = match column.kind {
                ColumnType::Decimal => (PhysicalType::INT64, Some(LogicalType::decimal(2, 18))),
                ColumnType::Date => (PhysicalType::INT32, Some(LogicalType::Date)),
                ColumnType::Text | ColumnType::Enum(_) | ColumnType::PersonaList => {
                    (PhysicalType::BYTE_ARRAY, Some(LogicalType::String))
                }
                ColumnType::Boolean => (PhysicalType::BOOLEAN, None),
                ColumnType::Integer { .. } => {
                    let bits = match spendsense_parquet::data_type(column.kind) {
                        DataType::Int8 => 8,
                        DataType::Int16 => 16,
                        DataType::Int32 => 32,
                        DataType::Int64 => 64,
                        other => panic!("{what}: {other}"),
                    };
                    let physical = if bits == 64 {
                        PhysicalType::INT64
                    } else {
                        PhysicalType::INT32
                    };
                    // 32 and 64 bits are the physical types' own width, signed: no annotation needed.
                    let logical = (bits < 32).then(|| LogicalType::integer(bits, true));
                    (physical, logical)
                }
            };
            assert_eq!(leaf.physical_type(), physical, "{what}");
            assert_eq!(logical, want_logical, "{what}");
            let list = column.kind == ColumnType::PersonaList;
            // A list's leaf is its element, required; the list itself may be null.
            assert_eq!(
                leaf.self_type().is_optional(),
                column.nullable && !list,
                "{what}"
            );
            assert_eq!(
                leaf.path().string(),
                if list {
                    format!("{}.list.element", column.name)
                } else {
                    column.name.to_string()
                },
                "{what}"
            );
        }
    }
}

/// Every row group holds exactly the writer's row count, the last one fewer.
#[test]
fn row_groups_hold_a_fixed_number_of_rows() {
    let generator = generator(DATASETS[2]);
    for rows_per_group in [1, 7, 100, 4_096] {
        let files = write_tables(&generator, 0..60, rows_per_group, &[]);
        for (table, file) in tables().zip(&files) {
            let reader =
                ParquetRecordBatchReaderBuilder::try_new(Bytes::copy_from_slice(file)).unwrap();
            let groups: Vec<i64> = reader
                .metadata()
                .row_groups()
                .iter()
                .map(|g| g.num_rows())
                .collect();
            let total: i64 = groups.iter().sum();
            let (last, full) = groups.split_last().unwrap();
            assert!(
                full.iter().all(|&n| n == rows_per_group as i64),
                "{} {groups:?}",
                table.name
            );
            assert!(
                (1..=rows_per_group as i64).contains(last),
                "{} {groups:?}",
                table.name
            );
            assert_eq!(
                groups.len() as i64,
                (total + rows_per_group as i64 - 1) / rows_per_group as i64
            );
        }
    }
}
