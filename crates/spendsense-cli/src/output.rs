//! Output destinations: stdout, or a file replaced atomically.
//!
//! A file is written to a temporary sibling and renamed over the target only
//! after every byte is written, so a failure or a kill at any moment leaves
//! an existing file untouched. On a clean failure the temporary file is
//! removed when it is dropped. With [`Durability::Synced`] the file is also
//! flushed to disk before the rename, so the new file survives an OS crash or
//! power failure too; that waits for the disk (seconds per gigabyte here), so
//! it is asked for with `--fsync`, like `cp`, `sort -o` and most tools that
//! leave durability to the filesystem by default.
//!
//! An interrupt (Ctrl-C, SIGTERM, SIGHUP) removes every temporary file not
//! yet renamed and exits with status 130; see [`remove_pending_on_interrupt`].
//! Only SIGKILL, which no process can catch, leaves one behind.
//!
//! # Test hooks
//!
//! Debug builds (`debug_assertions`, so every `cargo test` build and never a
//! release binary) can stop or fail a file output at two named points, so
//! the tests of the real binary act at an exact moment instead of racing it:
//!
//! - `written`: the first bytes of a file have reached its temporary file
//!   (the buffer is flushed first, so they are on disk), once per file;
//! - `rename`: every byte is written and the temporary file is about to be
//!   renamed over the target.
//!
//! `SPENDSENSE_TEST_HOLD=POINT[:FILE][,…]` makes the run write
//! `held POINT FILE` (FILE is the target's file name) as a line on stderr at
//! each matching point and then wait for a line on stdin; end of stdin
//! releases this and every later hold. `SPENDSENSE_TEST_FAIL=POINT[:FILE][,…]`
//! makes the write or rename at a matching point fail with an injected error
//! instead, taking the same path as a real failure there (a full disk, a
//! rename refused). Without `:FILE` a point matches every file. With neither
//! variable set nothing changes, and release builds compile all of it out.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result, bail};
use tempfile::TempPath;

/// Buffer for small writes. The pipeline writes batches of hundreds of
/// kilobytes, which `BufWriter` passes straight to the file when they are at
/// least this large, saving a copy of every byte.
const WRITE_BUFFER: usize = 64 << 10;

/// What a committed file survives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Durability {
    /// The rename is atomic for every process; the data reaches the disk
    /// when the kernel writes it back.
    #[default]
    Atomic,
    /// The data is on disk before the rename (`fsync`).
    Synced,
}

/// Temporary files created and not yet renamed into place.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    // A panic while the lock is held leaves the list intact; keep using it.
    PENDING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Makes Ctrl-C, SIGTERM and SIGHUP remove the temporary files of outputs
/// not yet committed, say so on stderr and exit with status 130, as a shell
/// does for an interrupted command. Without this the process would die with
/// a hidden, possibly gigabytes-large, partial file beside the target.
pub fn remove_pending_on_interrupt() {
    // Fails only if a handler is already set, and then that one stands.
    let _ = ctrlc::set_handler(|| {
        let removed = pending()
            .drain(..)
            .filter(|path| fs::remove_file(path).is_ok())
            .count();
        let _ = writeln!(
            io::stderr(),
            "interrupted; removed {removed} unfinished output file(s), existing files are unchanged"
        );
        std::process::exit(130);
    });
}

/// Where output goes.
pub enum Output {
    /// Standard output.
    Stdout(BufWriter<io::Stdout>),
    /// A temporary file that becomes `target` on [`Output::commit`]; dropping
    /// `path` before then deletes it.
    File {
        temp: BufWriter<fs::File>,
        path: TempPath,
        target: PathBuf,
        durability: Durability,
    },
    /// An existing device, pipe or socket (`/dev/null`, a FIFO), written in
    /// place: renaming over it would replace the device with a plain file.
    Special(BufWriter<fs::File>),
}

impl Output {
    /// Opens `path` (`None` or `-` for stdout), refusing unusable paths before anything is generated.
    pub fn open(path: Option<&Path>) -> Result<Output> {
        Output::open_with(path, Durability::default())
    }

    /// [`Output::open`], with the durability a file gets on commit.
    pub fn open_with(path: Option<&Path>, durability: Durability) -> Result<Output> {
        Output::open_as(path, durability, "profiles.json")
    }

    /// [`Output::open_with`] for an output whose usual file name is
    /// `example`, which a directory given as the path is told to add.
    pub fn open_as(path: Option<&Path>, durability: Durability, example: &str) -> Result<Output> {
        let Some(target) = path.filter(|p| p.as_os_str() != "-") else {
            return Ok(Output::Stdout(BufWriter::with_capacity(
                WRITE_BUFFER,
                io::stdout(),
            )));
        };
        if let Ok(metadata) = fs::metadata(target)
            && !metadata.is_file()
            && !metadata.is_dir()
        {
            let file = fs::OpenOptions::new()
                .write(true)
                .open(target)
                .with_context(|| format!("cannot write {}", target.display()))?;
            return Ok(Output::Special(BufWriter::with_capacity(
                WRITE_BUFFER,
                file,
            )));
        }
        // `dir/` names a directory even when it does not exist, and so do
        // `..` and the empty path: there is no file name to write.
        let names_directory =
            target.as_os_str().as_encoded_bytes().ends_with(b"/") || target.file_name().is_none();
        if target.is_dir() || names_directory {
            bail!(
                "output path `{}` names a directory; give a file path such as {}",
                target.display(),
                target.join(example).display()
            );
        }
        let target = &through_links(target);
        let parent = match target.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        if !parent.is_dir() {
            let why = if parent.exists() {
                "is not a directory"
            } else {
                "does not exist"
            };
            bail!(
                "cannot write {}: directory {} {why}",
                target.display(),
                parent.display()
            );
        }
        let temp = tempfile::Builder::new()
            .prefix(&format!(
                ".{}.",
                target
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("output")
            ))
            .suffix(".tmp")
            .tempfile_in(parent)
            .map_err(|err| {
                // tempfile appends the temporary file's name; the user knows the target.
                let text = err.to_string();
                let why = text.split(" at path \"").next().unwrap_or(&text);
                anyhow::anyhow!(
                    "cannot write {}: cannot create a file in directory {}: {why}",
                    target.display(),
                    parent.display()
                )
            })?;
        let (file, path) = temp.into_parts();
        pending().push(path.to_path_buf());
        Ok(Output::File {
            temp: BufWriter::with_capacity(WRITE_BUFFER, file),
            path,
            target: target.to_path_buf(),
            durability,
        })
    }

    /// Makes the output final: flushes stdout, or renames the temporary file
    /// over the target (syncing it first for [`Durability::Synced`]).
    pub fn commit(self) -> Result<()> {
        match self {
            Output::Stdout(mut out) => Ok(out.flush()?),
            Output::Special(mut out) => Ok(out.flush()?),
            Output::File {
                temp,
                path,
                target,
                durability,
            } => {
                let failed = |err: io::Error| cannot_write(&target, err);
                let file = temp.into_inner().map_err(|err| failed(err.into_error()))?;
                if durability == Durability::Synced {
                    file.sync_all().map_err(failed)?;
                }
                set_permissions(&file, &target).map_err(failed)?;
                drop(file);
                let temp_path = path.to_path_buf();
                // An injected failure drops `path`, which removes the file as a failed rename does.
                let persisted = hook::before_rename(&target)
                    .and_then(|()| path.persist(&target).map_err(|err| err.error))
                    .with_context(|| format!("cannot replace {}", target.display()));
                pending().retain(|pending| *pending != temp_path);
                persisted.map(|_| ())
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Stdout(out) => out.write(buf),
            Output::File { temp, target, .. } => {
                let written = temp.write(buf).and_then(|n| {
                    hook::written(temp, target)?;
                    Ok(n)
                });
                written.map_err(|err| cannot_write(target, err))
            }
            Output::Special(out) => out.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Output::Stdout(out) => out.write_all(buf),
            Output::File { temp, target, .. } => temp
                .write_all(buf)
                .and_then(|()| hook::written(temp, target))
                .map_err(|err| cannot_write(target, err)),
            Output::Special(out) => out.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Stdout(out) => out.flush(),
            Output::File { temp, target, .. } => {
                temp.flush().map_err(|err| cannot_write(target, err))
            }
            Output::Special(out) => out.flush(),
        }
    }
}

/// The file a write to `path` lands in: `path` itself or, for a symbolic
/// link, the file it points to (followed link by link, and created if
/// missing), as the shell's `>` does. Renaming over the link itself would
/// replace the link with a plain file.
fn through_links(path: &Path) -> PathBuf {
    let mut path = path.to_path_buf();
    // Past this many links the kernel gives up too (ELOOP); the write then fails with its error.
    for _ in 0..40 {
        let Ok(destination) = fs::read_link(&path) else {
            break;
        };
        path = match path.parent() {
            Some(parent) => parent.join(destination),
            None => destination,
        };
    }
    path
}

/// Whether outputs to `a` and `b` would land in the same file, whatever
/// the spelling (`./x`, `dir/../x`, a symbolic link to it), so that one run
/// cannot write two outputs over each other. An existing device or pipe
/// (`/dev/null`) is written in place, never replaced, so two outputs may share one.
pub fn same_file(a: &Path, b: &Path) -> bool {
    let (a, b) = (landing(a), landing(b));
    let special = fs::metadata(&a).is_ok_and(|m| !m.is_file() && !m.is_dir());
    a == b && !special
}

/// The absolute file a write to `path` replaces: through links, with its
/// directory resolved when it exists.
fn landing(path: &Path) -> PathBuf {
    let path = through_links(path);
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    match (fs::canonicalize(parent), path.file_name()) {
        (Ok(parent), Some(name)) => parent.join(name),
        _ => path,
    }
}

/// Names the target in a write error, keeping its kind (the temporary file's
/// name would only confuse: it is gone once the error is reported).
fn cannot_write(target: &Path, err: io::Error) -> io::Error {
    io::Error::new(
        err.kind(),
        format!("cannot write {}: {err}", target.display()),
    )
}

/// Temporary files are private (0600); the result should look like any file
/// the user creates: the old file's mode when replacing one, else 0644.
fn set_permissions(file: &fs::File, target: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(target)
            .map(|m| m.permissions().mode())
            .unwrap_or(0o644);
        file.set_permissions(fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = (file, target);
    Ok(())
}

/// The output directory of a format that writes several files (`files`
/// names them), created if missing; refused before anything is generated when
/// it is stdout or an existing non-directory.
pub fn output_dir(path: Option<&Path>, format: &str, files: &str) -> Result<PathBuf> {
    let Some(dir) = path.filter(|p| p.as_os_str() != "-") else {
        bail!("--format {format} writes {files}, not stdout; give a directory with -o DIR");
    };
    if dir.exists() && !dir.is_dir() {
        bail!(
            "--format {format} writes {files} into a directory, and {} is not one; give a directory with -o DIR",
            dir.display()
        );
    }
    fs::create_dir_all(dir)
        .with_context(|| format!("cannot create directory {}", dir.display()))?;
    Ok(dir.to_path_buf())
}

/// The test hooks of the module documentation, compiled into debug builds only.
#[cfg(debug_assertions)]
mod hook {
    use std::collections::BTreeSet;
    use std::fs;
    use std::io::{self, BufRead, BufWriter, Write};
    use std::path::{Path, PathBuf};
    use std::sync::{Mutex, OnceLock};

    /// The points, as named in `SPENDSENSE_TEST_HOLD` and `SPENDSENSE_TEST_FAIL`.
    const POINTS: [&str; 2] = ["written", "rename"];

    /// `(point, file name)` pairs from one variable; `None` matches every file.
    type Rules = Vec<(String, Option<String>)>;

    struct Hooks {
        hold: Rules,
        fail: Rules,
    }

    fn hooks() -> &'static Hooks {
        static HOOKS: OnceLock<Hooks> = OnceLock::new();
        HOOKS.get_or_init(|| Hooks {
            hold: rules("SPENDSENSE_TEST_HOLD"),
            fail: rules("SPENDSENSE_TEST_FAIL"),
        })
    }

    fn rules(variable: &str) -> Rules {
        let Ok(value) = std::env::var(variable) else {
            return Vec::new();
        };
        let mut rules = Vec::new();
        for rule in value.split(',').filter(|rule| !rule.is_empty()) {
            let (point, file) = match rule.split_once(':') {
                Some((point, file)) => (point, Some(file.to_string())),
                None => (rule, None),
            };
            if !POINTS.contains(&point) {
                // A misspelt point would otherwise never fire and the test would wait for nothing.
                let _ = writeln!(
                    io::stderr(),
                    "error: {variable}: unknown point `{point}`; points are {}",
                    POINTS.join(", ")
                );
                std::process::exit(2);
            }
            rules.push((point.to_string(), file));
        }
        rules
    }

    fn matches(rules: &Rules, point: &str, name: &str) -> bool {
        rules
            .iter()
            .any(|(p, file)| p == point && file.as_deref().is_none_or(|file| file == name))
    }

    /// Fails, holds or passes at `point` for the output to `target`.
    fn reached(point: &str, target: &Path) -> io::Result<()> {
        let name = target
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        if matches(&hooks().fail, point, &name) {
            return Err(io::Error::other(format!(
                "injected failure (SPENDSENSE_TEST_FAIL={point})"
            )));
        }
        if matches(&hooks().hold, point, &name) {
            let _ = writeln!(io::stderr(), "held {point} {name}");
            // Any line or the end of stdin releases the run; a read error does too.
            let _ = io::stdin().lock().read_line(&mut String::new());
        }
        Ok(())
    }

    /// The `written` point: the first bytes of the output to `target` were written.
    pub(super) fn written(temp: &mut BufWriter<fs::File>, target: &Path) -> io::Result<()> {
        let hooks = hooks();
        if hooks.hold.is_empty() && hooks.fail.is_empty() {
            return Ok(());
        }
        // Once per file: later writes of the same output pass straight through.
        static SEEN: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());
        let first = SEEN
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(target.to_path_buf());
        if !first {
            return Ok(());
        }
        // The test acting at this point expects the bytes in the file, not in our buffer.
        temp.flush()?;
        reached("written", target)
    }

    /// The `rename` point: the temporary file is complete and about to become `target`.
    pub(super) fn before_rename(target: &Path) -> io::Result<()> {
        reached("rename", target)
    }
}

/// Release builds carry no test hooks: every point passes.
#[cfg(not(debug_assertions))]
mod hook {
    use std::io::{self, BufWriter};
    use std::path::Path;

    #[inline(always)]
    pub(super) fn written(_: &mut BufWriter<std::fs::File>, _: &Path) -> io::Result<()> {
        Ok(())
    }

    #[inline(always)]
    pub(super) fn before_rename(_: &Path) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_file_sees_through_spellings_and_links() {
        let dir = tempfile::tempdir().unwrap();
        let path = |name: &str| dir.path().join(name);
        fs::create_dir(path("sub")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(path("target.jsonl"), path("link.jsonl")).unwrap();
        let same = [
            (path("a.jsonl"), path("a.jsonl")),
            (path("a.jsonl"), path("sub/../a.jsonl")),
            (path("a.jsonl"), path("./a.jsonl")),
            #[cfg(unix)]
            (path("link.jsonl"), path("target.jsonl")),
        ];
        for (a, b) in same {
            assert!(same_file(&a, &b), "{a:?} {b:?}");
        }
        assert!(!same_file(&path("a.jsonl"), &path("b.jsonl")));
        assert!(!same_file(&path("a.jsonl"), &path("sub/a.jsonl")));
        #[cfg(unix)]
        assert!(!same_file(Path::new("/dev/null"), Path::new("/dev/null")));
    }

    #[test]
    fn directory_formats_refuse_stdout_and_files_as_the_output() {
        type OutputDir = fn(Option<&Path>) -> Result<PathBuf>;
        let formats: [OutputDir; 2] = [crate::tables::output_dir, crate::sandbox::output_dir];
        for output_dir in formats {
            for path in [None, Some(Path::new("-"))] {
                let err = output_dir(path).unwrap_err().to_string();
                assert!(
                    err.contains("not stdout; give a directory with -o DIR"),
                    "{err}"
                );
            }
            let file = tempfile::NamedTempFile::new().unwrap();
            let err = output_dir(Some(file.path())).unwrap_err().to_string();
            assert!(err.contains("is not one"), "{err}");
        }
    }
}
