//! `--format plaid-sandbox`: the `user_custom` configuration of
//! [`spendsense_export::sandbox`] for every profile, `DIR/<user_id>.json`, plus
//! `DIR/index.json` listing them; every file replaces any old one atomically
//! (see [`crate::output`]).

use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::Result;
use spendsense_cli::pipeline::{ProfileSource, Stats};
pub use spendsense_export::sandbox::INDEX_FILE;
use spendsense_export::sandbox::{IndexEntry, file_name, user_custom};
use spendsense_schema::UserProfile;

use crate::output::{Durability, Output};

/// Profiles between progress reports.
const PROGRESS_EVERY: u64 = 64;

/// The output directory of `--format plaid-sandbox`, created if missing;
/// refused before anything is generated when it is stdout or not a directory.
pub fn output_dir(path: Option<&Path>) -> Result<PathBuf> {
    crate::output::output_dir(
        path,
        "plaid-sandbox",
        &format!("one file per profile and {INDEX_FILE}"),
    )
}

/// Writes profiles `range` of `source` as one configuration file each, then
/// `index.json`; every file replaces any old one atomically.
pub fn write_dir(
    source: &dyn ProfileSource,
    range: Range<u64>,
    dir: &Path,
    durability: Durability,
    progress: &dyn Fn(u64),
) -> Result<Stats> {
    let mut index = Output::open_with(Some(&dir.join(INDEX_FILE)), durability)?;
    index.write_all(b"[")?;
    let mut stats = Stats {
        bytes: 1,
        ..Stats::default()
    };
    let mut scratch = None;
    for number in range {
        let mut result = Ok(());
        source.with_profile(number, &mut scratch, &mut |profile| {
            result = write_profile(profile, dir, durability, &mut index, stats.profiles == 0)
                .map(|bytes| stats.bytes += bytes);
            stats.add(profile);
        });
        result?;
        if stats.profiles.is_multiple_of(PROGRESS_EVERY) {
            progress(stats.profiles);
        }
    }
    progress(stats.profiles);
    let end: &[u8] = if stats.profiles == 0 {
        b"]\n"
    } else {
        b"\n]\n"
    };
    index.write_all(end)?;
    stats.bytes += end.len() as u64;
    index.commit()?;
    Ok(stats)
}

/// Writes one profile's file and appends its line to the index; returns the bytes written to both.
fn write_profile(
    profile: &UserProfile,
    dir: &Path,
    durability: Durability,
    index: &mut Output,
    first: bool,
) -> Result<u64> {
    let file = file_name(&profile.user_id)?;
    let mut bytes = serde_json::to_vec_pretty(&user_custom(profile))?;
    bytes.push(b'\n');
    let mut out = Output::open_with(Some(&dir.join(&file)), durability)?;
    out.write_all(&bytes)?;
    out.commit()?;
    let entry = IndexEntry {
        user_id: &profile.user_id,
        persona: profile.persona,
        file,
        expected_assignment: profile.expected_assignment,
    };
    let mut line = if first {
        b"\n  ".to_vec()
    } else {
        b",\n  ".to_vec()
    };
    serde_json::to_writer(&mut line, &entry)?;
    index.write_all(&line)?;
    Ok((bytes.len() + line.len()) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use spendsense_generator::{Generator, GeneratorConfig, Overlap};
    use spendsense_schema::PersonaId;
    use std::fs;

    #[test]
    fn a_directory_holds_one_file_per_profile_and_the_index() {
        let root = tempfile::tempdir().unwrap();
        let dir = output_dir(Some(&root.path().join("sandbox"))).unwrap();
        let config = GeneratorConfig {
            overlap: Overlap::parse("1").unwrap(),
            ..GeneratorConfig::new(5, 30)
        };
        let generator = Generator::new(&config).unwrap();
        let stats = write_dir(&generator, 10..30, &dir, Durability::Synced, &|_| {}).unwrap();
        assert_eq!(stats.profiles, 20);
        let index: Vec<serde_json::Value> =
            serde_json::from_slice(&fs::read(dir.join(INDEX_FILE)).unwrap()).unwrap();
        assert_eq!(index.len(), 20);
        let mut bytes = 0;
        for (entry, number) in index.iter().zip(10..) {
            let profile = generator.profile(number);
            assert_eq!(entry["user_id"], *profile.user_id);
            assert_eq!(entry["persona"], profile.persona.as_str());
            assert_eq!(
                entry.get("expected_assignment").and_then(|v| v.as_str()),
                profile.expected_assignment.map(PersonaId::as_str)
            );
            let file = fs::read(dir.join(entry["file"].as_str().unwrap())).unwrap();
            bytes += file.len() as u64;
            let mut expected = serde_json::to_vec_pretty(&user_custom(&profile)).unwrap();
            expected.push(b'\n');
            assert_eq!(file, expected);
        }
        assert!(index.iter().any(|e| e.get("expected_assignment").is_some()));
        let index_bytes = fs::metadata(dir.join(INDEX_FILE)).unwrap().len();
        assert_eq!(
            stats.bytes,
            bytes + index_bytes,
            "every file's bytes, index included"
        );
        let names = fs::read_dir(&dir).unwrap().count();
        assert_eq!(names, 21, "no temporary files left");
    }

    #[test]
    fn an_empty_range_writes_an_empty_index() {
        let dir = tempfile::tempdir().unwrap();
        let generator = Generator::new(&GeneratorConfig::new(5, 3)).unwrap();
        write_dir(&generator, 3..3, dir.path(), Durability::Atomic, &|_| {}).unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join(INDEX_FILE)).unwrap(),
            "[]\n"
        );
    }
}
