//! JSON Lines validated on many threads.
//!
//! This thread reads lines into batches and deals them to the workers in
//! turn; each worker parses its batch's lines and runs the checks of one
//! profile alone ([`Checker`]); this thread takes the results back in batch
//! order and pushes them to the [`Validator`], which makes the checks across
//! profiles. A line's record is [`jsonl_record`]'s, exactly what the
//! one-thread reader gives, so the report never depends on the thread count.

use std::io::{BufRead, Read};
use std::sync::mpsc;

use spendsense_schema::codec::{MAX_LINE_BYTES, ReadError, Record, RecordLocation, jsonl_record};
use spendsense_validate::{Checked, Checker, Validator};

/// Lines per batch: about 1.8 MB of profiles, a few milliseconds of work.
const BATCH_LINES: usize = 512;

/// A batch of raw lines: their bytes end to end, where each ends, and the
/// number of the first.
#[derive(Default)]
struct Lines {
    bytes: Vec<u8>,
    ends: Vec<usize>,
    first_line: u64,
    /// The error that ended reading after these lines.
    error: Option<ReadError>,
}

/// What a worker makes of one line.
enum Parsed {
    Profile(Box<Checked>),
    Unreadable {
        line: u64,
        path: String,
        message: String,
    },
}

/// A batch's results, and the error that ends reading inside it, if any.
struct Outcome {
    parsed: Vec<Parsed>,
    stop: Option<ReadError>,
    lines: Lines,
}

/// Reads JSON Lines from `input` to its end (or its first fatal error) on
/// `threads` workers, pushing each profile to `validator` in input order
/// and calling `each` after it with its place and result (for the
/// manifest's checks and for spilling keys). Returns the number of records.
pub fn validate_lines<R: BufRead>(
    input: &mut R,
    threads: usize,
    validator: &mut Validator,
    mut each: impl FnMut(&mut Validator, RecordLocation, Option<&Checked>),
) -> Result<u64, ReadError> {
    let checker = validator.checker();
    let mut records = 0u64;
    let mut fatal = None;
    std::thread::scope(|scope| {
        let mut to_workers = Vec::with_capacity(threads);
        let mut from_workers = Vec::with_capacity(threads);
        for _ in 0..threads {
            let (send_lines, lines) = mpsc::sync_channel::<Lines>(2);
            let (send_outcome, outcomes) = mpsc::sync_channel::<Outcome>(2);
            scope.spawn(move || {
                for batch in lines {
                    if send_outcome.send(parse(checker, batch)).is_err() {
                        break;
                    }
                }
            });
            to_workers.push(send_lines);
            from_workers.push(outcomes);
        }
        let mut spare: Vec<Lines> = Vec::new();
        let mut next_line = 1u64;
        let (mut sent, mut received) = (0usize, 0usize);
        let mut finished = false;
        loop {
            // Keep every worker two batches ahead while input lasts.
            while !finished && sent - received < threads * 2 {
                let mut lines = spare.pop().unwrap_or_default();
                finished = !read_batch(input, &mut lines, &mut next_line);
                if lines.ends.is_empty() && lines.error.is_none() {
                    spare.push(lines);
                    break;
                }
                if to_workers[sent % threads].send(lines).is_err() {
                    break;
                }
                sent += 1;
            }
            if received == sent {
                break;
            }
            let Ok(outcome) = from_workers[received % threads].recv() else {
                break;
            };
            received += 1;
            for parsed in &outcome.parsed {
                let index = records;
                records += 1;
                match parsed {
                    Parsed::Profile(checked) => {
                        validator.push_checked(checked);
                        let at = RecordLocation {
                            index,
                            line: checked.line(),
                        };
                        each(validator, at, Some(checked));
                    }
                    Parsed::Unreadable {
                        line,
                        path,
                        message,
                    } => {
                        validator.push_unreadable(Some(*line), path, message.clone());
                        let at = RecordLocation {
                            index,
                            line: Some(*line),
                        };
                        each(validator, at, None);
                    }
                }
            }
            if let Some(stop) = outcome.stop {
                fatal = Some(stop);
                break;
            }
            spare.push(outcome.lines);
        }
        drop(to_workers);
    });
    match fatal {
        Some(err) => Err(err),
        None => Ok(records),
    }
}

/// Reads up to [`BATCH_LINES`] lines into `lines`; `false` at the end of
/// the input or at an error, which `lines.error` then holds: a read error,
/// or a line past [`MAX_LINE_BYTES`], as for the one-thread reader.
fn read_batch<R: BufRead>(input: &mut R, lines: &mut Lines, next_line: &mut u64) -> bool {
    lines.bytes.clear();
    lines.ends.clear();
    lines.error = None;
    lines.first_line = *next_line;
    while lines.ends.len() < BATCH_LINES {
        let before = lines.bytes.len();
        let read = match Read::take(&mut *input, MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut lines.bytes)
        {
            Ok(read) => read,
            Err(err) => {
                lines.bytes.truncate(before);
                lines.error = Some(ReadError::Io(err));
                return false;
            }
        };
        if read == 0 {
            return false;
        }
        if read > MAX_LINE_BYTES && lines.bytes.last() != Some(&b'\n') {
            lines.bytes.truncate(before);
            lines.error = Some(ReadError::LineTooLong {
                line: *next_line,
                limit: MAX_LINE_BYTES,
            });
            return false;
        }
        lines.ends.push(lines.bytes.len());
        *next_line += 1;
    }
    true
}

fn parse(checker: Checker, mut lines: Lines) -> Outcome {
    let mut parsed = Vec::with_capacity(lines.ends.len());
    let mut stop = None;
    let mut start = 0;
    for (offset, &end) in lines.ends.iter().enumerate() {
        let line = lines.first_line + offset as u64;
        let location = RecordLocation {
            index: 0,
            line: Some(line),
        };
        let record: Record = match jsonl_record(&lines.bytes[start..end], line, location) {
            Ok(Some(record)) => record,
            Ok(None) => {
                start = end;
                continue;
            }
            Err(err) => {
                stop = Some(err);
                break;
            }
        };
        start = end;
        parsed.push(match record {
            Ok(profile) => Parsed::Profile(Box::new(checker.check(&profile, Some(line)))),
            Err(err) => Parsed::Unreadable {
                line,
                path: err.path,
                message: err.message,
            },
        });
    }
    if stop.is_none() {
        stop = lines.error.take();
    }
    Outcome {
        parsed,
        stop,
        lines,
    }
}
