//! Details users hit: durability of the rename, long names, unwritable
//! directories, a full, closed or broken stdout, and seeds past 2^53.

use std::fs;
use std::process::{Command, Stdio};

use super::{assert_clean, run_with};
use crate::{Input, Run, assert_no_panic, assert_run, bin, finished, run_in, sample_jsonl};

/// `--fsync` syncs the directory after the renames (the `dirsync` point,
/// failed here, is reached), for a file and for a directory output; without
/// `--fsync` it is not reached.
#[test]
fn fsync_syncs_the_directory_after_the_rename() {
    let cases: [(&[&str], &str, &str); 2] = [
        (
            &["generate", "-n", "3", "-q", "-o", "out.json"],
            ".",
            "out.json",
        ),
        (
            &["generate", "-n", "3", "-q", "--format", "csv", "-o", "out"],
            "out",
            "out",
        ),
    ];
    for (args, synced_dir, name) in cases {
        let root = tempfile::tempdir().unwrap();
        let fail = [("SPENDSENSE_TEST_FAIL", "dirsync")];
        let run = run_with(root.path(), args, &fail);
        assert_run(args, &run, 0, "");
        let mut synced = args.to_vec();
        synced.push("--fsync");
        let run = run_with(root.path(), &synced, &fail);
        assert_run(
            &synced,
            &run,
            1,
            &format!(
                "error: cannot sync directory {synced_dir} after replacing {name}: injected failure"
            ),
        );
        let run = run_in(root.path(), &synced, Input::Nothing);
        assert_run(&synced, &run, 0, "");
        assert_clean(root.path(), name);
    }
}

/// A legal name of up to 255 bytes works: the temporary siblings' names are
/// shortened to fit too.
#[test]
fn names_up_to_the_filesystem_limit_work() {
    for length in [250, 255] {
        let root = tempfile::tempdir().unwrap();
        let file = format!("{}.json", "a".repeat(length - 5));
        let dir = "d".repeat(length);
        for args in [
            vec!["generate", "-n", "3", "-q", "-o", file.as_str()],
            vec![
                "generate",
                "-n",
                "3",
                "-q",
                "--format",
                "csv",
                "-o",
                dir.as_str(),
            ],
        ] {
            for _ in 0..2 {
                let run = run_in(root.path(), &args, Input::Nothing);
                assert_run(&args, &run, 0, "");
            }
        }
        assert!(root.path().join(&file).is_file());
        assert!(root.path().join(&dir).join("users.csv").is_file());
        // The sidecar's name would pass the limit: there is none, and the
        // run says so unless -q.
        let sidecar = format!("{file}.manifest.json");
        assert!(!root.path().join(&sidecar).exists());
        let args = ["generate", "-n", "3", "-o", file.as_str()];
        let run = run_in(root.path(), &args, Input::Nothing);
        assert!(
            run.stderr.starts_with(&format!(
                "note: no manifest written: {sidecar} would be a file name of"
            )),
            "{}",
            run.stderr
        );
        assert!(root.path().join(&dir).join("manifest.json").is_file());
        assert_clean(root.path(), &length.to_string());
    }
}

/// An existing directory the user may not write is refused before any work
/// (exit 2), for a file output in it and for a directory output that would
/// replace it. Root may write anywhere, so as root the run drops to user
/// nobody with `setpriv` when it can.
#[cfg(unix)]
#[test]
fn an_unwritable_directory_is_a_usage_error() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().unwrap();
    fs::set_permissions(root.path(), fs::Permissions::from_mode(0o777)).unwrap();
    let locked = root.path().join("locked");
    let args = [
        "generate", "--format", "csv", "-n", "3", "-q", "-o", "locked",
    ];
    assert_run(&args, &run_in(root.path(), &args, Input::Nothing), 0, "");
    let old = super::snapshot(&locked);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    let privileged = fs::write(locked.join("probe"), b"").is_ok();
    let _ = fs::remove_file(locked.join("probe"));
    let as_user = |args: &[&str]| -> Option<Run> {
        let mut command = if privileged {
            let setpriv = Command::new("setpriv").arg("--version").output();
            if !setpriv.is_ok_and(|o| o.status.success()) {
                return None;
            }
            let mut command = Command::new("setpriv");
            command
                .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(env!("CARGO_BIN_EXE_spendsense"));
            command
        } else {
            bin()
        };
        command
            .args(args)
            .current_dir(root.path())
            .env_remove("RUST_BACKTRACE");
        Some(finished(command.output().unwrap()))
    };
    let cases: [(&[&str], &str); 2] = [
        (
            &["generate", "--format", "csv", "-n", "3", "-o", "locked"],
            "error: cannot write locked: directory locked is not writable: Permission denied (os error 13)",
        ),
        (
            &["generate", "-n", "3", "-o", "locked/out.json"],
            "error: cannot write locked/out.json: cannot create a file in directory locked: Permission denied (os error 13)",
        ),
    ];
    for (args, expected) in cases {
        let Some(run) = as_user(args) else {
            println!("note: root without setpriv; an unwritable directory is not observable here");
            return;
        };
        assert_run(args, &run, 2, expected);
        assert_eq!(super::snapshot(&locked), old);
    }
    assert_clean(root.path(), "locked");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
}

/// Runs `args` with stdout going to `stdout`.
fn run_to(args: &[&str], stdout: Stdio) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let output = bin()
        .args(args)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    finished(output)
}

/// Help, version and data written to a full disk (`/dev/full`) fail with
/// exit 1 and an error naming where; `-o /dev/full` names the device.
#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_or_device_is_an_error_naming_it() {
    let full = || {
        Stdio::from(
            fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
    };
    for args in [
        &["--help"][..],
        &["--version"][..],
        &["generate", "--help"][..],
        &["generate", "-h"][..],
    ] {
        let run = run_to(args, full());
        assert_run(
            args,
            &run,
            1,
            "error: cannot write to stdout: No space left on device (os error 28)",
        );
    }
    let args = ["generate", "-n", "3"];
    let run = run_to(&args, full());
    assert_run(
        &args,
        &run,
        1,
        "error: cannot write stdout: No space left on device (os error 28)",
    );
    let args = ["generate", "-n", "3", "-o", "/dev/full"];
    let run = run_to(&args, Stdio::null());
    assert_run(
        &args,
        &run,
        1,
        "error: cannot write /dev/full: No space left on device (os error 28)",
    );
}

/// A closed stdout (`>&-`) is not success: the data would vanish. Help and
/// version fail the same way; a run whose data goes to a file is unaffected.
#[cfg(unix)]
#[test]
fn a_closed_stdout_fails_instead_of_claiming_success() {
    let root = tempfile::tempdir().unwrap();
    let cases: [(&[&str], i32, &str); 6] = [
        (
            &["generate", "-n", "3"],
            2,
            "error: stdout is closed, so the output would be lost; give a file with -o PATH",
        ),
        (
            &["report", "u.jsonl", "-o", "-"],
            2,
            "error: stdout is closed",
        ),
        (
            &["personas", "--format", "json"],
            2,
            "error: stdout is closed, so the output would be lost",
        ),
        (
            &["--help"],
            1,
            "error: cannot write to stdout: Bad file descriptor",
        ),
        (
            &["--version"],
            1,
            "error: cannot write to stdout: Bad file descriptor",
        ),
        (&["generate", "-n", "3", "-q", "-o", "u.json"], 0, ""),
    ];
    fs::write(root.path().join("u.jsonl"), sample_jsonl()).unwrap();
    for (args, code, expected) in cases {
        let run = super::run_in_shell(root.path(), "exec >&-", args);
        // assert_run looks for `expected` on stdout on success; there is no stdout.
        if code == 0 {
            assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
            assert_no_panic(&run.stderr, &run.stderr);
            assert!(root.path().join("u.json").is_file());
        } else {
            assert_run(args, &run, code, expected);
        }
    }
}

/// `report -o -` writes the page to stdout and says so.
#[test]
fn report_to_stdout_says_stdout() {
    let args = ["report", "-", "-o", "-"];
    let run = crate::run(&args, Input::Stdin(sample_jsonl().into()));
    assert_run(&args, &run, 0, "<!DOCTYPE html>");
    assert!(run.stderr.ends_with("to stdout\n"), "{}", run.stderr);
    assert!(!run.stderr.contains("stdin"), "{}", run.stderr);
}

/// A reader that has gone (`| head -c 10` after it read, here before the
/// first byte) ends every command quietly with exit 0, as for ripgrep:
/// no "Broken pipe", whatever wrote (serde_json, clap or the pipeline).
#[test]
fn a_closed_pipe_on_stdout_is_a_quiet_exit() {
    for args in [
        &["personas", "--format", "json"][..],
        &["personas"][..],
        &["schema"][..],
        &["fingerprint"][..],
        &["--help"][..],
        &["--version"][..],
        &["generate", "-n", "3"][..],
        &["generate", "-n", "3", "--format", "jsonl"][..],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let run = run_to(args, Stdio::from(writer));
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert_eq!(run.stderr, "", "{args:?}: not quiet");
    }
}

/// The manifest's seed past 2^53, which JSON readers that parse numbers as
/// doubles round, is also written as text, `seed_string`; `seed` stays the
/// exact number for readers that have integers.
#[test]
fn a_seed_past_2_to_the_53_reads_back_exactly() {
    for seed in [0_u64, 9_007_199_254_740_993, u64::MAX] {
        let root = tempfile::tempdir().unwrap();
        let seed_text = seed.to_string();
        let args = [
            "generate",
            "-n",
            "2",
            "-q",
            "--seed",
            seed_text.as_str(),
            "-o",
            "u.json",
            "--manifest",
            "m.json",
        ];
        assert_run(&args, &run_in(root.path(), &args, Input::Nothing), 0, "");
        let text = fs::read_to_string(root.path().join("m.json")).unwrap();
        let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(manifest["seed_string"], seed_text.as_str());
        assert_eq!(manifest["seed"].as_u64(), Some(seed));
        assert!(text.contains(&format!("\"seed\": {seed},")), "{text}");
    }
}
