//! The streaming [`Validator`] and the [`Report`] it builds.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::hash::{BuildHasherDefault, DefaultHasher, Hash, Hasher};

use rust_decimal::Decimal;
use serde::Serialize;
use spendsense_personas::{Mix, PersonaSet, Personas, Window};
use spendsense_schema::{PersonaId, Transaction, UserProfile, validate_profile};
use spendsense_signals::{Item, card_liabilities, detect};

/// Rule name for a profile whose transactions the reference detector reads
/// as other personas than the profile's.
pub const RULE_DETECTOR_MISMATCH: &str = "detector-mismatch";

/// Rule name for transactions of a user that name an account the user does not have.
pub const RULE_TRANSACTION_ACCOUNT: &str = "transaction-account-unknown";

/// Income bands the report counts, as `(label, min, max)` in dollars, inclusive of min.
pub const INCOME_BANDS: [(&str, i64, i64); 4] = [
    ("20-40K", 20_000, 40_000),
    ("40-75K", 40_000, 75_000),
    ("75-120K", 75_000, 120_000),
    ("120-200K", 120_000, 200_001),
];

/// One broken rule in a dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

/// Validates profiles as they stream past.
#[derive(Debug)]
pub struct Validator<'p> {
    personas: &'p Personas,
    mix: Mix,
    /// The index in its run of the first profile pushed: 0, or a shard's start.
    start: u64,
    /// Users of each persona in the run before `start`.
    before: [u64; 5],
    total: u64,
    counts: [u64; 5],
    incomes: [BTreeMap<Decimal, u64>; 5],
    bands: [u64; 4],
    user_ids: HashSet64,
    names: HashSet64,
    account_ids: HashSet64,
    quota_reported: [bool; 5],
    unreadable: u64,
    transactions: Option<u64>,
    violation_count: u64,
    violations: Vec<ReportViolation>,
}

/// A set of [`hash_of`] values. They are hashes already, so the set uses
/// them as they are instead of hashing them a second time.
type HashSet64 = HashSet<u64, BuildHasherDefault<AlreadyHashed>>;

#[derive(Debug, Default)]
struct AlreadyHashed(u64);

impl Hasher for AlreadyHashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `u64`s are hashed here; fold anything else in rather than fail.
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }
}

fn hash_of(text: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

impl<'p> Validator<'p> {
    /// How many violations the report lists in full.
    pub const LISTED: usize = 1_000;

    /// A validator checking against `personas`, expecting equal persona shares.
    pub fn new(personas: &'p Personas) -> Validator<'p> {
        Validator::with_mix(personas, Mix::equal())
    }

    /// A validator expecting the persona shares of `mix` at every prefix.
    pub fn with_mix(personas: &'p Personas, mix: Mix) -> Validator<'p> {
        Validator {
            personas,
            mix,
            start: 0,
            before: [0; 5],
            total: 0,
            counts: [0; 5],
            incomes: Default::default(),
            bands: [0; 4],
            user_ids: HashSet64::default(),
            names: HashSet64::default(),
            account_ids: HashSet64::default(),
            quota_reported: [false; 5],
            unreadable: 0,
            transactions: None,
            violation_count: 0,
            violations: Vec::new(),
        }
    }

    /// A validator for a slice of a run that starts at profile `start` of
    /// the run (a `--shard`), `before` holding how many users of each persona
    /// ([`PersonaId::ALL`] order) the run has before it: the quotas are then
    /// checked at the run's prefixes `start + k`, exactly as for the whole
    /// run, and income coverage, a property of a run from its first profile,
    /// only when `start` is 0.
    pub fn starting_at(mut self, start: u64, before: [u64; 5]) -> Validator<'p> {
        self.start = start;
        self.before = before;
        self
    }

    /// Records a violation for the profile at `index`.
    pub fn record(&mut self, index: u64, user_id: &str, rule: &str, path: &str, message: String) {
        self.record_at(index, None, user_id, rule, path, message);
    }

    fn record_at(
        &mut self,
        index: u64,
        line: Option<u64>,
        user_id: &str,
        rule: &str,
        path: &str,
        message: String,
    ) {
        self.violation_count += 1;
        if self.violations.len() < Self::LISTED {
            self.violations.push(ReportViolation {
                index,
                user_id: clip(user_id),
                line,
                rule: rule.to_string(),
                path: clip(path),
                message: clip(&message),
            });
        }
    }

    /// Records an input record that could not be read as a profile: `line`
    /// where it starts (when known), `path` of the offending field inside it.
    ///
    /// Quota checks stop at the first unreadable record: without its persona
    /// the running counts no longer mean anything.
    pub fn push_unreadable(&mut self, line: Option<u64>, path: &str, message: String) {
        let index = self.total;
        self.total += 1;
        self.unreadable += 1;
        self.record_at(index, line, "", "unreadable-record", path, message);
    }

    /// Checks one profile, the next in input order.
    pub fn push(&mut self, profile: &UserProfile) {
        self.push_at(profile, None);
    }

    /// [`Validator::push`] for a profile read from 1-based input `line`
    /// (JSONL), which its violations then name.
    pub fn push_at(&mut self, profile: &UserProfile, line: Option<u64>) {
        let index = self.total;
        self.total += 1;
        let id = profile.user_id.as_str();
        let structural = validate_profile(profile);
        for violation in structural
            .into_iter()
            .chain(self.personas.check_profile(profile))
        {
            self.record_at(
                index,
                line,
                id,
                violation.rule,
                &violation.path,
                violation.message,
            );
        }
        if !self.user_ids.insert(hash_of(id)) {
            self.record_at(
                index,
                line,
                id,
                "duplicate-user-id",
                "user_id",
                format!("user_id `{id}` appears earlier in the dataset"),
            );
        }
        if !self.names.insert(hash_of(&profile.name)) {
            let message = format!("name `{}` appears earlier in the dataset", profile.name);
            self.record_at(index, line, id, "duplicate-name", "name", message);
        }
        for (at, account) in profile.accounts.iter().enumerate() {
            if !self.account_ids.insert(hash_of(&account.account_id)) {
                let message = format!(
                    "account_id `{}` appears earlier in the dataset",
                    account.account_id
                );
                self.record_at(
                    index,
                    line,
                    id,
                    "duplicate-account-id",
                    &format!("accounts[{at}].account_id"),
                    message,
                );
            }
        }

        let persona = profile.persona.index();
        self.counts[persona] += 1;
        *self.incomes[persona]
            .entry(profile.annual_income)
            .or_default() += 1;
        for (band, (_, min, max)) in INCOME_BANDS.iter().enumerate() {
            if profile.annual_income >= Decimal::from(*min)
                && profile.annual_income < Decimal::from(*max)
            {
                self.bands[band] += 1;
            }
        }
        self.check_quota(index, line, id);
    }

    /// [`Validator::push_at`] for a profile read with its transactions (every
    /// transaction of the user, in any order), which are checked too: each
    /// must be of one of the profile's accounts, and the reference detector
    /// (`spendsense-signals`), reading only the accounts, the cards'
    /// liabilities ([`card_liabilities`] of the plan's card terms and these
    /// transactions) and the transactions, must find exactly the profile's
    /// personas (its `matched_personas`, else its persona; none for control)
    /// in both windows.
    pub fn push_with_transactions(
        &mut self,
        profile: &UserProfile,
        line: Option<u64>,
        transactions: &[Transaction],
    ) {
        self.push_at(profile, line);
        let index = self.total - 1;
        *self.transactions.get_or_insert(0) += transactions.len() as u64;
        let id = profile.user_id.as_str();
        let foreign: Vec<(usize, &Transaction)> = transactions
            .iter()
            .enumerate()
            .filter(|(_, t)| {
                !profile
                    .accounts
                    .iter()
                    .any(|a| a.account_id == t.account_id)
            })
            .collect();
        if let Some(&(at, first)) = foreign.first() {
            let message = format!(
                "transaction `{}` names account `{}`, which {id} does not have ({} such transaction(s)); the detector reads only the user's own accounts",
                first.transaction_id,
                first.account_id,
                foreign.len()
            );
            let path = format!("transactions[{at}].account_id");
            self.record_at(index, line, id, RULE_TRANSACTION_ACCOUNT, &path, message);
        }
        let liabilities = card_liabilities(&profile.plan.cards, transactions);
        let item = Item {
            accounts: &profile.accounts,
            liabilities: &liabilities,
            transactions,
        };
        let detection = detect(&item, profile.plan.as_of, &self.personas.criteria);
        let expected = PersonaSet::expected_of(profile);
        for window in Window::BOTH {
            let detected = detection.window(window).personas;
            if detected != expected {
                let message = format!(
                    "the reference detector reads {id}'s {} transactions as {detected}; a `{}` profile must read as {expected}",
                    window.as_str(),
                    profile.persona
                );
                self.record_at(
                    index,
                    line,
                    id,
                    RULE_DETECTOR_MISMATCH,
                    "transactions",
                    message,
                );
            }
        }
    }

    /// Every prefix must hold each persona within one of its share of the mix.
    fn check_quota(&mut self, index: u64, line: Option<u64>, id: &str) {
        if self.unreadable > 0 {
            return;
        }
        let prefix = self.start + self.total;
        for persona in PersonaId::ALL {
            let count = self.before[persona.index()] + self.counts[persona.index()];
            if !self.mix.within_one(persona, count, prefix) && !self.quota_reported[persona.index()]
            {
                self.quota_reported[persona.index()] = true;
                let exact = Decimal::from(prefix) * Decimal::from(self.mix.weight(persona))
                    / Decimal::from(self.mix.period());
                let message = format!(
                    "after {prefix} profiles `{persona}` has {count}; its share of the mix ({}) is {}, so it is off by more than 1",
                    self.mix,
                    exact.round_dp(2)
                );
                self.record_at(index, line, id, "quota", "persona", message);
            }
        }
    }

    /// The report over everything pushed.
    pub fn finish(mut self) -> Report {
        self.check_income_coverage();
        let total = self.total;
        let personas = PersonaId::ALL
            .into_iter()
            .map(|persona| {
                let incomes = &self.incomes[persona.index()];
                let count = self.counts[persona.index()];
                PersonaSummary {
                    persona,
                    count,
                    share: (total > 0)
                        .then(|| (Decimal::from(count) / Decimal::from(total)).round_dp(4)),
                    income_min: incomes.keys().next().copied(),
                    income_median: median(incomes),
                    income_max: incomes.keys().next_back().copied(),
                }
            })
            .collect::<Vec<_>>();
        Report {
            total,
            transactions: self.transactions,
            income_min: personas.iter().filter_map(|p| p.income_min).min(),
            income_max: personas.iter().filter_map(|p| p.income_max).max(),
            personas,
            income_bands: INCOME_BANDS
                .iter()
                .zip(self.bands)
                .map(|((band, _, _), count)| BandCount { band, count })
                .collect(),
            violation_count: self.violation_count,
            violations: self.violations,
        }
    }
}

impl Validator<'_> {
    /// The story's distribution requirement, for datasets it applies to: 50
    /// or more readable users of the default personas and mix must cover
    /// incomes from $20K to $200K, every band included (the generator
    /// guarantees an income of at most $25K and one of at least $180K).
    fn check_income_coverage(&mut self) {
        let applies = self.total >= COVERAGE_FROM_USERS
            && self.start == 0
            && self.unreadable == 0
            && *self.personas == Personas::spendsense()
            && self.mix == Mix::equal();
        if !applies {
            return;
        }
        let total = self.total;
        let (lowest, highest) = COVERAGE_EXTREMES;
        let min = self
            .incomes
            .iter()
            .filter_map(|h| h.keys().next())
            .min()
            .copied();
        let max = self
            .incomes
            .iter()
            .filter_map(|h| h.keys().next_back())
            .max()
            .copied();
        let mut gaps = Vec::new();
        if min.is_none_or(|m| m > Decimal::from(lowest)) {
            gaps.push(format!(
                "no income at or below {lowest} (lowest {})",
                min.unwrap_or_default()
            ));
        }
        if max.is_none_or(|m| m < Decimal::from(highest)) {
            gaps.push(format!(
                "no income at or above {highest} (highest {})",
                max.unwrap_or_default()
            ));
        }
        for ((band, _, _), count) in INCOME_BANDS.iter().zip(self.bands) {
            if count == 0 {
                gaps.push(format!("no income in the {band} band"));
            }
        }
        for gap in gaps {
            let message = format!(
                "{gap}; {total} users of the default personas must cover $20K to $200K and every band"
            );
            self.record(total, "", "income-coverage", "annual_income", message);
        }
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
fn clip(text: &str) -> String {
    spendsense_schema::text::escape_clipped(text, MAX_FIELD_CHARS)
}

fn median(histogram: &BTreeMap<Decimal, u64>) -> Option<Decimal> {
    let count: u64 = histogram.values().sum();
    let middle = count.checked_sub(1)? / 2;
    let mut seen = 0;
    histogram.iter().find_map(|(value, n)| {
        seen += n;
        (seen > middle).then_some(*value)
    })
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
