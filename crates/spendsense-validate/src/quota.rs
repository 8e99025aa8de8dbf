//! How persona quotas are judged, and the running sums that let the
//! prefix check of a run be made from its shards' summaries.

use serde::{Deserialize, Serialize};
use spendsense_personas::Mix;
use spendsense_schema::PersonaId;

/// Which quota check a dataset gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quotas {
    /// Every prefix of the run holds each persona within one of its share
    /// of the mix: what the generator guarantees, so the check for a
    /// dataset that is a generated run in its order (its manifest says so).
    Prefix,
    /// The whole dataset holds each persona within one of its share: the
    /// check for a dataset in any order (sorted, shuffled, a union).
    Shares,
    /// No quota check (a filtered subset, a sample).
    Off,
}

impl Quotas {
    /// The name the CLI and reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            Quotas::Prefix => "prefix",
            Quotas::Shares => "shares",
            Quotas::Off => "off",
        }
    }
}

/// For one persona over consecutive profiles, the extremes of
/// `count(k) · period − k · weight` over every prefix `k` (0 included), and
/// its value at the end. A prefix is within one of the share exactly when
/// that value, plus the offset of where the profiles start in the run, is
/// within `±period`; the sums of consecutive stretches chain
/// ([`Excursion::then`]), so a run's check follows from its shards'.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Excursion {
    /// Lowest value.
    pub min: i64,
    /// Highest value.
    pub max: i64,
    /// Value after the last profile.
    pub end: i64,
}

impl Excursion {
    /// One more profile, of the persona (`is_persona`) or not.
    pub(crate) fn step(&mut self, is_persona: bool, weight: i64, period: i64) {
        self.end += if is_persona { period } else { 0 } - weight;
        self.min = self.min.min(self.end);
        self.max = self.max.max(self.end);
    }

    /// This stretch followed by `next`.
    pub fn then(self, next: Excursion) -> Excursion {
        Excursion {
            min: self.min.min(self.end + next.min),
            max: self.max.max(self.end + next.max),
            end: self.end + next.end,
        }
    }

    /// Whether every prefix is within one of the share, for a stretch
    /// whose running sum starts at `offset` (the `offset` function of this
    /// module computes it).
    pub fn within_one(self, offset: i64, period: i64) -> bool {
        offset + self.max <= period && offset + self.min >= -period
    }
}

/// The starting value of a stretch that starts at profile `start` of its
/// run with `before` users of `persona` ahead of it.
pub fn offset(mix: &Mix, persona: PersonaId, start: u64, before: u64) -> i64 {
    let wide = i128::from(before) * i128::from(mix.period())
        - i128::from(start) * i128::from(mix.weight(persona));
    wide.clamp(i128::from(i64::MIN / 4), i128::from(i64::MAX / 4)) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The chained excursions of any split of a persona sequence equal the
    /// excursion of the whole, and their check equals `Mix::within_one` at
    /// every prefix.
    #[test]
    fn excursions_chain_and_match_the_prefix_rule() {
        let mix = Mix::parse("high_utilization=3,control=1").unwrap();
        let (weight, period) = (
            mix.weight(PersonaId::HighUtilization) as i64,
            mix.period() as i64,
        );
        let mut state = 7u64;
        for case in 0..200 {
            let len = (case * 7) % 90 + 1;
            let sequence: Vec<bool> = (0..len)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    !(state >> 33).is_multiple_of(4)
                })
                .collect();
            let whole = sequence.iter().fold(Excursion::default(), |mut e, is| {
                e.step(*is, weight, period);
                e
            });
            let cut = case % (len + 1);
            let [head, tail] = [&sequence[..cut], &sequence[cut..]].map(|part| {
                part.iter().fold(Excursion::default(), |mut e, is| {
                    e.step(*is, weight, period);
                    e
                })
            });
            assert_eq!(head.then(tail), whole, "case {case}");
            let mut count = 0;
            let every_prefix = sequence.iter().enumerate().all(|(k, is)| {
                count += u64::from(*is);
                mix.within_one(PersonaId::HighUtilization, count, k as u64 + 1)
            });
            assert_eq!(whole.within_one(0, period), every_prefix, "case {case}");
        }
    }
}
