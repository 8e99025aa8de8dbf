//! `--format parquet`: the seven tables of [`spendsense_export::columns`]
//! (users, accounts, paychecks, recurring charges, card plans, and every
//! profile's transactions and card liabilities, realised by
//! [`Generator::ledger_into`]) as `<table>.parquet` files in the output
//! directory, written through [`spendsense_parquet`] into a staging
//! directory that replaces the output's files as a whole (see
//! [`crate::output`]).
//!
//! Workers build each batch of profiles into Arrow arrays, one record batch
//! per table; this thread hands them in batch order to the tables' writers,
//! each of which encodes and compresses its file on a thread of its own.
//! A batch is a pure function of its profiles and the writers cut row groups
//! by row count alone, so the files never depend on the thread count. Every
//! file carries the run configuration as JSON under [`RUN_KEY`].

use std::io;
use std::ops::Range;
use std::path::Path;
use std::sync::mpsc;

use anyhow::Result;
use arrow_array::RecordBatch;
use spendsense_cli::ordered;
use spendsense_cli::pipeline::Stats;
use spendsense_export::columns;
use spendsense_generator::Generator;
use spendsense_generator::ledger::Ledger;
use spendsense_parquet::{TABLE_COUNT, TableSet, TableWriter};
use spendsense_schema::UserProfile;

use crate::output::{DirFile, DirOutput, Durability};

/// Number of tables, and of files.
const TABLES: usize = TABLE_COUNT;

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

/// Writes profiles `range` of `generator`, and their ledgers, as the tables
/// of [`FILES`] into `dir`, each with `run` (the run configuration,
/// [`crate::manifest::Manifest::run_configuration`] as JSON) under
/// [`RUN_KEY`], building batches on `threads` workers (`--threads`); the
/// caller commits `dir`.
pub fn write_dir(
    generator: &Generator,
    range: Range<u64>,
    run: &str,
    threads: usize,
    dir: &DirOutput,
    progress: &dyn Fn(u64),
) -> Result<Stats> {
    let metadata = [(RUN_KEY, run)];
    let root = dir.path().to_path_buf();
    // The writer's own errors already name the file; the encoder's do not.
    let failed = |file: &str, err: spendsense_parquet::Error| match err {
        spendsense_parquet::Error::Io(err) => err,
        other => io::Error::new(
            io::ErrorKind::InvalidData,
            format!("cannot write {}: {other}", root.join(file).display()),
        ),
    };
    let mut writers: Vec<TableWriter<DirFile>> = Vec::with_capacity(TABLES);
    for (table, file) in columns::all_tables().zip(FILES) {
        let out = dir.create(file)?;
        writers.push(TableWriter::new(table, out, &metadata).map_err(|err| failed(file, err))?);
    }
    let mut stats = Stats::default();
    std::thread::scope(|scope| {
        // Each table is encoded, compressed and hashed on a thread of its
        // own, so the builders never wait for the transactions table, which
        // is most of the work, and it never waits for the other six.
        let mut senders = Vec::with_capacity(TABLES);
        let mut encoders = Vec::with_capacity(TABLES);
        for (mut writer, file) in writers.into_iter().zip(FILES) {
            let (sender, batches) = mpsc::sync_channel::<RecordBatch>(2);
            senders.push(sender);
            encoders.push(scope.spawn(move || -> io::Result<u64> {
                for rows in batches {
                    writer.write(&rows).map_err(|err| failed(file, err))?;
                }
                let (out, bytes) = writer.finish().map_err(|err| failed(file, err))?;
                out.finish()?;
                Ok(bytes)
            }));
        }
        let built = build(generator, range, threads, &mut |batches, batch| {
            for (sender, rows) in senders.iter().zip(batches) {
                // Closed: that table's encoder failed, and says why when joined.
                if sender.send(rows.clone()).is_err() {
                    return Err(io::Error::other("a table's encoder stopped"));
                }
            }
            stats.merge(batch);
            progress(stats.profiles);
            Ok(())
        });
        drop(senders);
        // An encoder's own error is the cause; the builder's is its echo.
        let mut encoded = Ok(());
        for encoder in encoders {
            match encoder.join() {
                Ok(Ok(bytes)) => stats.bytes += bytes,
                Ok(Err(err)) => {
                    if encoded.is_ok() {
                        encoded = Err(err);
                    }
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        encoded.and(built)
    })?;
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
    ordered::in_order(
        ordered::batches(&range, BATCH),
        threads,
        Worker::default,
        // Record batches share their arrays with the writer, so they are
        // not reused; the builders in the worker are.
        |number, worker, _: Option<(Batches, Stats)>| {
            worker.build(generator, ordered::batch(&range, BATCH, number))
        },
        |(built, stats)| write(built, stats),
    )
}

/// What a worker reuses from batch to batch: the table builders and the
/// profile and ledger each profile is built over.
#[derive(Default)]
struct Worker {
    tables: TableSet,
    profile: Option<UserProfile>,
    ledger: Option<Ledger>,
}

impl Worker {
    /// Profiles `range` and their ledgers as one record batch per table.
    fn build(&mut self, generator: &Generator, range: Range<u64>) -> (Batches, Stats) {
        let mut stats = Stats::default();
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
            // The model's rows always fit its own columns (the arrow crate's
            // tests check every table on many profiles).
            let fits = "the model's values fit the model's columns";
            self.tables.push_profile(profile).expect(fits);
            let (transactions, liabilities) = (&ledger.transactions, &ledger.liabilities);
            self.tables
                .push_ledger(&profile.user_id, transactions, liabilities)
                .expect(fits);
            stats.add(profile);
        }
        (self.tables.finish(), stats)
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
        let stats = write_dir(generator, range, "{}", threads, &out, &|_| {}).unwrap();
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
