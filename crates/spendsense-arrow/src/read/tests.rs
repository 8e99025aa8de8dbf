//! The reader against generated profiles of many seeds, mixes and batch
//! sizes, and against tables broken one column or one value at a time.

use std::sync::Arc;

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::{
    ArrowPrimitiveType, Date32Type, Decimal128Type, Int8Type, Int16Type, Int32Type,
};
use arrow_array::{
    Array, ArrayRef, Float64Array, ListArray, PrimitiveArray, RecordBatch, StringArray,
    new_null_array,
};
use arrow_schema::{DataType, Field, FieldRef, Schema};
use spendsense_export::columns::{ColumnType, PROFILE_TABLES};
use spendsense_generator::{Generator, GeneratorConfig, Mix, Overlap};
use spendsense_schema::{AccountSubtype, PersonaId, ProfileFormat, UserProfile};

use super::user::{
    ACCOUNT_TYPES, CADENCES, CARD_PAYMENTS, HOLDER_CATEGORIES, INCOME_STABILITIES, PAY_FREQUENCIES,
    TRANSFER_CADENCES,
};
use super::*;
use crate::TableSet;

/// The batches of the five profile tables.
type Tables = [Vec<RecordBatch>; 5];

/// A mix with every persona, whose cycle of 8 users many runs cross.
const SKEWED: &str =
    "high_utilization=3,variable_income=1,subscription_heavy=1,savings_builder=2,control=1";

fn generate(seed: u64, count: u64, overlap: &str, mix: Option<&str>) -> Vec<UserProfile> {
    let mut config = GeneratorConfig::new(seed, count);
    config.overlap = Overlap::parse(overlap).unwrap();
    if let Some(mix) = mix {
        config.mix = Mix::parse(mix).unwrap();
    }
    Generator::new(&config).unwrap().iter().collect()
}

/// The profile tables of `profiles`, a batch per `per_batch` profiles.
fn tables(profiles: &[UserProfile], per_batch: usize) -> Tables {
    let mut set = TableSet::new();
    let mut tables = Tables::default();
    for chunk in profiles.chunks(per_batch.max(1)) {
        for profile in chunk {
            set.push_profile(profile).unwrap();
        }
        for (table, batch) in tables.iter_mut().zip(set.finish()) {
            table.push(batch);
        }
    }
    tables
}

fn read_all(tables: &Tables) -> Vec<Result<UserProfile, RowError>> {
    let rows = read_profiles(tables.each_ref().map(Vec::as_slice)).unwrap();
    let len = rows.len();
    let read: Vec<_> = rows.collect();
    assert_eq!(read.len(), len, "the iterator's exact size");
    read
}

#[track_caller]
fn read_ok(tables: &Tables) -> Vec<UserProfile> {
    read_all(tables)
        .into_iter()
        .map(|read| read.unwrap_or_else(|err| panic!("{err}")))
        .collect()
}

#[track_caller]
fn assert_same(read: &[UserProfile], expected: &[UserProfile], context: &str) {
    assert_eq!(read.len(), expected.len(), "{context}");
    for (index, (read, expected)) in read.iter().zip(expected).enumerate() {
        assert_eq!(read, expected, "{context}, profile {index}");
        // Equal amounts of another scale compare equal; the JSON shows it.
        let json = |profile| {
            let mut out = Vec::new();
            ProfileFormat::Jsonl.encode(profile, true, &mut out);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(json(read), json(expected), "{context}, profile {index}");
    }
}

/// The one error of reading `tables`, which must hold no other.
#[track_caller]
fn only_error(tables: &Tables) -> RowError {
    let errors: Vec<RowError> = read_all(tables)
        .into_iter()
        .filter_map(Result::err)
        .collect();
    match <[RowError; 1]>::try_from(errors) {
        Ok([error]) => error,
        Err(errors) => panic!("expected one error, got {errors:#?}"),
    }
}

#[track_caller]
fn check(error: &RowError, row: Option<usize>, user_id: &str, path: &str, message: &str) {
    assert_eq!(
        (error.row, error.user_id.as_str(), error.path.as_str()),
        (row, user_id, path),
        "{error}"
    );
    assert_eq!(error.message, message);
}

/// `batch` with `column` replaced by `array`, its field nullable.
fn replaced(batch: &RecordBatch, column: &str, array: ArrayRef) -> RecordBatch {
    let schema = batch.schema();
    let (fields, arrays): (Vec<FieldRef>, Vec<ArrayRef>) = schema
        .fields()
        .iter()
        .zip(batch.columns())
        .map(|(field, old)| match field.name() == column {
            true => (
                Arc::new(Field::new(column, array.data_type().clone(), true)),
                array.clone(),
            ),
            false => (field.clone(), old.clone()),
        })
        .unzip();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).unwrap()
}

/// `batch` with `column`'s row `row` set to `value`.
fn with_text(batch: &RecordBatch, column: &str, row: usize, value: Option<&str>) -> RecordBatch {
    let old = batch.column_by_name(column).unwrap().as_string::<i32>();
    let new: StringArray = (0..old.len())
        .map(|i| match i == row {
            true => value,
            false => old.is_valid(i).then(|| old.value(i)),
        })
        .collect();
    replaced(batch, column, Arc::new(new))
}

/// `batch` with `column`'s row `row` set to `value`, in the column's type.
fn with_value<T: ArrowPrimitiveType>(
    batch: &RecordBatch,
    column: &str,
    row: usize,
    value: Option<T::Native>,
) -> RecordBatch {
    let old = batch.column_by_name(column).unwrap().as_primitive::<T>();
    let new: PrimitiveArray<T> = (0..old.len())
        .map(|i| match i == row {
            true => value,
            false => old.is_valid(i).then(|| old.value(i)),
        })
        .collect();
    let new = new.with_data_type(old.data_type().clone());
    replaced(batch, column, Arc::new(new))
}

/// `batch` without `column`.
fn without(batch: &RecordBatch, column: &str) -> RecordBatch {
    let at = batch.schema().index_of(column).unwrap();
    let keep: Vec<usize> = (0..batch.num_columns()).filter(|&i| i != at).collect();
    batch.project(&keep).unwrap()
}

/// Applies `edit` to every batch of table `table`.
fn edit(tables: &Tables, table: usize, edit: impl Fn(&RecordBatch) -> RecordBatch) -> Tables {
    let mut edited = tables.clone();
    for batch in &mut edited[table] {
        *batch = edit(batch);
    }
    edited
}

/// A small run with overlap, savings transfers and users without them, in
/// one batch per table (so a row's number is its index in the batch).
fn dataset() -> Vec<UserProfile> {
    generate(11, 16, "0.5", Some(SKEWED))
}

/// The first row of `table` (one batch) that belongs to `user_id`.
fn first_row(tables: &Tables, table: usize, user_id: &str) -> usize {
    let ids = tables[table][0]
        .column_by_name("user_id")
        .unwrap()
        .as_string::<i32>();
    (0..ids.len()).find(|&i| ids.value(i) == user_id).unwrap()
}

#[test]
fn generated_profiles_read_back_equal_to_the_model() {
    let (mut transfers, mut no_transfers, mut expected, mut matched) = (0, 0, 0, 0);
    let mut personas = [0; 5];
    for seed in 0..6_u64 {
        for count in [1, 7, 150] {
            for (overlap, mix) in [("0", None), ("0.5", Some(SKEWED))] {
                let profiles = generate(seed, count, overlap, mix);
                // One batch per profile, a few, or one for all.
                let per_batch = [1, 3, 64, count as usize][seed as usize % 4];
                let read = read_ok(&tables(&profiles, per_batch));
                let context = format!("seed {seed}, {count} profiles, overlap {overlap}, {mix:?}");
                assert_same(&read, &profiles, &context);
                for profile in &profiles {
                    match profile.plan.savings_transfers {
                        Some(_) => transfers += 1,
                        None => no_transfers += 1,
                    }
                    expected += usize::from(profile.expected_assignment.is_some());
                    matched += usize::from(profile.matched_personas.is_some());
                    personas[profile.persona.index()] += 1;
                }
            }
        }
    }
    // The runs cover what the tables can hold null or not.
    assert!(
        transfers > 0 && no_transfers > 0,
        "{transfers} {no_transfers}"
    );
    assert!(expected > 0 && matched > 0, "{expected} {matched}");
    assert!(personas.iter().all(|&n| n > 0), "{personas:?}");
}

#[test]
fn any_order_of_users_and_of_child_rows_reassembles_the_profiles() {
    let profiles = generate(7, 40, "0.5", Some(SKEWED));
    let reversed: Vec<UserProfile> = profiles.iter().rev().cloned().collect();
    let rotated: Vec<UserProfile> = profiles[13..]
        .iter()
        .chain(&profiles[..13])
        .cloned()
        .collect();
    let interleaved: Vec<UserProfile> = (profiles.iter().step_by(2))
        .chain(profiles.iter().skip(1).step_by(2))
        .cloned()
        .collect();
    // The users table reversed; each child table in another order of users
    // and in other batches.
    let orders = [&reversed, &profiles, &rotated, &interleaved, &reversed];
    let mut mixed = Tables::default();
    for (at, (order, per_batch)) in orders.iter().zip([5, 40, 3, 1, 7]).enumerate() {
        mixed[at] = std::mem::take(&mut tables(order, per_batch)[at]);
    }
    assert_same(&read_ok(&mixed), &reversed, "mixed orders");
}

#[test]
fn columns_are_found_by_name_and_others_ignored_as_pyarrow_gives_them() {
    let profiles = generate(3, 24, "0.5", Some(SKEWED));
    let mut tables = tables(&profiles, 10);
    for batch in tables.iter_mut().flatten() {
        // Columns reversed, all nullable, list elements `item` (pyarrow's
        // defaults), and a column the model does not have.
        let mut fields = Vec::new();
        let mut arrays: Vec<ArrayRef> = Vec::new();
        for (field, array) in batch.schema().fields().iter().zip(batch.columns()).rev() {
            let array: ArrayRef = match array.as_list_opt::<i32>() {
                Some(list) => {
                    let (_, offsets, values, nulls) = list.clone().into_parts();
                    let item = Arc::new(Field::new("item", DataType::Utf8, true));
                    Arc::new(ListArray::new(item, offsets, values, nulls))
                }
                None => array.clone(),
            };
            fields.push(Field::new(field.name(), array.data_type().clone(), true));
            arrays.push(array);
        }
        fields.insert(1, Field::new("note", DataType::Float64, true));
        arrays.insert(1, new_null_array(&DataType::Float64, batch.num_rows()));
        *batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).unwrap();
    }
    assert_same(&read_ok(&tables), &profiles, "pyarrow-like schemas");
}

#[test]
fn no_batches_or_empty_ones_are_empty_tables() {
    let none: [&[RecordBatch]; 5] = [&[]; 5];
    assert_eq!(read_profiles(none).unwrap().count(), 0);
    let profiles = dataset();
    let mut tables = tables(&profiles, 4);
    let empty = tables.each_ref().map(|table| table[0].slice(0, 0));
    for (table, empty) in tables.iter_mut().zip(empty) {
        table.insert(0, empty.clone());
        table.push(empty);
    }
    assert_same(&read_ok(&tables), &profiles, "with empty batches");
}

#[test]
fn a_missing_duplicated_or_mistyped_column_is_a_schema_error() {
    let profiles = dataset();
    let good = tables(&profiles, 8);
    let schema_error = |tables: &Tables| {
        read_profiles(tables.each_ref().map(Vec::as_slice))
            .map(|_| ())
            .unwrap_err()
    };
    type Change = Box<dyn Fn(&RecordBatch) -> RecordBatch>;
    let cases: [(usize, Change, &str); 6] = [
        (
            0,
            Box::new(|b| without(b, "age")),
            "users batch 0 has no column `age`; expected one of type Int8",
        ),
        (
            1,
            Box::new(|b| {
                let floats = Float64Array::from(vec![1.5; b.num_rows()]);
                replaced(b, "balances_current", Arc::new(floats))
            }),
            "accounts batch 0: column `balances_current` is Float64; expected Decimal128(18, 2)",
        ),
        (
            2,
            Box::new(|b| {
                let old = b.column_by_name("amount").unwrap();
                let cents = old.as_primitive::<Decimal128Type>().clone();
                let mills = cents.with_precision_and_scale(18, 3).unwrap();
                replaced(b, "amount", Arc::new(mills))
            }),
            "paychecks batch 0: column `amount` is Decimal128(18, 3); expected Decimal128(18, 2)",
        ),
        (
            3,
            Box::new(|b| {
                let days = b.column_by_name("first_charge").unwrap();
                let days = days
                    .as_primitive::<Date32Type>()
                    .reinterpret_cast::<Int32Type>();
                replaced(b, "first_charge", Arc::new(days))
            }),
            "recurring batch 0: column `first_charge` is Int32; expected Date32",
        ),
        (
            4,
            Box::new(|b| {
                let mut fields: Vec<FieldRef> = b.schema().fields().iter().cloned().collect();
                let mut arrays = b.columns().to_vec();
                fields.push(fields[0].clone());
                arrays.push(arrays[0].clone());
                RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).unwrap()
            }),
            "cards batch 0 has 2 columns named `user_id`; expected one",
        ),
        (
            0,
            Box::new(|b| {
                let ids = new_null_array(&DataType::new_list(DataType::Int8, true), b.num_rows());
                replaced(b, "matched_personas", ids)
            }),
            "users batch 0: column `matched_personas` is List(Int8); expected List(non-null Utf8, field: 'element')",
        ),
    ];
    for (table, change, message) in cases {
        // Only the last batch is broken, so the error names it.
        let mut tables = good.clone();
        let last = tables[table].len() - 1;
        tables[table][last] = change(&tables[table][last]);
        let err = schema_error(&tables);
        assert_eq!(
            err.to_string(),
            message.replace("batch 0", &format!("batch {last}"))
        );
    }
}

/// Where every column's value belongs in the profile, written out here
/// independently of the reader: a column the reader forgot, or put in
/// another field, fails `a_null_where_the_model_allows_none_names_the_field`.
const PATHS: [(usize, &str, &str); 65] = [
    (0, "user_id", "user_id"),
    (0, "name", "name"),
    (0, "persona", "persona"),
    (0, "expected_assignment", "expected_assignment"),
    (0, "matched_personas", "matched_personas"),
    (0, "annual_income", "annual_income"),
    (0, "age", "demographics.age"),
    (0, "state", "demographics.state"),
    (0, "email", "identity.email"),
    (0, "phone_number", "identity.phone_number"),
    (0, "address_street", "identity.address.street"),
    (0, "address_city", "identity.address.city"),
    (0, "address_region", "identity.address.region"),
    (0, "address_postal_code", "identity.address.postal_code"),
    (0, "address_country", "identity.address.country"),
    (
        0,
        "target_credit_utilization",
        "characteristics.target_credit_utilization",
    ),
    (
        0,
        "target_savings_monthly",
        "characteristics.target_savings_monthly",
    ),
    (0, "income_stability", "characteristics.income_stability"),
    (0, "pay_frequency", "characteristics.pay_frequency"),
    (
        0,
        "median_pay_gap_days",
        "characteristics.median_pay_gap_days",
    ),
    (
        0,
        "subscription_count_target",
        "characteristics.subscription_count_target",
    ),
    (0, "as_of", "plan.as_of"),
    (0, "history_start", "plan.history_start"),
    (0, "income_employer", "plan.income.employer"),
    (0, "income_frequency", "plan.income.frequency"),
    (0, "monthly_expenses", "plan.monthly_expenses"),
    (
        0,
        "savings_transfers_from_account_id",
        "plan.savings_transfers.from_account_id",
    ),
    (
        0,
        "savings_transfers_to_account_id",
        "plan.savings_transfers.to_account_id",
    ),
    (
        0,
        "savings_transfers_amount",
        "plan.savings_transfers.amount",
    ),
    (
        0,
        "savings_transfers_cadence",
        "plan.savings_transfers.cadence",
    ),
    (
        0,
        "savings_transfers_first_transfer",
        "plan.savings_transfers.first_transfer",
    ),
    (1, "user_id", "accounts"),
    (1, "account_id", "accounts[0].account_id"),
    (1, "balances_available", "accounts[0].balances.available"),
    (1, "balances_current", "accounts[0].balances.current"),
    (1, "balances_limit", "accounts[0].balances.limit"),
    (
        1,
        "balances_iso_currency_code",
        "accounts[0].balances.iso_currency_code",
    ),
    (
        1,
        "balances_unofficial_currency_code",
        "accounts[0].balances.unofficial_currency_code",
    ),
    (1, "mask", "accounts[0].mask"),
    (1, "name", "accounts[0].name"),
    (1, "official_name", "accounts[0].official_name"),
    (1, "type", "accounts[0].type"),
    (1, "subtype", "accounts[0].subtype"),
    (1, "holder_category", "accounts[0].holder_category"),
    (2, "user_id", "plan.income.paychecks"),
    (2, "date", "plan.income.paychecks[0].date"),
    (2, "amount", "plan.income.paychecks[0].amount"),
    (3, "user_id", "plan.recurring"),
    (3, "merchant", "plan.recurring[0].merchant"),
    (3, "category_primary", "plan.recurring[0].category.primary"),
    (
        3,
        "category_detailed",
        "plan.recurring[0].category.detailed",
    ),
    (3, "amount", "plan.recurring[0].amount"),
    (3, "cadence", "plan.recurring[0].cadence"),
    (3, "first_charge", "plan.recurring[0].first_charge"),
    (3, "account_id", "plan.recurring[0].account_id"),
    (4, "user_id", "plan.cards"),
    (4, "account_id", "plan.cards[0].account_id"),
    (4, "purchase_apr", "plan.cards[0].purchase_apr"),
    (4, "statement_day", "plan.cards[0].statement_day"),
    (4, "payment", "plan.cards[0].payment"),
    (
        4,
        "last_statement_balance",
        "plan.cards[0].last_statement_balance",
    ),
    (4, "minimum_payment", "plan.cards[0].minimum_payment"),
    (
        4,
        "interest_per_statement",
        "plan.cards[0].interest_per_statement",
    ),
    (
        4,
        "next_payment_due_date",
        "plan.cards[0].next_payment_due_date",
    ),
    (4, "is_overdue", "plan.cards[0].is_overdue"),
];

/// `profile` with `column` of table `table` null, when the model has an
/// `Option` there: the only columns whose null is no error.
fn with_none(profile: &UserProfile, table: usize, column: &str) -> Option<UserProfile> {
    let mut profile = profile.clone();
    match (table, column) {
        (0, "expected_assignment") => profile.expected_assignment = None,
        (0, "matched_personas") => profile.matched_personas = None,
        (1, _) => {
            for account in &mut profile.accounts {
                match column {
                    "balances_available" => account.balances.available = None,
                    "balances_current" => account.balances.current = None,
                    "balances_limit" => account.balances.limit = None,
                    "balances_iso_currency_code" => account.balances.iso_currency_code = None,
                    "balances_unofficial_currency_code" => {
                        account.balances.unofficial_currency_code = None
                    }
                    "mask" => account.mask = None,
                    "official_name" => account.official_name = None,
                    _ => return None,
                }
            }
        }
        _ => return None,
    }
    Some(profile)
}

#[test]
fn paths_name_every_column_of_the_profile_tables() {
    let named: Vec<(usize, &str)> = PATHS.iter().map(|&(t, c, _)| (t, c)).collect();
    let columns: Vec<(usize, &str)> = PROFILE_TABLES
        .iter()
        .enumerate()
        .flat_map(|(t, table)| table.columns.iter().map(move |c| (t, c.name)))
        .collect();
    assert_eq!(named, columns);
}

#[test]
fn a_null_where_the_model_allows_none_names_the_field() {
    let profiles = dataset();
    let good = tables(&profiles, profiles.len());
    for (table, column, path) in PATHS {
        let nulled = edit(&good, table, |batch| {
            let kind = batch.column_by_name(column).unwrap().data_type().clone();
            replaced(batch, column, new_null_array(&kind, batch.num_rows()))
        });
        let read = read_all(&nulled);
        let context = format!("{}.{column} null", PROFILE_TABLES[table].name);
        let as_none: Option<Vec<UserProfile>> = (profiles.iter())
            .map(|profile| with_none(profile, table, column))
            .collect();
        if let Some(expected) = as_none {
            assert_same(&read_ok(&nulled), &expected, &context);
            continue;
        }
        if table > 0 && column == "user_id" {
            // No users row can own the child rows: all are reported once.
            let rows = good[table][0].num_rows();
            let last = read.last().unwrap().as_ref().unwrap_err();
            let name = PROFILE_TABLES[table].name;
            check(
                last,
                None,
                "",
                "",
                &format!("{name} has {rows} rows with a null user_id, which no users row can own"),
            );
            assert_eq!(read.len(), profiles.len() + 1, "{context}");
            continue;
        }
        assert!(read.len() >= profiles.len(), "{context}");
        for (number, (read, profile)) in read.iter().zip(&profiles).enumerate() {
            let has_rows = match table {
                0 if column.starts_with("savings_transfers_") => {
                    profile.plan.savings_transfers.is_some()
                }
                0 => true,
                _ => {
                    let ids = good[table][0].column_by_name("user_id").unwrap();
                    let ids = ids.as_string::<i32>();
                    ids.iter().any(|id| id == Some(profile.user_id.as_str()))
                }
            };
            if !has_rows {
                assert_eq!(read.as_ref().ok(), Some(profile), "{context}, row {number}");
                continue;
            }
            let err = read.as_ref().unwrap_err();
            let user_id = if column == "user_id" {
                ""
            } else {
                &profile.user_id
            };
            let row = match table {
                0 => number,
                _ => first_row(&good, table, &profile.user_id),
            };
            let name = PROFILE_TABLES[table].name;
            let problem = match column.starts_with("savings_transfers_") {
                true => {
                    let set: Vec<&str> = PATHS[26..31]
                        .iter()
                        .map(|(_, c, _)| *c)
                        .filter(|c| *c != column)
                        .collect();
                    format!(
                        "null while {} are set (null: {column}); the five savings_transfers_* columns are all null (no transfers) or all set",
                        set.join(", ")
                    )
                }
                false => "null where the model allows none".to_string(),
            };
            check(
                err,
                Some(number),
                user_id,
                path,
                &format!("{name} row {row}, column {column}: {problem}"),
            );
        }
    }
}

#[test]
fn unknown_spellings_are_refused_with_the_allowed_ones() {
    let profiles = dataset();
    let good = tables(&profiles, profiles.len());
    let id = |row: usize| profiles[row].user_id.as_str();

    let bad = edit(&good, 0, |b| {
        with_text(b, "pay_frequency", 2, Some("fortnightly"))
    });
    check(
        &only_error(&bad),
        Some(2),
        id(2),
        "characteristics.pay_frequency",
        "users row 2, column pay_frequency: unknown spelling `fortnightly`; expected one of weekly, biweekly, semimonthly, monthly, irregular",
    );

    let bad = edit(&good, 0, |b| {
        with_text(b, "persona", 0, Some("HighUtilization"))
    });
    check(
        &only_error(&bad),
        Some(0),
        id(0),
        "persona",
        "users row 0, column persona: unknown persona `HighUtilization`; expected one of high_utilization, variable_income, subscription_heavy, savings_builder, control",
    );

    // Input text is escaped and clipped.
    let row = first_row(&good, 1, id(5)) + 1;
    let hostile = "credit\u{1b}[2J card of a very long name that goes on and on";
    let bad = edit(&good, 1, |b| with_text(b, "subtype", row, Some(hostile)));
    let subtypes: Vec<&str> = AccountSubtype::ALL.iter().map(|s| s.as_str()).collect();
    check(
        &only_error(&bad),
        Some(5),
        id(5),
        "accounts[1].subtype",
        &format!(
            "accounts row {row}, column subtype: unknown spelling `credit\\u{{1b}}[2J card of a very long name…`; expected one of {}",
            subtypes.join(", ")
        ),
    );

    let row = first_row(&good, 3, id(3)) + 2;
    let bad = edit(&good, 3, |b| with_text(b, "cadence", row, Some("Monthly")));
    check(
        &only_error(&bad),
        Some(3),
        id(3),
        "plan.recurring[2].cadence",
        &format!(
            "recurring row {row}, column cadence: unknown spelling `Monthly`; expected one of monthly, weekly"
        ),
    );
}

#[test]
fn persona_lists_refuse_null_and_unknown_elements() {
    let profiles = dataset();
    let good = tables(&profiles, profiles.len());
    let lists = |items: &[Option<&str>]| {
        let mut list = ListBuilder::new(StringBuilder::new());
        for _ in 0..profiles.len() {
            list.append_value(items.iter().copied());
        }
        Arc::new(list.finish()) as ArrayRef
    };
    let cases = [
        (
            lists(&[Some("control"), None]),
            "matched_personas[1]",
            "a null persona in the list",
        ),
        (
            lists(&[Some("savings_builder"), Some("")]),
            "matched_personas[1]",
            "unknown persona ``; expected one of high_utilization, variable_income, subscription_heavy, savings_builder, control",
        ),
    ];
    for (array, path, problem) in cases {
        let bad = edit(&good, 0, |b| replaced(b, "matched_personas", array.clone()));
        let read = read_all(&bad);
        for (row, read) in read.iter().enumerate() {
            let message = format!("users row {row}, column matched_personas: {problem}");
            check(
                read.as_ref().unwrap_err(),
                Some(row),
                &profiles[row].user_id,
                path,
                &message,
            );
        }
    }
    // A list that is all there, in pyarrow's element naming, reads.
    let ok = edit(&good, 0, |b| {
        replaced(
            b,
            "matched_personas",
            lists(&[Some("high_utilization"), Some("control")]),
        )
    });
    let listed = [PersonaId::HighUtilization, PersonaId::Control];
    for profile in read_ok(&ok) {
        assert_eq!(profile.matched_personas.as_deref(), Some(&listed[..]));
    }
}

#[test]
fn numbers_dates_and_amounts_outside_the_model_are_refused() {
    let profiles = dataset();
    let good = tables(&profiles, profiles.len());
    let id = |row: usize| profiles[row].user_id.as_str();
    let card_owner = profiles
        .iter()
        .position(|p| !p.plan.cards.is_empty())
        .unwrap();
    let card_row = first_row(&good, 4, id(card_owner));
    let account_row = first_row(&good, 1, id(4));
    let cases: [(usize, Tables, &str, String); 7] = [
        (
            1,
            edit(&good, 0, |b| with_value::<Int8Type>(b, "age", 1, Some(-1))),
            "demographics.age",
            "users row 1, column age: -1 is outside 0..=255, the range the model holds".into(),
        ),
        (
            2,
            edit(&good, 0, |b| {
                with_value::<Int16Type>(b, "subscription_count_target", 2, Some(256))
            }),
            "characteristics.subscription_count_target",
            "users row 2, column subscription_count_target: 256 is outside 0..=255, the range the model holds".into(),
        ),
        (
            3,
            edit(&good, 0, |b| {
                with_value::<Int32Type>(b, "median_pay_gap_days", 3, Some(65_536))
            }),
            "characteristics.median_pay_gap_days",
            "users row 3, column median_pay_gap_days: 65536 is outside 0..=65535, the range the model holds".into(),
        ),
        (
            card_owner,
            edit(&good, 4, |b| {
                with_value::<Int8Type>(b, "statement_day", card_row, Some(i8::MIN))
            }),
            "plan.cards[0].statement_day",
            format!("cards row {card_row}, column statement_day: -128 is outside 0..=255, the range the model holds"),
        ),
        (
            0,
            edit(&good, 0, |b| with_value::<Date32Type>(b, "as_of", 0, Some(i32::MAX))),
            "plan.as_of",
            "users row 0, column as_of: day 2147483647 counted from 1970-01-01 is outside 0001-01-01..=9999-12-31, the days the model holds".into(),
        ),
        (
            4,
            edit(&good, 1, |b| {
                with_value::<Decimal128Type>(b, "balances_current", account_row, Some(-10_i128.pow(20)))
            }),
            "accounts[0].balances.current",
            format!("accounts row {account_row}, column balances_current: -1000000000000000000.00 has more than 16 digits before the point, which DECIMAL(18, 2) cannot hold"),
        ),
        (
            6,
            edit(&good, 2, |b| {
                let row = first_row(&good, 2, id(6)) + 3;
                with_value::<Date32Type>(b, "date", row, Some(-719_163))
            }),
            "plan.income.paychecks[3].date",
            format!(
                "paychecks row {}, column date: day -719163 counted from 1970-01-01 is outside 0001-01-01..=9999-12-31, the days the model holds",
                first_row(&good, 2, id(6)) + 3
            ),
        ),
    ];
    for (row, tables, path, message) in cases {
        check(&only_error(&tables), Some(row), id(row), path, &message);
    }
    // The model's range, not the column's: an age of 17 is the validator's to judge.
    let young = edit(&good, 0, |b| with_value::<Int8Type>(b, "age", 1, Some(17)));
    assert_eq!(read_ok(&young)[1].demographics.age, 17);
}

#[test]
fn a_savings_transfer_group_is_all_null_or_all_set() {
    let profiles = dataset();
    let good = tables(&profiles, profiles.len());
    let saver = profiles
        .iter()
        .position(|p| p.plan.savings_transfers.is_some())
        .unwrap();
    let spender = profiles
        .iter()
        .position(|p| p.plan.savings_transfers.is_none())
        .unwrap();

    let bad = edit(&good, 0, |b| {
        with_value::<Decimal128Type>(b, "savings_transfers_amount", saver, None)
    });
    check(
        &only_error(&bad),
        Some(saver),
        &profiles[saver].user_id,
        "plan.savings_transfers.amount",
        &format!(
            "users row {saver}, column savings_transfers_amount: null while savings_transfers_from_account_id, savings_transfers_to_account_id, savings_transfers_cadence, savings_transfers_first_transfer are set (null: savings_transfers_amount); the five savings_transfers_* columns are all null (no transfers) or all set"
        ),
    );

    let bad = edit(&good, 0, |b| {
        with_text(b, "savings_transfers_cadence", spender, Some("biweekly"))
    });
    check(
        &only_error(&bad),
        Some(spender),
        &profiles[spender].user_id,
        "plan.savings_transfers.from_account_id",
        &format!(
            "users row {spender}, column savings_transfers_from_account_id: null while savings_transfers_cadence is set (null: savings_transfers_from_account_id, savings_transfers_to_account_id, savings_transfers_amount, savings_transfers_first_transfer); the five savings_transfers_* columns are all null (no transfers) or all set"
        ),
    );
}

#[test]
fn child_rows_no_users_row_holds_are_reported_once_per_user_id_after_the_profiles() {
    let profiles = dataset();
    let good = tables(&profiles, 5);
    // Users rows 0 and 3 left out, as a filter would.
    let users: Vec<RecordBatch> = good[0]
        .iter()
        .enumerate()
        .flat_map(|(at, batch)| match at {
            0 => vec![batch.slice(1, 2), batch.slice(4, batch.num_rows() - 4)],
            _ => vec![batch.clone()],
        })
        .collect();
    let filtered: Tables = [
        users,
        good[1].clone(),
        good[2].clone(),
        good[3].clone(),
        good[4].clone(),
    ];
    let read = read_all(&filtered);
    let kept: Vec<&UserProfile> = (profiles.iter().enumerate())
        .filter(|(at, _)| ![0, 3].contains(at))
        .map(|(_, profile)| profile)
        .collect();
    assert_eq!(read.len(), kept.len() + 2);
    for (read, profile) in read.iter().zip(&kept) {
        assert_eq!(read.as_ref().ok(), Some(*profile));
    }
    for (read, orphan) in read[kept.len()..].iter().zip([&profiles[0], &profiles[3]]) {
        let plan = &orphan.plan;
        let counts = [
            ("accounts", orphan.accounts.len()),
            ("paychecks", plan.income.paychecks.len()),
            ("recurring", plan.recurring.len()),
            ("cards", plan.cards.len()),
        ];
        let counts: Vec<String> = counts
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(table, n)| format!("{table} has {n} row{}", if *n == 1 { "" } else { "s" }))
            .collect();
        let (last, rest) = counts.split_last().unwrap();
        let message = format!(
            "{} and {last} for user_id `{}`, which the users table does not hold",
            rest.join(", "),
            orphan.user_id
        );
        let err = read.as_ref().unwrap_err();
        check(err, None, &orphan.user_id, "", &message);
        assert_eq!(err.to_string(), message);
    }
}

#[test]
fn a_duplicate_user_id_reads_twice_with_its_child_rows_on_the_first() {
    let profiles = dataset();
    let good = tables(&profiles, 6);
    let mut doubled = good.clone();
    doubled[0].extend(good[0].iter().cloned());
    let read = read_ok(&doubled);
    assert_same(&read[..profiles.len()], &profiles, "first occurrences");
    for (again, profile) in read[profiles.len()..].iter().zip(&profiles) {
        let mut bare = profile.clone();
        bare.accounts.clear();
        bare.plan.income.paychecks.clear();
        bare.plan.recurring.clear();
        bare.plan.cards.clear();
        assert_eq!(again, &bare);
    }
}

#[test]
fn row_errors_display_the_users_row_and_path() {
    let profiles = dataset();
    let good = tables(&profiles, profiles.len());
    let bad = edit(&good, 0, |b| with_text(b, "name", 4, None));
    assert_eq!(
        only_error(&bad).to_string(),
        "users row 4 at name: users row 4, column name: null where the model allows none"
    );
}

#[test]
fn the_enum_variants_spell_exactly_the_columns_spellings() {
    fn spellings<E: Copy>(all: &[E], spell: fn(E) -> &'static str) -> Vec<&'static str> {
        all.iter().map(|value| spell(*value)).collect()
    }
    let cases = [
        (0, "persona", spellings(&PersonaId::ALL, PersonaId::as_str)),
        (
            0,
            "income_stability",
            spellings(&INCOME_STABILITIES, |v| v.as_str()),
        ),
        (
            0,
            "pay_frequency",
            spellings(&PAY_FREQUENCIES, |v| v.as_str()),
        ),
        (
            0,
            "income_frequency",
            spellings(&PAY_FREQUENCIES, |v| v.as_str()),
        ),
        (
            0,
            "savings_transfers_cadence",
            spellings(&TRANSFER_CADENCES, |v| v.as_str()),
        ),
        (1, "type", spellings(&ACCOUNT_TYPES, |v| v.as_str())),
        (1, "subtype", spellings(AccountSubtype::ALL, |v| v.as_str())),
        (
            1,
            "holder_category",
            spellings(&HOLDER_CATEGORIES, |v| v.as_str()),
        ),
        (3, "cadence", spellings(&CADENCES, |v| v.as_str())),
        (4, "payment", spellings(&CARD_PAYMENTS, |v| v.as_str())),
    ];
    for (table, column, spelled) in cases {
        let column = PROFILE_TABLES[table].column(column).unwrap();
        let ColumnType::Enum(allowed) = column.kind else {
            panic!("{} is an enum column", column.name);
        };
        assert_eq!(spelled, allowed, "{}", column.name);
    }
}

#[test]
fn no_corruption_of_any_column_makes_the_reader_panic() {
    let profiles = generate(5, 9, "0.5", Some(SKEWED));
    let good = tables(&profiles, 4);
    for (table, column, _) in PATHS {
        for corruption in 0..4 {
            let bad = edit(&good, table, |batch| {
                let old = batch.column_by_name(column).unwrap();
                let rows = batch.num_rows();
                let array: ArrayRef = match (old.data_type(), corruption) {
                    (_, 0) => new_null_array(old.data_type(), rows),
                    (DataType::Utf8, n) => {
                        let text = ["", "\u{202e}\u{0}", "user_MASKED_000"][n - 1];
                        Arc::new(StringArray::from(vec![text; rows]))
                    }
                    (DataType::Int8, n) => {
                        Arc::new(PrimitiveArray::<Int8Type>::from(vec![
                            [i8::MIN, 0, i8::MAX]
                                [n - 1];
                            rows
                        ]))
                    }
                    (DataType::Int16, n) => Arc::new(PrimitiveArray::<Int16Type>::from(vec![
                        [
                            i16::MIN,
                            0,
                            i16::MAX
                        ][n
                            - 1];
                        rows
                    ])),
                    (DataType::Int32, n) => Arc::new(PrimitiveArray::<Int32Type>::from(vec![
                        [
                            i32::MIN,
                            0,
                            i32::MAX
                        ][n
                            - 1];
                        rows
                    ])),
                    (DataType::Date32, n) => Arc::new(PrimitiveArray::<Date32Type>::from(vec![
                            [
                                i32::MIN,
                                0,
                                i32::MAX
                            ][n - 1];
                            rows
                        ])),
                    (DataType::Decimal128(..), n) => Arc::new(
                        PrimitiveArray::<Decimal128Type>::from(vec![
                            [i128::MIN, 0, i128::MAX]
                                [n - 1];
                            rows
                        ])
                        .with_data_type(old.data_type().clone()),
                    ),
                    (DataType::List(_), n) => {
                        let mut list = ListBuilder::new(StringBuilder::new());
                        for _ in 0..rows {
                            let items = [vec![], vec![None], vec![Some("x"), Some("control")]];
                            list.append_value(items[n - 1].clone());
                        }
                        Arc::new(list.finish())
                    }
                    _ => old.clone(),
                };
                replaced(batch, column, array)
            });
            let read = read_all(&bad);
            assert!(
                read.len() >= profiles.len() - 1,
                "{table} {column} {corruption}"
            );
            for err in read.iter().filter_map(|r| r.as_ref().err()) {
                assert!(!err.message.is_empty() && !err.message.contains('\u{202e}'));
            }
        }
    }
}
