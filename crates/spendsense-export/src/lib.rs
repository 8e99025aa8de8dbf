//! Views of SpendSense profiles for other tools.
//!
//! - [`tables`]: the `users` and `accounts` CSV tables, joined by `user_id`;
//! - [`sandbox`]: a profile as a Plaid Sandbox `user_custom` configuration;
//! - [`stats`]: the per-persona statistics `spendsense report` draws.
//!
//! Every view is a pure function of the profiles it is given and writes to
//! any [`std::io::Write`]; files, directories and atomic replacement belong to
//! the caller. Each view names every field of the profile it carries or
//! deliberately leaves out, and tests compare that list with the fields the
//! profile's serde form really has, so a new field cannot be silently missing.
//!
//! # Example
//!
//! ```
//! use spendsense_export::{sandbox, tables::Tables};
//! use spendsense_generator::{Generator, GeneratorConfig};
//!
//! let profile = Generator::new(&GeneratorConfig::new(42, 1))?.profile(0);
//!
//! let mut tables = Tables::new(Vec::new(), Vec::new())?;
//! tables.write(&profile)?;
//! let (users, accounts) = tables.finish()?;
//! assert!(String::from_utf8(users)?.starts_with("user_id,name,persona,"));
//! assert_eq!(String::from_utf8(accounts)?.lines().count(), 1 + profile.accounts.len());
//!
//! let config = sandbox::user_custom(&profile);
//! assert_eq!(config.override_accounts.len(), profile.accounts.len());
//! assert_eq!(sandbox::file_name(&profile.user_id)?, "user_MASKED_000.json");
//! assert!(sandbox::file_name("../etc/passwd").is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

pub mod sandbox;
pub mod stats;
pub mod tables;

use std::fmt;

/// Why a profile cannot be exported.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A `user_id` that could name a path other than its own file (`../x`,
    /// `index`, an empty id), so it cannot be a Sandbox file name.
    UnsafeFileName(String),
}

/// Longest piece of input an error message quotes, in characters.
const MAX_QUOTED_CHARS: usize = 200;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::UnsafeFileName(user_id) => {
                // The id comes from an input file: escaped and clipped, it
                // cannot move the cursor or flood a terminal.
                let quoted: String = user_id.escape_debug().take(MAX_QUOTED_CHARS).collect();
                let more = if user_id.escape_debug().nth(MAX_QUOTED_CHARS).is_some() {
                    "…"
                } else {
                    ""
                };
                write!(
                    f,
                    "user_id `{quoted}{more}` cannot be a file name; --format plaid-sandbox needs ids of letters, digits, `_`, `-` and `.`"
                )
            }
        }
    }
}

impl std::error::Error for Error {}
