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
