//! Reader specs of the JSON and JSONL profile output, derived from the
//! profile's JSON Schema ([`spendsense_schema::json_schema::profile_schema`]).
//!
//! The schema is read into a tree of [`Field`]s first: objects in wire order
//! (their `required` list, which names every key), `$ref`s followed, `null`
//! branches turned into nullability, numbers as money (every number of the
//! model is an amount with at most [`spendsense_schema::money::MAX_SCALE`]
//! decimals), strings with `format: date` as dates, and every other string
//! (ids, masks, postal codes, enums) as text. [`duckdb_columns`] and
//! [`spark_ddl`] spell that tree for one reader each.
//!
//! # Example
//!
//! ```
//! let columns = spendsense_export::specs::json::duckdb_columns();
//! assert!(columns.contains("'annual_income': 'DECIMAL(18,2)'"));
//! let ddl = spendsense_export::specs::json::spark_ddl();
//! assert!(ddl.contains("`postal_code`: STRING NOT NULL"));
//! ```

use serde_json::Value;

use super::{decimal_type, integer_types, sql_identifier, sql_string};

/// A field's type, as the JSON Schema states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    /// A string: ids, names, masks, postal codes, enum spellings.
    Text,
    /// A number: an exact amount, DECIMAL(18, 2).
    Decimal,
    /// A string with `format: date`, `YYYY-MM-DD`.
    Date,
    /// An integer within `min..=max`.
    Integer {
        /// The schema's `minimum`.
        min: i64,
        /// The schema's `maximum`.
        max: i64,
    },
    /// `true` or `false`.
    Boolean,
    /// An object: its keys, in wire order.
    Object(Vec<Field>),
    /// An array of one type.
    List(Box<Type>),
}

/// One key of an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The JSON key.
    pub name: String,
    /// Its type.
    pub kind: Type,
    /// Whether its value may be `null` (the key is present either way).
    pub nullable: bool,
}

/// The keys of one profile, in wire order, typed from the profile's JSON Schema.
pub fn profile_fields() -> Vec<Field> {
    let schema = spendsense_schema::json_schema::profile_schema().to_value();
    let walker = Walker { root: &schema };
    match walker.kind(&schema, "") {
        (Type::Object(fields), false) => fields,
        other => panic!("the profile schema is not an object: {other:?}"),
    }
}

/// The DuckDB `columns` argument of `read_json` for a JSON or JSONL profile
/// file: a struct literal of column name to type, one top-level key a line.
///
/// ```sql
/// SELECT * FROM read_json('profiles.jsonl', columns = {...})
/// ```
pub fn duckdb_columns() -> String {
    let lines: Vec<String> = profile_fields()
        .iter()
        .map(|field| {
            format!(
                "  {}: {}",
                sql_string(&field.name),
                sql_string(&duckdb_type(&field.kind))
            )
        })
        .collect();
    format!("{{\n{}\n}}\n", lines.join(",\n"))
}

/// The Spark schema of a JSON or JSONL profile file as a DDL string, for
/// `spark.read.schema(ddl).json(path)`: one line, `NOT NULL` on the keys
/// that are never null.
pub fn spark_ddl() -> String {
    let columns: Vec<String> = profile_fields()
        .iter()
        .map(|field| format!("{} {}", spark_name(&field.name), spark_field_type(field)))
        .collect();
    columns.join(", ") + "\n"
}

/// DuckDB's name of `kind`: `STRUCT("a" T, …)`, `T[]`.
fn duckdb_type(kind: &Type) -> String {
    match kind {
        Type::Text => "VARCHAR".into(),
        Type::Decimal => decimal_type(),
        Type::Date => "DATE".into(),
        Type::Integer { min, max } => integer_types(*min, *max).0.into(),
        Type::Boolean => "BOOLEAN".into(),
        Type::Object(fields) => {
            let members: Vec<String> = fields
                .iter()
                .map(|f| format!("{} {}", sql_identifier(&f.name), duckdb_type(&f.kind)))
                .collect();
            format!("STRUCT({})", members.join(", "))
        }
        Type::List(item) => format!("{}[]", duckdb_type(item)),
    }
}

/// Spark's name of `kind`: `STRUCT<a: T, …>`, `ARRAY<T>`.
fn spark_type(kind: &Type) -> String {
    match kind {
        Type::Text => "STRING".into(),
        Type::Decimal => decimal_type(),
        Type::Date => "DATE".into(),
        Type::Integer { min, max } => integer_types(*min, *max).1.into(),
        Type::Boolean => "BOOLEAN".into(),
        Type::Object(fields) => {
            let members: Vec<String> = fields
                .iter()
                .map(|f| format!("{}: {}", spark_name(&f.name), spark_field_type(f)))
                .collect();
            format!("STRUCT<{}>", members.join(", "))
        }
        // Arrays of the model never hold nulls.
        Type::List(item) => format!("ARRAY<{}>", spark_type(item)),
    }
}

fn spark_field_type(field: &Field) -> String {
    let kind = spark_type(&field.kind);
    if field.nullable {
        kind
    } else {
        kind + " NOT NULL"
    }
}

/// `name` quoted for Spark DDL, where `type`, `limit` and `date` are keywords.
fn spark_name(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// Reads the generated schema. It knows exactly the shapes the model's
/// schema has and panics on any other, which a test of this module meets
/// first: the schema is the crate's own, not input.
struct Walker<'a> {
    root: &'a Value,
}

impl<'a> Walker<'a> {
    fn resolve(&self, node: &'a Value) -> &'a Value {
        match node.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let pointer = reference.strip_prefix('#').expect("a local $ref");
                let target = self.root.pointer(pointer).expect("a $ref that resolves");
                self.resolve(target)
            }
            None => node,
        }
    }

    /// The type of `node` at `path`, and whether it may be `null`.
    fn kind(&self, node: &'a Value, path: &str) -> (Type, bool) {
        let node = self.resolve(node);
        if let Some(branches) = node.get("anyOf").and_then(Value::as_array) {
            let null = serde_json::json!({ "type": "null" });
            let others: Vec<&Value> = branches.iter().filter(|b| **b != null).collect();
            assert!(
                others.len() == 1 && branches.len() == 2,
                "{path}: only `anyOf` of one schema and null is mapped"
            );
            return (self.kind(others[0], path).0, true);
        }
        let mut types: Vec<&str> = match node.get("type") {
            Some(Value::String(one)) => vec![one],
            Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
            other => panic!("{path}: no type ({other:?})"),
        };
        let nullable = types.contains(&"null");
        types.retain(|t| *t != "null");
        let [kind] = types[..] else {
            panic!("{path}: one type besides null, not {types:?}");
        };
        let bound = |key: &str| {
            node.get(key)
                .and_then(Value::as_i64)
                .unwrap_or_else(|| panic!("{path}: an integer without {key}"))
        };
        let kind = match kind {
            "string" if node.get("format") == Some(&Value::from("date")) => Type::Date,
            "string" => Type::Text,
            "number" => Type::Decimal,
            "integer" => Type::Integer {
                min: bound("minimum"),
                max: bound("maximum"),
            },
            "boolean" => Type::Boolean,
            "array" => {
                let items = node.get("items").expect("an array with items");
                let (item, item_nullable) = self.kind(items, &format!("{path}[]"));
                assert!(!item_nullable, "{path}: arrays of the model hold no nulls");
                Type::List(Box::new(item))
            }
            "object" => Type::Object(self.fields(node, path)),
            other => panic!("{path}: type {other} is not mapped"),
        };
        (kind, nullable)
    }

    /// The keys of an object schema in wire order: its `required` list,
    /// which must name every property (every key is always written).
    fn fields(&self, object: &'a Value, path: &str) -> Vec<Field> {
        let properties = object["properties"].as_object().expect("properties");
        let required: Vec<&str> = object["required"]
            .as_array()
            .expect("required")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(
            required.len(),
            properties.len(),
            "{path}: every key is required, so `required` gives the wire order"
        );
        required
            .into_iter()
            .map(|name| {
                let (kind, nullable) = self.kind(&properties[name], &format!("{path}/{name}"));
                Field {
                    name: name.to_string(),
                    kind,
                    nullable,
                }
            })
            .collect()
    }
}
