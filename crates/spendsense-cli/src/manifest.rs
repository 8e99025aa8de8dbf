//! The run manifest: the configuration a dataset was generated with and
//! the bytes and SHA-256 of every file, written beside every output so that
//! `validate` and `report` check a dataset against the run that made it
//! (see docs/manifest.md).
//!
//! Where it goes depends only on the kind of output ([`OutputKind`]): a
//! file `users.json` gets the sidecar `users.json.manifest.json`, a
//! directory output gets `manifest.json` among its own files, and stdout
//! gets none unless `--manifest PATH` asks ([`Placement::of`]). A new
//! format states its kind, and the record follows from the run
//! ([`Manifest::of_run`]).

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};
use spendsense_generator::{Generator, Overlap};
use spendsense_personas::{Mix, Personas};
use spendsense_schema::Date;

use crate::args::Shard;

/// The layout of the record; bumped when a field changes meaning or goes.
pub const MANIFEST_VERSION: u32 = 1;

/// The manifest's name inside a directory output.
pub const DIR_MANIFEST: &str = "manifest.json";

/// What a file output's sidecar adds to its name.
pub const SIDECAR_SUFFIX: &str = ".manifest.json";

/// The largest manifest read: a Plaid Sandbox export lists one file per
/// profile, about 150 bytes each, so this allows some 400,000 of them while
/// keeping `/dev/zero` from filling memory.
pub const MAX_MANIFEST_BYTES: u64 = 64 << 20;

/// Everything a run's outputs are a function of, and what they hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// [`MANIFEST_VERSION`] of the writer.
    pub manifest_version: u32,
    /// Always `spendsense`.
    pub tool: String,
    /// The version of the `spendsense` that wrote it.
    pub version: String,
    /// The generator's fingerprint: algorithm, name lists and definitions.
    pub fingerprint: String,
    pub seed: u64,
    /// The seed as text: readers that parse JSON numbers as doubles
    /// (JavaScript, jq) round seeds past 2^53.
    pub seed_string: String,
    /// `--num-users`: the size of the whole run, not of a shard.
    pub count: u64,
    #[serde(serialize_with = "as_text", deserialize_with = "mix")]
    pub mix: Mix,
    #[serde(serialize_with = "as_text", deserialize_with = "overlap")]
    pub overlap: Overlap,
    #[serde(serialize_with = "as_text", deserialize_with = "date")]
    pub as_of: Date,
    /// `--shard K/N`, or null.
    #[serde(serialize_with = "optional_text", deserialize_with = "shard", default)]
    pub shard: Option<Shard>,
    /// The profiles' indices in the run: `0..count` unless sharded.
    pub profiles: Profiles,
    /// `--format`.
    pub format: String,
    /// Every file of the output, by name, sorted by name for a directory.
    pub files: Vec<FileRecord>,
    /// The persona definitions, when they are not the built-in ones; null
    /// means the built-in definitions of this `version`.
    #[serde(default)]
    pub personas: Option<Personas>,
}

/// A range of profile indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profiles {
    /// The first index.
    pub start: u64,
    /// One past the last.
    pub end: u64,
}

/// What a file of the output holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The profiles of `-o FILE`.
    Profiles,
    /// The transactions of `--transactions FILE`.
    Transactions,
    /// One of the files of a directory output.
    Part,
}

/// One file and its contents' size and hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRecord {
    /// The file's name in a directory output, else the path as given on
    /// the command line.
    pub name: String,
    pub role: Role,
    pub bytes: u64,
    /// Lowercase hex, as `sha256sum` prints it.
    pub sha256: String,
}

/// How a run's output is laid out, which decides where its manifest goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    /// One file (or stdout): `--format json`, `jsonl`.
    File,
    /// A directory of files: `--format csv`, `plaid-sandbox`.
    Directory,
}

/// Where a run's manifest goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// Nowhere: `--no-manifest`, or stdout or a device without `--manifest`.
    None,
    /// A file of its own: `--manifest PATH`, or a file output's sidecar.
    File(PathBuf),
    /// [`DIR_MANIFEST`] among a directory output's files.
    InDirectory,
    /// Nowhere, though one was due: the sidecar's name would be longer than
    /// a file name may be ([`NAME_MAX`] bytes). The note to print says so.
    TooLong(String),
}

/// The longest file name Linux and macOS filesystems take, in bytes.
pub const NAME_MAX: usize = 255;

impl Placement {
    /// Where the manifest of an output of `kind` at `output` goes, given
    /// `--manifest` and `--no-manifest` (which clap keeps apart).
    pub fn of(
        kind: OutputKind,
        output: Option<&Path>,
        manifest: Option<&Path>,
        no_manifest: bool,
    ) -> Placement {
        if no_manifest {
            return Placement::None;
        }
        if let Some(path) = manifest {
            return Placement::File(path.to_path_buf());
        }
        let Some(output) = output.filter(|p| p.as_os_str() != "-") else {
            return Placement::None;
        };
        match kind {
            OutputKind::Directory => Placement::InDirectory,
            // A device or pipe (`/dev/null`, a FIFO) is written in place; a
            // sidecar beside it would land in `/dev` or next to a pipe.
            OutputKind::File if is_special(output) => Placement::None,
            OutputKind::File => {
                let path = sidecar(output);
                let name = path.file_name().map_or(0, |n| n.as_encoded_bytes().len());
                if name > NAME_MAX {
                    return Placement::TooLong(format!(
                        "no manifest written: {} would be a file name of {name} bytes, longer than the {NAME_MAX} a filesystem takes; give one with --manifest PATH",
                        path.display()
                    ));
                }
                Placement::File(path)
            }
        }
    }
}

/// Whether `path` exists and is neither a plain file nor a directory.
fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// The sidecar of a file output: its path with [`SIDECAR_SUFFIX`] added.
pub fn sidecar(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(SIDECAR_SUFFIX);
    PathBuf::from(name)
}

/// What a run is, for its manifest.
pub struct Run<'a> {
    pub generator: &'a Generator,
    pub seed: u64,
    pub overlap: Overlap,
    pub as_of: Date,
    pub shard: Option<Shard>,
    pub range: std::ops::Range<u64>,
    pub format: &'a str,
}

impl Manifest {
    /// The record of `run`, whose output holds `files`.
    pub fn of_run(run: &Run, files: Vec<FileRecord>) -> Manifest {
        let personas = run.generator.personas();
        Manifest {
            manifest_version: MANIFEST_VERSION,
            tool: "spendsense".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            fingerprint: run.generator.fingerprint(),
            seed: run.seed,
            seed_string: run.seed.to_string(),
            count: run.generator.count(),
            mix: *run.generator.mix(),
            overlap: run.overlap,
            as_of: run.as_of,
            shard: run.shard,
            profiles: Profiles {
                start: run.range.start,
                end: run.range.end,
            },
            format: run.format.to_string(),
            files,
            personas: (*personas != Personas::spendsense()).then(|| personas.clone()),
        }
    }

    /// How the run's rows were made, for the formats that carry it inside
    /// their own files (the `spendsense.run` metadata of every Parquet
    /// file, the `spendsense_run` table of a database): every field of the
    /// manifest but its layout version, format, files and definitions, which
    /// describe the output rather than the run.
    pub fn run_configuration(&self) -> serde_json::Map<String, serde_json::Value> {
        let serde_json::Value::Object(mut fields) =
            serde_json::to_value(self).expect("a manifest serializes")
        else {
            unreachable!("a manifest serializes as an object");
        };
        for key in ["manifest_version", "format", "files", "personas"] {
            fields.remove(key);
        }
        fields
    }

    /// [`Manifest::run_configuration`] as the text rows of a key/value
    /// table: `profiles` as `profiles_start` and `profiles_end`, `shard`
    /// only for a sharded run, and the seed once, since rows are text.
    pub fn run_rows(&self) -> Vec<(String, String)> {
        let mut rows = Vec::new();
        for (key, value) in self.run_configuration() {
            match (key.as_str(), value) {
                ("seed_string", _) | (_, serde_json::Value::Null) => {}
                ("profiles", _) => {
                    rows.push(("profiles_start".into(), self.profiles.start.to_string()));
                    rows.push(("profiles_end".into(), self.profiles.end.to_string()));
                }
                (_, serde_json::Value::String(text)) => rows.push((key, text)),
                (_, other) => rows.push((key, other.to_string())),
            }
        }
        rows
    }

    /// The manifest as written: pretty JSON and a final newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("a manifest serializes");
        bytes.push(b'\n');
        bytes
    }

    /// Reads the manifest at `path`, refusing anything that is not one.
    pub fn read(path: &Path) -> anyhow::Result<Manifest> {
        let shown = || path.display().to_string();
        let mut bytes = Vec::new();
        File::open(path)
            .and_then(|file| file.take(MAX_MANIFEST_BYTES + 1).read_to_end(&mut bytes))
            .with_context(|| format!("cannot read manifest {}", shown()))?;
        if bytes.len() as u64 > MAX_MANIFEST_BYTES {
            return Err(anyhow!(
                "manifest {} is larger than {MAX_MANIFEST_BYTES} bytes; a manifest lists a run's files",
                shown()
            ));
        }
        let deserializer = &mut serde_json::Deserializer::from_slice(&bytes);
        let manifest: Manifest = serde_path_to_error::deserialize(deserializer).map_err(|err| {
            anyhow!(
                "{} is not a spendsense manifest (at `{}`: {}); pass --no-manifest to ignore it",
                shown(),
                err.path(),
                err.inner()
            )
        })?;
        if manifest.manifest_version != MANIFEST_VERSION {
            return Err(anyhow!(
                "manifest {} has manifest_version {}, and this spendsense reads version {MANIFEST_VERSION}; pass --no-manifest to ignore it",
                shown(),
                manifest.manifest_version
            ));
        }
        Ok(manifest)
    }

    /// The persona definitions the run used: embedded, or the built-in
    /// ones; either way they must give the recorded fingerprint.
    pub fn personas(&self, shown: &str) -> anyhow::Result<Personas> {
        let personas = self.personas.clone().unwrap_or_else(Personas::spendsense);
        if let Some(problem) = personas.problems().first() {
            return Err(anyhow!(
                "manifest {shown} embeds persona definitions that are not valid (at `{}`: {}); pass --no-manifest to ignore it",
                problem.path,
                problem.reason
            ));
        }
        let fingerprint = spendsense_generator::fingerprint(&personas);
        if fingerprint != self.fingerprint {
            return Err(anyhow!(if self.personas.is_some() {
                format!(
                    "manifest {shown} records fingerprint {} but the definitions it embeds give {fingerprint}: it was edited; pass --personas FILE, or --no-manifest to ignore it",
                    self.fingerprint
                )
            } else {
                format!(
                    "manifest {shown} records fingerprint {} (spendsense {}), and the built-in definitions of this spendsense {} give {fingerprint}; pass --personas FILE with the definitions the dataset was generated with, or --no-manifest to check against the built-in ones",
                    self.fingerprint,
                    self.version,
                    env!("CARGO_PKG_VERSION")
                )
            }));
        }
        Ok(personas)
    }

    /// The record of the file holding the profiles, for a file output.
    pub fn profiles_file(&self) -> Option<&FileRecord> {
        self.files.iter().find(|f| f.role == Role::Profiles)
    }
}

fn as_text<T: fmt::Display, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

fn optional_text<T: fmt::Display, S: Serializer>(
    value: &Option<T>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => serializer.collect_str(value),
        None => serializer.serialize_none(),
    }
}

fn parsed<'de, D: Deserializer<'de>, T, E: fmt::Display>(
    deserializer: D,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<T, D::Error> {
    let text = String::deserialize(deserializer)?;
    parse(&text).map_err(serde::de::Error::custom)
}

fn mix<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Mix, D::Error> {
    parsed(deserializer, Mix::parse)
}

fn overlap<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Overlap, D::Error> {
    parsed(deserializer, Overlap::parse)
}

fn date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
    parsed(deserializer, str::parse::<Date>)
}

fn shard<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Shard>, D::Error> {
    Option::<String>::deserialize(deserializer)?
        .map(|text| text.parse::<Shard>().map_err(serde::de::Error::custom))
        .transpose()
}

/// Passes reads or writes through, counting and (unless made with
/// [`Hashing::off`], when no manifest is written or read) hashing them.
pub struct Hashing<W> {
    pub inner: W,
    sha: Option<Sha256>,
    bytes: u64,
}

impl<W> Hashing<W> {
    pub fn new(inner: W) -> Hashing<W> {
        Hashing {
            inner,
            sha: Some(Sha256::new()),
            bytes: 0,
        }
    }

    /// Counts only: SHA-256 costs about a second per 2 GB on the one
    /// writer (or reader) thread, spent only when a manifest needs it.
    pub fn off(inner: W) -> Hashing<W> {
        Hashing {
            inner,
            sha: None,
            bytes: 0,
        }
    }

    /// The record of what passed through, as file `name`.
    pub fn record(&self, name: String, role: Role) -> FileRecord {
        let (bytes, sha256) = self.digest();
        FileRecord {
            name,
            role,
            bytes,
            sha256,
        }
    }

    /// Size and hash of what passed through (the hash empty when off).
    pub fn digest(&self) -> (u64, String) {
        let sha = self.sha.clone().map(hex).unwrap_or_default();
        (self.bytes, sha)
    }

    fn update(&mut self, bytes: &[u8]) {
        if let Some(sha) = &mut self.sha {
            sha.update(bytes);
        }
        self.bytes += bytes.len() as u64;
    }
}

impl<W: io::Write> io::Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.update(&buf[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<R: io::Read> io::Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.update(&buf[..read]);
        Ok(read)
    }
}

impl<R: io::BufRead> io::BufRead for Hashing<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        // Bytes count once they are consumed, whichever way they are read;
        // the buffer is the one `fill_buf` returned, so this reads nothing.
        if amount == 0 {
            return;
        }
        if let (Some(sha), Ok(buffer)) = (&mut self.sha, self.inner.fill_buf()) {
            sha.update(&buffer[..amount.min(buffer.len())]);
        }
        self.bytes += amount as u64;
        self.inner.consume(amount);
    }
}

/// Hex of a finished SHA-256.
pub fn hex(sha: Sha256) -> String {
    sha.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

pub mod check;

#[cfg(test)]
mod tests;
