//! `validate --shard K/N -n TOTAL`: a dataset without a manifest judged at
//! its place in a run, as its manifest would place it.

use std::cell::Cell;
use std::ops::Range;

use anyhow::anyhow;
use spendsense_generator::{Generator, GeneratorConfig};
use spendsense_personas::{Mix, Personas};
use spendsense_validate::{Checked, Validator};

use crate::args::Shard;

/// The rule a dataset breaks that does not hold its shard's profiles.
pub const RULE: &str = "shard";

/// Where `--shard K/N -n TOTAL` puts a dataset in its run.
#[derive(Debug)]
pub struct ShardPlace {
    pub shard: Shard,
    pub total: u64,
    /// The profiles of the run the shard holds.
    pub range: Range<u64>,
    /// Users of each persona the run has before the shard.
    pub before: [u64; 5],
    /// Whether a profile was found out of its place, which is reported once.
    misplaced: Cell<bool>,
}

impl ShardPlace {
    /// Shard `shard` of a run of `total` profiles of `seed`, generated from
    /// `personas` in `mix`.
    pub fn new(
        shard: Shard,
        total: u64,
        seed: u64,
        personas: &Personas,
        mix: Mix,
    ) -> anyhow::Result<ShardPlace> {
        let range = shard.range(total);
        let config = GeneratorConfig {
            personas: personas.clone(),
            mix,
            ..GeneratorConfig::new(seed, total)
        };
        let before = Generator::new(&config)
            .map_err(|err| anyhow!("--shard {shard} -n {total}: {err}"))?
            .persona_counts_before(range.start);
        Ok(ShardPlace {
            shard,
            total,
            range,
            before,
            misplaced: Cell::new(false),
        })
    }

    /// Checks that record `index` of the dataset is the run's profile
    /// `start + index`, as its user id says: a generated id carries its
    /// profile's index, which the quotas alone cannot see when the shards'
    /// boundaries fall on whole periods of the mix. The first profile out
    /// of place is reported, not every one after it.
    pub fn profile(&self, validator: &mut Validator, index: u64, profile: &Checked) {
        if self.misplaced.get() {
            return;
        }
        let expected = self.range.start + index;
        let found = spendsense_validate::generated_user_index(profile.user_id());
        if found == Some(expected) {
            return;
        }
        self.misplaced.set(true);
        let is = match found {
            Some(found) => format!("is profile {found} of a run"),
            None => "is not an id the generator writes".to_string(),
        };
        let message = format!(
            "record {index} of shard {} of a run of {} must be profile {expected} of the run, and its user_id {is}",
            self.shard, self.total
        );
        validator.record(index, profile.user_id(), RULE, "user_id", message);
    }

    /// After the last profile: the dataset holds exactly the shard's profiles.
    pub fn finish(&self, validator: &mut Validator, profiles: u64) {
        let expected = self.range.end - self.range.start;
        if profiles != expected {
            let message = format!(
                "the dataset holds {profiles} profiles, and shard {} of a run of {} holds {expected} (profiles {}..{})",
                self.shard, self.total, self.range.start, self.range.end
            );
            validator.record(profiles, "", RULE, "", message);
        }
    }
}
