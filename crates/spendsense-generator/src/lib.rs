//! Deterministic, persona-driven generation of SpendSense synthetic user profiles.
//!
//! Profile `i` is a pure function of `(seed, i, personas)`: every random draw
//! comes from streams keyed by the seed and indexed by `i` (see `streams`), so
//! the first `k` profiles of an `n`-profile run equal a `k`-profile run, any
//! profile can be produced alone, and work can be split across threads or
//! machines without changing a byte.
//!
//! # Example
//!
//! ```
//! use spendsense_generator::{generate, GeneratorConfig, Generator};
//!
//! let config = GeneratorConfig::new(42, 100);
//! let profiles = generate(&config).unwrap();
//! assert_eq!(profiles.len(), 100);
//! assert_eq!(profiles[0].user_id, "user_MASKED_000");
//!
//! // Any single profile can be produced alone.
//! let generator = Generator::new(&config).unwrap();
//! assert_eq!(generator.profile(57), profiles[57]);
//!
//! // Zero users is refused with a message naming the value.
//! let err = generate(&GeneratorConfig::new(42, 0)).unwrap_err();
//! assert_eq!(err.to_string(), "user count 0 is not allowed; generate at least 1 user");
//! ```
#![deny(missing_docs)]

mod assign;
mod build;
mod fingerprint;
mod identity;
mod income;
pub mod ledger;
mod money;
mod names;
mod overlap;
pub mod realism;
mod schedule;
mod shard;
mod streams;
mod text;

use std::fmt;
use std::ops::Range;

use spendsense_personas::{DefinitionProblem, PersonaDefinition, Personas};
use spendsense_schema::{PersonaId, UserProfile};

pub use build::user_id;
pub use fingerprint::{ALGORITHM_VERSION, fingerprint};
// `GeneratorConfig` takes a mix; it is defined with the personas so that checking a
// dataset's quotas does not need the generator.
pub use names::NameIndex;
pub use overlap::Overlap;
pub use shard::Shard;
pub use spendsense_personas::{MAX_PERIOD, Mix};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratorConfig {
    /// Seed of every random stream.
    pub seed: u64,
    /// Number of profiles, at least 1.
    pub count: u64,
    /// Persona definitions and detection criteria.
    pub personas: Personas,
    /// How many users of each persona, relatively.
    pub mix: Mix,
    /// Share of persona users that also meet a lower-priority persona's criteria.
    pub overlap: Overlap,
    /// Last day of every profile's plan history ([`DEFAULT_AS_OF`] unless moved).
    pub as_of: spendsense_schema::Date,
}

/// The largest run the command line and the Python package accept: a
/// billion profiles, about 3.7 TB of JSON Lines.
pub const MAX_COUNT: u64 = 1_000_000_000;

/// The default `as_of`: a fixed day, so that output never depends on when it is generated.
pub const DEFAULT_AS_OF: spendsense_schema::Date =
    match spendsense_schema::Date::from_ymd(2026, 11, 30) {
        Some(date) => date,
        None => panic!("2026-11-30 exists"),
    };

impl GeneratorConfig {
    /// `count` profiles from `seed` with SpendSense's default personas.
    pub fn new(seed: u64, count: u64) -> GeneratorConfig {
        GeneratorConfig {
            seed,
            count,
            personas: Personas::spendsense(),
            mix: Mix::equal(),
            overlap: Overlap::none(),
            as_of: DEFAULT_AS_OF,
        }
    }
}

/// Why a configuration cannot be generated: the crate's one error type.
///
/// Messages are lowercase, name the offending value and say what is allowed.
/// [`Error::Personas`] is the personas crate's error passed through as it is
/// (same message, no extra layer), so [`std::error::Error::source`] is `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The count was 0.
    ZeroCount,
    /// The persona definitions are broken; every problem is listed.
    Personas(spendsense_personas::Error),
    /// A requested index range lies outside `0..count`.
    RangeOutOfBounds {
        /// The requested range.
        range: Range<u64>,
        /// The configured count.
        count: u64,
    },
    /// An overlap share that is not a fraction from 0 to 1 with at most four
    /// decimals ([`Overlap::parse`]).
    Overlap(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::ZeroCount => {
                f.write_str("user count 0 is not allowed; generate at least 1 user")
            }
            Error::Personas(err) => err.fmt(f),
            Error::Overlap(message) => f.write_str(message),
            Error::RangeOutOfBounds { range, count } => {
                write!(
                    f,
                    "profile range {}..{} is outside 0..{count}",
                    range.start, range.end
                )
            }
        }
    }
}

impl std::error::Error for Error {}

/// A validated configuration, ready to produce any profile.
#[derive(Debug, Clone)]
pub struct Generator {
    seed: u64,
    count: u64,
    personas: Personas,
    mix: Mix,
    overlap: Overlap,
    as_of: spendsense_schema::Date,
    /// Overlap definitions by `(persona, partner)`, with their ranges.
    overlaps: Vec<(PersonaId, PersonaId, PersonaDefinition, money::DrawRanges)>,
    /// The definitions' ranges in hundredths, in [`PersonaId::ALL`] order.
    ranges: Vec<money::DrawRanges>,
    names: names::NamePermutation,
}

impl Generator {
    /// Checks `config` once; after this, generation cannot fail.
    pub fn new(config: &GeneratorConfig) -> Result<Generator, Error> {
        if config.count == 0 {
            return Err(Error::ZeroCount);
        }
        config.personas.check().map_err(Error::Personas)?;
        let overlaps = if config.overlap.is_none() {
            Vec::new()
        } else {
            overlap_definitions(&config.personas)?
        };
        Ok(Generator {
            seed: config.seed,
            count: config.count,
            personas: config.personas.clone(),
            mix: config.mix,
            overlap: config.overlap,
            as_of: config.as_of,
            overlaps,
            ranges: PersonaId::ALL
                .iter()
                .map(|p| money::DrawRanges::of(config.personas.get(*p)))
                .collect(),
            names: names::NamePermutation::new(config.seed),
        })
    }

    /// Number of profiles configured.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The seed of every draw.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The overlap share in use.
    pub fn overlap(&self) -> Overlap {
        self.overlap
    }

    /// The last day of every profile's plan history.
    pub fn as_of(&self) -> spendsense_schema::Date {
        self.as_of
    }

    /// The fingerprint of this generator's algorithm and definitions; see [`fingerprint()`].
    pub fn fingerprint(&self) -> String {
        fingerprint::fingerprint(&self.personas)
    }

    /// The persona mix in use.
    pub fn mix(&self) -> &Mix {
        &self.mix
    }

    /// How many users of each persona ([`PersonaId::ALL`] order) come
    /// before profile `index`: what a validator of a shard starting there
    /// counts from. Costs at most one mix period of assignments.
    pub fn persona_counts_before(&self, index: u64) -> [u64; 5] {
        let period = self.mix.period();
        let whole = index / period;
        let mut counts = PersonaId::ALL.map(|p| whole * self.mix.weight(p));
        for at in whole * period..index {
            counts[assign::persona_and_slot(self.seed, &self.mix, at).0.index()] += 1;
        }
        counts
    }

    /// The persona configuration in use.
    pub fn personas(&self) -> &Personas {
        &self.personas
    }

    /// The transactions and card liabilities that realise profile `index`'s
    /// plan (`profile` must be `self.profile(index)`); see [`ledger`].
    pub fn ledger(&self, index: u64, profile: &UserProfile) -> ledger::Ledger {
        ledger::realise(self.seed, index, profile)
    }

    /// [`Generator::ledger`] into `ledger`, reusing an earlier ledger's
    /// allocations: the form for long runs.
    pub fn ledger_into(&self, index: u64, profile: &UserProfile, ledger: &mut ledger::Ledger) {
        ledger::realise_into(self.seed, index, profile, ledger)
    }

    /// Profile `index`. Defined for every index, also past `count`, so a
    /// profile never depends on how many others are generated.
    pub fn profile(&self, index: u64) -> UserProfile {
        let mut profile = build::blank_profile();
        self.profile_into(index, &mut profile);
        profile
    }

    /// Overwrites `profile` with profile `index`, reusing its strings and
    /// accounts: the result equals [`Generator::profile`]`(index)`, but a loop
    /// that hands the same profile back each time allocates next to nothing.
    ///
    /// ```
    /// use spendsense_generator::{Generator, GeneratorConfig};
    ///
    /// let generator = Generator::new(&GeneratorConfig::new(7, 1_000))?;
    /// let mut profile = generator.profile(0);
    /// let mut cards = 0;
    /// for index in 1..1_000 {
    ///     generator.profile_into(index, &mut profile);
    ///     cards += profile.accounts.iter().filter(|a| a.is_credit_card()).count();
    /// }
    /// assert!(cards > 0);
    /// # Ok::<(), spendsense_generator::Error>(())
    /// ```
    pub fn profile_into(&self, index: u64, profile: &mut UserProfile) {
        let (persona, slot) = assign::persona_and_slot(self.seed, &self.mix, index);
        let partner = self.overlap_partner(persona, slot, index);
        let (definition, ranges) = match partner.and_then(|partner| {
            self.overlaps
                .iter()
                .find(|(p, q, _, _)| (*p, *q) == (persona, partner))
        }) {
            Some((_, _, definition, ranges)) => (definition, ranges),
            None => (self.personas.get(persona), &self.ranges[persona.index()]),
        };
        let mut rng = streams::stream(self.seed, streams::Domain::Profile, index);
        let income = income::draw_income(self.seed, persona, slot, ranges.income, &mut rng);
        let plan = build::Plan {
            index,
            persona,
            definition,
            ranges,
            income_cents: income.cents,
            income_quantile: income.quantile,
            name_parts: self.names.parts(index),
            as_of: self.as_of,
            criteria: &self.personas.criteria,
        };
        build::build_into(plan, &mut rng, profile);
        self.names.write_name(index, &mut profile.name);
        match partner {
            Some(partner) => {
                profile.expected_assignment = Some(persona);
                profile.matched_personas = Some(vec![persona, partner]);
            }
            None => {
                profile.expected_assignment = None;
                profile.matched_personas = None;
            }
        }
    }

    /// The lower-priority persona the `slot`-th `persona` user also meets, if any.
    fn overlap_partner(&self, persona: PersonaId, slot: u64, index: u64) -> Option<PersonaId> {
        let partners = spendsense_personas::overlap_partners(persona);
        if partners.is_empty() || !self.overlap.selects(slot) {
            return None;
        }
        let rng = &mut streams::stream(self.seed, streams::Domain::Overlap, index);
        Some(partners[rand::RngExt::random_range(rng, 0..partners.len() as u32) as usize])
    }

    /// Profiles `range.start..range.end`, which must lie within `0..count`.
    pub fn profiles(
        &self,
        range: Range<u64>,
    ) -> Result<impl Iterator<Item = UserProfile> + '_, Error> {
        if range.start > range.end || range.end > self.count {
            return Err(Error::RangeOutOfBounds {
                range,
                count: self.count,
            });
        }
        Ok(range.map(|index| self.profile(index)))
    }

    /// All `count` profiles, in order.
    pub fn iter(&self) -> impl Iterator<Item = UserProfile> + '_ {
        (0..self.count).map(|index| self.profile(index))
    }
}

/// Every overlap definition of `personas`, refusing any whose range corners
/// would not classify to exactly its two personas.
fn overlap_definitions(
    personas: &Personas,
) -> Result<Vec<(PersonaId, PersonaId, PersonaDefinition, money::DrawRanges)>, Error> {
    let mut definitions = Vec::new();
    let mut problems = Vec::new();
    for persona in PersonaId::ALL {
        for &partner in spendsense_personas::overlap_partners(persona) {
            let merged = personas
                .overlap_definition(persona, partner)
                .expect("a listed partner");
            let expected = Personas::overlap_set(persona, partner);
            if let Some(corner) = spendsense_personas::corners(&merged, &personas.criteria)
                .into_iter()
                .find(|c| personas.classify(c) != expected)
            {
                problems.push(DefinitionProblem {
                    path: format!("definitions[{}]", persona.index()),
                    reason: format!(
                        "a `{persona}` user overlapping `{partner}` at the range corner ({corner}) would classify as {}, not {expected}",
                        personas.classify(&corner)
                    ),
                });
            }
            let ranges = money::DrawRanges::of(&merged);
            definitions.push((persona, partner, merged, ranges));
        }
    }
    if problems.is_empty() {
        Ok(definitions)
    } else {
        Err(Error::Personas(spendsense_personas::Error::Definitions(
            problems,
        )))
    }
}

/// Generates every profile of `config` into memory.
pub fn generate(config: &GeneratorConfig) -> Result<Vec<UserProfile>, Error> {
    let generator = Generator::new(config)?;
    Ok(generator.iter().collect())
}

/// The examples of `docs/usage.md`, run as doctests so the guide cannot rot.
#[doc = include_str!("../../../docs/usage.md")]
#[cfg(doctest)]
pub struct UsageGuideExamples;

/// The Rust example of `docs/profile-format.md` ("Reading the data"), run as a doctest.
#[doc = include_str!("../../../docs/profile-format.md")]
#[cfg(doctest)]
pub struct ProfileFormatExamples;
