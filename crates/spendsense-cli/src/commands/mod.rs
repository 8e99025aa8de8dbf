//! One module per subcommand.

pub mod fingerprint;
pub mod generate;
pub mod personas;
pub mod report;
pub mod schema;
pub mod validate;

use std::fs;
use std::path::Path;

use anyhow::Context;
use spendsense_personas::Personas;

use crate::Failure;

/// Loads persona definitions from `path`, or the defaults, refusing any problem before work starts.
pub fn load_personas(path: Option<&Path>) -> Result<Personas, Failure> {
    let Some(path) = path else {
        return Ok(Personas::spendsense());
    };
    let text = fs::read_to_string(path)
        .with_context(|| format!("cannot read persona definitions {}", path.display()))
        .map_err(Failure::Usage)?;
    let deserializer = &mut serde_json::Deserializer::from_str(&text);
    let personas: Personas = serde_path_to_error::deserialize(deserializer).map_err(|err| {
        Failure::Usage(anyhow::anyhow!(
            "persona definitions {} at `{}`: {}",
            path.display(),
            err.path(),
            err.inner()
        ))
    })?;
    let problems = personas.problems();
    if let Some(first) = problems.first() {
        let more = if problems.len() > 1 {
            format!(" (and {} more problems)", problems.len() - 1)
        } else {
            String::new()
        };
        return Err(Failure::Usage(anyhow::anyhow!(
            "persona definitions {} at `{}`: {}{more}",
            path.display(),
            first.path,
            first.reason
        )));
    }
    Ok(personas)
}
