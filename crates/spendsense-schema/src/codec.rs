//! Reading and writing profiles as JSON (a pretty-printed array) or JSONL (one
//! compact profile per line), streaming, over any `std::io` reader or writer.
//!
//! The crate never opens files itself; callers bring the reader or writer.
//! Reading is [`ProfileReader`], an iterator of profiles; [`read_profiles`] and
//! [`read_located_profiles`] drive it with a callback. [`ProfileFormat::detect`]
//! tells the two layouts apart by name or content.
//! Writing is byte-for-byte what `serde_json::to_writer_pretty` gives for a
//! `Vec<UserProfile>` plus a trailing newline, but one profile at a time, so
//! output of any size streams in constant memory.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, BufRead, ErrorKind, Write};
use std::path::Path;
use std::str::FromStr;

use crate::{Error, UserProfile};

mod reader;

pub use reader::{ProfileReader, jsonl_record};

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

    /// The format a file name's extension names: `.json` is [`Json`], `.jsonl`
    /// and `.ndjson` are [`Jsonl`] (in any ASCII case); `None` otherwise.
    ///
    /// [`Json`]: ProfileFormat::Json
    /// [`Jsonl`]: ProfileFormat::Jsonl
    ///
    /// ```
    /// use spendsense_schema::ProfileFormat;
    /// use std::path::Path;
    ///
    /// assert_eq!(ProfileFormat::from_path(Path::new("users.ndjson")), Some(ProfileFormat::Jsonl));
    /// assert_eq!(ProfileFormat::from_path(Path::new("USERS.JSON")), Some(ProfileFormat::Json));
    /// assert_eq!(ProfileFormat::from_path(Path::new("users.csv")), None);
    /// ```
    pub fn from_path(path: &Path) -> Option<ProfileFormat> {
        let extension = path.extension()?.to_str()?;
        let is = |name: &str| extension.eq_ignore_ascii_case(name);
        if is("json") {
            Some(ProfileFormat::Json)
        } else if is("jsonl") || is("ndjson") {
            Some(ProfileFormat::Jsonl)
        } else {
            None
        }
    }

    /// The format of a dataset: the one its `name` names (see
    /// [`from_path`](ProfileFormat::from_path)), else the one its content
    /// starts with, `[` for a JSON array and `{` for JSON Lines, after any JSON
    /// whitespace.
    ///
    /// Looking at the content consumes nothing, unless the input's buffer
    /// holds only whitespace: then that whitespace is consumed to see past it
    /// (both formats skip it, but a [`ProfileReader`] then counts lines from
    /// the first one not consumed).
    ///
    /// # Errors
    ///
    /// [`Error::EmptyInput`] when the input holds nothing but whitespace,
    /// [`Error::UnknownContent`] when it starts with another byte, and
    /// [`Error::Io`] when it cannot be read.
    ///
    /// ```
    /// use spendsense_schema::{Error, ProfileFormat};
    /// use std::path::Path;
    ///
    /// let mut jsonl = &b"\n  {\"user_id\": \"user_MASKED_000\"}\n"[..];
    /// assert_eq!(ProfileFormat::detect(None, &mut jsonl)?, ProfileFormat::Jsonl);
    /// // The name wins when its extension names a format.
    /// assert_eq!(ProfileFormat::detect(Some(Path::new("a.json")), &mut jsonl)?, ProfileFormat::Json);
    /// assert!(matches!(ProfileFormat::detect(None, &mut &b" \t"[..]), Err(Error::EmptyInput)));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn detect<R: BufRead + ?Sized>(
        name: Option<&Path>,
        input: &mut R,
    ) -> Result<ProfileFormat, Error> {
        if let Some(format) = name.and_then(ProfileFormat::from_path) {
            return Ok(format);
        }
        loop {
            let buffer = match input.fill_buf() {
                Ok(buffer) => buffer,
                Err(err) if err.kind() == ErrorKind::Interrupted => continue,
                Err(err) => return Err(Error::Io(err)),
            };
            let Some(&first) = buffer.iter().find(|&&b| !reader::is_json_whitespace(b)) else {
                if buffer.is_empty() {
                    return Err(Error::EmptyInput);
                }
                let skip = buffer.len();
                input.consume(skip);
                continue;
            };
            return match first {
                b'[' => Ok(ProfileFormat::Json),
                b'{' => Ok(ProfileFormat::Jsonl),
                byte => Err(Error::UnknownContent { byte }),
            };
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

/// The error of a format name that is not `json`, `jsonl` or `ndjson`: always
/// [`Error::UnknownFormat`]. An alias kept for existing callers.
pub type UnknownFormat = Error;

impl FromStr for ProfileFormat {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "json" => Ok(ProfileFormat::Json),
            "jsonl" | "ndjson" => Ok(ProfileFormat::Jsonl),
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
    /// 1-based line of the record in JSONL; `None` in a JSON array, whose
    /// records are placed by `index` (syntax errors there name line and column).
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

impl fmt::Display for RecordLocation {
    /// `line 3` for JSONL, `array element 2 (counting from 0)` for JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}"),
            None => write!(f, "array element {} (counting from 0)", self.index),
        }
    }
}

impl fmt::Display for RecordError {
    /// `line 2 at demographics.age: invalid type: …`; the path and message
    /// are already escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.location)?;
        if !self.path.is_empty() {
            write!(f, " at {}", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for RecordError {}

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
///
/// This is [`ProfileReader`] driven to the end; the iterator is the simpler
/// way to stop early or to use `?`.
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
    mut visit: impl FnMut(RecordLocation, Record),
) -> Result<u64, Error> {
    let mut profiles = ProfileReader::new(reader, format);
    while let Some((location, record)) = profiles.next_located()? {
        visit(location, record);
    }
    Ok(profiles.records())
}

/// [`parse_record`] of text already known to be UTF-8, which serde_json
/// then need not check again string by string.
fn parse_text_record(text: &str, location: RecordLocation) -> Record {
    if let Ok(profile) = serde_json::from_str(text) {
        return Ok(profile);
    }
    parse_record(text.as_bytes(), location)
}

/// Parses `text`, which must hold one profile and nothing after it.
fn parse_record(text: &[u8], location: RecordLocation) -> Record {
    // Tracking the field path slows parsing down, so it is done only for a
    // record that failed, to say where.
    if let Ok(profile) = serde_json::from_slice(text) {
        return Ok(profile);
    }
    let deserializer = &mut serde_json::Deserializer::from_slice(text);
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
