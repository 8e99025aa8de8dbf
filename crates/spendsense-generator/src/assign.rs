//! Persona assignment with exact shares at every prefix.
//!
//! Profiles come in blocks of five, one per persona, in an order drawn per
//! block from the seed. Any prefix of `n` profiles therefore holds
//! `floor(n/5)` or `ceil(n/5)` users of every persona, while the sequence
//! looks shuffled rather than round-robin. The block number doubles as the
//! profile's *slot*: its rank among users of the same persona.

use spendsense_schema::PersonaId;

use crate::streams::{Domain, permutation, stream};

const BLOCK: u64 = PersonaId::ALL.len() as u64;

/// The persona of profile `index` and its slot among that persona's users.
pub(crate) fn persona_and_slot(seed: u64, index: u64) -> (PersonaId, u64) {
    let block = index / BLOCK;
    let order =
        permutation::<{ PersonaId::ALL.len() }>(&mut stream(seed, Domain::Assignment, block));
    let persona = PersonaId::ALL[usize::from(order[(index % BLOCK) as usize])];
    (persona, block)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_prefix_is_within_one_of_an_equal_share() {
        for seed in [0, 1, 42, u64::MAX] {
            let mut counts = [0u64; 5];
            for index in 0..2_000 {
                let (persona, slot) = persona_and_slot(seed, index);
                assert_eq!(
                    slot,
                    counts[persona.index()],
                    "slot is the rank within the persona"
                );
                counts[persona.index()] += 1;
                let n = index + 1;
                for count in counts {
                    assert!(
                        count * 5 <= n + 5 && n <= count * 5 + 5,
                        "seed {seed} prefix {n}: {counts:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn order_is_not_round_robin() {
        let sequence: Vec<PersonaId> = (0..50).map(|i| persona_and_slot(42, i).0).collect();
        let distinct_blocks: std::collections::HashSet<_> = sequence.chunks(5).collect();
        assert!(
            distinct_blocks.len() > 5,
            "blocks should vary: {sequence:?}"
        );
    }
}
