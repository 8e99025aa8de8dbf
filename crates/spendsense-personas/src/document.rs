//! [`Personas::from_json`]: a persona configuration read from its JSON
//! document, checked whole, with the one message every front end shows.

use std::fmt;

use crate::Personas;

/// Why a persona document is refused by [`Personas::from_json`]: the JSON
/// path of the first offending value (empty when the document as a whole is
/// at fault) and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentError {
    /// JSON path of the offending value, e.g. `definitions[0].annual_income.max`.
    pub path: String,
    /// Why it is refused, naming the value and what is allowed.
    pub reason: String,
}

impl DocumentError {
    /// The one-line message for the document found at `source` (a path, or
    /// empty when it has no name): `persona definitions SOURCE at `PATH`: REASON`.
    pub fn describe(&self, source: &str) -> String {
        let named = if source.is_empty() {
            "persona definitions".to_string()
        } else {
            format!("persona definitions {source}")
        };
        if self.path.is_empty() {
            format!("{named}: {}", self.reason)
        } else {
            format!("{named} at `{}`: {}", self.path, self.reason)
        }
    }
}

impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(""))
    }
}

impl std::error::Error for DocumentError {}

impl Personas {
    /// Reads a persona configuration from its JSON document and checks it
    /// ([`Personas::problems`]). Unknown fields are refused, and so is text
    /// after the document: it is most likely a second document or a botched
    /// edit. The error names the first problem, and how many others there are.
    pub fn from_json(text: &str) -> Result<Personas, DocumentError> {
        let deserializer = &mut serde_json::Deserializer::from_str(text);
        let personas: Personas =
            serde_path_to_error::deserialize(&mut *deserializer).map_err(|err| {
                // `?` and `.` are serde_path_to_error's names for no place
                // in particular (the document's end, its root).
                let path = match err.path().to_string() {
                    unplaced if unplaced == "?" || unplaced == "." => String::new(),
                    path => path,
                };
                DocumentError {
                    path,
                    reason: err.into_inner().to_string(),
                }
            })?;
        deserializer.end().map_err(|err| DocumentError {
            path: String::new(),
            reason: format!("{err} after the document; a persona file holds one JSON document"),
        })?;
        let problems = personas.problems();
        if let Some(first) = problems.first() {
            let more = match problems.len() {
                1 => String::new(),
                n => format!(" (and {} more problems)", n - 1),
            };
            return Err(DocumentError {
                path: first.path.clone(),
                reason: format!("{}{more}", first.reason),
            });
        }
        Ok(personas)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> String {
        Personas::from_json(text).unwrap_err().describe("p.json")
    }

    #[test]
    fn the_built_in_document_reads_back_as_itself() {
        let text = serde_json::to_string(&Personas::spendsense()).unwrap();
        assert_eq!(Personas::from_json(&text).unwrap(), Personas::spendsense());
    }

    #[test]
    fn errors_name_the_source_the_path_and_the_reason() {
        let mut document = serde_json::to_value(Personas::spendsense()).unwrap();
        document["definitions"][0]["annual_income"]["max"] = "lots".into();
        let message = refused(&document.to_string());
        assert!(
            message
                .starts_with("persona definitions p.json at `definitions[0].annual_income.max`: "),
            "{message}"
        );
        let text = serde_json::to_string(&Personas::spendsense()).unwrap();
        let message = refused(&format!("{text} {{}}"));
        assert!(
            message.starts_with("persona definitions p.json: trailing characters at line 1")
                && message.ends_with("a persona file holds one JSON document"),
            "{message}"
        );
        assert!(refused("{\"criteria\": 1, \"extra\": 2}").contains("at `criteria`"));
        assert_eq!(
            refused("{"),
            "persona definitions p.json: EOF while parsing an object at line 1 column 1"
        );
    }

    #[test]
    fn a_definition_with_problems_names_the_first_and_counts_the_rest() {
        let mut personas = Personas::spendsense();
        for definition in &mut personas.definitions[..2] {
            definition.annual_income.min = rust_decimal::Decimal::from(1);
            definition.annual_income.max = rust_decimal::Decimal::from(1);
        }
        let text = serde_json::to_string(&personas).unwrap();
        let err = Personas::from_json(&text).unwrap_err();
        let problems = personas.problems();
        assert!(problems.len() > 1, "{problems:?}");
        assert_eq!(err.path, problems[0].path);
        assert!(
            err.reason
                .ends_with(&format!("(and {} more problems)", problems.len() - 1)),
            "{err}"
        );
        assert_eq!(err.to_string(), err.describe(""));
        assert!(err.to_string().starts_with("persona definitions at `"));
    }
}
