//! Command-line arguments, parsed and checked at the boundary.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Largest `--num-users` accepted: a billion profiles is about 1.2 TB of JSONL.
pub const MAX_USERS: u64 = 1_000_000_000;

/// Persona-driven synthetic financial user profiles, reproducible from a seed.
///
/// Every profile belongs to one of four personas (high_utilization,
/// variable_income, subscription_heavy, savings_builder) or the control group,
/// in equal shares, and triggers its own persona's detection criteria and no
/// other. The same seed always gives the same bytes.
#[derive(Debug, Parser)]
#[command(name = "spendsense", version, propagate_version = true)]
#[command(
    after_help = "Examples:\n  spendsense generate --num-users 1000 --seed 7 -o users.json\n  spendsense generate --num-users 10000000 --format jsonl -o big.jsonl\n  spendsense validate users.json\n  spendsense personas"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate profiles as JSON or JSONL (summary on stderr, data on stdout or -o).
    Generate(GenerateArgs),
    /// Check a JSON or JSONL dataset: schema, persona ranges, classification, duplicates, quotas.
    ///
    /// Exit status: 0 when every rule holds, 1 when any is broken, 2 when the
    /// input cannot be read.
    Validate(ValidateArgs),
    /// Print the persona definitions and detection criteria.
    Personas(PersonasArgs),
}

#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
pub struct GenerateArgs {
    /// Number of profiles, 1 to 1,000,000,000.
    #[arg(short = 'n', long, value_name = "N", default_value = "100", value_parser = parse_user_count)]
    pub num_users: u64,

    /// Seed of every random draw: a whole number from 0 to 18446744073709551615.
    #[arg(short, long, value_name = "S", default_value_t = 42, value_parser = parse_seed)]
    pub seed: u64,

    /// Output layout: `json` is one pretty-printed array, `jsonl` one profile per line.
    #[arg(short, long, value_enum, default_value_t = DataFormat::Json)]
    pub format: DataFormat,

    /// Write here instead of stdout (`-` is stdout). The file is replaced atomically.
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// Worker threads (default: all cores). The output never depends on it.
    #[arg(short = 'j', long, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<usize>,

    /// Produce only the K-th of N contiguous slices (K from 1). Concatenated in
    /// order, the N JSONL shards equal the unsharded output byte for byte.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,

    /// Load persona definitions from a JSON file (export the defaults with
    /// `spendsense personas --format json`).
    #[arg(long, value_name = "FILE")]
    pub personas: Option<PathBuf>,

    /// Print no summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The dataset, `.json` (array) or `.jsonl` (one profile per line); `-` reads stdin.
    pub path: PathBuf,

    /// Report layout.
    #[arg(short, long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,

    /// Input layout; `auto` decides by extension, then by the first byte.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub input_format: InputFormat,

    /// Check against persona definitions from this JSON file instead of the defaults.
    #[arg(long, value_name = "FILE")]
    pub personas: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PersonasArgs {
    /// `table` for people, `json` for the definitions as data.
    #[arg(short, long, value_enum, default_value_t = PersonasFormat::Table)]
    pub format: PersonasFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DataFormat {
    /// A pretty-printed JSON array.
    Json,
    /// JSON Lines: one compact profile per line.
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A readable summary.
    Text,
    /// The report as JSON.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// By extension (.json, .jsonl, .ndjson), else by the first byte.
    Auto,
    /// A JSON array.
    Json,
    /// One profile per line.
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PersonasFormat {
    /// An aligned table.
    Table,
    /// JSON, loadable with `generate --personas`.
    Json,
}

/// One slice of a sharded run: the `index`-th (from 1) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// The contiguous slice of `0..total` this shard covers.
    pub fn range(self, total: u64) -> std::ops::Range<u64> {
        let bound = |k: u64| (u128::from(total) * u128::from(k) / u128::from(self.count)) as u64;
        bound(self.index - 1)..bound(self.index)
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let usage = || format!("`{text}` is not K/N with 1 <= K <= N, e.g. 2/8");
        let (k, n) = text.split_once('/').ok_or_else(usage)?;
        let (index, count): (u64, u64) = (
            k.trim().parse().map_err(|_| usage())?,
            n.trim().parse().map_err(|_| usage())?,
        );
        if count == 0 || index == 0 || index > count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

fn whole_number(text: &str, what: &str, max: u64) -> Result<u64, String> {
    let trimmed = text.trim();
    if trimmed.starts_with('-')
        && trimmed[1..].chars().all(|c| c.is_ascii_digit())
        && trimmed.len() > 1
    {
        return Err(format!(
            "{what} cannot be negative; use a whole number from 1 to {max}"
        ));
    }
    match trimmed.parse::<u64>() {
        Ok(value) => Ok(value),
        Err(_) if !trimmed.is_empty() && trimmed.chars().all(|c| c.is_ascii_digit()) => {
            Err(format!("too large; use a whole number up to {max}"))
        }
        Err(_) => Err(format!(
            "not a whole number; use a whole number from 1 to {max}"
        )),
    }
}

fn parse_user_count(text: &str) -> Result<u64, String> {
    let value = whole_number(text, "the user count", MAX_USERS)?;
    match value {
        0 => Err(format!(
            "0 users is not allowed; use a whole number from 1 to {MAX_USERS}"
        )),
        v if v > MAX_USERS => Err(format!(
            "too large; use a whole number from 1 to {MAX_USERS}"
        )),
        v => Ok(v),
    }
}

fn parse_seed(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    trimmed
        .parse::<u64>()
        .map_err(|_| format!("use a whole number from 0 to {}", u64::MAX))
}

fn parse_threads(text: &str) -> Result<usize, String> {
    const MAX_THREADS: u64 = 256;
    let value = whole_number(text, "the thread count", MAX_THREADS)?;
    if value == 0 || value > MAX_THREADS {
        return Err(format!("use a whole number from 1 to {MAX_THREADS}"));
    }
    Ok(value as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_tile_the_range_in_order() {
        for total in [0, 1, 7, 100, 1001] {
            for count in [1, 2, 3, 7, 16] {
                let mut next = 0;
                for index in 1..=count {
                    let range = Shard { index, count }.range(total);
                    assert_eq!(range.start, next);
                    next = range.end;
                }
                assert_eq!(next, total);
            }
        }
    }

    #[test]
    fn shard_syntax_is_checked() {
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { index: 2, count: 4 }));
        for bad in ["0/4", "5/4", "1/0", "a/b", "3", "-1/4", ""] {
            assert!(
                bad.parse::<Shard>().unwrap_err().contains("is not K/N"),
                "{bad}"
            );
        }
    }

    #[test]
    fn user_counts_name_what_is_allowed() {
        assert_eq!(parse_user_count("100"), Ok(100));
        assert!(
            parse_user_count("0")
                .unwrap_err()
                .starts_with("0 users is not allowed")
        );
        assert!(
            parse_user_count("-5")
                .unwrap_err()
                .contains("cannot be negative")
        );
        assert!(
            parse_user_count("lots")
                .unwrap_err()
                .contains("not a whole number")
        );
        assert!(
            parse_user_count("99999999999999999999999")
                .unwrap_err()
                .contains("too large")
        );
        assert!(
            parse_user_count("1000000001")
                .unwrap_err()
                .contains("too large")
        );
    }
}
