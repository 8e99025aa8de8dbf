//! The population follows the reference tables, for every seed measured.

use rust_decimal::Decimal;
use spendsense_generator::realism::{Marginals, tables};
use spendsense_generator::{Generator, GeneratorConfig};

fn measure(seed: u64, count: u64) -> spendsense_generator::realism::Realism {
    let generator = Generator::new(&GeneratorConfig::new(seed, count)).unwrap();
    let mut marginals = Marginals::new();
    let mut profile = generator.profile(0);
    for index in 0..count {
        generator.profile_into(index, &mut profile);
        marginals.push(&profile);
    }
    marginals.realism()
}

#[test]
fn marginals_follow_the_reference_tables_across_seeds() {
    for seed in [0, 1, 42, 977, u64::MAX] {
        let r = measure(seed, 20_000);
        let seen = format!("seed {seed}: {r:?}");
        // Sampling noise of 20,000 draws over 51 states is about 0.02.
        assert!(r.states.total_variation < 0.035, "{seen}");
        assert!(r.age_bands.total_variation < 0.015, "{seen}");
        assert!(r.pay_frequencies.total_variation < 0.015, "{seen}");
        assert_eq!(r.zip_state_agreement, (20_000, 20_000), "{seen}");
        let median = |label: &str| {
            r.median_income_by_age
                .iter()
                .find(|(band, _, _)| band == label)
                .and_then(|(_, median, _)| *median)
                .unwrap()
        };
        let peak = median("45-54");
        for other in ["18-24", "25-34", "65-74", "75+"] {
            assert!(median(other) < peak, "{other} out-earns 45-54: {seen}");
        }
        assert!(median("18-24") < median("25-34"), "{seen}");
        assert!(r.age_income_rank_correlation.unwrap() > 0.0, "{seen}");
        // Persona shares of about 20% in groups of 1,800 or more users vary by
        // about 1 point; seven groups span up to about 4.
        assert!(
            r.parity_by_age.max_gap < 0.05 && r.parity_by_region.max_gap < 0.05,
            "{seen}"
        );
        // Household median $80,610; SpendSense's ranges keep it close.
        let (_, _, generated_median) = r.income_percentiles[4];
        assert!(
            (Decimal::from(70_000)..Decimal::from(90_000)).contains(&generated_median),
            "{seen}"
        );
    }
}

#[test]
fn every_profile_has_an_adult_age_and_a_zip_of_its_state() {
    let t = tables();
    for (seed, count) in [(3, 1), (8, 50), (13, 777)] {
        let generator = Generator::new(&GeneratorConfig::new(seed, count)).unwrap();
        for profile in generator.iter() {
            assert!((18..=89).contains(&profile.demographics.age));
            let address = &profile.identity.address;
            assert_eq!(address.region, profile.demographics.state);
            assert_eq!(
                t.state_of_zip(&address.postal_code),
                Some(profile.demographics.state.as_str()),
                "{}",
                address.postal_code
            );
        }
    }
}

#[test]
fn common_surnames_lead_and_full_names_stay_unique() {
    let generator = Generator::new(&GeneratorConfig::new(5, 30_000)).unwrap();
    let mut names = std::collections::HashSet::new();
    let mut smiths = 0;
    let mut roberts = 0;
    for profile in generator.iter() {
        let surname = profile.name.rsplit(' ').next().unwrap().to_owned();
        smiths += u32::from(surname == "Smith");
        roberts += u32::from(surname == "Roberts");
        assert!(names.insert(profile.name), "a name repeats");
    }
    // Smith fills 26 slots of 2,218, Roberts 4: about 352 and 54 in 30,000.
    assert!((280..420).contains(&smiths), "{smiths} Smiths");
    assert!((25..90).contains(&roberts), "{roberts} Robertses");
}
