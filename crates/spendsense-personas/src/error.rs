//! The crate's one error type.

use std::fmt;

use crate::DefinitionProblem;

/// Why a persona configuration or a mix is refused.
///
/// Messages are lowercase, name the offending value and say what is allowed.
/// Nothing here wraps another error, so [`std::error::Error::source`] is
/// always `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A mix that cannot be used; the message names the weight and why.
    Mix(String),
    /// Persona definitions with problems, every one listed.
    Definitions(Vec<DefinitionProblem>),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Mix(message) => f.write_str(message),
            Error::Definitions(problems) => {
                let listed: Vec<String> = problems.iter().map(ToString::to_string).collect();
                write!(f, "invalid persona definitions: {}", listed.join("; "))
            }
        }
    }
}

impl std::error::Error for Error {}
