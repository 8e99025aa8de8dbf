//! Project chores: `cargo xtask gen-data [--check]`, `cargo xtask check-data`.
//!
//! Every generated file goes through [`ensure_file`], which compares bytes
//! first: in check mode a difference fails with the command to run. `gen-data`
//! covers the dataset in `data/`, the JSON Schema and the docs ([`docs`]: shown
//! command outputs and field tables).

mod canonical;
mod docs;
mod ledger_stats;
mod margins;
mod realism;
mod summary;
#[cfg(test)]
mod tidy;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::{env, fs};

use anyhow::{Context, Result, bail};

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  gen-data          regenerate the generated files: the canonical dataset in data/, the
                    JSON Schema, and in README.md and docs/*.md the shown outputs of sh
                    blocks (run with a debug build of spendsense) and the field tables
  gen-data --check  fail if any committed generated file is stale (same as check-data),
                    naming the file and line
  check-data        the freshness check alone
  summary           print the reviewable summary of data/synthetic/users/profiles.json
  margins [SEED N]  print how far each persona's signals stay from the thresholds, per window
                    (default: the first 10000 users of seed 42)
  realism [SEED N]  print how closely the population follows the US reference tables of
                    crates/spendsense-generator/data (default: 100000 users of seed 42)
  bench             run the throughput and memory benchmark (cargo bench -p spendsense-cli)";

fn main() -> ExitCode {
    match run(env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<()> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["gen-data"] => gen_data(Mode::Write),
        ["gen-data", "--check"] | ["check-data"] => gen_data(Mode::Check),
        ["bench"] => {
            let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let status = std::process::Command::new(cargo)
                .args([
                    "bench",
                    "--package",
                    "spendsense-cli",
                    "--bench",
                    "throughput",
                ])
                .current_dir(project_root())
                .status()
                .context("cannot run cargo bench")?;
            if !status.success() {
                bail!("cargo bench failed: {status}");
            }
            Ok(())
        }
        ["margins"] => {
            print!("{}", margins::of_run(42, 10_000));
            Ok(())
        }
        ["margins", seed, count] => {
            let seed = seed.parse().context("SEED must be a whole number")?;
            let count = count.parse().context("N must be a whole number")?;
            print!("{}", margins::of_run(seed, count));
            Ok(())
        }
        ["realism"] => {
            print!("{}", realism::of_run(42, 100_000));
            Ok(())
        }
        ["realism", seed, count] => {
            let seed = seed.parse().context("SEED must be a whole number")?;
            let count = count.parse().context("N must be a whole number")?;
            print!("{}", realism::of_run(seed, count));
            Ok(())
        }
        ["summary"] => {
            let (_, seed, count) = canonical::DATASETS[0];
            print!("{}", summary::summary(&canonical::profiles(seed, count)));
            Ok(())
        }
        ["--help" | "-h" | "help"] | [] => {
            println!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown task `{}`\n\n{USAGE}", other.join(" ")),
    }
}

/// Every generated file: the dataset and schema first, since the docs show them.
/// Each file written is named with its size as it is written; a run that
/// writes none says so, with how many files it compared.
fn gen_data(mode: Mode) -> Result<()> {
    let mut tally = canonical::generate_all(mode)?;
    tally += docs::generate_all(mode, true)?;
    if mode == Mode::Write {
        eprintln!("{}", tally.closing_line());
    }
    Ok(())
}

/// How many generated files a run compared, and how many of them it wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub checked: usize,
    pub written: usize,
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, other: Tally) {
        self.checked += other.checked;
        self.written += other.written;
    }
}

impl Tally {
    /// What `gen-data` prints last.
    fn closing_line(self) -> String {
        let files = |n: usize| if n == 1 { "file" } else { "files" };
        match self.written {
            0 => format!(
                "nothing changed ({} {} checked)",
                self.checked,
                files(self.checked)
            ),
            n => format!(
                "wrote {n} of {} {} checked",
                self.checked,
                files(self.checked)
            ),
        }
    }
}

/// Whether generated files are written or only compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write files whose bytes differ.
    Write,
    /// Fail on the first file whose bytes differ.
    Check,
}

/// The workspace root.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Makes `relative` hold exactly `contents`: writes it in [`Mode::Write`]
/// (saying so on stderr, with its size), fails naming the file and the fix
/// in [`Mode::Check`]. Returns the one file compared, and whether it was written.
pub fn ensure_file(relative: &str, contents: &[u8], mode: Mode) -> Result<Tally> {
    ensure_file_noting(relative, contents, mode, &[])
}

/// [`ensure_file`], naming in [`Mode::Check`] the `places` (`file:line: what`)
/// that are stale, so a long doc's failure points at the block to look at.
pub fn ensure_file_noting(
    relative: &str,
    contents: &[u8],
    mode: Mode,
    places: &[String],
) -> Result<Tally> {
    let path = project_root().join(relative);
    let current = fs::read(&path).ok();
    if current.as_deref() == Some(contents) {
        return Ok(Tally {
            checked: 1,
            written: 0,
        });
    }
    match mode {
        Mode::Check => {
            let places: String = places.iter().map(|p| format!("{p}\n")).collect();
            bail!("{places}{relative} is stale; run `cargo xtask gen-data` and commit the result")
        }
        Mode::Write => {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(&path, contents).with_context(|| format!("cannot write {relative}"))?;
            // The same binary units as the summaries of `spendsense generate`.
            let size = indicatif::HumanBytes(contents.len() as u64);
            eprintln!("wrote {relative} ({size})");
            Ok(Tally {
                checked: 1,
                written: 1,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_file_is_checked_not_written() {
        let readme = fs::read(project_root().join("README.md")).unwrap();
        let tally = ensure_file("README.md", &readme, Mode::Check).unwrap();
        assert_eq!(
            tally,
            Tally {
                checked: 1,
                written: 0
            }
        );
        assert!(ensure_file("README.md", b"stale", Mode::Check).is_err());
    }

    #[test]
    fn the_closing_line_says_whether_anything_changed() {
        let tally = |checked, written| Tally { checked, written }.closing_line();
        assert_eq!(tally(23, 0), "nothing changed (23 files checked)");
        assert_eq!(tally(1, 0), "nothing changed (1 file checked)");
        assert_eq!(tally(23, 2), "wrote 2 of 23 files checked");
    }
}
