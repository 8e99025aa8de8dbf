//! Parallel generation of JSON and JSON Lines: workers generate and
//! serialize batches while one writer puts them out in order (see
//! [`crate::ordered`]), so every byte is independent of the thread count.
//!
//! With a transactions output, each worker also realises its profiles'
//! ledgers and encodes their transactions into a second buffer of the same
//! batch, which the writer puts out in the same order; a batch is then
//! smaller (16 profiles instead of 512), since a profile's transactions are
//! about eighteen times its own bytes and most of the time.
//!
//! Public only so that the throughput benchmark can run it on pre-generated
//! profiles; it is not a supported library API.

use std::io::{self, Write};
use std::ops::Range;

use rust_decimal::Decimal;
use spendsense_generator::Generator;
use spendsense_generator::ledger::Ledger;
use spendsense_schema::{PersonaId, ProfileFormat, Transaction, UserProfile};

use crate::ordered;

/// Profiles per batch: large enough to amortise channel traffic, small enough
/// to keep memory flat.
const BATCH: u64 = 512;

/// Profiles per batch when their transactions are written too: about 160
/// transactions (63 KB of JSONL) each, so a batch is about 1 MB and still
/// takes a millisecond or more to make, far above what a channel send costs.
const LEDGER_BATCH: u64 = 16;

/// What was written, for the summary line.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    /// Profiles written.
    pub profiles: u64,
    /// Bytes written.
    pub bytes: u64,
    /// Transactions written (0 without a transactions output).
    pub transactions: u64,
    /// Bytes of transactions written.
    pub transaction_bytes: u64,
    /// Profiles per persona, in [`PersonaId::ALL`] order.
    pub per_persona: [u64; 5],
    /// Lowest and highest income.
    pub income: Option<(Decimal, Decimal)>,
}

impl Stats {
    /// Counts one profile written (not its bytes).
    pub fn add(&mut self, profile: &UserProfile) {
        self.profiles += 1;
        self.per_persona[profile.persona.index()] += 1;
        let income = profile.annual_income;
        self.income = Some(match self.income {
            None => (income, income),
            Some((low, high)) => (low.min(income), high.max(income)),
        });
    }

    /// Adds the counts of `other`, a later part of the same run.
    pub fn merge(&mut self, other: &Stats) {
        self.profiles += other.profiles;
        self.bytes += other.bytes;
        self.transactions += other.transactions;
        self.transaction_bytes += other.transaction_bytes;
        for persona in PersonaId::ALL {
            self.per_persona[persona.index()] += other.per_persona[persona.index()];
        }
        if let Some((low, high)) = other.income {
            self.income = Some(match self.income {
                None => (low, high),
                Some((l, h)) => (l.min(low), h.max(high)),
            });
        }
    }
}

/// Where the pipeline's profiles come from.
pub trait ProfileSource: Sync {
    /// Calls `visit` with profile `index`. A source that builds profiles
    /// builds it in `scratch`, reusing the allocations of the profile the
    /// caller's previous call left there.
    fn with_profile(
        &self,
        index: u64,
        scratch: &mut Option<UserProfile>,
        visit: &mut dyn FnMut(&UserProfile),
    );

    /// The ledger (transactions and card liabilities) of profile `index`,
    /// for the outputs that carry transactions; `None` from a source that
    /// cannot realise one, such as pre-generated profiles without their seed.
    fn ledger(&self, index: u64, profile: &UserProfile) -> Option<Ledger> {
        let _ = (index, profile);
        None
    }

    /// Calls `visit` with the transactions of profile `index` (`profile`, as
    /// [`ProfileSource::with_profile`] gave it), oldest first; none from a
    /// source without ledgers. A source that realises ledgers realises it in
    /// `scratch`, reusing the allocations of the ledger the caller's
    /// previous call left there: the form for long runs.
    fn with_transactions(
        &self,
        index: u64,
        profile: &UserProfile,
        scratch: &mut Option<Ledger>,
        visit: &mut dyn FnMut(&[Transaction]),
    ) {
        let _ = scratch;
        match self.ledger(index, profile) {
            Some(ledger) => visit(&ledger.transactions),
            None => visit(&[]),
        }
    }
}

impl ProfileSource for Generator {
    fn with_profile(
        &self,
        index: u64,
        scratch: &mut Option<UserProfile>,
        visit: &mut dyn FnMut(&UserProfile),
    ) {
        let profile = match scratch {
            Some(profile) => {
                self.profile_into(index, profile);
                profile
            }
            None => scratch.insert(self.profile(index)),
        };
        visit(profile);
    }

    fn ledger(&self, index: u64, profile: &UserProfile) -> Option<Ledger> {
        Some(Generator::ledger(self, index, profile))
    }

    fn with_transactions(
        &self,
        index: u64,
        profile: &UserProfile,
        scratch: &mut Option<Ledger>,
        visit: &mut dyn FnMut(&[Transaction]),
    ) {
        let ledger = match scratch {
            Some(ledger) => {
                self.ledger_into(index, profile, ledger);
                ledger
            }
            None => scratch.insert(Generator::ledger(self, index, profile)),
        };
        visit(&ledger.transactions);
    }
}

/// Pre-generated profiles served in a cycle: the pipeline with generation
/// taken out, which is the serialization-plus-IO floor the benchmark compares against.
#[derive(Debug)]
pub struct Pregenerated(pub Vec<UserProfile>);

impl ProfileSource for Pregenerated {
    fn with_profile(
        &self,
        index: u64,
        _: &mut Option<UserProfile>,
        visit: &mut dyn FnMut(&UserProfile),
    ) {
        visit(&self.0[(index % self.0.len() as u64) as usize]);
    }
}

/// [`Pregenerated`] profiles with pre-realised transactions, each cycled on
/// its own: the floor of a run with `--transactions`.
#[derive(Debug)]
pub struct PregeneratedLedgers {
    /// Profile `i` is the profiles' `i`-th, cycled.
    pub profiles: Pregenerated,
    /// Profile `i`'s transactions are `transactions[i % len]` (none when
    /// empty); a ledger is many times a profile's size, so there are fewer.
    pub transactions: Vec<Vec<Transaction>>,
}

impl ProfileSource for PregeneratedLedgers {
    fn with_profile(
        &self,
        index: u64,
        scratch: &mut Option<UserProfile>,
        visit: &mut dyn FnMut(&UserProfile),
    ) {
        self.profiles.with_profile(index, scratch, visit);
    }

    fn with_transactions(
        &self,
        index: u64,
        _: &UserProfile,
        _: &mut Option<Ledger>,
        visit: &mut dyn FnMut(&[Transaction]),
    ) {
        match self.transactions.len() as u64 {
            0 => visit(&[]),
            len => visit(&self.transactions[(index % len) as usize]),
        }
    }
}

/// A generous estimate of one encoded profile, so a batch buffer rarely grows.
fn bytes_per_profile(format: ProfileFormat) -> usize {
    match format {
        ProfileFormat::Json => 2_400,
        ProfileFormat::Jsonl => 1_700,
    }
}

/// One batch's encoded bytes: its profiles and, when asked for, their transactions.
#[derive(Debug, Default)]
struct Encoded {
    profiles: Vec<u8>,
    transactions: Vec<u8>,
}

/// What a batch encodes: the profiles' layout, and whether their transactions too.
#[derive(Debug, Clone, Copy)]
struct Work {
    format: ProfileFormat,
    transactions: bool,
    /// The first index of the whole output, which a JSON array does not precede with a comma.
    first_index: u64,
}

impl Work {
    fn batch_size(self) -> u64 {
        if self.transactions {
            LEDGER_BATCH
        } else {
            BATCH
        }
    }
}

/// What a worker builds profiles and ledgers in, batch after batch.
#[derive(Debug, Default)]
struct Scratch {
    profile: Option<UserProfile>,
    ledger: Option<Ledger>,
}

/// Generates and serializes profiles `range.start..range.end` of one batch
/// into `bytes` (cleared first), building them in `scratch`.
fn encode_batch(
    generator: &dyn ProfileSource,
    work: Work,
    range: Range<u64>,
    scratch: &mut Scratch,
    mut bytes: Encoded,
) -> (Encoded, Stats) {
    bytes.profiles.clear();
    bytes.transactions.clear();
    bytes
        .profiles
        .reserve((range.end - range.start) as usize * bytes_per_profile(work.format));
    let mut stats = Stats::default();
    for index in range {
        let ledger = &mut scratch.ledger;
        generator.with_profile(index, &mut scratch.profile, &mut |profile| {
            work.format
                .encode(profile, index == work.first_index, &mut bytes.profiles);
            stats.add(profile);
            if work.transactions {
                generator.with_transactions(index, profile, ledger, &mut |transactions| {
                    for transaction in transactions {
                        transaction.encode_json(&mut bytes.transactions);
                        bytes.transactions.push(b'\n');
                    }
                    stats.transactions += transactions.len() as u64;
                });
            }
        });
    }
    stats.bytes = bytes.profiles.len() as u64;
    stats.transaction_bytes = bytes.transactions.len() as u64;
    (bytes, stats)
}

/// Where the pipeline writes: the profiles, and the transactions when wanted.
pub struct Sinks<'a> {
    /// The profiles, in the chosen layout.
    pub profiles: &'a mut dyn Write,
    /// Every profile's transactions as JSON Lines, profiles in order and each
    /// profile's oldest first.
    pub transactions: Option<&'a mut dyn Write>,
}

impl std::fmt::Debug for Sinks<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sinks")
            .field("transactions", &self.transactions.is_some())
            .finish_non_exhaustive()
    }
}

impl Sinks<'_> {
    fn write(&mut self, bytes: &Encoded) -> io::Result<()> {
        self.profiles.write_all(&bytes.profiles)?;
        if let Some(out) = self.transactions.as_mut() {
            out.write_all(&bytes.transactions)?;
        }
        Ok(())
    }
}

/// Writes profiles `range` of `generator` to `out` in `format` using `threads`
/// workers, calling `progress` with the number of profiles written so far.
pub fn write(
    generator: &dyn ProfileSource,
    range: Range<u64>,
    format: ProfileFormat,
    threads: usize,
    out: &mut dyn Write,
    progress: &dyn Fn(u64),
) -> io::Result<Stats> {
    let sinks = Sinks {
        profiles: out,
        transactions: None,
    };
    write_to(generator, range, format, threads, sinks, progress)
}

/// [`write()`] to `sinks`: also every profile's transactions, when
/// `sinks.transactions` is given.
pub fn write_to(
    generator: &dyn ProfileSource,
    range: Range<u64>,
    format: ProfileFormat,
    threads: usize,
    mut sinks: Sinks<'_>,
    progress: &dyn Fn(u64),
) -> io::Result<Stats> {
    let empty = range.is_empty();
    let work = Work {
        format,
        transactions: sinks.transactions.is_some(),
        first_index: range.start,
    };
    let batches = ordered::batches(&range, work.batch_size());
    let mut stats = Stats::default();
    sinks.profiles.write_all(format.header(empty))?;
    ordered::in_order(
        batches,
        threads,
        Scratch::default,
        |number, scratch, spare: Option<(Encoded, Stats)>| {
            let bytes = spare.map(|(bytes, _)| bytes).unwrap_or_default();
            let batch = ordered::batch(&range, work.batch_size(), number);
            encode_batch(generator, work, batch, scratch, bytes)
        },
        |(bytes, batch_stats)| -> io::Result<()> {
            sinks.write(bytes)?;
            stats.merge(batch_stats);
            progress(stats.profiles);
            Ok(())
        },
    )?;
    sinks.profiles.write_all(format.footer(empty))?;
    stats.bytes += (format.header(empty).len() + format.footer(empty).len()) as u64;
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;
    use spendsense_generator::GeneratorConfig;

    fn bytes(
        generator: &Generator,
        range: Range<u64>,
        format: ProfileFormat,
        threads: usize,
    ) -> Vec<u8> {
        let mut out = Vec::new();
        write(generator, range, format, threads, &mut out, &|_| {}).unwrap();
        out
    }

    #[test]
    fn bytes_do_not_depend_on_the_thread_count() {
        for (seed, count) in [(1, 1), (42, 513), (7, 2_000)] {
            let generator = Generator::new(&GeneratorConfig::new(seed, count)).unwrap();
            for format in [ProfileFormat::Json, ProfileFormat::Jsonl] {
                let single = bytes(&generator, 0..count, format, 1);
                for threads in [2, 3, 8] {
                    assert!(
                        single == bytes(&generator, 0..count, format, threads),
                        "{format} {threads} threads"
                    );
                }
            }
        }
    }

    /// The writers encode by hand for speed; serde_json on the derived
    /// `Serialize` impls is the reference they must match byte for byte.
    #[test]
    fn output_equals_serde_json_on_generated_datasets() {
        for (seed, count, overlap) in [(3, 700, "0"), (8, 300, "0.5"), (2_026, 1_000, "1")] {
            let mut config = GeneratorConfig::new(seed, count);
            config.overlap = spendsense_generator::Overlap::parse(overlap).unwrap();
            let generator = Generator::new(&config).unwrap();
            let profiles: Vec<_> = generator.iter().collect();
            let jsonl: Vec<u8> = profiles
                .iter()
                .flat_map(|p| {
                    serde_json::to_string(p)
                        .unwrap()
                        .into_bytes()
                        .into_iter()
                        .chain([b'\n'])
                })
                .collect();
            assert!(
                bytes(&generator, 0..count, ProfileFormat::Jsonl, 2) == jsonl,
                "seed {seed}"
            );
            let json = serde_json::to_string_pretty(&profiles).unwrap() + "\n";
            assert!(
                bytes(&generator, 0..count, ProfileFormat::Json, 2) == json.as_bytes(),
                "seed {seed}"
            );
        }
    }

    #[test]
    fn concatenated_jsonl_shards_equal_the_single_run() {
        for (count, shards) in [(1, 4), (10, 3), (1_000, 7), (1_537, 4)] {
            let generator = Generator::new(&GeneratorConfig::new(11, count)).unwrap();
            let single = bytes(&generator, 0..count, ProfileFormat::Jsonl, 2);
            let mut joined = Vec::new();
            for index in 1..=shards {
                let range = spendsense_generator::Shard {
                    index,
                    count: shards,
                }
                .range(count);
                joined.extend(bytes(&generator, range, ProfileFormat::Jsonl, 2));
            }
            assert!(joined == single, "n {count}, {shards} shards");
        }
    }

    /// Profiles and transactions of `range`, written together.
    fn both(generator: &Generator, range: Range<u64>, threads: usize) -> (Vec<u8>, Vec<u8>) {
        let (mut profiles, mut transactions) = (Vec::new(), Vec::new());
        let sinks = Sinks {
            profiles: &mut profiles,
            transactions: Some(&mut transactions),
        };
        let format = ProfileFormat::Jsonl;
        write_to(generator, range, format, threads, sinks, &|_| {}).unwrap();
        (profiles, transactions)
    }

    #[test]
    fn transactions_are_every_ledger_in_profile_order_whatever_the_threads() {
        for (seed, count) in [(1, 1), (42, 37), (7, 300)] {
            let generator = Generator::new(&GeneratorConfig::new(seed, count)).unwrap();
            let mut expected = Vec::new();
            for (index, profile) in generator.iter().enumerate() {
                for transaction in generator.ledger(index as u64, &profile).transactions {
                    expected.extend(serde_json::to_vec(&transaction).unwrap());
                    expected.push(b'\n');
                }
            }
            let (profiles, transactions) = both(&generator, 0..count, 1);
            assert!(transactions == expected, "seed {seed}");
            // Writing transactions leaves the profile bytes as they were.
            assert!(profiles == bytes(&generator, 0..count, ProfileFormat::Jsonl, 1));
            for threads in [2, 3, 8] {
                assert!(
                    both(&generator, 0..count, threads) == (profiles.clone(), expected.clone()),
                    "seed {seed}, {threads} threads"
                );
            }
        }
    }

    #[test]
    fn concatenated_transaction_shards_equal_the_single_run() {
        for (count, shards) in [(1, 3), (40, 3), (101, 7)] {
            let generator = Generator::new(&GeneratorConfig::new(5, count)).unwrap();
            let (_, single) = both(&generator, 0..count, 2);
            let mut joined = Vec::new();
            for index in 1..=shards {
                let shard = spendsense_generator::Shard {
                    index,
                    count: shards,
                };
                joined.extend(both(&generator, shard.range(count), 2).1);
            }
            assert!(joined == single, "n {count}, {shards} shards");
        }
    }

    #[test]
    fn the_stats_count_every_transaction_and_byte() {
        let generator = Generator::new(&GeneratorConfig::new(3, 50)).unwrap();
        let (mut profiles, mut transactions) = (Vec::new(), Vec::new());
        let sinks = Sinks {
            profiles: &mut profiles,
            transactions: Some(&mut transactions),
        };
        let stats = write_to(&generator, 0..50, ProfileFormat::Json, 2, sinks, &|_| {}).unwrap();
        assert_eq!(stats.bytes, profiles.len() as u64);
        assert_eq!(stats.transaction_bytes, transactions.len() as u64);
        let lines = transactions.iter().filter(|b| **b == b'\n').count();
        assert_eq!(stats.transactions, lines as u64);
        assert!(stats.transactions > 50 * 100, "{}", stats.transactions);
    }

    #[test]
    fn empty_slices_are_valid_empty_outputs() {
        let generator = Generator::new(&GeneratorConfig::new(1, 3)).unwrap();
        assert_eq!(bytes(&generator, 2..2, ProfileFormat::Json, 2), b"[]\n");
        assert_eq!(bytes(&generator, 2..2, ProfileFormat::Jsonl, 2), b"");
        assert_eq!(both(&generator, 2..2, 2), (Vec::new(), Vec::new()));
    }
}
