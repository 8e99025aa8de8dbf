//! One row of a profile table, read a column at a time into the model's
//! types, and the [`Fault`] of a value that does not fit.
//!
//! Each getter takes the column's name and the field's path in the profile
//! (relative to the row's item, `balances.current` in `accounts[1]`); the
//! path is only put together when something is wrong.

use std::fmt;

use arrow_array::Array;
use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Decimal128Type, Int8Type, Int16Type, Int32Type, Int64Type};
use rust_decimal::Decimal;
use spendsense_export::columns::{DECIMAL_PRECISION, DECIMAL_SCALE, Table};
use spendsense_schema::text::escape_clipped;
use spendsense_schema::{Date, Error as ModelError, PersonaId};

use super::QUOTED;
use crate::builder::EPOCH;

/// A value that does not fit the model: where it belongs in the profile and
/// what is wrong, the message naming the table, row and column.
#[derive(Debug)]
pub(super) struct Fault {
    pub(super) path: String,
    pub(super) message: String,
}

/// A whole number type of the model, and the range it holds.
pub(super) trait Whole: TryFrom<i64> {
    const MIN: i64;
    const MAX: i64;
}

impl Whole for u8 {
    const MIN: i64 = u8::MIN as i64;
    const MAX: i64 = u8::MAX as i64;
}

impl Whole for u16 {
    const MIN: i64 = u16::MIN as i64;
    const MAX: i64 = u16::MAX as i64;
}

/// Row `number` of `table` (row `index` of one of its batches, whose
/// arrays of the model's columns are `arrays`), item `item` of a list of
/// the profile when it is a child row.
pub(super) struct Row<'r, 'a> {
    pub(super) table: &'static Table,
    pub(super) arrays: &'r [&'a dyn Array],
    pub(super) index: usize,
    pub(super) number: usize,
    pub(super) item: Option<(&'static str, usize)>,
}

impl<'a> Row<'_, 'a> {
    /// `path` within the profile: under the row's list item, if any.
    fn path(&self, path: &str) -> String {
        match self.item {
            Some((list, item)) => format!("{list}[{item}].{path}"),
            None => path.to_string(),
        }
    }

    /// The fault of `column` (at `path`), which holds a value `problem` describes.
    #[cold]
    pub(super) fn fault(&self, column: &str, path: &str, problem: impl fmt::Display) -> Fault {
        Fault {
            path: self.path(path),
            message: format!(
                "{} row {}, column {column}: {problem}",
                self.table.name, self.number
            ),
        }
    }

    #[cold]
    fn null(&self, column: &str, path: &str) -> Fault {
        self.fault(column, path, "null where the model allows none")
    }

    /// Only for arrays that `view::columns` let through with another
    /// type than the getter reads, which would be a bug here.
    #[cold]
    fn kind(&self, column: &str, path: &str, array: &dyn Array) -> Fault {
        self.fault(
            column,
            path,
            format_args!("a {} column cannot be read here", array.data_type()),
        )
    }

    /// `column`'s array, and `None` when this row of it is null.
    fn cell(&self, column: &str, path: &str) -> Result<Option<&'a dyn Array>, Fault> {
        let array = self
            .table
            .columns
            .iter()
            .position(|c| c.name == column)
            .and_then(|at| self.arrays.get(at))
            .ok_or_else(|| self.fault(column, path, "no such column in the table"))?;
        Ok((!array.is_null(self.index)).then_some(*array))
    }

    /// `value`, or the fault of a null.
    fn required<T>(&self, value: Option<T>, column: &str, path: &str) -> Result<T, Fault> {
        value.ok_or_else(|| self.null(column, path))
    }

    pub(super) fn text_opt(&self, column: &str, path: &str) -> Result<Option<&'a str>, Fault> {
        let Some(array) = self.cell(column, path)? else {
            return Ok(None);
        };
        let strings = array
            .as_string_opt::<i32>()
            .ok_or_else(|| self.kind(column, path, array))?;
        Ok(Some(strings.value(self.index)))
    }

    pub(super) fn text(&self, column: &str, path: &str) -> Result<&'a str, Fault> {
        let text = self.text_opt(column, path)?;
        self.required(text, column, path)
    }

    /// Owned text, for the model's `String` fields.
    pub(super) fn string(&self, column: &str, path: &str) -> Result<String, Fault> {
        self.text(column, path).map(str::to_string)
    }

    pub(super) fn string_opt(&self, column: &str, path: &str) -> Result<Option<String>, Fault> {
        Ok(self.text_opt(column, path)?.map(str::to_string))
    }

    pub(super) fn amount_opt(&self, column: &str, path: &str) -> Result<Option<Decimal>, Fault> {
        let Some(array) = self.cell(column, path)? else {
            return Ok(None);
        };
        let units = array
            .as_primitive_opt::<Decimal128Type>()
            .ok_or_else(|| self.kind(column, path, array))?
            .value(self.index);
        amount(units)
            .map(Some)
            .map_err(|problem| self.fault(column, path, problem))
    }

    pub(super) fn amount(&self, column: &str, path: &str) -> Result<Decimal, Fault> {
        let amount = self.amount_opt(column, path)?;
        self.required(amount, column, path)
    }

    pub(super) fn date_opt(&self, column: &str, path: &str) -> Result<Option<Date>, Fault> {
        let Some(array) = self.cell(column, path)? else {
            return Ok(None);
        };
        let days = array
            .as_primitive_opt::<Date32Type>()
            .ok_or_else(|| self.kind(column, path, array))?
            .value(self.index);
        let date = EPOCH.checked_add_days(days).ok_or_else(|| {
            self.fault(
                column,
                path,
                format_args!(
                    "day {days} counted from 1970-01-01 is outside {}..={}, the days the model holds",
                    Date::MIN,
                    Date::MAX
                ),
            )
        })?;
        Ok(Some(date))
    }

    pub(super) fn date(&self, column: &str, path: &str) -> Result<Date, Fault> {
        let date = self.date_opt(column, path)?;
        self.required(date, column, path)
    }

    /// A whole number of the model's type `T`, from any signed Arrow integer.
    pub(super) fn whole<T: Whole>(&self, column: &str, path: &str) -> Result<T, Fault> {
        let array = self.cell(column, path)?;
        let array = self.required(array, column, path)?;
        let at = self.index;
        let number = None
            .or_else(|| Some(i64::from(array.as_primitive_opt::<Int8Type>()?.value(at))))
            .or_else(|| Some(i64::from(array.as_primitive_opt::<Int16Type>()?.value(at))))
            .or_else(|| Some(i64::from(array.as_primitive_opt::<Int32Type>()?.value(at))))
            .or_else(|| Some(array.as_primitive_opt::<Int64Type>()?.value(at)))
            .ok_or_else(|| self.kind(column, path, array))?;
        T::try_from(number).map_err(|_| {
            self.fault(
                column,
                path,
                format_args!(
                    "{number} is outside {}..={}, the range the model holds",
                    T::MIN,
                    T::MAX
                ),
            )
        })
    }

    pub(super) fn flag(&self, column: &str, path: &str) -> Result<bool, Fault> {
        let array = self.cell(column, path)?;
        let array = self.required(array, column, path)?;
        let flags = array
            .as_boolean_opt()
            .ok_or_else(|| self.kind(column, path, array))?;
        Ok(flags.value(self.index))
    }

    /// One of `all`, by its wire spelling `spell`, or `None` for a null.
    pub(super) fn spelled_opt<E: Copy>(
        &self,
        column: &str,
        path: &str,
        all: &[E],
        spell: fn(E) -> &'static str,
    ) -> Result<Option<E>, Fault> {
        let Some(text) = self.text_opt(column, path)? else {
            return Ok(None);
        };
        match all.iter().copied().find(|value| spell(*value) == text) {
            Some(value) => Ok(Some(value)),
            None => {
                let allowed: Vec<&str> = all.iter().map(|value| spell(*value)).collect();
                Err(self.fault(
                    column,
                    path,
                    format_args!(
                        "unknown spelling `{}`; expected one of {}",
                        escape_clipped(text, QUOTED),
                        allowed.join(", ")
                    ),
                ))
            }
        }
    }

    /// [`Row::spelled_opt`] of a column the model never leaves null.
    pub(super) fn spelled<E: Copy>(
        &self,
        column: &str,
        path: &str,
        all: &[E],
        spell: fn(E) -> &'static str,
    ) -> Result<E, Fault> {
        let value = self.spelled_opt(column, path, all, spell)?;
        self.required(value, column, path)
    }

    /// A persona id, by [`PersonaId`]'s own parser.
    fn parse_persona(&self, text: &str, column: &str, path: &str) -> Result<PersonaId, Fault> {
        text.parse().map_err(|_| {
            // The schema crate's message, with the text clipped as well as escaped.
            let err = ModelError::UnknownPersona(escape_clipped(text, QUOTED));
            self.fault(column, path, err)
        })
    }

    pub(super) fn persona_opt(&self, column: &str, path: &str) -> Result<Option<PersonaId>, Fault> {
        self.text_opt(column, path)?
            .map(|text| self.parse_persona(text, column, path))
            .transpose()
    }

    pub(super) fn persona(&self, column: &str, path: &str) -> Result<PersonaId, Fault> {
        let persona = self.persona_opt(column, path)?;
        self.required(persona, column, path)
    }

    /// A list of persona ids; a null element is a fault at `path[i]`.
    pub(super) fn personas_opt(
        &self,
        column: &str,
        path: &str,
    ) -> Result<Option<Vec<PersonaId>>, Fault> {
        let Some(array) = self.cell(column, path)? else {
            return Ok(None);
        };
        let list = array
            .as_list_opt::<i32>()
            .ok_or_else(|| self.kind(column, path, array))?;
        let values = list.values();
        let strings = values
            .as_string_opt::<i32>()
            .ok_or_else(|| self.kind(column, path, values.as_ref()))?;
        let offsets = list.value_offsets();
        let bounds = offsets
            .get(self.index)
            .zip(offsets.get(self.index + 1))
            .and_then(|(&start, &end)| {
                Some((usize::try_from(start).ok()?, usize::try_from(end).ok()?))
            })
            .filter(|&(start, end)| start <= end && end <= strings.len());
        let Some((start, end)) = bounds else {
            return Err(self.fault(column, path, "list offsets outside the list's values"));
        };
        let mut personas = Vec::with_capacity(end - start);
        for (item, at) in (start..end).enumerate() {
            let path = format!("{path}[{item}]");
            if strings.is_null(at) {
                return Err(self.fault(column, &path, "a null persona in the list"));
            }
            personas.push(self.parse_persona(strings.value(at), column, &path)?);
        }
        Ok(Some(personas))
    }
}

/// `units` hundredths as the model's amount, refused past DECIMAL(18, 2),
/// which no Arrow writer should make but nothing in an array prevents.
fn amount(units: i128) -> Result<Decimal, String> {
    let limit = 10_u128.pow(DECIMAL_PRECISION.into());
    let scale = u32::from(DECIMAL_SCALE);
    if units.unsigned_abs() >= limit {
        let (sign, digits) = (if units < 0 { "-" } else { "" }, units.unsigned_abs());
        let cents = 10_u128.pow(scale);
        return Err(format!(
            "{sign}{}.{:02} has more than {} digits before the point, which DECIMAL({DECIMAL_PRECISION}, {DECIMAL_SCALE}) cannot hold",
            digits / cents,
            digits % cents,
            DECIMAL_PRECISION - DECIMAL_SCALE
        ));
    }
    Decimal::try_from_i128_with_scale(units, scale).map_err(|err| err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_hundredths_up_to_18_digits() {
        let cases = [
            (0, "0.00"),
            (1, "0.01"),
            (-1, "-0.01"),
            (123_456, "1234.56"),
            (999_999_999_999_999_999, "9999999999999999.99"),
            (-999_999_999_999_999_999, "-9999999999999999.99"),
        ];
        for (units, text) in cases {
            let amount = amount(units).unwrap();
            assert_eq!(amount.to_string(), text);
            assert_eq!(amount.scale(), 2);
        }
        for (units, text) in [
            (1_000_000_000_000_000_000, "10000000000000000.00"),
            (-1_000_000_000_000_000_005, "-10000000000000000.05"),
            (i128::MIN, "-1701411834604692317316873037158841057.28"),
            (i128::MAX, "1701411834604692317316873037158841057.27"),
        ] {
            let err = amount(units).unwrap_err();
            assert_eq!(
                err,
                format!(
                    "{text} has more than 16 digits before the point, which DECIMAL(18, 2) cannot hold"
                )
            );
        }
    }
}
