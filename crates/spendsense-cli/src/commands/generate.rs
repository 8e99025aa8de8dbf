//! `spendsense generate`.

use std::io::{self, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};
use spendsense_generator::{Generator, GeneratorConfig};
use spendsense_schema::{PersonaId, ProfileFormat};

use crate::args::{DataFormat, GenerateArgs};
use crate::output::{self, Durability, Output};
use crate::pipeline::{self, Sinks, Stats};
use crate::{Failure, commands::load_personas};
use crate::{parquet, sandbox, tables};

/// Passes writes through, hashing them when a manifest is wanted.
struct Hashing<'a> {
    inner: &'a mut dyn Write,
    sha: Option<Sha256>,
}

impl Write for Hashing<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.inner.write(buf)?;
        if let Some(sha) = &mut self.sha {
            sha.update(&buf[..written]);
        }
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// What `--fsync` asks of every file written.
fn durability(args: &GenerateArgs) -> Durability {
    if args.fsync {
        Durability::Synced
    } else {
        Durability::Atomic
    }
}

/// Hex of a finished SHA-256.
fn hex(sha: Sha256) -> String {
    sha.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Refuses a `--transactions` path, and any pair of outputs landing in one
/// file, before anything is opened or generated.
fn check_outputs(args: &GenerateArgs) -> Result<(), Failure> {
    let usage = |message: String| Err(Failure::Usage(anyhow::anyhow!(message)));
    let file = |path: Option<&std::path::Path>| {
        path.filter(|p| p.as_os_str() != "-")
            .map(|p| p.to_path_buf())
    };
    if let Some(transactions) = args.transactions.as_deref() {
        if let DataFormat::Csv | DataFormat::PlaidSandbox | DataFormat::Parquet = args.format {
            let format = clap::ValueEnum::to_possible_value(&args.format).expect("a listed format");
            return usage(format!(
                "--transactions writes JSON Lines next to --format json or jsonl output; it is not available with --format {}",
                format.get_name()
            ));
        }
        if transactions.as_os_str() == "-" {
            return usage(
                "--transactions `-` is not allowed: stdout is where the profiles go; give a file path such as transactions.jsonl".into(),
            );
        }
    }
    let to_stdout = |path: Option<&std::path::Path>| path.is_none_or(|p| p.as_os_str() == "-");
    if args
        .manifest
        .as_deref()
        .is_some_and(|p| p.as_os_str() == "-")
        && to_stdout(args.output.as_deref())
    {
        return usage(
            "--manifest - and the profiles would both go to stdout, in one unreadable stream; give -o FILE or --manifest FILE".into(),
        );
    }
    let outputs = [
        ("-o", file(args.output.as_deref())),
        ("--transactions", file(args.transactions.as_deref())),
        ("--manifest", file(args.manifest.as_deref())),
    ];
    let personas = [("the persona definitions", args.personas.as_deref())];
    for (flag, path) in &outputs {
        if let Some(path) = path {
            output::refuse_overwriting_inputs((flag, path), &personas).map_err(Failure::Usage)?;
        }
    }
    for (at, (first, a)) in outputs.iter().enumerate() {
        for (second, b) in &outputs[at + 1..] {
            if let (Some(a), Some(b)) = (a, b)
                && output::same_file(a, b)
            {
                return usage(format!(
                    "{first} {} and {second} {} are the same file; give each output its own path",
                    a.display(),
                    b.display()
                ));
            }
        }
    }
    Ok(())
}

/// Runs shorter than this draw no progress bar.
const PROGRESS_FROM: u64 = 50_000;

/// Runs with transactions shorter than this draw no progress bar: a
/// profile's transactions take over ten times as long as the profile.
const PROGRESS_WITH_TRANSACTIONS_FROM: u64 = 2_000;

pub fn run(args: GenerateArgs) -> Result<ExitCode, Failure> {
    let personas = load_personas(args.personas.as_deref())?;
    let config = GeneratorConfig {
        seed: args.seed,
        count: args.num_users,
        personas,
        mix: args.mix.unwrap_or_default(),
        overlap: args.overlap.unwrap_or_default(),
        as_of: args
            .as_of
            .map_or(spendsense_generator::DEFAULT_AS_OF, |as_of| as_of.0),
    };
    let generator = Generator::new(&config).map_err(|err| Failure::Usage(err.into()))?;
    check_outputs(&args)?;
    let range = args
        .shard
        .map_or(0..args.num_users, |shard| shard.range(args.num_users));
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let format = match args.format {
        DataFormat::Json => ProfileFormat::Json,
        DataFormat::Jsonl => ProfileFormat::Jsonl,
        DataFormat::Csv => {
            let layout = DirectoryLayout {
                format: "csv",
                files: tables::file_list(),
                output_dir: tables::output_dir,
                write_dir: tables::write_dir,
            };
            return write_directory(&generator, range, &args, layout);
        }
        DataFormat::Parquet => {
            let layout = DirectoryLayout {
                format: "parquet",
                files: parquet::file_list(),
                output_dir: parquet::output_dir,
                write_dir: parquet::write_dir,
            };
            return write_directory(&generator, range, &args, layout);
        }
        DataFormat::PlaidSandbox => {
            let layout = DirectoryLayout {
                format: "plaid-sandbox",
                files: format!("<user_id>.json, {}", sandbox::INDEX_FILE),
                output_dir: sandbox::output_dir,
                write_dir: |generator, range, _, dir, progress| {
                    sandbox::write_dir(generator, range, dir, progress)
                },
            };
            return write_directory(&generator, range, &args, layout);
        }
    };
    let durability = durability(&args);
    let mut out = Output::open_with(args.output.as_deref(), durability).map_err(Failure::Usage)?;
    let manifest = match args.manifest.as_deref() {
        Some(path) => Some(Output::open_with(Some(path), durability).map_err(Failure::Usage)?),
        None => None,
    };
    let mut transactions = match args.transactions.as_deref() {
        Some(path) => Some(
            Output::open_as(Some(path), durability, "transactions.jsonl")
                .map_err(Failure::Usage)?,
        ),
        None => None,
    };
    let sha = || manifest.as_ref().map(|_| Sha256::new());
    let mut hashed = Hashing {
        inner: &mut out,
        sha: sha(),
    };
    let mut hashed_transactions = transactions
        .as_mut()
        .map(|inner| Hashing { inner, sha: sha() });

    let from = if args.transactions.is_some() {
        PROGRESS_WITH_TRANSACTIONS_FROM
    } else {
        PROGRESS_FROM
    };
    let bar = progress_bar(range.end - range.start, from, args.quiet);
    let started = Instant::now();
    let progress = |written: u64| bar.set_position(written);
    let sinks = Sinks {
        profiles: &mut hashed,
        transactions: hashed_transactions.as_mut().map(|h| h as &mut dyn Write),
    };
    let stats = pipeline::write_to(&generator, range.clone(), format, threads, sinks, &progress)?;
    let sha256 = hashed.sha.take().map(hex);
    let transactions_sha256 = hashed_transactions
        .and_then(|mut hashed| hashed.sha.take())
        .map(hex);
    // Every output is complete before any is put in place, and they are put
    // in place together: a failed manifest replaces no profiles.
    let mut outputs = vec![out];
    outputs.extend(transactions);
    if let (Some(mut manifest), Some(sha256)) = (manifest, sha256) {
        let mut record = serde_json::json!({
            "tool": "spendsense",
            "version": env!("CARGO_PKG_VERSION"),
            "fingerprint": generator.fingerprint(),
            "seed": args.seed,
            // A JSON number past 2^53 is rounded by readers that parse doubles
            // (JavaScript, jq); the same seed as text reads back exactly.
            "seed_string": args.seed.to_string(),
            "count": args.num_users,
            "mix": generator.mix().to_string(),
            "overlap": config.overlap.to_string(),
            "as_of": config.as_of.to_string(),
            "shard": args.shard.map(|s| s.to_string()),
            "profiles": { "start": range.start, "end": range.end },
            "format": format.as_str(),
            "output": args.output.as_deref().filter(|p| p.as_os_str() != "-").map(|p| p.display().to_string()),
            "bytes": stats.bytes,
            "sha256": sha256,
        });
        if let (Some(path), Some(sha256)) = (args.transactions.as_deref(), transactions_sha256) {
            record["transactions"] = serde_json::json!({
                "output": path.display().to_string(),
                "count": stats.transactions,
                "bytes": stats.transaction_bytes,
                "sha256": sha256,
            });
        }
        serde_json::to_writer_pretty(&mut manifest, &record)?;
        manifest.write_all(b"\n")?;
        outputs.push(manifest);
    }
    output::commit_all(outputs)?;
    bar.finish_and_clear();

    if !args.quiet {
        let target = match args.output.as_deref() {
            Some(path) if path.as_os_str() != "-" => path.display().to_string(),
            _ => "stdout".to_string(),
        };
        let shard = args
            .shard
            .map(|s| format!(", shard {s} = profiles {}..{}", range.start, range.end))
            .unwrap_or_default();
        let summary = Summary {
            target: &target,
            transactions: args.transactions.as_deref(),
            seed: args.seed,
            format: &format,
            shard: &shard,
        };
        let _ = summary.write(&stats, started.elapsed());
    }
    Ok(ExitCode::SUCCESS)
}

/// A progress bar for long runs; indicatif draws nothing when stderr is not a terminal.
fn progress_bar(total: u64, from: u64, quiet: bool) -> ProgressBar {
    if total < from || quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {human_pos}/{human_len} profiles ({per_sec}, eta {eta})",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar
}

/// Writes profiles `range` of a source into a staged directory, reporting progress.
type WriteDir = fn(
    &Generator,
    std::ops::Range<u64>,
    Option<usize>,
    &output::DirOutput,
    &dyn Fn(u64),
) -> anyhow::Result<Stats>;

/// A format that writes several files into the `-o` directory, one profile at
/// a time on one thread: `--format csv` ([`crate::tables`]) and
/// `--format plaid-sandbox` ([`crate::sandbox`]).
struct DirectoryLayout {
    format: &'static str,
    /// What the summary says was written, e.g. `users.csv, accounts.csv, …`.
    files: String,
    output_dir: fn(Option<&std::path::Path>, Durability) -> anyhow::Result<output::DirOutput>,
    write_dir: WriteDir,
}

fn write_directory(
    generator: &Generator,
    range: std::ops::Range<u64>,
    args: &GenerateArgs,
    layout: DirectoryLayout,
) -> Result<ExitCode, Failure> {
    if args.manifest.is_some() {
        // Checked first: refused, the run must not take the directory's lock or stage anything.
        if args.output.as_deref().is_some_and(|p| p.as_os_str() != "-") {
            return Err(Failure::Usage(anyhow::anyhow!(
                "--manifest records one output file; it is not available with --format {}",
                layout.format
            )));
        }
    }
    let staged =
        (layout.output_dir)(args.output.as_deref(), durability(args)).map_err(Failure::Usage)?;
    let bar = progress_bar(range.end - range.start, PROGRESS_FROM, args.quiet);
    let started = Instant::now();
    let stats = (layout.write_dir)(generator, range.clone(), args.threads, &staged, &|n| {
        bar.set_position(n)
    })?;
    let dir = staged.path().to_path_buf();
    staged.commit()?;
    bar.finish_and_clear();
    if !args.quiet {
        let shard = args
            .shard
            .map(|s| format!(", shard {s} = profiles {}..{}", range.start, range.end))
            .unwrap_or_default();
        let target = format!("{} ({})", dir.display(), layout.files);
        let summary = Summary {
            target: &target,
            transactions: None,
            seed: args.seed,
            format: &layout.format,
            shard: &shard,
        };
        let _ = summary.write(&stats, started.elapsed());
    }
    Ok(ExitCode::SUCCESS)
}

/// What the summary on stderr says besides the counts.
struct Summary<'a> {
    /// Where the profiles went.
    target: &'a str,
    /// Where the transactions went, if anywhere.
    transactions: Option<&'a std::path::Path>,
    seed: u64,
    format: &'a dyn std::fmt::Display,
    /// `, shard K/N = profiles A..B`, or empty.
    shard: &'a str,
}

impl Summary<'_> {
    fn write(&self, stats: &Stats, took: Duration) -> io::Result<()> {
        let Summary {
            seed,
            format,
            shard,
            ..
        } = self;
        // The targets are paths the user typed; they may hold control characters.
        let target = spendsense_schema::text::escape(self.target);
        let mut err = io::stderr().lock();
        let per_second = |count: u64| count as f64 / took.as_secs_f64().max(1e-9);
        writeln!(
            err,
            "wrote {} profiles ({} bytes, {format}) to {target} in {:.2?} ({:.0} profiles/s); seed {seed}{shard}",
            stats.profiles,
            stats.bytes,
            took,
            per_second(stats.profiles)
        )?;
        if let Some(path) = self.transactions {
            let path = path.display().to_string();
            writeln!(
                err,
                "transactions: {} ({} bytes, jsonl) to {} ({:.0} transactions/s)",
                stats.transactions,
                stats.transaction_bytes,
                spendsense_schema::text::escape(&path),
                per_second(stats.transactions)
            )?;
        }
        let personas: Vec<String> = PersonaId::ALL
            .iter()
            .map(|p| format!("{p} {}", stats.per_persona[p.index()]))
            .collect();
        writeln!(err, "personas: {}", personas.join(", "))?;
        if let Some((low, high)) = stats.income {
            writeln!(err, "income: {low} to {high}")?;
        }
        Ok(())
    }
}
