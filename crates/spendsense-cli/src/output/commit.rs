//! Staged outputs and committing them together.
//!
//! Every file output is first written under a temporary sibling name, and
//! every directory output into a staging directory inside it ([`Staged`]).
//! [`commit`] puts a run's staged outputs in place one after the other; should
//! one fail, those already in place are put back, so the run's outputs are
//! replaced all together or not at all. A file that exists is swapped with
//! its new version (`renameat2(RENAME_EXCHANGE)`), which keeps the old
//! version under the temporary name until every output is in place, and
//! then removes it; a directory's files are swapped one by one under a
//! journal ([`super::journal`]) that can be taken back at any moment.
//!
//! Where the filesystem cannot exchange (Linux before 3.15, some network
//! filesystems, other systems) a file is renamed over its target, which
//! cannot be undone if a later output fails; a directory's old files are
//! moved into the staging directory first, which can.
//!
//! Every staged output is listed in a registry that [`interrupt`] reads: a
//! signal at any moment before the commit completes puts back what was
//! already swapped and removes every temporary file and staging directory.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use anyhow::Result;

use super::{Durability, hook, lock::Lock};

/// What a staged output becomes.
#[derive(Debug, Clone, Copy)]
pub(super) enum Kind {
    File,
    /// A directory's set of files; `old` lists the files of the format in
    /// a directory, the only ones besides the new set's names that are
    /// replaced or removed: nothing else in the directory is touched.
    Dir {
        old: fn(&Path) -> Vec<String>,
        /// Whether the run manifest, `manifest.json`, is one of the set's
        /// files (a `generate` output), replaced or removed like the others.
        manifest: bool,
    },
}

/// How a staged output was put in place.
#[derive(Debug, Clone)]
enum How {
    /// There was no target.
    Created,
    /// Swapped with the target, which is now at the temporary name.
    Exchanged,
    /// Renamed over the old file, which is gone.
    Replaced,
    /// A directory's files, under the staging directory's journal.
    Files,
}

#[derive(Debug, Clone)]
enum State {
    Writing,
    Swapped(How),
    Committed(How),
}

#[derive(Debug)]
struct Slot {
    id: u64,
    temp: PathBuf,
    target: PathBuf,
    state: State,
    lock: PathBuf,
}

/// Every staged output of this process not yet finished with.
static SLOTS: Mutex<Vec<Slot>> = Mutex::new(Vec::new());

/// Held for each step of a directory commit, and by [`interrupt`] before
/// it looks at anything, so a signal never lands inside a step.
static STEP: Mutex<()> = Mutex::new(());

pub(super) fn step() -> MutexGuard<'static, ()> {
    STEP.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn slots() -> MutexGuard<'static, Vec<Slot>> {
    // A panic while the lock is held leaves the list intact; keep using it.
    SLOTS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// An output being built at `temp`, to become `target` on [`commit`];
/// dropping it before then removes `temp`.
#[derive(Debug)]
pub(crate) struct Staged {
    id: u64,
    pub(super) temp: PathBuf,
    pub(super) target: PathBuf,
    /// What messages call the target: the path as the user gave it.
    pub(super) shown: PathBuf,
    pub(super) kind: Kind,
    pub(super) durability: Durability,
    /// Held until the output is committed or dropped.
    _lock: Lock,
}

impl Staged {
    /// Registers `temp`, already created, as the staged version of `target`.
    pub(super) fn new(
        temp: PathBuf,
        target: PathBuf,
        shown: PathBuf,
        kind: Kind,
        durability: Durability,
        lock: Lock,
    ) -> Staged {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        slots().push(Slot {
            id,
            temp: temp.clone(),
            target: target.clone(),
            state: State::Writing,
            lock: lock.path().to_path_buf(),
        });
        Staged {
            id,
            temp,
            target,
            shown,
            kind,
            durability,
            _lock: lock,
        }
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        let mut slots = slots();
        if let Some(at) = slots.iter().position(|slot| slot.id == self.id) {
            let slot = slots.remove(at);
            if let State::Writing = slot.state {
                remove(&slot.temp);
            }
        }
    }
}

/// Removes a temporary file or staging directory, which only this run wrote.
fn remove(path: &Path) {
    match fs::symlink_metadata(path) {
        Ok(metadata) if metadata.is_dir() => {
            let _ = fs::remove_dir_all(path);
        }
        Ok(_) => {
            let _ = fs::remove_file(path);
        }
        Err(_) => {}
    }
}

/// Puts every output of `staged` in place, or none; see the module documentation.
/// The caller has written, flushed and (with `--fsync`) synced each one.
pub(super) fn commit(staged: Vec<Staged>) -> Result<()> {
    for (at, output) in staged.iter().enumerate() {
        let swapped = hook::before_rename(&output.target).and_then(|()| match output.kind {
            Kind::File => {
                let mut slots = slots();
                let how = swap(&output.temp, &output.target)?;
                set_state(&mut slots, output.id, State::Swapped(how));
                Ok(())
            }
            Kind::Dir { old, manifest } => {
                set_state(&mut slots(), output.id, State::Swapped(How::Files));
                super::journal::commit(&output.temp, &output.target, old, manifest)
            }
        });
        if let Err(err) = swapped {
            let mut slots = slots();
            for slot in slots.iter_mut().rev() {
                if staged[..=at].iter().any(|done| done.id == slot.id) {
                    undo(slot);
                }
            }
            return Err(anyhow::Error::new(err)
                .context(format!("cannot replace {}", output.shown.display())));
        }
    }
    {
        let mut slots = slots();
        for slot in slots.iter_mut() {
            if let State::Swapped(how) = &slot.state
                && staged.iter().any(|output| output.id == slot.id)
            {
                slot.state = State::Committed(how.clone());
            }
        }
    }
    let mut synced = Vec::new();
    for output in &staged {
        // The directory whose entries changed: a file's, or a directory output itself.
        let parent = match output.kind {
            Kind::File => parent(&output.target),
            Kind::Dir { .. } => output.target.clone(),
        };
        if output.durability == Durability::Synced && !synced.contains(&parent) {
            // The renames are on disk only once their directory is.
            let synced_dir = hook::before_dir_sync(&output.target).and_then(|()| sync_dir(&parent));
            synced_dir.map_err(|err| {
                anyhow::anyhow!(
                    "cannot sync directory {} after replacing {}: {err}",
                    match output.kind {
                        Kind::File => self::parent(&output.shown),
                        Kind::Dir { .. } => output.shown.clone(),
                    }
                    .display(),
                    output.shown.display()
                )
            })?;
            synced.push(parent);
        }
    }
    let mut slots = slots();
    for slot in slots.iter_mut() {
        if staged.iter().any(|output| output.id == slot.id) {
            discard(slot);
        }
    }
    slots.retain(|slot| !staged.iter().any(|output| output.id == slot.id));
    Ok(())
}

fn set_state(slots: &mut [Slot], id: u64, state: State) {
    if let Some(slot) = slots.iter_mut().find(|slot| slot.id == id) {
        slot.state = state;
    }
}

/// The directory holding `path`.
pub(super) fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Flushes a directory's entries (new names, renames) to disk.
pub(super) fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Puts the file `temp` in place as `target`.
fn swap(temp: &Path, target: &Path) -> io::Result<How> {
    match fs::symlink_metadata(target) {
        Ok(metadata) if metadata.is_dir() => Err(io::Error::from_raw_os_error(21)), // EISDIR
        Ok(_) => match exchange(temp, target) {
            Ok(()) => Ok(How::Exchanged),
            Err(err) if cannot_exchange(&err) => fs::rename(temp, target).map(|()| How::Replaced),
            Err(err) => Err(err),
        },
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            rename_new(temp, target).map(|()| How::Created)
        }
        Err(err) => Err(err),
    }
}

/// Takes back a swap, best effort: this runs on the way out of a failure.
/// Only when it succeeds does the temporary name hold the new version
/// again, to be removed (state `Writing`); otherwise it may hold the old
/// one, which is then left for the next run to find rather than deleted.
fn undo(slot: &mut Slot) {
    let State::Swapped(how) = &slot.state else {
        return;
    };
    let (temp, target) = (&slot.temp, &slot.target);
    let undone = match how {
        How::Created => fs::rename(target, temp),
        How::Exchanged => exchange(temp, target),
        How::Files => super::journal::roll_back(temp, target, true).map(|_| ()),
        // The old file is gone; the new one stays.
        How::Replaced => Err(io::Error::other("replaced")),
    };
    if undone.is_ok() {
        slot.state = State::Writing;
    }
}

/// Removes what a committed output left at its temporary name: the old
/// file, or the staging directory, which now holds the old set's files.
fn discard(slot: &mut Slot) {
    if let State::Committed(How::Exchanged | How::Files) = slot.state {
        remove(&slot.temp);
    }
}

/// Ends the run on a signal: puts back every output already swapped, removes
/// every temporary file, staging directory and lock, says so and exits with
/// status 130, as a shell does for an interrupted command.
pub(super) fn interrupt() -> ! {
    let _step = step();
    let mut slots = slots();
    let mut removed = 0;
    let mut complete = false;
    for slot in slots.iter_mut().rev() {
        match slot.state {
            State::Writing | State::Swapped(_) => {
                undo(slot);
                if let State::Writing = slot.state {
                    remove(&slot.temp);
                }
                removed += 1;
            }
            State::Committed(_) => {
                discard(slot);
                complete = true;
            }
        }
        let _ = fs::remove_file(&slot.lock);
    }
    let message = if complete && removed == 0 {
        "interrupted after the output was complete".to_string()
    } else {
        format!(
            "interrupted; removed {removed} unfinished output file(s), existing files are unchanged"
        )
    };
    let _ = std::io::Write::write_all(&mut io::stderr(), format!("{message}\n").as_bytes());
    std::process::exit(130);
}

/// `rename(2)` that never replaces: a target created meanwhile is an error.
pub(super) fn rename_new(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
            Err(err) if cannot_exchange(&err.into()) => {}
            other => return other.map_err(io::Error::from),
        }
    }
    fs::rename(from, to)
}

/// Swaps two paths atomically (`renameat2(RENAME_EXCHANGE)`).
pub(super) fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Err(io::Error::from(io::ErrorKind::Unsupported))
    }
}

/// Whether `err` says the kernel or filesystem has no such rename, not that it failed.
pub(super) fn cannot_exchange(err: &io::Error) -> bool {
    const EINVAL: i32 = 22;
    const ENOSYS: i32 = 38;
    const EOPNOTSUPP: i32 = 95;
    err.kind() == io::ErrorKind::Unsupported
        || matches!(err.raw_os_error(), Some(EINVAL | ENOSYS | EOPNOTSUPP))
}
