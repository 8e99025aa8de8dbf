//! Independent random streams.
//!
//! Every random decision comes from a ChaCha8 stream chosen by a *domain*
//! (what the randomness is for) and an index, keyed by the seed. Streams never
//! share state, so any profile can be produced alone, in any order, on any
//! thread, and the bytes do not change. ChaCha is specified by reference
//! vectors, so streams are identical on every platform.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// What a stream is used for. Each domain is keyed separately, so no index of
/// one domain can collide with an index of another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Domain {
    /// Per-profile draws; index = profile index.
    Profile = 1,
    /// Persona order inside each assignment block; index = block number.
    Assignment = 2,
    /// Income strata order; index = strata block × 8 + persona.
    IncomeStrata = 3,
    /// Name permutation parameters; index 0.
    Names = 4,
    /// Which partner an overlapping profile meets; index = profile index.
    Overlap = 5,
    /// The transactions that realise a profile's plan; index = profile index.
    Ledger = 6,
}

/// The stream for `(seed, domain, index)`.
pub(crate) fn stream(seed: u64, domain: Domain, index: u64) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8] = domain as u8;
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(index);
    rng
}

/// A uniformly random permutation of `0..N` (Fisher–Yates over `u32` draws,
/// which, unlike `usize` draws, do not depend on the platform's pointer width).
pub(crate) fn permutation<const N: usize>(rng: &mut ChaCha8Rng) -> [u8; N] {
    let mut items = [0u8; N];
    for (at, item) in items.iter_mut().enumerate() {
        *item = at as u8;
    }
    for top in (1..N).rev() {
        let pick = rng.random_range(0..=top as u32) as usize;
        items.swap(top, pick);
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn domains_and_indices_give_distinct_streams() {
        let first = |seed, domain, index| stream(seed, domain, index).next_u64();
        let a = first(1, Domain::Profile, 0);
        assert_ne!(a, first(0, Domain::Profile, 1));
        assert_ne!(a, first(1, Domain::Assignment, 0));
        assert_ne!(a, first(1, Domain::Profile, 1));
        assert_eq!(a, first(1, Domain::Profile, 0));
    }

    #[test]
    fn permutations_are_permutations() {
        for index in 0..200 {
            let mut p = permutation::<10>(&mut stream(7, Domain::IncomeStrata, index));
            p.sort_unstable();
            assert_eq!(p, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        }
    }
}
