//! Overlap: which profiles are labelled to meet a second persona, which one,
//! and whether the assignment they carry is the highest-priority match.

use spendsense_personas::{Criteria, PersonaSet, Signals};
use spendsense_schema::{PersonaId, UserProfile};

use super::PerPersona;

/// Counts of the overlap fields over every readable profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OverlapStats {
    /// Profiles seen.
    pub profiles: u64,
    /// Profiles carrying `expected_assignment`.
    pub with_expected: u64,
    /// Profiles carrying `matched_personas`.
    pub with_matched: u64,
    /// Profiles carrying exactly one of the two fields (a broken file).
    pub with_only_one: u64,
    /// `also[p][q]`: profiles of persona `p` whose `matched_personas` also
    /// names `q` (never `p` itself).
    pub also: PerPersona<PerPersona<u64>>,
    /// Profiles with `expected_assignment` equal to the highest-priority
    /// persona of their `matched_personas`.
    pub expected_is_primary: u64,
    /// Profiles with `expected_assignment` equal to their `persona`.
    pub expected_is_persona: u64,
    /// Per window: profiles with `expected_assignment` equal to the
    /// highest-priority persona their signals classify as.
    pub expected_is_detected_primary: [u64; 2],
    /// Per window: profiles with `matched_personas` whose signals classify
    /// as exactly that set.
    pub matched_is_detected: [u64; 2],
}

impl OverlapStats {
    /// Counts one profile, whose two windows' signals are `signals`.
    pub fn push(&mut self, profile: &UserProfile, signals: &[Signals; 2], criteria: &Criteria) {
        self.profiles += 1;
        let expected = profile.expected_assignment;
        let matched = profile.matched_personas.as_deref();
        self.with_expected += u64::from(expected.is_some());
        self.with_matched += u64::from(matched.is_some());
        self.with_only_one += u64::from(expected.is_some() != matched.is_some());
        let p = profile.persona.index();
        if let Some(matched) = matched {
            let mut set = PersonaSet::EMPTY;
            for &q in matched {
                set.insert(q);
                if q != profile.persona {
                    self.also[p][q.index()] += 1;
                }
            }
            for (w, s) in signals.iter().enumerate() {
                self.matched_is_detected[w] += u64::from(criteria.classify(s) == set);
            }
            if expected == Some(set.primary()) {
                self.expected_is_primary += 1;
            }
        }
        if let Some(expected) = expected {
            self.expected_is_persona += u64::from(expected == profile.persona);
            for (w, s) in signals.iter().enumerate() {
                self.expected_is_detected_primary[w] +=
                    u64::from(criteria.classify(s).primary() == expected);
            }
        }
    }

    /// Profiles of persona `p` labelled with some second persona.
    pub fn overlapping(&self, persona: PersonaId) -> u64 {
        self.also[persona.index()].iter().sum()
    }
}

#[cfg(test)]
mod tests {
    use spendsense_generator::{Generator, GeneratorConfig, Overlap};

    use super::*;
    use crate::stats::rules::RuleStats;

    #[test]
    fn overlap_counts_follow_the_generated_share() {
        let criteria = Criteria::spendsense();
        for (seed, count, share) in [(3, 200, "0"), (8, 400, "0.25"), (21, 150, "1")] {
            let config = GeneratorConfig {
                overlap: Overlap::parse(share).unwrap(),
                ..GeneratorConfig::new(seed, count)
            };
            let mut stats = OverlapStats::default();
            let mut overlapping = 0;
            for profile in Generator::new(&config).unwrap().iter() {
                overlapping += u64::from(profile.matched_personas.is_some());
                stats.push(&profile, &RuleStats::signals_of(&profile), &criteria);
            }
            assert_eq!(stats.profiles, count);
            assert_eq!(stats.with_matched, overlapping);
            assert_eq!(stats.with_expected, overlapping);
            assert_eq!(stats.with_only_one, 0);
            assert_eq!(stats.also.iter().flatten().sum::<u64>(), overlapping);
            // Generated overlap is always the labelled persona first.
            assert_eq!(stats.expected_is_primary, overlapping);
            assert_eq!(stats.expected_is_persona, overlapping);
            assert_eq!(stats.expected_is_detected_primary, [overlapping; 2]);
            assert_eq!(stats.matched_is_detected, [overlapping; 2]);
            if share == "0" {
                assert_eq!(overlapping, 0);
            } else {
                assert!(overlapping > 0);
            }
            // Only lower-priority partners are named.
            for (p, row) in stats.also.iter().enumerate() {
                for (q, n) in row.iter().enumerate() {
                    if *n > 0 {
                        assert!(
                            spendsense_personas::overlap_partners(PersonaId::ALL[p])
                                .contains(&PersonaId::ALL[q])
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_wrong_assignment_is_counted() {
        let config = GeneratorConfig {
            overlap: Overlap::parse("1").unwrap(),
            ..GeneratorConfig::new(5, 50)
        };
        let criteria = Criteria::spendsense();
        let mut stats = OverlapStats::default();
        let mut flipped = 0;
        for mut profile in Generator::new(&config).unwrap().iter() {
            if let Some(matched) = profile.matched_personas.clone() {
                profile.expected_assignment = Some(matched[matched.len() - 1]);
                flipped += 1;
            }
            stats.push(&profile, &RuleStats::signals_of(&profile), &criteria);
        }
        assert!(flipped > 0);
        assert_eq!(stats.expected_is_primary, 0);
        assert_eq!(stats.expected_is_detected_primary, [0, 0]);
    }
}
