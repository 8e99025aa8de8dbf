//! `--format plaid-sandbox`: the `user_custom` configuration of
//! [`spendsense_export::sandbox`] for every profile, `DIR/<user_id>.json`, plus
//! `DIR/index.json` listing them, all written into a staging directory that
//! replaces the output directory as a whole (see [`crate::output`]).
//!
//! The configuration carries the profile's transactions, so this side
//! realises each profile's ledger (`Generator::ledger`, through
//! [`ProfileSource::ledger`]) and hands it to the export crate, which never
//! depends on the generator. Workers encode batches of profiles' files and
//! this thread writes them in order ([`ordered::in_order`]), so the files
//! never depend on the thread count. A profile outside Plaid's limits stops
//! the run with the export's error, and the output directory is left as it was.

use std::io::Write;
use std::ops::Range;
use std::path::Path;

use anyhow::{Context, Result};
use spendsense_cli::ordered;
use spendsense_cli::pipeline::{ProfileSource, Stats};
pub use spendsense_export::sandbox::INDEX_FILE;
use spendsense_export::sandbox::{IndexEntry, file_name, user_custom};
use spendsense_schema::UserProfile;

use crate::output::{DirOutput, Durability};

/// The output directory of `--format plaid-sandbox`, staged inside it;
/// refused before anything is generated when it is stdout or not a directory.
pub fn output_dir(path: Option<&Path>, durability: Durability) -> Result<DirOutput> {
    crate::output::output_dir(
        path,
        "plaid-sandbox",
        &format!("one file per profile and {INDEX_FILE}"),
        old_files,
        durability,
    )
}

/// The files of an earlier export in `dir`, which a new one replaces or
/// removes: `index.json` and the files it lists. Nothing else is touched, so
/// a user's own `notes.json` stays; a listed name that is not a
/// configuration's (`../x`, a hidden file) is ignored.
fn old_files(dir: &Path) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Listed {
        file: String,
    }
    let listed: Vec<Listed> = std::fs::read(dir.join(INDEX_FILE))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    std::iter::once(INDEX_FILE.to_string())
        .chain(listed.into_iter().map(|entry| entry.file))
        .filter(|name| is_ours(name) && dir.join(name).exists())
        .collect()
}

/// Whether `name` could be a file this format writes: the index or a
/// configuration, `<user_id>.json` for a safe user id.
fn is_ours(name: &str) -> bool {
    name == INDEX_FILE
        || name
            .strip_suffix(".json")
            .is_some_and(|user_id| file_name(user_id).is_ok_and(|file| file == name))
}

/// Profiles per batch: each file carries some 160 transactions, about 90 KB
/// of pretty JSON, so a batch is about 1.5 MB.
const BATCH: u64 = 16;

/// One batch's files, in profile order, ready to be written.
#[derive(Debug, Default)]
struct Batch {
    /// Each profile's file name and bytes.
    files: Vec<(String, Vec<u8>)>,
    /// The batch's lines of the index, each with the separator before it.
    index: Vec<u8>,
    stats: Stats,
    /// Why the batch stops after its `files`: a profile outside Plaid's limits.
    failed: Option<anyhow::Error>,
}

/// Writes profiles `range` of `source` as one configuration file each, then
/// `index.json`, into `dir`, encoding batches on `threads` workers; the
/// caller commits `dir`.
pub fn write_dir(
    source: &dyn ProfileSource,
    range: Range<u64>,
    threads: usize,
    dir: &DirOutput,
    progress: &dyn Fn(u64),
) -> Result<Stats> {
    let mut index = dir.create(INDEX_FILE)?;
    index.write_all(b"[")?;
    let mut stats = Stats {
        bytes: 1,
        ..Stats::default()
    };
    ordered::in_order(
        ordered::batches(&range, BATCH),
        threads,
        || None,
        |number, scratch, spare: Option<Batch>| {
            let batch = ordered::batch(&range, BATCH, number);
            encode_batch(
                source,
                batch,
                range.start,
                scratch,
                spare.unwrap_or_default(),
            )
        },
        |batch| -> Result<()> {
            for (file, bytes) in &batch.files {
                let mut out = dir.create(file)?;
                out.write_all(bytes)?;
                out.finish()?;
            }
            if let Some(err) = &batch.failed {
                return Err(anyhow::anyhow!("{err:#}"));
            }
            index.write_all(&batch.index)?;
            stats.merge(&batch.stats);
            progress(stats.profiles);
            Ok(())
        },
    )?;
    let end: &[u8] = if stats.profiles == 0 {
        b"]\n"
    } else {
        b"\n]\n"
    };
    index.write_all(end)?;
    stats.bytes += end.len() as u64;
    index.finish()?;
    Ok(stats)
}

/// The files and index lines of profiles `range` (of a run whose first
/// profile is `first`), in `batch`, cleared first.
fn encode_batch(
    source: &dyn ProfileSource,
    range: Range<u64>,
    first: u64,
    scratch: &mut Option<UserProfile>,
    mut batch: Batch,
) -> Batch {
    batch.files.clear();
    batch.index.clear();
    batch.stats = Stats::default();
    batch.failed = None;
    for number in range {
        source.with_profile(number, scratch, &mut |profile| {
            if batch.failed.is_some() {
                return;
            }
            match encode_profile(source, number, profile, number == first, &mut batch.index) {
                Ok((file, bytes)) => {
                    batch.stats.bytes += bytes.len() as u64;
                    batch.files.push((file, bytes));
                    batch.stats.add(profile);
                }
                Err(err) => batch.failed = Some(err),
            }
        });
    }
    batch.stats.bytes += batch.index.len() as u64;
    batch
}

/// The bytes of profile `number`'s file: its configuration with its
/// transactions, pretty-printed, and a final newline.
fn file_bytes(source: &dyn ProfileSource, number: u64, profile: &UserProfile) -> Result<Vec<u8>> {
    let ledger = source.ledger(number, profile).context(
        "--format plaid-sandbox needs each profile's transactions, and this source has none",
    )?;
    let mut bytes = serde_json::to_vec_pretty(&user_custom(profile, &ledger.transactions)?)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// One profile's file name and bytes; appends its line to `index`.
fn encode_profile(
    source: &dyn ProfileSource,
    number: u64,
    profile: &UserProfile,
    first: bool,
    index: &mut Vec<u8>,
) -> Result<(String, Vec<u8>)> {
    let file = file_name(&profile.user_id)?;
    let bytes = file_bytes(source, number, profile)?;
    let entry = IndexEntry {
        user_id: &profile.user_id,
        persona: profile.persona,
        file: file.clone(),
        expected_assignment: profile.expected_assignment,
    };
    index.extend_from_slice(if first { b"\n  " } else { b",\n  " });
    serde_json::to_writer(&mut *index, &entry)?;
    Ok((file, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use spendsense_cli::pipeline::Pregenerated;
    use spendsense_export::sandbox::INCOME_DAYS;
    use spendsense_generator::ledger::Ledger;
    use spendsense_generator::{Generator, GeneratorConfig, Overlap};
    use spendsense_personas::PAYROLL_CATEGORY;
    use spendsense_schema::PersonaId;
    use std::fs;

    #[test]
    fn a_directory_holds_one_file_per_profile_and_the_index() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("sandbox");
        let out = output_dir(Some(&dir), Durability::Synced).unwrap();
        let config = GeneratorConfig {
            overlap: Overlap::parse("1").unwrap(),
            ..GeneratorConfig::new(5, 30)
        };
        let generator = Generator::new(&config).unwrap();
        let stats = write_dir(&generator, 10..30, 2, &out, &|_| {}).unwrap();
        out.commit().unwrap();
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
                entry["expected_assignment"].as_str(),
                profile.expected_assignment.map(PersonaId::as_str)
            );
            assert!(
                entry.get("expected_assignment").is_some(),
                "null, not left out"
            );
            let file = fs::read(dir.join(entry["file"].as_str().unwrap())).unwrap();
            bytes += file.len() as u64;
            let ledger = generator.ledger(number, &profile);
            let mut expected =
                serde_json::to_vec_pretty(&user_custom(&profile, &ledger.transactions).unwrap())
                    .unwrap();
            expected.push(b'\n');
            assert_eq!(file, expected);
            assert_eq!(file, file_bytes(&generator, number, &profile).unwrap());
        }
        assert!(index.iter().any(|e| e["expected_assignment"].is_string()));
        assert!(index.iter().any(|e| e["expected_assignment"].is_null()));
        let index_bytes = fs::metadata(dir.join(INDEX_FILE)).unwrap().len();
        assert_eq!(
            stats.bytes,
            bytes + index_bytes,
            "every file's bytes, index included"
        );
        let names = fs::read_dir(&dir).unwrap().count();
        assert_eq!(names, 21, "no temporary files left");
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 1);
    }

    /// Every file of an export of `range` on `threads` workers, by name.
    fn export(generator: &Generator, range: Range<u64>, threads: usize) -> Vec<(String, Vec<u8>)> {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        let out = output_dir(Some(&dir), Durability::Atomic).unwrap();
        write_dir(generator, range, threads, &out, &|_| {}).unwrap();
        out.commit().unwrap();
        let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
            .unwrap()
            .map(|entry| {
                let entry = entry.unwrap();
                let name = entry.file_name().into_string().unwrap();
                (name, fs::read(entry.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    }

    /// The files, the index's order included, are the same on any number
    /// of threads, for ranges of no batch, part of one and several.
    #[test]
    fn same_files_on_any_thread_count() {
        let generator = Generator::new(&GeneratorConfig::new(13, 200)).unwrap();
        for range in [0..0, 5..6, 0..BATCH + 1, 7..(7 + 3 * BATCH + 2)] {
            let one = export(&generator, range.clone(), 1);
            assert_eq!(one.len() as u64, range.end - range.start + 1, "{range:?}");
            for threads in [2, 3] {
                assert!(
                    one == export(&generator, range.clone(), threads),
                    "{range:?} on {threads} threads"
                );
            }
        }
    }

    /// Generated profiles whose ledgers lose every paycheck of the last
    /// `INCOME_DAYS` from profile 3 on, as irregular pay may.
    struct NoRecentPay(Generator);

    impl ProfileSource for NoRecentPay {
        fn with_profile(
            &self,
            index: u64,
            scratch: &mut Option<UserProfile>,
            visit: &mut dyn FnMut(&UserProfile),
        ) {
            self.0.with_profile(index, scratch, visit);
        }

        fn ledger(&self, index: u64, profile: &UserProfile) -> Option<Ledger> {
            let mut ledger = self.0.ledger(index, profile);
            let from = ledger.as_of.add_days(1 - INCOME_DAYS);
            if index >= 3 {
                ledger.transactions.retain(|t| {
                    t.personal_finance_category.detailed != PAYROLL_CATEGORY || t.date < from
                });
            }
            Some(ledger)
        }
    }

    #[test]
    fn a_profile_outside_plaids_limits_stops_the_run_with_its_error() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join(INDEX_FILE), b"old\n").unwrap();
        let source = NoRecentPay(Generator::new(&GeneratorConfig::new(5, 10)).unwrap());
        let out = output_dir(Some(&dir), Durability::Atomic).unwrap();
        let err = write_dir(&source, 0..10, 2, &out, &|_| {}).unwrap_err();
        drop(out);
        let message = format!("{err:#}");
        assert!(
            message.starts_with("user `user_MASKED_003` has no payroll deposit (INCOME_WAGES) from 2026-09-02 to 2026-11-30"),
            "{message}"
        );
        assert!(!message.contains('\n'), "one line: {message}");
        let names = |dir: &Path| -> Vec<String> {
            let mut names: Vec<String> = fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect();
            names.sort();
            names
        };
        assert_eq!(names(&dir), [INDEX_FILE], "the old directory as it was");
        assert_eq!(fs::read(dir.join(INDEX_FILE)).unwrap(), b"old\n");
        assert_eq!(names(root.path()), ["out"], "no staging directory left");
    }

    #[test]
    fn a_source_without_ledgers_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = output_dir(Some(&dir.path().join("out")), Durability::Atomic).unwrap();
        let profiles = Pregenerated(vec![spendsense_schema::sample::profile()]);
        let err = write_dir(&profiles, 0..1, 1, &out, &|_| {}).unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "--format plaid-sandbox needs each profile's transactions, and this source has none"
        );
    }

    #[test]
    fn an_empty_range_writes_an_empty_index() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        let out = output_dir(Some(&dir), Durability::Atomic).unwrap();
        let generator = Generator::new(&GeneratorConfig::new(5, 3)).unwrap();
        write_dir(&generator, 3..3, 2, &out, &|_| {}).unwrap();
        out.commit().unwrap();
        assert_eq!(fs::read_to_string(dir.join(INDEX_FILE)).unwrap(), "[]\n");
    }

    #[test]
    fn only_the_index_and_configurations_are_ours() {
        for name in ["index.json", "user_MASKED_000.json", "a-b.c.json"] {
            assert!(is_ours(name), "{name}");
        }
        for name in [
            "notes.txt",
            ".hidden.json",
            "index.jsonl",
            ".json",
            "a b.json",
        ] {
            assert!(!is_ours(name), "{name}");
        }
    }
}
