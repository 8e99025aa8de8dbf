//! Markdown field tables made from the profile's JSON Schema, which carries
//! each field's doc comment as `description`: a field added to the Rust model
//! shows up here without anyone editing a doc.
//!
//! Only the schema's JSON is read (no crate internals), so the tables say what
//! the wire format says. The schema lists properties alphabetically; required
//! keys come first here, in the order the schema's `required` gives them (the
//! order of the Rust struct and of the bytes written), then optional keys.

use anyhow::{Context, Result};
use serde_json::Value;

/// The object named `name`: the root (`UserProfile`) or one of the `$defs`.
fn object<'a>(schema: &'a Value, name: &str) -> Result<&'a Value> {
    let found = if schema["title"] == name {
        Some(schema)
    } else {
        schema["$defs"].get(name)
    };
    found
        .filter(|o| o.get("properties").is_some())
        .with_context(|| format!("the profile schema has no object `{name}`"))
}

/// The field names of object `name`, required ones first in wire order.
pub fn field_names(schema: &Value, name: &str) -> Result<Vec<String>> {
    let object = object(schema, name)?;
    let mut names: Vec<String> = strings(&object["required"]);
    let properties = object["properties"].as_object().expect("checked above");
    names.extend(
        properties
            .keys()
            .filter(|k| !names.contains(k))
            .cloned()
            .collect::<Vec<_>>(),
    );
    Ok(names)
}

/// The Markdown table of object `name`'s fields.
pub fn table(schema: &Value, name: &str) -> Result<String> {
    let object = object(schema, name)?;
    let required = strings(&object["required"]);
    let mut out = String::from(
        "| Field | Type | Key | Null | Allowed values | Meaning |\n|---|---|---|---|---|---|\n",
    );
    for field in field_names(schema, name)? {
        let property = &object["properties"][&field];
        let shape = Shape::of(schema, property);
        let key = if required.contains(&field) {
            "required"
        } else {
            "optional"
        };
        let null = if shape.nullable { "yes" } else { "no" };
        let meaning = property["description"]
            .as_str()
            .unwrap_or("")
            .replace('\n', " ");
        out.push_str(&format!(
            "| `{field}` | {} | {key} | {null} | {} | {} |\n",
            shape.kind,
            cell(&shape.allowed.join("; ")),
            cell(&meaning)
        ));
    }
    Ok(out)
}

/// `text` safe inside a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// What one property's schema says, ready for the table's cells.
#[derive(Debug, Default)]
struct Shape {
    kind: String,
    nullable: bool,
    allowed: Vec<String>,
}

impl Shape {
    fn of(schema: &Value, property: &Value) -> Shape {
        let mut shape = Shape::default();
        // `Option<Enum>` is `anyOf: [{$ref}, {type: null}]`.
        let mut property = property;
        if let Some(any_of) = property["anyOf"].as_array() {
            shape.nullable = any_of.iter().any(|s| s["type"] == "null");
            if let Some(other) = any_of.iter().find(|s| s["type"] != "null") {
                property = other;
            }
        }
        if let Some(target) = property["$ref"].as_str() {
            let name = target.rsplit('/').next().unwrap_or(target);
            let def = &schema["$defs"][name];
            if def.get("properties").is_some() {
                shape.kind = format!("object `{name}`");
            } else {
                shape.kind = def["type"].as_str().unwrap_or("").to_string();
                shape.constraints(def);
            }
            return shape;
        }
        let types: Vec<String> = match &property["type"] {
            Value::String(t) => vec![t.clone()],
            other => strings(other),
        };
        shape.nullable |= types.iter().any(|t| t == "null");
        let kind: Vec<&str> = types
            .iter()
            .map(String::as_str)
            .filter(|t| *t != "null")
            .collect();
        shape.kind = kind.join(" or ");
        if shape.kind == "array"
            && let Some(item) = property["items"]["$ref"].as_str()
        {
            let name = item.rsplit('/').next().unwrap_or(item);
            shape.kind = format!("array of `{name}`");
            let def = &schema["$defs"][name];
            if def.get("properties").is_none() {
                shape.constraints(def);
            }
        }
        shape.constraints(property);
        shape
    }

    /// Enum values, constants, ranges, patterns and lengths of `schema`.
    fn constraints(&mut self, schema: &Value) {
        let code = |v: &Value| match v {
            Value::String(s) => format!("`{s}`"),
            other => format!("`{other}`"),
        };
        if let Some(values) = schema["enum"].as_array() {
            let listed: Vec<String> = values.iter().map(code).collect();
            // A long list (51 state codes) would swamp the table.
            if listed.len() > 16 {
                self.allowed.push(format!(
                    "one of {} values: {}, …",
                    listed.len(),
                    listed[..3].join(", ")
                ));
            } else {
                self.allowed.push(listed.join(", "));
            }
        }
        if let Some(value) = schema.get("const") {
            self.allowed.push(code(value));
        }
        match (schema.get("minimum"), schema.get("maximum")) {
            (Some(min), Some(max)) => self.allowed.push(format!("{min} to {max}")),
            (Some(min), None) => self.allowed.push(format!("≥ {min}")),
            (None, Some(max)) => self.allowed.push(format!("≤ {max}")),
            (None, None) => {}
        }
        if let Some(min) = schema.get("exclusiveMinimum") {
            self.allowed.push(format!("> {min}"));
        }
        match schema["pattern"].as_str() {
            Some(spendsense_schema::json_schema::NOT_BLANK) => {
                self.allowed.push("not blank".into())
            }
            Some(pattern) => self.allowed.push(format!("matches `{pattern}`")),
            None => {}
        }
        if schema["minLength"] == 1 {
            self.allowed.push("not empty".into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Value {
        json!({
            "title": "Root",
            "required": ["b", "a"],
            "properties": {
                "a": {"type": ["number", "null"], "minimum": 0, "description": "An amount\nin dollars."},
                "b": {"$ref": "#/$defs/Kind", "description": "A | kind."},
                "c": {"anyOf": [{"$ref": "#/$defs/Kind"}, {"type": "null"}]},
                "d": {"$ref": "#/$defs/Inner"}
            },
            "$defs": {
                "Kind": {"type": "string", "enum": ["x", "y"]},
                "Inner": {"properties": {"e": {"type": "string", "pattern": "^[0-9]{4}$"}}}
            }
        })
    }

    #[test]
    fn required_fields_come_first_in_their_order() {
        assert_eq!(
            field_names(&schema(), "Root").unwrap(),
            ["b", "a", "c", "d"]
        );
        assert!(field_names(&schema(), "Kind").is_err());
    }

    #[test]
    fn rows_state_type_key_null_constraints_and_meaning() {
        let root = table(&schema(), "Root").unwrap();
        let rows: Vec<&str> = root.lines().skip(2).collect();
        assert_eq!(
            rows,
            [
                "| `b` | string | required | no | `x`, `y` | A \\| kind. |",
                "| `a` | number | required | yes | ≥ 0 | An amount in dollars. |",
                "| `c` | string | optional | yes | `x`, `y` |  |",
                "| `d` | object `Inner` | optional | no |  |  |",
            ]
        );
        assert!(
            table(&schema(), "Inner")
                .unwrap()
                .contains("matches `^[0-9]{4}$`")
        );
    }
}
