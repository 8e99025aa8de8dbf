//! Runs the `sh` blocks of the docs with the real `spendsense` binary and
//! compares what they print with the `text` block shown after them.
//!
//! Timings differ on every run, so they are *masked*: a duration after ` in `
//! (`in 8.76ms`) and a rate (`(114,128 profiles/s)`, `(345,760 transactions/s)`)
//! compare equal whatever their digits, and when a block is rewritten each
//! line keeps the values the doc already showed (typically from a release
//! build) instead of the debug build's. A line that is only `…` in the doc
//! stands for any number of output lines, so a long output can be shown
//! trimmed and still be checked.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::{env, fs};

use anyhow::{Context, Result, bail};

/// Runs doc commands with a freshly built `spendsense` first on `PATH`.
#[derive(Debug)]
pub struct Runner {
    bin_dir: PathBuf,
    root: PathBuf,
}

impl Runner {
    /// Builds `spendsense` (debug, with the cargo that runs xtask) and
    /// remembers where it is; `root` is the workspace, whose `data/` the
    /// commands see.
    pub fn build(root: &Path) -> Result<Runner> {
        let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let output = Command::new(cargo)
            .args(["build", "--quiet", "--package", "spendsense-cli"])
            .args([
                "--bin",
                "spendsense",
                "--message-format=json-render-diagnostics",
            ])
            .current_dir(root)
            .stderr(Stdio::inherit())
            .output()
            .context("cannot run cargo build")?;
        if !output.status.success() {
            bail!("cargo build -p spendsense-cli failed: {}", output.status);
        }
        // Cargo's own messages name the binary, wherever the target dir is.
        let executable = String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "spendsense")
            .find_map(|m| m["executable"].as_str().map(PathBuf::from))
            .context("cargo build did not report the spendsense executable")?;
        Ok(Runner {
            bin_dir: executable
                .parent()
                .expect("a file has a parent")
                .to_path_buf(),
            root: root.to_path_buf(),
        })
    }

    /// Runs `setup` (output discarded, must succeed) then `script` with
    /// `sh -c` in a fresh scratch directory where `data/` is the workspace's,
    /// and returns the script's stdout and stderr merged in order.
    pub fn run(&self, setup: &str, script: &str) -> Result<String> {
        let scratch = Scratch::new(&self.root)?;
        let path = env::join_paths(
            std::iter::once(self.bin_dir.clone())
                .chain(env::split_paths(&env::var_os("PATH").unwrap_or_default())),
        )?;
        let sh = |text: &str| {
            let mut command = Command::new("sh");
            command
                .arg("-c")
                .arg(text)
                .current_dir(&scratch.0)
                .env("PATH", &path)
                .stdin(Stdio::null());
            command
        };
        if !setup.is_empty() {
            let out = sh(setup).output().context("cannot run sh")?;
            if !out.status.success() {
                bail!(
                    "the setup commands failed ({}): {}",
                    out.status,
                    String::from_utf8_lossy(&out.stderr).trim()
                );
            }
        }
        // One pipe for both streams keeps their order as a terminal shows it.
        let out = sh(&format!("exec 2>&1\n{script}"))
            .output()
            .context("cannot run sh")?;
        let text = String::from_utf8(out.stdout).context("the output is not UTF-8")?;
        Ok(text.replace(&scratch.0.display().to_string(), "$SCRATCH"))
    }
}

/// A temporary directory holding a `data` link to the workspace's `data/`,
/// removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(root: &Path) -> Result<Scratch> {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "spendsense-docs-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        );
        let dir = env::temp_dir().join(name);
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let scratch = Scratch(dir);
        std::os::unix::fs::symlink(root.join("data"), scratch.0.join("data"))
            .context("cannot link data/ into the scratch directory")?;
        Ok(scratch)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Byte ranges of the parts of `line` that differ from run to run.
fn volatile(line: &str) -> Vec<(usize, usize)> {
    let bytes = line.as_bytes();
    let digits_from = |mut at: usize| {
        while at < bytes.len() && (bytes[at].is_ascii_digit() || bytes[at] == b'.') {
            at += 1;
        }
        at
    };
    let mut spans = Vec::new();
    for (at, _) in line.match_indices(" in ") {
        let start = at + 4;
        let end = digits_from(start);
        let unit = ["ms", "µs", "us", "ns", "s"]
            .iter()
            .find(|u| line[end..].starts_with(*u));
        if end > start
            && let Some(unit) = unit
        {
            spans.push((start, end + unit.len()));
        }
    }
    let rates = [" profiles/s)", " transactions/s)"];
    for (at, _) in rates.iter().flat_map(|rate| line.match_indices(rate)) {
        let start = line[..at].rfind('(').map_or(at, |open| open + 1);
        // Rates are shown with thousands separators (`114,128 profiles/s`).
        if start < at
            && line[start..at]
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b',')
        {
            spans.push((start, at));
        }
    }
    spans.sort_unstable();
    spans
}

/// `line` with every volatile part replaced by `…`.
fn masked(line: &str) -> String {
    let mut out = String::new();
    let mut last = 0;
    for (start, end) in volatile(line) {
        out.push_str(&line[last..start]);
        out.push('…');
        last = end;
    }
    out.push_str(&line[last..]);
    out
}

fn is_ellipsis(line: &str) -> bool {
    line.trim() == "…"
}

/// Whether the doc's lines show `output`, up to masked parts and `…` lines.
pub fn shows(doc: &[&str], output: &[&str]) -> bool {
    match doc.split_first() {
        None => output.is_empty(),
        Some((first, rest)) if is_ellipsis(first) => {
            (0..=output.len()).any(|skip| shows(rest, &output[skip..]))
        }
        Some((first, rest)) => {
            !output.is_empty() && masked(first) == masked(output[0]) && shows(rest, &output[1..])
        }
    }
}

/// The block body to write for `output`: its lines, where each keeps the
/// doc's volatile values when the doc's line at the same place has as many.
pub fn rewrite(doc: &[&str], output: &[&str]) -> Vec<String> {
    output
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let ours = volatile(line);
            let Some(old) = doc.get(index) else {
                return line.to_string();
            };
            let theirs = volatile(old);
            if ours.len() != theirs.len() || ours.is_empty() {
                return line.to_string();
            }
            let mut out = String::new();
            let mut last = 0;
            for ((start, end), (old_start, old_end)) in ours.into_iter().zip(theirs) {
                out.push_str(&line[last..start]);
                out.push_str(&old[old_start..old_end]);
                last = end;
            }
            out.push_str(&line[last..]);
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUN: &str =
        "wrote 3 profiles (1.02 KiB, json) to a.json in 8.76ms (114,128 profiles/s); seed 7";

    #[test]
    fn durations_and_rates_are_masked() {
        assert_eq!(
            masked(RUN),
            "wrote 3 profiles (1.02 KiB, json) to a.json in … (… profiles/s); seed 7"
        );
        assert_eq!(masked("took 2 in 3 cases"), "took 2 in 3 cases");
        assert_eq!(
            masked("transactions: 31 (9 B, jsonl) to t.jsonl (345760 transactions/s)"),
            "transactions: 31 (9 B, jsonl) to t.jsonl (… transactions/s)"
        );
        // A count in parentheses that is not a rate stays.
        assert_eq!(masked("a (1,000 profiles)"), "a (1,000 profiles)");
    }

    #[test]
    fn masked_parts_and_ellipsis_lines_match_anything() {
        let other = RUN
            .replace("8.76ms", "59.07ms")
            .replace("114,128", "16,929");
        assert!(shows(&[RUN], &[other.as_str()]));
        assert!(!shows(&[RUN], &[RUN.replace("seed 7", "seed 8").as_str()]));
        assert!(shows(&["a", "  …", "d"], &["a", "b", "c", "d"]));
        assert!(shows(&["a", "…", "b"], &["a", "b"]));
        assert!(!shows(&["a", "…", "d"], &["a", "b"]));
    }

    #[test]
    fn a_rewrite_keeps_the_docs_timings() {
        let fresh = RUN.replace("8.76ms", "59.07ms").replace("seed 7", "seed 8");
        assert_eq!(
            rewrite(&[RUN], &[fresh.as_str()]),
            vec![RUN.replace("seed 7", "seed 8")]
        );
        assert_eq!(rewrite(&[], &["x"]), vec!["x".to_string()]);
    }
}
