//! `spendsense generate`.

use std::io::{self, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use spendsense_generator::{Generator, GeneratorConfig};
use spendsense_schema::{PersonaId, ProfileFormat};

use crate::Failure;
use crate::args::{DataFormat, GenerateArgs};
use crate::commands::progress::{self, Work};
use crate::commands::{count, load_personas, size};
use crate::manifest::{self, Hashing, Manifest, OutputKind, Placement, Role};
use crate::output::{self, Durability, Output};
use crate::pipeline::{self, Sinks, Stats};
use crate::{parquet, sandbox, sqlite, tables};

/// What `--fsync` asks of every file written.
fn durability(args: &GenerateArgs) -> Durability {
    if args.fsync {
        Durability::Synced
    } else {
        Durability::Atomic
    }
}

/// Refuses a `--transactions` path, and any pair of outputs landing in one
/// file, before anything is opened or generated.
fn check_outputs(args: &GenerateArgs, placement: &Placement) -> Result<(), Failure> {
    let usage = |message: String| Err(Failure::Usage(anyhow::anyhow!(message)));
    let file = |path: Option<&std::path::Path>| {
        path.filter(|p| p.as_os_str() != "-")
            .map(|p| p.to_path_buf())
    };
    if let Some(transactions) = args.transactions.as_deref() {
        if let DataFormat::Csv
        | DataFormat::PlaidSandbox
        | DataFormat::Sqlite
        | DataFormat::Parquet = args.format
        {
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
    let manifest = match placement {
        Placement::File(path) => file(Some(path)),
        Placement::None | Placement::InDirectory | Placement::TooLong(_) => None,
    };
    let manifest_flag = if args.manifest.is_some() {
        "--manifest"
    } else {
        "the manifest"
    };
    let outputs = [
        ("-o", file(args.output.as_deref())),
        ("--transactions", file(args.transactions.as_deref())),
        (manifest_flag, manifest),
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

/// How `--format` lays its output out, which decides where the manifest goes.
fn output_kind(format: DataFormat) -> OutputKind {
    match format {
        DataFormat::Json | DataFormat::Jsonl | DataFormat::Sqlite => OutputKind::File,
        DataFormat::Csv | DataFormat::PlaidSandbox | DataFormat::Parquet => OutputKind::Directory,
    }
}

/// The `--format` spelling, as the manifest records it.
fn format_name(format: DataFormat) -> String {
    let value = clap::ValueEnum::to_possible_value(&format).expect("a listed format");
    value.get_name().to_string()
}

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
    let placement = Placement::of(
        output_kind(args.format),
        args.output.as_deref(),
        args.manifest.as_deref(),
        args.no_manifest,
    );
    check_outputs(&args, &placement)?;
    if let (Placement::TooLong(note), false) = (&placement, args.quiet) {
        let _ = writeln!(
            io::stderr(),
            "note: {}",
            spendsense_schema::text::escape(note)
        );
    }
    let range = args
        .shard
        .map_or(0..args.num_users, |shard| shard.range(args.num_users));
    let format_text = format_name(args.format);
    let run = manifest::Run {
        generator: &generator,
        seed: args.seed,
        overlap: config.overlap,
        as_of: config.as_of,
        shard: args.shard,
        range: range.clone(),
        format: &format_text,
    };
    let threads = spendsense_cli::ordered::default_threads(args.threads);
    let format = match args.format {
        DataFormat::Json => ProfileFormat::Json,
        DataFormat::Jsonl => ProfileFormat::Jsonl,
        DataFormat::Csv => {
            let layout = DirectoryLayout {
                format: "csv",
                files: tables::file_list(),
                output_dir: tables::output_dir,
                write_dir: |run, threads, dir, progress| {
                    tables::write_dir(run.generator, run.range.clone(), threads, dir, progress)
                },
            };
            return write_directory(&run, &args, threads, &placement, layout);
        }
        DataFormat::Parquet => {
            let layout = DirectoryLayout {
                format: "parquet",
                files: parquet::file_list(),
                output_dir: parquet::output_dir,
                write_dir: |run, threads, dir, progress| {
                    let configuration = Manifest::of_run(run, Vec::new()).run_configuration();
                    let metadata = serde_json::Value::Object(configuration).to_string();
                    let (generator, range) = (run.generator, run.range.clone());
                    parquet::write_dir(generator, range, &metadata, threads, dir, progress)
                },
            };
            return write_directory(&run, &args, threads, &placement, layout);
        }
        DataFormat::PlaidSandbox => {
            let layout = DirectoryLayout {
                format: "plaid-sandbox",
                files: format!("<user_id>.json, {}", sandbox::INDEX_FILE),
                output_dir: sandbox::output_dir,
                write_dir: |run, threads, dir, progress| {
                    sandbox::write_dir(run.generator, run.range.clone(), threads, dir, progress)
                },
            };
            return write_directory(&run, &args, threads, &placement, layout);
        }
        DataFormat::Sqlite => return write_sqlite(&run, threads, &args, &placement),
    };
    let durability = durability(&args);
    let out = Output::open_with(args.output.as_deref(), durability).map_err(Failure::Usage)?;
    let manifest_out = match &placement {
        Placement::File(path) => Some(
            Output::open_as(Some(path), durability, "users.json.manifest.json")
                .map_err(Failure::Usage)?,
        ),
        Placement::None | Placement::InDirectory | Placement::TooLong(_) => None,
    };
    let transactions = match args.transactions.as_deref() {
        Some(path) => Some(
            Output::open_as(Some(path), durability, "transactions.jsonl")
                .map_err(Failure::Usage)?,
        ),
        None => None,
    };
    let hashing = if manifest_out.is_some() {
        Hashing::new
    } else {
        Hashing::off
    };
    let mut hashed = hashing(out);
    let mut hashed_transactions = transactions.map(hashing);

    let from = if args.transactions.is_some() {
        PROGRESS_WITH_TRANSACTIONS_FROM
    } else {
        PROGRESS_FROM
    };
    let bar = progress::bar(Work::Profiles(range.end - range.start), from, args.quiet);
    let started = Instant::now();
    let progress = |written: u64| bar.set_position(written);
    let sinks = Sinks {
        profiles: &mut hashed,
        transactions: hashed_transactions.as_mut().map(|h| h as &mut dyn Write),
    };
    let stats = pipeline::write_to(&generator, range.clone(), format, threads, sinks, &progress)?;
    let shown = |path: Option<&std::path::Path>| {
        path.map_or_else(|| "-".to_string(), |p| p.display().to_string())
    };
    let mut files = vec![hashed.record(shown(args.output.as_deref()), Role::Profiles)];
    files.extend(
        hashed_transactions
            .as_ref()
            .map(|h| h.record(shown(args.transactions.as_deref()), Role::Transactions)),
    );
    // Every output is complete before any is put in place, and they are put
    // in place together: a failed manifest replaces no profiles.
    let mut outputs = vec![hashed.inner];
    outputs.extend(hashed_transactions.map(|h| h.inner));
    if let Some(mut out) = manifest_out {
        out.write_all(&Manifest::of_run(&run, files).to_bytes())?;
        outputs.push(out);
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

/// Writes profiles `range` of a source into a staged directory, reporting progress.
type WriteDir =
    fn(&manifest::Run, usize, &output::DirOutput, &dyn Fn(u64)) -> anyhow::Result<Stats>;

/// A format that writes several files into the `-o` directory:
/// `--format csv` ([`crate::tables`]), `--format parquet`
/// ([`crate::parquet`]) and `--format plaid-sandbox` ([`crate::sandbox`]).
struct DirectoryLayout {
    format: &'static str,
    /// What the summary says was written, e.g. `users.csv, accounts.csv, …`.
    files: String,
    output_dir: fn(Option<&std::path::Path>, Durability) -> anyhow::Result<output::DirOutput>,
    write_dir: WriteDir,
}

fn write_directory(
    run: &manifest::Run,
    args: &GenerateArgs,
    threads: usize,
    placement: &Placement,
    layout: DirectoryLayout,
) -> Result<ExitCode, Failure> {
    let durability = durability(args);
    if let (Placement::File(path), Some(dir)) = (placement, args.output.as_deref()) {
        // Checked first: refused, the run must not take the directory's lock or stage anything.
        if resolved(path.parent().unwrap_or(path)) == resolved(dir) {
            return Err(Failure::Usage(anyhow::anyhow!(
                "--manifest {} is inside the -o directory, which holds its own {}; leave out --manifest or give a path outside {}",
                path.display(),
                manifest::DIR_MANIFEST,
                dir.display()
            )));
        }
    }
    let mut staged =
        (layout.output_dir)(args.output.as_deref(), durability).map_err(Failure::Usage)?;
    staged.own_manifest();
    let mut manifest_out = match placement {
        Placement::File(path) => {
            Some(Output::open_as(Some(path), durability, "manifest.json").map_err(Failure::Usage)?)
        }
        Placement::None | Placement::InDirectory | Placement::TooLong(_) => None,
    };
    let range = run.range.clone();
    let bar = progress::bar(
        Work::Profiles(range.end - range.start),
        PROGRESS_FROM,
        args.quiet,
    );
    let started = Instant::now();
    let stats = (layout.write_dir)(run, threads, &staged, &|n| bar.set_position(n))?;
    let record = || Manifest::of_run(run, staged.files()).to_bytes();
    if let Some(out) = &mut manifest_out {
        out.write_all(&record())?;
    }
    if *placement == Placement::InDirectory {
        let mut file = staged.create(manifest::DIR_MANIFEST)?;
        file.write_all(&record())?;
        file.finish()?;
    }
    let dir = staged.path().to_path_buf();
    staged.commit_with(manifest_out.into_iter().collect())?;
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
            seed: run.seed,
            format: &layout.format,
            shard: &shard,
        };
        let _ = summary.write(&stats, started.elapsed());
    }
    Ok(ExitCode::SUCCESS)
}

/// `path` made absolute and resolved as far as it exists (`.`, `..`,
/// links), so that `-o .` and `--manifest m.json` are seen to be one directory.
fn resolved(path: &std::path::Path) -> std::path::PathBuf {
    let path = if path.as_os_str().is_empty() {
        std::path::Path::new(".")
    } else {
        path
    };
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            return rest.iter().rev().fold(real, |at, name| at.join(name));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// `--format sqlite`: one database file through the `output` module
/// ([`crate::sqlite`]), with the run's configuration in its run table.
fn write_sqlite(
    manifest_run: &manifest::Run,
    threads: usize,
    args: &GenerateArgs,
    placement: &Placement,
) -> Result<ExitCode, Failure> {
    let (generator, range) = (manifest_run.generator, manifest_run.range.clone());
    sqlite::check_output(args.output.as_deref()).map_err(Failure::Usage)?;
    let target = args.output.as_deref().expect("checked: a file");
    let out = Output::open_as(Some(target), durability(args), "profiles.sqlite")
        .map_err(Failure::Usage)?;
    let manifest_out = match placement {
        Placement::File(path) => Some(
            Output::open_as(
                Some(path),
                durability(args),
                "profiles.sqlite.manifest.json",
            )
            .map_err(Failure::Usage)?,
        ),
        Placement::None | Placement::InDirectory | Placement::TooLong(_) => None,
    };
    let rows = Manifest::of_run(manifest_run, Vec::new()).run_rows();
    let run: Vec<(&str, &str)> = rows.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let bar = progress::bar(
        Work::Profiles(range.end - range.start),
        PROGRESS_WITH_TRANSACTIONS_FROM,
        args.quiet,
    );
    let started = Instant::now();
    let stats = sqlite::write(
        generator,
        range.clone(),
        threads,
        &out,
        target,
        &run,
        &|n| bar.set_position(n),
    )?;
    let mut outputs = vec![out];
    if let Some(mut manifest_out) = manifest_out {
        // SQLite wrote the staged file itself, so it is hashed once, closed.
        let staged = outputs[0].staged_path().expect("a file output");
        let mut hashed = Hashing::new(io::sink());
        io::copy(&mut std::fs::File::open(staged)?, &mut hashed)?;
        let file = hashed.record(target.display().to_string(), Role::Profiles);
        manifest_out.write_all(&Manifest::of_run(manifest_run, vec![file]).to_bytes())?;
        outputs.push(manifest_out);
    }
    output::commit_all(outputs)?;
    bar.finish_and_clear();
    if !args.quiet {
        let shard = args
            .shard
            .map(|s| format!(", shard {s} = profiles {}..{}", range.start, range.end))
            .unwrap_or_default();
        let target = format!(
            "{} ({} transactions)",
            target.display(),
            count(stats.transactions)
        );
        let summary = Summary {
            target: &target,
            transactions: None,
            seed: args.seed,
            format: &"sqlite",
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
        let per_second = |n: u64| count((n as f64 / took.as_secs_f64().max(1e-9)).round() as u64);
        writeln!(
            err,
            "wrote {} profiles ({}, {format}) to {target} in {:.2?} ({} profiles/s); seed {seed}{shard}",
            count(stats.profiles),
            size(stats.bytes),
            took,
            per_second(stats.profiles)
        )?;
        if let Some(path) = self.transactions {
            let path = path.display().to_string();
            writeln!(
                err,
                "transactions: {} ({}, jsonl) to {} ({} transactions/s)",
                count(stats.transactions),
                size(stats.transaction_bytes),
                spendsense_schema::text::escape(&path),
                per_second(stats.transactions)
            )?;
        }
        let personas: Vec<String> = PersonaId::ALL
            .iter()
            .map(|p| format!("{p} {}", count(stats.per_persona[p.index()])))
            .collect();
        writeln!(err, "personas: {}", personas.join(", "))?;
        if let Some((low, high)) = stats.income {
            writeln!(err, "income: {low} to {high}")?;
        }
        Ok(())
    }
}
