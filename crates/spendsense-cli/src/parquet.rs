//! `--format parquet`: the seven tables of [`spendsense_export::columns`]
//! (users, accounts, paychecks, recurring charges, card plans, and every
//! profile's transactions and card liabilities, realised by
//! [`Generator::ledger_into`]) as `<table>.parquet` files in the output
//! directory, written through [`spendsense_parquet`] into a staging
//! directory that replaces the output's files as a whole (see
//! [`crate::output`]).
//!
//! Workers build each batch of profiles into Arrow arrays, one record batch
//! per table; this thread hands them to the tables' writers in batch order.
//! A batch is a pure function of its profiles and the writers cut row groups
//! by row count alone, so the files never depend on the thread count. Every
//! file carries the run configuration as JSON under [`RUN_KEY`].

use std::io;
use std::ops::Range;
use std::path::Path;
use std::sync::mpsc;

use anyhow::Result;
use arrow_array::RecordBatch;
use spendsense_cli::pipeline::Stats;
use spendsense_export::columns::{self, LEDGER_TABLES, PROFILE_TABLES};
use spendsense_generator::Generator;
use spendsense_generator::ledger::Ledger;
use spendsense_parquet::{TableBuilder, TableWriter};
use spendsense_schema::UserProfile;

use crate::output::{DirFile, DirOutput, Durability};

/// Number of tables, and of files.
const TABLES: usize = PROFILE_TABLES.len() + LEDGER_TABLES.len();

/// Every file of `--format parquet`: the profile tables, then the ledger's,
/// each `<table>.parquet` ([`spendsense_parquet::file_name`]; a test checks).
pub const FILES: [&str; TABLES] = [
    "users.parquet",
    "accounts.parquet",
    "paychecks.parquet",
    "recurring.parquet",
    "cards.parquet",
    "transactions.parquet",
    "liabilities.parquet",
];

/// The key of the file metadata entry holding the run configuration.
pub const RUN_KEY: &str = "spendsense.run";

/// Profiles per batch: about 25,000 transactions, as for `--format csv`.
const BATCH: u64 = 160;

/// One batch's rows of every table of [`FILES`].
type Batches = [RecordBatch; TABLES];

/// The files of `--format parquet`, for summaries and errors: `users.parquet, …`.
pub fn file_list() -> String {
    FILES.join(", ")
}

/// The output directory of `--format parquet`, staged inside it; refused
/// before anything is generated when it is stdout or not a directory.
pub fn output_dir(path: Option<&Path>, durability: Durability) -> Result<DirOutput> {
    crate::output::output_dir(
        path,
        "parquet",
        &format!("{} files ({})", FILES.len(), file_list()),
        |dir| {
            FILES
                .iter()
                .filter(|file| dir.join(file).exists())
                .map(|file| file.to_string())
                .collect()
        },
        durability,
    )
}

/// The run configuration every file carries under [`RUN_KEY`]: what
/// regenerates the same profiles (and which of them the files hold).
pub fn run_configuration(generator: &Generator, range: &Range<u64>) -> serde_json::Value {
    serde_json::json!({
        "seed": generator.seed(),
        // A JSON number past 2^53 is rounded by readers that parse doubles;
        // the same seed as text reads back exactly.
        "seed_string": generator.seed().to_string(),
        "count": generator.count(),
        "mix": generator.mix().to_string(),
        "overlap": generator.overlap().to_string(),
        "fingerprint": generator.fingerprint(),
        "as_of": generator.as_of().to_string(),
        "profiles": { "start": range.start, "end": range.end },
    })
}

/// Writes profiles `range` of `generator`, and their ledgers, as the tables
/// of [`FILES`] into `dir`, building batches on `threads` workers
/// (`--threads`; default: all cores); the caller commits `dir`.
pub fn write_dir(
    generator: &Generator,
    range: Range<u64>,
    threads: Option<usize>,
    dir: &DirOutput,
    progress: &dyn Fn(u64),
) -> Result<Stats> {
    let threads =
        threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let run = run_configuration(generator, &range).to_string();
    let metadata = [(RUN_KEY, run.as_str())];
    // The writer's own errors already name the file; the encoder's do not.
    let failed = |file: &str, err: spendsense_parquet::Error| match err {
        spendsense_parquet::Error::Io(err) => err,
        other => io::Error::new(
            io::ErrorKind::InvalidData,
            format!("cannot write {}: {other}", dir.path().join(file).display()),
        ),
    };
    let mut writers: Vec<TableWriter<DirFile>> = Vec::with_capacity(TABLES);
    for (table, file) in columns::all_tables().zip(FILES) {
        let out = dir.create(file)?;
        writers.push(TableWriter::new(table, out, &metadata).map_err(|err| failed(file, err))?);
    }
    let mut stats = Stats::default();
    build(generator, range, threads, &mut |batches, batch| {
        for ((writer, rows), file) in writers.iter_mut().zip(batches).zip(FILES) {
            writer.write(rows).map_err(|err| failed(file, err))?;
        }
        stats.merge(batch);
        progress(stats.profiles);
        Ok(())
    })?;
    for (writer, file) in writers.into_iter().zip(FILES) {
        let (out, bytes) = writer.finish().map_err(|err| failed(file, err))?;
        stats.bytes += bytes;
        out.finish()?;
    }
    Ok(stats)
}

/// Builds profiles `range` in batches of [`BATCH`] on `threads` workers and
/// hands each batch's record batches to `write` in order; the first error
/// `write` returns stops the run.
fn build(
    generator: &Generator,
    range: Range<u64>,
    threads: usize,
    write: &mut dyn FnMut(&Batches, &Stats) -> io::Result<()>,
) -> io::Result<()> {
    let batches = (range.end - range.start).div_ceil(BATCH);
    let batch = |number: u64| {
        let start = range.start + number * BATCH;
        start..(start + BATCH).min(range.end)
    };
    if threads <= 1 || batches <= 1 {
        let mut worker = Worker::new();
        for number in 0..batches {
            let (built, stats) = worker.build(generator, batch(number));
            write(&built, &stats)?;
        }
        return Ok(());
    }
    let threads = threads.min(batches as usize);
    std::thread::scope(|scope| {
        let mut receivers = Vec::with_capacity(threads);
        for first in 0..threads {
            // Two batches in flight per worker.
            let (sender, receiver) = mpsc::sync_channel::<(Batches, Stats)>(2);
            receivers.push(receiver);
            scope.spawn(move || {
                let mut worker = Worker::new();
                for number in (first as u64..batches).step_by(threads) {
                    // The writer hung up after an error: stop.
                    if sender.send(worker.build(generator, batch(number))).is_err() {
                        return;
                    }
                }
            });
        }
        for number in 0..batches {
            let (built, stats) = receivers[(number % threads as u64) as usize]
                .recv()
                .expect("a worker sends every batch it is given");
            write(&built, &stats)?;
        }
        Ok(())
    })
}

/// What a worker reuses from batch to batch: the table builders and the
/// profile and ledger each profile is built over.
struct Worker {
    builders: [TableBuilder; TABLES],
    profile: Option<UserProfile>,
    ledger: Option<Ledger>,
}

impl Worker {
    fn new() -> Worker {
        let mut tables = columns::all_tables();
        Worker {
            builders: std::array::from_fn(|_| {
                TableBuilder::new(tables.next().expect("a table per file"))
            }),
            profile: None,
            ledger: None,
        }
    }

    /// Profiles `range` and their ledgers as one record batch per table.
    fn build(&mut self, generator: &Generator, range: Range<u64>) -> (Batches, Stats) {
        let mut stats = Stats::default();
        let (profile_builders, ledger_builders) = self.builders.split_at_mut(PROFILE_TABLES.len());
        for index in range {
            let profile = match &mut self.profile {
                Some(profile) => {
                    generator.profile_into(index, profile);
                    profile
                }
                None => self.profile.insert(generator.profile(index)),
            };
            let ledger = match &mut self.ledger {
                Some(ledger) => {
                    generator.ledger_into(index, profile, ledger);
                    ledger
                }
                None => self.ledger.insert(generator.ledger(index, profile)),
            };
            // The model's rows always fit its own columns (the crate's tests
            // check every table on many profiles).
            let fits = "the model's values fit the model's columns";
            columns::profile_rows(profile, |table, values| {
                profile_builders[table].push(values).expect(fits)
            });
            columns::ledger_rows(
                &profile.user_id,
                &ledger.transactions,
                &ledger.liabilities,
                |table, values| ledger_builders[table].push(values).expect(fits),
            );
            stats.add(profile);
        }
        (self.builders.each_mut().map(TableBuilder::finish), stats)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spendsense_generator::GeneratorConfig;
    use std::fs;

    #[test]
    fn files_are_the_tables_in_model_order() {
        let expected: Vec<String> = columns::all_tables()
            .map(spendsense_parquet::file_name)
            .collect();
        assert_eq!(FILES.to_vec(), expected);
    }

    /// Every file of a run, by name.
    fn run(generator: &Generator, range: Range<u64>, threads: usize) -> (Vec<Vec<u8>>, Stats) {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        let out = output_dir(Some(&dir), Durability::Atomic).unwrap();
        let stats = write_dir(generator, range, Some(threads), &out, &|_| {}).unwrap();
        out.commit().unwrap();
        let files = FILES
            .iter()
            .map(|file| fs::read(dir.join(file)).unwrap())
            .collect();
        let mut names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        let mut expected = FILES.to_vec();
        expected.sort();
        assert_eq!(names, expected, "no temporary files left");
        (files, stats)
    }

    /// The files are byte for byte the same on any number of threads, for
    /// ranges of no batch, part of one and several, and their sizes are the
    /// summary's byte count.
    #[test]
    fn same_bytes_on_any_thread_count() {
        let generator = Generator::new(&GeneratorConfig::new(21, 1_000)).unwrap();
        for range in [3..4, 0..BATCH + 1, 37..(37 + 3 * BATCH + 5)] {
            let (one, stats) = run(&generator, range.clone(), 1);
            assert_eq!(stats.profiles, range.end - range.start);
            let sizes: u64 = one.iter().map(|f| f.len() as u64).sum();
            assert_eq!(stats.bytes, sizes);
            for threads in [2, 3] {
                let (many, many_stats) = run(&generator, range.clone(), threads);
                assert!(one == many, "{range:?} on {threads} threads");
                assert_eq!(
                    (many_stats.per_persona, many_stats.income, many_stats.bytes),
                    (stats.per_persona, stats.income, stats.bytes)
                );
            }
        }
    }
}
