//! `--format csv`: the tables of [`spendsense_export::tables`] (users,
//! accounts, paychecks, recurring charges, card plans) and of
//! [`spendsense_export::ledger`] (every profile's transactions and card
//! liabilities, realised by [`Generator::ledger`]) as files in the output
//! directory, beside the type specs of [`spendsense_export::specs::csv_dir`]
//! (`datapackage.json`, `duckdb.sql`), all written into a staging directory
//! that replaces the output directory's files as a whole (see [`crate::output`]).
//!
//! A profile's transactions are over a hundred rows, so the tables are
//! encoded in batches on worker threads and written in batch order by this
//! thread ([`ordered::in_order`]): every batch's bytes are a pure function of
//! its profiles, so the files never depend on the thread count.

use std::io::{self, Write};
use std::ops::Range;
use std::path::Path;

use anyhow::Result;
use spendsense_cli::ordered;
use spendsense_cli::pipeline::Stats;
use spendsense_export::ledger::{self, LedgerTables};
use spendsense_export::specs::csv_dir;
use spendsense_export::tables::{self, Tables};
use spendsense_generator::Generator;
use spendsense_schema::UserProfile;

use crate::output::{DirOutput, Durability};

/// Every file of `--format csv`: the profile tables, then the ledger's.
pub const FILES: [&str; 7] = [
    tables::FILES[0],
    tables::FILES[1],
    tables::FILES[2],
    tables::FILES[3],
    tables::FILES[4],
    ledger::FILES[0],
    ledger::FILES[1],
];

/// The type specs of the tables, written beside them: the same bytes for
/// every run, since the columns never depend on the flags.
pub const SPEC_FILES: [&str; 2] = [csv_dir::DATA_PACKAGE_FILE, csv_dir::DUCKDB_FILE];

/// The bytes of each file of [`SPEC_FILES`].
fn spec_texts() -> [String; SPEC_FILES.len()] {
    let tables = spendsense_export::columns::all_tables;
    [
        csv_dir::data_package(tables()),
        csv_dir::duckdb_views(tables()),
    ]
}

/// Profiles per batch: about 25,000 transactions, 2.5 MB of CSV.
const BATCH: u64 = 160;

/// One batch's rows of every table of [`FILES`], without headers.
type Pieces = [Vec<u8>; FILES.len()];

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

/// The files of `--format csv`, for summaries and errors: `users.csv, accounts.csv, …`
/// (the tables; the spec files beside them are not counted).
pub fn file_list() -> String {
    FILES.join(", ")
}

/// The output directory of `--format csv`, staged inside it; refused
/// before anything is generated when it is stdout or not a directory.
pub fn output_dir(path: Option<&Path>, durability: Durability) -> Result<DirOutput> {
    crate::output::output_dir(
        path,
        "csv",
        &format!("{} files ({})", FILES.len(), file_list()),
        |dir| {
            FILES
                .iter()
                .chain(&SPEC_FILES)
                .filter(|file| dir.join(file).exists())
                .map(|file| file.to_string())
                .collect()
        },
        durability,
    )
}

/// Writes profiles `range` of `generator`, and their ledgers, as the tables
/// of [`FILES`] into `dir`, encoding batches on `threads` workers
/// (`--threads`); the caller commits `dir`.
pub fn write_dir(
    generator: &Generator,
    range: Range<u64>,
    threads: usize,
    dir: &DirOutput,
    progress: &dyn Fn(u64),
) -> Result<Stats> {
    let mut outputs = Vec::with_capacity(FILES.len());
    for file in FILES {
        outputs.push(Counting {
            inner: dir.create(file)?,
            bytes: 0,
        });
    }
    for (output, header) in outputs.iter_mut().zip(headers()) {
        output.write_all(&header)?;
    }
    let mut stats = Stats::default();
    encode(generator, range, threads, &mut |pieces, batch| {
        for (output, piece) in outputs.iter_mut().zip(pieces) {
            output.write_all(piece)?;
        }
        stats.merge(batch);
        progress(stats.profiles);
        Ok(())
    })?;
    stats.bytes = outputs.iter().map(|o| o.bytes).sum();
    for output in outputs {
        output.inner.finish()?;
    }
    for (file, text) in SPEC_FILES.iter().zip(spec_texts()) {
        let mut out = dir.create(file)?;
        out.write_all(text.as_bytes())?;
        out.finish()?;
        // The summary's size is the directory's: the specs are files of the set too.
        stats.bytes += text.len() as u64;
    }
    Ok(stats)
}

/// The header row of every table of [`FILES`].
fn headers() -> Pieces {
    let profile_tables = Tables::new(Default::default()).and_then(Tables::finish);
    let ledger_tables = LedgerTables::new(Default::default()).and_then(LedgerTables::finish);
    let (Ok(profile_tables), Ok(ledger_tables)) = (profile_tables, ledger_tables) else {
        unreachable!("writing to memory cannot fail");
    };
    let mut headers = profile_tables.into_iter().chain(ledger_tables);
    std::array::from_fn(|_| headers.next().expect("a header per file"))
}

/// Encodes profiles `range` in batches of [`BATCH`] on `threads` workers and
/// hands each batch's pieces to `write` in order; the first error `write`
/// returns stops the run.
fn encode(
    generator: &Generator,
    range: Range<u64>,
    threads: usize,
    write: &mut dyn FnMut(&Pieces, &Stats) -> io::Result<()>,
) -> io::Result<()> {
    ordered::in_order(
        ordered::batches(&range, BATCH),
        threads,
        || None,
        |number, scratch, spare: Option<(Pieces, Stats)>| {
            let mut pieces = spare.map(|(pieces, _)| pieces).unwrap_or_default();
            let batch = ordered::batch(&range, BATCH, number);
            let stats = encode_batch(generator, batch, scratch, &mut pieces);
            (pieces, stats)
        },
        |(pieces, stats)| write(pieces, stats),
    )
}

/// Profiles `range` and their ledgers as rows of every table (`pieces`,
/// cleared first), building each profile in `scratch`.
fn encode_batch(
    generator: &Generator,
    range: Range<u64>,
    scratch: &mut Option<UserProfile>,
    pieces: &mut Pieces,
) -> Stats {
    pieces.iter_mut().for_each(Vec::clear);
    let [
        users,
        accounts,
        paychecks,
        recurring,
        cards,
        transactions,
        liabilities,
    ] = pieces;
    let mut profile_tables =
        Tables::without_headers([users, accounts, paychecks, recurring, cards]);
    let mut ledger_tables = LedgerTables::without_headers([transactions, liabilities]);
    let mut stats = Stats::default();
    for index in range {
        let profile = match scratch {
            Some(profile) => {
                generator.profile_into(index, profile);
                profile
            }
            None => scratch.insert(generator.profile(index)),
        };
        let ledger = generator.ledger(index, profile);
        let written = profile_tables.write(profile).and_then(|()| {
            ledger_tables.write(&profile.user_id, &ledger.transactions, &ledger.liabilities)
        });
        written.expect("writing to memory cannot fail");
        stats.add(profile);
    }
    let flushed = profile_tables
        .finish()
        .and(ledger_tables.finish().map(|_| ()));
    flushed.expect("writing to memory cannot fail");
    stats
}

#[cfg(test)]
mod tests {
    use super::*;
    use spendsense_generator::GeneratorConfig;
    use std::fs;

    fn rows(table: &str) -> Vec<csv::StringRecord> {
        csv::Reader::from_reader(table.as_bytes())
            .records()
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn files_are_the_profile_tables_then_the_ledger_tables() {
        let expected: Vec<&str> = tables::FILES
            .iter()
            .chain(&ledger::FILES)
            .copied()
            .collect();
        assert_eq!(FILES.to_vec(), expected);
    }

    #[test]
    fn files_appear_whole_in_a_new_directory() {
        let root = tempfile::tempdir().unwrap();
        let out = output_dir(Some(&root.path().join("tables")), Durability::Synced).unwrap();
        let generator = Generator::new(&GeneratorConfig::new(5, 30)).unwrap();
        let stats = write_dir(&generator, 10..30, 2, &out, &|_| {}).unwrap();
        out.commit().unwrap();
        let dir = root.path().join("tables");
        assert_eq!(stats.profiles, 20);
        let sizes: u64 = FILES
            .iter()
            .chain(&SPEC_FILES)
            .map(|file| fs::metadata(dir.join(file)).unwrap().len())
            .sum();
        assert_eq!(stats.bytes, sizes);
        let users = fs::read_to_string(dir.join(tables::USERS_FILE)).unwrap();
        assert_eq!(rows(&users)[0][0], *"user_MASKED_010");
        let mut names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        let mut expected: Vec<&str> = FILES.iter().chain(&SPEC_FILES).copied().collect();
        expected.sort();
        assert_eq!(names, expected, "no temporary files left");
        for (file, text) in SPEC_FILES.iter().zip(spec_texts()) {
            assert_eq!(fs::read_to_string(dir.join(file)).unwrap(), text, "{file}");
        }
    }

    /// The spec files list every table, whose headers are the same whatever
    /// the flags (overlap or not, a mix or not).
    #[test]
    fn spec_files_describe_the_tables_of_every_run() {
        let mut configs = [
            GeneratorConfig::new(3, 12),
            GeneratorConfig::new(4, 12),
            GeneratorConfig::new(5, 12),
        ];
        configs[1].overlap = spendsense_generator::Overlap::parse("1").unwrap();
        configs[2].mix = spendsense_personas::Mix::parse("control=1,high_utilization=2").unwrap();
        let package: serde_json::Value = serde_json::from_str(&spec_texts()[0]).unwrap();
        for config in configs {
            let (files, _) = run(&Generator::new(&config).unwrap(), 0..12, 1);
            for (file, resource) in FILES.iter().zip(package["resources"].as_array().unwrap()) {
                assert_eq!(resource["path"], *file);
                let header = files[FILES.iter().position(|f| f == file).unwrap()]
                    .lines()
                    .next()
                    .unwrap()
                    .to_string();
                let names: Vec<&str> = resource["schema"]["fields"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f["name"].as_str().unwrap())
                    .collect();
                assert_eq!(header, names.join(","), "{file}");
            }
        }
    }

    /// Every file of a run, by name.
    fn run(generator: &Generator, range: Range<u64>, threads: usize) -> (Vec<String>, Stats) {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        let out = output_dir(Some(&dir), Durability::Atomic).unwrap();
        let stats = write_dir(generator, range, threads, &out, &|_| {}).unwrap();
        out.commit().unwrap();
        let files = FILES
            .iter()
            .map(|file| fs::read_to_string(dir.join(file)).unwrap())
            .collect();
        (files, stats)
    }

    /// The tables are byte for byte the same on any number of threads, for
    /// ranges of no batch, part of one and many, and hold every profile's
    /// rows in index order: each profile's ledger, oldest first, after the
    /// one before it.
    #[test]
    fn same_bytes_on_any_thread_count_in_profile_order() {
        let generator = Generator::new(&GeneratorConfig::new(21, 1_000)).unwrap();
        for range in [0..0, 3..4, 0..BATCH + 1, 37..(37 + 3 * BATCH + 5)] {
            let (one, stats) = run(&generator, range.clone(), 1);
            assert_eq!(stats.profiles, range.end - range.start);
            for threads in [2, 3, 8] {
                let (many, many_stats) = run(&generator, range.clone(), threads);
                assert!(one == many, "{range:?} on {threads} threads");
                assert_eq!(
                    (many_stats.per_persona, many_stats.income, many_stats.bytes),
                    (stats.per_persona, stats.income, stats.bytes)
                );
            }
            let mut expected = LedgerTables::new([Vec::new(), Vec::new()]).unwrap();
            for index in range.clone() {
                let profile = generator.profile(index);
                let ledger = generator.ledger(index, &profile);
                assert!(ledger.transactions.is_sorted_by_key(|t| t.date));
                expected
                    .write(&profile.user_id, &ledger.transactions, &ledger.liabilities)
                    .unwrap();
            }
            let expected = expected.finish().unwrap();
            assert_eq!(
                one[5].as_bytes(),
                expected[0],
                "transactions.csv of {range:?}"
            );
            assert_eq!(
                one[6].as_bytes(),
                expected[1],
                "liabilities.csv of {range:?}"
            );
            assert_eq!(rows(&one[0]).len() as u64, range.end - range.start);
        }
    }

    /// The summary's persona counts and income range are the run's.
    #[test]
    fn stats_count_every_profile() {
        let generator = Generator::new(&GeneratorConfig::new(8, 700)).unwrap();
        let (_, stats) = run(&generator, 0..700, 2);
        let mut expected = Stats::default();
        for profile in generator.iter() {
            expected.add(&profile);
        }
        assert_eq!(
            (stats.profiles, stats.per_persona, stats.income),
            (expected.profiles, expected.per_persona, expected.income)
        );
    }
}
