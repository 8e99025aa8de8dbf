//! Output destinations: stdout, or files and directories committed
//! atomically, one run at a time.
//!
//! A file output is written to a temporary sibling, a directory output
//! (`--format csv`, `--format plaid-sandbox`) to a staging directory inside
//! it, and each is put in place by atomic renames only after every byte is
//! written, so a failure or a kill at any moment leaves the old version
//! whole: a directory ends as the complete old set of files or the complete
//! new one, never a mixture ([`journal`] takes back a commit a SIGKILL
//! interrupted). The outputs of one run are committed together
//! ([`commit_all`], see [`commit`]): none is replaced before all are
//! written, and one that cannot be put in place takes back the others.
//! With [`Durability::Synced`] every file is flushed to disk before the
//! renames and the directory after them, so the result survives an OS crash
//! or power failure too; that waits for the disk (seconds per gigabyte
//! here), so it is asked for with `--fsync`, like `cp`, `sort -o` and most
//! tools that leave durability to the filesystem by default.
//!
//! The siblings' names ([`names`]) fit any legal target name, and a lock
//! ([`lock`]) keeps a second run from writing the same target at the same
//! time; holding it, a run removes the temporaries a killed run left.
//! Files are only ever created new (`O_EXCL`), inside a staging directory or
//! as a temporary sibling, so no link planted under a name the tool chooses
//! is ever written through.
//!
//! A signal that ends a run (Ctrl-C and the other terminating signals, see
//! [`signals`]) removes every temporary file and staging directory not yet
//! committed and exits with status 130. Only SIGKILL, which no process can
//! catch, leaves them behind, for the next run into the same place to remove.
//!
//! # Test hooks
//!
//! Debug builds (`debug_assertions`, so every `cargo test` build and never a
//! release binary) can stop or fail a file output at three named points, so
//! the tests of the real binary act at an exact moment instead of racing it:
//!
//! - `written`: the first bytes of a file have reached its temporary file
//!   (the buffer is flushed first, so they are on disk), once per file; a
//!   file of a directory output is named by its own name (`users.csv`);
//! - `rename`: every byte is written and the temporary file (or staging
//!   directory) is about to be renamed over the target;
//! - `dirsync`: with `--fsync`, every output of the run is in place and the
//!   target's directory is about to be synced.
//!
//! `SPENDSENSE_TEST_HOLD=POINT[:FILE][,…]` makes the run write
//! `held POINT FILE` (FILE is the target's file name) as a line on stderr at
//! each matching point and then wait for a line on stdin; end of stdin
//! releases this and every later hold. `SPENDSENSE_TEST_FAIL=POINT[:FILE][,…]`
//! makes the write or rename at a matching point fail with an injected error
//! instead, taking the same path as a real failure there (a full disk, a
//! rename refused). Without `:FILE` a point matches every file. With neither
//! variable set nothing changes, and release builds compile all of it out.

mod collide;
mod commit;
mod dir;
mod hook;
mod journal;
mod lock;
mod names;
pub mod signals;

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

pub use collide::{refuse_overwriting_inputs, refuse_overwriting_report_inputs, same_file};
use commit::{Kind, Staged};
pub use dir::{DirFile, DirOutput};

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
    /// The data is on disk before the rename (`fsync`), and the rename after it.
    Synced,
}

/// Where output goes.
pub enum Output {
    /// Standard output.
    Stdout(BufWriter<io::Stdout>),
    /// A temporary file that becomes its target on [`Output::commit`];
    /// dropping it before then deletes it.
    File {
        temp: BufWriter<fs::File>,
        staged: Staged,
    },
    /// An existing device, pipe or socket (`/dev/null`, a FIFO), written in
    /// place: renaming over it would replace the device with a plain file.
    Special {
        out: BufWriter<fs::File>,
        target: PathBuf,
    },
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
            if stdout_is_closed() {
                bail!("stdout is closed, so the output would be lost; give a file with -o PATH");
            }
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
            return Ok(Output::Special {
                out: BufWriter::with_capacity(WRITE_BUFFER, file),
                target: target.to_path_buf(),
            });
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
        let parent = commit::parent(target);
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
        let stem = names::stem(target.file_name().unwrap_or_default());
        let lock = lock_and_sweep(&parent, &stem, target, "a file", None)?;
        let temp = tempfile::Builder::new()
            .prefix(&names::temp_prefix(&stem))
            .suffix("")
            .rand_bytes(names::RANDOM)
            .tempfile_in(&parent)
            .map_err(|err| cannot_create(target, &parent, "a file", err))?;
        let (file, path) = temp.into_parts();
        let temp_path = path.keep().map_err(|err| err.error)?;
        let staged = Staged::new(
            temp_path,
            target.clone(),
            target.clone(),
            Kind::File,
            durability,
            lock,
        );
        Ok(Output::File {
            temp: BufWriter::with_capacity(WRITE_BUFFER, file),
            staged,
        })
    }

    /// The staged file of a file output, for a writer that needs a path
    /// rather than a `Write` (SQLite opens it by name): `None` for stdout
    /// and devices. It exists, created new by [`Output::open_as`], and the
    /// writer must have closed it before [`commit_all`], which syncs it
    /// (through this output's own descriptor of the same file) and puts it
    /// in place like any other; dropping the output removes it. The writer
    /// must create nothing beside it: only this name is staged.
    pub fn staged_path(&self) -> Option<&Path> {
        match self {
            Output::File { staged, .. } => Some(&staged.temp),
            Output::Stdout(_) | Output::Special { .. } => None,
        }
    }

    /// Makes the output final: flushes stdout, or renames the temporary file
    /// over the target (syncing it first for [`Durability::Synced`]).
    pub fn commit(self) -> Result<()> {
        commit_all(vec![self])
    }
}

/// Commits a run's outputs together: every one is flushed (and synced)
/// before the first is put in place, and they replace their targets all or
/// none (see [`commit`]). Stdout and devices are flushed in order.
pub fn commit_all(outputs: Vec<Output>) -> Result<()> {
    commit::commit(flushed(outputs)?)
}

/// Flushes (and syncs) every output, returning the files to put in place.
fn flushed(outputs: Vec<Output>) -> Result<Vec<Staged>> {
    let mut staged = Vec::new();
    for output in outputs {
        match output {
            Output::Stdout(mut out) => out.flush().map_err(cannot_write_stdout)?,
            Output::Special { mut out, target } => {
                out.flush().map_err(|err| cannot_write(&target, err))?
            }
            Output::File { temp, staged: file } => {
                let failed = |err: io::Error| cannot_write(&file.target, err);
                let temp = temp.into_inner().map_err(|err| failed(err.into_error()))?;
                if file.durability == Durability::Synced {
                    temp.sync_all().map_err(failed)?;
                }
                set_permissions(&temp, &file.target).map_err(failed)?;
                staged.push(file);
            }
        }
    }
    Ok(staged)
}

/// Takes the lock of a target in `place` (its directory, or for a
/// directory output the directory itself) and removes what killed runs into
/// it left: `stem` names the siblings (see [`names`]), `shown` the target in
/// messages, `what` what the run will create there (`a file`, `a
/// directory`). For a directory output, `set` is the directory, into which
/// an unfinished commit a killed run left is taken back first.
fn lock_and_sweep(
    place: &Path,
    stem: &str,
    shown: &Path,
    what: &str,
    set: Option<&Path>,
) -> Result<lock::Lock> {
    if let Err(err) = fs::metadata(place).and_then(|_| check_writable(place)) {
        return Err(cannot_create(shown, place, what, err));
    }
    let lock = lock::Lock::take(names::lock(place, stem), shown)?;
    let leftovers = names::leftovers(place, stem)
        .with_context(|| format!("cannot read directory {}", place.display()))?;
    for leftover in leftovers {
        let escaped =
            |path: &Path| spendsense_schema::text::escape(&path.display().to_string()).into_owned();
        if let Some(set) = set
            && journal::roll_back(&leftover, set, false).with_context(|| {
                format!(
                    "cannot take back the unfinished commit in {}",
                    escaped(&leftover)
                )
            })?
        {
            note(&format!(
                "took back the unfinished commit of {} that a killed spendsense run left; its files are the earlier set again",
                escaped(shown)
            ));
        }
        let removed = match fs::symlink_metadata(&leftover) {
            Ok(metadata) if metadata.is_dir() => fs::remove_dir_all(&leftover),
            _ => fs::remove_file(&leftover),
        };
        if removed.is_ok() {
            note(&format!(
                "removed {}, left by an earlier spendsense run that was killed",
                escaped(&leftover)
            ));
        }
    }
    Ok(lock)
}

/// A line on stderr that is not an error: the run goes on.
fn note(text: &str) {
    let _ = writeln!(io::stderr(), "note: {text}");
}

/// Whether this process may create entries in `dir` (root may anywhere).
fn check_writable(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    rustix::fs::access(dir, rustix::fs::Access::WRITE_OK)?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// The error of a temporary sibling that cannot be created in `parent`.
fn cannot_create(target: &Path, parent: &Path, what: &str, err: io::Error) -> anyhow::Error {
    // tempfile appends the temporary file's name; the user knows the target.
    let text = err.to_string();
    let why = text.split(" at path \"").next().unwrap_or(&text);
    anyhow::anyhow!(
        "cannot write {}: cannot create {what} in directory {}: {why}",
        target.display(),
        parent.display()
    )
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Stdout(out) => out.write(buf).map_err(cannot_write_stdout),
            Output::File { temp, staged } => {
                let written = temp.write(buf).and_then(|n| {
                    hook::written(temp, &staged.target)?;
                    Ok(n)
                });
                written.map_err(|err| cannot_write(&staged.target, err))
            }
            Output::Special { out, target } => {
                out.write(buf).map_err(|err| cannot_write(target, err))
            }
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Output::Stdout(out) => out.write_all(buf).map_err(cannot_write_stdout),
            Output::File { temp, staged } => temp
                .write_all(buf)
                .and_then(|()| hook::written(temp, &staged.target))
                .map_err(|err| cannot_write(&staged.target, err)),
            Output::Special { out, target } => {
                out.write_all(buf).map_err(|err| cannot_write(target, err))
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Stdout(out) => out.flush(),
            Output::File { temp, staged } => temp
                .flush()
                .map_err(|err| cannot_write(&staged.target, err)),
            Output::Special { out, target } => out.flush().map_err(|err| cannot_write(target, err)),
        }
    }
}

/// Whether stdout was closed when the program started (`>&-`). The Rust
/// runtime then opens `/dev/null` in its place, read-write, so that writes
/// would vanish without an error; a shell's `>/dev/null` opens it write-only.
pub fn stdout_is_closed() -> bool {
    #[cfg(unix)]
    {
        use rustix::fs::{OFlags, fcntl_getfl, fstat, stat};
        let stdout = io::stdout();
        let (Ok(ours), Ok(null), Ok(flags)) =
            (fstat(&stdout), stat("/dev/null"), fcntl_getfl(&stdout))
        else {
            return false;
        };
        let is_null = ours.st_rdev == null.st_rdev
            && (ours.st_mode & 0o170000) == (null.st_mode & 0o170000)
            && ours.st_mode & 0o170000 == 0o020000;
        is_null && flags & OFlags::RWMODE == OFlags::RDWR
    }
    #[cfg(not(unix))]
    false
}

/// How messages name an output path: `-` is stdout.
pub fn display(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "stdout".to_string()
    } else {
        path.display().to_string()
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

/// Names the target in a write error, keeping its kind (the temporary file's
/// name would only confuse: it is gone once the error is reported).
fn cannot_write(target: &Path, err: io::Error) -> io::Error {
    io::Error::new(
        err.kind(),
        format!("cannot write {}: {err}", target.display()),
    )
}

/// [`cannot_write`] for stdout.
fn cannot_write_stdout(err: io::Error) -> io::Error {
    cannot_write(Path::new("stdout"), err)
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
/// names them; `old` lists those of an earlier run in a directory), staged
/// inside it; refused before anything is generated when it is stdout or an
/// existing non-directory.
pub fn output_dir(
    path: Option<&Path>,
    format: &str,
    files: &str,
    old: fn(&Path) -> Vec<String>,
    durability: Durability,
) -> Result<DirOutput> {
    let Some(dir) = path.filter(|p| p.as_os_str() != "-") else {
        bail!("--format {format} writes {files}, not stdout; give a directory with -o DIR");
    };
    if dir.exists() && !dir.is_dir() {
        bail!(
            "--format {format} writes {files} into a directory, and {} is not one; give a directory with -o DIR",
            dir.display()
        );
    }
    DirOutput::open(dir, format, old, durability)
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
        type OutputDir = fn(Option<&Path>, Durability) -> Result<DirOutput>;
        let formats: [OutputDir; 2] = [crate::tables::output_dir, crate::sandbox::output_dir];
        for output_dir in formats {
            for path in [None, Some(Path::new("-"))] {
                let err = output_dir(path, Durability::Atomic)
                    .unwrap_err()
                    .to_string();
                assert!(
                    err.contains("not stdout; give a directory with -o DIR"),
                    "{err}"
                );
            }
            let file = tempfile::NamedTempFile::new().unwrap();
            let err = output_dir(Some(file.path()), Durability::Atomic)
                .unwrap_err()
                .to_string();
            assert!(err.contains("is not one"), "{err}");
        }
    }
}
