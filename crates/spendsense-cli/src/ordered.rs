//! Batches made in parallel and put out in order: the one scheme behind every
//! output of `generate` (JSON, CSV, Parquet, SQLite, Plaid Sandbox).
//!
//! Worker `w` of `T` makes batches `w, w+T, w+2T, …` and hands each to the
//! caller's thread through its own channel of capacity 2; that thread
//! receives round-robin, so it puts batches out in the order `0, 1, 2, …`,
//! and hands each put-out batch back to the worker that made it for reuse.
//! What is put out, and so every byte of an output, is independent of the
//! thread count, and at most `4·T` batches exist at once.

use std::sync::mpsc;

/// Makes batches `0..batches` on `threads` workers with `make` and hands
/// each to `put`, in order, on the calling thread.
///
/// A worker calls `state` once and passes its state to every `make` it runs
/// (the profiles and builders it reuses), with a batch `put` has finished
/// with, when there is one, to make the next one in. The first error `put`
/// returns stops the workers and is returned. With one thread (or one
/// batch), everything runs on the calling thread.
pub fn in_order<S, B: Send, E>(
    batches: u64,
    threads: usize,
    state: impl Fn() -> S + Sync,
    make: impl Fn(u64, &mut S, Option<B>) -> B + Sync,
    mut put: impl FnMut(&B) -> Result<(), E>,
) -> Result<(), E> {
    if threads <= 1 || batches <= 1 {
        let (mut state, mut spare) = (state(), None);
        for number in 0..batches {
            let batch = make(number, &mut state, spare.take());
            put(&batch)?;
            spare = Some(batch);
        }
        return Ok(());
    }
    let threads = threads.min(batches as usize);
    let (state, make) = (&state, &make);
    std::thread::scope(|scope| {
        let mut receivers = Vec::with_capacity(threads);
        let mut recyclers = Vec::with_capacity(threads);
        for worker in 0..threads {
            let (sender, receiver) = mpsc::sync_channel::<B>(2);
            // Put-out batches go back to their worker, so batches reuse
            // memory instead of allocating (and page-faulting) new.
            let (recycler, recycled) = mpsc::channel::<B>();
            receivers.push(receiver);
            recyclers.push(recycler);
            scope.spawn(move || {
                let mut state = state();
                for number in (worker as u64..batches).step_by(threads) {
                    let batch = make(number, &mut state, recycled.try_recv().ok());
                    // A closed channel means `put` failed; stop.
                    if sender.send(batch).is_err() {
                        return;
                    }
                }
            });
        }
        for number in 0..batches {
            let worker = (number % threads as u64) as usize;
            let batch = receivers[worker]
                .recv()
                .expect("a worker sends every batch it is given");
            // On an error, returning drops the receivers, which stops the workers.
            put(&batch)?;
            // A worker that has finished no longer takes batches back.
            let _ = recyclers[worker].send(batch);
        }
        Ok(())
    })
}

/// Batch `number` of `range` in batches of `size`: the profiles it holds.
pub fn batch(range: &std::ops::Range<u64>, size: u64, number: u64) -> std::ops::Range<u64> {
    let start = range.start + number * size;
    start..(start + size).min(range.end)
}

/// How many batches of `size` hold `range`.
pub fn batches(range: &std::ops::Range<u64>, size: u64) -> u64 {
    (range.end - range.start).div_ceil(size)
}

/// The worker threads of `--threads` when it is not given: all cores.
pub fn default_threads(threads: Option<usize>) -> usize {
    threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    /// Every batch is put out once, in order, whatever the thread count,
    /// and workers reuse the batches they get back.
    #[test]
    fn batches_come_out_in_order_on_any_thread_count() {
        for batches in [0, 1, 2, 7, 100] {
            for threads in [1, 2, 3, 8, 200] {
                let made = AtomicU64::new(0);
                let mut seen = Vec::new();
                let result: Result<(), ()> = in_order(
                    batches,
                    threads,
                    || (),
                    |number, (), spare: Option<Vec<u64>>| {
                        made.fetch_add(1, Ordering::Relaxed);
                        let mut batch = spare.unwrap_or_default();
                        batch.clear();
                        batch.extend([number, number * 2]);
                        batch
                    },
                    |batch| {
                        seen.push(batch[0]);
                        assert_eq!(batch[1], batch[0] * 2);
                        Ok(())
                    },
                );
                result.unwrap();
                assert_eq!(seen, (0..batches).collect::<Vec<_>>(), "{threads} threads");
                assert_eq!(made.load(Ordering::Relaxed), batches);
            }
        }
    }

    /// The first error stops the run: nothing after it is put out, and the
    /// workers stop instead of making every batch.
    #[test]
    fn the_first_error_stops_the_run() {
        for threads in [1, 2, 4] {
            let made = AtomicU64::new(0);
            let mut seen = Vec::new();
            let result = in_order(
                10_000,
                threads,
                || (),
                |number, (), _: Option<u64>| {
                    made.fetch_add(1, Ordering::Relaxed);
                    number
                },
                |&number| {
                    if number == 5 {
                        return Err(format!("batch {number}"));
                    }
                    seen.push(number);
                    Ok(())
                },
            );
            assert_eq!(result, Err("batch 5".to_string()));
            assert_eq!(seen, [0, 1, 2, 3, 4]);
            assert!(made.load(Ordering::Relaxed) < 100, "{threads} threads");
        }
    }

    #[test]
    fn batches_tile_the_range() {
        for (range, size) in [(0..0, 4), (3..4, 4), (10..27, 4), (0..512, 512)] {
            let all: Vec<u64> = (0..batches(&range, size))
                .flat_map(|number| batch(&range, size, number))
                .collect();
            assert_eq!(all, range.clone().collect::<Vec<_>>());
        }
    }
}
