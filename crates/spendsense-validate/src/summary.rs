//! [`Summary`]: what validating a dataset found, in a form that merges, so
//! the shards of a run are checked one by one where they are made and the
//! run as a whole from their summaries, without reading the data again.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use spendsense_personas::Mix;
use spendsense_schema::PersonaId;

use crate::histogram::IncomeHistogram;
use crate::quota::{Excursion, Quotas, offset};
use crate::report::{BandCount, INCOME_BANDS, PersonaSummary, ReportViolation};
use crate::{Report, Validator};

/// One persona's counts in a [`Summary`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonaTally {
    /// The persona.
    pub persona: PersonaId,
    /// Its profiles.
    pub count: u64,
    /// Its users in the run before the summary's first profile.
    pub before: u64,
    /// The running quota sums over the profiles ([`Excursion`]).
    pub excursion: Excursion,
    /// Its incomes.
    #[serde(with = "histogram_pairs")]
    pub(crate) incomes: IncomeHistogram,
}

/// What the ids of a [`Summary`]'s profiles show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdSummary {
    /// Profiles whose `user_id` is a generated one (`user_MASKED_…`).
    pub generated: u64,
    /// Every profile is profile `start + position` of its run by its id.
    pub in_order: bool,
    /// Every name is the run's name of its own profile (known only when the
    /// validator had the run's [`crate::NameKeys`]).
    pub names_follow_ids: bool,
    /// Every account id is a generated one of its own profile.
    pub accounts_follow_ids: bool,
    /// Ids and names checked by fingerprint and text, not as bits.
    pub text_keys: u64,
}

impl IdSummary {
    /// Whether the keys of these profiles are fixed by their place in the
    /// run, so they cannot repeat the keys of profiles elsewhere in it.
    pub fn fixed_by_place(&self) -> bool {
        self.in_order && self.names_follow_ids && self.accounts_follow_ids
    }
}

/// The result of validating consecutive profiles of a run, mergeable with
/// the next stretch's ([`Summary::then`]) and turned into a [`Report`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// The run index of the first profile.
    pub start: u64,
    /// Profiles checked (unreadable records included).
    pub profiles: u64,
    /// Transactions checked with them, if any.
    pub transactions: Option<u64>,
    /// The mix the quotas were judged by.
    #[serde(with = "mix_text")]
    pub mix: Mix,
    /// How the quotas were judged.
    pub quotas: Quotas,
    /// One tally per persona, in [`PersonaId::ALL`] order.
    pub personas: Vec<PersonaTally>,
    /// Profiles per band of [`INCOME_BANDS`].
    pub income_bands: Vec<u64>,
    /// Records that were not profiles.
    pub unreadable: u64,
    /// What the ids show.
    pub ids: IdSummary,
    /// Violations found.
    pub violation_count: u64,
    /// The first [`Validator::LISTED`] of them.
    pub violations: Vec<ReportViolation>,
}

/// Why two summaries do not chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeError {
    /// The next one does not start where this one ends.
    NotAdjacent {
        /// Where the next one had to start.
        expected: u64,
        /// Where it starts.
        found: u64,
    },
    /// They were judged by different mixes or quota checks.
    Incompatible(String),
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeError::NotAdjacent { expected, found } => write!(
                f,
                "the next summary starts at profile {found}, not at {expected} where this one ends"
            ),
            MergeError::Incompatible(what) => f.write_str(what),
        }
    }
}

impl std::error::Error for MergeError {}

impl Summary {
    /// The run index just past the last profile.
    pub fn end(&self) -> u64 {
        self.start + self.profiles
    }

    /// This stretch of a run followed by `next`, as if validated as one
    /// dataset: counts, incomes and quota sums add up, and duplicates across
    /// the two are ruled out when both have [`IdSummary::fixed_by_place`]
    /// ids (otherwise [`Summary::cross_duplicates_checked`] says so).
    pub fn then(&self, next: &Summary) -> Result<Summary, MergeError> {
        if next.start != self.end() {
            return Err(MergeError::NotAdjacent {
                expected: self.end(),
                found: next.start,
            });
        }
        if next.mix != self.mix || next.quotas != self.quotas {
            return Err(MergeError::Incompatible(format!(
                "one summary was judged by mix {} with {} quotas, the other by mix {} with {} quotas",
                self.mix,
                self.quotas.as_str(),
                next.mix,
                next.quotas.as_str()
            )));
        }
        let personas = self
            .personas
            .iter()
            .zip(&next.personas)
            .map(|(a, b)| {
                let mut incomes = a.incomes.clone();
                for (income, count) in b.incomes.iter() {
                    incomes.add(income, count);
                }
                PersonaTally {
                    persona: a.persona,
                    count: a.count + b.count,
                    before: a.before,
                    excursion: a.excursion.then(b.excursion),
                    incomes,
                }
            })
            .collect();
        let mut violations = self.violations.clone();
        violations.extend(next.violations.iter().map(|v| ReportViolation {
            index: v.index + self.profiles,
            ..v.clone()
        }));
        violations.truncate(Validator::LISTED);
        let transactions = match (self.transactions, next.transactions) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
        };
        Ok(Summary {
            start: self.start,
            profiles: self.profiles + next.profiles,
            transactions,
            mix: self.mix,
            quotas: self.quotas,
            personas,
            income_bands: self
                .income_bands
                .iter()
                .zip(&next.income_bands)
                .map(|(a, b)| a + b)
                .collect(),
            unreadable: self.unreadable + next.unreadable,
            ids: IdSummary {
                generated: self.ids.generated + next.ids.generated,
                in_order: self.ids.in_order && next.ids.in_order,
                names_follow_ids: self.ids.names_follow_ids && next.ids.names_follow_ids,
                accounts_follow_ids: self.ids.accounts_follow_ids && next.ids.accounts_follow_ids,
                text_keys: self.ids.text_keys + next.ids.text_keys,
            },
            violation_count: self.violation_count + next.violation_count,
            violations,
        })
    }

    /// Whether no key can repeat across the stretches merged into this one.
    pub fn cross_duplicates_checked(&self) -> bool {
        self.ids.fixed_by_place()
    }

    /// Whether every prefix of the run within these profiles holds each
    /// persona within one of its share, judged from the quota sums alone
    /// (for a merged summary: the prefixes across its stretches too).
    /// `None` when the quotas are not prefix ones or a record was unreadable.
    pub fn prefix_quotas_hold(&self) -> Option<Vec<(PersonaId, bool)>> {
        if self.quotas != Quotas::Prefix || self.unreadable > 0 {
            return None;
        }
        let period = self.mix.period() as i64;
        Some(
            self.personas
                .iter()
                .map(|tally| {
                    let offset = offset(&self.mix, tally.persona, self.start, tally.before);
                    (tally.persona, tally.excursion.within_one(offset, period))
                })
                .collect(),
        )
    }

    /// The report of these profiles.
    pub fn report(&self) -> Report {
        let total = self.profiles;
        let personas: Vec<PersonaSummary> = self
            .personas
            .iter()
            .map(|tally| PersonaSummary {
                persona: tally.persona,
                count: tally.count,
                share: (total > 0)
                    .then(|| (Decimal::from(tally.count) / Decimal::from(total)).round_dp(4)),
                income_min: tally.incomes.min(),
                income_median: tally.incomes.median(),
                income_max: tally.incomes.max(),
            })
            .collect();
        Report {
            total,
            transactions: self.transactions,
            quotas: self.quotas,
            income_min: personas.iter().filter_map(|p| p.income_min).min(),
            income_max: personas.iter().filter_map(|p| p.income_max).max(),
            personas,
            income_bands: INCOME_BANDS
                .iter()
                .zip(&self.income_bands)
                .map(|((band, _, _), count)| BandCount {
                    band,
                    count: *count,
                })
                .collect(),
            violation_count: self.violation_count,
            violations: self.violations.clone(),
        }
    }
}

/// A histogram as `[[income, count], …]`, incomes exact with two decimals.
mod histogram_pairs {
    use rust_decimal::Decimal;
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::histogram::IncomeHistogram;

    #[derive(Serialize, Deserialize)]
    struct Pair(#[serde(with = "spendsense_schema::money")] Decimal, u64);

    pub(super) fn serialize<S: Serializer>(
        histogram: &IncomeHistogram,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(histogram.iter().map(|(income, count)| Pair(income, count)))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<IncomeHistogram, D::Error> {
        let pairs = Vec::<Pair>::deserialize(deserializer)?;
        let mut histogram = IncomeHistogram::default();
        for Pair(income, count) in pairs {
            if count == 0 {
                return Err(D::Error::custom(format!("income {income} has count 0")));
            }
            histogram.add(income, count);
        }
        Ok(histogram)
    }
}

/// A mix as its text (`high_utilization=1,…`).
mod mix_text {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serializer};
    use spendsense_personas::Mix;

    pub(super) fn serialize<S: Serializer>(mix: &Mix, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(mix)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Mix, D::Error> {
        let text = String::deserialize(deserializer)?;
        Mix::parse(&text).map_err(D::Error::custom)
    }
}
