//! [`ProfileReader`]: the profiles of a JSON array or of JSON Lines, pulled one
//! at a time from any `std::io::BufRead`, in bounded memory.
//!
//! serde drives a visitor (it pushes), and an iterator must pull, so the JSON
//! array is not handed to serde whole. A small scanner finds where each element
//! starts and ends (it follows strings, escapes and nesting, nothing more);
//! serde_json then parses that one element. Every syntax error is serde_json's
//! own message, with its line and column moved from the element to the whole
//! input, so the messages are the ones serde_json gives for the whole document.

use std::io::{self, BufRead, BufReader, ErrorKind, Read};
use std::iter::FusedIterator;

use serde::de::{IgnoredAny, Visitor};

use super::{
    MAX_LINE_BYTES, ProfileFormat, Record, RecordLocation, parse_record, parse_text_record,
};
use crate::{Error, UserProfile};

/// Iterates over the profiles of a JSON array or of JSON Lines.
///
/// The reader holds one record at a time, so a 10 GB input streams in the
/// memory of its largest record (refused past [`MAX_LINE_BYTES`]), and it reads
/// only as far as the records asked for: dropping it (a `break`, a `take`, a
/// `?`) stops reading. It borrows or owns any [`BufRead`]; [`from_reader`]
/// adds the buffer to a plain [`Read`] such as a `File`.
///
/// # Errors
///
/// Each item is a profile or an [`Error`]:
///
/// - [`Error::Record`]: the record is JSON but not a valid profile (a wrong
///   type, a missing or unknown field, an amount that is not exact, a date
///   that does not exist). It carries the record's place and field path. The
///   next call reads the next record.
/// - Any other variant ([`Error::Io`], [`Error::Syntax`], [`Error::LineTooLong`],
///   [`Error::RecordTooLong`]): the input cannot be read past this point (its
///   message says where, by line and column). The iterator is finished and
///   returns `None` from then on.
///
/// So `profile?` in a loop stops at the first problem of either kind; a caller
/// that wants to skip bad records matches [`Error::Record`].
///
/// An empty JSONL input holds no profiles; an empty JSON input is an error,
/// as it is not an array (a dataset with no profiles is `[]`).
///
/// [`from_reader`]: ProfileReader::from_reader
///
/// # Example
///
/// ```
/// use spendsense_schema::{Error, ProfileFormat, ProfileReader};
///
/// let input = b"[{\"user_id\": 1}, 2]";
/// let mut profiles = ProfileReader::new(&input[..], ProfileFormat::Json);
/// // Two array elements that are JSON but not profiles, each with its place.
/// for expected in ["array element 0 (counting from 0) at user_id: invalid type: integer `1`",
///                  "array element 1 (counting from 0): invalid type: integer `2`"] {
///     match profiles.next() {
///         Some(Err(Error::Record(record))) => assert!(record.to_string().starts_with(expected)),
///         other => panic!("{other:?}"),
///     }
/// }
/// assert!(profiles.next().is_none());
/// ```
pub struct ProfileReader<R> {
    input: R,
    format: ProfileFormat,
    state: State,
    /// Records delivered so far, profiles and record errors alike.
    records: u64,
    /// Where the last delivered record sits.
    location: Option<RecordLocation>,
    /// Where reading stands, as serde_json counts it (see [`Position`]).
    position: Position,
    /// The current JSONL line or JSON array element.
    buffer: Vec<u8>,
}

impl<R> std::fmt::Debug for ProfileReader<R> {
    /// Where reading stands; not the input, nor the record buffer (up to 16 MiB).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfileReader")
            .field("format", &self.format)
            .field("state", &self.state)
            .field("records", &self.records)
            .field("line", &self.position.line)
            .finish_non_exhaustive()
    }
}

/// What the reader expects next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// JSON: the opening `[`. JSONL: any line.
    Start,
    /// JSON: the first element or `]`.
    First,
    /// JSON: `,` or `]` after an element.
    Next,
    /// JSON: nothing but whitespace after `]`.
    Closed,
    /// Nothing more will be read.
    Finished,
}

/// A place in the input as serde_json reports it: a 1-based line, and the
/// number of bytes of that line read so far (so the column of the last byte
/// read; 0 right after a newline).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Position {
    line: u64,
    column: u64,
}

impl Position {
    const START: Position = Position { line: 1, column: 0 };

    /// The position after reading `bytes`.
    fn advance(&mut self, bytes: &[u8]) {
        match bytes.iter().rposition(|&b| b == b'\n') {
            Some(last) => {
                self.line += bytes.iter().filter(|&&b| b == b'\n').count() as u64;
                self.column = (bytes.len() - last - 1) as u64;
            }
            None => self.column += bytes.len() as u64,
        }
    }

    /// The position after also reading the byte `next`, which is where
    /// serde_json reports an unexpected byte.
    fn after(mut self, next: u8) -> Position {
        self.advance(&[next]);
        self
    }

    /// Where serde_json's error `err`, met while parsing text that started
    /// right after `self`, sits in the whole input.
    fn of(self, err: &serde_json::Error) -> Position {
        let (line, column) = (err.line() as u64, err.column() as u64);
        if line <= 1 {
            Position {
                line: self.line,
                column: self.column + column,
            }
        } else {
            Position {
                line: self.line + line - 1,
                column,
            }
        }
    }
}

/// The bytes JSON allows between tokens.
pub(super) fn is_json_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\n' | b'\t' | b'\r')
}

impl<R: Read> ProfileReader<BufReader<R>> {
    /// A reader of `input` through a 64 KiB buffer, for a plain [`Read`]
    /// (a `File`, a socket, a decompressor).
    pub fn from_reader(input: R, format: ProfileFormat) -> Self {
        ProfileReader::new(BufReader::with_capacity(64 << 10, input), format)
    }
}

impl<R: BufRead> ProfileReader<R> {
    /// A reader of `input`, which has given nothing yet (or only whitespace,
    /// e.g. what [`ProfileFormat::detect`] consumed), in `format`.
    pub fn new(input: R, format: ProfileFormat) -> Self {
        ProfileReader {
            input,
            format,
            state: State::Start,
            records: 0,
            location: None,
            position: Position::START,
            buffer: Vec::new(),
        }
    }

    /// The format being read.
    pub fn format(&self) -> ProfileFormat {
        self.format
    }

    /// How many records were delivered so far, profiles and
    /// [`Error::Record`]s alike.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Where the record last delivered (a profile or an [`Error::Record`])
    /// sits in the input; `None` before the first.
    pub fn location(&self) -> Option<RecordLocation> {
        self.location
    }

    /// The input, read up to where the reader stopped (the buffer of a
    /// [`BufRead`] may hold more).
    pub fn into_inner(self) -> R {
        self.input
    }

    /// The next record and where it sits, `Ok(None)` at the end of the
    /// input, or the error that ends reading. After either of the last two,
    /// the reader is finished.
    pub(super) fn next_located(&mut self) -> Result<Option<(RecordLocation, Record)>, Error> {
        let result = match (self.state, self.format) {
            (State::Finished, _) => return Ok(None),
            (_, ProfileFormat::Jsonl) => self.next_line(),
            (_, ProfileFormat::Json) => self.next_element(),
        };
        match result {
            Ok(Some(record)) => {
                let location = self.location_here();
                self.location = Some(location);
                self.records += 1;
                Ok(Some((location, record)))
            }
            Ok(None) => {
                self.state = State::Finished;
                Ok(None)
            }
            Err(err) => {
                self.state = State::Finished;
                Err(err)
            }
        }
    }

    /// Where the record about to be delivered sits.
    fn location_here(&self) -> RecordLocation {
        RecordLocation {
            index: self.records,
            // A JSON element's line is known here, but `RecordLocation`
            // documents lines for JSONL and its users print them as JSONL
            // lines, so it stays `None` for JSON as before.
            line: match self.format {
                ProfileFormat::Jsonl => Some(self.position.line - 1),
                ProfileFormat::Json => None,
            },
        }
    }

    /// The next JSONL record. `position.line` counts the lines read.
    fn next_line(&mut self) -> Result<Option<Record>, Error> {
        loop {
            self.buffer.clear();
            let line_number = self.position.line;
            let read = Read::take(&mut self.input, MAX_LINE_BYTES as u64 + 1)
                .read_until(b'\n', &mut self.buffer)?;
            if read == 0 {
                return Ok(None);
            }
            self.position.line += 1;
            if self.buffer.len() > MAX_LINE_BYTES && self.buffer.last() != Some(&b'\n') {
                return Err(Error::LineTooLong {
                    line: line_number,
                    limit: MAX_LINE_BYTES,
                });
            }
            let location = self.location_here();
            match jsonl_record(&self.buffer, line_number, location)? {
                Some(record) => return Ok(Some(record)),
                None => continue,
            }
        }
    }

    /// The next element of the JSON array.
    fn next_element(&mut self) -> Result<Option<Record>, Error> {
        loop {
            let next = self.skip_whitespace()?;
            let here = self.position;
            match (self.state, next) {
                (State::Start, None) => return Err(syntax("EOF while parsing a value", here)),
                (State::Start, Some(b'[')) => {
                    self.take_byte(b'[');
                    self.state = State::First;
                }
                (State::Start, Some(_)) => return Err(self.not_an_array()),
                (State::First | State::Next, Some(b']')) => {
                    self.take_byte(b']');
                    self.state = State::Closed;
                }
                (State::First | State::Next, None) => {
                    return Err(syntax("EOF while parsing a list", here));
                }
                (State::First, Some(first)) => return self.element(first).map(Some),
                (State::Next, Some(b',')) => {
                    self.take_byte(b',');
                    let next = self.skip_whitespace()?;
                    let here = self.position;
                    return match next {
                        Some(b']') => Err(syntax("trailing comma", here.after(b']'))),
                        Some(first) => self.element(first).map(Some),
                        None => Err(syntax("EOF while parsing a value", here)),
                    };
                }
                (State::Next, Some(other)) => {
                    return Err(syntax("expected `,` or `]`", here.after(other)));
                }
                (State::Closed, None) => return Ok(None),
                (State::Closed, Some(other)) => {
                    return Err(syntax("trailing characters", here.after(other)));
                }
                (State::Finished, _) => return Ok(None),
            }
        }
    }

    /// Reads the element that starts with `first` (not yet taken) and parses it.
    fn element(&mut self, first: u8) -> Result<Record, Error> {
        let origin = self.position;
        let mut scan = Scan::new(first);
        self.buffer.clear();
        let complete = loop {
            let chunk = match self.input.fill_buf() {
                Ok(chunk) => chunk,
                Err(err) if err.kind() == ErrorKind::Interrupted => continue,
                Err(err) => return Err(Error::Io(err)),
            };
            if chunk.is_empty() {
                // A number ends at the end of the input; a string, object or
                // array does not (nor does a literal, which serde_json says).
                break scan.ends_at_eof();
            }
            // Never buffer more than one byte past the limit, whatever the
            // size of the reader's own buffer.
            let room = MAX_LINE_BYTES + 1 - self.buffer.len();
            let (used, done) = scan.feed(&chunk[..chunk.len().min(room)]);
            self.buffer.extend_from_slice(&chunk[..used]);
            self.position.advance(&chunk[..used]);
            self.input.consume(used);
            if self.buffer.len() > MAX_LINE_BYTES {
                return Err(Error::RecordTooLong {
                    index: self.records,
                    limit: MAX_LINE_BYTES,
                });
            }
            if done {
                break true;
            }
        };
        self.state = State::Next;
        let record = parse_record(&self.buffer, self.location_here());
        if record.is_ok() {
            return Ok(record);
        }
        match is_json(&self.buffer) {
            Ok(_) if complete => Ok(record),
            // Not reached: a value cut by the end of the input is not JSON.
            // Said as serde_json would, to be safe.
            Ok(_) => Err(syntax("EOF while parsing a value", self.position)),
            Err(err) => Err(from_serde(&err, origin)),
        }
    }

    /// The error for a JSON input whose first byte is not `[`, worded by
    /// serde_json (`invalid type: map, expected a JSON array of profiles`).
    fn not_an_array(&mut self) -> Error {
        let origin = self.position;
        // Bounded like a record: the value may be a 10 GB string.
        let input = Read::take(&mut self.input, MAX_LINE_BYTES as u64);
        let mut deserializer = serde_json::Deserializer::from_reader(input);
        match serde::Deserializer::deserialize_seq(&mut deserializer, ArrayExpected) {
            Err(err) if err.is_io() => Error::Io(io::Error::other(err.to_string())),
            Err(err) => from_serde(&err, origin),
            // Not reached: the input does not start with `[`.
            Ok(()) => syntax("expected `[`", origin),
        }
    }

    /// Consumes whitespace; the next byte, not consumed, or `None` at the end.
    fn skip_whitespace(&mut self) -> io::Result<Option<u8>> {
        loop {
            let chunk = match self.input.fill_buf() {
                Ok(chunk) => chunk,
                Err(err) if err.kind() == ErrorKind::Interrupted => continue,
                Err(err) => return Err(err),
            };
            let blank = chunk.iter().take_while(|&&b| is_json_whitespace(b)).count();
            let next = chunk.get(blank).copied();
            let empty = chunk.is_empty();
            self.position.advance(&chunk[..blank]);
            self.input.consume(blank);
            if next.is_some() || empty {
                return Ok(next);
            }
        }
    }

    /// Consumes `byte`, which [`skip_whitespace`](Self::skip_whitespace) returned.
    fn take_byte(&mut self, byte: u8) {
        self.input.consume(1);
        self.position.advance(&[byte]);
    }
}

impl<R: BufRead> Iterator for ProfileReader<R> {
    type Item = Result<UserProfile, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.next_located() {
            Ok(Some((_, Ok(profile)))) => Some(Ok(profile)),
            Ok(Some((_, Err(record)))) => Some(Err(Error::Record(Box::new(record)))),
            Ok(None) => None,
            Err(err) => Some(Err(err)),
        }
    }
}

impl<R: BufRead> FusedIterator for ProfileReader<R> {}

/// Whether `element` is one JSON value. Read as a stream, not as a slice:
/// serde_json places some errors one byte apart in the two, and the reader
/// reports them as serde_json reading the whole input would.
fn is_json(element: &[u8]) -> Result<IgnoredAny, serde_json::Error> {
    serde_json::from_reader(element)
}

/// A syntax error worded as serde_json words `message` at `at`.
fn syntax(message: &str, at: Position) -> Error {
    let eof = message.starts_with("EOF while");
    worded(message, at, eof)
}

/// serde_json's `err`, met in text that started right after `origin`, with
/// its place in the whole input.
fn from_serde(err: &serde_json::Error, origin: Position) -> Error {
    let text = err.to_string();
    if err.line() == 0 {
        return Error::Syntax {
            message: format!("invalid JSON: {text}"),
        };
    }
    let message = text.rfind(" at line ").map_or(&text[..], |at| &text[..at]);
    worded(message, origin.of(err), err.is_eof())
}

/// The message of a syntax error, as the reader has always worded them.
fn worded(message: &str, at: Position, eof: bool) -> Error {
    let Position { line, column } = at;
    let message = if eof {
        format!(
            "the JSON ends early, {message} at line {line} column {column}; is the file truncated?"
        )
    } else if message.starts_with("invalid type") {
        format!("expected a JSON array of profiles: {message} at line {line} column {column}")
    } else {
        format!("invalid JSON: {message} at line {line} column {column}")
    };
    Error::Syntax { message }
}

/// Finds the end of one JSON value, byte by byte, exactly where serde_json
/// stops reading it (whether it then accepts or refuses it), so that
/// serde_json, given just those bytes, says what it would say given the
/// whole input.
#[derive(Debug)]
enum Scan {
    /// An object, an array or a string, which ends at its closing byte;
    /// serde_json checks what is between.
    Closed {
        /// Open objects and arrays.
        depth: u32,
        in_string: bool,
        escaped: bool,
    },
    /// A number, through the states of its grammar.
    Number(Number),
    /// `true`, `false` or `null`: the bytes still expected.
    Literal(&'static [u8]),
    /// A byte that starts no value: serde_json refuses it alone.
    Other,
}

/// Where a number stands: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Number {
    Start,
    Minus,
    Zero,
    Integer,
    Dot,
    Fraction,
    Exponent,
    ExponentSign,
    ExponentDigits,
}

/// What one more byte does to a value being scanned.
enum Step {
    /// It belongs to the value, which goes on.
    Take,
    /// It belongs to the value, which ends with it (or is refused at it).
    TakeLast,
    /// The value ended before it.
    Stop,
}

impl Scan {
    fn new(first: u8) -> Scan {
        match first {
            b'{' | b'[' | b'"' => Scan::Closed {
                depth: 0,
                in_string: false,
                escaped: false,
            },
            b'-' | b'0'..=b'9' => Scan::Number(Number::Start),
            b't' => Scan::Literal(b"true"),
            b'f' => Scan::Literal(b"false"),
            b'n' => Scan::Literal(b"null"),
            _ => Scan::Other,
        }
    }

    /// Whether the value is whole when the input ends now.
    fn ends_at_eof(&self) -> bool {
        matches!(
            self,
            Scan::Number(
                Number::Zero | Number::Integer | Number::Fraction | Number::ExponentDigits
            )
        )
    }

    /// How many of `bytes` belong to the value, and whether it ends there.
    fn feed(&mut self, bytes: &[u8]) -> (usize, bool) {
        for (i, &byte) in bytes.iter().enumerate() {
            match self.step(byte) {
                Step::Take => {}
                Step::TakeLast => return (i + 1, true),
                Step::Stop => return (i, true),
            }
        }
        (bytes.len(), false)
    }

    fn step(&mut self, byte: u8) -> Step {
        match self {
            Scan::Closed {
                depth,
                in_string,
                escaped,
            } => {
                if *in_string {
                    if *escaped {
                        *escaped = false;
                    } else if byte == b'\\' {
                        *escaped = true;
                    } else if byte == b'"' {
                        *in_string = false;
                        if *depth == 0 {
                            return Step::TakeLast;
                        }
                    }
                    return Step::Take;
                }
                match byte {
                    b'"' => *in_string = true,
                    b'{' | b'[' => *depth += 1,
                    b'}' | b']' => {
                        *depth = depth.saturating_sub(1);
                        if *depth == 0 {
                            return Step::TakeLast;
                        }
                    }
                    _ => {}
                }
                Step::Take
            }
            Scan::Number(state) => {
                use Number::*;
                let digit = byte.is_ascii_digit();
                let next = match (*state, byte) {
                    (Start | Minus, b'0') => Zero,
                    (Start | Minus, _) if digit => Integer,
                    (Start, b'-') => Minus,
                    (Integer, _) if digit => Integer,
                    (Zero | Integer, b'.') => Dot,
                    (Dot | Fraction, _) if digit => Fraction,
                    (Zero | Integer | Fraction, b'e' | b'E') => Exponent,
                    (Exponent, b'+' | b'-') => ExponentSign,
                    (Exponent | ExponentSign | ExponentDigits, _) if digit => ExponentDigits,
                    // A leading zero before a digit, or a number that needs
                    // a byte it did not get: serde_json refuses it at this byte.
                    (Zero, _) if digit => return Step::TakeLast,
                    (Minus | Dot | Exponent | ExponentSign, _) => return Step::TakeLast,
                    // A whole number: the byte is the array's.
                    _ => return Step::Stop,
                };
                *state = next;
                Step::Take
            }
            Scan::Literal(rest) => {
                let expected = rest[0];
                *rest = &rest[1..];
                if byte != expected || rest.is_empty() {
                    Step::TakeLast
                } else {
                    Step::Take
                }
            }
            Scan::Other => Step::TakeLast,
        }
    }
}

/// Expects an array and refuses everything else, in serde's words.
struct ArrayExpected;

impl<'de> Visitor<'de> for ArrayExpected {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON array of profiles")
    }
}

/// One line of JSON Lines as [`ProfileReader`] reads it: `Ok(None)` for a
/// blank line, a [`Record`] for a line holding a JSON object (the profile,
/// or what is wrong with it, placed at `location`), and an [`Error`] that
/// ends reading for a line that is not UTF-8, not an object, or not JSON.
///
/// `line` is the line's raw bytes (its `\n` included or not) and
/// `line_number` its 1-based number. Readers that split lines themselves
/// (to parse them on many threads) get exactly the reader's records and
/// errors; the reader's limit of [`MAX_LINE_BYTES`] per line is theirs to keep.
pub fn jsonl_record(
    line: &[u8],
    line_number: u64,
    location: RecordLocation,
) -> Result<Option<Record>, Error> {
    let text = match std::str::from_utf8(line) {
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
        return Ok(None);
    }
    if !text.starts_with('{') {
        let shown: String = crate::text::escape(text).chars().take(30).collect();
        return Err(Error::Syntax {
            message: format!(
                "line {line_number} does not hold a JSON object (starts with `{shown}`); JSONL needs one profile object per line"
            ),
        });
    }
    let record = parse_text_record(text, location);
    // A line that is not a profile may not be JSON at all, which stops
    // reading. A profile that parsed is JSON, so only failures pay for
    // this second look.
    if record.is_err()
        && let Err(err) = serde_json::from_str::<IgnoredAny>(text)
    {
        return Err(Error::Syntax {
            message: format!("line {line_number}: invalid JSON: {err}"),
        });
    }
    Ok(Some(record))
}
