//! The field-profile section: per column of each CSV table, its type,
//! nulls, distinct values, extremes and top values, in the spirit of
//! ydata-profiling.

use std::fmt::Write;

use spendsense_export::columns::ColumnType;
use spendsense_export::stats::fields::{Distinct, Extremes, Field, FieldProfile};

use super::html::escape;

/// Enum values shown per column; the rest are counted.
pub const TOP_SHOWN: usize = 5;

/// A column type as the page names it.
pub fn type_name(kind: ColumnType) -> String {
    match kind {
        ColumnType::Text => "text".into(),
        ColumnType::Decimal => "decimal(18,2)".into(),
        ColumnType::Date => "date".into(),
        ColumnType::Integer { min, max } => format!("integer {min}..={max}"),
        ColumnType::Boolean => "boolean".into(),
        ColumnType::Enum(spellings) => format!("enum ({})", spellings.len()),
        ColumnType::PersonaList => "persona list".into(),
    }
}

/// The distinct count as the page writes it: `12`, or `≈ 48,210`.
pub fn distinct(field: &Field) -> String {
    match field.distinct() {
        Distinct::Exact(n) => n.to_string(),
        Distinct::About(n) => format!("≈ {n}"),
    }
}

fn extremes(field: &Field) -> (String, String) {
    match field.extremes {
        None => ("—".into(), "—".into()),
        Some(Extremes::Decimal(a, b)) => (a.to_string(), b.to_string()),
        Some(Extremes::Integer(a, b)) => (a.to_string(), b.to_string()),
        Some(Extremes::Date(a, b)) => (a.to_string(), b.to_string()),
        Some(Extremes::Length(a, b)) => (format!("{a} chars"), format!("{b} chars")),
    }
}

fn top(field: &Field) -> String {
    let of = field.rows.saturating_sub(field.nulls).max(1) as f64;
    let share = |n: u64| format!("{:.1}%", n as f64 * 100.0 / of);
    match field.column.kind {
        ColumnType::Enum(_) => {
            let values = field.top_values();
            let mut shown: Vec<String> = values
                .iter()
                .take(TOP_SHOWN)
                .map(|(v, n)| format!("{} {}", v.unwrap_or("(not allowed)"), share(*n)))
                .collect();
            if values.len() > TOP_SHOWN {
                shown.push(format!("… {} more", values.len() - TOP_SHOWN));
            }
            shown.join(", ")
        }
        ColumnType::Boolean => format!(
            "true {}, false {}",
            share(field.counts[1]),
            share(field.counts[0])
        ),
        ColumnType::PersonaList => {
            let mut shown: Vec<String> = field
                .lists
                .iter()
                .take(TOP_SHOWN)
                .map(|(list, n)| {
                    let names: Vec<&str> = list.iter().map(|p| p.as_str()).collect();
                    format!("{} {}", names.join(";"), share(*n))
                })
                .collect();
            let more = field.lists.len().saturating_sub(TOP_SHOWN);
            if more > 0 || field.other_lists > 0 {
                shown.push(format!(
                    "… {more} more lists and {} rows",
                    field.other_lists
                ));
            }
            shown.join(", ")
        }
        _ => String::new(),
    }
}

/// The `id` of a table's field profile.
pub fn table_id(table: &str) -> String {
    format!("fields-{table}")
}

/// Writes the section.
pub fn section(out: &mut String, profile: &FieldProfile) {
    out.push_str(
        "<section id=\"fields\">\n<h2>Field profile</h2>\n<p>Every column of the CSV tables a profile makes (<code>--format csv</code>), typed by the column model: rows, nulls, distinct values (exact up to 1024, then estimated within a few percent), smallest and largest value (length, for text), and the most common values of enums. The ledger tables (<code>transactions.csv</code>, <code>liabilities.csv</code>) are realised from each profile by <code>generate --transactions</code>; a profile file does not hold them, so they are not profiled here.</p>\n",
    );
    for table in &profile.tables {
        let _ = write!(
            out,
            "<h3><code>{}</code> ({} rows)</h3>\n<table id=\"{}\">\n<thead><tr><th>column</th><th>type</th><th class=\"n\">nulls</th><th class=\"n\">distinct</th><th class=\"n\">min</th><th class=\"n\">max</th><th>top values</th></tr></thead>\n<tbody>\n",
            table.table.csv_file,
            table.rows,
            table_id(table.table.name)
        );
        for field in &table.fields {
            let (min, max) = extremes(field);
            let nulls = if field.nulls == 0 {
                "0".to_string()
            } else {
                format!(
                    "{} ({:.1}%)",
                    field.nulls,
                    field.nulls as f64 * 100.0 / field.rows.max(1) as f64
                )
            };
            let _ = writeln!(
                out,
                "<tr><td><code>{}</code></td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                field.column.name,
                escape(&type_name(field.column.kind)),
                nulls,
                escape(&distinct(field)),
                escape(&min),
                escape(&max),
                escape(&top(field))
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</section>\n");
}
