//! Every `CHECK`, `NOT NULL` and `STRICT` type of the SQLite tables refuses
//! a row that breaks it: each bad row is a loaded row with one value
//! replaced, and the same row with only its key made fresh is accepted, so
//! the refusal is the bad value's.

use spendsense_export::columns::{self, Column, ColumnType, Table};
use spendsense_sqlite::rusqlite::{Connection, ErrorCode, types::Value as Sql};
use spendsense_sqlite::{Dialect, MAX_CENTS, column_name};

use crate::{dataset, load};

/// Values a column of `kind` must refuse.
fn bad_values(column: &Column) -> Vec<Sql> {
    let text = |t: &str| Sql::Text(t.to_string());
    let mut bad = match column.kind {
        ColumnType::Text => vec![Sql::Blob(vec![0xff])],
        ColumnType::Decimal => vec![
            Sql::Real(12.5),
            Sql::Real(1234.505),
            text("12.50"),
            Sql::Integer(MAX_CENTS + 1),
            Sql::Integer(-MAX_CENTS - 1),
        ],
        ColumnType::Date => vec![
            text("2026-02-30"),
            text("2026-1-05"),
            text("20261130"),
            text("2026-11-30T00:00"),
            text("yesterday"),
            Sql::Integer(20261130),
        ],
        ColumnType::Integer { min, max } => vec![
            Sql::Integer(min - 1),
            Sql::Integer(max + 1),
            Sql::Real(min as f64 + 0.5),
            text("twelve"),
        ],
        ColumnType::Boolean => vec![Sql::Integer(2), Sql::Integer(-1), text("true")],
        ColumnType::Enum(spellings) => vec![
            text("not_a_spelling"),
            text(&if spellings[0].to_uppercase() == spellings[0] {
                spellings[0].to_lowercase()
            } else {
                spellings[0].to_uppercase()
            }),
            text(&format!("{} ", spellings[0])),
            text(""),
            // Two spellings joined, as the long lists' search sees them.
            text(&format!(
                "{}|{}",
                spellings[0],
                spellings[spellings.len() - 1]
            )),
            text(&format!("|{}", spellings[0])),
        ],
        ColumnType::PersonaList => vec![
            text(""),
            text("control;"),
            text(";control"),
            text("control;control"),
            text("high_utilization;;control"),
            text("high_utilization;nobody"),
            text("high_utilization,control"),
        ],
    };
    if !column.nullable {
        bad.push(Sql::Null);
    }
    bad
}

/// A value for a key column no loaded row has.
fn fresh(column: &Column) -> Sql {
    Sql::Text(format!("fresh_{}", column.name))
}

/// Inserts `values` as a row of `table`.
fn insert(connection: &Connection, table: &Table, values: &[Sql]) -> rusqlite::Result<usize> {
    let marks: Vec<String> = (1..=values.len()).map(|n| format!("?{n}")).collect();
    connection.execute(
        &format!("INSERT INTO {} VALUES ({})", table.name, marks.join(", ")),
        rusqlite::params_from_iter(values),
    )
}

use spendsense_sqlite::rusqlite;

#[test]
fn every_check_refuses_a_bad_row() {
    for (seed, count) in [(5, 6), (77, 10)] {
        let connection = Connection::open_in_memory().unwrap();
        load(&connection, &dataset(seed, count)).unwrap();
        let mut refused = 0;
        for table in columns::all_tables() {
            let width = table.columns.len();
            let row: Vec<Sql> = connection
                .query_row(
                    &format!("SELECT * FROM {} LIMIT 1", table.name),
                    [],
                    |row| (0..width).map(|at| row.get(at)).collect(),
                )
                .unwrap();
            let mut base = row.clone();
            for (at, column) in table.columns.iter().enumerate() {
                if table.primary_key.contains(&column.name) {
                    base[at] = fresh(column);
                }
            }
            for (at, column) in table.columns.iter().enumerate() {
                for bad in bad_values(column) {
                    let mut values = base.clone();
                    values[at] = bad.clone();
                    let err = insert(&connection, table, &values).expect_err(&format!(
                        "{}.{} = {bad:?} accepted",
                        table.name,
                        column_name(column, Dialect::Sqlite)
                    ));
                    assert_eq!(
                        err.sqlite_error_code(),
                        Some(ErrorCode::ConstraintViolation),
                        "{}.{}: {err}",
                        table.name,
                        column.name
                    );
                    refused += 1;
                }
            }
            // The row the bad ones were made from is fine once its key is fresh…
            connection.execute_batch("SAVEPOINT fresh").unwrap();
            insert(&connection, table, &base).unwrap();
            connection
                .execute_batch("ROLLBACK TO fresh; RELEASE fresh")
                .unwrap();
            // …and refused as it was, when the table has a key.
            if !table.primary_key.is_empty() {
                let err = insert(&connection, table, &row).unwrap_err();
                assert_eq!(
                    err.sqlite_error_code(),
                    Some(ErrorCode::ConstraintViolation)
                );
            }
        }
        assert!(refused > 300, "{refused} bad rows refused");
    }
}

/// Values every column must accept: its bounds and each spelling.
#[test]
fn every_check_accepts_the_edges_of_its_range() {
    let connection = Connection::open_in_memory().unwrap();
    load(&connection, &dataset(9, 3)).unwrap();
    for table in columns::all_tables() {
        let width = table.columns.len();
        let mut base: Vec<Sql> = connection
            .query_row(
                &format!("SELECT * FROM {} LIMIT 1", table.name),
                [],
                |row| (0..width).map(|at| row.get(at)).collect(),
            )
            .unwrap();
        for (at, column) in table.columns.iter().enumerate() {
            if table.primary_key.contains(&column.name) {
                base[at] = fresh(column);
            }
        }
        for (at, column) in table.columns.iter().enumerate() {
            let text = |t: &str| Sql::Text(t.to_string());
            let good: Vec<Sql> = match column.kind {
                ColumnType::Decimal => vec![
                    Sql::Integer(MAX_CENTS),
                    Sql::Integer(-MAX_CENTS),
                    Sql::Integer(0),
                ],
                ColumnType::Date => {
                    vec![text("2024-02-29"), text("0001-01-01"), text("9999-12-31")]
                }
                ColumnType::Integer { min, max } => vec![Sql::Integer(min), Sql::Integer(max)],
                ColumnType::Boolean => vec![Sql::Integer(0), Sql::Integer(1)],
                ColumnType::Enum(spellings) => spellings.iter().map(|s| text(s)).collect(),
                ColumnType::PersonaList => vec![
                    text("control"),
                    text("high_utilization;variable_income;subscription_heavy;savings_builder"),
                ],
                ColumnType::Text => vec![],
            };
            for value in good.into_iter().chain(column.nullable.then_some(Sql::Null)) {
                let mut values = base.clone();
                values[at] = value.clone();
                connection.execute_batch("SAVEPOINT good").unwrap();
                insert(&connection, table, &values).unwrap_or_else(|err| {
                    panic!("{}.{} = {value:?}: {err}", table.name, column.name)
                });
                connection
                    .execute_batch("ROLLBACK TO good; RELEASE good")
                    .unwrap();
            }
        }
    }
}
