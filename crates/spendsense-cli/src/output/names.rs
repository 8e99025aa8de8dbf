//! The names of an output's siblings: its temporary file or staging
//! directory, and its lock.
//!
//! A file output's are `.STEM.spendsense-tmp-XXXXXX` and
//! `.STEM.spendsense-lock`, in the target's own directory; a directory
//! output's are `.spendsense-tmp-XXXXXX` and `.spendsense-lock` inside it
//! (an empty STEM). STEM is the
//! target's file name when that leaves the whole name within `NAME_MAX`
//! (255 bytes); a longer name is cut and ends in `~` and 8 hex digits of its
//! SHA-256, so a legal 255-byte target still has legal siblings and two long
//! names sharing a beginning still have different ones. A run that holds
//! the target's lock can therefore tell its own target's leftovers by name
//! alone.

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The longest file name Linux and macOS filesystems take.
const NAME_MAX: usize = 255;

/// Random characters in a temporary name.
pub(super) const RANDOM: usize = 6;

/// What follows the stem of a temporary file or staging directory, before its random part.
pub(super) const TMP: &str = ".spendsense-tmp-";

/// What follows the stem of a lock file.
const LOCK: &str = ".spendsense-lock";

/// The part of `name` in its siblings' names; see the module documentation.
pub(super) fn stem(name: &OsStr) -> String {
    let name = name.to_string_lossy();
    // The leading `.`, the longest tag and its random part.
    let room = NAME_MAX - 1 - TMP.len() - RANDOM;
    if name.len() <= room {
        return name.into_owned();
    }
    let digest = Sha256::digest(name.as_bytes());
    let hash: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    let mut cut = room - 1 - hash.len();
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}~{hash}", &name[..cut])
}

/// The name of the sibling `tag` of the target with `stem`.
fn sibling(stem: &str, tag: &str) -> String {
    if stem.is_empty() {
        tag.to_string()
    } else {
        format!(".{stem}{tag}")
    }
}

/// The prefix of a temporary file or staging directory of the target with `stem`.
pub(super) fn temp_prefix(stem: &str) -> String {
    sibling(stem, TMP)
}

/// The lock file of the target with `stem`, in `place`.
pub(super) fn lock(place: &Path, stem: &str) -> PathBuf {
    place.join(sibling(stem, LOCK))
}

/// The temporary siblings of the target with `stem` in `place`, which only
/// a killed run leaves; call it only while holding the target's lock, when no
/// live run can own them.
pub(super) fn leftovers(place: &Path, stem: &str) -> io::Result<Vec<PathBuf>> {
    let prefix = temp_prefix(stem);
    let mut found = Vec::new();
    for entry in fs::read_dir(place)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(random) = name.to_str().and_then(|name| name.strip_prefix(&prefix)) else {
            continue;
        };
        if random.len() == RANDOM && random.bytes().all(|b| b.is_ascii_alphanumeric()) {
            found.push(entry.path());
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siblings_of_any_legal_name_are_legal_and_distinct() {
        for length in [1, 200, 232, 233, 250, 255] {
            let name = "a".repeat(length);
            let stem = stem(OsStr::new(&name));
            for sibling in [
                format!("{}XXXXXX", temp_prefix(&stem)),
                format!(".{stem}{LOCK}"),
            ] {
                assert!(sibling.len() <= NAME_MAX, "{length}: {}", sibling.len());
            }
            if length <= 232 {
                assert_eq!(stem, name);
            }
        }
        let long = |last: char| format!("{}{last}", "é".repeat(126));
        assert_ne!(stem(OsStr::new(&long('a'))), stem(OsStr::new(&long('b'))));
    }

    #[test]
    fn leftovers_are_recognised_by_name_only() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            ".out.json.spendsense-tmp-Ab12Cd",
            ".out.json.spendsense-tmp-xyzXYZ",
            ".out.json.spendsense-lock",
            ".out.json.spendsense-tmp-short",
            ".out.jsonl.spendsense-tmp-Ab12Cd",
            ".out.json.Ab12Cd.tmp",
            "out.json",
        ] {
            fs::write(dir.path().join(name), b"").unwrap();
        }
        let found: Vec<_> = leftovers(dir.path(), "out.json")
            .unwrap()
            .into_iter()
            .map(|path| path.file_name().unwrap().to_owned())
            .collect();
        assert_eq!(
            found,
            [
                ".out.json.spendsense-tmp-Ab12Cd",
                ".out.json.spendsense-tmp-xyzXYZ"
            ]
        );
        fs::write(dir.path().join(".spendsense-tmp-QQQ111"), b"").unwrap();
        let inside: Vec<_> = leftovers(dir.path(), "").unwrap();
        assert_eq!(inside, [dir.path().join(".spendsense-tmp-QQQ111")]);
    }
}
