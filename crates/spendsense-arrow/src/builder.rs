//! One table's rows in Arrow column builders, taken out as a
//! [`RecordBatch`] of the table's [`schema`](crate::schema).
//!
//! This is the half of writing that needs no file: the `spendsense` command
//! fills one [`TableBuilder`] per table on each worker thread and hands the
//! batches to the Parquet writers of `spendsense-parquet`.

use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Decimal128Builder, Int8Builder, Int16Builder, Int32Builder,
    Int64Builder, ListBuilder, StringBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, SchemaRef};
use rust_decimal::Decimal;
use spendsense_export::columns::{
    Column, ColumnType, DECIMAL_PRECISION, DECIMAL_SCALE, Table, Value,
};
use spendsense_schema::{Date, PersonaId};

use crate::Error;
use crate::types::{self, list_element};

/// The first day of the Unix epoch, day 0 of Arrow's `Date32`.
pub(crate) const EPOCH: Date = match Date::from_ymd(1970, 1, 1) {
    Some(date) => date,
    None => panic!("1970-01-01 exists"),
};

/// The most columns a table may have: a row's converted values are kept on
/// the stack while the row is checked.
pub const MAX_COLUMNS: usize = 64;

/// The rows of one table, column by column, until [`TableBuilder::finish`].
#[derive(Debug)]
pub struct TableBuilder {
    table: &'static Table,
    schema: SchemaRef,
    columns: Vec<ColumnBuilder>,
    rows: usize,
}

/// The builder of one column, by its Arrow type.
#[derive(Debug)]
enum ColumnBuilder {
    Text(StringBuilder),
    Decimal(Decimal128Builder),
    Date(Date32Builder),
    Int8(Int8Builder),
    Int16(Int16Builder),
    Int32(Int32Builder),
    Int64(Int64Builder),
    Boolean(BooleanBuilder),
    List(ListBuilder<StringBuilder>),
}

/// A value converted for its column, borrowed from the row.
#[derive(Debug, Clone, Copy)]
enum Cell<'a> {
    Null,
    Text(&'a str),
    /// Hundredths.
    Decimal(i128),
    /// Days since 1970-01-01.
    Date(i32),
    Integer(i64),
    Boolean(bool),
    List(&'a [PersonaId]),
}

impl TableBuilder {
    /// An empty builder for `table`.
    ///
    /// # Panics
    ///
    /// If the table has more than [`MAX_COLUMNS`] columns (none of the
    /// model's has; a test checks every one).
    pub fn new(table: &'static Table) -> TableBuilder {
        assert!(
            table.columns.len() <= MAX_COLUMNS,
            "table {} has {} columns, more than MAX_COLUMNS",
            table.name,
            table.columns.len()
        );
        let schema = types::schema(table);
        let columns = table.columns.iter().map(ColumnBuilder::new).collect();
        TableBuilder {
            table,
            schema,
            columns,
            rows: 0,
        }
    }

    /// The table this builds.
    pub fn table(&self) -> &'static Table {
        self.table
    }

    /// The Arrow schema of the batches [`TableBuilder::finish`] returns.
    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// Rows pushed since the last [`TableBuilder::finish`].
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether no row was pushed since the last [`TableBuilder::finish`].
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Appends one row: `values` holds exactly the table's columns, in order,
    /// as [`spendsense_export::columns::profile_rows`] and `ledger_rows` give
    /// them. Every value is checked against its column first, so a row that
    /// does not fit is refused whole and the builder keeps its earlier rows.
    pub fn push(&mut self, values: &[Value<'_>]) -> Result<(), Error> {
        let columns = self.table.columns;
        if values.len() != columns.len() {
            return Err(Error::RowWidth {
                table: self.table.name,
                expected: columns.len(),
                found: values.len(),
            });
        }
        // Converted once, all of them before any is appended.
        let mut cells = [Cell::Null; MAX_COLUMNS];
        for (slot, (column, value)) in cells.iter_mut().zip(columns.iter().zip(values)) {
            *slot = cell(column, value).map_err(|misfit| misfit.error(self.table, column))?;
        }
        for (builder, cell) in self.columns.iter_mut().zip(cells) {
            builder.append(cell);
        }
        self.rows += 1;
        Ok(())
    }

    /// The rows pushed so far as one batch; the builder starts empty again.
    pub fn finish(&mut self) -> RecordBatch {
        let arrays: Vec<ArrayRef> = self.columns.iter_mut().map(ColumnBuilder::finish).collect();
        self.rows = 0;
        RecordBatch::try_new(self.schema.clone(), arrays)
            .expect("every builder makes its column's type, nulls only where allowed")
    }
}

impl ColumnBuilder {
    fn new(column: &Column) -> ColumnBuilder {
        match types::data_type(column.kind) {
            DataType::Utf8 => ColumnBuilder::Text(StringBuilder::new()),
            DataType::Decimal128(precision, scale) => ColumnBuilder::Decimal(
                Decimal128Builder::new()
                    .with_precision_and_scale(precision, scale)
                    .expect("DECIMAL(18, 2) is a valid decimal type"),
            ),
            DataType::Date32 => ColumnBuilder::Date(Date32Builder::new()),
            DataType::Int8 => ColumnBuilder::Int8(Int8Builder::new()),
            DataType::Int16 => ColumnBuilder::Int16(Int16Builder::new()),
            DataType::Int32 => ColumnBuilder::Int32(Int32Builder::new()),
            DataType::Boolean => ColumnBuilder::Boolean(BooleanBuilder::new()),
            DataType::List(_) => ColumnBuilder::List(
                ListBuilder::new(StringBuilder::new()).with_field(Arc::new(list_element())),
            ),
            // `data_type` makes nothing else; Int64 is the widest integer.
            _ => ColumnBuilder::Int64(Int64Builder::new()),
        }
    }

    /// Appends a cell already checked by [`cell`] against this column.
    fn append(&mut self, cell: Cell<'_>) {
        // An integer fits its builder's width: `cell` checked it against the
        // column's range, which `types::data_type` chose the width for.
        match (self, cell) {
            (ColumnBuilder::Text(b), Cell::Text(text)) => b.append_value(text),
            (ColumnBuilder::Text(b), _) => b.append_null(),
            (ColumnBuilder::Decimal(b), Cell::Decimal(units)) => b.append_value(units),
            (ColumnBuilder::Decimal(b), _) => b.append_null(),
            (ColumnBuilder::Date(b), Cell::Date(days)) => b.append_value(days),
            (ColumnBuilder::Date(b), _) => b.append_null(),
            (ColumnBuilder::Int8(b), Cell::Integer(v)) => b.append_option(v.try_into().ok()),
            (ColumnBuilder::Int8(b), _) => b.append_null(),
            (ColumnBuilder::Int16(b), Cell::Integer(v)) => b.append_option(v.try_into().ok()),
            (ColumnBuilder::Int16(b), _) => b.append_null(),
            (ColumnBuilder::Int32(b), Cell::Integer(v)) => b.append_option(v.try_into().ok()),
            (ColumnBuilder::Int32(b), _) => b.append_null(),
            (ColumnBuilder::Int64(b), Cell::Integer(v)) => b.append_value(v),
            (ColumnBuilder::Int64(b), _) => b.append_null(),
            (ColumnBuilder::Boolean(b), Cell::Boolean(v)) => b.append_value(v),
            (ColumnBuilder::Boolean(b), _) => b.append_null(),
            (ColumnBuilder::List(b), Cell::List(ids)) => {
                b.append_value(ids.iter().map(|id| Some(id.as_str())))
            }
            (ColumnBuilder::List(b), _) => b.append_null(),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            ColumnBuilder::Text(b) => Arc::new(b.finish()),
            ColumnBuilder::Decimal(b) => Arc::new(b.finish()),
            ColumnBuilder::Date(b) => Arc::new(b.finish()),
            ColumnBuilder::Int8(b) => Arc::new(b.finish()),
            ColumnBuilder::Int16(b) => Arc::new(b.finish()),
            ColumnBuilder::Int32(b) => Arc::new(b.finish()),
            ColumnBuilder::Int64(b) => Arc::new(b.finish()),
            ColumnBuilder::Boolean(b) => Arc::new(b.finish()),
            ColumnBuilder::List(b) => Arc::new(b.finish()),
        }
    }
}

/// Why a value does not fit its column; the message is written only then.
#[derive(Debug, Clone, Copy)]
enum Misfit {
    Null,
    Amount(Decimal),
    Range(i64),
    Kind(&'static str),
}

impl Misfit {
    #[cold]
    fn error(self, table: &Table, column: &Column) -> Error {
        let problem = match self {
            Misfit::Null => "null in a column that is never null".to_string(),
            Misfit::Amount(amount) => hundredths(amount)
                .err()
                .unwrap_or_else(|| format!("{amount} does not fit")),
            Misfit::Range(number) => match column.kind {
                ColumnType::Integer { min, max } => {
                    format!("{number} is outside the column's range {min}..={max}")
                }
                _ => format!("{number} is outside the column's range"),
            },
            Misfit::Kind(value) => format!("a {value} value in a column of type {:?}", column.kind),
        };
        Error::Value {
            table: table.name,
            column: column.name,
            problem,
        }
    }
}

/// `value` converted for `column`, or why it does not fit there.
fn cell<'a>(column: &Column, value: &Value<'a>) -> Result<Cell<'a>, Misfit> {
    let cell = match (column.kind, *value) {
        (_, Value::Null) if column.nullable => Cell::Null,
        (_, Value::Null) => return Err(Misfit::Null),
        (ColumnType::Text | ColumnType::Enum(_), Value::Text(text)) => Cell::Text(text),
        (ColumnType::Decimal, Value::Decimal(amount)) => {
            Cell::Decimal(hundredths(amount).map_err(|_| Misfit::Amount(amount))?)
        }
        (ColumnType::Date, Value::Date(date)) => Cell::Date(EPOCH.days_until(date)),
        (ColumnType::Integer { min, max }, Value::Integer(number)) => {
            if !(min..=max).contains(&number) {
                return Err(Misfit::Range(number));
            }
            Cell::Integer(number)
        }
        (ColumnType::Boolean, Value::Boolean(flag)) => Cell::Boolean(flag),
        (ColumnType::PersonaList, Value::PersonaList(ids)) => Cell::List(ids),
        (_, value) => return Err(Misfit::Kind(value_kind(&value))),
    };
    Ok(cell)
}

/// What kind of [`Value`] this is, for messages.
fn value_kind(value: &Value<'_>) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Text(_) => "text",
        Value::Decimal(_) => "decimal",
        Value::Date(_) => "date",
        Value::Integer(_) => "integer",
        Value::Boolean(_) => "boolean",
        Value::PersonaList(_) => "persona list",
    }
}

/// `amount` in units of the column's scale (hundredths), exactly: an
/// amount with more decimals than that, or more digits than the precision,
/// is refused rather than rounded.
pub(crate) fn hundredths(amount: Decimal) -> Result<i128, String> {
    let scale = u32::from(DECIMAL_SCALE);
    let (mantissa, own) = (amount.mantissa(), amount.scale());
    let units = if own <= scale {
        mantissa.checked_mul(10_i128.pow(scale - own))
    } else {
        let divisor = 10_i128.pow(own - scale);
        (mantissa % divisor == 0).then_some(mantissa / divisor)
    };
    let Some(units) = units else {
        return Err(format!(
            "{amount} has more than {DECIMAL_SCALE} decimals, which DECIMAL({DECIMAL_PRECISION}, {DECIMAL_SCALE}) cannot hold exactly"
        ));
    };
    if units.unsigned_abs() >= 10_u128.pow(DECIMAL_PRECISION.into()) {
        return Err(format!(
            "{amount} has more than {} digits before the point, which DECIMAL({DECIMAL_PRECISION}, {DECIMAL_SCALE}) cannot hold",
            DECIMAL_PRECISION - DECIMAL_SCALE
        ));
    }
    Ok(units)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn amounts_become_exact_hundredths_at_any_scale() {
        let cases = [
            ("0", 0),
            ("12", 1200),
            ("12.5", 1250),
            ("12.50", 1250),
            ("12.500", 1250),
            ("-0.01", -1),
            ("-1234567.89", -123456789),
            ("9999999999999999.99", 999_999_999_999_999_999),
        ];
        for (text, units) in cases {
            assert_eq!(hundredths(dec(text)), Ok(units), "{text}");
        }
    }

    #[test]
    fn amounts_that_would_round_or_overflow_are_refused() {
        for text in ["0.001", "12.345", "-1.005"] {
            let err = hundredths(dec(text)).unwrap_err();
            assert!(err.contains("more than 2 decimals"), "{text}: {err}");
        }
        for text in ["10000000000000000", "-10000000000000000.00"] {
            let err = hundredths(dec(text)).unwrap_err();
            assert!(err.contains("16 digits before the point"), "{text}: {err}");
        }
    }

    #[test]
    fn every_table_of_the_model_fits() {
        for table in spendsense_export::columns::all_tables() {
            assert!(table.columns.len() <= MAX_COLUMNS, "{}", table.name);
            assert_eq!(
                TableBuilder::new(table).finish().num_columns(),
                table.columns.len()
            );
        }
    }

    #[test]
    fn dates_count_days_from_the_epoch() {
        let day = |y, m, d| Date::from_ymd(y, m, d).unwrap();
        assert_eq!(EPOCH.days_until(day(1970, 1, 2)), 1);
        assert_eq!(EPOCH.days_until(day(1969, 12, 31)), -1);
        // 2026-11-30, the default as_of: 20,787 days after 1970-01-01.
        assert_eq!(EPOCH.days_until(day(2026, 11, 30)), 20_787);
    }
}
