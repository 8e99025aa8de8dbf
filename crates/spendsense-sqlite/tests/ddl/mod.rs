//! The DDL is the column model: SQLite's own view of the tables it creates
//! (`pragma_table_info`, `pragma_foreign_key_list`) lists exactly the
//! model's columns, types, nullability and keys.

use spendsense_export::columns::{self, ColumnType};
use spendsense_sqlite::rusqlite::Connection;
use spendsense_sqlite::{Dialect, RUN_TABLE, column_name, ddl};

fn created() -> Connection {
    let connection = Connection::open_in_memory().unwrap();
    connection.execute_batch(&ddl(Dialect::Sqlite)).unwrap();
    connection
}

#[test]
fn sqlite_tables_have_the_models_columns_types_and_nullability() {
    let connection = created();
    for table in columns::all_tables() {
        let mut info = connection
            .prepare("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1) ORDER BY cid")
            .unwrap();
        let found: Vec<(String, String, bool, i64)> = info
            .query_map([table.name], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let expected: Vec<(String, String, bool, i64)> = table
            .columns
            .iter()
            .map(|column| {
                let sql_type = match column.kind {
                    ColumnType::Decimal | ColumnType::Integer { .. } | ColumnType::Boolean => {
                        "INTEGER"
                    }
                    _ => "TEXT",
                };
                let pk = table
                    .primary_key
                    .iter()
                    .position(|key| *key == column.name)
                    .map_or(0, |at| at as i64 + 1);
                (
                    column_name(column, Dialect::Sqlite),
                    sql_type.to_string(),
                    !column.nullable,
                    pk,
                )
            })
            .collect();
        assert_eq!(found, expected, "{}", table.name);
        let strict: bool = connection
            .query_row(
                "SELECT strict FROM pragma_table_list WHERE name = ?1",
                [table.name],
                |row| row.get(0),
            )
            .unwrap();
        assert!(strict, "{} is STRICT", table.name);
    }
}

#[test]
fn sqlite_foreign_keys_are_the_models() {
    let connection = created();
    for table in columns::all_tables() {
        let mut list = connection
            .prepare(
                "SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?1) ORDER BY id DESC, seq",
            )
            .unwrap();
        let found: Vec<(String, String, String)> = list
            .query_map([table.name], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let expected: Vec<(String, String, String)> = table
            .foreign_keys
            .iter()
            .flat_map(|key| {
                key.columns
                    .iter()
                    .zip(key.references)
                    .map(|(from, to)| (key.table.to_string(), from.to_string(), to.to_string()))
            })
            .collect();
        let (mut found, mut expected) = (found, expected);
        found.sort();
        expected.sort();
        assert_eq!(found, expected, "{}", table.name);
    }
}

#[test]
fn only_decimal_columns_are_renamed_and_only_in_sqlite() {
    for table in columns::all_tables() {
        for column in table.columns {
            let sqlite = column_name(column, Dialect::Sqlite);
            assert_eq!(column_name(column, Dialect::Postgres), column.name);
            match column.kind {
                ColumnType::Decimal => assert_eq!(sqlite, format!("{}_cents", column.name)),
                _ => assert_eq!(sqlite, column.name),
            }
        }
    }
}

/// Postgres's DDL is tested against a real server by
/// `tests/clients/check_postgres.sh`; here, that it names every column with
/// its type and the run table only in SQLite.
#[test]
fn postgres_ddl_declares_every_column_with_its_type() {
    let sql = ddl(Dialect::Postgres);
    assert!(!sql.contains(RUN_TABLE) && ddl(Dialect::Sqlite).contains(RUN_TABLE));
    assert!(!sql.contains("STRICT") && !sql.contains("_cents"));
    for table in columns::all_tables() {
        let statement = spendsense_sqlite::create_table(table, Dialect::Postgres);
        assert!(sql.contains(&statement));
        for column in table.columns {
            let declared = match column.kind {
                ColumnType::Decimal => "NUMERIC(18,2)",
                ColumnType::Date => "DATE",
                ColumnType::Boolean => "BOOLEAN",
                ColumnType::Integer { .. } => "INT",
                _ => "TEXT",
            };
            let line = statement
                .lines()
                .find(|line| line.trim_start().starts_with(&format!("{} ", column.name)))
                .unwrap_or_else(|| panic!("{}.{}", table.name, column.name));
            assert!(line.contains(declared), "{line}");
            assert_eq!(line.contains("NOT NULL"), !column.nullable, "{line}");
        }
        // Circular keys come after every table, one statement each.
        for key in table.foreign_keys {
            let statement = format!(
                "ALTER TABLE {} ADD FOREIGN KEY ({}) REFERENCES {} ({}) DEFERRABLE INITIALLY DEFERRED;",
                table.name,
                key.columns.join(", "),
                key.table,
                key.references.join(", ")
            );
            assert!(sql.contains(&statement), "{statement}");
        }
    }
    let alters = sql.lines().filter(|l| l.starts_with("ALTER TABLE")).count();
    let keys: usize = columns::all_tables().map(|t| t.foreign_keys.len()).sum();
    assert_eq!(alters, keys);
    assert!(sql.find("ALTER TABLE") > sql.rfind("CREATE TABLE"));
}
