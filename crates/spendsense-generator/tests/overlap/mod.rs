//! Overlap scenarios: users that also meet one lower-priority persona, and what they carry.

use spendsense_generator::{Generator, GeneratorConfig, Mix, Overlap};
use spendsense_personas::{PersonaSet, Personas, Signals, overlap_partners};
use spendsense_schema::PersonaId;
use spendsense_validate::validate;

fn generate(seed: u64, count: u64, overlap: &str, mix: Mix) -> Vec<spendsense_schema::UserProfile> {
    let config = GeneratorConfig {
        overlap: Overlap::parse(overlap).unwrap(),
        mix,
        ..GeneratorConfig::new(seed, count)
    };
    Generator::new(&config).unwrap().iter().collect()
}

#[test]
fn overlap_profiles_meet_both_personas_and_expect_the_higher_one() {
    let personas = Personas::spendsense();
    for overlap in ["0.25", "0.5", "1"] {
        for seed in 0..8 {
            let profiles = generate(seed, 400, overlap, Mix::equal());
            let report = validate(&personas, &profiles);
            assert!(
                report.is_valid(),
                "overlap {overlap} seed {seed}:\n{report}"
            );
            let mut overlapping = [0u64; 5];
            for profile in &profiles {
                let classified = personas.classify(&Signals::of(profile));
                match &profile.matched_personas {
                    None => assert_eq!(classified, PersonaSet::only(profile.persona)),
                    Some(matched) => {
                        overlapping[profile.persona.index()] += 1;
                        assert_eq!(classified.iter().collect::<Vec<_>>(), *matched);
                        assert_eq!(profile.expected_assignment, Some(classified.primary()));
                        assert_eq!(matched[0], profile.persona);
                        assert!(overlap_partners(profile.persona).contains(&matched[1]));
                    }
                }
            }
            let share = Overlap::parse(overlap).unwrap();
            for persona in PersonaId::ALL {
                let users = profiles.iter().filter(|p| p.persona == persona).count() as u64;
                let expected = if overlap_partners(persona).is_empty() {
                    0
                } else {
                    users * ten_thousandths(&share) / 10_000
                };
                assert_eq!(
                    overlapping[persona.index()],
                    expected,
                    "{persona} overlap {overlap}"
                );
            }
        }
    }
}

fn ten_thousandths(share: &Overlap) -> u64 {
    let text = share.to_string();
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    whole.parse::<u64>().unwrap() * 10_000 + format!("{fraction:0<4}").parse::<u64>().unwrap()
}

#[test]
fn no_overlap_by_default_and_overlap_works_with_a_mix() {
    let plain = generate(3, 200, "0", Mix::equal());
    assert!(
        plain
            .iter()
            .all(|p| p.matched_personas.is_none() && p.expected_assignment.is_none())
    );
    // The keys are there all the same, `null`, so every profile has the same keys.
    let json = serde_json::to_string(&plain[0]).unwrap();
    assert!(
        json.contains(r#""expected_assignment":null,"matched_personas":null,"#),
        "{json}"
    );

    let mix = Mix::parse("high_utilization=2,variable_income=1,control=1").unwrap();
    let profiles = generate(3, 300, "0.5", mix);
    let personas = Personas::spendsense();
    let mut validator = spendsense_validate::Validator::with_mix(&personas, mix);
    profiles.iter().for_each(|p| validator.push(p));
    let report = validator.finish();
    assert!(report.is_valid(), "{report}");
    assert!(profiles.iter().any(|p| p.matched_personas.is_some()));
}

#[test]
fn tampered_overlap_fields_are_reported() {
    let personas = Personas::spendsense();
    let profiles = generate(1, 100, "1", Mix::equal());
    let overlapping = profiles
        .iter()
        .find(|p| p.matched_personas.is_some())
        .unwrap()
        .clone();
    let check = |edit: &dyn Fn(&mut spendsense_schema::UserProfile), rule: &str| {
        let mut profile = overlapping.clone();
        edit(&mut profile);
        let rules: Vec<&str> = personas
            .check_profile(&profile)
            .iter()
            .map(|v| v.rule)
            .collect();
        assert!(rules.contains(&rule), "{rules:?}");
    };
    check(&|p| p.expected_assignment = None, "overlap-fields");
    check(
        &|p| p.expected_assignment = Some(PersonaId::Control),
        "overlap-fields",
    );
    check(
        &|p| p.matched_personas = Some(vec![p.persona]),
        "overlap-fields",
    );
    check(&|p| p.matched_personas = None, "classification-mismatch");
}
