//! A loaded database holds exactly the profiles' and ledgers' rows: every
//! value of every row, in order, with exact cent sums, keys that hold, and
//! the same bytes whenever the same rows are loaded.

use rust_decimal::Decimal;
use spendsense_export::columns::{self, LEDGER_TABLES, PROFILE_TABLES, Value};
use spendsense_sqlite::rusqlite::{Connection, types::Value as Sql};
use spendsense_sqlite::{Dialect, Error, Loader, column_name, rusqlite};

use crate::{RUNS, dataset, load};

/// A model value as SQLite stores it.
fn stored(value: &Value<'_>) -> Sql {
    match *value {
        Value::Null => Sql::Null,
        Value::Text(text) => Sql::Text(text.to_string()),
        Value::Decimal(amount) => Sql::Integer(spendsense_sqlite::cents(amount).unwrap()),
        Value::Date(date) => Sql::Text(date.to_string()),
        Value::Integer(number) => Sql::Integer(number),
        Value::Boolean(flag) => Sql::Integer(flag.into()),
        Value::PersonaList(personas) => Sql::Text(
            personas
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(";"),
        ),
    }
}

/// Every table's rows as the model hands them over, in load order.
fn expected_rows(
    dataset: &[(
        spendsense_schema::UserProfile,
        Vec<spendsense_schema::Transaction>,
        Vec<spendsense_schema::CardLiability>,
    )],
) -> Vec<Vec<Vec<Sql>>> {
    let mut tables = vec![Vec::new(); PROFILE_TABLES.len() + LEDGER_TABLES.len()];
    for (profile, transactions, liabilities) in dataset {
        columns::profile_rows(profile, |table, values| {
            tables[table].push(values.iter().map(stored).collect());
        });
        columns::ledger_rows(
            &profile.user_id,
            transactions,
            liabilities,
            |table, values| {
                tables[PROFILE_TABLES.len() + table].push(values.iter().map(stored).collect());
            },
        );
    }
    tables
}

/// Every row of every table, in rowid (insertion) order.
fn database_rows(connection: &Connection) -> Vec<Vec<Vec<Sql>>> {
    columns::all_tables()
        .map(|table| {
            let mut select = connection
                .prepare(&format!("SELECT * FROM {} ORDER BY rowid", table.name))
                .unwrap();
            let width = table.columns.len();
            select
                .query_map([], |row| {
                    (0..width).map(|at| row.get::<_, Sql>(at)).collect()
                })
                .unwrap()
                .map(Result::unwrap)
                .collect()
        })
        .collect()
}

#[test]
fn every_row_and_value_reads_back_in_order() {
    for (seed, count) in RUNS {
        let dataset = dataset(seed, count);
        let connection = Connection::open_in_memory().unwrap();
        load(&connection, &dataset).unwrap();
        let (found, expected) = (database_rows(&connection), expected_rows(&dataset));
        for (table, (found, expected)) in columns::all_tables().zip(found.iter().zip(&expected)) {
            assert_eq!(
                found.len(),
                expected.len(),
                "rows of {} ({seed}, {count})",
                table.name
            );
            assert!(
                found == expected,
                "values of {} ({seed}, {count})",
                table.name
            );
        }
        assert_eq!(found[0].len() as u64, count);
        let transactions: usize = dataset.iter().map(|(_, t, _)| t.len()).sum();
        assert_eq!(found[PROFILE_TABLES.len()].len(), transactions);
    }
}

/// `sum` over a `_cents` column is exact: the model's `Decimal` sum, in cents.
#[test]
fn cent_sums_equal_the_decimal_sums() {
    for (seed, count) in RUNS {
        let dataset = dataset(seed, count);
        let connection = Connection::open_in_memory().unwrap();
        load(&connection, &dataset).unwrap();
        let mut sums = vec![Vec::new(); PROFILE_TABLES.len() + LEDGER_TABLES.len()];
        for (table, sums) in columns::all_tables().zip(&mut sums) {
            *sums = vec![Decimal::ZERO; table.columns.len()];
        }
        let mut add = |table: usize, values: &[Value<'_>]| {
            for (sum, value) in sums[table].iter_mut().zip(values) {
                if let Value::Decimal(amount) = value {
                    *sum += amount;
                }
            }
        };
        for (profile, transactions, liabilities) in &dataset {
            columns::profile_rows(profile, &mut add);
            columns::ledger_rows(
                &profile.user_id,
                transactions,
                liabilities,
                |table, values| add(PROFILE_TABLES.len() + table, values),
            );
        }
        let mut checked = 0;
        for (table, sums) in columns::all_tables().zip(&sums) {
            for (column, sum) in table.columns.iter().zip(sums) {
                if column.kind != columns::ColumnType::Decimal {
                    continue;
                }
                let name = column_name(column, Dialect::Sqlite);
                let total: Option<i64> = connection
                    .query_row(
                        &format!("SELECT sum({name}) FROM {}", table.name),
                        [],
                        |row| row.get(0),
                    )
                    .unwrap();
                let total = Decimal::new(total.unwrap_or(0), 2);
                assert_eq!(total, *sum, "{}.{name} ({seed}, {count})", table.name);
                checked += 1;
            }
        }
        let decimals = columns::all_tables()
            .flat_map(|table| table.columns)
            .filter(|column| column.kind == columns::ColumnType::Decimal)
            .count();
        assert_eq!(checked, decimals);
        assert!(decimals > 10);
    }
}

#[test]
fn foreign_keys_hold_and_a_missing_parent_is_refused() {
    for (seed, count) in RUNS {
        let dataset = dataset(seed, count);
        let connection = Connection::open_in_memory().unwrap();
        load(&connection, &dataset).unwrap();
        let violations: i64 = connection
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(violations, 0, "({seed}, {count})");
        // A ledger without its profile has no user or account to point to.
        let (profile, transactions, liabilities) = &dataset[0];
        let orphan = Connection::open_in_memory().unwrap();
        let mut loader = Loader::new(&orphan).unwrap();
        loader
            .ledger(&profile.user_id, transactions, liabilities)
            .unwrap();
        match loader.finish(&[]) {
            Err(Error::ForeignKey { table, parent, .. }) => {
                assert!(table == "transactions" || table == "liabilities", "{table}");
                assert!(parent == "users" || parent == "accounts", "{parent}");
            }
            other => panic!("{other:?}"),
        }
        // Refused, nothing was committed.
        let rows: i64 = orphan
            .query_row("SELECT count(*) FROM transactions", [], |row| row.get(0))
            .unwrap_or(-1);
        assert!(rows <= 0, "{rows}");
    }
}

#[test]
fn the_run_configuration_is_a_table() {
    let dataset = dataset(3, 2);
    let connection = Connection::open_in_memory().unwrap();
    load(&connection, &dataset).unwrap();
    let run: Vec<(String, String)> = connection
        .prepare("SELECT key, value FROM spendsense_run ORDER BY key")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        run,
        [("count".into(), "2".into()), ("seed".into(), "1".into())]
    );
    let (application, version): (i32, i32) = connection
        .query_row(
            "SELECT * FROM pragma_application_id, pragma_user_version",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (application, version),
        (
            spendsense_sqlite::APPLICATION_ID,
            spendsense_sqlite::LAYOUT_VERSION
        )
    );
}

/// The bytes of a database file loaded with `dataset`.
fn file_bytes(
    dataset: &[(
        spendsense_schema::UserProfile,
        Vec<spendsense_schema::Transaction>,
        Vec<spendsense_schema::CardLiability>,
    )],
) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.sqlite");
    let connection = Connection::open(&path).unwrap();
    load(&connection, dataset).unwrap();
    connection.close().map_err(|(_, err)| err).unwrap();
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(
        names.len(),
        1,
        "no journal or other file beside the database"
    );
    std::fs::read(&path).unwrap()
}

#[test]
fn same_rows_same_bytes() {
    for (seed, count) in RUNS {
        let dataset = dataset(seed, count);
        let first = file_bytes(&dataset);
        assert_eq!(first, file_bytes(&dataset), "({seed}, {count})");
        assert_eq!(&first[..16], b"SQLite format 3\0");
        if count > 1 {
            let fewer = file_bytes(&dataset[..dataset.len() - 1]);
            assert_ne!(first, fewer);
        }
    }
}

#[test]
fn amounts_are_whole_cents_or_refused() {
    let cents = spendsense_sqlite::cents;
    let d = |text: &str| text.parse::<Decimal>().unwrap();
    assert_eq!(cents(d("1234.50")).unwrap(), 123450);
    assert_eq!(cents(d("-0.07")).unwrap(), -7);
    assert_eq!(cents(d("2000")).unwrap(), 200000);
    assert_eq!(cents(d("1.2300")).unwrap(), 123);
    assert_eq!(
        cents(d("9999999999999999.99")).unwrap(),
        spendsense_sqlite::MAX_CENTS
    );
    for bad in [
        "0.001",
        "12.345",
        "10000000000000000.00",
        "-10000000000000000",
    ] {
        assert!(matches!(cents(d(bad)), Err(Error::Amount(_))), "{bad}");
    }
    let err = cents(d("12.345")).unwrap_err().to_string();
    assert!(
        err.contains("12.345") && err.contains("at most 2 decimals"),
        "{err}"
    );
    let _ = rusqlite::version();
}
