//! Failure safety of `generate`: unusable output paths are refused before any
//! work, an existing file survives any failure (a SIGKILL included), no
//! temporary file outlives a clean failure, and a closed stdout is success.

use std::fs;
use std::path::Path;

use crate::{
    Input, Run, assert_no_panic, assert_run, bin, close_stdout_early, feed, finished, run_in,
    start_held, stray_temp_files, temporaries,
};

const OLD: &[u8] = b"the old file, which no failed run may touch\n";

/// Runs `args` in `dir` over an existing `dir/out.json`, then asserts the
/// outcome with [`assert_run`], that `out.json` is byte-identical and that no
/// temporary file is left.
fn check_preserved(dir: &Path, args: &[&str], code: i32, expected: &str) -> Run {
    let target = dir.join("out.json");
    fs::write(&target, OLD).unwrap();
    let run = run_in(dir, args, Input::Nothing);
    assert_run(args, &run, code, expected);
    assert_eq!(fs::read(&target).unwrap(), OLD, "{args:?} changed out.json");
    assert_eq!(
        stray_temp_files(dir),
        Vec::<std::path::PathBuf>::new(),
        "{args:?}"
    );
    run
}

#[test]
fn unusable_output_paths_are_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("sub")).unwrap();
    fs::write(dir.path().join("plain"), b"a file").unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["generate", "-n", "3", "-o", "sub"],
            "error: output path `sub` names a directory; give a file path such as sub/profiles.json",
        ),
        (
            &["generate", "-n", "3", "-o", "."],
            "error: output path `.` names a directory",
        ),
        (
            &["generate", "-n", "3", "-o", ".."],
            "error: output path `..` names a directory",
        ),
        // A trailing slash names a directory even when none exists; without this
        // check the run would generate everything and then fail to rename.
        (
            &["generate", "-n", "3", "-o", "newdir/"],
            "error: output path `newdir/` names a directory; give a file path such as newdir/profiles.json",
        ),
        (
            &["generate", "-n", "3", "-o", "missing/out.json"],
            "error: cannot write missing/out.json: directory missing does not exist",
        ),
        (
            &["generate", "-n", "3", "-o", "plain/out.json"],
            "error: cannot write plain/out.json: directory plain is not a directory",
        ),
        // Arguments are checked before the output is opened.
        (
            &["generate", "-n", "0", "-o", "out.json"],
            "0 users is not allowed",
        ),
    ];
    for (args, expected) in cases {
        check_preserved(dir.path(), args, 2, expected);
    }
    assert!(!dir.path().join("newdir").exists());
    assert!(!dir.path().join("missing").exists());
}

#[cfg(unix)]
#[test]
fn a_read_only_directory_is_refused_or_is_writable_by_a_privileged_user() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked");
    fs::create_dir(&locked).unwrap();
    fs::write(locked.join("out.json"), OLD).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    // root (CAP_DAC_OVERRIDE) writes anyway; find out rather than assume.
    let privileged = fs::write(locked.join("probe"), b"").is_ok();
    let args = ["generate", "-n", "3", "-q", "-o", "locked/out.json"];
    let run = run_in(dir.path(), &args, Input::Nothing);
    if privileged {
        println!(
            "note: running with permission to write a 0555 directory (root?); \
             the refusal of a read-only directory is not observable here"
        );
        assert_run(&args, &run, 0, "");
        assert_ne!(fs::read(locked.join("out.json")).unwrap(), OLD);
    } else {
        assert_run(
            &args,
            &run,
            2,
            "error: cannot write locked/out.json: cannot create a file in directory locked: Permission denied",
        );
        assert_eq!(fs::read(locked.join("out.json")).unwrap(), OLD);
    }
    assert!(stray_temp_files(&locked).is_empty());
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
}

/// A write that fails half-way (here the file size limit, as a full disk
/// would) is a clean failure: exit 1, the target untouched, no temporary file.
#[cfg(unix)]
#[test]
fn a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.json");
    fs::write(&target, OLD).unwrap();
    // Ignore SIGXFSZ so that passing the limit is an EFBIG write error, and
    // cap files at 64 blocks (32 or 64 KiB by shell) against about 2.4 MB.
    let script = r#"trap "" XFSZ; ulimit -f 64 && exec "$0" "$@""#;
    let output = std::process::Command::new("sh")
        .args(["-c", script, env!("CARGO_BIN_EXE_spendsense")])
        .args(["generate", "-n", "2000", "-o", "out.json"])
        .env_remove("RUST_BACKTRACE")
        .current_dir(dir.path())
        .output()
        .unwrap();
    let run = finished(output);
    assert_run(
        &["generate", "over the size limit"],
        &run,
        1,
        "error: cannot write out.json: File too large",
    );
    assert_eq!(fs::read(&target).unwrap(), OLD);
    assert!(
        stray_temp_files(dir.path()).is_empty(),
        "{:?}",
        stray_temp_files(dir.path())
    );
}

/// The rename itself can fail: here the target becomes a directory while the
/// run holds just before its rename. Exit 1, one line, and the temporary file
/// is removed.
#[test]
fn a_failed_rename_is_one_line_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "generate",
        "-n",
        "3",
        "--format",
        "jsonl",
        "-o",
        "out.jsonl",
        "--no-manifest",
    ];
    let mut held = start_held(dir.path(), &args, "rename");
    assert_eq!(held.at, "rename out.jsonl");
    assert_eq!(temporaries(dir.path()).len(), 1);
    fs::create_dir(dir.path().join("out.jsonl")).unwrap();
    held.release();
    let (status, stderr) = held.finish();
    let run = Run {
        code: status.code().unwrap(),
        stdout: String::new(),
        stderr,
    };
    assert_run(
        &["generate", "renamed over a directory"],
        &run,
        1,
        "error: cannot replace out.jsonl: Is a directory",
    );
    assert!(dir.path().join("out.jsonl").is_dir());
    assert!(
        stray_temp_files(dir.path()).is_empty(),
        "{:?}",
        stray_temp_files(dir.path())
    );
}

/// A rename that fails for any other reason (here injected with
/// `SPENDSENSE_TEST_FAIL`) takes the same path: exit 1, one line, the old
/// file byte-identical, no temporary file.
#[test]
fn an_injected_rename_failure_keeps_the_old_file_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.jsonl");
    fs::write(&target, OLD).unwrap();
    for point in ["written", "rename"] {
        let args = [
            "generate",
            "-n",
            "3",
            "--format",
            "jsonl",
            "-o",
            "out.jsonl",
        ];
        let mut command = bin();
        command
            .args(args)
            .current_dir(dir.path())
            .env("SPENDSENSE_TEST_FAIL", point);
        let run = finished(feed(command, Vec::new()));
        let expected = match point {
            "written" => "error: cannot write out.jsonl: injected failure",
            _ => "error: cannot replace out.jsonl: injected failure",
        };
        assert_run(&args, &run, 1, expected);
        assert_eq!(fs::read(&target).unwrap(), OLD, "{point}");
        assert!(stray_temp_files(dir.path()).is_empty(), "{point}");
    }
}

/// With or without `--fsync` (which only adds a flush to disk before the rename).
#[test]
fn a_successful_run_replaces_the_file_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.json");
    let mut outputs = Vec::new();
    for sync in [&[][..], &["--fsync"][..]] {
        fs::write(&target, OLD).unwrap();
        let mut args = vec!["generate", "-n", "7", "--format", "jsonl", "-o", "out.json"];
        args.extend(sync);
        let run = run_in(dir.path(), &args, Input::Nothing);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stderr.starts_with("wrote 7 profiles"), "{}", run.stderr);
        let written = fs::read_to_string(&target).unwrap();
        assert_eq!(written.lines().count(), 7);
        outputs.push(written);
        assert!(stray_temp_files(dir.path()).is_empty());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&target).unwrap().permissions().mode() & 0o777;
            assert_ne!(mode, 0o600, "the temporary file's private mode leaked");
        }
    }
    assert_eq!(outputs[0], outputs[1]);
}

/// `-o link` writes the file the link points to, as the shell's `>` would,
/// and keeps the link; a dangling link gets its file created.
#[cfg(unix)]
#[test]
fn a_symlink_is_written_through_not_replaced() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("real")).unwrap();
    fs::write(dir.path().join("real/data.jsonl"), OLD).unwrap();
    symlink("real/data.jsonl", dir.path().join("link.jsonl")).unwrap();
    symlink("link.jsonl", dir.path().join("chain.jsonl")).unwrap();
    symlink("real/new.jsonl", dir.path().join("dangling.jsonl")).unwrap();
    for (link, file) in [
        ("link.jsonl", "real/data.jsonl"),
        ("chain.jsonl", "real/data.jsonl"),
        ("dangling.jsonl", "real/new.jsonl"),
    ] {
        let args = ["generate", "-n", "3", "--format", "jsonl", "-o", link];
        let run = run_in(dir.path(), &args, Input::Nothing);
        assert_eq!(run.code, 0, "{link}: {}", run.stderr);
        let metadata = fs::symlink_metadata(dir.path().join(link)).unwrap();
        assert!(metadata.file_type().is_symlink(), "{link} was replaced");
        let written = fs::read_to_string(dir.path().join(file)).unwrap();
        assert_eq!(written.lines().count(), 3, "{link} -> {file}");
        assert!(stray_temp_files(dir.path()).is_empty());
        assert!(stray_temp_files(&dir.path().join("real")).is_empty());
    }
}

/// The points at which a run over an existing file is stopped and then
/// signalled: its temporary file holds the first bytes, or every byte and
/// the rename is next.
#[cfg(unix)]
const MID_RUN: [&str; 2] = ["written", "rename"];

/// Starts a run over `dir/big.jsonl` (holding [`OLD`]) that holds at `point`
/// with its temporary file holding data; returns the run and that file.
#[cfg(unix)]
fn start_run_over_old_file(dir: &Path, point: &str) -> (crate::Held, std::path::PathBuf) {
    fs::write(dir.join("big.jsonl"), OLD).unwrap();
    // Several batches (512 profiles each), so `written` is genuinely mid-write.
    let args = [
        "generate",
        "-n",
        "2000",
        "--format",
        "jsonl",
        "-o",
        "big.jsonl",
        "--no-manifest",
    ];
    let held = start_held(dir, &args, point);
    assert_eq!(held.at, format!("{point} big.jsonl"));
    let temps = temporaries(dir);
    assert_eq!(temps.len(), 1, "{temps:?}");
    assert!(
        fs::metadata(&temps[0]).unwrap().len() > 0,
        "{point}: no data"
    );
    (held, temps[0].clone())
}

/// SIGKILL cannot be caught, so only the rename protects the old file: kill
/// a run while it writes its temporary file, or just before the rename, and
/// compare bytes; the next run into the same place removes the leftover.
#[cfg(unix)]
#[test]
fn sigkill_mid_write_leaves_the_old_file_byte_identical() {
    use std::os::unix::process::ExitStatusExt;
    for point in MID_RUN {
        let dir = tempfile::tempdir().unwrap();
        let (mut held, temp) = start_run_over_old_file(dir.path(), point);
        held.child.kill().unwrap(); // SIGKILL on Unix
        let (status, _) = held.finish();
        assert_eq!(
            status.signal(),
            Some(9),
            "{point}: the run was not killed: {status:?}"
        );
        let target = dir.path().join("big.jsonl");
        assert_eq!(
            fs::read(&target).unwrap(),
            OLD,
            "{point}: the old file changed"
        );
        // The killed run could not clean up; its partial file is a hidden
        // sibling, never the target, and the next run into the same place
        // removes it and says so.
        assert!(temp.exists(), "{point}");
        assert_ne!(temp, target);
        let args = [
            "generate",
            "-n",
            "3",
            "--format",
            "jsonl",
            "-o",
            "big.jsonl",
        ];
        let run = run_in(dir.path(), &args, Input::Nothing);
        assert_run(&args, &run, 0, "");
        let name = temp.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            run.stderr.starts_with("note: removed ./")
                && run.stderr.contains(&name)
                && run
                    .stderr
                    .contains("left by an earlier spendsense run that was killed"),
            "{point}: {}",
            run.stderr
        );
        assert!(stray_temp_files(dir.path()).is_empty(), "{point}");
        assert_eq!(fs::read_to_string(&target).unwrap().lines().count(), 3);
    }
}

/// Ctrl-C, `kill` and a closed terminal: the run removes its partial file,
/// says so and exits 130, and the old file is untouched.
#[cfg(unix)]
#[test]
fn an_interrupt_mid_write_removes_the_partial_file_and_keeps_the_old_one() {
    for point in MID_RUN {
        for signal in ["INT", "TERM", "HUP"] {
            let dir = tempfile::tempdir().unwrap();
            let (held, temp) = start_run_over_old_file(dir.path(), point);
            let sent = std::process::Command::new("kill")
                .args(["-s", signal, &held.child.id().to_string()])
                .status()
                .unwrap();
            assert!(sent.success(), "kill -s {signal} failed");
            // Never released: only the signal ends the run, so it cannot commit first.
            let (status, stderr) = held.finish();
            let context = format!("SIG{signal} at {point}: {stderr}");
            assert_eq!(status.code(), Some(130), "{context}");
            assert_no_panic(&stderr, &context);
            assert!(
                stderr.contains("interrupted; removed 1 unfinished output file(s)"),
                "{context}"
            );
            assert!(!temp.exists(), "{context}: left {}", temp.display());
            assert!(stray_temp_files(dir.path()).is_empty(), "{context}");
            assert_eq!(
                fs::read(dir.path().join("big.jsonl")).unwrap(),
                OLD,
                "{context}"
            );
        }
    }
}

/// `spendsense generate | head -c 100`: the reader leaves, the writer stops
/// quietly with success.
#[test]
fn a_closed_stdout_pipe_exits_0_quietly() {
    for format in ["json", "jsonl"] {
        let mut command = bin();
        command.args(["generate", "-n", "20000", "--format", format]);
        let (status, stderr) = close_stdout_early(command, Vec::new(), 100);
        assert_no_panic(&stderr, &stderr);
        assert_eq!(status.code(), Some(0), "{format}: {stderr}");
        assert_eq!(stderr, "", "{format}: not quiet");
    }
}

/// A FIFO (or a device such as /dev/null) is written in place: renaming a
/// temporary file over it would replace it with a plain file.
#[cfg(unix)]
#[test]
fn a_fifo_is_written_in_place_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read(fifo).unwrap())
    };
    let run = run_in(
        dir.path(),
        &["generate", "-n", "3", "--format", "jsonl", "-o", "pipe"],
        Input::Nothing,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bytes = reader.join().unwrap();
    assert_eq!(String::from_utf8(bytes).unwrap().lines().count(), 3);
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(stray_temp_files(dir.path()).is_empty());
}
