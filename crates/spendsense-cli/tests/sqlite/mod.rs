//! `generate --format sqlite` on the real binary: the database holds the
//! run's profiles and ledgers (counts, exact cent sums, keys, the run
//! table), is the same bytes on every run and thread count, and goes
//! through the `output` module like every file: refused before anything is
//! written when it cannot be one, and never left half-written or
//! clobbered by a failure or a signal.

use std::fs;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use spendsense_generator::{Generator, GeneratorConfig};
use spendsense_sqlite::rusqlite::{Connection, OpenFlags};

use crate::{
    Input, Run, assert_run, bin, check, finished, run_in, start_held, stray_temp_files, temporaries,
};

/// `generate --format sqlite -o NAME` in `dir` with `extra` arguments.
fn generate(dir: &Path, name: &str, extra: &[&str]) -> Run {
    let mut args = vec!["generate", "--format", "sqlite", "-q", "-o", name];
    args.extend(extra);
    let run = run_in(dir, &args, Input::Nothing);
    assert_run(&args, &run, 0, "");
    run
}

fn open(path: &Path) -> Connection {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

fn scalar(connection: &Connection, sql: &str) -> i64 {
    connection
        .query_row(sql, [], |row| row.get::<_, Option<i64>>(0))
        .unwrap()
        .unwrap_or(0)
}

/// Counts, sums and keys of the database equal the profiles' and ledgers'
/// of the same run, generated here through the library.
#[test]
fn the_database_holds_the_runs_profiles_and_ledgers_exactly() {
    for (seed, count, threads) in [(1u64, 1u64, "1"), (9, 37, "2"), (20_261_130, 170, "3")] {
        let dir = tempfile::tempdir().unwrap();
        let (seed_arg, count_arg) = (seed.to_string(), count.to_string());
        generate(
            dir.path(),
            "run.sqlite",
            &["-s", &seed_arg, "-n", &count_arg, "-j", threads],
        );
        let db = open(&dir.path().join("run.sqlite"));
        let generator = Generator::new(&GeneratorConfig::new(seed, count)).unwrap();
        let (mut accounts, mut transactions, mut liabilities) = (0, 0, 0);
        let (mut income, mut spent, mut balances) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
        for (index, profile) in generator.iter().enumerate() {
            let ledger = generator.ledger(index as u64, &profile);
            accounts += profile.accounts.len() as i64;
            transactions += ledger.transactions.len() as i64;
            liabilities += ledger.liabilities.len() as i64;
            income += profile.annual_income;
            spent += ledger
                .transactions
                .iter()
                .map(|t| t.amount)
                .sum::<Decimal>();
            balances += profile
                .accounts
                .iter()
                .filter_map(|a| a.balances.current)
                .sum::<Decimal>();
        }
        let context = format!("seed {seed}, {count} profiles");
        let cents = |sum: Decimal| spendsense_sqlite::cents(sum).unwrap();
        let count_of = |table: &str| scalar(&db, &format!("SELECT count(*) FROM {table}"));
        assert_eq!(count_of("users"), count as i64, "{context}");
        assert_eq!(count_of("accounts"), accounts, "{context}");
        assert_eq!(count_of("transactions"), transactions, "{context}");
        assert_eq!(count_of("liabilities"), liabilities, "{context}");
        let sum = |sql: &str| scalar(&db, sql);
        assert_eq!(
            sum("SELECT sum(annual_income_cents) FROM users"),
            cents(income)
        );
        assert_eq!(
            sum("SELECT sum(amount_cents) FROM transactions"),
            cents(spent)
        );
        assert_eq!(
            sum("SELECT sum(balances_current_cents) FROM accounts"),
            cents(balances)
        );
        // Integer sums, never floats: the type SQLite reports for the sum.
        let kind: String = db
            .query_row(
                "SELECT typeof(sum(amount_cents)) FROM transactions",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(kind, "integer");
        assert_eq!(
            count_of("pragma_foreign_key_check"),
            0,
            "{context}: foreign keys"
        );
        let integrity: String = db
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(integrity, "ok");
        let run = |key: &str| -> String {
            db.query_row(
                "SELECT value FROM spendsense_run WHERE key = ?1",
                [key],
                |r| r.get(0),
            )
            .unwrap()
        };
        assert_eq!(run("seed"), seed_arg);
        assert_eq!(run("count"), count_arg);
        assert_eq!(run("fingerprint"), generator.fingerprint());
        assert_eq!(run("mix"), generator.mix().to_string());
        assert_eq!(
            (run("overlap"), run("as_of")),
            ("0".into(), "2026-11-30".into())
        );
        let mut names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["run.sqlite", "run.sqlite.manifest.json"],
            "{context}: nothing beside the database and its manifest"
        );
    }
}

/// The same run is the same bytes: twice, and on 1 or 3 threads.
#[test]
fn same_run_same_bytes_on_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let run = ["-n", "340", "--overlap", "0.2"];
    for (name, threads) in [("a.sqlite", "1"), ("b.sqlite", "3"), ("c.sqlite", "3")] {
        generate(dir.path(), name, &[&run[..], &["-j", threads]].concat());
    }
    let bytes = |name: &str| fs::read(dir.path().join(name)).unwrap();
    assert!(
        bytes("a.sqlite") == bytes("b.sqlite"),
        "-j 1 and -j 3 differ"
    );
    assert!(bytes("b.sqlite") == bytes("c.sqlite"), "two runs differ");
    generate(dir.path(), "d.sqlite", &[&run[..], &["-s", "7"]].concat());
    assert!(
        bytes("a.sqlite") != bytes("d.sqlite"),
        "another seed, the same bytes"
    );
}

/// A shard holds its slice of profiles and says so in the run table.
#[test]
fn a_shard_is_its_slice() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), "s.sqlite", &["-n", "30", "--shard", "2/3"]);
    let db = open(&dir.path().join("s.sqlite"));
    let first: String = db
        .query_row(
            "SELECT user_id FROM users ORDER BY rowid LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(first, spendsense_generator::user_id(10));
    assert_eq!(scalar(&db, "SELECT count(*) FROM users"), 10);
    let shard: String = db
        .query_row(
            "SELECT value FROM spendsense_run WHERE key = 'shard'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(shard, "2/3");
}

/// The database gets a sidecar manifest like any file output, whose hash is
/// the database's; `--no-manifest` writes none.
#[test]
fn the_database_carries_a_sidecar_manifest_with_its_hash() {
    use sha2::Digest;
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "generate", "-n", "12", "-s", "5", "--format", "sqlite", "-o", "p.sqlite",
    ];
    let run = run_in(dir.path(), &args, Input::Nothing);
    assert_run(&args, &run, 0, "");
    let bytes = fs::read(dir.path().join("p.sqlite")).unwrap();
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("p.sqlite.manifest.json")).unwrap())
            .unwrap();
    let file = &manifest["files"][0];
    let hash: String = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(file["sha256"], hash.as_str());
    assert_eq!(file["bytes"], bytes.len() as u64);
    assert_eq!(manifest["format"], "sqlite");
    assert_eq!(manifest["seed"], 5);

    let dir = tempfile::tempdir().unwrap();
    let args = [
        "generate",
        "-n",
        "3",
        "--format",
        "sqlite",
        "-o",
        "q.sqlite",
        "--no-manifest",
    ];
    let run = run_in(dir.path(), &args, Input::Nothing);
    assert_run(&args, &run, 0, "");
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["q.sqlite"]);
}

#[test]
fn outputs_a_database_cannot_be_are_refused_before_anything_is_written() {
    let cases: [(&[&str], &str); 5] = [
        (&[], "writes a database file, not stdout"),
        (&["-o", "-"], "writes a database file, not stdout"),
        (
            &["-o", "/dev/null"],
            "/dev/null is a device, pipe or socket",
        ),
        (
            &["-o", "x.sqlite", "--transactions", "t.jsonl"],
            "not available with --format sqlite",
        ),
        (
            &["-o", "."],
            "names a directory; give a file path such as ./profiles.sqlite",
        ),
    ];
    for (extra, expected) in cases {
        let mut args = vec!["generate", "-n", "3", "--format", "sqlite"];
        args.extend(extra);
        let dir = tempfile::tempdir().unwrap();
        let run = run_in(dir.path(), &args, Input::Nothing);
        assert_run(&args, &run, 2, expected);
        let written = fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(written, 0, "{args:?} wrote something");
    }
    check(
        &["generate", "--format", "sqlite", "-o", "no/such/dir.sqlite"],
        Input::Nothing,
        2,
        "does not exist",
    );
}

const OLD: &[u8] = b"an earlier file, not a database\n";

fn no_leftovers(dir: &Path) {
    assert_eq!(stray_temp_files(dir), Vec::<PathBuf>::new());
}

/// A failure at the last moment (the rename) and a signal while the run
/// is about to commit both leave the old file whole and nothing beside it.
#[test]
fn a_failure_or_a_signal_leaves_the_old_file_and_no_leftovers() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("db.sqlite");
    fs::write(&target, OLD).unwrap();
    let args = [
        "generate",
        "-n",
        "20",
        "--format",
        "sqlite",
        "-o",
        "db.sqlite",
        // The manifest's own commit with the data is the manifest suite's.
        "--no-manifest",
    ];
    let mut command = bin();
    command
        .args(args)
        .current_dir(dir.path())
        .env("SPENDSENSE_TEST_FAIL", "rename:db.sqlite");
    let run = finished(command.output().unwrap());
    assert_run(&args, &run, 1, "cannot replace db.sqlite: injected failure");
    assert_eq!(fs::read(&target).unwrap(), OLD);
    no_leftovers(dir.path());

    let held = start_held(dir.path(), &args, "rename:db.sqlite");
    assert_eq!(held.at, "rename db.sqlite");
    let staged = temporaries(dir.path());
    assert_eq!(staged.len(), 1, "{staged:?}");
    // The staged database is complete before the rename.
    assert_eq!(scalar(&open(&staged[0]), "SELECT count(*) FROM users"), 20);
    let status = std::process::Command::new("kill")
        .args(["-s", "TERM", &held.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let (status, stderr) = held.finish();
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert_eq!(fs::read(&target).unwrap(), OLD);
    no_leftovers(dir.path());

    // Left alone, the same run replaces the old file with the database.
    generate(dir.path(), "db.sqlite", &["-n", "20"]);
    assert_eq!(scalar(&open(&target), "SELECT count(*) FROM users"), 20);
    no_leftovers(dir.path());
}

/// `ulimit -f`: SQLite's write fails, the run says so on one line naming
/// the target, and the old file stays.
#[test]
fn a_full_disk_is_one_error_and_the_old_file_stays() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("db.sqlite");
    fs::write(&target, OLD).unwrap();
    let args = [
        "generate",
        "-n",
        "400",
        "--format",
        "sqlite",
        "-o",
        "db.sqlite",
    ];
    let script = r#"ulimit -f 256 && exec "$0" "$@""#;
    let output = std::process::Command::new("sh")
        .args(["-c", script, env!("CARGO_BIN_EXE_spendsense")])
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .current_dir(dir.path())
        .output()
        .unwrap();
    let run = finished(output);
    assert_run(&args, &run, 1, "cannot write db.sqlite");
    assert_eq!(fs::read(&target).unwrap(), OLD);
    no_leftovers(dir.path());
}

/// `schema --format sql-sqlite|sql-postgres` prints the library's DDL, and
/// the SQLite one creates exactly the tables a generated database has.
#[test]
fn schema_prints_the_ddl_of_each_dialect() {
    use spendsense_sqlite::{Dialect, ddl};
    let sqlite = check(&["schema", "--format", "sql-sqlite"], Input::Nothing, 0, "");
    assert_eq!(sqlite.stdout, ddl(Dialect::Sqlite));
    let postgres = check(
        &["schema", "--format", "sql-postgres"],
        Input::Nothing,
        0,
        "",
    );
    assert_eq!(postgres.stdout, ddl(Dialect::Postgres));
    let json = check(&["schema"], Input::Nothing, 0, "\"$schema\"");
    assert!(json.stdout.starts_with('{'));

    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), "db.sqlite", &["-n", "2"]);
    let schema_of = |db: &Connection| -> Vec<String> {
        db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let printed = Connection::open_in_memory().unwrap();
    printed.execute_batch(&sqlite.stdout).unwrap();
    assert_eq!(
        schema_of(&open(&dir.path().join("db.sqlite"))),
        schema_of(&printed)
    );
}
