//! Persona assignment with exact shares at every prefix.
//!
//! A mix repeats every `period` users (the sum of its reduced weights), and
//! each period holds exactly `weight` users of each persona. Inside a period
//! the order is built greedily: each next user goes to the persona furthest
//! below its exact share so far, with ties broken in an order drawn per period
//! from the seed. That keeps every persona within one of its exact share at
//! every prefix, and for the default equal mix it is simply a shuffled block
//! of five: no visible round-robin.
//!
//! A profile's *slot* is its rank among users of the same persona; it drives
//! income stratification (see `income`).

use std::cell::RefCell;
use std::rc::Rc;

use spendsense_schema::PersonaId;

use crate::streams::{Domain, permutation, stream};
use spendsense_personas::Mix;

/// One period: the persona of each position and its rank within the period.
type Period = Rc<Vec<(PersonaId, u32)>>;

fn build_period(seed: u64, mix: &Mix, period_index: u64) -> Period {
    let ties = permutation::<{ PersonaId::ALL.len() }>(&mut stream(
        seed,
        Domain::Assignment,
        period_index,
    ));
    let period = i128::from(mix.period());
    let mut counts = [0u32; 5];
    let mut order = Vec::with_capacity(mix.period() as usize);
    for position in 0..period {
        let mut best: Option<(i128, PersonaId)> = None;
        for persona in ties.iter().map(|t| PersonaId::ALL[usize::from(*t)]) {
            let weight = i128::from(mix.weight(persona));
            if weight == 0 {
                continue;
            }
            let deficit = (position + 1) * weight - i128::from(counts[persona.index()]) * period;
            if best.is_none_or(|(most, _)| deficit > most) {
                best = Some((deficit, persona));
            }
        }
        let (_, persona) = best.expect("a mix has a persona with positive weight");
        order.push((persona, counts[persona.index()]));
        counts[persona.index()] += 1;
    }
    Rc::new(order)
}

thread_local! {
    /// The last period built on this thread: consecutive profiles share it.
    static LAST_PERIOD: RefCell<Option<(u64, Mix, u64, Period)>> = const { RefCell::new(None) };
}

fn period(seed: u64, mix: &Mix, period_index: u64) -> Period {
    LAST_PERIOD.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((s, m, p, period)) = cache.as_ref()
            && (*s, m, *p) == (seed, mix, period_index)
        {
            return Rc::clone(period);
        }
        let built = build_period(seed, mix, period_index);
        *cache = Some((seed, *mix, period_index, Rc::clone(&built)));
        built
    })
}

/// The persona of profile `index` and its slot among that persona's users.
pub(crate) fn persona_and_slot(seed: u64, mix: &Mix, index: u64) -> (PersonaId, u64) {
    let period_index = index / mix.period();
    let (persona, rank) = period(seed, mix, period_index)[(index % mix.period()) as usize];
    (
        persona,
        period_index * mix.weight(persona) + u64::from(rank),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_prefixes(seed: u64, mix: &Mix, users: u64) {
        let mut counts = [0u64; 5];
        for index in 0..users {
            let (persona, slot) = persona_and_slot(seed, mix, index);
            assert_eq!(
                slot,
                counts[persona.index()],
                "slot is the rank within the persona"
            );
            counts[persona.index()] += 1;
            for p in PersonaId::ALL {
                assert!(
                    mix.within_one(p, counts[p.index()], index + 1),
                    "seed {seed} mix {mix} prefix {}: {counts:?}",
                    index + 1
                );
            }
        }
    }

    #[test]
    fn every_prefix_is_within_one_of_an_equal_share() {
        for seed in [0, 1, 42, u64::MAX] {
            check_prefixes(seed, &Mix::equal(), 2_000);
        }
    }

    #[test]
    fn every_prefix_is_within_one_of_any_mix() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for round in 0..300 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let weights = [0, 1, 2, 3, 4].map(|k| (state >> (k * 12)) % [2, 5, 17, 101][round % 4]);
            let Ok(mix) = Mix::from_weights(weights) else {
                continue;
            };
            check_prefixes(round as u64, &mix, mix.period() * 3 + 7);
        }
    }

    #[test]
    fn equal_mix_is_a_shuffled_block_of_five() {
        let sequence: Vec<PersonaId> = (0..50)
            .map(|i| persona_and_slot(42, &Mix::equal(), i).0)
            .collect();
        let blocks: std::collections::HashSet<_> = sequence.chunks(5).collect();
        assert!(blocks.len() > 5, "blocks should vary: {sequence:?}");
        for block in sequence.chunks(5) {
            let distinct: std::collections::HashSet<_> = block.iter().collect();
            assert_eq!(distinct.len(), 5);
        }
    }
}
