//! The [`Report`] of a validated dataset.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use spendsense_personas::Personas;
use spendsense_schema::{PersonaId, UserProfile};

use crate::{Quotas, Validator};

/// Income bands the report counts, as `(label, min, max)` in dollars, inclusive of min.
pub const INCOME_BANDS: [(&str, i64, i64); 4] = [
    ("20-40K", 20_000, 40_000),
    ("40-75K", 40_000, 75_000),
    ("75-120K", 75_000, 120_000),
    ("120-200K", 120_000, 200_001),
];

/// One broken rule in a dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportViolation {
    /// Position of the profile in the input, from 0.
    pub index: u64,
    /// The profile's `user_id`, or empty when it could not be read.
    pub user_id: String,
    /// 1-based input line of the profile, when known (JSONL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Stable rule name, e.g. `classification-mismatch`, `duplicate-user-id`.
    pub rule: String,
    /// Where in the profile, e.g. `accounts[1].balances.limit`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// Counts and incomes of one persona.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonaSummary {
    /// The persona.
    pub persona: PersonaId,
    /// Profiles of this persona.
    pub count: u64,
    /// `count / total`, rounded to 4 decimals.
    #[serde(with = "spendsense_schema::money::option")]
    pub share: Option<Decimal>,
    /// Lowest income.
    #[serde(with = "spendsense_schema::money::option")]
    pub income_min: Option<Decimal>,
    /// Median income (the lower middle value for even counts).
    #[serde(with = "spendsense_schema::money::option")]
    pub income_median: Option<Decimal>,
    /// Highest income.
    #[serde(with = "spendsense_schema::money::option")]
    pub income_max: Option<Decimal>,
}

/// Profiles per income band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BandCount {
    /// Band label, e.g. `40-75K`.
    pub band: &'static str,
    /// Profiles with income in the band.
    pub count: u64,
}

/// The result of validating a dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Profiles checked (including unreadable records).
    pub total: u64,
    /// Transactions read with the profiles, when they were checked
    /// ([`Validator::push_with_transactions`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transactions: Option<u64>,
    /// How the persona quotas were judged.
    pub quotas: Quotas,
    /// One summary per persona, in priority order.
    pub personas: Vec<PersonaSummary>,
    /// Lowest income in the dataset.
    #[serde(with = "spendsense_schema::money::option")]
    pub income_min: Option<Decimal>,
    /// Highest income in the dataset.
    #[serde(with = "spendsense_schema::money::option")]
    pub income_max: Option<Decimal>,
    /// Profiles per income band.
    pub income_bands: Vec<BandCount>,
    /// Total number of violations.
    pub violation_count: u64,
    /// The first violations, in input order (at most [`Validator::LISTED`]).
    pub violations: Vec<ReportViolation>,
}

impl Report {
    /// Whether every rule holds.
    pub fn is_valid(&self) -> bool {
        self.violation_count == 0
    }
}

/// Datasets of at least this many users must cover the income range.
pub const COVERAGE_FROM_USERS: u64 = 50;

/// The lowest income must be at most the first, the highest at least the second (dollars).
pub const COVERAGE_EXTREMES: (i64, i64) = (25_000, 180_000);

/// Longest text a listed violation keeps per field: hostile inputs can carry
/// megabyte-long ids, and the report must stay small and one line per entry.
const MAX_FIELD_CHARS: usize = 200;

/// `text` [escaped](spendsense_schema::text::escape) for a terminal and cut to
/// [`MAX_FIELD_CHARS`] characters.
pub(crate) fn clip(text: &str) -> String {
    spendsense_schema::text::escape_clipped(text, MAX_FIELD_CHARS)
}

/// Validates a whole in-memory dataset.
pub fn validate<'a>(
    personas: &Personas,
    profiles: impl IntoIterator<Item = &'a UserProfile>,
) -> Report {
    let mut validator = Validator::new(personas);
    profiles.into_iter().for_each(|p| validator.push(p));
    validator.finish()
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show =
            |value: Option<Decimal>| value.map_or_else(|| "-".to_string(), |v| v.to_string());
        writeln!(f, "profiles: {}", self.total)?;
        if let Some(transactions) = self.transactions {
            writeln!(
                f,
                "transactions: {transactions}, read by the reference detector"
            )?;
        }
        writeln!(
            f,
            "{:<20} {:>8} {:>7} {:>11} {:>11} {:>11}",
            "persona", "count", "share", "income min", "median", "max"
        )?;
        for p in &self.personas {
            let share = p.share.map_or_else(
                || "-".to_string(),
                |s| format!("{:.1}%", s * Decimal::ONE_HUNDRED),
            );
            writeln!(
                f,
                "{:<20} {:>8} {:>7} {:>11} {:>11} {:>11}",
                p.persona.as_str(),
                p.count,
                share,
                show(p.income_min),
                show(p.income_median),
                show(p.income_max)
            )?;
        }
        writeln!(
            f,
            "income range: {} to {}",
            show(self.income_min),
            show(self.income_max)
        )?;
        let bands: Vec<String> = self
            .income_bands
            .iter()
            .map(|b| format!("{} {}", b.band, b.count))
            .collect();
        writeln!(f, "income bands: {}", bands.join(", "))?;
        writeln!(
            f,
            "quotas: {}",
            match self.quotas {
                Quotas::Prefix => "every prefix of the run within one of the mix",
                Quotas::Shares => "the whole dataset within one of the mix (any order)",
                Quotas::Off => "not checked",
            }
        )?;
        if self.is_valid() {
            return writeln!(f, "result: valid, every rule holds");
        }
        writeln!(f, "result: INVALID, {} violation(s)", self.violation_count)?;
        for v in &self.violations {
            let who = match (v.user_id.as_str(), v.line) {
                ("", Some(line)) => format!("line {line}"),
                ("", None) => format!("profile {}", v.index),
                (id, Some(line)) => format!("{id} (line {line})"),
                (id, None) => id.to_string(),
            };
            let at = if v.path.is_empty() {
                String::new()
            } else {
                format!(" at {}", v.path)
            };
            writeln!(f, "  {who}{at}: [{}] {}", v.rule, v.message)?;
        }
        let unlisted = self.violation_count - self.violations.len() as u64;
        if unlisted > 0 {
            writeln!(f, "  … and {unlisted} more")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_fields_are_clipped_to_one_short_line() {
        let long = format!("user\n{}", "x".repeat(10_000));
        let clipped = clip(&long);
        assert!(
            clipped.starts_with("user\\nxxx") && clipped.ends_with('…'),
            "{clipped}"
        );
        assert_eq!(clipped.chars().count(), MAX_FIELD_CHARS + 1);
        assert_eq!(
            clip("\u{1b}]0;x\u{7}\u{202e}"),
            "\\u{1b}]0;x\\u{7}\\u{202e}"
        );
        assert_eq!(clip("user_MASKED_007"), "user_MASKED_007");
    }
}
