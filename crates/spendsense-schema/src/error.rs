//! The crate's one error type, [`Error`].

use std::fmt;
use std::io;

use crate::PersonaId;
use crate::text::escape;

/// Everything a fallible function of this crate can report.
///
/// Each function documents which variants it returns. Messages are lowercase,
/// without a final period, and name the offending value and what is allowed.
///
/// This is an enum rather than a struct with an `ErrorKind`: every variant
/// carries different data, and callers match on variants (the CLI words an
/// [`Error::Io`] differently from a malformed dataset). It is
/// `#[non_exhaustive]` so that a new failure is not a breaking change.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The underlying reader failed.
    Io(io::Error),
    /// The input is not valid JSON or JSONL at this place.
    Syntax {
        /// What is wrong, with line and column where serde knows them.
        message: String,
    },
    /// A JSONL line is longer than the limit.
    LineTooLong {
        /// 1-based line number.
        line: u64,
        /// The limit in bytes.
        limit: usize,
    },
    /// An element of a JSON array is longer than the limit.
    RecordTooLong {
        /// Position of the element in the array, from 0.
        index: u64,
        /// The limit in bytes.
        limit: usize,
    },
    /// A record that is JSON but not a valid profile, from a
    /// [`ProfileReader`](crate::ProfileReader), which goes on with the next
    /// record after it. Boxed: it is rare, and keeps every `Result` small.
    Record(Box<crate::codec::RecordError>),
    /// An input to [`ProfileFormat::detect`](crate::ProfileFormat::detect)
    /// that holds nothing but whitespace.
    EmptyInput,
    /// An input to [`ProfileFormat::detect`](crate::ProfileFormat::detect)
    /// whose first byte after whitespace starts neither format.
    UnknownContent {
        /// That byte.
        byte: u8,
    },
    /// A persona id that is not one of [`PersonaId::ALL`].
    UnknownPersona(String),
    /// A format name that is not `json` or `jsonl`.
    UnknownFormat(String),
    /// An amount's JSON text is not a number (e.g. a string).
    AmountNotANumber {
        /// The text, cut to its first 40 characters.
        text: String,
    },
    /// An amount's JSON number is not an exact decimal (an exponent, or more
    /// than 28 significant digits).
    AmountNotExact {
        /// The text, cut to its first 40 characters.
        text: String,
    },
    /// A date that is not an existing `YYYY-MM-DD` day.
    InvalidDate {
        /// The text, escaped and cut to its first 40 characters.
        text: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io(err) => write!(f, "read failed: {err}"),
            Error::Syntax { message } => f.write_str(&escape(message)),
            Error::LineTooLong { line, limit } => write!(
                f,
                "line {line} is longer than {limit} bytes, the per-line limit; is this really JSONL?"
            ),
            Error::RecordTooLong { index, limit } => write!(
                f,
                "array element {index} (counting from 0) is longer than {limit} bytes, the per-record limit"
            ),
            Error::Record(record) => write!(f, "{record}"),
            Error::EmptyInput => {
                f.write_str("the input is empty; expected a JSON array or JSON Lines of profiles")
            }
            Error::UnknownContent { byte } => write!(
                f,
                "the input starts with byte 0x{byte:02x}, not `[` (JSON array) or `{{` (JSON Lines)"
            ),
            Error::UnknownPersona(found) => {
                let allowed: Vec<&str> = PersonaId::ALL.iter().map(|p| p.as_str()).collect();
                write!(
                    f,
                    "unknown persona `{}`; expected one of {}",
                    escape(found),
                    allowed.join(", ")
                )
            }
            Error::UnknownFormat(found) => {
                write!(
                    f,
                    "unknown format `{}`; expected json or jsonl",
                    escape(found)
                )
            }
            Error::AmountNotANumber { text } => {
                write!(f, "expected a JSON number for an amount, found `{text}`")
            }
            Error::AmountNotExact { text } => write!(
                f,
                "`{text}` is not an exact decimal amount (plain digits with an optional fraction, no exponent, at most 28 digits)"
            ),
            Error::InvalidDate { text } => write!(
                f,
                "`{text}` is not a date; expected YYYY-MM-DD, e.g. 2026-11-30"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io(err) => Some(err),
            _ => None,
        }
    }
}

impl From<crate::codec::RecordError> for Error {
    fn from(record: crate::codec::RecordError) -> Self {
        Error::Record(Box::new(record))
    }
}

impl From<io::Error> for Error {
    fn from(err: io::Error) -> Self {
        Error::Io(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    fn check(error: Error, expected: &str) {
        assert_eq!(error.to_string(), expected);
    }

    #[test]
    fn messages_name_the_value_and_what_is_allowed() {
        check(
            Error::UnknownPersona("HighUtilization".into()),
            "unknown persona `HighUtilization`; expected one of high_utilization, variable_income, subscription_heavy, savings_builder, control",
        );
        check(
            Error::UnknownFormat("csv".into()),
            "unknown format `csv`; expected json or jsonl",
        );
        check(
            Error::LineTooLong { line: 3, limit: 16 },
            "line 3 is longer than 16 bytes, the per-line limit; is this really JSONL?",
        );
        check(
            Error::RecordTooLong {
                index: 0,
                limit: 16,
            },
            "array element 0 (counting from 0) is longer than 16 bytes, the per-record limit",
        );
        check(
            Error::UnknownContent { byte: b'h' },
            "the input starts with byte 0x68, not `[` (JSON array) or `{` (JSON Lines)",
        );
        check(
            Error::EmptyInput,
            "the input is empty; expected a JSON array or JSON Lines of profiles",
        );
        check(
            Error::AmountNotANumber {
                text: "\"12.00\"".into(),
            },
            "expected a JSON number for an amount, found `\"12.00\"`",
        );
    }

    #[test]
    fn io_errors_keep_their_source() {
        let error = Error::from(io::Error::other("disk on fire"));
        assert_eq!(error.to_string(), "read failed: disk on fire");
        assert_eq!(error.source().unwrap().to_string(), "disk on fire");
        assert!(Error::UnknownFormat("csv".into()).source().is_none());
    }
}
