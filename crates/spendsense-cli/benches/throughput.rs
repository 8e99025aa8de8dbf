//! End-to-end throughput and memory of `spendsense`, on this machine.
//!
//! Run with `cargo bench -p spendsense-cli` (or `cargo xtask bench`). It runs
//! the real release binary for every case, measuring wall time and peak RSS
//! (sampled from /proc, so Linux only), and runs the same pipeline in-process
//! on pre-generated profiles as the serialization-plus-IO floor. Prints a
//! Markdown table for docs/performance.md.
//!
//! Every timed case starts from the same state: earlier outputs deleted and
//! `sync` returned, so no case pays for the kernel writing back another
//! case's gigabytes, and every case writes into the page cache those
//! outputs freed (see [`settle`]). One extra row shows the other extreme:
//! the same run writing over the file the previous run left.
//!
//! Timings here vary by up to 2x from run to run, so every case but the two
//! longest (validate, the memory check) is run `SPENDSENSE_BENCH_RUNS` times
//! (default 7) and reported by its median, with the fastest and slowest run.
//!
//! `generate --format parquet` (the seven tables, transactions included, into
//! a directory) is measured on 1 and all threads; its bytes are the files'
//! total.
//!
//! A second table measures `generate --transactions`: transactions/s with
//! the profiles as JSONL and their transactions as JSONL, on 1 and all
//! threads, against the same floor with pre-realised ledgers, plus one run
//! to `/dev/null` (the work without the page cache's copy).
//!
//! A row of the same table measures `generate --format sqlite`, whose one
//! file holds every profile and its ledger: transactions/s and the file's
//! size, on 1 and all threads.
//!
//! The 10M-profile JSONL file of the memory check is then validated on
//! every thread count. `generate --format csv` (the seven tables, with
//! transactions) is measured on 1 and all threads, and once at the big size
//! in shards written one after another, since its 30 KB a profile would not
//! fit on the disk at once. A `cp` of the 1M-profile JSONL file is the
//! disk's floor for generating it.
//!
//! Environment: `SPENDSENSE_BENCH_USERS` (default 1,000,000; 0 skips the
//! profile-only cases), `SPENDSENSE_BENCH_CSV_USERS` (default: that count; 0
//! skips the CSV cases), `SPENDSENSE_BENCH_CSV_BIG` (default: the big run's
//! count; 0 skips the sharded CSV run), `SPENDSENSE_BENCH_PARQUET_USERS` (default: the
//! transaction cases' count; 0 skips the Parquet case), `SPENDSENSE_BENCH_BIG` (default 10,000,000; 0 skips
//! the big memory run), `SPENDSENSE_BENCH_TX_USERS` (default 20,000, about
//! 3.2 million transactions and 1.3 GB; 0 skips the transaction cases),
//! `SPENDSENSE_BENCH_SQLITE_USERS` (default: the transaction cases' count; 0
//! skips the SQLite case; a database is about 37 KB a profile),
//! `SPENDSENSE_BENCH_THREADS` (default 0: 1 and all cores; else only that
//! thread count), `SPENDSENSE_BENCH_DIR` (default a fresh directory under the system temp dir).

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use spendsense_cli::pipeline::{self, Pregenerated, PregeneratedLedgers, ProfileSource, Sinks};
use spendsense_generator::{Generator, GeneratorConfig};
use spendsense_schema::ProfileFormat;

const BIN: &str = env!("CARGO_BIN_EXE_spendsense");
/// Pre-generated profiles cycled for the floor: enough to defeat caches, few enough to hold in memory.
const FLOOR_DISTINCT: u64 = 100_000;
/// Pre-realised ledgers cycled for the transactions floor: a ledger is about
/// 160 transactions, some 60 KB in memory, so far fewer than profiles.
const FLOOR_LEDGERS: u64 = 2_000;

struct Row {
    case: String,
    threads: usize,
    profiles: u64,
    runs: Runs,
    floor: Option<Times>,
}

/// What the runs of one case measured.
struct Runs {
    took: Times,
    /// The largest peak RSS of any run, in KiB.
    peak_rss_kib: Option<u64>,
    bytes: u64,
}

impl Runs {
    fn once((took, peak_rss_kib, bytes): Measured) -> Runs {
        Runs {
            took: Times::of(vec![took]),
            peak_rss_kib,
            bytes,
        }
    }
}

/// Wall times of the runs of one case, sorted.
struct Times(Vec<Duration>);

impl Times {
    fn of(mut times: Vec<Duration>) -> Times {
        times.sort();
        Times(times)
    }

    fn median(&self) -> f64 {
        self.0[self.0.len() / 2].as_secs_f64()
    }

    /// The fastest run: noise here only ever adds time, so this is the
    /// closest to what the work itself costs.
    fn best(&self) -> f64 {
        self.0[0].as_secs_f64()
    }

    fn spread(&self) -> String {
        match self.0.as_slice() {
            [_] => "-".into(),
            all => format!("{:.2}–{:.2}", self.best(), all[all.len() - 1].as_secs_f64()),
        }
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Peak resident set of a running process, from the kernel's high-water mark.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs the binary, polling its memory high-water mark until it exits.
fn run(args: &[&str]) -> (Duration, Option<u64>) {
    run_program(BIN, args)
}

/// Runs `program`, polling its memory high-water mark until it exits.
fn run_program(program: &str, args: &[&str]) -> (Duration, Option<u64>) {
    let started = Instant::now();
    let mut child = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn spendsense");
    let mut peak = None;
    loop {
        if let Some(rss) = peak_rss_kib(child.id()) {
            peak = Some(peak.map_or(rss, |p: u64| p.max(rss)));
        }
        if let Some(status) = child.try_wait().expect("wait") {
            assert!(status.success(), "{program} {args:?} failed: {status}");
            return (started.elapsed(), peak);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// A Python that imports the `spendsense` package: `SPENDSENSE_BENCH_PYTHON`,
/// else the venv `tests/python/run.sh` installs it into.
fn python_with_package() -> Option<String> {
    let python = std::env::var("SPENDSENSE_BENCH_PYTHON").unwrap_or_else(|_| {
        let target = std::env::var("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
        target.join("python-venv/bin/python").display().to_string()
    });
    let imports = Command::new(&python)
        .args(["-c", "import spendsense"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    imports
        .is_ok_and(|status| status.success())
        .then_some(python)
}

/// `runs` runs of `case`.
fn repeat(runs: u64, mut case: impl FnMut() -> Measured) -> Runs {
    let measured: Vec<Measured> = (0..runs.max(1)).map(|_| case()).collect();
    Runs {
        took: Times::of(measured.iter().map(|m| m.0).collect()),
        peak_rss_kib: measured.iter().filter_map(|m| m.1).max(),
        bytes: measured[0].2,
    }
}

/// Wall time, peak RSS in KiB, bytes written.
type Measured = (Duration, Option<u64>, u64);

/// Deletes `outputs` and waits until the kernel has written every dirty page
/// back to disk, so that every timed run starts from the same state.
///
/// On this virtual machine the state matters more than anything measured:
/// page-cache memory the guest has not touched lately costs the hypervisor a
/// fault on first touch, which triples the kernel's copy of the output,
/// while the pages of a file just deleted are reused at full speed.
fn settle(outputs: &[&Path]) {
    for output in outputs {
        fs::remove_file(output).ok();
    }
    let status = Command::new("sync").status().expect("run sync");
    assert!(status.success(), "sync failed: {status}");
}

/// The pipeline on pre-generated profiles, written as `generate` writes (to
/// the page cache, not synced); with `transactions`, their ledgers go there.
fn floor(
    profiles: &dyn ProfileSource,
    count: u64,
    format: ProfileFormat,
    threads: usize,
    path: &Path,
    transactions: Option<&Path>,
) -> Duration {
    let started = Instant::now();
    let create = |path: &Path| {
        BufWriter::with_capacity(64 << 10, File::create(path).expect("create floor file"))
    };
    let mut out = create(path);
    let mut ledgers = transactions.map(create);
    let sinks = Sinks {
        profiles: &mut out,
        transactions: ledgers.as_mut().map(|w| w as &mut dyn std::io::Write),
    };
    pipeline::write_to(profiles, 0..count, format, threads, sinks, &|_| {}).expect("floor write");
    out.into_inner().expect("flush");
    if let Some(ledgers) = ledgers {
        ledgers.into_inner().expect("flush");
    }
    started.elapsed()
}

/// Lines in the file at `path`.
fn count_lines(path: &Path) -> u64 {
    use std::io::Read;
    let mut file = File::open(path).expect("open output");
    let (mut buffer, mut lines) = (vec![0; 1 << 20], 0u64);
    loop {
        match file.read(&mut buffer).expect("read output") {
            0 => return lines,
            n => lines += buffer[..n].iter().filter(|b| **b == b'\n').count() as u64,
        }
    }
}

/// One row of the transactions table.
struct TransactionRow {
    case: String,
    threads: usize,
    profiles: u64,
    transactions: u64,
    runs: Runs,
    floor: Option<Times>,
}

/// `generate --transactions` rows: to files on each thread count (against
/// the floor with pre-realised ledgers), and once to `/dev/null`.
fn transaction_rows(
    users: u64,
    runs: u64,
    thread_counts: &[usize],
    dir: &Path,
) -> Vec<TransactionRow> {
    eprintln!("pre-realising {FLOOR_LEDGERS} ledgers for the transactions floor…");
    let generator = Generator::new(&GeneratorConfig::new(42, FLOOR_LEDGERS)).expect("config");
    let (profiles, ledgers) = generator
        .iter()
        .enumerate()
        .map(|(index, profile)| {
            let ledger = generator.ledger(index as u64, &profile);
            (profile, ledger.transactions)
        })
        .unzip();
    let pregenerated = PregeneratedLedgers {
        profiles: Pregenerated(profiles),
        transactions: ledgers,
    };
    let (users_path, tx_path) = (dir.join("tx-users.jsonl"), dir.join("tx.jsonl"));
    let (floor_users, floor_tx) = (dir.join("floor-users"), dir.join("floor-tx"));
    let outputs = [
        users_path.as_path(),
        tx_path.as_path(),
        floor_users.as_path(),
        floor_tx.as_path(),
    ];
    let tx_arg = tx_path.to_str().expect("utf-8 path").to_string();
    let mut rows = Vec::new();
    let mut transactions = None;
    for &threads in thread_counts {
        let mut floors = Vec::new();
        let mut measured = repeat(runs, || {
            settle(&outputs);
            let format = ProfileFormat::Jsonl;
            let took = floor(
                &pregenerated,
                users,
                format,
                threads,
                &floor_users,
                Some(&floor_tx),
            );
            floors.push(took);
            settle(&outputs);
            let (took, rss, _) = generate(
                users,
                "jsonl",
                threads,
                &users_path,
                &["--transactions", &tx_arg],
            );
            let bytes = fs::metadata(&tx_path).map_or(0, |m| m.len());
            (took, rss, bytes)
        });
        let count = *transactions.get_or_insert_with(|| count_lines(&tx_path));
        measured.bytes = fs::metadata(&tx_path).map_or(measured.bytes, |m| m.len());
        rows.push(TransactionRow {
            case: "generate jsonl + transactions to files".into(),
            threads,
            profiles: users,
            transactions: count,
            runs: measured,
            floor: Some(Times::of(floors)),
        });
        eprintln!("done: generate --transactions, {threads} thread(s)");
    }
    settle(&outputs);
    let all_threads = *thread_counts.last().expect("one thread count at least");
    let threads = all_threads.to_string();
    let count = users.to_string();
    let to_null = repeat(runs, || {
        let args = [
            "generate",
            "-n",
            &count,
            "--format",
            "jsonl",
            "-j",
            &threads,
            "-o",
            "/dev/null",
            "--transactions",
            "/dev/null",
            "-q",
        ];
        let (took, rss) = run(&args);
        (took, rss, rows[0].runs.bytes)
    });
    rows.push(TransactionRow {
        case: "generate jsonl + transactions to /dev/null".into(),
        threads: all_threads,
        profiles: users,
        transactions: transactions.unwrap_or(0),
        runs: to_null,
        floor: None,
    });
    eprintln!("done: generate --transactions to /dev/null");
    rows
}

/// `generate --format sqlite` rows: the database of `users` profiles and
/// their ledgers, on each thread count; its size is the file's.
fn sqlite_rows(users: u64, runs: u64, thread_counts: &[usize], dir: &Path) -> Vec<TransactionRow> {
    let path = dir.join("bench.sqlite");
    let mut rows = Vec::new();
    for &threads in thread_counts {
        let measured = repeat(runs, || {
            settle(&[&path]);
            generate(users, "sqlite", threads, &path, &[])
        });
        rows.push(TransactionRow {
            case: "generate sqlite (profiles and ledgers) to file".into(),
            threads,
            profiles: users,
            transactions: sqlite_transactions(&path),
            runs: measured,
            floor: None,
        });
        eprintln!("done: generate sqlite, {threads} thread(s)");
    }
    settle(&[&path]);
    rows
}

/// Rows of the `transactions` table of the database at `path`.
fn sqlite_transactions(path: &Path) -> u64 {
    let flags = spendsense_sqlite::rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
    let db = spendsense_sqlite::rusqlite::Connection::open_with_flags(path, flags)
        .expect("open the benchmark database");
    let count: i64 = db
        .query_row("SELECT count(*) FROM transactions", [], |row| row.get(0))
        .expect("count transactions");
    count as u64
}

fn print_transaction_rows(rows: &[TransactionRow]) {
    println!();
    println!(
        "| case | threads | profiles | transactions | transactions/s | transaction MB/s | wall (s) | fastest–slowest (s) | peak RSS (MiB) | floor (s) | vs floor | fastest vs fastest floor |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        let took = &row.runs.took;
        let secs = took.median();
        let floor = row.floor.as_ref();
        let rss = row
            .runs
            .peak_rss_kib
            .map_or("-".into(), |k| format!("{:.1}", k as f64 / 1024.0));
        println!(
            "| {} | {} | {} | {} | {:.0} | {:.0} | {:.2} | {} | {} | {} | {} | {} |",
            row.case,
            row.threads,
            row.profiles,
            row.transactions,
            row.transactions as f64 / secs,
            row.runs.bytes as f64 / 1e6 / secs,
            secs,
            took.spread(),
            rss,
            floor.map_or("-".into(), |f| format!("{:.2}", f.median())),
            floor.map_or("-".into(), |f| format!("{:.2}x", secs / f.median())),
            floor.map_or("-".into(), |f| format!("{:.2}x", took.best() / f.best())),
        );
    }
}

/// `generate` of `count` profiles in `format` on `threads` threads to `path`,
/// plus `extra` arguments: wall time, peak RSS and bytes written.
fn generate(count: u64, format: &str, threads: usize, path: &Path, extra: &[&str]) -> Measured {
    let (count, threads) = (count.to_string(), threads.to_string());
    let mut args = vec![
        "generate",
        "-n",
        &count,
        "--format",
        format,
        "-j",
        &threads,
        "-o",
        path.to_str().expect("utf-8 path"),
        "-q",
    ];
    args.extend(extra);
    let (took, rss) = run(&args);
    let bytes = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    (took, rss, bytes)
}

/// `generate` of `count` profiles as `format` (a directory format) on
/// `threads` threads into `dir`: wall time, peak RSS and the bytes of every
/// file written there.
fn generate_dir(count: u64, format: &str, threads: usize, dir: &Path, extra: &[&str]) -> Measured {
    let (took, rss, _) = generate(count, format, threads, dir, extra);
    let bytes = fs::read_dir(dir)
        .expect("the output directory")
        .map(|entry| entry.and_then(|e| e.metadata()).map_or(0, |m| m.len()))
        .sum();
    (took, rss, bytes)
}

/// `validate` of the JSONL file at `path` with `threads` workers: wall time and peak RSS.
fn validate(path: &Path, threads: usize) -> (Duration, Option<u64>) {
    let jobs = threads.to_string();
    let path = path.to_str().expect("utf-8 path");
    run(&["validate", path, "-f", "json", "-j", &jobs])
}

/// `generate --format csv` of `count` profiles as shards of at most
/// `per_shard` each, every shard into `dir` and deleted before the next: a
/// run whose tables (about 30 KB a profile) would not fit on the disk at
/// once. Wall times and bytes are the shards' sums, peak RSS their largest.
fn csv_in_shards(count: u64, per_shard: u64, threads: usize, dir: &Path) -> Measured {
    let shards = count.div_ceil(per_shard);
    let (mut took, mut peak, mut bytes) = (Duration::ZERO, None, 0);
    for shard in 1..=shards {
        fs::remove_dir_all(dir).ok();
        settle(&[]);
        let shard = format!("{shard}/{shards}");
        let (shard_took, rss, shard_bytes) =
            generate_dir(count, "csv", threads, dir, &["--shard", &shard]);
        took += shard_took;
        peak = peak.max(rss);
        bytes += shard_bytes;
        eprintln!("done: csv shard {shard}");
    }
    fs::remove_dir_all(dir).ok();
    (took, peak, bytes)
}

fn main() {
    // `cargo test --benches` runs benchmarks with `--bench`-less args; only measure under `cargo bench`.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let users = env_u64("SPENDSENSE_BENCH_USERS", 1_000_000);
    let big = env_u64("SPENDSENSE_BENCH_BIG", 10_000_000);
    let tx_users = env_u64("SPENDSENSE_BENCH_TX_USERS", 20_000);
    let runs = env_u64("SPENDSENSE_BENCH_RUNS", 7);
    let dir = std::env::var("SPENDSENSE_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            std::env::temp_dir().join(format!("spendsense-bench-{}", std::process::id()))
        });
    fs::create_dir_all(&dir).expect("bench dir");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // `SPENDSENSE_BENCH_THREADS=2` measures only that count: a 1M-profile
    // database or Parquet run takes minutes per thread count.
    let thread_counts: Vec<usize> = match env_u64("SPENDSENSE_BENCH_THREADS", 0) {
        0 if cores > 1 => vec![1, cores],
        0 => vec![1],
        threads => vec![threads as usize],
    };

    let all_threads = *thread_counts.last().expect("one thread count at least");
    let mut rows = Vec::new();
    let formats: &[(ProfileFormat, &str)] = if users == 0 {
        &[]
    } else {
        &[
            (ProfileFormat::Jsonl, "jsonl"),
            (ProfileFormat::Json, "json"),
        ]
    };
    let pregenerated = Pregenerated(if users == 0 {
        Vec::new()
    } else {
        eprintln!("pre-generating {FLOOR_DISTINCT} profiles for the floor…");
        let generator = Generator::new(&GeneratorConfig::new(42, FLOOR_DISTINCT)).expect("config");
        generator.iter().collect()
    });
    for &(format, name) in formats {
        let path = dir.join(format!("bench.{name}"));
        for &threads in &thread_counts {
            let mut floors = Vec::new();
            let floor_path = dir.join("floor");
            let outputs = [path.as_path(), floor_path.as_path()];
            let measured = repeat(runs, || {
                settle(&outputs);
                floors.push(floor(
                    &pregenerated,
                    users,
                    format,
                    threads,
                    &floor_path,
                    None,
                ));
                settle(&outputs);
                generate(users, name, threads, &path, &[])
            });
            rows.push(Row {
                case: format!("generate {name} to file"),
                threads,
                profiles: users,
                runs: measured,
                floor: Some(Times::of(floors)),
            });
            eprintln!("done: generate {name}, {threads} thread(s)");
            if format == ProfileFormat::Jsonl {
                settle(&[]);
                let bytes = fs::metadata(&path).map_or(0, |m| m.len());
                let (took, rss) = validate(&path, threads);
                rows.push(Row {
                    case: "validate jsonl".into(),
                    threads,
                    profiles: users,
                    runs: Runs::once((took, rss, bytes)),
                    floor: None,
                });
                eprintln!("done: validate, {threads} thread(s)");
            }
            fs::remove_file(&path).ok();
        }
        if format == ProfileFormat::Jsonl {
            let synced = repeat(runs, || {
                settle(&[&path]);
                generate(users, name, all_threads, &path, &["--fsync"])
            });
            let over_last = repeat(runs, || {
                generate(users, name, all_threads, &path, &[]);
                // Not settled: the file just written is still being written back.
                generate(users, name, all_threads, &path, &[])
            });
            // The disk's floor: the kernel copying the same bytes from the
            // page cache into a new file, as `generate` writes them.
            let copy = dir.join("copy.jsonl");
            let source = path.to_str().expect("utf-8 path");
            let copied = repeat(runs, || {
                settle(&[&copy]);
                let (took, rss) = run_program("cp", &[source, copy.to_str().expect("utf-8 path")]);
                (took, rss, fs::metadata(&copy).map_or(0, |m| m.len()))
            });
            settle(&[&copy]);
            for (case, runs) in [
                ("generate jsonl to file, `--fsync`", synced),
                ("generate jsonl over the file just written", over_last),
                (
                    "`cp` of the jsonl file just written (the disk's floor)",
                    copied,
                ),
            ] {
                rows.push(Row {
                    case: case.into(),
                    threads: all_threads,
                    profiles: users,
                    runs,
                    floor: None,
                });
            }
            fs::remove_file(&path).ok();
            eprintln!("done: --fsync and overwrite");
        }
    }
    let parquet_users = env_u64("SPENDSENSE_BENCH_PARQUET_USERS", tx_users);
    if parquet_users > 0 {
        // The seven tables with every profile's ledger: some 160 transactions
        // a profile, so far more work per profile than the profile-only cases.
        let users = parquet_users;
        let out = dir.join("bench-parquet");
        for &threads in &thread_counts {
            let measured = repeat(runs, || {
                fs::remove_dir_all(&out).ok();
                settle(&[]);
                generate_dir(users, "parquet", threads, &out, &[])
            });
            rows.push(Row {
                case: "generate parquet (7 tables, with transactions) to directory".into(),
                threads,
                profiles: users,
                runs: measured,
                floor: None,
            });
            eprintln!("done: generate parquet, {threads} thread(s)");
        }
        fs::remove_dir_all(&out).ok();
    }
    if big > 0 {
        let path = dir.join("big.jsonl");
        settle(&[]);
        let measured = generate(big, "jsonl", all_threads, &path, &[]);
        let bytes = measured.2;
        rows.push(Row {
            case: "generate jsonl to file (memory check)".into(),
            threads: all_threads,
            profiles: big,
            runs: Runs::once(measured),
            floor: None,
        });
        eprintln!("done: generate {big} profiles");
        for &threads in &thread_counts {
            settle(&[]);
            let (took, rss) = validate(&path, threads);
            rows.push(Row {
                case: "validate jsonl".into(),
                threads,
                profiles: big,
                runs: Runs::once((took, rss, bytes)),
                floor: None,
            });
            eprintln!("done: validate {big} profiles, {threads} thread(s)");
        }
        settle(&[&path]);
    }
    let csv_users = env_u64("SPENDSENSE_BENCH_CSV_USERS", users);
    if csv_users > 0 {
        let out = dir.join("bench-csv");
        for &threads in &thread_counts {
            let measured = repeat(runs.min(3), || {
                fs::remove_dir_all(&out).ok();
                settle(&[]);
                generate_dir(csv_users, "csv", threads, &out, &[])
            });
            rows.push(Row {
                case: "generate csv (7 tables, with transactions) to directory".into(),
                threads,
                profiles: csv_users,
                runs: measured,
                floor: None,
            });
            eprintln!("done: generate csv, {threads} thread(s)");
        }
        fs::remove_dir_all(&out).ok();
        let csv_big = env_u64("SPENDSENSE_BENCH_CSV_BIG", big);
        if csv_big > 0 {
            rows.push(Row {
                case: format!(
                    "generate csv as {} shards of at most {csv_users} profiles, one after another",
                    csv_big.div_ceil(csv_users)
                ),
                threads: all_threads,
                profiles: csv_big,
                runs: Runs::once(csv_in_shards(csv_big, csv_users, all_threads, &out)),
                floor: None,
            });
            eprintln!("done: generate csv in shards");
        }
    }
    let python_users = env_u64("SPENDSENSE_BENCH_PYTHON_USERS", users);
    match python_with_package() {
        Some(python) if python_users > 0 => {
            let generate = |threads: usize| {
                format!(
                    "import spendsense; tables = spendsense.generate({python_users}, threads={threads})"
                )
            };
            let mut cases: Vec<(&str, usize, String)> = thread_counts
                .iter()
                .map(|&threads| {
                    let case =
                        "python: generate into pyarrow (5 profile tables, with interpreter start)";
                    (case, threads, generate(threads))
                })
                .collect();
            cases.push((
                "python: generate into pyarrow, then users.to_pandas() (Decimal money)",
                all_threads,
                generate(all_threads) + "; tables['users'].to_pandas()",
            ));
            for (case, threads, script) in cases {
                let measured = repeat(runs.min(3), || {
                    settle(&[]);
                    let (took, rss) = run_program(&python, &["-c", &script]);
                    (took, rss, 0)
                });
                rows.push(Row {
                    case: case.into(),
                    threads,
                    profiles: python_users,
                    runs: measured,
                    floor: None,
                });
                eprintln!("done: {case}, {threads} thread(s)");
            }
        }
        Some(_) => {}
        None => eprintln!(
            "skipped: python into pyarrow; run tests/python/run.sh to install the package into target/python-venv, or set SPENDSENSE_BENCH_PYTHON"
        ),
    }
    let mut transaction_rows = if tx_users > 0 {
        transaction_rows(tx_users, runs, &thread_counts, &dir)
    } else {
        Vec::new()
    };
    let sqlite_users = env_u64("SPENDSENSE_BENCH_SQLITE_USERS", tx_users);
    if sqlite_users > 0 {
        transaction_rows.extend(sqlite_rows(sqlite_users, runs, &thread_counts, &dir));
    }
    fs::remove_dir_all(&dir).ok();

    println!(
        "| case | threads | profiles | profiles/s | MB/s | wall (s) | fastest–slowest (s) | peak RSS (MiB) | floor (s) | vs floor | fastest vs fastest floor |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        let took = &row.runs.took;
        let secs = took.median();
        let floor = row.floor.as_ref();
        let rss = row
            .runs
            .peak_rss_kib
            .map_or("-".into(), |k| format!("{:.1}", k as f64 / 1024.0));
        println!(
            "| {} | {} | {} | {:.0} | {:.0} | {:.2} | {} | {} | {} | {} | {} |",
            row.case,
            row.threads,
            row.profiles,
            row.profiles as f64 / secs,
            row.runs.bytes as f64 / 1e6 / secs,
            secs,
            took.spread(),
            rss,
            floor.map_or("-".into(), |f| format!("{:.2}", f.median())),
            floor.map_or("-".into(), |f| format!("{:.2}x", secs / f.median())),
            floor.map_or("-".into(), |f| format!("{:.2}x", took.best() / f.best())),
        );
    }
    if !transaction_rows.is_empty() {
        print_transaction_rows(&transaction_rows);
    }
}
