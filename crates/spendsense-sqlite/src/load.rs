//! [`Loader`]: profiles' and ledgers' rows into a SQLite database, through
//! one prepared `INSERT` per table, inside one transaction.

use rusqlite::{Connection, Statement};
use rust_decimal::Decimal;
use spendsense_export::columns::{self, PROFILE_TABLES, Table, Value};
use spendsense_schema::{CardLiability, Transaction, UserProfile};

use crate::{Dialect, Error, RUN_TABLE, column_name, ddl};

/// `application_id` of every database the loader makes (`SpSn` in ASCII),
/// so `file(1)`-style tools and readers can tell it from other SQLite files.
pub const APPLICATION_ID: i32 = i32::from_be_bytes(*b"SpSn");

/// `user_version` of the layout: raised whenever a table or column changes.
pub const LAYOUT_VERSION: i32 = 1;

/// Inserts rows into the tables [`ddl`] creates, on a connection the caller
/// opened on an empty database.
///
/// [`Loader::new`] sets the connection up for one bulk load (see there),
/// creates the tables and begins a transaction; [`Loader::profile`] and
/// [`Loader::ledger`] insert rows in the order they are given;
/// [`Loader::finish`] writes the run's configuration, checks the foreign
/// keys and commits. Dropping a loader before `finish` rolls back.
///
/// The database's bytes are a function of the rows and their order (and of
/// the SQLite version, pinned by `Cargo.lock`): nothing time-based reaches
/// the file.
#[derive(Debug)]
pub struct Loader<'c> {
    connection: &'c Connection,
    /// One `INSERT` per table of [`columns::all_tables`].
    inserts: Vec<Statement<'c>>,
    /// Text of a date or persona list being bound, reused.
    text: Vec<u8>,
    finished: bool,
}

impl<'c> Loader<'c> {
    /// Prepares `connection`, which must hold no tables yet, for the load:
    /// fixes the page size, keeps the rollback journal in memory (no file
    /// beside the database), turns off syncing (a loader's database is a
    /// new file that the caller syncs and puts in place once complete), and
    /// creates the tables.
    pub fn new(connection: &'c Connection) -> Result<Loader<'c>, Error> {
        // Pragmas first: the page size is fixed by the first table created.
        connection.execute_batch(&format!(
            "PRAGMA page_size = 4096;
             PRAGMA journal_mode = MEMORY;
             PRAGMA synchronous = OFF;
             PRAGMA temp_store = MEMORY;
             PRAGMA cache_size = -65536;
             PRAGMA foreign_keys = OFF;
             PRAGMA application_id = {APPLICATION_ID};
             PRAGMA user_version = {LAYOUT_VERSION};
             BEGIN;
             {}",
            ddl(Dialect::Sqlite)
        ))?;
        let mut inserts = Vec::new();
        for table in columns::all_tables() {
            inserts.push(connection.prepare(&insert(table))?);
        }
        Ok(Loader {
            connection,
            inserts,
            text: Vec::with_capacity(64),
            finished: false,
        })
    }

    /// Inserts the rows of one profile: its `users` row, its accounts,
    /// paychecks, recurring charges and card plans.
    pub fn profile(&mut self, profile: &UserProfile) -> Result<(), Error> {
        let mut result = Ok(());
        columns::profile_rows(profile, |table, values| {
            if result.is_ok() {
                result = self.row(table, values);
            }
        });
        result
    }

    /// Inserts the rows of one profile's ledger, owned by `user_id`.
    pub fn ledger(
        &mut self,
        user_id: &str,
        transactions: &[Transaction],
        liabilities: &[CardLiability],
    ) -> Result<(), Error> {
        let mut result = Ok(());
        columns::ledger_rows(user_id, transactions, liabilities, |table, values| {
            if result.is_ok() {
                result = self.row(PROFILE_TABLES.len() + table, values);
            }
        });
        result
    }

    /// Writes `run` (key, value pairs: the seed, count, mix… of the run
    /// the rows come from) into the [`RUN_TABLE`], checks every foreign
    /// key, and commits.
    pub fn finish(mut self, run: &[(&str, &str)]) -> Result<(), Error> {
        {
            let mut insert = self.connection.prepare(&format!(
                "INSERT INTO {RUN_TABLE} (key, value) VALUES (?1, ?2)"
            ))?;
            for (key, value) in run {
                insert.execute([key, value])?;
            }
        }
        // Checked once at the end rather than row by row: enforcing them
        // on every insert costs a lookup per row and, since they are
        // circular, could only be deferred to this point anyway.
        let violation: Option<(String, i64, String)> = self
            .connection
            .query_row("PRAGMA foreign_key_check", [], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .map(Some)
            .or_else(|err| match err {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                err => Err(err),
            })?;
        if let Some((table, row, parent)) = violation {
            return Err(Error::ForeignKey { table, row, parent });
        }
        self.connection.execute_batch("COMMIT")?;
        self.finished = true;
        Ok(())
    }

    /// Binds `values` to table `table`'s insert and runs it.
    fn row(&mut self, table: usize, values: &[Value<'_>]) -> Result<(), Error> {
        let insert = &mut self.inserts[table];
        for (at, value) in values.iter().enumerate() {
            let at = at + 1;
            match *value {
                Value::Null => insert.raw_bind_parameter(at, rusqlite::types::Null)?,
                Value::Text(text) => insert.raw_bind_parameter(at, text)?,
                Value::Integer(number) => insert.raw_bind_parameter(at, number)?,
                Value::Boolean(flag) => insert.raw_bind_parameter(at, i64::from(flag))?,
                Value::Decimal(amount) => insert.raw_bind_parameter(at, cents(amount)?)?,
                Value::Date(date) => {
                    self.text.clear();
                    date.push_iso(&mut self.text);
                    insert.raw_bind_parameter(at, ascii(&self.text))?
                }
                Value::PersonaList(personas) => {
                    self.text.clear();
                    for (n, persona) in personas.iter().enumerate() {
                        if n > 0 {
                            self.text.push(b';');
                        }
                        self.text.extend_from_slice(persona.as_str().as_bytes());
                    }
                    insert.raw_bind_parameter(at, ascii(&self.text))?
                }
            }
        }
        insert.raw_execute()?;
        Ok(())
    }
}

impl Drop for Loader<'_> {
    fn drop(&mut self) {
        if !self.finished {
            // Best effort on the way out of an error; the caller discards
            // the database anyway.
            let _ = self.connection.execute_batch("ROLLBACK");
        }
    }
}

/// Text the loader built from ASCII pieces (dates, persona ids).
fn ascii(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("dates and persona ids are ASCII")
}

/// `INSERT INTO table (columns…) VALUES (?1, …)`.
fn insert(table: &Table) -> String {
    let names: Vec<String> = table
        .columns
        .iter()
        .map(|column| column_name(column, Dialect::Sqlite))
        .collect();
    let marks: Vec<String> = (1..=names.len()).map(|n| format!("?{n}")).collect();
    format!(
        "INSERT INTO {} ({}) VALUES ({})",
        table.name,
        names.join(", "),
        marks.join(", ")
    )
}

/// An amount as whole cents, exactly: refused when it has a fraction of a
/// cent or does not fit `DECIMAL(18, 2)`.
pub fn cents(amount: Decimal) -> Result<i64, Error> {
    let scale = amount.scale();
    let mantissa = amount.mantissa();
    let cents = if scale <= 2 {
        mantissa.checked_mul(10i128.pow(2 - scale))
    } else {
        let divisor = 10i128.pow(scale - 2);
        (mantissa % divisor == 0).then(|| mantissa / divisor)
    };
    cents
        .and_then(|cents| i64::try_from(cents).ok())
        .filter(|cents| cents.abs() <= crate::MAX_CENTS)
        .ok_or(Error::Amount(amount))
}
