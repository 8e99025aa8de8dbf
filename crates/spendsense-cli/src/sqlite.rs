//! `--format sqlite`: profiles and their ledgers as the seven tables of
//! [`spendsense_sqlite`] in one SQLite database file, which the `output`
//! module stages beside the target and puts in place once complete.
//!
//! Workers generate batches of profiles and realise their ledgers; this
//! thread inserts the batches in order ([`ordered::in_order`]), so the database is the same bytes
//! on any number of threads. SQLite writes through a path, not a `Write`,
//! so the connection is opened on the output's staged file
//! ([`Output::staged_path`]) and closed before the output is committed.

use std::ops::Range;
use std::path::Path;

use anyhow::{Context, Result, bail};
use spendsense_cli::ordered;
use spendsense_cli::pipeline::Stats;
use spendsense_generator::Generator;
use spendsense_generator::ledger::Ledger;
use spendsense_schema::UserProfile;
use spendsense_sqlite::Loader;
use spendsense_sqlite::rusqlite::{Connection, OpenFlags};

use crate::output::Output;

/// Profiles per batch: about 25,000 transactions, as for `--format csv`.
const BATCH: u64 = 160;

/// One batch's profiles and their ledgers, in index order.
type Batch = Vec<(UserProfile, Ledger)>;

/// Refuses an `-o` that cannot hold a database before anything is opened:
/// stdout or a device or pipe, since SQLite writes to a file it can seek in.
pub fn check_output(path: Option<&Path>) -> Result<()> {
    let Some(path) = path.filter(|p| p.as_os_str() != "-") else {
        bail!(
            "--format sqlite writes a database file, not stdout; give a file with -o FILE, such as -o profiles.sqlite"
        );
    };
    if let Ok(metadata) = std::fs::metadata(path)
        && !metadata.is_file()
        && !metadata.is_dir()
    {
        bail!(
            "--format sqlite writes a database file, and {} is a device, pipe or socket; give a file with -o FILE",
            path.display()
        );
    }
    Ok(())
}

/// Writes profiles `range` of `generator` and their ledgers into the staged
/// file of `out` (the output to `target`), with `run` in the run table, on
/// `threads` workers; the caller commits `out`.
pub fn write(
    generator: &Generator,
    range: Range<u64>,
    threads: usize,
    out: &Output,
    target: &Path,
    run: &[(&str, &str)],
    progress: &dyn Fn(u64),
) -> Result<Stats> {
    let Some(path) = out.staged_path() else {
        bail!("--format sqlite writes a database file; the output is not a regular file");
    };
    let failed = || format!("cannot write {}", target.display());
    // The staged file exists (created new by `output`): no CREATE, so a
    // file that vanished is an error, and no link is followed.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_NOFOLLOW
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection = Connection::open_with_flags(path, flags)
        .map_err(spendsense_sqlite::Error::from)
        .with_context(failed)?;
    let mut stats = Stats::default();
    {
        let mut loader = Loader::new(&connection).with_context(failed)?;
        generate(generator, range, threads, &mut |batch| {
            for (profile, ledger) in batch {
                loader.profile(profile)?;
                loader.ledger(&profile.user_id, &ledger.transactions, &ledger.liabilities)?;
                stats.add(profile);
                stats.transactions += ledger.transactions.len() as u64;
            }
            progress(stats.profiles);
            Ok(())
        })
        .with_context(failed)?;
        loader.finish(run).with_context(failed)?;
    }
    connection
        .close()
        .map_err(|(_, err)| spendsense_sqlite::Error::from(err))
        .with_context(failed)?;
    stats.bytes = std::fs::metadata(path).with_context(failed)?.len();
    Ok(stats)
}

/// Generates profiles `range` and their ledgers in batches of [`BATCH`] on
/// `threads` workers and hands each batch to `insert` in order; the first
/// error `insert` returns stops the run.
fn generate(
    generator: &Generator,
    range: Range<u64>,
    threads: usize,
    insert: &mut dyn FnMut(&Batch) -> Result<(), spendsense_sqlite::Error>,
) -> Result<(), spendsense_sqlite::Error> {
    ordered::in_order(
        ordered::batches(&range, BATCH),
        threads,
        || (),
        |number, (), spare: Option<Batch>| {
            let mut profiles = spare.unwrap_or_default();
            fill(
                generator,
                ordered::batch(&range, BATCH, number),
                &mut profiles,
            );
            profiles
        },
        insert,
    )
}

/// Profiles `range` and their ledgers into `batch`, reusing its earlier
/// profiles and ledgers in place.
fn fill(generator: &Generator, range: Range<u64>, batch: &mut Batch) {
    let count = (range.end - range.start) as usize;
    batch.truncate(count);
    for (at, index) in range.enumerate() {
        match batch.get_mut(at) {
            Some((profile, ledger)) => {
                generator.profile_into(index, profile);
                generator.ledger_into(index, profile, ledger);
            }
            None => {
                let profile = generator.profile(index);
                let ledger = generator.ledger(index, &profile);
                batch.push((profile, ledger));
            }
        }
    }
}
