//! Custom persona mixes: exact shares at every prefix, and the validator judging quotas by the same mix.

use spendsense_generator::{Generator, GeneratorConfig, Mix};
use spendsense_personas::Personas;
use spendsense_schema::PersonaId;
use spendsense_validate::Validator;

fn config(seed: u64, count: u64, mix: Mix) -> GeneratorConfig {
    GeneratorConfig {
        mix,
        ..GeneratorConfig::new(seed, count)
    }
}

#[test]
fn custom_mixes_hold_every_prefix_within_one_and_every_rule() {
    let personas = Personas::spendsense();
    let mixes = [
        "high_utilization=40,variable_income=15,subscription_heavy=15,savings_builder=15,control=15",
        "control=1,savings_builder=3",
        "high_utilization=7,variable_income=2,subscription_heavy=1,savings_builder=0,control=13",
        "variable_income=1",
    ];
    for text in mixes {
        let mix = Mix::parse(text).unwrap();
        for seed in 0..6 {
            let generator = Generator::new(&config(seed, 777, mix)).unwrap();
            let mut validator = Validator::with_mix(&personas, mix);
            let mut counts = [0u64; 5];
            for profile in generator.iter() {
                validator.push(&profile);
                counts[profile.persona.index()] += 1;
            }
            let report = validator.finish();
            assert!(report.is_valid(), "{text} seed {seed}:\n{report}");
            for persona in PersonaId::ALL {
                assert!(
                    mix.within_one(persona, counts[persona.index()], 777),
                    "{text}: {counts:?}"
                );
                if mix.weight(persona) == 0 {
                    assert_eq!(counts[persona.index()], 0);
                }
            }
        }
    }
}

#[test]
fn the_equal_mix_is_the_default_and_a_skewed_mix_breaks_its_quota() {
    let personas = Personas::spendsense();
    let equal = Generator::new(&config(5, 100, Mix::equal())).unwrap();
    let default = Generator::new(&GeneratorConfig::new(5, 100)).unwrap();
    assert!(equal.iter().eq(default.iter()));

    let skewed = Mix::parse("high_utilization=3,control=1").unwrap();
    let generator = Generator::new(&config(5, 100, skewed)).unwrap();
    let mut validator = Validator::new(&personas);
    generator.iter().for_each(|p| validator.push(&p));
    let report = validator.finish();
    assert!(
        report.violations.iter().any(|v| v.rule == "quota"),
        "{report}"
    );
}

/// A shard checked from its start in the run (`Validator::starting_at`
/// with `Generator::persona_counts_before`) holds every quota, for mixes
/// whose period does not divide the shard boundaries; the counts before a
/// start are the counts of the profiles before it.
#[test]
fn shards_hold_the_quotas_from_their_start_in_the_run() {
    let personas = Personas::spendsense();
    let mut broken_from_zero = 0;
    for text in [
        "high_utilization=33,savings_builder=33,control=34",
        "high_utilization=7,variable_income=2,subscription_heavy=1,savings_builder=0,control=13",
        "control=1,high_utilization=1,variable_income=1,subscription_heavy=1,savings_builder=1",
    ] {
        let mix = Mix::parse(text).unwrap();
        for seed in [0, 9, u64::MAX] {
            let generator = Generator::new(&config(seed, 600, mix)).unwrap();
            let profiles: Vec<_> = generator.iter().collect();
            for (start, end) in [(0, 211), (211, 437), (437, 600), (599, 600)] {
                let mut before = [0u64; 5];
                for profile in &profiles[..start] {
                    before[profile.persona.index()] += 1;
                }
                assert_eq!(generator.persona_counts_before(start as u64), before);
                let mut validator =
                    Validator::with_mix(&personas, mix).starting_at(start as u64, before);
                let mut from_zero = Validator::with_mix(&personas, mix);
                for profile in &profiles[start..end] {
                    validator.push(profile);
                    from_zero.push(profile);
                }
                let report = validator.finish();
                assert!(
                    report.is_valid(),
                    "{text} seed {seed} {start}..{end}:\n{report}"
                );
                if !from_zero.finish().is_valid() {
                    broken_from_zero += 1;
                }
            }
        }
    }
    // Checked as a run of its own, some shard breaks a quota or the income coverage.
    assert!(broken_from_zero > 0);
}
