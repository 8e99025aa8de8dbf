//! Unique fake full names without global state.
//!
//! `fake`'s English lists give 3,007 distinct first names and 474 distinct last
//! names: 1,425,318 pairs. Profile `i` takes pair `(a·i + b) mod N`, an affine
//! permutation whose `a` and `b` come from the seed, so names look shuffled and
//! never repeat within the first N profiles. Past N, a generational suffix
//! (`II`, `III`, …) keeps every name unique.

use std::collections::HashSet;
use std::sync::OnceLock;

use fake::locales::{Data, EN};
use rand::RngExt;

use crate::streams::{Domain, stream};

struct NameLists {
    first: Vec<&'static str>,
    last: Vec<&'static str>,
}

fn dedup(list: &'static [&'static str]) -> Vec<&'static str> {
    let mut seen = HashSet::new();
    list.iter()
        .copied()
        .filter(|name| seen.insert(*name))
        .collect()
}

fn lists() -> &'static NameLists {
    static LISTS: OnceLock<NameLists> = OnceLock::new();
    LISTS.get_or_init(|| NameLists {
        first: dedup(<EN as Data>::NAME_FIRST_NAME),
        last: dedup(<EN as Data>::NAME_LAST_NAME),
    })
}

/// Every first name, then every last name, as generation uses them.
pub(crate) fn all_names() -> impl Iterator<Item = &'static str> {
    let lists = lists();
    lists.first.iter().chain(&lists.last).copied()
}

/// Maps profile indices to unique names for one seed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NamePermutation {
    multiplier: u64,
    offset: u64,
    pairs: u64,
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl NamePermutation {
    pub(crate) fn new(seed: u64) -> NamePermutation {
        let lists = lists();
        let pairs = (lists.first.len() * lists.last.len()) as u64;
        let mut rng = stream(seed, Domain::Names, 0);
        // A multiplier far from 0 and N scatters neighbouring indices.
        let multiplier = loop {
            let candidate = rng.random_range(pairs / 4..pairs * 3 / 4);
            if gcd(candidate, pairs) == 1 {
                break candidate;
            }
        };
        NamePermutation {
            multiplier,
            offset: rng.random_range(0..pairs),
            pairs,
        }
    }

    /// Number of names before suffixes are needed.
    #[cfg(test)]
    pub(crate) fn distinct_pairs(&self) -> u64 {
        self.pairs
    }

    /// The first and last name of profile `index`, without the generational suffix.
    pub(crate) fn parts(&self, index: u64) -> (&'static str, &'static str) {
        let lists = lists();
        let k = ((u128::from(self.multiplier) * u128::from(index % self.pairs)
            + u128::from(self.offset))
            % u128::from(self.pairs)) as usize;
        let last_count = lists.last.len();
        (lists.first[k / last_count], lists.last[k % last_count])
    }

    /// Writes the full name of profile `index` into `out`, replacing what it held.
    pub(crate) fn write_name(&self, index: u64, out: &mut String) {
        let generation = index / self.pairs;
        let (first, last) = self.parts(index);
        out.clear();
        out.push_str(first);
        out.push(' ');
        out.push_str(last);
        if generation > 0 {
            out.push(' ');
            push_roman(out, generation + 1);
        }
    }

    #[cfg(test)]
    pub(crate) fn name(&self, index: u64) -> String {
        let mut name = String::new();
        self.write_name(index, &mut name);
        name
    }
}

fn push_roman(out: &mut String, mut n: u64) {
    const DIGITS: [(u64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    for (value, digits) in DIGITS {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_lists_hold_the_documented_pair_count() {
        assert_eq!(NamePermutation::new(0).distinct_pairs(), 1_425_318);
    }

    #[test]
    fn names_are_unique_across_the_whole_permutation_and_beyond() {
        let names = NamePermutation::new(42);
        let n = names.distinct_pairs();
        let mut seen = HashSet::with_capacity(n as usize + 1000);
        for i in 0..n + 1000 {
            assert!(seen.insert(names.name(i)), "name {i} repeats");
        }
    }

    #[test]
    fn suffixes_are_roman_generations() {
        for (n, numeral) in [(2, "II"), (4, "IV"), (1994, "MCMXCIV")] {
            let mut out = String::new();
            push_roman(&mut out, n);
            assert_eq!(out, numeral);
        }
        let names = NamePermutation::new(1);
        assert!(names.name(names.distinct_pairs()).ends_with(" II"));
    }
}
