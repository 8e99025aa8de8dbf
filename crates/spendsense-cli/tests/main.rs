//! Integration tests of the real `spendsense` binary: hostile arguments,
//! hostile input files and failure safety of the output, plus a property test
//! (fuzzing) of profile parsing and validation, and the transactions file
//! beside the profiles.
//!
//! Almost every case goes through one data-driven helper, [`check`], which
//! runs the binary and asserts the exit code, that an error is one line on
//! stderr naming the problem, and that nothing panicked.
//!
//! Modules live in `tests/<name>/mod.rs`: Cargo would build a `tests/<name>.rs`
//! as a test binary of its own, and this crate keeps one.

mod args;
mod configure;
mod conventions;
mod fuzz;
mod hostile;
mod manifest;
mod output;
mod parquet;
mod report;
mod scale;
mod sqlite;
mod terminal;
mod transactions;
mod validate;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, ChildStdin, Command, ExitStatus, Output, Stdio};
use std::sync::OnceLock;

/// The binary under test, built by Cargo before the tests run.
fn bin() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_spendsense"));
    // A panic would print its `RUST_BACKTRACE` hint only when the variable is unset.
    command.env_remove("RUST_BACKTRACE");
    command
}

/// What the binary reads.
enum Input {
    /// Nothing: stdin is empty.
    Nothing,
    /// These bytes on stdin.
    Stdin(Vec<u8>),
    /// A file of this name and content in the working directory.
    File(&'static str, Vec<u8>),
}

/// A finished run.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the binary with `args` in a fresh temporary working directory.
fn run(args: &[&str], input: Input) -> Run {
    let dir = tempfile::tempdir().unwrap();
    run_in(dir.path(), args, input)
}

fn run_in(dir: &Path, args: &[&str], input: Input) -> Run {
    let mut command = bin();
    command.args(args).current_dir(dir);
    let stdin = match input {
        Input::Nothing => Vec::new(),
        Input::Stdin(bytes) => bytes,
        Input::File(name, bytes) => {
            fs::write(dir.join(name), bytes).unwrap();
            Vec::new()
        }
    };
    finished(feed(command, stdin))
}

/// A finished process as a [`Run`].
fn finished(output: Output) -> Run {
    Run {
        code: output
            .status
            .code()
            .expect("the binary was not killed by a signal"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs `command` with `stdin` written from another thread, so inputs larger
/// than a pipe buffer cannot deadlock against the child's output.
fn feed(mut command: Command, stdin: Vec<u8>) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        // The child may stop reading early (that is often the point); a broken pipe is fine.
        let _ = pipe.write_all(&stdin);
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    output
}

/// The one assertion every case shares.
///
/// Exit code `code`; stderr never mentions a panic or a backtrace. For exit 2
/// stderr is exactly one line, `error: …`, containing `expected`. For exit 1
/// `expected` is in the one-line stderr error or, when stderr is empty, in the
/// violation report on stdout. For exit 0 `expected` is on stdout and stderr
/// holds no error.
fn check(args: &[&str], input: Input, code: i32, expected: &str) -> Run {
    let run = run(args, input);
    assert_run(args, &run, code, expected);
    run
}

fn assert_run(args: &[&str], run: &Run, code: i32, expected: &str) {
    let context = format!(
        "spendsense {args:?}\n--- exit {}\n--- stderr\n{}\n--- stdout (start)\n{}",
        run.code,
        run.stderr,
        run.stdout.chars().take(2000).collect::<String>()
    );
    assert_eq!(run.code, code, "{context}");
    assert_no_panic(&run.stderr, &context);
    if code == 0 {
        assert!(
            !run.stderr.contains("error"),
            "an error on success\n{context}"
        );
        assert!(
            run.stdout.contains(expected),
            "expected `{expected}` on stdout\n{context}"
        );
    } else if code == 2 || !run.stderr.is_empty() {
        assert_one_line_error(&run.stderr, &context);
        assert!(
            run.stderr.contains(expected),
            "expected `{expected}` in stderr\n{context}"
        );
    } else {
        assert!(
            run.stdout.contains(expected),
            "expected `{expected}` in the report\n{context}"
        );
    }
}

fn assert_no_panic(stderr: &str, context: &str) {
    // `internal error` is how the binary reports a panic it caught.
    for forbidden in [
        "panicked",
        "RUST_BACKTRACE",
        "stack backtrace",
        "internal error",
    ] {
        assert!(
            !stderr.contains(forbidden),
            "`{forbidden}` in stderr\n{context}"
        );
    }
}

fn assert_one_line_error(stderr: &str, context: &str) {
    assert!(
        stderr.starts_with("error: "),
        "stderr is not `error: …`\n{context}"
    );
    assert!(
        stderr.ends_with('\n'),
        "stderr does not end with a newline\n{context}"
    );
    assert_eq!(
        stderr.lines().count(),
        1,
        "stderr is not one line\n{context}"
    );
    assert!(
        stderr.len() < 1000,
        "a one-line error of {} bytes\n{context}",
        stderr.len()
    );
}

/// Five valid profiles (seed 42) as JSON Lines, generated once by the binary.
fn sample_jsonl() -> &'static str {
    static SAMPLE: OnceLock<String> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let output = bin()
            .args([
                "generate", "-n", "5", "--seed", "42", "--format", "jsonl", "-q",
            ])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    })
}

/// The same five profiles as one pretty-printed JSON array.
fn sample_json() -> &'static str {
    static SAMPLE: OnceLock<String> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let output = bin()
            .args([
                "generate", "-n", "5", "--seed", "42", "--format", "json", "-q",
            ])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    })
}

/// The sample profiles as values, to change one thing at a time.
fn sample_values() -> Vec<serde_json::Value> {
    sample_jsonl()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// A run of the binary stopped at a test hold point: it has written
/// `held POINT FILE` on stderr and waits for stdin, so a test acts at exactly
/// that moment instead of polling for it. The points and the
/// `SPENDSENSE_TEST_HOLD` / `SPENDSENSE_TEST_FAIL` variables are documented
/// in the binary's `src/output/mod.rs`; they exist in debug builds only.
struct Held {
    child: Child,
    /// Open while the run may hold; its end releases every hold.
    stdin: Option<ChildStdin>,
    stderr: BufReader<ChildStderr>,
    /// What the run wrote on stderr before holding.
    before: String,
    /// `POINT FILE` of the hold reached.
    at: String,
}

/// Starts `spendsense args` in `dir` with `SPENDSENSE_TEST_HOLD=hold` and
/// returns once it holds.
fn start_held(dir: &Path, args: &[&str], hold: &str) -> Held {
    let mut child = bin()
        .args(args)
        .current_dir(dir)
        .env("SPENDSENSE_TEST_HOLD", hold)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut held = Held {
        child,
        stdin,
        stderr,
        before: String::new(),
        at: String::new(),
    };
    loop {
        let mut line = String::new();
        if held.stderr.read_line(&mut line).unwrap() == 0 {
            let status = held.child.wait().unwrap();
            panic!(
                "spendsense {args:?} ended ({status}) without holding at {hold}; \
                 a release build has no hold points\n{}",
                held.before
            );
        }
        if let Some(at) = line.strip_prefix("held ") {
            held.at = at.trim_end().to_string();
            return held;
        }
        held.before.push_str(&line);
    }
}

impl Held {
    /// Lets the run go on, past this hold and any later one.
    fn release(&mut self) {
        self.stdin = None;
    }

    /// Waits for the run to end, after [`Held::release`] or a signal (a run
    /// neither released nor signalled waits forever). Returns its status and
    /// stderr without `held` lines.
    fn finish(mut self) -> (ExitStatus, String) {
        let mut rest = String::new();
        self.stderr.read_to_string(&mut rest).unwrap();
        let status = self.child.wait().unwrap();
        // Released only now: ending stdin before a signal is handled would let
        // the run go on and perhaps commit first.
        drop(self.stdin);
        let mut stderr = self.before;
        for line in rest.split_inclusive('\n') {
            if !line.starts_with("held ") {
                stderr.push_str(line);
            }
        }
        (status, stderr)
    }
}

/// Entries in `dir` whose names look like an output's siblings: temporary
/// files and staging directories (`.NAME.spendsense-tmp-XXXXXX`), old
/// directories moved aside (`-old-`), locks (`.NAME.spendsense-lock`), and
/// the temporary files of earlier versions (`.NAME.XXXXXX.tmp`).
fn stray_temp_files(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.starts_with('.') && (name.ends_with(".tmp") || name.contains(".spendsense-"))
        })
        .collect();
    found.sort();
    found
}

/// The temporary files and staging directories in `dir`
/// (`.NAME.spendsense-tmp-XXXXXX`), which a run holds while it writes.
fn temporaries(dir: &Path) -> Vec<PathBuf> {
    stray_temp_files(dir)
        .into_iter()
        .filter(|path| path.to_string_lossy().contains(".spendsense-tmp-"))
        .collect()
}

/// Runs `command` as `command | head -c 10` would: `stdin` is fed from a
/// thread and must be read whole, and stdout is closed after its first
/// `wanted` bytes (asserted to arrive). Returns the exit status and stderr.
fn close_stdout_early(mut command: Command, stdin: Vec<u8>, wanted: usize) -> (ExitStatus, String) {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || pipe.write_all(&stdin));
    let mut stdout = child.stdout.take().unwrap();
    assert_eq!(read_some(&mut stdout, wanted).len(), wanted);
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    writer.join().unwrap().unwrap();
    (status, stderr)
}

/// Reads from `reader` until `wanted` bytes arrived (or the end), then returns them.
fn read_some(reader: &mut impl Read, wanted: usize) -> Vec<u8> {
    let mut got = vec![0; wanted];
    let mut filled = 0;
    while filled < wanted {
        match reader.read(&mut got[filled..]).unwrap() {
            0 => break,
            n => filled += n,
        }
    }
    got.truncate(filled);
    got
}

#[test]
fn the_sample_is_valid() {
    check(
        &["validate", "-"],
        Input::Stdin(sample_jsonl().into()),
        0,
        "",
    );
    check(
        &["validate", "-"],
        Input::Stdin(sample_json().into()),
        0,
        "",
    );
    assert_eq!(sample_values().len(), 5);
}
