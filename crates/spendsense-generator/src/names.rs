//! Unique fake full names without global state, surnames at census frequencies.
//!
//! First names are `fake`'s 3,007 distinct English first names, equally
//! likely. Surnames are the 50 commonest of the 2010 Census in proportion to
//! their census frequencies, then `fake`'s other English surnames, each as
//! common as the 50th (a few hundred names cannot stand for the census's
//! long tail of rarer ones, so the top 50 are over-represented about 1.5
//! times, but their order and ratios hold: Smith is 6.5 times Roberts). The
//! weighting is done with *slots*: each surname fills as many slots as its
//! frequency asks, every slot with its own middle initial, so `Smith` fills 26
//! (`A. Smith` … `Z. Smith`) and every other name at least 4.
//!
//! Profile `i` takes the (first name, slot) pair `(a·i + b) mod N`, an affine
//! permutation whose `a` and `b` come from the seed, so names look shuffled
//! and never repeat within the first N (6,669,526) profiles. Past N, a
//! generational suffix (`II`, `III`, …) keeps every name unique.

use std::collections::HashSet;
use std::sync::OnceLock;

use fake::locales::{Data, EN};
use rand::RngExt;

use crate::streams::{Domain, stream};

/// Slots of each surname outside the census top 50 (and of the 50th):
/// the most that keeps Smith within 26 initials.
const TAIL_SLOTS: u64 = 4;
const INITIALS: &[u8; 26] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";

struct NameLists {
    first: Vec<&'static str>,
    /// `(surname, middle initial)` per slot.
    slots: Vec<(&'static str, u8)>,
}

fn dedup(list: impl IntoIterator<Item = &'static str>) -> Vec<&'static str> {
    let mut seen = HashSet::new();
    list.into_iter().filter(|name| seen.insert(*name)).collect()
}

/// Slots per surname: the top 50 in proportion to their census frequency,
/// the others as many as the 50th.
fn surname_slots() -> Vec<(&'static str, u64)> {
    let top = &crate::realism::tables().top_surnames;
    let tail = dedup(<EN as Data>::NAME_LAST_NAME.iter().copied());
    let tail: Vec<&str> = tail
        .into_iter()
        .filter(|name| !top.iter().any(|(common, _)| common == name))
        .collect();
    let tail_each = top.iter().map(|(_, per)| *per).min().expect("top surnames");
    top.iter()
        .map(|(name, per)| (*name, (per * TAIL_SLOTS * 2 + tail_each) / (tail_each * 2)))
        .map(|(name, slots)| (name, slots.max(1)))
        .chain(tail.into_iter().map(|name| (name, TAIL_SLOTS)))
        .collect()
}

fn lists() -> &'static NameLists {
    static LISTS: OnceLock<NameLists> = OnceLock::new();
    LISTS.get_or_init(|| NameLists {
        first: dedup(<EN as Data>::NAME_FIRST_NAME.iter().copied()),
        slots: surname_slots()
            .into_iter()
            .flat_map(|(name, slots)| {
                assert!(slots <= 26, "{name} needs {slots} middle initials");
                INITIALS[..slots as usize].iter().map(move |i| (name, *i))
            })
            .collect(),
    })
}

/// Every first name, then every surname slot, as generation uses them.
pub(crate) fn all_names() -> impl Iterator<Item = &'static str> {
    let lists = lists();
    lists
        .first
        .iter()
        .copied()
        .chain(lists.slots.iter().map(|(name, _)| *name))
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
        let pairs = (lists.first.len() * lists.slots.len()) as u64;
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

    /// The `(first name, slot)` pair of profile `index`, as indices.
    fn pair(&self, index: u64) -> (usize, usize) {
        let k = ((u128::from(self.multiplier) * u128::from(index % self.pairs)
            + u128::from(self.offset))
            % u128::from(self.pairs)) as usize;
        let slots = lists().slots.len();
        (k / slots, k % slots)
    }

    /// The first and last name of profile `index`, without initial or suffix.
    pub(crate) fn parts(&self, index: u64) -> (&'static str, &'static str) {
        let lists = lists();
        let (first, slot) = self.pair(index);
        (lists.first[first], lists.slots[slot].0)
    }

    /// Writes the full name of profile `index` (`First M. Last`, then a
    /// generational suffix past the first N) into `out`, replacing what it held.
    pub(crate) fn write_name(&self, index: u64, out: &mut String) {
        let lists = lists();
        let generation = index / self.pairs;
        let (first, slot) = self.pair(index);
        let (last, initial) = lists.slots[slot];
        out.clear();
        out.push_str(lists.first[first]);
        out.push(' ');
        out.push(char::from(initial));
        out.push_str(". ");
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
    fn lists_hold_the_documented_pair_count() {
        let lists = lists();
        assert_eq!(lists.first.len(), 3_007);
        let pairs = NamePermutation::new(0).distinct_pairs();
        assert_eq!(pairs, 3_007 * lists.slots.len() as u64);
        assert_eq!(pairs, 6_669_526);
    }

    #[test]
    fn common_surnames_fill_slots_in_census_order() {
        let slots = surname_slots();
        let of = |name: &str| slots.iter().find(|(n, _)| *n == name).unwrap().1;
        assert_eq!(of("Smith"), slots.iter().map(|(_, n)| *n).max().unwrap());
        for name in ["Williams", "Garcia", "Nguyen"] {
            assert!(of(name) > TAIL_SLOTS, "{name}");
        }
        assert!(slots[..50].windows(2).all(|w| w[0].1 >= w[1].1));
        // 828.19 and 127.73 per 100,000 in the census.
        assert_eq!((of("Smith"), of("Roberts")), (26, TAIL_SLOTS));
        assert!(slots[50..].iter().all(|(_, n)| *n == TAIL_SLOTS));
    }

    /// The pair mapping is a bijection on `0..N` (checked on every index,
    /// without building strings), and distinct pairs spell distinct names.
    #[test]
    fn names_are_unique_across_the_whole_permutation_and_beyond() {
        let names = NamePermutation::new(42);
        let n = names.distinct_pairs();
        let slots = lists().slots.len();
        let mut seen = vec![0u64; (n as usize).div_ceil(64)];
        for i in 0..n {
            let (first, slot) = names.pair(i);
            let k = first * slots + slot;
            assert_eq!(seen[k / 64] >> (k % 64) & 1, 0, "index {i} repeats a pair");
            seen[k / 64] |= 1 << (k % 64);
        }
        // Every slot's (surname, initial) is distinct, so names differ when pairs do.
        let distinct: HashSet<_> = lists().slots.iter().collect();
        assert_eq!(distinct.len(), slots);
        let mut beyond = HashSet::new();
        for i in n - 1_000..n + 1_000 {
            assert!(beyond.insert(names.name(i)), "name {i} repeats");
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
