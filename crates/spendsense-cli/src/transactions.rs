//! Reading a transactions file beside its profiles (`validate --transactions`),
//! one user's transactions at a time.
//!
//! The file is JSON Lines, one Plaid-shaped [`Transaction`] per line, as
//! `generate --transactions` writes it. A transaction belongs to the user
//! its `transaction_id` names (`<user_id>-t<number>`); each user's
//! transactions come together, users in the order of the profiles. So the
//! file streams beside the profiles with one user's transactions in memory,
//! plus a 64-bit hash per user already paired to tell a file out of order
//! from a user without transactions.
//!
//! The id, not account ownership, decides the owner: a transaction naming an
//! account its user does not have is then still placed, and reported as a
//! violation of that user (`transaction-account-unknown`), instead of ending
//! the user's run and throwing every later user out of step.
//!
//! What cannot be paired stops the check with a one-line error (exit 2), as
//! an unreadable profile file does: a line that is not a transaction, an id
//! that names no user, a user's transactions after a later user's, or
//! transactions left over after the last profile.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{BufRead, Read};
use std::path::Path;

use anyhow::anyhow;
use spendsense_schema::Transaction;
use spendsense_schema::codec::MAX_LINE_BYTES;

use crate::Failure;
use crate::commands::validate::{display_name, open};
use crate::manifest::Hashing;

/// Longest quoted text (an id, serde's message) an error keeps, in characters.
const MAX_QUOTED_CHARS: usize = 120;

/// A transactions file being paired with profiles, in order.
pub struct TransactionsFile {
    /// Counted, and hashed when the dataset's manifest lists the file.
    input: Hashing<Box<dyn BufRead>>,
    /// How errors name the file (`stdin` for `-`).
    name: String,
    /// How errors name the profile file.
    profiles: String,
    line: Vec<u8>,
    line_number: u64,
    /// The next transaction, read and not yet given to its user, and its line.
    pending: Option<(u64, Transaction)>,
    /// Hashes of the users already paired.
    paired: HashSet<u64>,
    /// The last user whose transactions were taken, and the line of the first.
    last_run: Option<(String, u64)>,
}

impl std::fmt::Debug for TransactionsFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransactionsFile")
            .field("name", &self.name)
            .field("line_number", &self.line_number)
            .finish_non_exhaustive()
    }
}

fn hash_of(text: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// The user a transaction id names: what precedes its last `-t<number>`.
fn owner(transaction_id: &str) -> Option<&str> {
    let (user, number) = transaction_id.rsplit_once("-t")?;
    let numbered = !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit());
    (numbered && !user.is_empty()).then_some(user)
}

fn quoted(text: &str) -> String {
    spendsense_schema::text::escape_clipped(text, MAX_QUOTED_CHARS)
}

/// Refuses reading both the profiles and their transactions from stdin,
/// before either is opened.
pub fn check_paths(path: &Path, profiles: &Path) -> Result<(), Failure> {
    if path.as_os_str() == "-" && profiles.as_os_str() == "-" {
        return Err(Failure::Usage(anyhow!(
            "PATH and --transactions cannot both be `-`: stdin holds one file; give the transactions as a file"
        )));
    }
    Ok(())
}

impl TransactionsFile {
    /// Opens `path` (`-` is stdin) to pair with the profiles of `profiles`.
    /// With `hash`, the bytes read are hashed for [`TransactionsFile::digest`].
    pub fn open(path: &Path, profiles: &Path, hash: bool) -> Result<TransactionsFile, Failure> {
        check_paths(path, profiles)?;
        let input = open(path).map_err(Failure::Usage)?;
        Ok(TransactionsFile {
            input: if hash {
                Hashing::new(input)
            } else {
                Hashing::off(input)
            },
            name: display_name(path),
            profiles: display_name(profiles),
            line: Vec::new(),
            line_number: 0,
            pending: None,
            paired: HashSet::new(),
            last_run: None,
        })
    }

    fn error(&self, line: u64, what: String) -> Failure {
        Failure::Usage(anyhow!("{} line {line}: {what}", self.name))
    }

    /// The next transaction of the file and its line, or `None` at its end.
    fn next(&mut self) -> Result<Option<(u64, Transaction)>, Failure> {
        loop {
            self.line.clear();
            self.line_number += 1;
            let read = Read::take(&mut self.input, MAX_LINE_BYTES as u64 + 1)
                .read_until(b'\n', &mut self.line)
                .map_err(|err| {
                    Failure::Usage(anyhow!(err).context(format!("cannot read {}", self.name)))
                })?;
            if read == 0 {
                return Ok(None);
            }
            let number = self.line_number;
            if self.line.len() > MAX_LINE_BYTES && self.line.last() != Some(&b'\n') {
                let what = format!(
                    "longer than {MAX_LINE_BYTES} bytes, the per-line limit; is this really JSONL?"
                );
                return Err(self.error(number, what));
            }
            let text = match std::str::from_utf8(&self.line) {
                Ok(text) => text.trim(),
                Err(err) => {
                    let what = format!(
                        "not UTF-8 text (invalid byte at column {})",
                        err.valid_up_to() + 1
                    );
                    return Err(self.error(number, what));
                }
            };
            if text.is_empty() {
                continue;
            }
            return match parse(text) {
                Ok(transaction) => Ok(Some((number, transaction))),
                Err(what) => Err(self.error(number, format!("not a transaction: {what}"))),
            };
        }
    }

    /// Fills `out` (cleared first) with the transactions of user `user_id`:
    /// the run of transactions from here on whose id names that user.
    pub fn take_user(&mut self, user_id: &str, out: &mut Vec<Transaction>) -> Result<(), Failure> {
        out.clear();
        loop {
            if self.pending.is_none() {
                self.pending = self.next()?;
            }
            let Some((line, transaction)) = &self.pending else {
                break;
            };
            match owner(&transaction.transaction_id) {
                Some(owner) if owner == user_id => {
                    let (line, transaction) = self.pending.take().expect("just matched");
                    if out.is_empty() {
                        self.last_run = Some((user_id.to_string(), line));
                    }
                    out.push(transaction);
                }
                Some(owner) if self.paired.contains(&hash_of(owner)) => {
                    return Err(self.out_of_order(*line, transaction, owner));
                }
                // A later user's (or no user's: `finish` tells).
                Some(_) => break,
                None => {
                    let what = format!(
                        "transaction_id `{}` does not name its user; expected `<user_id>-t<number>`, as generate --transactions writes",
                        quoted(&transaction.transaction_id)
                    );
                    return Err(self.error(*line, what));
                }
            }
        }
        self.paired.insert(hash_of(user_id));
        Ok(())
    }

    fn out_of_order(&self, line: u64, transaction: &Transaction, owner: &str) -> Failure {
        // A user is paired once its run ends, so another user's run came since.
        let after = match &self.last_run {
            Some((user, first)) => format!("{}'s (from line {first})", quoted(user)),
            None => "another user's".into(),
        };
        let what = format!(
            "transaction `{}` of {} comes after {after}; each user's transactions must come together, in the order of the profiles in {}",
            quoted(&transaction.transaction_id),
            quoted(owner),
            self.profiles
        );
        self.error(line, what)
    }

    /// Size and SHA-256 of what was read: the whole file after
    /// [`TransactionsFile::finish`] (the hash empty unless opened with `hash`).
    pub fn digest(&self) -> (u64, String) {
        self.input.digest()
    }

    /// Refuses transactions left after the last profile's.
    pub fn finish(&mut self) -> Result<(), Failure> {
        if self.pending.is_none() {
            self.pending = self.next()?;
        }
        let Some((line, transaction)) = &self.pending else {
            return Ok(());
        };
        let owner = owner(&transaction.transaction_id).expect("checked when read");
        if self.paired.contains(&hash_of(owner)) {
            return Err(self.out_of_order(*line, transaction, owner));
        }
        let what = format!(
            "transaction `{}` is of user {}, who has no profile in {}",
            quoted(&transaction.transaction_id),
            quoted(owner),
            self.profiles
        );
        Err(self.error(*line, what))
    }
}

/// Parses one line as a transaction; the error names the field and what is wrong.
fn parse(text: &str) -> Result<Transaction, String> {
    if let Ok(transaction) = serde_json::from_str(text) {
        return Ok(transaction);
    }
    // Only a line that failed pays for these second looks.
    if let Err(err) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        return Err(quoted(&format!(
            "invalid JSON: {}",
            strip_position(&err.to_string())
        )));
    }
    let deserializer = &mut serde_json::Deserializer::from_str(text);
    let result = serde_path_to_error::deserialize::<_, Transaction>(&mut *deserializer)
        .map_err(|err| {
            let path = err.path().to_string();
            let message = strip_position(&err.inner().to_string());
            match path.as_str() {
                "." | "" => message,
                path => format!("at `{path}`: {message}"),
            }
        })
        .and_then(|_| {
            deserializer
                .end()
                .map_err(|err| strip_position(&err.to_string()))
        });
    match result {
        Err(message) => Err(quoted(&message)),
        Ok(()) => Err("not a valid transaction".into()),
    }
}

/// serde_json appends `at line L column C` of the line; the line number is said already.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_owner_is_what_precedes_the_last_sequence_number() {
        assert_eq!(owner("user_MASKED_007-t0012"), Some("user_MASKED_007"));
        assert_eq!(owner("a-t1-t0003"), Some("a-t1"));
        for bad in ["user_MASKED_007", "user-t", "-t0001", "user-tx01", "t0001"] {
            assert_eq!(owner(bad), None, "{bad}");
        }
    }
}
