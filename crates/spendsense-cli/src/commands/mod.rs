//! One module per subcommand.

pub mod fingerprint;
pub mod generate;
pub mod personas;
pub mod report;
pub mod schema;
pub mod validate;

use std::fs::File;
use std::io::Read;
use std::path::Path;

use anyhow::Context;
use spendsense_personas::Personas;

use crate::Failure;

/// The largest persona file read: a real one is about 5 KB, and the limit keeps
/// `/dev/zero` or a file of a million entries from filling memory.
pub const MAX_PERSONAS_BYTES: u64 = 1 << 20;

/// Loads persona definitions from `path`, or the defaults, refusing any problem before work starts.
pub fn load_personas(path: Option<&Path>) -> Result<Personas, Failure> {
    let Some(path) = path else {
        return Ok(Personas::spendsense());
    };
    let unreadable = || format!("cannot read persona definitions {}", path.display());
    let mut bytes = Vec::new();
    // One byte past the limit tells a file of exactly the limit from a larger one.
    File::open(path)
        .and_then(|file| file.take(MAX_PERSONAS_BYTES + 1).read_to_end(&mut bytes))
        .with_context(unreadable)
        .map_err(Failure::Usage)?;
    if bytes.len() as u64 > MAX_PERSONAS_BYTES {
        return Err(Failure::Usage(anyhow::anyhow!(
            "persona definitions {} are larger than {} bytes (1 MiB); a persona file is a few KB",
            path.display(),
            MAX_PERSONAS_BYTES
        )));
    }
    let text = std::str::from_utf8(&bytes)
        .context("stream did not contain valid UTF-8")
        .with_context(unreadable)
        .map_err(Failure::Usage)?;
    let at_path = |path_in: String, err: serde_json::Error| {
        Failure::Usage(anyhow::anyhow!(
            "persona definitions {} at `{path_in}`: {err}",
            path.display(),
        ))
    };
    let deserializer = &mut serde_json::Deserializer::from_str(text);
    let personas: Personas = serde_path_to_error::deserialize(&mut *deserializer)
        .map_err(|err| at_path(err.path().to_string(), err.into_inner()))?;
    // Text after the document is refused, not ignored: it is most likely a
    // second document or a botched edit.
    deserializer.end().map_err(|err| {
        Failure::Usage(anyhow::anyhow!(
            "persona definitions {}: {err} after the document; a persona file holds one JSON document",
            path.display(),
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
