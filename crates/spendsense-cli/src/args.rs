//! Command-line arguments, parsed and checked at the boundary.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
pub use spendsense_generator::Shard;

/// The seed of `generate` without `--seed`, which `validate --shard` assumes too.
pub const DEFAULT_SEED: u64 = 42;
use spendsense_generator::Overlap;
use spendsense_personas::Mix;

/// Largest `--num-users` accepted, the generator's [`spendsense_generator::MAX_COUNT`].
pub const MAX_USERS: u64 = spendsense_generator::MAX_COUNT;

/// Persona-driven synthetic financial user profiles, reproducible from a seed.
///
/// Every profile belongs to one of four personas (high_utilization,
/// variable_income, subscription_heavy, savings_builder) or the control group,
/// in equal shares, and triggers its own persona's detection criteria and no
/// other. The same seed always gives the same bytes.
#[derive(Debug, Parser)]
#[command(name = "spendsense", propagate_version = true)]
#[command(
    after_help = "Examples:\n  spendsense generate --num-users 1000 --seed 7 -o users.json\n  spendsense generate --num-users 10000000 --format jsonl -o big.jsonl\n  spendsense validate users.json\n  spendsense generate -n 1000 --mix high_utilization=40,control=60 --overlap 0.2 -o mixed.json\n  spendsense report users.json -o report.html\n  spendsense generate -n 20 --format plaid-sandbox -o sandbox/\n  spendsense personas\n  spendsense completions bash > ~/.local/share/bash-completion/completions/spendsense\n  spendsense man > spendsense.1"
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
    /// Check the shards of a run from their manifests and summaries, without
    /// reading the data: missing, duplicated, out-of-order or foreign
    /// shards, and the union's quotas and duplicates.
    ///
    /// Validate each shard where it is made first: `spendsense validate
    /// PART --summary` writes `PART.summary.json`. Exit status: 0 when the
    /// parts make the whole run and it is valid, 1 when not, 2 when a part
    /// cannot be read.
    #[command(
        after_help = "Example:\n  for k in 1 2 3; do spendsense generate -n 3000 --format jsonl --shard $k/3 -o part-0000$k.jsonl; done\n  for p in part-*.jsonl; do spendsense validate $p --summary -q; done\n  spendsense shards part-*.jsonl"
    )]
    Shards(ShardsArgs),
    /// Print the persona definitions and detection criteria.
    Personas(PersonasArgs),
    /// Print the JSON Schema (Draft 2020-12) of one profile, as in docs/profile.schema.json,
    /// a reader's type spec of the JSON output (`duckdb`, `spark`), or the SQL DDL of the tables (`sql-sqlite`, `sql-postgres`).
    Schema(SchemaArgs),
    /// Print the fingerprint of the generation algorithm and persona definitions.
    ///
    /// Same fingerprint + seed + count + mix ⇒ same bytes, on every platform.
    Fingerprint(FingerprintArgs),
    /// Write a self-contained HTML report of a dataset: persona counts, income,
    /// utilization, savings targets, account mix and the validation result.
    ///
    /// The report is written even when the dataset breaks a rule (it lists the
    /// violations); exit status 2 when the input cannot be read.
    Report(ReportArgs),
    /// Print a shell completion script on stdout.
    ///
    /// For bash, save it as
    /// ~/.local/share/bash-completion/completions/spendsense; for zsh, as
    /// _spendsense in a directory of $fpath; for fish, as
    /// ~/.config/fish/completions/spendsense.fish.
    Completions(CompletionsArgs),
    /// Print the man page (roff) of spendsense, or of one of its commands, on stdout,
    /// or write them all into a directory.
    ///
    /// `spendsense man | man -l -` reads it; `spendsense man generate` is the
    /// page of `spendsense generate`; `spendsense man -o ~/.local/share/man/man1`
    /// installs every page.
    Man(ManArgs),
}

/// The parser, with the version line filled in at run time.
///
/// `--version` names the fingerprint of the default algorithm and persona
/// definitions (`spendsense 0.1.0 (fingerprint ssg5-…)`), computed by the
/// generator rather than written down, so it cannot go stale. The man page
/// and the completion scripts are rendered from this same command.
pub fn command() -> clap::Command {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let version = VERSION.get_or_init(|| {
        let fingerprint =
            spendsense_generator::fingerprint(&spendsense_personas::Personas::spendsense());
        format!("{} (fingerprint {fingerprint})", env!("CARGO_PKG_VERSION"))
    });
    <Cli as clap::CommandFactory>::command().version(version.as_str())
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (default: the page of spendsense itself).
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,

    /// Write every page instead, spendsense.1 and spendsense-COMMAND.1, into
    /// this directory (created if missing), replacing the pages of an earlier
    /// run together; other files there stay.
    #[arg(short, long, value_name = "DIR", conflicts_with = "command")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct FingerprintArgs {
    /// Fingerprint these persona definitions instead of the defaults (`-` reads stdin).
    #[arg(long, value_name = "FILE")]
    pub personas: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
pub struct GenerateArgs {
    /// Number of profiles, 1 to 1,000,000,000.
    #[arg(short = 'n', long, value_name = "N", default_value = "100", value_parser = parse_user_count)]
    pub num_users: u64,

    /// Seed of every random draw: a whole number from 0 to 18446744073709551615.
    #[arg(short, long, value_name = "S", default_value_t = DEFAULT_SEED, value_parser = parse_seed)]
    pub seed: u64,

    /// Output layout.
    #[arg(short, long, value_enum, default_value_t = DataFormat::Json)]
    pub format: DataFormat,

    /// Write here instead of stdout (`-` is stdout). The file is replaced atomically.
    /// With `--format csv`, `parquet` or `plaid-sandbox`, a directory (created if missing), required.
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
    /// `spendsense personas --format json`); `-` reads stdin.
    #[arg(long, value_name = "FILE")]
    pub personas: Option<PathBuf>,

    /// Persona weights, normalised: e.g. `high_utilization=40,variable_income=15,subscription_heavy=15,savings_builder=15,control=15`.
    /// Personas left out weigh 0. Every prefix keeps each persona within one user of its share.
    #[arg(long, value_name = "PERSONA=WEIGHT,...", value_parser = parse_mix)]
    pub mix: Option<Mix>,

    /// Share (0 to 1) of persona users that deliberately also meet one
    /// lower-priority persona's criteria, to test prioritisation. Such profiles
    /// carry `expected_assignment` and `matched_personas`. Default 0: every
    /// profile meets exactly its own persona.
    #[arg(long, value_name = "FRACTION", value_parser = parse_overlap)]
    pub overlap: Option<Overlap>,

    /// Last day of every profile's 180-day plan history, `YYYY-MM-DD` (default
    /// 2026-11-30, fixed so that output never depends on the day it is made).
    /// `today` uses the machine's clock (UTC), and only when asked.
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<AsOf>,

    /// Write the run's manifest here instead of beside the output: seed,
    /// count, mix, overlap, as_of, fingerprint, version, and the bytes and
    /// SHA-256 of every file (see docs/manifest.md). By default a file
    /// `-o users.json` gets `users.json.manifest.json`, a directory output
    /// `manifest.json` inside it, and stdout none.
    #[arg(long, value_name = "PATH", conflicts_with = "no_manifest")]
    pub manifest: Option<PathBuf>,

    /// Write no manifest.
    #[arg(long)]
    pub no_manifest: bool,

    /// Also write every profile's transactions to FILE as JSON Lines (amount
    /// positive = money out of the account, negative = money in).
    ///
    /// One Plaid-shaped transaction per line (transaction_id
    /// `<user_id>-tNNNN`, account_id, amount, date, name, merchant_name,
    /// personal_finance_category, …), the profiles in output order and each
    /// profile's transactions oldest first. An amount is positive for money
    /// leaving the account (purchases, bills, interest, payments and transfers
    /// sent) and negative for money arriving (paychecks, transfers and card
    /// payments received), as in Plaid. With --format json or jsonl only; FILE
    /// is replaced atomically and must not be `-` (stdout carries the
    /// profiles) or the -o file. Concatenated in order, the transactions of
    /// --shard runs equal the unsharded file. Check a pair with `spendsense
    /// validate PATH --transactions FILE`.
    #[arg(long, value_name = "FILE")]
    pub transactions: Option<PathBuf>,

    /// Flush every output file to disk before renaming it into place, so it
    /// also survives an OS crash or power failure. Without it the rename is
    /// still atomic (a killed or failed run never leaves a partial file), and
    /// the kernel writes the data back in its own time; syncing waits for the
    /// disk, which on large outputs can take longer than generating them.
    #[arg(long)]
    pub fsync: bool,

    /// Print nothing on stderr but errors: no summary and no progress bar
    /// (drawn only when stderr is a terminal).
    #[arg(short, long)]
    pub quiet: bool,
}

/// The dataset `validate` and `report` read, and what it is checked against.
#[derive(Debug, Args)]
pub struct DatasetArgs {
    /// The dataset, `.json` (array) or `.jsonl` (one profile per line); `-` reads stdin.
    pub path: PathBuf,

    /// Input layout.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub input_format: InputFormat,

    /// Check against persona definitions from this JSON file instead of the
    /// defaults (`-` reads stdin, unless the dataset is read from there).
    #[arg(long, value_name = "FILE")]
    pub personas: Option<PathBuf>,

    /// The persona mix the dataset was generated with (default: the
    /// manifest's, else equal shares); quotas are checked against it.
    #[arg(long, value_name = "PERSONA=WEIGHT,...", value_parser = parse_mix)]
    pub mix: Option<Mix>,

    /// Read the run's manifest here instead of beside the dataset
    /// (`PATH.manifest.json`); see docs/manifest.md.
    #[arg(long, value_name = "FILE", conflicts_with = "no_manifest")]
    pub manifest: Option<PathBuf>,

    /// Ignore the dataset's manifest: check against the flags and defaults only.
    #[arg(long)]
    pub no_manifest: bool,

    /// How persona quotas are judged. `auto`: at every prefix when the
    /// dataset is a generated run in its order (it has a manifest, or
    /// --shard places it), else
    /// on the whole dataset, so a sorted or shuffled file is judged fairly.
    #[arg(long, value_enum, default_value_t = QuotaCheck::Auto)]
    pub quotas: QuotaCheck,

    /// Judge a dataset without a manifest as shard K of N of a run of
    /// `-n TOTAL` profiles, as `generate --shard K/N -n TOTAL` made it: its
    /// quotas at its place in the run, and its size.
    ///
    /// Needs -n; --seed (default 42, as for generate) decides the order of
    /// the personas inside each period of the mix, and --mix the mix. A
    /// dataset with a manifest already knows its place: leave out --shard
    /// (or pass --no-manifest).
    #[arg(
        long,
        value_name = "K/N",
        requires = "num_users",
        conflicts_with = "manifest"
    )]
    pub shard: Option<Shard>,

    /// The number of profiles of the whole run, with --shard.
    #[arg(short = 'n', long, value_name = "TOTAL", requires = "shard", value_parser = parse_user_count)]
    pub num_users: Option<u64>,

    /// The seed of the run, with --shard (default 42, as for generate).
    #[arg(short, long, value_name = "S", requires = "shard", value_parser = parse_seed)]
    pub seed: Option<u64>,

    /// Print nothing on stderr but errors: no progress bar (drawn only when
    /// stderr is a terminal) and no summary.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub dataset: DatasetArgs,

    /// Report layout.
    #[arg(short, long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,

    /// Also check the dataset's transactions with the reference detector
    /// (JSONL, as `generate --transactions` writes them).
    ///
    /// `-` reads stdin. The reference detector,
    /// reading only each profile's accounts, card liabilities and
    /// transactions, must find the profile's personas in both windows
    /// (rule detector-mismatch). A transaction belongs to the user its
    /// transaction_id starts with (`<user_id>-t…`); each profile's
    /// transactions come together, in the order of the profiles.
    #[arg(long, value_name = "FILE")]
    pub transactions: Option<PathBuf>,

    /// Worker threads that parse and check JSON Lines (default: all
    /// cores). The report never depends on it.
    #[arg(short = 'j', long, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<usize>,

    /// Also write a summary that merges with other shards' (counts,
    /// incomes, quota sums, what the ids show) to FILE, default
    /// `PATH.summary.json`; `spendsense shards` checks a run from them.
    #[arg(long, value_name = "FILE", num_args = 0..=1)]
    #[allow(clippy::option_option)]
    pub summary: Option<Option<PathBuf>>,
}

#[derive(Debug, Args)]
pub struct ShardsArgs {
    /// The shard files, in the order they would be concatenated; each
    /// with its manifest (`PART.manifest.json`) and summary
    /// (`PART.summary.json`) beside it.
    #[arg(required = true, value_name = "PART")]
    pub parts: Vec<PathBuf>,

    /// Report layout.
    #[arg(short, long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub dataset: DatasetArgs,

    /// The HTML file to write (replaced atomically; `-` is stdout).
    #[arg(short, long, value_name = "PATH")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// What to print: the profile's JSON Schema, a reader's type spec of the JSON and JSONL output, or the DDL of the tables.
    #[arg(short, long, value_enum, default_value_t = SchemaFormat::JsonSchema)]
    pub format: SchemaFormat,
}

/// `spendsense schema --format`: the JSON Schema, or a reader's type spec
/// generated from it (see docs/reader-types.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaFormat {
    /// The JSON Schema (Draft 2020-12), the bytes of docs/profile.schema.json.
    JsonSchema,
    /// The DuckDB `columns` struct for `read_json(path, columns = ...)`.
    Duckdb,
    /// The Spark schema as a DDL string for `spark.read.schema(ddl).json(path)`.
    Spark,
    /// CREATE TABLE statements of the `--format sqlite` database.
    SqlSqlite,
    /// CREATE TABLE statements for loading the `--format csv` tables into Postgres (docs/sql.md).
    SqlPostgres,
}

#[derive(Debug, Args)]
pub struct PersonasArgs {
    /// `table` for people, `json` for the definitions as data.
    #[arg(short, long, value_enum, default_value_t = PersonasFormat::Table)]
    pub format: PersonasFormat,

    /// Show these persona definitions (checked first) instead of the defaults (`-` reads stdin).
    #[arg(long, value_name = "FILE")]
    pub personas: Option<PathBuf>,
}

/// What `generate --format` writes. Each variant's doc comment is its line
/// in `--help` (and the man page), so a new format is listed with no other edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DataFormat {
    /// A pretty-printed JSON array.
    Json,
    /// JSON Lines: one compact profile per line (also accepted as `ndjson`).
    #[value(alias = "ndjson")]
    Jsonl,
    /// CSV tables joined by user_id (users.csv, accounts.csv, …, transactions.csv), in the -o directory.
    Csv,
    /// One Plaid Sandbox `user_custom` configuration per profile, <user_id>.json, and index.json, in the -o directory.
    PlaidSandbox,
    /// Seven typed Parquet tables (users, accounts, paychecks, recurring, cards, transactions, liabilities), in the -o directory.
    Parquet,
    /// One SQLite database file (-o FILE): the csv tables and the run's configuration, with keys and CHECK constraints; amounts as integer cents (docs/sql.md).
    Sqlite,
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
    /// JSON Lines: one profile per line (also accepted as `ndjson`).
    #[value(alias = "ndjson")]
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QuotaCheck {
    /// `prefix` for a dataset with a manifest, else `shares`.
    Auto,
    /// Every prefix of the run within one of the mix (a generated run, in order).
    Prefix,
    /// The whole dataset within one of the mix (any order).
    Shares,
    /// No quota check (a filtered subset).
    Off,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PersonasFormat {
    /// An aligned table.
    Table,
    /// JSON, loadable with `generate --personas`.
    Json,
}

/// The `--as-of` day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsOf(pub spendsense_schema::Date);

/// Earliest `--as-of`: its history must not reach before year 1.
const EARLIEST_AS_OF: (i32, u8, u8) = (1900, 1, 1);

fn parse_as_of(text: &str) -> Result<AsOf, String> {
    use spendsense_schema::Date;
    let date = if text == "today" {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|_| "the machine's clock is before 1970; give --as-of YYYY-MM-DD".to_string())?
            .as_secs();
        let epoch = Date::from_ymd(1970, 1, 1).expect("a real day");
        epoch.add_days(i32::try_from(seconds / 86_400).unwrap_or(i32::MAX))
    } else {
        text.parse::<Date>()
            .map_err(|err| format!("{err}, or `today`"))?
    };
    let (y, m, d) = EARLIEST_AS_OF;
    let earliest = Date::from_ymd(y, m, d).expect("a real day");
    if date < earliest {
        return Err(format!("{date} is before {earliest}, the earliest --as-of"));
    }
    Ok(AsOf(date))
}

fn parse_overlap(text: &str) -> Result<Overlap, String> {
    Overlap::parse(text).map_err(|err| err.to_string())
}

fn parse_mix(text: &str) -> Result<Mix, String> {
    Mix::parse(text).map_err(|err| err.to_string())
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
