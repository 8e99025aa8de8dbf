//! The bar: for 24 seeds and sizes up to 10,000, with and without
//! overlap, the detector reading only accounts, liabilities and transactions
//! finds exactly each profile's persona (or its `matched_personas`) in both
//! windows, from exactly the evidence the plan gives.

use std::collections::HashSet;

use rust_decimal::Decimal;
use spendsense_generator::{Generator, GeneratorConfig, Overlap};
use spendsense_personas::{Evidence, PersonaSet, Signals, Window};
use spendsense_schema::{AccountType, Date};
use spendsense_signals::{Item, card_liabilities, detect, evidence};

const SEEDS: std::ops::Range<u64> = 0..24;

/// Every seed and size, with and without overlap, moving `as_of` across a
/// month so that windows cut monthly events on every day.
#[test]
fn the_detector_reads_every_profile_as_its_persona_in_both_windows() {
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
                as_of: Date::from_ymd(2026, 11, 1)
                    .unwrap()
                    .add_days(seed as i32 + 3),
                ..GeneratorConfig::new(seed, largest)
            };
            let generator = Generator::new(&config).unwrap();
            let criteria = &generator.personas().criteria;
            for (index, profile) in generator.iter().enumerate() {
                let ledger = generator.ledger(index as u64, &profile);
                let item = Item {
                    accounts: &profile.accounts,
                    liabilities: &ledger.liabilities,
                    transactions: &ledger.transactions,
                };
                let detection = detect(&item, ledger.as_of, criteria);
                for window in Window::BOTH {
                    let planned = Evidence::of_plan(&profile, window);
                    let found = evidence(&item, ledger.as_of, window);
                    assert_eq!(found, planned, "seed {seed} {window:?} {}", profile.user_id);
                    let detected = detection.window(window);
                    assert_eq!(detected.signals, Signals::in_window(&profile, window));
                    assert_eq!(
                        detected.personas,
                        PersonaSet::expected_of(&profile),
                        "seed {seed} overlap {overlap} {window:?} {} {}",
                        profile.user_id,
                        detected.signals
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 100_000, "{checked}");
}

/// What any consumer of the transactions relies on, for every profile of
/// many seeds: ids unique across the dataset, exact two-decimal amounts,
/// Plaid's sign convention per category, dates inside the history in order,
/// and only the profile's own accounts.
#[test]
fn transactions_are_well_formed() {
    for seed in [0, 1, 42, u64::MAX] {
        let generator = Generator::new(&GeneratorConfig::new(seed, 500)).unwrap();
        let mut ids = HashSet::new();
        for (index, profile) in generator.iter().enumerate() {
            let ledger = generator.ledger(index as u64, &profile);
            let plan = &profile.plan;
            assert!(!ledger.transactions.is_empty());
            assert!(ledger.transactions.is_sorted_by_key(|t| t.date));
            for t in &ledger.transactions {
                assert!(ids.insert(t.transaction_id.clone()), "{}", t.transaction_id);
                assert!(t.transaction_id.starts_with(&profile.user_id));
                assert_eq!(t.amount.scale(), 2, "{t:?}");
                assert_ne!(t.amount, Decimal::ZERO, "{t:?}");
                assert!(
                    plan.history_start <= t.date && t.date <= plan.as_of,
                    "{t:?}"
                );
                assert!(t.authorized_date.is_some_and(|d| d <= t.date));
                assert_eq!(t.iso_currency_code.as_deref(), Some("USD"));
                assert!(!t.pending);
                let category = &t.personal_finance_category;
                assert!(category.detailed.starts_with(&category.primary), "{t:?}");
                let account = profile
                    .accounts
                    .iter()
                    .find(|a| a.account_id == t.account_id)
                    .unwrap_or_else(|| panic!("{t:?} is on no account of the profile"));
                // Money in: pay, transfers received, payments a card receives.
                let inflow = match category.primary.as_str() {
                    "INCOME" | "TRANSFER_IN" => true,
                    "LOAN_PAYMENTS" => account.account_type == AccountType::Credit,
                    _ => false,
                };
                assert_eq!(t.amount < Decimal::ZERO, inflow, "{t:?}");
            }
            assert_eq!(ledger.liabilities.len(), plan.cards.len());
            // A profile read back with its transactions gives the same liabilities.
            assert_eq!(
                card_liabilities(&plan.cards, &ledger.transactions),
                ledger.liabilities
            );
        }
    }
}

/// A ledger is a pure function of the seed, the index and the profile: the
/// same whatever else is generated, and different for another seed.
#[test]
fn ledgers_stand_alone() {
    let small = Generator::new(&GeneratorConfig::new(9, 10)).unwrap();
    let large = Generator::new(&GeneratorConfig::new(9, 5_000)).unwrap();
    for index in [0, 3, 9] {
        let profile = small.profile(index);
        assert_eq!(small.ledger(index, &profile), large.ledger(index, &profile));
    }
    // Realising over an earlier ledger (longer or shorter) gives the same ledger.
    let mut reused = large.ledger(4_999, &large.profile(4_999));
    for index in [0, 3, 9, 1, 7] {
        let profile = small.profile(index);
        small.ledger_into(index, &profile, &mut reused);
        assert_eq!(reused, small.ledger(index, &profile));
    }
    let other = Generator::new(&GeneratorConfig::new(10, 10)).unwrap();
    let profile = small.profile(0);
    assert_ne!(small.ledger(0, &profile), other.ledger(0, &profile));
}
