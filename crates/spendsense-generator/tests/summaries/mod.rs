//! Validation summaries of a run's stretches chain into the run's own: the
//! counts, incomes and verdict of validating the whole run at once, and its
//! quotas at every prefix judged from the stretches' sums alone.

use spendsense_generator::{Generator, GeneratorConfig, Mix, NameIndex};
use spendsense_personas::Personas;
use spendsense_validate::{NameKeys, Summary, Validator};

struct Names(NameIndex);

impl NameKeys for Names {
    fn key(&self, name: &str) -> Option<u64> {
        self.0.index_of(name)
    }
}

fn summary(
    generator: &Generator,
    personas: &Personas,
    names: &Names,
    mix: Mix,
    range: std::ops::Range<u64>,
) -> Summary {
    let before = generator.persona_counts_before(range.start);
    let mut validator = Validator::with_mix(personas, mix)
        .with_names(names)
        .starting_at(range.start, before);
    for profile in generator.profiles(range).unwrap() {
        validator.push(&profile);
    }
    validator.into_summary()
}

#[test]
fn chained_stretches_equal_the_whole_run() {
    let personas = Personas::spendsense();
    for (seed, count, mix) in [
        (
            1,
            1_000,
            "high_utilization=1,variable_income=1,subscription_heavy=1,savings_builder=1,control=1",
        ),
        (
            7,
            777,
            "high_utilization=7,variable_income=2,subscription_heavy=1,savings_builder=0,control=13",
        ),
        (42, 2_345, "control=1,savings_builder=3"),
    ] {
        let mix = Mix::parse(mix).unwrap();
        let config = GeneratorConfig {
            mix,
            ..GeneratorConfig::new(seed, count)
        };
        let generator = Generator::new(&config).unwrap();
        let names = Names(NameIndex::new(seed));
        let whole = summary(&generator, &personas, &names, mix, 0..count);
        assert!(
            whole.report().is_valid(),
            "seed {seed}:\n{}",
            whole.report()
        );
        assert!(
            whole.cross_duplicates_checked(),
            "seed {seed}: {:?}",
            whole.ids
        );
        for parts in [2u64, 3, 7] {
            let bounds: Vec<u64> = (0..=parts).map(|k| count * k / parts).collect();
            let stretches: Vec<Summary> = bounds
                .windows(2)
                .map(|b| summary(&generator, &personas, &names, mix, b[0]..b[1]))
                .collect();
            for stretch in &stretches {
                assert!(stretch.report().is_valid(), "seed {seed}, {parts} parts");
                assert!(stretch.ids.fixed_by_place());
            }
            let chained = stretches[1..]
                .iter()
                .try_fold(stretches[0].clone(), |so_far, next| so_far.then(next))
                .unwrap();
            assert_eq!(
                chained.report(),
                whole.report(),
                "seed {seed}, {parts} parts"
            );
            assert!(
                chained
                    .prefix_quotas_hold()
                    .unwrap()
                    .iter()
                    .all(|(_, ok)| *ok)
            );
            assert!(chained.cross_duplicates_checked());
            // Stretches out of order, repeated or with a gap do not chain.
            let last = stretches.last().unwrap();
            assert!(last.then(&stretches[0]).is_err());
            assert!(stretches[0].then(&stretches[0]).is_err());
            if parts > 2 {
                assert!(stretches[0].then(last).is_err());
            }
        }
    }
}

/// A run's halves chain into prefix quotas that hold; a second half that
/// holds the right profiles at the right place but only one persona's
/// chains too (its counts add up), and its quotas break.
#[test]
fn misplaced_stretches_break_the_chained_prefix_quotas() {
    let personas = Personas::spendsense();
    let mix = Mix::parse("high_utilization=7,control=1").unwrap();
    let mut caught = 0;
    for seed in 0..8 {
        let count = 1_600;
        let config = GeneratorConfig {
            mix,
            ..GeneratorConfig::new(seed, count)
        };
        let generator = Generator::new(&config).unwrap();
        let names = Names(NameIndex::new(seed));
        // The first half's profiles validated as if they were the second half.
        let head = summary(&generator, &personas, &names, mix, 0..800);
        let mut validator = Validator::with_mix(&personas, mix)
            .with_names(&names)
            .starting_at(800, generator.persona_counts_before(800));
        for profile in generator.profiles(800..1_600).unwrap() {
            validator.push(&profile);
        }
        let tail = validator.into_summary();
        let chained = head.then(&tail).unwrap();
        assert!(
            chained
                .prefix_quotas_hold()
                .unwrap()
                .iter()
                .all(|(_, ok)| *ok)
        );
        // Now a tail of only one persona: the counts chain, the quotas do not.
        let mut validator = Validator::with_mix(&personas, mix)
            .with_names(&names)
            .starting_at(800, generator.persona_counts_before(800));
        for profile in generator
            .profiles(800..1_600)
            .unwrap()
            .filter(|p| p.persona == spendsense_schema::PersonaId::HighUtilization)
        {
            validator.push(&profile);
        }
        let skewed = validator.into_summary();
        let chained = head.then(&skewed).unwrap();
        if chained
            .prefix_quotas_hold()
            .unwrap()
            .iter()
            .any(|(_, ok)| !ok)
        {
            caught += 1;
        }
        assert!(!skewed.ids.in_order, "filtered ids are not at their places");
    }
    assert_eq!(caught, 8);
}
