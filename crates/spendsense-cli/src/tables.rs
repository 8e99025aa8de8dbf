//! `--format csv`: the tables of [`spendsense_export::tables`] (users,
//! accounts, paychecks, recurring charges, card plans) as files in the output
//! directory, each written to a temporary sibling and renamed into place (see
//! [`crate::output`]).

use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::Result;
use spendsense_cli::pipeline::{ProfileSource, Stats};
pub use spendsense_export::tables::FILES;
use spendsense_export::tables::Tables;
#[cfg(test)]
use spendsense_export::tables::USERS_FILE;

use crate::output::{Durability, Output};

/// Profiles between progress reports.
const PROGRESS_EVERY: u64 = 512;

/// Counts the bytes that pass through, for the summary line.
struct Counting<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.bytes += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The files of `--format csv`, for summaries and errors: `users.csv, accounts.csv, …`.
pub fn file_list() -> String {
    FILES.join(", ")
}

/// The output directory of `--format csv`, created if missing; refused
/// before anything is generated when it is stdout or not a directory.
pub fn output_dir(path: Option<&Path>) -> Result<PathBuf> {
    crate::output::output_dir(
        path,
        "csv",
        &format!("{} files ({})", FILES.len(), file_list()),
    )
}

/// Writes profiles `range` of `source` as the tables of [`FILES`] in `dir`,
/// one profile at a time; each file replaces any old one atomically, and
/// only once every table is complete.
pub fn write_dir(
    source: &dyn ProfileSource,
    range: Range<u64>,
    dir: &Path,
    durability: Durability,
    progress: &dyn Fn(u64),
) -> Result<Stats> {
    let mut outputs = Vec::with_capacity(FILES.len());
    for file in FILES {
        outputs.push(Counting {
            inner: Output::open_with(Some(&dir.join(file)), durability)?,
            bytes: 0,
        });
    }
    let outputs: [Counting<Output>; 5] = match outputs.try_into() {
        Ok(outputs) => outputs,
        Err(_) => unreachable!("one output per file of FILES"),
    };
    let mut tables = Tables::new(outputs)?;
    let mut stats = Stats::default();
    let mut failed = None;
    let mut scratch = None;
    for index in range {
        source.with_profile(index, &mut scratch, &mut |profile| {
            if failed.is_none() {
                failed = tables.write(profile).err();
                stats.add(profile);
            }
        });
        if let Some(err) = failed.take() {
            return Err(err.into());
        }
        if stats.profiles.is_multiple_of(PROGRESS_EVERY) {
            progress(stats.profiles);
        }
    }
    progress(stats.profiles);
    let outputs = tables.finish()?;
    stats.bytes = outputs.iter().map(|o| o.bytes).sum();
    for output in outputs {
        output.inner.commit()?;
    }
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;
    use spendsense_generator::{Generator, GeneratorConfig};
    use std::fs;

    fn rows(table: &str) -> Vec<csv::StringRecord> {
        csv::Reader::from_reader(table.as_bytes())
            .records()
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn files_appear_whole_in_a_new_directory() {
        let root = tempfile::tempdir().unwrap();
        let dir = output_dir(Some(&root.path().join("tables"))).unwrap();
        let generator = Generator::new(&GeneratorConfig::new(5, 30)).unwrap();
        let stats = write_dir(&generator, 10..30, &dir, Durability::Synced, &|_| {}).unwrap();
        assert_eq!(stats.profiles, 20);
        let sizes: u64 = FILES
            .iter()
            .map(|file| fs::metadata(dir.join(file)).unwrap().len())
            .sum();
        assert_eq!(stats.bytes, sizes);
        let users = fs::read_to_string(dir.join(USERS_FILE)).unwrap();
        assert_eq!(rows(&users)[0][0], *"user_MASKED_010");
        let mut names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        let mut expected = FILES.to_vec();
        expected.sort();
        assert_eq!(names, expected, "no temporary files left");
    }
}
