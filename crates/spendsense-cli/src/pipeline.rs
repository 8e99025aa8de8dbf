//! Parallel generation: workers generate and serialize batches while one
//! writer puts them out in order.
//!
//! Worker `w` of `T` takes batches `w, w+T, w+2T, …` and hands each finished
//! batch to the writer through its own channel of capacity 2; the writer
//! receives round-robin and hands each written buffer back to its worker for
//! reuse. Output order, and so every byte, is independent of the thread
//! count, and at most `4·T` batch buffers exist at once.
//!
//! Public only so that the throughput benchmark can run it on pre-generated
//! profiles; it is not a supported library API.

use std::io::{self, Write};
use std::ops::Range;
use std::sync::mpsc;

use rust_decimal::Decimal;
use spendsense_generator::Generator;
use spendsense_generator::ledger::Ledger;
use spendsense_schema::{PersonaId, ProfileFormat, UserProfile};

/// Profiles per batch: large enough to amortise channel traffic, small enough
/// to keep memory flat.
const BATCH: u64 = 512;

/// What was written, for the summary line.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    /// Profiles written.
    pub profiles: u64,
    /// Bytes written.
    pub bytes: u64,
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

    fn merge(&mut self, other: &Stats) {
        self.profiles += other.profiles;
        self.bytes += other.bytes;
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

/// A generous estimate of one encoded profile, so a batch buffer rarely grows.
fn bytes_per_profile(format: ProfileFormat) -> usize {
    match format {
        ProfileFormat::Json => 2_400,
        ProfileFormat::Jsonl => 1_700,
    }
}

/// Generates and serializes profiles `range.start..range.end` of one batch
/// into `bytes` (cleared first), building them in `scratch`.
fn encode_batch(
    generator: &dyn ProfileSource,
    format: ProfileFormat,
    range: Range<u64>,
    first_index: u64,
    scratch: &mut Option<UserProfile>,
    mut bytes: Vec<u8>,
) -> (Vec<u8>, Stats) {
    bytes.clear();
    bytes.reserve((range.end - range.start) as usize * bytes_per_profile(format));
    let mut stats = Stats::default();
    for index in range {
        generator.with_profile(index, scratch, &mut |profile| {
            format.encode(profile, index == first_index, &mut bytes);
            stats.add(profile);
        });
    }
    stats.bytes = bytes.len() as u64;
    (bytes, stats)
}

/// Batch `number` of `range`.
fn batch(range: &Range<u64>, number: u64) -> Range<u64> {
    let start = range.start + number * BATCH;
    start..(start + BATCH).min(range.end)
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
    let empty = range.is_empty();
    let first = range.start;
    let batches = (range.end - range.start).div_ceil(BATCH);
    let mut stats = Stats::default();
    out.write_all(format.header(empty))?;
    if threads <= 1 || batches <= 1 {
        let (mut scratch, mut bytes) = (None, Vec::new());
        for number in 0..batches {
            let batch = batch(&range, number);
            let (full, batch_stats) =
                encode_batch(generator, format, batch, first, &mut scratch, bytes);
            out.write_all(&full)?;
            bytes = full;
            stats.merge(&batch_stats);
            progress(stats.profiles);
        }
    } else {
        let threads = threads.min(batches as usize);
        std::thread::scope(|scope| -> io::Result<()> {
            let mut receivers = Vec::with_capacity(threads);
            let mut recyclers = Vec::with_capacity(threads);
            for worker in 0..threads {
                let (sender, receiver) = mpsc::sync_channel(2);
                // Written buffers go back to their worker, so batches reuse
                // memory instead of allocating (and page-faulting) a new one.
                let (recycler, written) = mpsc::channel::<Vec<u8>>();
                receivers.push(receiver);
                recyclers.push(recycler);
                let range = range.clone();
                scope.spawn(move || {
                    let mut scratch = None;
                    for number in (worker as u64..batches).step_by(threads) {
                        let bytes = written.try_recv().unwrap_or_default();
                        let encoded = encode_batch(
                            generator,
                            format,
                            batch(&range, number),
                            first,
                            &mut scratch,
                            bytes,
                        );
                        // A closed channel means the writer stopped; so do we.
                        if sender.send(encoded).is_err() {
                            return;
                        }
                    }
                });
            }
            for number in 0..batches as usize {
                let worker = number % threads;
                let (bytes, batch_stats) = receivers[worker].recv().expect("worker finished early");
                if let Err(err) = out.write_all(&bytes) {
                    drop(receivers);
                    return Err(err);
                }
                // The worker may have finished; then the buffer is simply dropped.
                let _ = recyclers[worker].send(bytes);
                stats.merge(&batch_stats);
                progress(stats.profiles);
            }
            Ok(())
        })?;
    }
    out.write_all(format.footer(empty))?;
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
                let range = crate::shard::Shard {
                    index,
                    count: shards,
                }
                .range(count);
                joined.extend(bytes(&generator, range, ProfileFormat::Jsonl, 2));
            }
            assert!(joined == single, "n {count}, {shards} shards");
        }
    }

    #[test]
    fn empty_slices_are_valid_empty_outputs() {
        let generator = Generator::new(&GeneratorConfig::new(1, 3)).unwrap();
        assert_eq!(bytes(&generator, 2..2, ProfileFormat::Json, 2), b"[]\n");
        assert_eq!(bytes(&generator, 2..2, ProfileFormat::Jsonl, 2), b"");
    }
}
