//! What a dataset's manifest makes `validate` and `report` check: the
//! bytes and SHA-256 of the file, the `as_of` of every plan, which users
//! overlap, and the quotas of a shard from its start in the run.

use std::cell::Cell;
use std::io;
use std::path::Path;

use anyhow::anyhow;
use spendsense_generator::{Generator, GeneratorConfig, Overlap};
use spendsense_personas::{Mix, Personas};
use spendsense_schema::Date;
use spendsense_validate::{Checked, Validator};

use super::{DIR_MANIFEST, FileRecord, Hashing, Manifest, Role, sidecar};

/// The rule a dataset that disagrees with its manifest breaks.
pub const RULE: &str = "manifest";

/// Finds the manifest of the dataset at `path`: `explicit` (`--manifest`),
/// else `DIR/manifest.json` for a directory or the sidecar
/// `PATH.manifest.json` of a file when it exists; never for stdin, and
/// never with `--no-manifest`. Returns it with the path messages show.
pub fn find(
    path: &Path,
    explicit: Option<&Path>,
    ignore: bool,
) -> anyhow::Result<Option<(String, Manifest)>> {
    if ignore {
        return Ok(None);
    }
    let found = match explicit {
        Some(explicit) => explicit.to_path_buf(),
        None if path.as_os_str() == "-" => return Ok(None),
        None if path.is_dir() => path.join(DIR_MANIFEST),
        None => sidecar(path),
    };
    if explicit.is_none() && !found.is_file() {
        return Ok(None);
    }
    let manifest = Manifest::read(&found)?;
    let shown = found.display().to_string();
    Ok(Some((shown, manifest)))
}

/// The checks a manifest adds, for one dataset file.
#[derive(Debug)]
pub struct RunCheck {
    /// The manifest's path, for messages.
    pub shown: String,
    /// Where the dataset starts in its run, and the users of each persona before it.
    pub start: u64,
    pub before: [u64; 5],
    pub as_of: Date,
    pub overlap: Overlap,
    /// What the dataset's bytes must be.
    pub file: FileRecord,
    /// What the transactions file's bytes must be, when the run wrote one.
    pub transactions: Option<FileRecord>,
    /// Users of each persona seen so far, and the next record's index;
    /// `None` once a record was skipped (unreadable), as the quotas stop.
    seen: Cell<Option<([u64; 5], u64)>>,
}

impl RunCheck {
    /// The checks of `manifest` for a dataset checked against `personas`
    /// and `mix` (the manifest's, or the flags that override them).
    pub fn new(
        shown: String,
        manifest: &Manifest,
        personas: &Personas,
        mix: Mix,
    ) -> anyhow::Result<RunCheck> {
        let Some(file) = manifest.profiles_file().cloned() else {
            return Err(anyhow!(
                "manifest {shown} describes a --format {} directory, not a file of profiles; give the dataset file's own manifest, or --no-manifest",
                manifest.format
            ));
        };
        let profiles = manifest.profiles;
        if profiles.start > profiles.end || profiles.end > manifest.count {
            return Err(anyhow!(
                "manifest {shown} records profiles {}..{} of a run of {}; pass --no-manifest to ignore it",
                profiles.start,
                profiles.end,
                manifest.count
            ));
        }
        let before = if profiles.start == 0 {
            [0; 5]
        } else {
            // The seed decides the order inside each period of the mix.
            let config = GeneratorConfig {
                personas: personas.clone(),
                mix,
                overlap: Overlap::none(),
                as_of: manifest.as_of,
                ..GeneratorConfig::new(manifest.seed, manifest.count)
            };
            Generator::new(&config)
                .map_err(|err| anyhow!("manifest {shown}: {err}"))?
                .persona_counts_before(profiles.start)
        };
        Ok(RunCheck {
            shown,
            start: profiles.start,
            before,
            as_of: manifest.as_of,
            overlap: manifest.overlap,
            file,
            transactions: manifest
                .files
                .iter()
                .find(|file| file.role == Role::Transactions)
                .cloned(),
            seen: Cell::new(Some(([0; 5], 0))),
        })
    }

    /// Checks what one profile can show: its plan ends on the run's
    /// `as_of`, and it overlaps exactly when the run's overlap share picks
    /// its slot (`floor(k · share)` of the first `k` users of a persona with
    /// partners overlap).
    pub fn profile(&self, validator: &mut Validator, index: u64, profile: &Checked) {
        self.overlap(validator, index, profile);
        if profile.as_of != self.as_of {
            let message = format!(
                "plan.as_of is {}, and manifest {} records as_of {}",
                profile.as_of, self.shown, self.as_of
            );
            validator.record(index, profile.user_id(), RULE, "plan.as_of", message);
        }
    }

    fn overlap(&self, validator: &mut Validator, index: u64, profile: &Checked) {
        let Some((mut seen, next)) = self.seen.get() else {
            return;
        };
        if index != next {
            self.seen.set(None);
            return;
        }
        let persona = profile.persona();
        let slot = self.before[persona.index()] + seen[persona.index()];
        seen[persona.index()] += 1;
        self.seen.set(Some((seen, next + 1)));
        let expected = !spendsense_personas::overlap_partners(persona).is_empty()
            && self.overlap.selects(slot);
        let overlaps = profile.overlaps;
        if overlaps != expected {
            let (carries, picks) = if overlaps {
                ("carries", "does not pick it")
            } else {
                ("carries no", "picks it")
            };
            let message = format!(
                "{} `{persona}` user of the run {carries} matched_personas, but overlap {} (manifest {}) {picks}",
                ordinal(slot),
                self.overlap,
                self.shown
            );
            validator.record(index, profile.user_id(), RULE, "matched_personas", message);
        }
    }

    /// After the last profile: reads what is left of `input` and compares
    /// its size and SHA-256 with the manifest's.
    pub fn finish<R: io::BufRead>(
        &self,
        input: &mut Hashing<R>,
        validator: &mut Validator,
        name: &str,
        profiles: u64,
    ) -> io::Result<()> {
        io::copy(input, &mut io::sink())?;
        self.compare(&self.file, input.digest(), validator, name, profiles);
        Ok(())
    }

    /// Compares the size and SHA-256 of the transactions file `name`, read
    /// to its end, with the manifest's, when it lists one.
    pub fn transactions(
        &self,
        digest: (u64, String),
        validator: &mut Validator,
        name: &str,
        profiles: u64,
    ) {
        if let Some(file) = &self.transactions {
            self.compare(file, digest, validator, name, profiles);
        }
    }

    fn compare(
        &self,
        file: &FileRecord,
        (bytes, sha256): (u64, String),
        validator: &mut Validator,
        name: &str,
        profiles: u64,
    ) {
        if (bytes, sha256.as_str()) != (file.bytes, file.sha256.as_str()) {
            // Short hashes keep the message whole in a listed violation.
            let short = |sha: &str| format!("{}…", &sha[..sha.len().min(16)]);
            let message = format!(
                "the file changed since it was generated: {name} is {bytes} bytes, SHA-256 {}, and manifest {} records {} bytes, SHA-256 {}",
                short(&sha256),
                self.shown,
                file.bytes,
                short(&file.sha256)
            );
            validator.record(profiles, "", RULE, "", message);
        }
    }
}

/// `slot` as a 1-based ordinal word for messages: `the 1st`, `the 12th`.
fn ordinal(slot: u64) -> String {
    let n = slot + 1;
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("the {n}{suffix}")
}
