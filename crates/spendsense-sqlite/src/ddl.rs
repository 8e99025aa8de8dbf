//! `CREATE TABLE` statements for the seven tables, generated column by
//! column from [`spendsense_export::columns`], for SQLite and for Postgres.
//!
//! Every constraint a column's [`ColumnType`] states becomes a `CHECK`, so a
//! row the model would refuse is refused by the database too: enum
//! spellings, integer ranges, booleans, the persona list and, in SQLite,
//! dates and the cent range. Keys and foreign keys are the model's; the
//! foreign keys are `DEFERRABLE INITIALLY DEFERRED` because they are
//! circular (a user's savings-transfer accounts belong to the user).

use std::fmt::Write as _;

use spendsense_export::columns::{
    self, Column, ColumnType, DECIMAL_PRECISION, DECIMAL_SCALE, Table,
};
use spendsense_schema::PersonaId;

/// The SQL dialect a statement is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite 3.37 or later: `STRICT` tables, amounts as integer cents.
    Sqlite,
    /// Postgres: `NUMERIC(18,2)`, `DATE`, `BOOLEAN`, the CSV's column names.
    Postgres,
}

/// The table that carries the run's configuration in a SQLite database:
/// one row per key (`seed`, `count`, `mix`, …), values as text.
pub const RUN_TABLE: &str = "spendsense_run";

/// What a column is called in `dialect`: the CSV's name, except that in
/// SQLite a [`ColumnType::Decimal`] column holds whole cents (hundredths)
/// and says so with a `_cents` suffix, so that nobody reads `123450` as
/// dollars.
pub fn column_name(column: &Column, dialect: Dialect) -> String {
    match (dialect, column.kind) {
        (Dialect::Sqlite, ColumnType::Decimal) => format!("{}_cents", column.name),
        _ => column.name.to_string(),
    }
}

/// The largest number of cents a `DECIMAL(18, 2)` holds: 10^18 - 1.
pub const MAX_CENTS: i64 = 10i64.pow(DECIMAL_PRECISION as u32) - 1;

/// Every `CREATE TABLE` of a dataset in `dialect`, in the order of
/// [`columns::all_tables`]; for SQLite also the [`RUN_TABLE`]. One
/// statement per table, each ending with `;` and a newline.
pub fn ddl(dialect: Dialect) -> String {
    let mut sql = String::new();
    for table in columns::all_tables() {
        sql.push_str(&create_table(table, dialect));
    }
    if dialect == Dialect::Postgres {
        // Postgres resolves a reference when it is declared, and the keys
        // are circular: they are added once every table exists.
        for table in columns::all_tables() {
            for key in foreign_keys(table, dialect) {
                let _ = writeln!(sql, "ALTER TABLE {} ADD {key};", table.name);
            }
        }
    }
    if dialect == Dialect::Sqlite {
        let _ = writeln!(
            sql,
            "CREATE TABLE {RUN_TABLE} (\n    key TEXT NOT NULL PRIMARY KEY,\n    value TEXT NOT NULL\n) STRICT;"
        );
    }
    sql
}

/// The `CREATE TABLE` statement of one table; in SQLite with its foreign
/// keys, which Postgres adds after every table exists ([`ddl`]).
pub fn create_table(table: &Table, dialect: Dialect) -> String {
    let mut lines: Vec<String> = table
        .columns
        .iter()
        .map(|column| column_definition(column, dialect))
        .collect();
    if !table.primary_key.is_empty() {
        lines.push(format!(
            "PRIMARY KEY ({})",
            names(table, table.primary_key, dialect)
        ));
    }
    if dialect == Dialect::Sqlite {
        lines.extend(foreign_keys(table, dialect));
    }
    let strict = match dialect {
        Dialect::Sqlite => " STRICT",
        Dialect::Postgres => "",
    };
    format!(
        "CREATE TABLE {} (\n    {}\n){strict};\n",
        table.name,
        lines.join(",\n    ")
    )
}

/// The SQL names of `columns` of `table`, comma-separated.
fn names(table: &Table, columns: &[&str], dialect: Dialect) -> String {
    columns
        .iter()
        .map(|name| {
            let column = table
                .column(name)
                .expect("keys name columns of their table");
            column_name(column, dialect)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `FOREIGN KEY (…) REFERENCES table (…) DEFERRABLE INITIALLY DEFERRED`,
/// one per foreign key of `table`: checked at commit, since they are
/// circular.
fn foreign_keys(table: &Table, dialect: Dialect) -> Vec<String> {
    table
        .foreign_keys
        .iter()
        .map(|key| {
            format!(
                "FOREIGN KEY ({}) REFERENCES {} ({}) DEFERRABLE INITIALLY DEFERRED",
                names(table, key.columns, dialect),
                key.table,
                key.references.join(", ")
            )
        })
        .collect()
}

/// `name TYPE [NOT NULL] [CHECK (…)]`.
fn column_definition(column: &Column, dialect: Dialect) -> String {
    let name = column_name(column, dialect);
    let mut definition = format!("{name} {}", sql_type(column.kind, dialect));
    if !column.nullable {
        definition.push_str(" NOT NULL");
    }
    if let Some(check) = check(&name, column.kind, dialect) {
        let _ = write!(definition, " CHECK ({check})");
    }
    definition
}

/// The declared type of a column.
fn sql_type(kind: ColumnType, dialect: Dialect) -> String {
    use ColumnType::*;
    match dialect {
        // STRICT tables allow only INTEGER, REAL, TEXT, BLOB and ANY.
        Dialect::Sqlite => match kind {
            Decimal | Integer { .. } | Boolean => "INTEGER",
            Text | Date | Enum(_) | PersonaList => "TEXT",
        }
        .to_string(),
        Dialect::Postgres => match kind {
            Decimal => format!("NUMERIC({DECIMAL_PRECISION},{DECIMAL_SCALE})"),
            Integer { min, max } if min >= i16::MIN.into() && max <= i16::MAX.into() => {
                "SMALLINT".into()
            }
            Integer { min, max } if min >= i32::MIN.into() && max <= i32::MAX.into() => {
                "INTEGER".into()
            }
            Integer { .. } => "BIGINT".into(),
            Boolean => "BOOLEAN".into(),
            Date => "DATE".into(),
            Text | Enum(_) | PersonaList => "TEXT".into(),
        },
    }
}

/// The `CHECK` expression of a column called `name`, if its type has one
/// the declared type does not already enforce.
fn check(name: &str, kind: ColumnType, dialect: Dialect) -> Option<String> {
    use ColumnType::*;
    match (kind, dialect) {
        (Text, _) => None,
        // Postgres's DATE and BOOLEAN parse their values; NUMERIC(18,2)
        // refuses more than 16 digits before the point.
        (Date | Boolean | Decimal, Dialect::Postgres) => None,
        // `IS`, not `=`: date() of a malformed text is NULL, and a CHECK
        // that is NULL passes. The `+0 days` modifier makes every SQLite
        // version go through the day number, so `2026-02-30` comes back as
        // `2026-03-02` and is refused (SQLite before 3.42 returns it as is
        // from a plain `date()`).
        (Date, Dialect::Sqlite) => Some(format!("date({name}, '+0 days') IS {name}")),
        (Boolean, Dialect::Sqlite) => Some(format!("{name} IN (0, 1)")),
        (Decimal, Dialect::Sqlite) => Some(format!("{name} BETWEEN -{MAX_CENTS} AND {MAX_CENTS}")),
        (Integer { min, max }, _) => Some(format!("{name} BETWEEN {min} AND {max}")),
        (Enum(spellings), Dialect::Postgres) => {
            Some(format!("{name} IN ({})", literals(spellings)))
        }
        (Enum(spellings), Dialect::Sqlite) => Some(sqlite_one_of(name, spellings)),
        (PersonaList, _) => Some(persona_list_check(name)),
    }
}

/// Spellings past this many are checked by one search of their joined
/// text rather than one comparison each.
const LONG_ENUM: usize = 16;

/// `name` is one of `spellings`, in a form SQLite evaluates fast. SQLite
/// builds a temporary index of an `IN (…)` list every time a `CHECK` runs,
/// that is for every row inserted: 24 µs a row for the 180 currency codes,
/// against about 4 µs for comparisons one by one and under 2 µs for one
/// `instr` search of `|AED|AFN|…|` (measured on SQLite 3.40, in Python).
/// Short lists are plain comparisons; long ones the search, which refuses
/// a value holding the separator, since `AED|AFN` would otherwise match.
fn sqlite_one_of(name: &str, spellings: &[&str]) -> String {
    if spellings.len() <= LONG_ENUM {
        let comparisons: Vec<String> = spellings
            .iter()
            .map(|spelling| format!("{name} = {}", literals(&[spelling])))
            .collect();
        return comparisons.join(" OR ");
    }
    assert!(
        spellings.iter().all(|spelling| !spelling.contains('|')),
        "no spelling holds the separator"
    );
    format!(
        "instr({}, '|' || {name} || '|') > 0 AND instr({name}, '|') = 0",
        literals(&[&format!("|{}|", spellings.join("|"))])
    )
}

/// `'a', 'b', …`.
fn literals(spellings: &[&str]) -> String {
    spellings
        .iter()
        .map(|spelling| format!("'{}'", spelling.replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `;`-joined persona ids, each once: with `;` around the list, replacing
/// each `;id;` by `;` leaves exactly `;`. A misspelt id, an empty list or
/// item, or a repeated id leaves more. Written with `replace`, which both
/// dialects have, since SQLite has no regular expressions.
fn persona_list_check(name: &str) -> String {
    let mut expression = format!("';' || {name} || ';'");
    for persona in PersonaId::ALL {
        expression = format!(
            "replace({expression}, ';{persona};', ';')",
            persona = persona.as_str()
        );
    }
    format!("{expression} = ';'")
}
