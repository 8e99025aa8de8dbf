//! The example queries of `docs/sql.md` run against a loaded database and
//! return rows, so the docs cannot drift from the layout.

use spendsense_sqlite::rusqlite::Connection;

use crate::{dataset, load};

/// The `sql` blocks of the doc's SQLite section (before `## Postgres`).
fn sqlite_queries() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/sql.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let sqlite = doc.split("\n## Postgres").next().unwrap();
    let mut queries = Vec::new();
    let mut block: Option<Vec<&str>> = None;
    for line in sqlite.lines() {
        match (&mut block, line.trim_end()) {
            (None, "```sql") => block = Some(Vec::new()),
            (Some(lines), "```") => {
                queries.push(lines.join("\n"));
                block = None;
            }
            (Some(lines), line) => lines.push(line),
            (None, _) => {}
        }
    }
    queries
}

#[test]
fn every_example_query_runs_and_returns_rows() {
    let queries = sqlite_queries();
    assert!(queries.len() >= 4, "{} queries found", queries.len());
    let connection = Connection::open_in_memory().unwrap();
    load(&connection, &dataset(42, 30)).unwrap();
    for query in &queries {
        let mut statement = connection
            .prepare(query)
            .unwrap_or_else(|err| panic!("{err}\n{query}"));
        let columns = statement.column_count();
        let rows: Vec<Vec<String>> = statement
            .query_map([], |row| {
                (0..columns)
                    .map(|at| {
                        let value: spendsense_sqlite::rusqlite::types::Value = row.get(at)?;
                        Ok(format!("{value:?}"))
                    })
                    .collect()
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(!rows.is_empty(), "no rows from\n{query}");
        assert!(
            rows.iter().flatten().all(|value| value != "Null"),
            "a NULL from\n{query}\n{rows:?}"
        );
    }
}

/// The exact-dollars expression of the doc turns cents into the Decimal's
/// own text, negative amounts and amounts under a dollar included.
#[test]
fn the_dollars_expression_is_exact() {
    let queries = sqlite_queries();
    let query = queries
        .iter()
        .find(|q| q.contains("printf"))
        .expect("the dollars query");
    let connection = Connection::open_in_memory().unwrap();
    load(&connection, &[]).unwrap();
    for amount in ["0.00", "0.07", "-0.50", "1234.50", "-98765.43"] {
        let decimal: rust_decimal::Decimal = amount.parse().unwrap();
        connection.execute("DELETE FROM transactions", []).unwrap();
        connection
            .execute(
                "INSERT INTO transactions VALUES ('u', 't', 'a', ?1, 'USD', NULL, '2026-01-01', NULL, 'n', NULL, 'other', 'P', 'P_D', 0)",
                [spendsense_sqlite::cents(decimal).unwrap()],
            )
            .unwrap();
        let text: String = connection.query_row(query, [], |row| row.get(0)).unwrap();
        assert_eq!(text, amount);
    }
}
