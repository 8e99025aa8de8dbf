//! Properties of every generated dataset over many seeds and sizes: validity, exact classification, income coverage.

use rust_decimal::Decimal;
use spendsense_generator::{Generator, GeneratorConfig, Overlap, generate};
use spendsense_personas::{PersonaSet, Personas, Signals, Window};
use spendsense_schema::{AccountSubtype, PersonaId, UserProfile};
use spendsense_validate::validate;

const SIZES: [u64; 9] = [1, 4, 5, 49, 50, 73, 100, 250, 1000];
const SEEDS: std::ops::Range<u64> = 0..24;

fn dataset(seed: u64, count: u64) -> Vec<UserProfile> {
    generate(&GeneratorConfig::new(seed, count)).unwrap()
}

/// Runs `check` over every seed × size, with the dataset of the largest size
/// shared by its prefixes (prefix stability is tested separately).
fn for_all_datasets(mut check: impl FnMut(u64, &[UserProfile])) {
    for seed in SEEDS {
        let largest = dataset(seed, *SIZES.last().unwrap());
        for size in SIZES {
            check(seed, &largest[..size as usize]);
        }
    }
}

#[test]
fn every_profile_is_valid_and_classifies_to_exactly_its_persona() {
    let personas = Personas::spendsense();
    let mut checked = 0;
    for_all_datasets(|seed, profiles| {
        let report = validate(&personas, profiles);
        assert!(
            report.is_valid(),
            "seed {seed} n {}:\n{report}",
            profiles.len()
        );
        for profile in profiles {
            for window in Window::BOTH {
                let classified = personas.classify(&Signals::in_window(profile, window));
                assert_eq!(
                    classified,
                    PersonaSet::only(profile.persona),
                    "{window:?} {profile:?}"
                );
            }
        }
        checked += 1;
    });
    assert_eq!(checked, SEEDS.count() * SIZES.len());
}

/// The bar: for 24 seeds and sizes up to 10,000, with and without
/// overlap, the dated plan of every profile classifies under the full rules to
/// exactly its persona (or its `matched_personas`) in both windows, and every
/// High Utilization card sits at 60-80% of its limit.
#[test]
fn every_plan_classifies_to_its_personas_in_both_windows() {
    let personas = Personas::spendsense();
    let mut checked = 0u64;
    for seed in SEEDS {
        // Every smaller size is a prefix of the largest. A debug build (the
        // suite) runs 10,000 users on a quarter of the seeds to stay quick;
        // `cargo test --release` runs them on every seed.
        let largest = if seed % 6 == 0 || cfg!(not(debug_assertions)) {
            10_000
        } else {
            1_000
        };
        for overlap in ["0", "0.5"] {
            let config = GeneratorConfig {
                overlap: Overlap::parse(overlap).unwrap(),
                ..GeneratorConfig::new(seed, largest)
            };
            let generator = Generator::new(&config).unwrap();
            for profile in generator.iter() {
                let expected = PersonaSet::expected_of(&profile);
                for window in Window::BOTH {
                    let signals = Signals::in_window(&profile, window);
                    assert_eq!(
                        personas.classify(&signals),
                        expected,
                        "seed {seed} overlap {overlap} {window:?} {} {signals}",
                        profile.user_id
                    );
                }
                if profile.persona == PersonaId::HighUtilization {
                    for card in profile.accounts.iter().filter(|a| a.is_credit_card()) {
                        let utilization = card.utilization().unwrap();
                        assert!(
                            (Decimal::new(60, 2)..=Decimal::new(80, 2)).contains(&utilization),
                            "{} card at {utilization}",
                            profile.user_id
                        );
                    }
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 100_000, "{checked}");
}

/// Plaid Sandbox's income checks look 90 days back: every profile, irregular
/// pay included, is paid at least once in the 90 days ending at `as_of`.
#[test]
fn every_profile_was_paid_in_the_last_90_days() {
    for_all_datasets(|seed, profiles| {
        for profile in profiles {
            let plan = &profile.plan;
            let last = plan.income.paychecks.last().map(|p| p.date);
            assert!(
                last.is_some_and(|date| date.days_until(plan.as_of) < 90),
                "seed {seed} {}: last paycheck {last:?}, as_of {}",
                profile.user_id,
                plan.as_of
            );
        }
    });
}

#[test]
fn prefixes_equal_shorter_runs_and_profiles_stand_alone() {
    for seed in [0, 7, 42, u64::MAX] {
        let long = dataset(seed, 300);
        for size in [1, 5, 49, 73, 299] {
            assert_eq!(dataset(seed, size)[..], long[..size as usize]);
        }
        let generator = Generator::new(&GeneratorConfig::new(seed, 300)).unwrap();
        for index in [0, 1, 150, 299] {
            assert_eq!(generator.profile(index), long[index as usize]);
        }
        let slice: Vec<_> = generator.profiles(100..120).unwrap().collect();
        assert_eq!(slice[..], long[100..120]);
    }
}

/// `profile_into` reuses whatever the profile held: more or fewer accounts,
/// overlap fields or none, another generator's strings.
#[test]
fn profile_into_any_earlier_profile_equals_a_fresh_profile() {
    let generators: Vec<Generator> = [(0, "0"), (9, "0.5"), (u64::MAX, "1")]
        .into_iter()
        .map(|(seed, overlap)| {
            let mut config = GeneratorConfig::new(seed, 2_000);
            config.overlap = Overlap::parse(overlap).unwrap();
            Generator::new(&config).unwrap()
        })
        .collect();
    let mut reused = generators[0].profile(0);
    let mut step = 0x9E37_79B9_7F4A_7C15u64;
    for round in 0..3_000u64 {
        step = step.rotate_left(17) ^ round;
        let generator = &generators[(step % 3) as usize];
        // Past the name permutation's first cycle, too, where suffixes appear.
        let index = if round % 10 == 0 {
            1_425_318 + step % 999
        } else {
            step % 2_000
        };
        generator.profile_into(index, &mut reused);
        assert_eq!(
            reused,
            generator.profile(index),
            "round {round}, index {index}"
        );
    }
}

#[test]
fn same_seed_same_profiles_other_seed_other_profiles() {
    assert_eq!(dataset(42, 100), dataset(42, 100));
    assert_ne!(dataset(42, 100), dataset(43, 100));
}

#[test]
fn every_prefix_holds_each_persona_within_one_of_a_fifth() {
    for seed in SEEDS {
        let mut counts = [0i64; 5];
        for (at, profile) in dataset(seed, 1000).iter().enumerate() {
            counts[profile.persona.index()] += 1;
            let n = at as i64 + 1;
            assert!(
                counts.iter().all(|c| (c * 5 - n).abs() <= 5),
                "seed {seed} prefix {n}: {counts:?}"
            );
        }
    }
}

#[test]
fn incomes_cover_the_range_and_every_band_from_fifty_users() {
    for_all_datasets(|seed, profiles| {
        let incomes: Vec<Decimal> = profiles.iter().map(|p| p.annual_income).collect();
        let (low, high) = (Decimal::from(20_000), Decimal::from(200_000));
        assert!(
            incomes
                .iter()
                .all(|i| *i >= low && *i <= high && i.fract().is_zero())
        );
        if profiles.len() < 50 {
            return;
        }
        assert!(
            incomes.iter().any(|i| *i <= Decimal::from(25_000)),
            "seed {seed} n {}",
            profiles.len()
        );
        assert!(
            incomes.iter().any(|i| *i >= Decimal::from(180_000)),
            "seed {seed} n {}",
            profiles.len()
        );
        for (min, max) in [
            (20_000, 40_000),
            (40_000, 75_000),
            (75_000, 120_000),
            (120_000, 200_000),
        ] {
            let in_band = incomes
                .iter()
                .filter(|i| **i >= Decimal::from(min) && **i <= Decimal::from(max))
                .count();
            assert!(
                in_band > 0,
                "seed {seed} n {}: band {min}-{max} empty",
                profiles.len()
            );
        }
    });
}

#[test]
fn cards_realise_the_target_utilization_within_five_points() {
    for_all_datasets(|_, profiles| {
        for profile in profiles {
            let target = profile.characteristics.target_credit_utilization;
            for card in profile.accounts_of(AccountSubtype::CreditCard) {
                let utilization = card.utilization().unwrap();
                assert!(
                    (utilization - target).abs() <= Decimal::new(5, 2),
                    "{profile:?}"
                );
            }
        }
    });
}

#[test]
fn high_utilization_users_have_the_highest_limits_relative_to_income() {
    let profiles = dataset(42, 1000);
    let limit_share = |persona: PersonaId| {
        let (mut limits, mut incomes) = (Decimal::ZERO, Decimal::ZERO);
        for p in profiles.iter().filter(|p| p.persona == persona) {
            limits += p
                .accounts_of(AccountSubtype::CreditCard)
                .filter_map(|a| a.balances.limit)
                .sum::<Decimal>();
            incomes += p.annual_income;
        }
        limits / incomes
    };
    let high = limit_share(PersonaId::HighUtilization);
    for other in [
        PersonaId::VariableIncome,
        PersonaId::SubscriptionHeavy,
        PersonaId::SavingsBuilder,
        PersonaId::Control,
    ] {
        assert!(high > limit_share(other), "{other}");
    }
}

#[test]
fn names_ids_and_account_ids_are_unique_and_masked() {
    let profiles = dataset(9, 5000);
    let mut names = std::collections::HashSet::new();
    let mut accounts = std::collections::HashSet::new();
    for (index, p) in profiles.iter().enumerate() {
        assert_eq!(p.user_id, format!("user_MASKED_{index:03}"));
        assert!(names.insert(p.name.clone()), "{}", p.name);
        for a in &p.accounts {
            assert!(accounts.insert(a.account_id.clone()));
        }
    }
    assert_eq!(profiles[1000].user_id, "user_MASKED_1000");
}

#[test]
fn zero_users_is_refused() {
    assert_eq!(
        generate(&GeneratorConfig::new(1, 0))
            .unwrap_err()
            .to_string(),
        "user count 0 is not allowed; generate at least 1 user"
    );
}

#[test]
fn savings_builders_hold_high_savings_and_every_user_has_one_checking() {
    for_all_datasets(|_, profiles| {
        for p in profiles {
            assert_eq!(p.accounts_of(AccountSubtype::Checking).count(), 1);
            if p.persona == PersonaId::SavingsBuilder {
                let savings = p
                    .accounts_of(AccountSubtype::Savings)
                    .next()
                    .expect("savings account");
                assert!(
                    savings.balances.current.unwrap()
                        >= p.monthly_income() * Decimal::from(3) - Decimal::ONE
                );
            }
        }
    });
}

#[test]
fn validate_enforces_income_coverage_from_fifty_default_users() {
    let personas = Personas::spendsense();
    for seed in SEEDS {
        let mut profiles = dataset(seed, 60);
        assert!(validate(&personas, &profiles).is_valid());
        // Move the highest earner into the middle: the top band empties.
        let richest = profiles
            .iter()
            .enumerate()
            .filter(|(_, p)| p.annual_income >= Decimal::from(120_000))
            .map(|(i, _)| i)
            .collect::<Vec<_>>();
        for i in richest {
            profiles[i].annual_income = Decimal::from(100_000);
        }
        let report = validate(&personas, &profiles);
        assert!(
            report.violations.iter().any(|v| v.rule == "income-coverage"
                && v.message.contains("no income in the 120-200K band")),
            "seed {seed}:\n{report}"
        );
        // Under 50 users the requirement does not apply.
        assert!(
            !validate(&personas, &profiles[..49])
                .violations
                .iter()
                .any(|v| v.rule == "income-coverage")
        );
    }
}

/// Three subscriptions of the cheapest services cost under $50; the plan tops
/// them up, so a definition with as few as three still classifies as
/// Subscription-Heavy in both windows.
#[test]
fn three_subscriptions_still_clear_the_spend_rule() {
    let mut personas = Personas::spendsense();
    let heavy = PersonaId::SubscriptionHeavy.index();
    personas.definitions[heavy].subscriptions = spendsense_personas::CountRange::new(3, 4);
    assert!(personas.problems().is_empty(), "{:?}", personas.problems());
    for seed in 0..8 {
        let config = GeneratorConfig {
            personas: personas.clone(),
            ..GeneratorConfig::new(seed, 500)
        };
        for profile in Generator::new(&config).unwrap().iter() {
            for window in Window::BOTH {
                let signals = Signals::in_window(&profile, window);
                assert_eq!(
                    personas.classify(&signals),
                    PersonaSet::only(profile.persona),
                    "{} {signals}",
                    profile.user_id
                );
                if profile.persona == PersonaId::SubscriptionHeavy {
                    assert!(
                        signals.recurring_monthly_spend >= Decimal::from(55),
                        "{signals}"
                    );
                }
            }
        }
    }
}
