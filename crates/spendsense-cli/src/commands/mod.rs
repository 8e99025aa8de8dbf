//! One module per subcommand.

pub mod completions;
pub mod fingerprint;
pub mod generate;
pub mod man;
pub mod personas;
pub mod progress;
pub mod report;
pub mod schema;
pub mod shards;
pub mod validate;

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use anyhow::Context;
use spendsense_personas::Personas;

use crate::Failure;

/// The largest persona file read: a real one is about 5 KB, and the limit keeps
/// `/dev/zero` or a file of a million entries from filling memory.
pub const MAX_PERSONAS_BYTES: u64 = 1 << 20;

/// A byte count as a summary line shows it: `2.31 MiB` (binary units, as
/// `ls -lh` and `du -h`), or `512 B` below one KiB. Every summary that
/// prints a size goes through here; manifests keep the exact count.
pub fn size(bytes: u64) -> String {
    indicatif::HumanBytes(bytes).to_string()
}

/// A count as a summary line shows it, with thousands separators: `1,000`.
pub fn count(n: u64) -> String {
    indicatif::HumanCount(n).to_string()
}

/// Refuses a run in which two inputs are both `-`: stdin holds one stream.
/// `inputs` are (how the error names it, the path given), e.g. `("PATH", …)`.
pub fn refuse_shared_stdin(inputs: &[(&str, Option<&Path>)]) -> Result<(), Failure> {
    let mut on_stdin = inputs
        .iter()
        .filter(|(_, path)| path.is_some_and(|p| p.as_os_str() == "-"))
        .map(|(what, _)| *what);
    if let (Some(first), Some(second)) = (on_stdin.next(), on_stdin.next()) {
        return Err(Failure::Usage(anyhow::anyhow!(
            "{first} and {second} cannot both be `-`: stdin holds one stream; give {second} as a file"
        )));
    }
    Ok(())
}

/// Loads persona definitions from `path` (`-` is stdin), or the defaults,
/// refusing any problem before work starts.
pub fn load_personas(path: Option<&Path>) -> Result<Personas, Failure> {
    let Some(path) = path else {
        return Ok(Personas::spendsense());
    };
    let stdin = path.as_os_str() == "-";
    let shown = if stdin {
        "from stdin".to_string()
    } else {
        path.display().to_string()
    };
    let unreadable = || format!("cannot read persona definitions {shown}");
    let mut bytes = Vec::new();
    // One byte past the limit tells a file of exactly the limit from a larger one.
    let limit = MAX_PERSONAS_BYTES + 1;
    let read = if stdin {
        io::stdin().lock().take(limit).read_to_end(&mut bytes)
    } else {
        File::open(path).and_then(|file| file.take(limit).read_to_end(&mut bytes))
    };
    read.with_context(unreadable).map_err(Failure::Usage)?;
    if bytes.len() as u64 > MAX_PERSONAS_BYTES {
        return Err(Failure::Usage(anyhow::anyhow!(
            "persona definitions {} are larger than {} bytes (1 MiB); a persona file is a few KB",
            shown,
            MAX_PERSONAS_BYTES
        )));
    }
    let text = std::str::from_utf8(&bytes)
        .context("stream did not contain valid UTF-8")
        .with_context(unreadable)
        .map_err(Failure::Usage)?;
    Personas::from_json(text).map_err(|err| Failure::Usage(anyhow::anyhow!(err.describe(&shown))))
}
