//! Rows that do not fit their table, and a writer that fails, are errors
//! that say what was wrong, never a panic or a wrong value.

use std::io::{self, Write};

use spendsense_export::columns::{LEDGER_TABLES, PROFILE_TABLES, Value};
use spendsense_parquet::{Error, TableBuilder, TableWriter};

use rust_decimal::Decimal;
use spendsense_schema::Date;

/// A valid `paychecks` row: user_id, date, amount.
fn paycheck(amount: &str) -> [Value<'static>; 3] {
    [
        Value::Text("user_MASKED_000"),
        Value::Date(Date::from_ymd(2026, 11, 13).unwrap()),
        Value::Decimal(amount.parse().unwrap()),
    ]
}

fn refusal(values: &[Value<'_>]) -> String {
    let paychecks = &PROFILE_TABLES[2];
    assert_eq!(paychecks.name, "paychecks");
    let mut builder = TableBuilder::new(paychecks);
    builder.push(&paycheck("10.00")).unwrap();
    let err = builder.push(values).unwrap_err();
    // A refused row is refused whole: the builder holds the earlier row only.
    assert_eq!(builder.len(), 1);
    assert_eq!(builder.finish().num_rows(), 1);
    err.to_string()
}

#[test]
fn rows_that_do_not_fit_are_refused_whole() {
    let [user, date, _] = paycheck("1");
    let cases: [(&[Value<'_>], &str); 6] = [
        (
            &paycheck("1234.567"),
            "paychecks.amount: 1234.567 has more than 2 decimals",
        ),
        (
            &paycheck("12345678901234567"),
            "paychecks.amount: 12345678901234567 has more than 16 digits",
        ),
        (
            &[user, date, Value::Null],
            "paychecks.amount: null in a column that is never null",
        ),
        (
            &[user, date, Value::Text("1.00")],
            "paychecks.amount: a text value in a column of type Decimal",
        ),
        (
            &[user, date],
            "a paychecks row has 2 values; the table has 3 columns",
        ),
        (
            &[Value::Integer(0), date, Value::Decimal(Decimal::ONE)],
            "paychecks.user_id: a integer value",
        ),
    ];
    for (values, message) in cases {
        let got = refusal(values);
        assert!(
            got.starts_with(message),
            "{got:?} should start with {message:?}"
        );
    }
}

#[test]
fn integers_outside_the_columns_range_are_refused() {
    let users = &PROFILE_TABLES[0];
    let age = users.columns.iter().position(|c| c.name == "age").unwrap();
    let spendsense_export::columns::ColumnType::Integer { max, .. } = users.columns[age].kind
    else {
        panic!("age is an integer");
    };
    let profile = spendsense_schema::sample::profile();
    let mut row = Vec::new();
    spendsense_export::columns::profile_rows(&profile, |t, values| {
        if t == 0 {
            row = values.to_vec();
        }
    });
    let mut builder = TableBuilder::new(users);
    builder.push(&row).unwrap();
    row[age] = Value::Integer(max + 1);
    let err = builder.push(&row).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!("users.age: {} is outside", max + 1)),
        "{err}"
    );
}

#[test]
fn a_batch_of_another_table_is_refused() {
    let mut writer = TableWriter::new(&LEDGER_TABLES[1], Vec::new(), &[]).unwrap();
    let mut builder = TableBuilder::new(&PROFILE_TABLES[2]);
    builder.push(&paycheck("1.00")).unwrap();
    let err = writer.write(&builder.finish()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Schema {
                table: "liabilities"
            }
        ),
        "{err}"
    );
}

/// Accepts `room` bytes, then fails as a full disk does.
struct Full {
    room: usize,
}

impl Write for Full {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.room == 0 {
            return Err(io::Error::new(
                io::ErrorKind::StorageFull,
                "cannot write out/users.parquet: disk full",
            ));
        }
        let n = buf.len().min(self.room);
        self.room -= n;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The writer's own error comes back whole, wherever it strikes: at the
/// magic bytes, in a row group or in the footer.
#[test]
fn the_writers_error_comes_back_as_it_was() {
    let generator = crate::generator(crate::DATASETS[2]);
    let full = crate::write_tables(&generator, 0..50, 100, &[])[0].len();
    for room in [0, 3, 4, 100, full / 2, full - 10, full - 1] {
        let result = (|| {
            let mut writer =
                TableWriter::with_row_group_rows(&PROFILE_TABLES[0], Full { room }, &[], 100)?;
            for index in 0..50 {
                let profile = generator.profile(index);
                let mut pushed = Ok(());
                spendsense_export::columns::profile_rows(&profile, |t, values| {
                    if t == 0 && pushed.is_ok() {
                        pushed = writer.push(values);
                    }
                });
                pushed?;
            }
            writer.finish().map(|_| ())
        })();
        let Err(Error::Io(err)) = result else {
            panic!("room {room} of {full}: {result:?}");
        };
        assert_eq!(err.kind(), io::ErrorKind::StorageFull);
        assert_eq!(err.to_string(), "cannot write out/users.parquet: disk full");
    }
}
