//! The Arrow type (and so the Parquet type) of every logical column type of
//! [`spendsense_export::columns`], and a table's Arrow schema.
//!
//! The mapping is chosen for readers that take a file's types as they find
//! them: money is a decimal with its scale, never a float; ids, masks and
//! postal codes are text, so their leading zeros survive; whole numbers are
//! signed (Spark has no unsigned types) and as narrow as the model's range
//! allows.

use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema, SchemaRef};
use spendsense_export::columns::{Column, ColumnType, DECIMAL_PRECISION, DECIMAL_SCALE, Table};

/// Name of the element field of a list column, the one the Parquet format
/// specification gives it (Arrow's own default, `item`, is not).
pub const LIST_ELEMENT: &str = "element";

/// The Arrow type a column of kind `kind` is written as:
///
/// | [`ColumnType`] | Arrow | Parquet |
/// |---|---|---|
/// | `Decimal` | `Decimal128(18, 2)` | `INT64`, `DECIMAL(18, 2)` |
/// | `Date` | `Date32` | `INT32`, `DATE` |
/// | `Integer { min, max }` | the narrowest of `Int8`, `Int16`, `Int32`, `Int64` holding both | `INT32` or `INT64`, `INT(bits, signed)` |
/// | `Boolean` | `Boolean` | `BOOLEAN` |
/// | `Text`, `Enum` | `Utf8` | `BYTE_ARRAY`, `STRING` |
/// | `PersonaList` | `List<Utf8>` (element `element`, never null) | a three-level `LIST` of `STRING` |
pub fn data_type(kind: ColumnType) -> DataType {
    match kind {
        ColumnType::Decimal => DataType::Decimal128(DECIMAL_PRECISION, DECIMAL_SCALE as i8),
        ColumnType::Date => DataType::Date32,
        ColumnType::Integer { min, max } => integer_type(min, max),
        ColumnType::Boolean => DataType::Boolean,
        ColumnType::Text | ColumnType::Enum(_) => DataType::Utf8,
        ColumnType::PersonaList => DataType::List(Arc::new(list_element())),
    }
}

/// The element field of a `PersonaList` column.
pub(crate) fn list_element() -> Field {
    Field::new(LIST_ELEMENT, DataType::Utf8, false)
}

/// The narrowest signed integer type holding every value of `min..=max`.
fn integer_type(min: i64, max: i64) -> DataType {
    let fits = |low: i64, high: i64| low <= min && max <= high;
    if fits(i8::MIN.into(), i8::MAX.into()) {
        DataType::Int8
    } else if fits(i16::MIN.into(), i16::MAX.into()) {
        DataType::Int16
    } else if fits(i32::MIN.into(), i32::MAX.into()) {
        DataType::Int32
    } else {
        DataType::Int64
    }
}

/// A column as an Arrow field: its name, [`data_type`] and nullability.
pub fn field(column: &Column) -> Field {
    Field::new(column.name, data_type(column.kind), column.nullable)
}

/// The Arrow schema of `table`: its columns in order, as [`field`]s.
pub fn schema(table: &Table) -> SchemaRef {
    Arc::new(Schema::new(
        table.columns.iter().map(field).collect::<Vec<_>>(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_take_the_narrowest_signed_type() {
        let cases = [
            (0, 0, DataType::Int8),
            (18, 100, DataType::Int8),
            (-128, 127, DataType::Int8),
            (0, 128, DataType::Int16),
            (-129, 0, DataType::Int16),
            (0, 32_767, DataType::Int16),
            (0, 32_768, DataType::Int32),
            (i32::MIN.into(), i32::MAX.into(), DataType::Int32),
            (0, i64::from(i32::MAX) + 1, DataType::Int64),
            (i64::MIN, i64::MAX, DataType::Int64),
        ];
        for (min, max, expected) in cases {
            assert_eq!(
                data_type(ColumnType::Integer { min, max }),
                expected,
                "{min}..={max}"
            );
        }
    }

    #[test]
    fn money_is_decimal_18_2_and_text_is_utf8() {
        assert_eq!(data_type(ColumnType::Decimal), DataType::Decimal128(18, 2));
        assert_eq!(data_type(ColumnType::Text), DataType::Utf8);
        assert_eq!(data_type(ColumnType::Enum(&["a", "b"])), DataType::Utf8);
        assert_eq!(data_type(ColumnType::Date), DataType::Date32);
        let DataType::List(element) = data_type(ColumnType::PersonaList) else {
            panic!("a list");
        };
        assert_eq!(
            (
                element.name().as_str(),
                element.data_type(),
                element.is_nullable()
            ),
            (LIST_ELEMENT, &DataType::Utf8, false)
        );
    }
}
