//! Committing a directory output file by file, recoverably.
//!
//! The new set is complete in a staging directory inside the output
//! directory (`DIR/.spendsense-tmp-XXXXXX`, so every rename stays on one
//! filesystem and the directory itself, its permissions, its other files
//! and any shell standing in it are untouched). Each new file is then
//! swapped with the old file of its name (`renameat2(RENAME_EXCHANGE)`; or
//! created where there was none), and each old file of the format that the
//! new set does not have is moved into the staging directory, so that once
//! the last step is done the directory holds exactly the new set and the
//! staging directory exactly the old one, which is then removed.
//!
//! Before each step a line goes to the staging directory's journal:
//! what the step does, to which name, and the inode it moves. Taking the
//! steps back is then possible at any moment, even after a SIGKILL, from
//! the disk alone: a step happened if and only if the name holds that inode.
//! `done` ends the journal of a finished commit, which is never taken back.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use super::commit::{exchange, rename_new, step};
use super::hook;

/// The journal's name in the staging directory.
const JOURNAL: &str = ".journal";

/// Where old files without a new counterpart (or, without exchange, every
/// old file) wait in the staging directory.
const OLD: &str = ".old";

/// Puts the staged set in `staging` in place in `target`; `old` lists the
/// format's files in `target`, so that those the new set lacks are removed.
pub(super) fn commit(
    staging: &Path,
    target: &Path,
    old: fn(&Path) -> Vec<String>,
    manifest: bool,
) -> io::Result<()> {
    let mut new = Vec::new();
    for entry in fs::read_dir(staging)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        new.push(name);
    }
    new.sort();
    let mut extra: Vec<String> = super::dir::own_files(target, old, manifest)
        .into_iter()
        .filter(|name| !new.contains(name) && !name.contains('/'))
        .filter(|name| fs::symlink_metadata(target.join(name)).is_ok_and(|m| !m.is_dir()))
        .collect();
    extra.sort();
    extra.dedup();
    let mut journal = fs::OpenOptions::new()
        .append(true)
        .create_new(true)
        .open(staging.join(JOURNAL))?;
    fs::create_dir(staging.join(OLD))?;
    for name in &new {
        let (from, to) = (staging.join(name), target.join(name));
        hook::before_rename(&to)?;
        let _step = step();
        let inode = inode(&from)?;
        match fs::symlink_metadata(&to) {
            Ok(metadata) if metadata.is_dir() => return Err(io::Error::from_raw_os_error(21)),
            Ok(_) => {
                record(&mut journal, 'x', inode, name)?;
                if let Err(err) = exchange(&from, &to) {
                    if !super::commit::cannot_exchange(&err) {
                        return Err(err);
                    }
                    // No exchange here: the old file waits in `.old` instead.
                    record(&mut journal, 'a', inode, name)?;
                    fs::rename(&to, staging.join(OLD).join(name))?;
                    fs::rename(&from, &to)?;
                }
            }
            Err(_) => {
                record(&mut journal, 'c', inode, name)?;
                rename_new(&from, &to)?;
            }
        }
    }
    for name in &extra {
        let from = target.join(name);
        let _step = step();
        record(&mut journal, 'm', inode(&from)?, name)?;
        fs::rename(&from, staging.join(OLD).join(name))?;
    }
    let _step = step();
    journal.write_all(b"done\n")
}

fn record(journal: &mut fs::File, op: char, inode: u64, name: &str) -> io::Result<()> {
    // One write per line, so a killed run leaves whole lines only.
    journal.write_all(format!("{op} {inode} {name}\n").as_bytes())
}

/// The inode `path` names (not following a link).
fn inode(path: &Path) -> io::Result<u64> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Ok(fs::symlink_metadata(path)?.ino())
    }
    #[cfg(not(unix))]
    {
        fs::symlink_metadata(path).map(|_| 0)
    }
}

/// Whether `path` names the inode `expected`.
fn holds(path: &Path, expected: u64) -> bool {
    inode(path).is_ok_and(|found| found == expected)
}

/// Takes back every step of an unfinished commit from `staging` into
/// `target`, newest first; returns whether there was any step to look at.
/// A finished commit is left alone unless `finished_too`: the run itself
/// takes back a directory it finished when a later output of the same run
/// fails (a `--manifest` file), but a killed run's finished one stands.
pub(super) fn roll_back(staging: &Path, target: &Path, finished_too: bool) -> io::Result<bool> {
    let text = match fs::read_to_string(staging.join(JOURNAL)) {
        Ok(text) => text,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(err) => return Err(err),
    };
    if text.ends_with("done\n") && !finished_too {
        return Ok(false);
    }
    let old = staging.join(OLD);
    for line in text.lines().rev() {
        let mut parts = line.splitn(3, ' ');
        let (Some(op), Some(inode), Some(name)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let Ok(inode) = inode.parse::<u64>() else {
            continue;
        };
        let (staged, placed, waiting) = (staging.join(name), target.join(name), old.join(name));
        match op {
            "x" if holds(&placed, inode) => exchange(&staged, &placed)?,
            "a" | "c" if holds(&placed, inode) => fs::rename(&placed, &staged)?,
            _ => {}
        }
        let back = match op {
            "a" => waiting.exists(),
            "m" => holds(&waiting, inode),
            _ => false,
        };
        if back && fs::symlink_metadata(&placed).is_err() {
            fs::rename(&waiting, &placed)?;
        }
    }
    Ok(true)
}
