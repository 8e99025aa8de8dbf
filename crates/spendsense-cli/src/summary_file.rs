//! The file `validate --summary` writes and `shards` reads: a dataset's
//! mergeable [`Summary`], what it was made from (the bytes and SHA-256 of
//! the dataset), and the manifest of its run, when it had one.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};
use serde::{Deserialize, Serialize};
use spendsense_validate::Summary;

use crate::commands::validate::Dataset;
use crate::manifest::{FileRecord, Manifest, Role};

/// The layout of the file; bumped when a field changes meaning or goes.
pub const SUMMARY_VERSION: u32 = 1;

/// What a dataset's default summary path adds to its name.
pub const SUFFIX: &str = ".summary.json";

/// The largest summary read: its income histograms hold at most one entry
/// per whole-dollar income and persona, a few MB.
const MAX_SUMMARY_BYTES: u64 = 256 << 20;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SummaryFile {
    /// [`SUMMARY_VERSION`] of the writer.
    pub summary_version: u32,
    /// The version of the `spendsense` that wrote it.
    pub version: String,
    /// The dataset validated: its path as given, size and SHA-256.
    pub dataset: FileRecord,
    /// The manifest of the dataset's run, as read, when it had one.
    pub manifest: Option<Manifest>,
    pub summary: Summary,
}

/// Where `--summary` writes for `dataset`: the path given, or
/// `DATASET.summary.json` for `--summary` alone (not for stdin).
pub fn path(dataset: &Path, flag: Option<Option<&Path>>) -> anyhow::Result<Option<PathBuf>> {
    match flag {
        None => Ok(None),
        Some(Some(path)) => Ok(Some(path.to_path_buf())),
        Some(None) if dataset.as_os_str() == "-" => Err(anyhow!(
            "--summary needs a FILE when the dataset is read from stdin"
        )),
        Some(None) => Ok(Some(sidecar(dataset))),
    }
}

/// `DATASET.summary.json`.
pub fn sidecar(dataset: &Path) -> PathBuf {
    let mut name = dataset.as_os_str().to_owned();
    name.push(SUFFIX);
    PathBuf::from(name)
}

impl SummaryFile {
    pub fn new(dataset: &Dataset, (bytes, sha256): (u64, String), summary: Summary) -> SummaryFile {
        SummaryFile {
            summary_version: SUMMARY_VERSION,
            version: env!("CARGO_PKG_VERSION").to_string(),
            dataset: FileRecord {
                name: dataset.name.clone(),
                role: Role::Profiles,
                bytes,
                sha256,
            },
            manifest: dataset.manifest.as_ref().map(|(_, m)| m.clone()),
            summary,
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec(self).expect("a summary serializes");
        bytes.push(b'\n');
        bytes
    }

    pub fn read(path: &Path) -> anyhow::Result<SummaryFile> {
        let shown = path.display();
        let mut bytes = Vec::new();
        File::open(path)
            .and_then(|file| file.take(MAX_SUMMARY_BYTES + 1).read_to_end(&mut bytes))
            .with_context(|| format!("cannot read summary {shown}"))?;
        if bytes.len() as u64 > MAX_SUMMARY_BYTES {
            return Err(anyhow!(
                "summary {shown} is larger than {MAX_SUMMARY_BYTES} bytes; it is not one"
            ));
        }
        let file: SummaryFile = serde_json::from_slice(&bytes).map_err(|err| {
            anyhow!(
                "{shown} is not a spendsense summary ({}); write one with `spendsense validate DATASET --summary`",
                spendsense_schema::text::escape_clipped(&err.to_string(), 200)
            )
        })?;
        if file.summary_version != SUMMARY_VERSION {
            return Err(anyhow!(
                "{shown} has summary_version {}; this spendsense reads version {SUMMARY_VERSION}",
                file.summary_version
            ));
        }
        Ok(file)
    }
}
