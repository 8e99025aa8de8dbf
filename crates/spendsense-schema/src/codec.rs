//! Reading and writing profiles as JSON (a pretty-printed array) or JSONL (one
//! compact profile per line), streaming, over any `std::io` reader or writer.
//!
//! The crate never opens files itself; callers bring the reader or writer.
//! Writing is byte-for-byte what `serde_json::to_writer_pretty` gives for a
//! `Vec<UserProfile>` plus a trailing newline, but one profile at a time, so
//! output of any size streams in constant memory.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::io::{self, BufRead, Read, Write};
use std::rc::Rc;
use std::str::FromStr;

use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::{Error, UserProfile};

/// On-disk layouts of a profile dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProfileFormat {
    /// A top-level JSON array, pretty-printed with two-space indents.
    Json,
    /// JSON Lines: one compact profile per line.
    Jsonl,
}

impl ProfileFormat {
    /// The format's name as the CLI spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            ProfileFormat::Json => "json",
            ProfileFormat::Jsonl => "jsonl",
        }
    }

    /// Bytes before the first profile.
    pub fn header(self, empty: bool) -> &'static [u8] {
        match (self, empty) {
            (ProfileFormat::Json, true) => b"[]",
            (ProfileFormat::Json, false) => b"[",
            (ProfileFormat::Jsonl, _) => b"",
        }
    }

    /// Bytes after the last profile.
    pub fn footer(self, empty: bool) -> &'static [u8] {
        match (self, empty) {
            (ProfileFormat::Json, true) => b"\n",
            (ProfileFormat::Json, false) => b"\n]\n",
            (ProfileFormat::Jsonl, _) => b"",
        }
    }

    /// Appends one profile, with the separator that precedes it, to `out`.
    /// `first` says whether it is the first profile of the file.
    pub fn encode(self, profile: &UserProfile, first: bool, out: &mut Vec<u8>) {
        match self {
            ProfileFormat::Jsonl => {
                crate::encode::encode_profile(profile, None, out);
                out.push(b'\n');
            }
            ProfileFormat::Json => {
                out.extend_from_slice(if first { b"\n  " } else { b",\n  " });
                // One level deep: inside the top-level array.
                crate::encode::encode_profile(profile, Some(1), out);
            }
        }
    }
}

/// The error of a format name that is not `json` or `jsonl`: always
/// [`Error::UnknownFormat`]. An alias kept for existing callers.
pub type UnknownFormat = Error;

impl FromStr for ProfileFormat {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "json" => Ok(ProfileFormat::Json),
            "jsonl" => Ok(ProfileFormat::Jsonl),
            other => Err(Error::UnknownFormat(other.to_string())),
        }
    }
}

impl fmt::Display for ProfileFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Streams profiles to a writer in one format.
#[derive(Debug)]
pub struct ProfileWriter<W: Write> {
    inner: W,
    format: ProfileFormat,
    written: u64,
    buffer: Vec<u8>,
}

impl<W: Write> ProfileWriter<W> {
    /// A writer that has written nothing yet.
    pub fn new(inner: W, format: ProfileFormat) -> Self {
        ProfileWriter {
            inner,
            format,
            written: 0,
            buffer: Vec::with_capacity(4096),
        }
    }

    /// Writes one profile.
    pub fn write(&mut self, profile: &UserProfile) -> io::Result<()> {
        self.buffer.clear();
        if self.written == 0 {
            self.buffer.extend_from_slice(self.format.header(false));
        }
        self.format
            .encode(profile, self.written == 0, &mut self.buffer);
        self.written += 1;
        self.inner.write_all(&self.buffer)
    }

    /// Closes the array (for JSON), flushes and returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        let empty = self.written == 0;
        if empty {
            self.inner.write_all(self.format.header(true))?;
        }
        self.inner.write_all(self.format.footer(empty))?;
        self.inner.flush()?;
        Ok(self.inner)
    }
}

/// Writes `profiles` to `writer` in `format`.
pub fn write_profiles<'a, W: Write>(
    writer: W,
    format: ProfileFormat,
    profiles: impl IntoIterator<Item = &'a UserProfile>,
) -> io::Result<W> {
    let mut out = ProfileWriter::new(writer, format);
    for profile in profiles {
        out.write(profile)?;
    }
    out.finish()
}

/// Where a record sits in its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordLocation {
    /// Position among the records, from 0.
    pub index: u64,
    /// 1-based line where the record starts (JSONL: its line; JSON: where the element starts, when known).
    pub line: Option<u64>,
}

/// One record of an input that is well-formed JSON but not a valid profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// Where the record is.
    pub location: RecordLocation,
    /// Field path inside the record where reading stopped, when known.
    pub path: String,
    /// Serde's description of what is wrong.
    pub message: String,
}

/// Why an input could not be read at all (past the records already
/// delivered): [`Error::Io`], [`Error::Syntax`], [`Error::LineTooLong`] or
/// [`Error::RecordTooLong`]. An alias kept for existing callers.
pub type ReadError = Error;

/// A record as delivered to the reader's callback.
pub type Record = Result<UserProfile, RecordError>;

/// Longest JSONL line, and longest JSON array element, that [`read_profiles`]
/// accepts: 16 MiB, far above any profile (about 1.2 KB). Past it reading stops,
/// so memory stays bounded whatever the input.
pub const MAX_LINE_BYTES: usize = 16 << 20;

/// Longest record error message or path kept, in characters. serde quotes an
/// offending value in full, and that value may be megabytes long.
const MAX_MESSAGE_CHARS: usize = 200;

/// Streams the profiles of `reader` to `visit`, one at a time, in bounded memory.
///
/// Records that are valid JSON but not valid profiles (wrong types, missing or
/// unknown fields, bad amounts) are delivered as `Err` and reading goes on.
/// Input that is not JSON at all, a JSON value other than an array (for
/// `Json`), or a line or array element longer than [`MAX_LINE_BYTES`] stops
/// reading with an [`Error`] (see [`ReadError`]). Returns the number of
/// records delivered.
pub fn read_profiles<R: BufRead>(
    reader: R,
    format: ProfileFormat,
    mut visit: impl FnMut(Record),
) -> Result<u64, Error> {
    read_located_profiles(reader, format, |_, record| visit(record))
}

/// [`read_profiles`], also telling `visit` where each record sits in the
/// input (for JSONL, its line), so that later findings about a profile that
/// did parse can name its place too.
pub fn read_located_profiles<R: BufRead>(
    reader: R,
    format: ProfileFormat,
    visit: impl FnMut(RecordLocation, Record),
) -> Result<u64, Error> {
    match format {
        ProfileFormat::Jsonl => read_jsonl(reader, visit),
        ProfileFormat::Json => read_json_array(reader, visit),
    }
}

/// Parses `text`, which must hold one profile and nothing after it.
fn parse_record(text: &str, location: RecordLocation) -> Record {
    // Tracking the field path slows parsing down, so it is done only for a
    // record that failed, to say where.
    if let Ok(profile) = serde_json::from_str(text) {
        return Ok(profile);
    }
    let deserializer = &mut serde_json::Deserializer::from_str(text);
    let error = match serde_path_to_error::deserialize::<_, UserProfile>(&mut *deserializer) {
        Err(err) => RecordError {
            location,
            path: clip(
                err.path()
                    .to_string()
                    .trim_start_matches('.')
                    .replace("?", ""),
            ),
            message: clip(strip_position(&err.inner().to_string())),
        },
        // The profile itself parsed: what follows it is wrong.
        Ok(_) => RecordError {
            location,
            path: String::new(),
            message: match deserializer.end() {
                Err(err) => clip(strip_position(&err.to_string())),
                Ok(()) => "not a valid profile".to_string(),
            },
        },
    };
    Err(error)
}

/// [`escape`](crate::text::escape)s `text` and shortens it past
/// [`MAX_MESSAGE_CHARS`] by cutting out its middle, which keeps both the start
/// of a quoted value and serde's `expected …` after it.
fn clip(text: String) -> String {
    // serde quotes unknown field names and variants raw: escape them first,
    // so that every consumer of a `RecordError` can print it.
    let text = match crate::text::escape(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(escaped) => escaped,
    };
    let chars = text.chars().count();
    if chars <= MAX_MESSAGE_CHARS {
        return text;
    }
    let head: String = text.chars().take(MAX_MESSAGE_CHARS * 3 / 4).collect();
    let tail: String = text.chars().skip(chars - MAX_MESSAGE_CHARS / 4).collect();
    let cut = text.len() - head.len() - tail.len();
    format!("{head}[… {cut} bytes …]{tail}")
}

/// serde_json appends `at line L column C` relative to the record; the caller's location is more useful.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}

fn read_jsonl<R: BufRead>(
    mut reader: R,
    mut visit: impl FnMut(RecordLocation, Record),
) -> Result<u64, Error> {
    let mut line = Vec::new();
    let (mut line_number, mut records) = (0u64, 0u64);
    loop {
        line.clear();
        line_number += 1;
        let read =
            Read::take(&mut reader, MAX_LINE_BYTES as u64 + 1).read_until(b'\n', &mut line)?;
        if read == 0 {
            return Ok(records);
        }
        if line.len() > MAX_LINE_BYTES && line.last() != Some(&b'\n') {
            return Err(Error::LineTooLong {
                line: line_number,
                limit: MAX_LINE_BYTES,
            });
        }
        let text = match std::str::from_utf8(&line) {
            Ok(text) => text.trim(),
            Err(err) => {
                return Err(Error::Syntax {
                    message: format!(
                        "line {line_number} is not UTF-8 text (invalid byte at column {})",
                        err.valid_up_to() + 1
                    ),
                });
            }
        };
        if text.is_empty() {
            continue;
        }
        if !text.starts_with('{') {
            let shown: String = crate::text::escape(text).chars().take(30).collect();
            return Err(Error::Syntax {
                message: format!(
                    "line {line_number} does not hold a JSON object (starts with `{shown}`); JSONL needs one profile object per line"
                ),
            });
        }
        let location = RecordLocation {
            index: records,
            line: Some(line_number),
        };
        let record = parse_record(text, location);
        // A line that is not a profile may not be JSON at all, which stops
        // reading. A profile that parsed is JSON, so only failures pay for
        // this second look.
        if record.is_err()
            && let Err(err) = serde_json::from_str::<serde::de::IgnoredAny>(text)
        {
            return Err(Error::Syntax {
                message: format!("line {line_number}: invalid JSON: {err}"),
            });
        }
        visit(location, record);
        records += 1;
    }
}

fn read_json_array<R: BufRead>(
    reader: R,
    visit: impl FnMut(RecordLocation, Record),
) -> Result<u64, Error> {
    let budget = Rc::new(Budget::default());
    let reader = Budgeted::new(reader, Rc::clone(&budget));
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    let mut records = 0u64;
    let seed = ArrayVisitor {
        visit,
        records: &mut records,
        budget: &budget,
    };
    let result = serde::Deserializer::deserialize_seq(&mut deserializer, seed)
        .and_then(|()| deserializer.end());
    match result {
        Ok(()) => Ok(records),
        Err(err) if err.is_io() && budget.tripped.get() => Err(Error::RecordTooLong {
            index: records,
            limit: MAX_LINE_BYTES,
        }),
        Err(err) => Err(json_error(err)),
    }
}

/// Where an array element starts, shared between the reader and the visitor.
#[derive(Default)]
struct Budget {
    /// Bytes taken from the inner reader so far.
    filled: Cell<u64>,
    /// `filled` when the current element started; `None` outside elements.
    mark: Cell<Option<u64>>,
    /// Whether reading stopped because an element passed the limit.
    tripped: Cell<bool>,
}

/// A buffered reader that fails when one array element passes
/// [`MAX_LINE_BYTES`], so a huge element is refused before serde_json has
/// buffered it. The check runs once per buffer refill, off the per-byte path
/// (serde_json reads one byte at a time); an element is refused within 64 KiB
/// past the limit and never below it.
struct Budgeted<R> {
    inner: R,
    budget: Rc<Budget>,
    buffer: Box<[u8]>,
    start: usize,
    end: usize,
}

impl<R: Read> Budgeted<R> {
    fn new(inner: R, budget: Rc<Budget>) -> Self {
        Budgeted {
            inner,
            budget,
            buffer: vec![0; 64 << 10].into_boxed_slice(),
            start: 0,
            end: 0,
        }
    }

    #[cold]
    fn refill(&mut self) -> io::Result<()> {
        let filled = self.budget.filled.get();
        if let Some(mark) = self.budget.mark.get()
            && filled - mark > MAX_LINE_BYTES as u64
        {
            self.budget.tripped.set(true);
            return Err(io::Error::other("array element longer than the limit"));
        }
        self.end = self.inner.read(&mut self.buffer)?;
        self.start = 0;
        self.budget.filled.set(filled + self.end as u64);
        Ok(())
    }
}

impl<R: Read> Read for Budgeted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.start == self.end {
            self.refill()?;
        }
        let len = (self.end - self.start).min(buf.len());
        // A one-byte copy_from_slice is a memmove call; serde_json asks for one byte at a time.
        if len == 1 {
            buf[0] = self.buffer[self.start];
        } else {
            buf[..len].copy_from_slice(&self.buffer[self.start..self.start + len]);
        }
        self.start += len;
        Ok(len)
    }
}

fn json_error(err: serde_json::Error) -> Error {
    if err.is_io() {
        return Error::Io(io::Error::other(err.to_string()));
    }
    let message = if err.is_eof() {
        format!("the JSON ends early, {err}; is the file truncated?")
    } else if err.to_string().starts_with("invalid type") {
        format!("expected a JSON array of profiles: {err}")
    } else {
        format!("invalid JSON: {err}")
    };
    Error::Syntax { message }
}

struct ArrayVisitor<'r, F> {
    visit: F,
    records: &'r mut u64,
    budget: &'r Budget,
}

impl<'de, F: FnMut(RecordLocation, Record)> DeserializeSeed<'de> for ArrayVisitor<'_, F> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, F: FnMut(RecordLocation, Record)> Visitor<'de> for ArrayVisitor<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array of profiles")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        // Each element is first captured as raw JSON, so a malformed profile
        // becomes a record error while the array keeps streaming. The budget
        // covers the element and the separator before it.
        loop {
            self.budget.mark.set(Some(self.budget.filled.get()));
            let Some(raw) = seq.next_element::<Box<RawValue>>()? else {
                break;
            };
            let location = RecordLocation {
                index: *self.records,
                line: None,
            };
            (self.visit)(location, parse_record(raw.get(), location));
            *self.records += 1;
        }
        self.budget.mark.set(None);
        Ok(())
    }
}
