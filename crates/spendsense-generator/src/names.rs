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

use std::collections::{HashMap, HashSet};
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

/// Which profile of a run bears a name: the inverse of the generator's names.
///
/// `spendsense validate` uses it to remember each generated name as one bit
/// (its profile's index) instead of a hash per name, so duplicate names are
/// found exactly in a few MiB at 10,000,000 users; and, with the run's seed,
/// to tell that every name of a shard is its own profile's, which rules out
/// duplicates across shards without reading them together.
#[derive(Debug, Clone)]
pub struct NameIndex {
    names: NamePermutation,
    /// `multiplier⁻¹ mod N`.
    inverse: u64,
}

/// First name → its index, `(surname, initial)` → its slot.
struct Lookup {
    first: HashMap<&'static str, usize>,
    slots: HashMap<(&'static str, u8), usize>,
}

fn lookup() -> &'static Lookup {
    static LOOKUP: OnceLock<Lookup> = OnceLock::new();
    LOOKUP.get_or_init(|| {
        let lists = lists();
        Lookup {
            first: lists
                .first
                .iter()
                .enumerate()
                .map(|(i, n)| (*n, i))
                .collect(),
            slots: lists
                .slots
                .iter()
                .enumerate()
                .map(|(i, s)| (*s, i))
                .collect(),
        }
    })
}

/// `a⁻¹ mod m` for `a` coprime with `m`.
fn inverse_mod(a: u64, m: u64) -> u64 {
    let (mut r0, mut r1) = (i128::from(m), i128::from(a));
    let (mut t0, mut t1) = (0i128, 1i128);
    while r1 != 0 {
        let q = r0 / r1;
        (r0, r1) = (r1, r0 - q * r1);
        (t0, t1) = (t1, t0 - q * t1);
    }
    t0.rem_euclid(i128::from(m)) as u64
}

impl NameIndex {
    /// The names of the runs of `seed`.
    pub fn new(seed: u64) -> NameIndex {
        let names = NamePermutation::new(seed);
        NameIndex {
            inverse: inverse_mod(names.multiplier, names.pairs),
            names,
        }
    }

    /// `Some(i)` exactly when profile `i` of a run of this seed is named
    /// `name`, byte for byte; `None` for any other text.
    pub fn index_of(&self, name: &str) -> Option<u64> {
        // `First M. Last`, then ` II`, ` III`, … past the first N profiles.
        let (first, rest) = split_initial(name)?;
        let (initial, rest) = rest;
        let candidates = [
            rest.rsplit_once(' ')
                .and_then(|(last, numeral)| Some((last, parse_roman(numeral)?.checked_sub(1)?)))
                .filter(|(_, generation)| *generation >= 1),
            Some((rest, 0)),
        ];
        let lookup = lookup();
        let first = *lookup.first.get(first)?;
        candidates
            .into_iter()
            .flatten()
            .find_map(|(last, generation)| {
                let slot = *lookup.slots.get(&(last, initial))?;
                let index = self.index_of_pair(first, slot, generation)?;
                let mut rendered = String::with_capacity(name.len());
                self.names.write_name(index, &mut rendered);
                (rendered == name).then_some(index)
            })
    }

    fn index_of_pair(&self, first: usize, slot: usize, generation: u64) -> Option<u64> {
        let pairs = self.names.pairs;
        let k = (first * lists().slots.len() + slot) as u64;
        let shifted = (k + pairs - self.names.offset) % pairs;
        let within = (u128::from(self.inverse) * u128::from(shifted) % u128::from(pairs)) as u64;
        generation.checked_mul(pairs)?.checked_add(within)
    }
}

/// `("First", (b'M', "Last…"))` of `First M. Last…`: the first ` X. ` with
/// `X` an ASCII capital splits the first name from the initial.
fn split_initial(name: &str) -> Option<(&str, (u8, &str))> {
    let bytes = name.as_bytes();
    (1..bytes.len().saturating_sub(3)).find_map(|at| {
        let initial = bytes[at + 1];
        (bytes[at] == b' '
            && initial.is_ascii_uppercase()
            && bytes[at + 2] == b'.'
            && bytes[at + 3] == b' ')
            .then(|| (&name[..at], (initial, &name[at + 4..])))
    })
}

/// The value of an uppercase Roman numeral (canonical or not: the caller
/// re-renders the name, which only canonical numerals survive).
fn parse_roman(text: &str) -> Option<u64> {
    // 4 KiB of numeral is generation 4,000,000: 2.7e13 profiles.
    if text.is_empty() || text.len() > 4_096 {
        return None;
    }
    let value = |c: u8| match c {
        b'I' => Some(1u64),
        b'V' => Some(5),
        b'X' => Some(10),
        b'L' => Some(50),
        b'C' => Some(100),
        b'D' => Some(500),
        b'M' => Some(1000),
        _ => None,
    };
    let digits: Vec<u64> = text.bytes().map(value).collect::<Option<_>>()?;
    let mut total = 0i64;
    for (at, digit) in digits.iter().enumerate() {
        match digits.get(at + 1) {
            Some(next) if next > digit => total -= *digit as i64,
            _ => total += *digit as i64,
        }
    }
    u64::try_from(total).ok()
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

    /// `index_of` inverts `write_name` for every seed, in and past the first
    /// N profiles, and refuses any text that is not exactly a name.
    #[test]
    fn name_index_inverts_the_names() {
        for seed in [0, 1, 42, u64::MAX] {
            let names = NamePermutation::new(seed);
            let index = NameIndex::new(seed);
            let n = names.distinct_pairs();
            let picks = (0..3_000u64).map(|i| i * 2_221).chain(n - 5..n + 5).chain([
                3 * n + 17,
                1_993 * n + 5,
                40_000 * n,
            ]);
            for i in picks {
                let name = names.name(i);
                assert_eq!(index.index_of(&name), Some(i), "seed {seed}: {name}");
                for wrong in [
                    format!("{name} "),
                    format!(" {name}"),
                    name.to_lowercase(),
                    name.replacen(". ", ".  ", 1),
                    format!("{name} I"),
                    format!("{name} IIII"),
                    format!("{name}x"),
                    name.replacen(' ', "\u{a0}", 1),
                ] {
                    assert_eq!(index.index_of(&wrong), None, "seed {seed}: {wrong:?}");
                }
                // Under another seed the same text is another profile's name.
                let other = NameIndex::new(seed ^ 1);
                if let Some(j) = other.index_of(&name) {
                    assert_eq!(NamePermutation::new(seed ^ 1).name(j), name);
                }
            }
        }
        let index = NameIndex::new(3);
        for text in ["", "A", "A B. C", "Smith", "John X. Smith III", "é M. Ü"] {
            if let Some(i) = index.index_of(text) {
                assert_eq!(NamePermutation::new(3).name(i), text);
            }
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
