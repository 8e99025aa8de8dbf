//! Single-thread throughput of a ledger's views, on this machine: the JSON
//! record of a transaction through serde_json (the reference) and through
//! `Transaction::encode_json`, the `transactions.csv` rows, and realising the
//! ledgers themselves for scale.
//!
//! Run with `cargo bench -p spendsense-export --bench ledger`. Environment:
//! `SPENDSENSE_BENCH_USERS` (default 2,000 profiles, about 700,000
//! transactions) and `SPENDSENSE_BENCH_RUNS` (default 7; the median is
//! reported, with the fastest run, since timings here vary up to 2x).

use std::hint::black_box;
use std::time::{Duration, Instant};

use spendsense_export::ledger::LedgerTables;
use spendsense_generator::{Generator, GeneratorConfig};
use spendsense_schema::{CardLiability, Transaction};

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// Runs `work` `runs` times; the median and fastest wall time.
fn time(runs: u64, mut work: impl FnMut() -> usize) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            black_box(work());
            started.elapsed()
        })
        .collect();
    times.sort();
    (times[times.len() / 2], times[0])
}

fn main() {
    let users = env("SPENDSENSE_BENCH_USERS", 2_000);
    let runs = env("SPENDSENSE_BENCH_RUNS", 7).max(1);
    let generator = Generator::new(&GeneratorConfig::new(7, users)).unwrap();
    let profiles: Vec<_> = generator.iter().collect();
    let ledgers: Vec<(String, Vec<Transaction>, Vec<CardLiability>)> = profiles
        .iter()
        .enumerate()
        .map(|(index, profile)| {
            let ledger = generator.ledger(index as u64, profile);
            (
                profile.user_id.clone(),
                ledger.transactions,
                ledger.liabilities,
            )
        })
        .collect();
    let transactions: Vec<&Transaction> = ledgers.iter().flat_map(|l| &l.1).collect();
    let count = transactions.len() as f64;
    let mut out = Vec::with_capacity(transactions.len() * 420);

    println!(
        "{users} profiles, {} transactions, {runs} runs, one thread",
        transactions.len()
    );
    println!("| case | transactions/s (median) | fastest | MB/s (median) |");
    println!("|---|---|---|---|");
    let row = |case: &str, (median, best): (Duration, Duration), bytes: usize| {
        println!(
            "| {case} | {:.0} | {:.0} | {:.0} |",
            count / median.as_secs_f64(),
            count / best.as_secs_f64(),
            bytes as f64 / median.as_secs_f64() / 1e6
        );
    };

    let serde = time(runs, || {
        out.clear();
        for transaction in &transactions {
            serde_json::to_writer(&mut out, transaction).unwrap();
            out.push(b'\n');
        }
        out.len()
    });
    let reference = out.clone();
    row("JSONL, serde_json", serde, out.len());

    let hand = time(runs, || {
        out.clear();
        for transaction in &transactions {
            transaction.encode_json(&mut out);
            out.push(b'\n');
        }
        out.len()
    });
    assert!(out == reference, "encode_json differs from serde_json");
    row("JSONL, encode_json", hand, out.len());

    let mut csv_bytes = 0;
    let csv = time(runs, || {
        out.clear();
        let mut liabilities_csv = Vec::new();
        let mut tables = LedgerTables::new([&mut out, &mut liabilities_csv]).unwrap();
        for (user_id, transactions, liabilities) in &ledgers {
            tables.write(user_id, transactions, liabilities).unwrap();
        }
        tables.finish().unwrap();
        csv_bytes = out.len();
        out.len()
    });
    row("transactions.csv rows", csv, csv_bytes);

    let realise = time(runs.min(3), || {
        profiles
            .iter()
            .enumerate()
            .map(|(index, profile)| generator.ledger(index as u64, profile).transactions.len())
            .sum()
    });
    row("realising the ledgers (Generator::ledger)", realise, 0);
}
