//! Directory outputs: every file of the set is written into a new staging
//! directory beside the target (`.STEM.spendsense-tmp-XXXXXX`), which
//! replaces the target as a whole on [`DirOutput::commit`].
//!
//! A target directory may hold only what the format writes (files whose
//! names its `ours` accepts, or links under those names); anything else is
//! refused before any work, so replacing the directory can never delete a
//! file the user put there. Files are created new inside the staging
//! directory, so a link planted in the old directory under an output's name
//! is replaced, never written through.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::commit::{self, Kind, Staged};
use super::{Durability, WRITE_BUFFER, cannot_write, hook};

/// A directory output being built; dropping it removes the staging directory.
#[derive(Debug)]
pub struct DirOutput {
    staged: Staged,
    /// The directory as the user named it, for messages.
    shown: PathBuf,
}

/// One file of a [`DirOutput`].
#[derive(Debug)]
pub struct DirFile {
    out: BufWriter<fs::File>,
    /// Where it is being written, inside the staging directory.
    path: PathBuf,
    /// What messages call it: the target directory joined with its name.
    shown: PathBuf,
    durability: Durability,
}

impl DirOutput {
    /// Stages a new version of directory `dir` for `--format format`; see the module documentation.
    pub fn open(
        dir: &Path,
        format: &str,
        ours: fn(&str) -> bool,
        durability: Durability,
    ) -> Result<DirOutput> {
        // `out/`, `./out` and `out/.` all name `out`; an existing directory is
        // resolved (`.`, `..`, links) to the one to replace.
        let normal: PathBuf = dir.components().collect();
        let target = match fs::canonicalize(&normal) {
            Ok(target) => target,
            Err(_) => normal,
        };
        if target.file_name().is_none() {
            bail!(
                "cannot write {}: it cannot be replaced; give a directory with a name, such as {}",
                dir.display(),
                dir.join("out").display()
            );
        }
        let parent = commit::parent(&target);
        fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create directory {}", parent.display()))?;
        if target.is_dir() {
            super::check_writable(&target).map_err(|err| {
                anyhow::anyhow!(
                    "cannot write {}: directory {} is not writable: {err}",
                    dir.display(),
                    dir.display()
                )
            })?;
            let foreign = commit::foreign_entry(&target, ours)
                .with_context(|| format!("cannot read directory {}", dir.display()))?;
            if let Some(name) = foreign {
                bail!(
                    "cannot replace directory {}: it holds {name}, which --format {format} does not write; move it away or give another directory",
                    dir.display()
                );
            }
        }
        let (lock, stem) = super::lock_and_sweep(&target, dir, &parent, "a directory")?;
        let staging = tempfile::Builder::new()
            .prefix(&super::names::temp_prefix(&stem))
            .suffix("")
            .rand_bytes(super::names::RANDOM)
            .make_in(&parent, |path| fs::create_dir(path))
            .and_then(|made| made.keep().map(|((), path)| path).map_err(|err| err.error))
            .map_err(|err| super::cannot_create(dir, &parent, "a directory", err))?;
        Ok(DirOutput {
            staged: Staged::new(
                staging,
                target,
                dir.to_path_buf(),
                Kind::Dir { ours },
                durability,
                lock,
            ),
            shown: dir.to_path_buf(),
        })
    }

    /// The directory as the user named it.
    pub fn path(&self) -> &Path {
        &self.shown
    }

    /// Starts the file `name` of the set.
    pub fn create(&self, name: &str) -> io::Result<DirFile> {
        let path = self.staged.temp.join(name);
        let shown = self.shown.join(name);
        let file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|err| cannot_write(&shown, err))?;
        Ok(DirFile {
            out: BufWriter::with_capacity(WRITE_BUFFER, file),
            path,
            shown,
            durability: self.staged.durability,
        })
    }

    /// Replaces the target directory with the staged set; every file must be
    /// [`DirFile::finish`]ed first.
    pub fn commit(self) -> Result<()> {
        let staging = &self.staged.temp;
        if self.staged.durability == Durability::Synced {
            commit::sync_dir(staging)
                .map_err(|err| cannot_write(&self.shown, err))
                .context("cannot sync the new directory")?;
        }
        #[cfg(unix)]
        if let Ok(old) = fs::metadata(&self.staged.target) {
            // The new directory looks like the one it replaces.
            let _ = fs::set_permissions(staging, old.permissions());
        }
        commit::commit(vec![self.staged])
    }
}

impl DirFile {
    /// Completes the file: flushed, and synced with [`Durability::Synced`].
    pub fn finish(self) -> io::Result<()> {
        let failed = |err: io::Error| cannot_write(&self.shown, err);
        let file = self
            .out
            .into_inner()
            .map_err(|err| failed(err.into_error()))?;
        if self.durability == Durability::Synced {
            file.sync_all().map_err(failed)?;
        }
        Ok(())
    }
}

impl Write for DirFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.out.write(buf).and_then(|n| {
            hook::written(&mut self.out, &self.path)?;
            Ok(n)
        });
        written.map_err(|err| cannot_write(&self.shown, err))
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.out
            .write_all(buf)
            .and_then(|()| hook::written(&mut self.out, &self.path))
            .map_err(|err| cannot_write(&self.shown, err))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out
            .flush()
            .map_err(|err| cannot_write(&self.shown, err))
    }
}
