//! One run at a time per output: an exclusive `flock` on a lock file beside
//! the target (`.STEM.spendsense-lock`, see [`super::names`]).
//!
//! The lock is taken without waiting, so a second run into the same place is
//! refused at once instead of queueing behind the first. The lock file is
//! removed by the run that holds it, while it still holds it; a run that
//! opened the file just before it was removed sees that the path no longer
//! names the file it locked and tries again, so two runs can never both hold
//! "the" lock through two different files. The kernel drops the lock when
//! its holder dies, even by SIGKILL, so a killed run never blocks the next.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

/// A held lock; dropping it removes the lock file and releases the lock.
#[derive(Debug)]
pub(super) struct Lock {
    path: PathBuf,
    #[cfg(unix)]
    _file: fs::File,
}

impl Lock {
    /// Takes the lock `path` for the output `target`, or says who holds it.
    #[cfg(unix)]
    pub(super) fn take(path: PathBuf, target: &Path) -> Result<Lock> {
        use rustix::fs::{FlockOperation, OFlags, flock, fstat};
        use std::os::unix::fs::{MetadataExt, OpenOptionsExt};

        let cannot = |err: std::io::Error| {
            anyhow::anyhow!(
                "cannot write {}: cannot create its lock file {}: {err}",
                target.display(),
                path.display()
            )
        };
        // Three tries cover a lock file removed between our open and our lock twice over.
        for _ in 0..3 {
            // Never through a link planted under the lock's name.
            let file = fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .mode(0o600)
                .custom_flags(OFlags::NOFOLLOW.bits() as i32)
                .open(&path)
                .map_err(cannot)?;
            match flock(&file, FlockOperation::NonBlockingLockExclusive) {
                Ok(()) => {}
                Err(rustix::io::Errno::WOULDBLOCK) => bail!(
                    "another spendsense run is writing {} (it holds {}); wait for it to finish or write elsewhere",
                    target.display(),
                    path.display()
                ),
                Err(err) => return Err(cannot(err.into())),
            }
            let locked = fstat(&file).map_err(|err| cannot(err.into()))?;
            let named = fs::symlink_metadata(&path);
            if named.is_ok_and(|m| m.dev() == locked.st_dev && m.ino() == locked.st_ino) {
                return Ok(Lock { path, _file: file });
            }
        }
        bail!(
            "cannot write {}: its lock file {} keeps being replaced; is another program removing it?",
            target.display(),
            path.display()
        )
    }

    /// Without `flock` there is no lock; runs are not kept apart.
    #[cfg(not(unix))]
    pub(super) fn take(path: PathBuf, _target: &Path) -> Result<Lock> {
        Ok(Lock { path })
    }

    /// The lock file, which an interrupted run removes on its way out.
    pub(super) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still locked: see the module documentation.
        #[cfg(unix)]
        let _ = fs::remove_file(&self.path);
    }
}
