//! The reader specs against generated data, not against the code that made
//! them: the JSON specs are parsed back and compared with the keys, key order
//! and value kinds of real profiles; the CSV specs with real tables' headers
//! and every value of every row, for datasets with and without overlap and
//! with a mix.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;
use spendsense_generator::{Generator, GeneratorConfig, Overlap};
use spendsense_personas::Mix;
use spendsense_schema::UserProfile;

use super::{csv_dir, json};
use crate::columns;

/// A type as a spec spells it, parsed back.
#[derive(Debug, Clone, PartialEq)]
enum Spelled {
    Scalar(String),
    /// Members: name, type, nullable (Spark's `NOT NULL` absent).
    Struct(Vec<(String, Spelled, bool)>),
    List(Box<Spelled>),
}

/// A tiny reader of DuckDB and Spark type spellings.
struct Parser<'a> {
    text: &'a str,
}

impl Parser<'_> {
    fn eat(&mut self, prefix: &str) -> bool {
        let rest = self.text.trim_start();
        match rest.strip_prefix(prefix) {
            Some(rest) => {
                self.text = rest;
                true
            }
            None => false,
        }
    }

    fn expect(&mut self, prefix: &str) {
        assert!(self.eat(prefix), "expected {prefix:?} at {:?}", self.text);
    }

    /// A quoted name: `"a"` (DuckDB) or `` `a` `` (Spark).
    fn name(&mut self, quote: char) -> String {
        self.expect(&quote.to_string());
        let end = self.text.find(quote).expect("a closing quote");
        let name = self.text[..end].to_string();
        self.text = &self.text[end + 1..];
        name
    }

    /// A scalar type name: `DECIMAL(18,2)` keeps its parenthesis.
    fn word(&mut self) -> String {
        self.text = self.text.trim_start();
        let end = match self.text.starts_with("DECIMAL(") {
            true => self.text.find(')').unwrap() + 1,
            false => self
                .text
                .find([',', ')', '>', '[', ' '])
                .unwrap_or(self.text.len()),
        };
        let word = self.text[..end].to_string();
        self.text = &self.text[end..];
        word
    }

    fn duckdb(&mut self) -> Spelled {
        let kind = if self.eat("STRUCT(") {
            let mut members = Vec::new();
            loop {
                let name = self.name('"');
                members.push((name, self.duckdb(), true));
                if self.eat(")") {
                    break;
                }
                self.expect(",");
            }
            Spelled::Struct(members)
        } else {
            Spelled::Scalar(self.word())
        };
        let mut kind = kind;
        while self.eat("[]") {
            kind = Spelled::List(Box::new(kind));
        }
        kind
    }

    fn spark(&mut self) -> Spelled {
        if self.eat("STRUCT<") {
            let mut members = Vec::new();
            loop {
                let name = self.name('`');
                self.expect(":");
                let kind = self.spark();
                members.push((name, kind, !self.eat("NOT NULL")));
                if self.eat(">") {
                    break;
                }
                self.expect(",");
            }
            Spelled::Struct(members)
        } else if self.eat("ARRAY<") {
            let item = self.spark();
            self.expect(">");
            Spelled::List(Box::new(item))
        } else {
            Spelled::Scalar(self.word())
        }
    }
}

/// The DuckDB `columns` struct literal, parsed: `'name': 'TYPE'` entries.
fn parse_duckdb_columns(text: &str) -> Vec<(String, Spelled, bool)> {
    let body = text
        .trim()
        .strip_prefix('{')
        .unwrap()
        .strip_suffix('}')
        .unwrap();
    body.split(",\n")
        .map(|entry| {
            let (name, kind) = entry.trim().split_once(": ").unwrap();
            let name = name.trim_matches('\'').to_string();
            let kind = kind.strip_prefix('\'').unwrap().strip_suffix('\'').unwrap();
            let mut parser = Parser { text: kind };
            let parsed = parser.duckdb();
            assert_eq!(parser.text.trim(), "", "{name}: all of {kind:?} read");
            (name, parsed, true)
        })
        .collect()
}

/// The Spark DDL, parsed as the members of one struct.
fn parse_spark_ddl(text: &str) -> Vec<(String, Spelled, bool)> {
    let wrapped = format!("STRUCT<{}>", text.trim().replace("` ", "`: "));
    let mut parser = Parser { text: &wrapped };
    match parser.spark() {
        Spelled::Struct(members) => members,
        other => panic!("{other:?}"),
    }
}

/// What generated profiles hold at each path (`a.b[].c`): the kinds of
/// value seen, by their JSON text alone.
fn observed(profiles: &[UserProfile]) -> BTreeMap<String, BTreeSet<&'static str>> {
    fn walk(value: &Json, path: &str, out: &mut BTreeMap<String, BTreeSet<&'static str>>) {
        let date = |s: &str| {
            s.len() == 10
                && s.as_bytes()[4] == b'-'
                && s.as_bytes()[7] == b'-'
                && s.parse::<spendsense_schema::Date>().is_ok()
        };
        let kind = match value {
            Json::Null => "null",
            Json::Bool(_) => "BOOLEAN",
            // Money is written with its scale (`0.00`), so it reads as a float.
            Json::Number(n) if n.is_f64() => "DECIMAL(18,2)",
            Json::Number(_) => "INTEGER",
            Json::String(s) if date(s) => "DATE",
            Json::String(_) => "VARCHAR",
            Json::Array(items) => {
                for item in items {
                    walk(item, &format!("{path}[]"), out);
                }
                "list"
            }
            Json::Object(members) => {
                for (key, member) in members {
                    walk(member, &format!("{path}.{key}"), out);
                }
                "struct"
            }
        };
        out.entry(path.to_string()).or_default().insert(kind);
    }
    let mut out = BTreeMap::new();
    for profile in profiles {
        walk(&serde_json::to_value(profile).unwrap(), "", &mut out);
    }
    out
}

/// The spelled types, flattened to the same paths: (scalar or shape, nullable).
fn spelled_paths(members: &[(String, Spelled, bool)]) -> BTreeMap<String, (String, bool)> {
    fn walk(
        kind: &Spelled,
        nullable: bool,
        path: String,
        out: &mut BTreeMap<String, (String, bool)>,
    ) {
        match kind {
            Spelled::Scalar(name) => {
                out.insert(path, (name.clone(), nullable));
            }
            Spelled::Struct(members) => {
                out.insert(path.clone(), ("struct".into(), nullable));
                for (name, kind, nullable) in members {
                    walk(kind, *nullable, format!("{path}.{name}"), out);
                }
            }
            Spelled::List(item) => {
                out.insert(path.clone(), ("list".into(), nullable));
                walk(item, false, format!("{path}[]"), out);
            }
        }
    }
    let mut out = BTreeMap::new();
    for (name, kind, nullable) in members {
        walk(kind, *nullable, format!(".{name}"), &mut out);
    }
    out
}

fn datasets() -> Vec<Vec<UserProfile>> {
    let mix = Mix::parse("high_utilization=3,control=1").unwrap();
    [
        (1, 80, "0", None),
        (42, 150, "0.5", None),
        (7, 60, "1", Some(mix)),
    ]
    .into_iter()
    .map(|(seed, count, overlap, mix)| {
        let mut config = GeneratorConfig::new(seed, count);
        config.overlap = Overlap::parse(overlap).unwrap();
        if let Some(mix) = mix {
            config.mix = mix;
        }
        Generator::new(&config).unwrap().iter().collect()
    })
    .collect()
}

/// Both JSON specs name exactly the paths generated profiles have, with the
/// type their values' JSON text implies, nullable where a null was seen.
#[test]
fn json_specs_type_every_key_of_generated_profiles() {
    let mut profiles: Vec<UserProfile> = datasets().into_iter().flatten().collect();
    profiles.push(spendsense_schema::sample::overlap_profile());
    let seen = observed(&profiles);
    let duckdb = spelled_paths(&parse_duckdb_columns(&json::duckdb_columns()));
    let spark = spelled_paths(&parse_spark_ddl(&json::spark_ddl()));
    let seen_paths: BTreeSet<&String> = seen.keys().filter(|p| !p.is_empty()).collect();
    assert_eq!(duckdb.keys().collect::<BTreeSet<_>>(), seen_paths);
    assert_eq!(spark.keys().collect::<BTreeSet<_>>(), seen_paths);
    for (path, kinds) in &seen {
        if path.is_empty() {
            continue;
        }
        let values: Vec<&str> = kinds.iter().copied().filter(|k| *k != "null").collect();
        let (duck, _) = &duckdb[path];
        let (spark_kind, spark_nullable) = &spark[path];
        match values[..] {
            [kind] => {
                assert_eq!(duck, kind, "{path} in DuckDB");
                let spark_expected = match kind {
                    "VARCHAR" => "STRING",
                    "INTEGER" => "INT",
                    other => other,
                };
                assert_eq!(spark_kind, spark_expected, "{path} in Spark");
            }
            // Always null in the data (`unofficial_currency_code`): typed as text, not NULL.
            [] => {
                assert_eq!(duck, "VARCHAR", "{path}");
                assert_eq!(spark_kind, "STRING", "{path}");
            }
            _ => panic!("{path}: values of several kinds {kinds:?}"),
        }
        if kinds.contains("null") {
            assert!(
                spark_nullable,
                "{path} holds nulls but is NOT NULL in Spark"
            );
        }
    }
    // Every key that is never null in the data and not nullable in the model is NOT NULL.
    assert!(!spark[".user_id"].1 && !spark[".accounts[].balances.current"].1);
    assert!(spark[".expected_assignment"].1 && spark[".matched_personas"].1);
}

/// The specs list keys in wire order, so `SELECT *` shows them as the file does.
#[test]
fn json_specs_follow_the_wire_order() {
    let text = serde_json::to_string(&spendsense_schema::sample::overlap_profile()).unwrap();
    fn check(members: &[(String, Spelled, bool)], text: &str, from: usize) {
        let mut at = from;
        for (name, kind, _) in members {
            let found = text[at..]
                .find(&format!("\"{name}\":"))
                .unwrap_or_else(|| panic!("{name} after byte {at}"));
            at += found;
            let inner = match kind {
                Spelled::List(item) => item.as_ref(),
                other => other,
            };
            if let Spelled::Struct(members) = inner {
                check(members, text, at);
            }
        }
    }
    check(&parse_duckdb_columns(&json::duckdb_columns()), &text, 0);
    check(&parse_spark_ddl(&json::spark_ddl()), &text, 0);
}

/// One Table Schema field descriptor's check of one CSV field.
fn fits(field: &Json, value: &str) -> Result<(), String> {
    let constraints = &field["constraints"];
    if value.is_empty() {
        return match constraints["required"] == true {
            true => Err("empty but required".into()),
            false => Ok(()),
        };
    }
    let ok = match field["type"].as_str().unwrap() {
        "string" => true,
        "number" => {
            let scale = field["scale"].as_u64().unwrap() as usize;
            let (whole, fraction) = value
                .trim_start_matches('-')
                .split_once('.')
                .unwrap_or((value, ""));
            !whole.is_empty()
                && whole.bytes().all(|b| b.is_ascii_digit())
                && fraction.len() == scale
                && fraction.bytes().all(|b| b.is_ascii_digit())
                && whole.len() <= (field["precision"].as_u64().unwrap() as usize - scale)
        }
        "integer" => value.parse::<i64>().is_ok_and(|n| {
            constraints["minimum"].as_i64().is_none_or(|m| n >= m)
                && constraints["maximum"].as_i64().is_none_or(|m| n <= m)
        }),
        "date" => value.parse::<spendsense_schema::Date>().is_ok(),
        "boolean" => value == "true" || value == "false",
        other => return Err(format!("type {other}")),
    };
    let in_enum = constraints["enum"]
        .as_array()
        .is_none_or(|spellings| spellings.contains(&Json::from(value)));
    let matches = constraints["pattern"].as_str().is_none_or(|pattern| {
        // The one pattern: `;`-joined persona ids.
        assert!(pattern.starts_with("^(high_utilization|"), "{pattern}");
        value
            .split(crate::tables::MATCHED_SEPARATOR)
            .all(|id| id.parse::<spendsense_schema::PersonaId>().is_ok())
    });
    match ok && in_enum && matches {
        true => Ok(()),
        false => Err(format!("{value:?} is not a {field}")),
    }
}

fn csv_records(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = ::csv::Reader::from_reader(bytes);
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// Every table's header is the package's field list, the same for every
/// dataset (overlap or not, a mix or not), and every value of every row fits
/// its field's type and constraints.
#[test]
fn the_data_package_types_every_column_of_real_tables() {
    let package: Json =
        serde_json::from_str(&csv_dir::data_package(columns::all_tables())).unwrap();
    let resources = package["resources"].as_array().unwrap();
    assert_eq!(resources.len(), columns::all_tables().count());
    let mut headers_seen: Option<Vec<Vec<String>>> = None;
    for profiles in datasets() {
        let mut tables = crate::tables::Tables::new(std::array::from_fn(|_| Vec::new())).unwrap();
        let mut ledgers =
            crate::ledger::LedgerTables::new(std::array::from_fn(|_| Vec::new())).unwrap();
        let config = GeneratorConfig::new(1, profiles.len() as u64);
        let generator = Generator::new(&config).unwrap();
        for (index, profile) in profiles.iter().enumerate() {
            tables.write(profile).unwrap();
            if index < 20 {
                let ledger = generator.ledger(index as u64, profile);
                ledgers
                    .write(&profile.user_id, &ledger.transactions, &ledger.liabilities)
                    .unwrap();
            }
        }
        let files: Vec<Vec<u8>> = tables
            .finish()
            .unwrap()
            .into_iter()
            .chain(ledgers.finish().unwrap())
            .collect();
        let mut headers = Vec::new();
        for (bytes, resource) in files.iter().zip(resources) {
            let (header, rows) = csv_records(bytes);
            let fields = resource["schema"]["fields"].as_array().unwrap();
            let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
            assert_eq!(header, names, "{}", resource["name"]);
            assert!(!rows.is_empty(), "{}", resource["name"]);
            for row in &rows {
                for (value, field) in row.iter().zip(fields) {
                    if let Err(why) = fits(field, value) {
                        panic!("{}.{}: {why}", resource["name"], field["name"]);
                    }
                }
            }
            headers.push(header);
        }
        match &headers_seen {
            Some(first) => assert_eq!(first, &headers, "the columns do not depend on the flags"),
            None => headers_seen = Some(headers),
        }
    }
}

/// The package's keys and the DuckDB views follow the column model, table by table.
#[test]
fn the_duckdb_views_and_keys_follow_the_column_model() {
    let package: Json =
        serde_json::from_str(&csv_dir::data_package(columns::all_tables())).unwrap();
    let views = csv_dir::duckdb_views(columns::all_tables());
    for (table, resource) in columns::all_tables().zip(package["resources"].as_array().unwrap()) {
        assert_eq!(resource["path"], table.csv_file);
        let key = &resource["schema"]["primaryKey"];
        match table.primary_key {
            [] => assert!(key.is_null()),
            columns => assert_eq!(key, &Json::from(columns.to_vec())),
        }
        let foreign = resource["schema"]["foreignKeys"]
            .as_array()
            .map_or(0, Vec::len);
        assert_eq!(foreign, table.foreign_keys.len());
        let start = views
            .find(&format!("CREATE OR REPLACE VIEW \"{}\" AS", table.name))
            .unwrap();
        let body = &views[start..views[start..].find(");").unwrap() + start];
        let columns_text = &body[body.find("columns = ").unwrap() + "columns = ".len()..];
        let parsed = parse_duckdb_columns(columns_text);
        let names: Vec<&str> = parsed.iter().map(|(n, _, _)| n.as_str()).collect();
        let expected: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        assert_eq!(names, expected, "{}", table.name);
        for ((_, kind, _), field) in parsed
            .iter()
            .zip(resource["schema"]["fields"].as_array().unwrap())
        {
            let expected = match field["type"].as_str().unwrap() {
                "string" => "VARCHAR",
                "number" => "DECIMAL(18,2)",
                "integer" => "INTEGER",
                "date" => "DATE",
                "boolean" => "BOOLEAN",
                other => panic!("{other}"),
            };
            assert_eq!(
                kind,
                &Spelled::Scalar(expected.into()),
                "{}.{}",
                table.name,
                field["name"]
            );
        }
    }
}
