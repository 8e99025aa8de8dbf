//! Every signal that ends a run takes back its outputs, and a file size
//! limit is an error, not a death.

#![cfg(unix)]

use std::fs;

use super::{DIRECTORY_FORMATS, NEW, assert_clean, generate_dir, old_set, send, snapshot};
use crate::{Run, assert_no_panic, assert_run, start_held};

/// The signals whose default action would end the run where it stands.
const ENDING: [&str; 8] = ["INT", "TERM", "HUP", "QUIT", "USR1", "USR2", "ALRM", "PIPE"];

const OLD_FILE: &[u8] = b"the old file\n";

/// Each of them, mid-write or just before the rename of a file output: the
/// temporary file removed, the old file unchanged, the documented message
/// and exit 130.
#[test]
fn every_ending_signal_removes_the_partial_file() {
    for point in ["written", "rename"] {
        for signal in ENDING {
            let root = tempfile::tempdir().unwrap();
            let target = root.path().join("big.jsonl");
            fs::write(&target, OLD_FILE).unwrap();
            let args = [
                "generate",
                "-n",
                "2000",
                "--format",
                "jsonl",
                "-o",
                "big.jsonl",
            ];
            let held = start_held(root.path(), &args, point);
            send(signal, held.child.id());
            let (status, stderr) = held.finish();
            let context = format!("SIG{signal} at {point}: {stderr}");
            assert_eq!(status.code(), Some(130), "{context}");
            assert_no_panic(&stderr, &context);
            assert!(
                stderr.ends_with(
                    "interrupted; removed 2 unfinished output file(s), existing files are unchanged\n"
                ),
                "{context}"
            );
            assert_eq!(fs::read(&target).unwrap(), OLD_FILE, "{context}");
            assert!(
                !root.path().join("big.jsonl.manifest.json").exists(),
                "{context}: the sidecar goes with the file"
            );
            assert_clean(root.path(), &context);
        }
    }
}

/// The same during a directory run, also in the middle of its commit: the
/// files already swapped are put back, the staging directory is removed and
/// the old set stays whole.
#[test]
fn every_ending_signal_keeps_the_old_directory_set() {
    for (format, midway, committing) in DIRECTORY_FORMATS {
        for (signal, hold) in ENDING
            .iter()
            .map(|signal| (*signal, format!("written:{midway}")))
            .chain([
                ("TERM", "rename:out".to_string()),
                ("INT", format!("rename:{committing}")),
            ])
        {
            let root = tempfile::tempdir().unwrap();
            let old = old_set(root.path(), format);
            let held = start_held(root.path(), &generate_dir(format, &NEW), &hold);
            send(signal, held.child.id());
            let (status, stderr) = held.finish();
            let context = format!("{format}: SIG{signal} at {hold}: {stderr}");
            assert_eq!(status.code(), Some(130), "{context}");
            assert!(
                stderr.contains("interrupted; removed 1 unfinished output file(s)"),
                "{context}"
            );
            assert_eq!(snapshot(&root.path().join("out")), old, "{context}");
            assert_clean(root.path(), &context);
        }
    }
}

/// An interrupt while several outputs are being put in place (held before
/// the manifest's rename, after the profiles' and transactions' swaps) takes
/// the swapped ones back: every old file stays.
#[test]
fn an_interrupt_between_the_renames_takes_back_the_outputs_already_swapped() {
    let root = tempfile::tempdir().unwrap();
    let names = ["users.jsonl", "tx.jsonl", "m.json"];
    for name in names {
        fs::write(root.path().join(name), OLD_FILE).unwrap();
    }
    let held = start_held(root.path(), &super::WITH_MANIFEST, "rename:m.json");
    send("TERM", held.child.id());
    let (status, stderr) = held.finish();
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("interrupted; removed 3 unfinished output file(s)"),
        "{stderr}"
    );
    for name in names {
        assert_eq!(
            fs::read(root.path().join(name)).unwrap(),
            OLD_FILE,
            "{name}"
        );
    }
    assert_clean(root.path(), "between the renames");
}

/// `ulimit -f` with SIGXFSZ at its default (which kills a process that
/// passes the limit): the run catches it, so the write fails with EFBIG and
/// the run reports it like a full disk.
#[test]
fn a_file_size_limit_is_the_documented_error_not_a_death() {
    let root = tempfile::tempdir().unwrap();
    let target = root.path().join("out.json");
    fs::write(&target, OLD_FILE).unwrap();
    let args = ["generate", "-n", "2000", "-o", "out.json"];
    let run: Run = super::run_in_shell(root.path(), "ulimit -f 64", &args);
    assert_run(
        &args,
        &run,
        1,
        "error: cannot write out.json: File too large (os error 27)",
    );
    assert_eq!(fs::read(&target).unwrap(), OLD_FILE);
    assert_clean(root.path(), "ulimit -f");
}
