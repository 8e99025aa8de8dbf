//! Directory outputs: every file of the set is written into a new staging
//! directory inside the output directory (`DIR/.spendsense-tmp-XXXXXX`),
//! and the set replaces the old one on [`DirOutput::commit_with`], all of it or
//! none (see [`super::journal`]).
//!
//! Only the format's own files are replaced or removed (those its `old`
//! function lists, and for a `generate` output, [`DirOutput::own_manifest`],
//! the run manifest [`crate::manifest::DIR_MANIFEST`]); anything else in the
//! directory (other datasets, notes, subdirectories) stays as it is, and so
//! do the directory's permissions.
//!
//! Every file is counted and hashed (SHA-256) as it is written, so the
//! manifest lists them without reading anything back. Files are created new inside the staging
//! directory and moved in by name, so a link planted in the directory under
//! an output's name is replaced, never written through.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use crate::manifest::{DIR_MANIFEST, FileRecord, Role};

use super::commit::{self, Kind, Staged};
use super::{Durability, WRITE_BUFFER, cannot_write, hook};

/// A directory output being built; dropping it removes the staging directory.
#[derive(Debug)]
pub struct DirOutput {
    staged: Staged,
    /// The directory as the user named it, for messages.
    shown: PathBuf,
    /// Every finished file's name, size and SHA-256.
    finished: Arc<Mutex<Vec<FileRecord>>>,
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
    name: String,
    sha: Sha256,
    bytes: u64,
    finished: Arc<Mutex<Vec<FileRecord>>>,
}

/// The files of a directory format in `dir`: those `old` lists, and with
/// `manifest` the run manifest when there is one.
pub(super) fn own_files(dir: &Path, old: fn(&Path) -> Vec<String>, manifest: bool) -> Vec<String> {
    let mut files = old(dir);
    if manifest && dir.join(DIR_MANIFEST).exists() && !files.iter().any(|f| f == DIR_MANIFEST) {
        files.push(DIR_MANIFEST.to_string());
    }
    files
}

impl DirOutput {
    /// Stages a new version of directory `dir` for `--format format`; see the module documentation.
    pub fn open(
        dir: &Path,
        format: &str,
        old: fn(&Path) -> Vec<String>,
        durability: Durability,
    ) -> Result<DirOutput> {
        // `out/`, `./out` and `out/.` all name `out`; an existing directory is
        // resolved (`.`, `..`, links) to the one written.
        let normal: PathBuf = dir.components().collect();
        fs::create_dir_all(&normal)
            .with_context(|| format!("cannot create directory {}", dir.display()))?;
        let target = fs::canonicalize(&normal)
            .with_context(|| format!("cannot create directory {}", dir.display()))?;
        super::check_writable(&target).map_err(|err| {
            anyhow::anyhow!(
                "cannot write {}: directory {} is not writable: {err}",
                dir.display(),
                dir.display()
            )
        })?;
        for name in old(&target) {
            if target.join(&name).is_dir() {
                bail!(
                    "cannot write {}: it is a directory, where --format {format} writes a file",
                    dir.join(&name).display()
                );
            }
        }
        let lock = super::lock_and_sweep(&target, "", dir, "a directory", Some(&target))?;
        let staging = tempfile::Builder::new()
            .prefix(&super::names::temp_prefix(""))
            .suffix("")
            .rand_bytes(super::names::RANDOM)
            .make_in(&target, |path| fs::create_dir(path))
            .and_then(|made| made.keep().map(|((), path)| path).map_err(|err| err.error))
            .map_err(|err| super::cannot_create(dir, dir, "a directory", err))?;
        Ok(DirOutput {
            staged: Staged::new(
                staging,
                target,
                dir.to_path_buf(),
                Kind::Dir {
                    old,
                    manifest: false,
                },
                durability,
                lock,
            ),
            shown: dir.to_path_buf(),
            finished: Arc::default(),
        })
    }

    /// Makes the run manifest, [`DIR_MANIFEST`], one of the set's own
    /// files: written with the set when the run writes one, and an old one
    /// removed when it does not (it would describe files that are gone).
    /// For `generate`'s outputs; other directories (`spendsense man`) may
    /// hold a user's `manifest.json`, which stays.
    pub fn own_manifest(&mut self) {
        if let Kind::Dir { manifest, .. } = &mut self.staged.kind {
            *manifest = true;
        }
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
            name: name.to_string(),
            sha: Sha256::new(),
            bytes: 0,
            finished: Arc::clone(&self.finished),
        })
    }

    /// Every file finished so far, by name, with its size and SHA-256.
    pub fn files(&self) -> Vec<FileRecord> {
        let mut files = self
            .finished
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        files.sort_by(|a, b| a.name.cmp(&b.name));
        files
    }

    /// Replaces the target directory with the staged set; every file must be
    /// [`DirFile::finish`]ed first.
    pub fn commit(self) -> Result<()> {
        self.commit_with(Vec::new())
    }

    /// Replaces the target directory with the staged set, together with a
    /// run's other outputs (a `--manifest` file): all are replaced, or none.
    /// Every file must be [`DirFile::finish`]ed first.
    pub fn commit_with(self, others: Vec<super::Output>) -> Result<()> {
        let staging = &self.staged.temp;
        if self.staged.durability == Durability::Synced {
            commit::sync_dir(staging)
                .map_err(|err| cannot_write(&self.shown, err))
                .context("cannot sync the new directory")?;
        }
        let mut staged = super::flushed(others)?;
        staged.insert(0, self.staged);
        commit::commit(staged)
    }
}

impl DirFile {
    /// Completes the file: flushed, and synced with [`Durability::Synced`].
    pub fn finish(self) -> io::Result<()> {
        let failed = |err: io::Error| cannot_write(&self.shown, err);
        let record = FileRecord {
            name: self.name,
            role: Role::Part,
            bytes: self.bytes,
            sha256: crate::manifest::hex(self.sha),
        };
        let file = self
            .out
            .into_inner()
            .map_err(|err| failed(err.into_error()))?;
        if self.durability == Durability::Synced {
            file.sync_all().map_err(failed)?;
        }
        self.finished
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(record);
        Ok(())
    }
}

impl Write for DirFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.out.write(buf).and_then(|n| {
            self.sha.update(&buf[..n]);
            self.bytes += n as u64;
            hook::written(&mut self.out, &self.path)?;
            Ok(n)
        });
        written.map_err(|err| cannot_write(&self.shown, err))
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.out
            .write_all(buf)
            .and_then(|()| {
                self.sha.update(buf);
                self.bytes += buf.len() as u64;
                hook::written(&mut self.out, &self.path)
            })
            .map_err(|err| cannot_write(&self.shown, err))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out
            .flush()
            .map_err(|err| cannot_write(&self.shown, err))
    }
}
