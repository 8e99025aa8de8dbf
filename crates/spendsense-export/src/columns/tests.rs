//! The column model against the model's JSON Schema and the CSV writer.

use serde_json::Value as Json;
use spendsense_generator::{Generator, GeneratorConfig, Overlap};

use super::*;

/// A field of the JSON Schema, reached through `$ref`s and nullable unions.
struct Field<'a> {
    node: &'a Json,
    nullable: bool,
    description: Option<&'a str>,
}

fn resolve<'a>(root: &'a Json, mut node: &'a Json) -> &'a Json {
    while let Some(reference) = node.get("$ref").and_then(Json::as_str) {
        let name = reference.rsplit('/').next().unwrap();
        node = &root["$defs"][name];
    }
    node
}

fn field<'a>(root: &'a Json, node: &'a Json) -> Field<'a> {
    let description = node.get("description").and_then(Json::as_str);
    let (node, mut nullable) = match node.get("anyOf").and_then(Json::as_array) {
        Some(options) => {
            let kept: Vec<&Json> = options.iter().filter(|o| o["type"] != "null").collect();
            assert_eq!(kept.len(), 1, "one non-null option in {node}");
            (resolve(root, kept[0]), kept.len() < options.len())
        }
        None => (resolve(root, node), false),
    };
    if let Some(types) = node.get("type").and_then(Json::as_array) {
        nullable |= types.iter().any(|t| t == "null");
    }
    Field {
        description: description.or_else(|| node.get("description").and_then(Json::as_str)),
        node,
        nullable,
    }
}

fn json_type(node: &Json) -> Option<&str> {
    match &node["type"] {
        Json::String(t) => Some(t),
        Json::Array(types) => types.iter().filter_map(Json::as_str).find(|t| *t != "null"),
        _ => None,
    }
}

/// Every leaf field of a schema, as (table, column, field): the list tables'
/// by [`crate::tables::column_of`].
fn leaves<'a>(root: &'a Json, ledger: Option<&'static str>) -> Vec<(String, String, Field<'a>)> {
    fn walk<'a>(
        root: &'a Json,
        node: &'a Json,
        path: String,
        optional: bool,
        out: &mut Vec<(String, Field<'a>)>,
    ) {
        let mut here = field(root, node);
        here.nullable |= optional;
        match json_type(here.node) {
            Some("object") => {
                let required = here.node["required"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                for (key, child) in here.node["properties"].as_object().unwrap() {
                    let path = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    let missing = !required.iter().any(|r| r == key.as_str());
                    walk(root, child, path, here.nullable || missing, out);
                }
            }
            Some("array") if json_type(resolve(root, &here.node["items"])) == Some("object") => {
                walk(root, &here.node["items"], format!("{path}[]"), false, out);
            }
            _ => out.push((path, here)),
        }
    }
    let mut out = Vec::new();
    walk(root, root, String::new(), false, &mut out);
    out.into_iter()
        .map(|(path, field)| match ledger {
            Some(list) => {
                let (file, column) = crate::tables::column_of(&format!("{list}[].{path}"));
                (file.to_string(), column, field)
            }
            None => {
                let (file, column) = crate::tables::column_of(&path);
                (file.to_string(), column, field)
            }
        })
        .collect()
}

/// The spellings a string field allows: `enum`, or `oneOf` constants.
fn spellings(node: &Json) -> Option<Vec<&str>> {
    if let Some(values) = node.get("enum").and_then(Json::as_array) {
        return Some(values.iter().filter_map(Json::as_str).collect());
    }
    let options = node.get("oneOf")?.as_array()?;
    options.iter().map(|o| o["const"].as_str()).collect()
}

fn expected_kind(root: &Json, field: &Field<'_>) -> ColumnType {
    let node = field.node;
    if let Some(values) = spellings(node) {
        let all = all_tables().flat_map(|t| t.columns);
        let known = all
            .filter_map(|c| match c.kind {
                ColumnType::Enum(list) if list == values.as_slice() => Some(list),
                _ => None,
            })
            .next();
        return ColumnType::Enum(
            known.unwrap_or_else(|| panic!("no column has the spellings {values:?}")),
        );
    }
    match json_type(node) {
        Some("number") => ColumnType::Decimal,
        Some("integer") => ColumnType::Integer {
            min: node["minimum"].as_i64().unwrap(),
            max: node["maximum"].as_i64().unwrap(),
        },
        Some("boolean") => ColumnType::Boolean,
        Some("array") => {
            assert_eq!(node["items"]["$ref"], "#/$defs/PersonaId");
            ColumnType::PersonaList
        }
        Some("string") if node == &root["$defs"]["Date"] => ColumnType::Date,
        Some("string") => ColumnType::Text,
        other => panic!("a field of type {other:?}: {node}"),
    }
}

fn schemas() -> Vec<(Json, Option<&'static str>)> {
    let json = |schema: schemars::Schema| serde_json::to_value(schema).unwrap();
    vec![
        (json(spendsense_schema::json_schema::profile_schema()), None),
        (
            json(schemars::schema_for!(Transaction)),
            Some("transactions"),
        ),
        (
            json(schemars::schema_for!(CardLiability)),
            Some("liabilities"),
        ),
    ]
}

/// Every column but a list table's owner is a field of the model, with the
/// field's type, nullability and description; every field is a column.
#[test]
fn every_column_is_typed_as_its_field_in_the_json_schema() {
    let mut seen = 0;
    for (root, ledger) in schemas() {
        for (file, name, field) in leaves(&root, ledger) {
            let table = all_tables().find(|t| t.csv_file == file).unwrap();
            let column = table
                .column(&name)
                .unwrap_or_else(|| panic!("{file} has no column {name}"));
            let expected = expected_kind(&root, &field);
            assert_eq!(column.kind, expected, "{file} {name}");
            assert_eq!(column.nullable, field.nullable, "{file} {name} nullable");
            let description = field.description.unwrap_or_default();
            let one_line = description.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(column.description, one_line, "{file} {name} description");
            seen += 1;
        }
    }
    let owners = all_tables().filter(|t| t.name != "users").count();
    let columns: usize = all_tables().map(|t| t.columns.len()).sum();
    assert_eq!(
        seen + owners,
        columns,
        "columns that are no field of the model"
    );
}

#[test]
fn tables_follow_the_csv_files_and_their_headers() {
    let files = crate::tables::FILES.iter().chain(&crate::ledger::FILES);
    let headers = crate::tables::COLUMNS.iter().chain(&crate::ledger::COLUMNS);
    for ((table, file), header) in all_tables().zip(files).zip(headers) {
        assert_eq!(table.csv_file, *file);
        assert_eq!(format!("{}.csv", table.name), table.csv_file);
        let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        assert_eq!(names, *header, "{}", table.name);
    }
}

#[test]
fn keys_name_columns_that_exist_and_reference_primary_keys() {
    for table in all_tables() {
        for name in table.primary_key {
            assert!(
                !table.column(name).unwrap().nullable,
                "{}.{name}",
                table.name
            );
        }
        for key in table.foreign_keys {
            let target = super::table(key.table).unwrap();
            assert_eq!(
                key.references, target.primary_key,
                "{} -> {}",
                table.name, key.table
            );
            for (name, referenced) in key.columns.iter().zip(key.references) {
                let (from, to) = (
                    table.column(name).unwrap(),
                    target.column(referenced).unwrap(),
                );
                assert_eq!(from.kind, to.kind, "{}.{name}", table.name);
            }
        }
    }
}

/// A value as the CSV writer spells it.
fn text(value: &Value<'_>) -> String {
    match value {
        Value::Null => String::new(),
        Value::Text(text) => text.to_string(),
        Value::Decimal(amount) => amount.to_string(),
        Value::Date(date) => date.to_string(),
        Value::Integer(whole) => whole.to_string(),
        Value::Boolean(flag) => flag.to_string(),
        Value::PersonaList(ids) => {
            let ids: Vec<&str> = ids.iter().map(|p| p.as_str()).collect();
            ids.join(&crate::tables::MATCHED_SEPARATOR.to_string())
        }
    }
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Checks one value against its column: the type, nulls only where allowed,
/// enum spellings, integer ranges and the money scale.
fn check(table: &Table, column: &Column, value: &Value<'_>) {
    let at = format!("{}.{}", table.name, column.name);
    match (column.kind, value) {
        (_, Value::Null) => assert!(column.nullable, "{at} is null"),
        (ColumnType::Text, Value::Text(_))
        | (ColumnType::Date, Value::Date(_))
        | (ColumnType::Boolean, Value::Boolean(_))
        | (ColumnType::PersonaList, Value::PersonaList(_)) => {}
        (ColumnType::Decimal, Value::Decimal(amount)) => {
            assert!(amount.scale() <= u32::from(DECIMAL_SCALE), "{at} {amount}");
            let digits = amount.mantissa().unsigned_abs().to_string().len();
            assert!(digits <= usize::from(DECIMAL_PRECISION), "{at} {amount}");
        }
        (ColumnType::Integer { min, max }, Value::Integer(whole)) => {
            assert!((min..=max).contains(whole), "{at} {whole}");
        }
        (ColumnType::Enum(spellings), Value::Text(text)) => {
            assert!(spellings.contains(text), "{at} {text}");
        }
        (kind, value) => panic!("{at}: {value:?} in a {kind:?} column"),
    }
}

/// The rows, written as text, are the CSV writer's rows, and every value
/// fits its column, for datasets with and without overlap.
#[test]
fn rows_are_the_csv_rows_and_fit_their_columns() {
    let configs = [(1, 60, "0"), (42, 250, "0.3"), (7, 120, "1")];
    for (seed, count, overlap) in configs {
        let mut config = GeneratorConfig::new(seed, count);
        config.overlap = Overlap::parse(overlap).unwrap();
        let generator = Generator::new(&config).unwrap();
        let mut profiles: Vec<UserProfile> = generator.iter().collect();
        profiles.push(crate::model::profile_with_every_field());
        let mut tables =
            crate::tables::Tables::without_headers(std::array::from_fn(|_| Vec::new()));
        let mut ledgers =
            crate::ledger::LedgerTables::without_headers(std::array::from_fn(|_| Vec::new()));
        let mut profile_rows_seen: [Vec<Vec<String>>; 5] = Default::default();
        let mut ledger_rows_seen: [Vec<Vec<String>>; 2] = Default::default();
        for (index, profile) in profiles.iter().enumerate() {
            tables.write(profile).unwrap();
            super::profile_rows(profile, |table, values| {
                let model = &PROFILE_TABLES[table];
                assert_eq!(values.len(), model.columns.len());
                for (column, value) in model.columns.iter().zip(values) {
                    check(model, column, value);
                }
                profile_rows_seen[table].push(values.iter().map(text).collect());
            });
            if index < count as usize {
                let ledger = generator.ledger(index as u64, profile);
                ledgers
                    .write(&profile.user_id, &ledger.transactions, &ledger.liabilities)
                    .unwrap();
                super::ledger_rows(
                    &profile.user_id,
                    &ledger.transactions,
                    &ledger.liabilities,
                    |table, values| {
                        let model = &LEDGER_TABLES[table];
                        for (column, value) in model.columns.iter().zip(values) {
                            check(model, column, value);
                        }
                        ledger_rows_seen[table].push(values.iter().map(text).collect());
                    },
                );
            }
        }
        let written = tables.finish().unwrap();
        for ((bytes, seen), table) in written.iter().zip(&profile_rows_seen).zip(&PROFILE_TABLES) {
            assert_eq!(&csv_rows(bytes), seen, "{} seed {seed}", table.name);
        }
        let written = ledgers.finish().unwrap();
        for ((bytes, seen), table) in written.iter().zip(&ledger_rows_seen).zip(&LEDGER_TABLES) {
            assert!(!seen.is_empty(), "{}", table.name);
            assert_eq!(&csv_rows(bytes), seen, "{} seed {seed}", table.name);
        }
    }
}
