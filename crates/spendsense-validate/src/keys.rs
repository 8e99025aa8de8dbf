//! Exact duplicate detection in bounded memory.
//!
//! A generated dataset's keys carry their profile's index: `user_MASKED_007`
//! is profile 7, its accounts `user_MASKED_007_acct_0`, `…_acct_1`, and a
//! [`NameKeys`] codec (the generator's, for names) maps each name it could
//! have produced to a number of its own. Such keys are remembered as one bit
//! each in an [`IndexSet`], so 10,000,000 generated users cost a few MiB, and
//! two keys collide exactly when their texts are equal: no false positives.
//!
//! Any other text is a [`TextKey`]: it is remembered by a 64-bit fingerprint
//! (about 16 bytes in the set), and a fingerprint seen before makes it a
//! *suspect*, not yet a duplicate. A suspect is confirmed only by comparing
//! texts: the keys themselves come back at the end, from memory or from the
//! caller's spill (see [`crate::Validator::take_text_keys`]), and only the
//! few that share a suspect's fingerprint are compared.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, DefaultHasher, Hash, Hasher};

use serde::{Deserialize, Serialize};

/// Maps names to numbers, one per distinct name it knows, `None` for text
/// it does not: the generator's codec knows every name it can produce.
///
/// The duplicate check relies on it being injective: two different names
/// never get the same number.
pub trait NameKeys: Sync {
    /// The number of `name`, or `None` when it is not one of the codec's names.
    fn key(&self, name: &str) -> Option<u64>;
}

/// Which kind of key a [`TextKey`] is: keys of different kinds never collide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyKind {
    /// A `user_id`.
    UserId,
    /// A `name`.
    Name,
    /// An `account_id`.
    AccountId,
}

impl KeyKind {
    /// Every kind, in a fixed order (for spills that store it as a byte).
    pub const ALL: [KeyKind; 3] = [KeyKind::UserId, KeyKind::Name, KeyKind::AccountId];

    /// Position in [`KeyKind::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A key remembered by fingerprint: what [`crate::Validator::take_text_keys`]
/// hands out and [`crate::Validator::confirm`] takes back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextKey {
    /// Its place among every text key of the dataset, from 0.
    pub seq: u64,
    /// What it is.
    pub kind: KeyKind,
    /// The key.
    pub text: String,
}

/// The profile index of a generated user id: `user_MASKED_` then the index
/// with at least three digits (`007`, `1234`), as the generator writes it.
pub fn generated_user_index(user_id: &str) -> Option<u64> {
    canonical_number(user_id.strip_prefix("user_MASKED_")?, 3)
}

/// The user index and ordinal `k` of a generated account id:
/// `user_MASKED_{index}_acct_{k}`, the index as in [`generated_user_index`],
/// `k` without leading zeros. Whose account it is does not matter: the
/// text alone decides the pair, so equal pairs mean equal texts.
pub fn generated_account_key(account_id: &str) -> Option<(u64, u64)> {
    let (user, ordinal) = account_id.rsplit_once("_acct_")?;
    Some((generated_user_index(user)?, canonical_number(ordinal, 1)?))
}

/// `digits` as a number when it is exactly how `push_number(n, width)`
/// writes one: ASCII digits, zero-padded to `width`, no other leading zero.
fn canonical_number(digits: &str, width: usize) -> Option<u64> {
    let bytes = digits.as_bytes();
    if bytes.len() < width || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if bytes.len() > width && bytes[0] == b'0' {
        return None;
    }
    digits.parse().ok()
}

/// Bits per page of an [`IndexSet`].
const PAGE_BITS: u64 = 1 << 16;
/// A sparse page turns into a bitmap at this many entries, where both take 8 KiB.
const SPARSE_LIMIT: usize = 4_096;

/// A set of `u64`s in pages of 65,536 values: a page holds its members as a
/// sorted list while it has few, as a bitmap once it has many (the layout of
/// roaring bitmaps), so dense indices cost one bit each and scattered ones
/// a few bytes each.
#[derive(Debug, Default)]
pub(crate) struct IndexSet {
    pages: HashMap<u64, Page>,
    len: u64,
}

#[derive(Debug)]
enum Page {
    Sparse(Vec<u16>),
    Dense(Box<[u64; (PAGE_BITS / 64) as usize]>),
}

impl IndexSet {
    /// Adds `value`; `false` when it was there already.
    pub(crate) fn insert(&mut self, value: u64) -> bool {
        let low = (value % PAGE_BITS) as u16;
        let page = self
            .pages
            .entry(value / PAGE_BITS)
            .or_insert_with(|| Page::Sparse(Vec::new()));
        let added = match page {
            Page::Sparse(members) => match members.binary_search(&low) {
                Ok(_) => false,
                Err(at) => {
                    members.insert(at, low);
                    if members.len() > SPARSE_LIMIT {
                        let mut bits = Box::new([0u64; (PAGE_BITS / 64) as usize]);
                        for member in members.iter() {
                            bits[usize::from(*member / 64)] |= 1 << (member % 64);
                        }
                        *page = Page::Dense(bits);
                    }
                    true
                }
            },
            Page::Dense(bits) => {
                let word = &mut bits[usize::from(low / 64)];
                let mask = 1u64 << (low % 64);
                let added = *word & mask == 0;
                *word |= mask;
                added
            }
        };
        self.len += u64::from(added);
        added
    }

    /// Members.
    #[cfg(test)]
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// Heap bytes held, about.
    pub(crate) fn heap_bytes(&self) -> usize {
        let pages: usize = self
            .pages
            .values()
            .map(|page| match page {
                Page::Sparse(members) => members.capacity() * 2,
                Page::Dense(_) => (PAGE_BITS / 8) as usize,
            })
            .sum();
        pages + self.pages.capacity() * 40
    }
}

/// Account ordinals below this are remembered as bits, one set per ordinal;
/// others (no generator makes them) as text.
const ACCOUNT_ORDINALS: u64 = 8;

/// A duplicate found while keys streamed in: certain for bit keys, a
/// suspect to confirm for text keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seen {
    New,
    Duplicate,
    /// A text key whose fingerprint was seen before: `seq` of this key.
    Suspect(u64),
}

/// Every key of a dataset seen so far.
#[derive(Debug, Default)]
pub(crate) struct Keys {
    users: IndexSet,
    names: IndexSet,
    accounts: [IndexSet; ACCOUNT_ORDINALS as usize],
    fingerprints: HashSet<u64, BuildHasherDefault<AlreadyHashed>>,
    /// Text keys not yet taken by the caller.
    kept: Vec<TextKey>,
    /// Text keys handed out so far, kept plus taken.
    text_keys: u64,
    /// `(kind, fingerprint)` of each suspect, to pick out the keys to compare.
    suspects: HashSet<u64, BuildHasherDefault<AlreadyHashed>>,
    /// Keys whose fingerprint is a suspect's, gathered while confirming.
    candidates: HashMap<u64, Vec<TextKey>>,
}

impl Keys {
    pub(crate) fn user(&mut self, user_id: &str, generated: Option<u64>) -> Seen {
        match generated {
            Some(index) => bit(self.users.insert(index)),
            None => self.text(KeyKind::UserId, user_id),
        }
    }

    pub(crate) fn name(&mut self, name: &str, key: Option<u64>) -> Seen {
        match key {
            Some(key) => bit(self.names.insert(key)),
            None => self.text(KeyKind::Name, name),
        }
    }

    pub(crate) fn account(&mut self, account_id: &str) -> Seen {
        match generated_account_key(account_id).filter(|(_, k)| *k < ACCOUNT_ORDINALS) {
            Some((index, k)) => bit(self.accounts[k as usize].insert(index)),
            None => self.text(KeyKind::AccountId, account_id),
        }
    }

    fn text(&mut self, kind: KeyKind, text: &str) -> Seen {
        let seq = self.text_keys;
        self.text_keys += 1;
        let fingerprint = fingerprint(kind, text);
        self.kept.push(TextKey {
            seq,
            kind,
            text: text.to_string(),
        });
        if self.fingerprints.insert(fingerprint) {
            Seen::New
        } else {
            self.suspects.insert(fingerprint);
            Seen::Suspect(seq)
        }
    }

    /// Text keys not taken before, for the caller to keep (a spill file)
    /// and give back to [`Keys::confirm`].
    pub(crate) fn take_text_keys(&mut self) -> Vec<TextKey> {
        std::mem::take(&mut self.kept)
    }

    pub(crate) fn text_keys(&self) -> u64 {
        self.text_keys
    }

    pub(crate) fn has_suspects(&self) -> bool {
        !self.suspects.is_empty()
    }

    /// Offers keys (any of those taken, in any chunks): those sharing a
    /// suspect's fingerprint are kept for [`Keys::is_confirmed`].
    pub(crate) fn confirm(&mut self, keys: impl IntoIterator<Item = TextKey>) {
        for key in keys {
            let fingerprint = fingerprint(key.kind, &key.text);
            if self.suspects.contains(&fingerprint) {
                self.candidates.entry(fingerprint).or_default().push(key);
            }
        }
    }

    /// Feeds the keys never taken to [`Keys::confirm`].
    pub(crate) fn confirm_kept(&mut self) {
        let kept = std::mem::take(&mut self.kept);
        self.confirm(kept);
    }

    /// Whether the suspect key `seq` (`kind`, `text`) has an equal key
    /// earlier: every key must have been offered to [`Keys::confirm`].
    pub(crate) fn is_confirmed(&self, seq: u64, kind: KeyKind, text: &str) -> bool {
        self.candidates
            .get(&fingerprint(kind, text))
            .is_some_and(|keys| {
                keys.iter()
                    .any(|key| key.seq < seq && key.kind == kind && key.text == text)
            })
    }

    /// Heap bytes of the bit sets and fingerprints, about.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.users.heap_bytes()
            + self.names.heap_bytes()
            + self
                .accounts
                .iter()
                .map(IndexSet::heap_bytes)
                .sum::<usize>()
            + self.fingerprints.capacity() * 9
    }
}

fn bit(added: bool) -> Seen {
    if added { Seen::New } else { Seen::Duplicate }
}

fn fingerprint(kind: KeyKind, text: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    kind.hash(&mut hasher);
    text.hash(&mut hasher);
    hasher.finish() & FINGERPRINT_MASK
}

/// Unit tests keep 8 bits of each fingerprint, so that collisions between
/// different texts are common and the confirmation by text is exercised.
#[cfg(not(test))]
const FINGERPRINT_MASK: u64 = u64::MAX;
#[cfg(test)]
const FINGERPRINT_MASK: u64 = 0xff;

/// The fingerprints are hashes already, so the sets use them as they are
/// instead of hashing them a second time.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_parse_only_in_the_generators_spelling() {
        for (id, index) in [
            ("user_MASKED_000", Some(0)),
            ("user_MASKED_007", Some(7)),
            ("user_MASKED_999", Some(999)),
            ("user_MASKED_1000", Some(1000)),
            ("user_MASKED_12345678901", Some(12_345_678_901)),
            ("user_MASKED_07", None),
            ("user_MASKED_0007", None),
            ("user_MASKED_01000", None),
            ("user_MASKED_+12", None),
            ("user_MASKED_", None),
            ("user_masked_007", None),
            ("user_MASKED_99999999999999999999999", None),
            ("user_MASKED_007 ", None),
        ] {
            assert_eq!(generated_user_index(id), index, "{id}");
        }
        for (account, key) in [
            ("user_MASKED_042_acct_0", Some((42, 0))),
            ("user_MASKED_042_acct_3", Some((42, 3))),
            ("user_MASKED_1042_acct_12", Some((1042, 12))),
            ("user_MASKED_042_acct_03", None),
            ("user_MASKED_42_acct_0", None),
            ("user_MASKED_042_acct_", None),
            ("user_MASKED_042_acct_0_acct_1", None),
        ] {
            assert_eq!(generated_account_key(account), key, "{account}");
        }
    }

    /// The set agrees with a `HashSet` on dense, sparse and mixed values,
    /// through the sparse-to-dense switch of a page.
    #[test]
    fn index_set_agrees_with_a_hash_set() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for spread in [1u64 << 10, 1 << 14, 1 << 17, 1 << 40, u64::MAX] {
            let mut set = IndexSet::default();
            let mut reference = HashSet::new();
            for _ in 0..20_000 {
                let value = next() % spread;
                assert_eq!(set.insert(value), reference.insert(value), "{value}");
            }
            assert_eq!(set.len(), reference.len() as u64);
        }
    }

    #[test]
    fn dense_indices_cost_about_a_bit_each() {
        let mut set = IndexSet::default();
        for index in 0..1_000_000 {
            assert!(set.insert(index));
        }
        assert!(!set.insert(999_999));
        assert!(set.heap_bytes() < 1_000_000 / 8 * 2, "{}", set.heap_bytes());
    }

    #[test]
    fn text_suspects_are_confirmed_by_text_only() {
        let mut keys = Keys::default();
        assert_eq!(keys.user("alice", None), Seen::New);
        assert_eq!(keys.name("alice", None), Seen::New, "kinds never collide");
        assert_eq!(keys.user("bob", None), Seen::New);
        let Seen::Suspect(seq) = keys.user("alice", None) else {
            panic!("a repeated text is a suspect");
        };
        let taken = keys.take_text_keys();
        assert_eq!(taken.len(), 4);
        assert!(keys.has_suspects());
        keys.confirm(taken);
        keys.confirm_kept();
        assert!(keys.is_confirmed(seq, KeyKind::UserId, "alice"));
        assert!(
            !keys.is_confirmed(0, KeyKind::UserId, "alice"),
            "nothing before the first"
        );
        assert!(!keys.is_confirmed(seq, KeyKind::Name, "bob"));
    }

    /// With 8-bit fingerprints most suspects are different texts: exactly
    /// the real repeats are confirmed, whether the keys were kept in
    /// memory or taken and given back in chunks.
    #[test]
    fn only_real_repeats_are_confirmed_among_colliding_fingerprints() {
        let mut state = 5u64;
        for (case, take_every) in [0usize, 1, 7, 100].into_iter().enumerate() {
            let mut keys = Keys::default();
            let mut seen = HashSet::new();
            let mut suspects = Vec::new();
            let mut expected = Vec::new();
            let mut taken = Vec::new();
            for i in 0..3_000 {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let text = format!("id-{}", (state >> 33) % 2_500);
                let repeat = !seen.insert(text.clone());
                match keys.user(&text, None) {
                    Seen::New => assert!(!repeat, "case {case}: a repeat passed unseen"),
                    Seen::Suspect(seq) => suspects.push((seq, text.clone())),
                    Seen::Duplicate => panic!("text keys are only suspects"),
                }
                if repeat {
                    expected.push(text);
                }
                if take_every > 0 && i % take_every == 0 {
                    taken.extend(keys.take_text_keys());
                }
            }
            keys.confirm(taken);
            keys.confirm_kept();
            let confirmed: Vec<String> = suspects
                .iter()
                .filter(|(seq, text)| keys.is_confirmed(*seq, KeyKind::UserId, text))
                .map(|(_, text)| text.clone())
                .collect();
            assert!(
                suspects.len() > expected.len(),
                "case {case}: fingerprints collide"
            );
            assert_eq!(confirmed, expected, "case {case}");
        }
    }

    #[test]
    fn generated_accounts_collide_by_text_whoever_holds_them() {
        let mut keys = Keys::default();
        assert_eq!(keys.account("user_MASKED_001_acct_0"), Seen::New);
        assert_eq!(keys.account("user_MASKED_001_acct_1"), Seen::New);
        assert_eq!(keys.account("user_MASKED_001_acct_0"), Seen::Duplicate);
        assert_eq!(keys.account("user_MASKED_002_acct_0"), Seen::New);
        assert_eq!(keys.account("user_MASKED_001_acct_9"), Seen::New);
        assert_eq!(keys.text_keys(), 1, "ordinals past 7 are text");
    }
}
