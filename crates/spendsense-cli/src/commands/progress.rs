//! The progress bar of long runs, on stderr and only when it is a terminal:
//! `generate` counts profiles written, `validate` and `report` bytes read.
//!
//! indicatif draws nothing when stderr is not a terminal, so a log or a pipe
//! never receives the bar; `-q` hides it everywhere.

use std::io::{self, BufRead, Read};

use indicatif::{ProgressBar, ProgressStyle};

/// What a bar counts.
#[derive(Debug, Clone, Copy)]
pub enum Work {
    /// Profiles written, out of this many.
    Profiles(u64),
    /// Bytes read, out of the input's size when it is known (a file, not a pipe).
    Bytes(Option<u64>),
}

/// A bar for `work`, hidden with `quiet` or when the work is smaller than
/// `from` (a run that short ends before a bar helps; an input of unknown
/// size always gets one).
pub fn bar(work: Work, from: u64, quiet: bool) -> ProgressBar {
    let (total, template) = match work {
        Work::Profiles(total) => (
            Some(total),
            "{elapsed_precise} [{bar:40}] {human_pos}/{human_len} profiles ({per_sec}, eta {eta})",
        ),
        Work::Bytes(Some(total)) => (
            Some(total),
            "{elapsed_precise} [{bar:40}] {binary_bytes}/{binary_total_bytes} read ({binary_bytes_per_sec}, eta {eta})",
        ),
        Work::Bytes(None) => (
            None,
            "{elapsed_precise} {spinner} {binary_bytes} read ({binary_bytes_per_sec})",
        ),
    };
    if !wanted(work, from, quiet) {
        return ProgressBar::hidden();
    }
    let bar = match total {
        Some(total) => ProgressBar::new(total),
        None => ProgressBar::no_length(),
    };
    bar.set_style(
        ProgressStyle::with_template(template)
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar
}

/// Whether `work` gets a bar at all (indicatif still hides it off a terminal).
fn wanted(work: Work, from: u64, quiet: bool) -> bool {
    let total = match work {
        Work::Profiles(total) => Some(total),
        Work::Bytes(total) => total,
    };
    !quiet && total.is_none_or(|total| total >= from)
}

/// Inputs smaller than this draw no bar: they are read in well under a second.
pub const READ_PROGRESS_FROM: u64 = 32 << 20;

/// A reader that moves a bar by the bytes taken from it, and clears the bar
/// when dropped: once the input is read, before a report is written.
pub struct Reading<R> {
    inner: R,
    bar: ProgressBar,
    /// Bytes taken but not yet added to the bar: it moves in steps of
    /// [`Reading::STEP`] (and at the end), so a reader asked for a byte at a
    /// time costs no more than one that reads blocks.
    pending: u64,
}

impl<R> Reading<R> {
    const STEP: u64 = 64 << 10;

    pub fn new(inner: R, bar: ProgressBar) -> Self {
        Reading {
            inner,
            bar,
            pending: 0,
        }
    }

    fn took(&mut self, amount: usize, at_end: bool) {
        self.pending += amount as u64;
        if self.pending >= Self::STEP || at_end {
            self.bar.inc(self.pending);
            self.pending = 0;
        }
    }
}

impl<R: Read> Read for Reading<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.took(read, read == 0);
        Ok(read)
    }
}

impl<R: BufRead> BufRead for Reading<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.inner.fill_buf()?.is_empty() {
            self.took(0, true);
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.inner.consume(amount);
        self.took(amount, false);
    }
}

impl<R> Drop for Reading<R> {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_counts_every_byte_taken_however_it_is_taken() {
        // Past several steps, and not a whole number of them.
        let text = b"{\"a\":1}\n{\"b\":2}\n".repeat(40_000);
        for read_lines in [false, true] {
            let bar = ProgressBar::hidden();
            let inner = io::BufReader::with_capacity(7, &text[..]);
            let mut reading = Reading::new(inner, bar.clone());
            let mut out = Vec::new();
            if read_lines {
                for line in reading.by_ref().lines() {
                    out.extend_from_slice(line.unwrap().as_bytes());
                    out.push(b'\n');
                }
            } else {
                reading.read_to_end(&mut out).unwrap();
            }
            assert_eq!(out, text);
            assert_eq!(bar.position(), text.len() as u64, "lines: {read_lines}");
        }
    }

    #[test]
    fn short_work_and_quiet_runs_want_no_bar() {
        let big = READ_PROGRESS_FROM;
        for (work, from, quiet, wants) in [
            (Work::Profiles(49), 50, false, false),
            (Work::Profiles(50), 50, false, true),
            (Work::Profiles(50), 50, true, false),
            (Work::Bytes(Some(big - 1)), big, false, false),
            (Work::Bytes(Some(big)), big, false, true),
            (Work::Bytes(None), big, false, true),
            (Work::Bytes(None), big, true, false),
        ] {
            assert_eq!(
                wanted(work, from, quiet),
                wants,
                "{work:?} from {from}, quiet {quiet}"
            );
        }
    }
}
