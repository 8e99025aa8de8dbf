//! The hostile-situation suite (issue 16): full disks, file size limits,
//! signals, killed runs, concurrent runs, planted links, colliding outputs
//! and a closed or full stdout, each against the promise of
//! `docs/errors.md` it tests. A real size-limited filesystem needs root to
//! mount, so a full disk is `ulimit -f` (a real `EFBIG` from the kernel),
//! `/dev/full` (a real `ENOSPC`) or an injected failure
//! (`SPENDSENSE_TEST_FAIL`) at the exact write or rename.

mod collide;
mod details;
mod dirs;
mod signals;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::{Input, Run, assert_run, bin, feed, finished, run_in, stray_temp_files};

/// A run writing profiles, transactions and a manifest: three outputs committed together.
pub(super) const WITH_MANIFEST: [&str; 11] = [
    "generate",
    "-n",
    "5",
    "--format",
    "jsonl",
    "-o",
    "users.jsonl",
    "--transactions",
    "tx.jsonl",
    "--manifest",
    "m.json",
];

/// Every entry of `dir` (not recursing) by name: a file's bytes, a link's
/// destination, or `<dir>`; a run's own hidden entries
/// (`.spendsense-tmp-XXXXXX`, `.spendsense-lock`) are left out, and
/// [`assert_clean`] looks for them.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut entries = BTreeMap::new();
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with(".spendsense-")
        {
            continue;
        }
        let kind = entry.file_type().unwrap();
        let content = if kind.is_symlink() {
            format!("-> {}", fs::read_link(entry.path()).unwrap().display()).into_bytes()
        } else if kind.is_dir() {
            b"<dir>".to_vec()
        } else {
            fs::read(entry.path()).unwrap()
        };
        entries.insert(entry.file_name().into_string().unwrap(), content);
    }
    entries
}

/// Runs `args` in `dir` with the environment `env` added.
fn run_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = bin();
    command
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied());
    finished(feed(command, Vec::new()))
}

/// Asserts that `dir`, and the directory output `dir/out` if there is one,
/// hold nothing an output leaves while it runs.
fn assert_clean(dir: &Path, context: &str) {
    for dir in [dir.to_path_buf(), dir.join("out")] {
        if dir.is_dir() {
            assert_eq!(
                stray_temp_files(&dir),
                Vec::<std::path::PathBuf>::new(),
                "{context}: leftovers"
            );
        }
    }
}

/// Sends signal `name` (`TERM`, `QUIT`, …) to process `pid`.
#[cfg(unix)]
fn send(name: &str, pid: u32) {
    let sent = Command::new("kill")
        .args(["-s", name, &pid.to_string()])
        .status()
        .unwrap();
    assert!(sent.success(), "kill -s {name} failed");
}

/// Runs `spendsense args` in `dir` from `sh -c` with `setup` before it, e.g.
/// `ulimit -f 64` or a redirection of stdout.
#[cfg(unix)]
fn run_in_shell(dir: &Path, setup: &str, args: &[&str]) -> Run {
    let script = format!(r#"{setup} && exec "$0" "$@""#);
    let output = Command::new("sh")
        .args(["-c", &script, env!("CARGO_BIN_EXE_spendsense")])
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    finished(output)
}

/// The directory formats and, for each, a file written midway through a run
/// of [`NEW`] profiles, and one put in place midway through its commit
/// (files are put in place in name order).
const DIRECTORY_FORMATS: [(&str, &str, &str); 3] = [
    ("csv", "transactions.csv", "liabilities.csv"),
    ("parquet", "transactions.parquet", "liabilities.parquet"),
    (
        "plaid-sandbox",
        "user_MASKED_002.json",
        "user_MASKED_001.json",
    ),
];

/// A run that writes an old set: more profiles than [`NEW`], another seed.
const OLD: [&str; 4] = ["-n", "6", "--seed", "1"];

/// The arguments of a new run over it.
const NEW: [&str; 4] = ["-n", "4", "--seed", "2"];

/// `generate --format FORMAT -o out -q` with `counts` (`OLD`, `NEW`).
fn generate_dir<'a>(format: &'a str, counts: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["generate", "--format", format, "-o", "out", "-q"];
    args.extend(counts);
    args
}

/// Writes the old set of `format` into `root/out` and returns it.
fn old_set(root: &Path, format: &str) -> BTreeMap<String, Vec<u8>> {
    let args = generate_dir(format, &OLD);
    let run = run_in(root, &args, Input::Nothing);
    assert_run(&args, &run, 0, "");
    snapshot(&root.join("out"))
}
