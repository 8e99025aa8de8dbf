//! A per-column profile of the CSV tables, in the spirit of ydata-profiling:
//! rows, nulls, distinct values, min and max, top values of enums.
//!
//! Columns come from the typed column model ([`crate::columns`]), fed one
//! row at a time ([`FieldProfile::push_row`]), so every column the CSV
//! output has is profiled and nothing else. Memory is fixed per column:
//! distinct values are counted exactly up to [`DISTINCT_EXACT`] and estimated
//! beyond by the k-minimum-values sketch (the `k` smallest 64-bit hashes
//! seen; relative error about 1/√k, 3% here); enum columns keep one counter
//! per spelling, persona lists at most [`LIST_VALUES`] distinct lists.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use spendsense_schema::{Date, PersonaId, UserProfile};

use crate::columns::{self, ColumnType, Table, Value};

/// Distinct values counted exactly; more are estimated.
pub const DISTINCT_EXACT: usize = 1024;
/// Distinct `matched_personas` lists kept with their counts; more are counted together.
pub const LIST_VALUES: usize = 16;

/// Distinct values of a column: exact, or an estimate past [`DISTINCT_EXACT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Distinct {
    /// Exactly this many.
    Exact(u64),
    /// About this many (more than [`DISTINCT_EXACT`]).
    About(u64),
}

/// The k smallest hashes seen (k = [`DISTINCT_EXACT`]).
#[derive(Debug, Clone, Default)]
struct Sketch {
    smallest: BTreeSet<u64>,
    /// The largest of `smallest` once it holds k hashes (a `BTreeSet` finds
    /// its last element by walking down the tree; most pushes only compare).
    top: Option<u64>,
    /// Whether a hash was ever left out: then there are more than k values.
    overflowed: bool,
}

impl Sketch {
    fn push(&mut self, hash: u64) {
        match self.top {
            None => {
                self.smallest.insert(hash);
                if self.smallest.len() == DISTINCT_EXACT {
                    self.top = self.smallest.last().copied();
                }
            }
            // Larger than all k kept, so not one of them: a (k+1)th value.
            Some(top) if hash > top => self.overflowed = true,
            Some(_) => {
                if self.smallest.insert(hash) {
                    self.overflowed = true;
                    self.smallest.pop_last();
                    self.top = self.smallest.last().copied();
                }
            }
        }
    }

    fn distinct(&self) -> Distinct {
        let kept = self.smallest.len();
        match self.smallest.last() {
            Some(&top) if self.overflowed => {
                // (k − 1) / (the k-th smallest hash as a fraction of 2^64).
                let fraction = (top as f64 + 1.0) / 18_446_744_073_709_551_616.0;
                Distinct::About(((kept - 1) as f64 / fraction).round() as u64)
            }
            _ => Distinct::Exact(kept as u64),
        }
    }
}

/// SplitMix64's finalizer: spreads any 64 bits over all 64.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a over `bytes`, then mixed: fast for short cells, stable across runs.
fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = 0xCBF2_9CE4_8422_2325_u64;
    for b in bytes {
        h = (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01B3);
    }
    mix(h)
}

fn hash(value: &Value<'_>) -> u64 {
    match value {
        Value::Null => 0,
        Value::Text(text) => hash_bytes(text.as_bytes()),
        // The normalized value, so 1.5 and 1.50 are one value.
        Value::Decimal(d) => hash_bytes(&d.normalize().serialize()),
        Value::Date(date) => mix(Date::MIN.days_until(*date) as u64 ^ 0xD1),
        Value::Integer(i) => mix(*i as u64 ^ 0x11),
        Value::Boolean(b) => mix(u64::from(*b) ^ 0xB0),
        Value::PersonaList(list) => {
            let bytes: Vec<u8> = list.iter().map(|p| p.index() as u8).collect();
            hash_bytes(&bytes) ^ 0x1157
        }
    }
}

/// The smallest and largest of an ordered column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extremes {
    /// Decimal columns.
    Decimal(Decimal, Decimal),
    /// Integer columns.
    Integer(i64, i64),
    /// Date columns.
    Date(Date, Date),
    /// Text columns: the shortest and longest length, in characters.
    Length(usize, usize),
}

impl Extremes {
    fn widen(self, other: Extremes) -> Extremes {
        use Extremes::*;
        match (self, other) {
            (Decimal(a, b), Decimal(c, d)) => Decimal(a.min(c), b.max(d)),
            (Integer(a, b), Integer(c, d)) => Integer(a.min(c), b.max(d)),
            (Date(a, b), Date(c, d)) => Date(a.min(c), b.max(d)),
            (Length(a, b), Length(c, d)) => Length(a.min(c), b.max(d)),
            // A column has one type; a mismatch keeps what was there.
            (kept, _) => kept,
        }
    }

    fn of(value: &Value<'_>, kind: ColumnType) -> Option<Extremes> {
        match (value, kind) {
            (Value::Decimal(d), _) => Some(Extremes::Decimal(*d, *d)),
            (Value::Integer(i), _) => Some(Extremes::Integer(*i, *i)),
            (Value::Date(d), _) => Some(Extremes::Date(*d, *d)),
            (Value::Text(t), ColumnType::Text) => {
                let n = t.chars().count();
                Some(Extremes::Length(n, n))
            }
            _ => None,
        }
    }
}

/// What one column holds.
#[derive(Debug, Clone)]
pub struct Field {
    /// The column, from the model.
    pub column: &'static columns::Column,
    /// Cells seen (the table's rows).
    pub rows: u64,
    /// Null cells.
    pub nulls: u64,
    /// Smallest and largest value (length, for text); `None` for enums,
    /// flags and lists, or when every cell is null.
    pub extremes: Option<Extremes>,
    /// Enum columns: count per spelling, in the column's order, then one
    /// for spellings the column does not allow. Booleans: `false`, `true`.
    pub counts: Vec<u64>,
    /// Persona-list columns: the distinct lists seen (at most
    /// [`LIST_VALUES`]) with their counts.
    pub lists: Vec<(Vec<PersonaId>, u64)>,
    /// Lists past [`LIST_VALUES`], counted together.
    pub other_lists: u64,
    sketch: Sketch,
}

impl Field {
    fn new(column: &'static columns::Column) -> Field {
        let counts = match column.kind {
            ColumnType::Enum(spellings) => vec![0; spellings.len() + 1],
            ColumnType::Boolean => vec![0; 2],
            _ => Vec::new(),
        };
        Field {
            column,
            rows: 0,
            nulls: 0,
            extremes: None,
            counts,
            lists: Vec::new(),
            other_lists: 0,
            sketch: Sketch::default(),
        }
    }

    fn push(&mut self, value: &Value<'_>) {
        self.rows += 1;
        if matches!(value, Value::Null) {
            self.nulls += 1;
            return;
        }
        // Enums and flags count their values exactly below; only spellings
        // an enum does not allow need the sketch.
        let counted = match (value, self.column.kind) {
            (Value::Text(text), ColumnType::Enum(spellings)) => spellings.contains(text),
            (Value::Boolean(_), _) => true,
            _ => false,
        };
        if !counted {
            self.sketch.push(hash(value));
        }
        if let Some(seen) = Extremes::of(value, self.column.kind) {
            self.extremes = Some(self.extremes.map_or(seen, |e| e.widen(seen)));
        }
        match (value, self.column.kind) {
            (Value::Text(text), ColumnType::Enum(spellings)) => {
                let at = spellings.iter().position(|s| s == text);
                self.counts[at.unwrap_or(spellings.len())] += 1;
            }
            (Value::Boolean(b), _) => self.counts[usize::from(*b)] += 1,
            (Value::PersonaList(list), _) => {
                if let Some(seen) = self.lists.iter_mut().find(|(l, _)| l == list) {
                    seen.1 += 1;
                } else if self.lists.len() < LIST_VALUES {
                    self.lists.push((list.to_vec(), 1));
                } else {
                    self.other_lists += 1;
                }
            }
            _ => {}
        }
    }

    /// Distinct non-null values.
    pub fn distinct(&self) -> Distinct {
        let spellings = match self.column.kind {
            ColumnType::Enum(spellings) => spellings.len(),
            ColumnType::Boolean => 2,
            _ => 0,
        };
        let counted = self
            .counts
            .iter()
            .take(spellings)
            .filter(|n| **n > 0)
            .count() as u64;
        match self.sketch.distinct() {
            Distinct::Exact(n) => Distinct::Exact(counted + n),
            Distinct::About(n) => Distinct::About(counted + n),
        }
    }

    /// The enum spellings with their counts, most frequent first (ties in
    /// the column's order), then `(None, n)` for unknown spellings if any.
    pub fn top_values(&self) -> Vec<(Option<&'static str>, u64)> {
        let ColumnType::Enum(spellings) = self.column.kind else {
            return Vec::new();
        };
        let mut top: Vec<(Option<&'static str>, u64)> = spellings
            .iter()
            .zip(&self.counts)
            .filter(|(_, n)| **n > 0)
            .map(|(s, n)| (Some(*s), *n))
            .collect();
        top.sort_by_key(|v| std::cmp::Reverse(v.1));
        let unknown = self.counts[spellings.len()];
        if unknown > 0 {
            top.push((None, unknown));
        }
        top
    }
}

/// One table's profile.
#[derive(Debug, Clone)]
pub struct TableProfile {
    /// The table, from the model.
    pub table: &'static Table,
    /// Rows seen.
    pub rows: u64,
    /// One entry per column, in the table's order.
    pub fields: Vec<Field>,
}

/// A profile of every column of some tables.
#[derive(Debug, Clone)]
pub struct FieldProfile {
    /// One entry per table, in the order given to [`FieldProfile::new`].
    pub tables: Vec<TableProfile>,
}

impl Default for FieldProfile {
    /// The profile tables of [`columns::PROFILE_TABLES`], which every
    /// profile file holds (the ledger's need its transactions).
    fn default() -> FieldProfile {
        FieldProfile::new(&columns::PROFILE_TABLES)
    }
}

impl FieldProfile {
    /// An empty profile of `tables`.
    pub fn new(tables: &'static [Table]) -> FieldProfile {
        FieldProfile {
            tables: tables
                .iter()
                .map(|table| TableProfile {
                    table,
                    rows: 0,
                    fields: table.columns.iter().map(Field::new).collect(),
                })
                .collect(),
        }
    }

    /// Counts one row of table `table` (an index into the tables given to
    /// [`FieldProfile::new`]); `values` are its cells in column order.
    pub fn push_row(&mut self, table: usize, values: &[Value<'_>]) {
        let Some(profile) = self.tables.get_mut(table) else {
            return;
        };
        profile.rows += 1;
        for (field, value) in profile.fields.iter_mut().zip(values) {
            field.push(value);
        }
    }

    /// Counts every row of `profile`'s profile tables (for a profile made by [`Default`]).
    pub fn push_profile(&mut self, profile: &UserProfile) {
        columns::profile_rows(profile, |table, values| self.push_row(table, values));
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use spendsense_generator::{Generator, GeneratorConfig, Overlap};

    use super::*;

    fn profiles(seed: u64, count: u64, overlap: &str) -> Vec<UserProfile> {
        let config = GeneratorConfig {
            overlap: Overlap::parse(overlap).unwrap(),
            ..GeneratorConfig::new(seed, count)
        };
        Generator::new(&config).unwrap().iter().collect()
    }

    #[test]
    fn every_column_is_profiled_and_counts_agree_with_the_rows() {
        for (seed, count, overlap) in [(1, 40, "0"), (42, 300, "0.3")] {
            let all = profiles(seed, count, overlap);
            let mut profile = FieldProfile::default();
            // Exact reference: every cell as text, per column.
            let mut cells: Vec<Vec<Vec<Option<String>>>> = columns::PROFILE_TABLES
                .iter()
                .map(|t| vec![Vec::new(); t.columns.len()])
                .collect();
            for p in &all {
                profile.push_profile(p);
                columns::profile_rows(p, |table, values| {
                    for (column, value) in values.iter().enumerate() {
                        let text = match value {
                            Value::Null => None,
                            other => Some(format!("{other:?}")),
                        };
                        cells[table][column].push(text);
                    }
                });
            }
            assert_eq!(profile.tables.len(), columns::PROFILE_TABLES.len());
            assert_eq!(profile.tables[0].rows, count);
            for (t, table) in profile.tables.iter().enumerate() {
                assert_eq!(table.fields.len(), table.table.columns.len());
                for (c, field) in table.fields.iter().enumerate() {
                    let column = &cells[t][c];
                    assert_eq!(field.rows, column.len() as u64);
                    assert_eq!(table.rows, field.rows);
                    let nulls = column.iter().filter(|v| v.is_none()).count() as u64;
                    assert_eq!(field.nulls, nulls, "{}", field.column.name);
                    if !field.column.nullable {
                        assert_eq!(field.nulls, 0, "{}", field.column.name);
                    }
                    let distinct: HashSet<_> = column.iter().flatten().collect();
                    match field.distinct() {
                        Distinct::Exact(n) => {
                            // Decimals equal up to scale are one value in the sketch.
                            if !matches!(field.column.kind, ColumnType::Decimal) {
                                assert_eq!(n, distinct.len() as u64, "{}", field.column.name);
                            } else {
                                assert!(n <= distinct.len() as u64);
                            }
                        }
                        Distinct::About(n) => {
                            assert!(distinct.len() > DISTINCT_EXACT);
                            let truth = distinct.len() as f64;
                            assert!(
                                (n as f64 - truth).abs() / truth < 0.12,
                                "{}: {n} vs {truth}",
                                field.column.name
                            );
                        }
                    }
                    if let ColumnType::Enum(_) = field.column.kind {
                        let total: u64 = field.top_values().iter().map(|v| v.1).sum();
                        assert_eq!(total, field.rows - field.nulls);
                        assert!(field.top_values().iter().all(|v| v.0.is_some()));
                    }
                }
            }
            let users = &profile.tables[0];
            let ids = users
                .fields
                .iter()
                .find(|f| f.column.name == "user_id")
                .unwrap();
            assert_eq!(
                ids.distinct(),
                if count as usize > DISTINCT_EXACT {
                    ids.distinct()
                } else {
                    Distinct::Exact(count)
                }
            );
        }
    }

    #[test]
    fn distinct_counts_stay_close_past_the_exact_bound() {
        for n in [DISTINCT_EXACT as u64, 5_000, 200_000] {
            let mut sketch = Sketch::default();
            for i in 0..n {
                sketch.push(mix(i));
                sketch.push(mix(i)); // repeats change nothing
            }
            match sketch.distinct() {
                Distinct::Exact(k) => assert_eq!(k, n),
                Distinct::About(k) => {
                    assert!(n > DISTINCT_EXACT as u64);
                    assert!((k as f64 - n as f64).abs() / (n as f64) < 0.1, "{k} vs {n}");
                }
            }
            assert!(sketch.smallest.len() <= DISTINCT_EXACT);
        }
    }

    #[test]
    fn enums_count_spellings_exactly_and_unknown_ones_apart() {
        let state = columns::PROFILE_TABLES[0].column("state").unwrap();
        let mut field = Field::new(state);
        for text in ["CA", "CA", "TX", "PR", "XX", "PR"] {
            field.push(&Value::Text(text));
        }
        field.push(&Value::Null);
        assert_eq!((field.rows, field.nulls), (7, 1));
        // CA, TX and two spellings the column does not allow.
        assert_eq!(field.distinct(), Distinct::Exact(4));
        assert_eq!(
            field.top_values(),
            [(Some("CA"), 2), (Some("TX"), 1), (None, 3)]
        );
    }

    #[test]
    fn extremes_and_lists_are_tracked() {
        let all = profiles(9, 120, "1");
        let mut profile = FieldProfile::default();
        for p in &all {
            profile.push_profile(p);
        }
        let users = &profile.tables[0];
        let field = |name: &str| users.fields.iter().find(|f| f.column.name == name).unwrap();
        let incomes: Vec<Decimal> = all.iter().map(|p| p.annual_income).collect();
        assert_eq!(
            field("annual_income").extremes,
            Some(Extremes::Decimal(
                *incomes.iter().min().unwrap(),
                *incomes.iter().max().unwrap()
            ))
        );
        let matched = field("matched_personas");
        let listed: u64 = matched.lists.iter().map(|l| l.1).sum();
        assert_eq!(listed + matched.other_lists, matched.rows - matched.nulls);
        assert!(listed > 0);
    }
}
