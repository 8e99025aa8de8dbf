//! The batches of one profile table with the model's columns found by
//! name and their types checked ([`TableView`]), and a child table's rows
//! grouped by `user_id` ([`Children`]).

use std::collections::HashMap;

use arrow_array::cast::AsArray;
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use spendsense_export::columns::Table;

use super::SchemaError;
use super::row::{Fault, Row};
use crate::types;

/// One table's batches, each with the model's columns found by name and
/// checked, in the table's column order.
pub(super) struct TableView<'a> {
    table: &'static Table,
    batches: Vec<Columns<'a>>,
    /// The row number after each batch's last: where the next batch starts.
    ends: Vec<usize>,
}

/// One batch's arrays of the model's columns, in the table's column order.
pub(super) struct Columns<'a> {
    arrays: Vec<&'a dyn Array>,
}

impl<'a> TableView<'a> {
    pub(super) fn new(
        table: &'static Table,
        batches: &'a [RecordBatch],
    ) -> Result<Self, SchemaError> {
        let mut view = TableView {
            table,
            batches: Vec::with_capacity(batches.len()),
            ends: Vec::with_capacity(batches.len()),
        };
        let mut rows = 0;
        for (number, batch) in batches.iter().enumerate() {
            view.batches.push(columns(table, number, batch)?);
            rows += batch.num_rows();
            view.ends.push(rows);
        }
        Ok(view)
    }

    pub(super) fn rows(&self) -> usize {
        self.ends.last().copied().unwrap_or(0)
    }

    /// Row `number` of the table, as item `item` of its list in the profile.
    pub(super) fn row(
        &self,
        number: usize,
        item: Option<(&'static str, usize)>,
    ) -> Option<Row<'_, 'a>> {
        let batch = self.ends.partition_point(|&end| end <= number);
        let start = match batch {
            0 => 0,
            _ => *self.ends.get(batch - 1)?,
        };
        Some(Row {
            table: self.table,
            arrays: &self.batches.get(batch)?.arrays,
            index: number - start,
            number,
            item,
        })
    }

    /// Every row's `user_id`, `None` where it is null.
    pub(super) fn user_ids(&self) -> impl Iterator<Item = Option<&'a str>> + '_ {
        let at = self.table.columns.iter().position(|c| c.name == "user_id");
        self.batches.iter().flat_map(move |columns| {
            let ids = at
                .and_then(|at| columns.arrays.get(at))
                .and_then(|array| array.as_string_opt::<i32>());
            // Every table has a Utf8 `user_id` column, checked by `columns`.
            ids.into_iter().flat_map(|ids| ids.iter())
        })
    }
}

/// `batch`'s arrays of `table`'s columns, found by name and checked.
fn columns<'a>(
    table: &'static Table,
    number: usize,
    batch: &'a RecordBatch,
) -> Result<Columns<'a>, SchemaError> {
    let fields = batch.schema_ref().fields();
    let mut arrays = Vec::with_capacity(table.columns.len());
    for column in table.columns {
        let expected = types::data_type(column.kind);
        let mut named = fields
            .iter()
            .enumerate()
            .filter(|(_, field)| field.name() == column.name);
        let (at, field) = named.next().ok_or_else(|| SchemaError::MissingColumn {
            table: table.name,
            batch: number,
            column: column.name,
            expected: expected.clone(),
        })?;
        let others = named.count();
        if others > 0 {
            return Err(SchemaError::DuplicateColumn {
                table: table.name,
                batch: number,
                column: column.name,
                count: 1 + others,
            });
        }
        let array = batch.columns().get(at).map(|array| array.as_ref());
        match array {
            Some(array) if same_type(field.data_type(), &expected) => arrays.push(array),
            _ => {
                return Err(SchemaError::WrongType {
                    table: table.name,
                    batch: number,
                    column: column.name,
                    found: field.data_type().clone(),
                    expected,
                });
            }
        }
    }
    Ok(Columns { arrays })
}

/// Whether a column of type `found` reads as one of type `expected`: the
/// same type, where a list's element field may have any name and
/// nullability (a null element is a row error).
fn same_type(found: &DataType, expected: &DataType) -> bool {
    match (found, expected) {
        (DataType::List(found), DataType::List(expected)) => {
            found.data_type() == expected.data_type()
        }
        _ => found == expected,
    }
}

/// A child table and where each `user_id`'s rows are.
pub(super) struct Children<'a> {
    view: TableView<'a>,
    /// The row numbers of each `user_id` (`None`: null), in table order.
    rows: HashMap<Option<&'a str>, Vec<usize>>,
    /// The ids of `rows`, in order of first appearance.
    ids: Vec<Option<&'a str>>,
}

impl<'a> Children<'a> {
    pub(super) fn new(view: TableView<'a>) -> Self {
        let mut rows: HashMap<Option<&'a str>, Vec<usize>> = HashMap::new();
        let mut ids = Vec::new();
        for (number, user_id) in view.user_ids().enumerate() {
            let numbers = rows.entry(user_id).or_insert_with(|| {
                ids.push(user_id);
                Vec::new()
            });
            numbers.push(number);
        }
        Children { view, rows, ids }
    }

    /// The table's name.
    pub(super) fn name(&self) -> &'static str {
        self.view.table.name
    }

    /// Every `user_id` of the table (`None`: null), once, in order of first appearance.
    pub(super) fn ids(&self) -> &[Option<&'a str>] {
        &self.ids
    }

    /// How many rows `user_id` has.
    pub(super) fn count(&self, user_id: Option<&str>) -> usize {
        self.rows.get(&user_id).map_or(0, Vec::len)
    }

    /// The rows of `user_id`, read as items of the profile's `list`.
    pub(super) fn read<T>(
        &self,
        user_id: &str,
        list: &'static str,
        read: fn(&Row<'_, '_>) -> Result<T, Fault>,
    ) -> Result<Vec<T>, Fault> {
        let Some(numbers) = self.rows.get(&Some(user_id)) else {
            return Ok(Vec::new());
        };
        let mut items = Vec::with_capacity(numbers.len());
        for (item, &number) in numbers.iter().enumerate() {
            // The numbers come from the table, so every row is there.
            let Some(row) = self.view.row(number, Some((list, item))) else {
                continue;
            };
            items.push(read(&row)?);
        }
        Ok(items)
    }
}
