//! Datasets checked with their transactions: the validator's reference
//! detector reads every generated ledger as its profile's personas, overlap
//! users included, and notices a ledger that is not the profile's.

use spendsense_generator::{Generator, GeneratorConfig, Overlap};
use spendsense_personas::Personas;
use spendsense_schema::{PersonaId, Transaction};
use spendsense_validate::{RULE_DETECTOR_MISMATCH, Validator};

fn generator(seed: u64, count: u64, overlap: &str) -> Generator {
    let config = GeneratorConfig {
        overlap: Overlap::parse(overlap).unwrap(),
        ..GeneratorConfig::new(seed, count)
    };
    Generator::new(&config).unwrap()
}

#[test]
fn generated_ledgers_pass_the_detector_check() {
    let personas = Personas::spendsense();
    for (seed, overlap) in [(1, "0"), (2, "0.5"), (3, "1")] {
        let generator = generator(seed, 60, overlap);
        let mut validator = Validator::new(&personas);
        let mut transactions = 0;
        for (index, profile) in generator.iter().enumerate() {
            let ledger = generator.ledger(index as u64, &profile);
            transactions += ledger.transactions.len() as u64;
            validator.push_with_transactions(&profile, None, &ledger.transactions);
        }
        let report = validator.finish();
        assert!(
            report.is_valid(),
            "seed {seed} overlap {overlap}:\n{report}"
        );
        assert_eq!(report.transactions, Some(transactions));
    }
}

/// Without transactions only what the accounts and card terms show is left:
/// High Utilization (balances, overdue cards) may still be read, the
/// personas that live in transactions never are, and control stays control.
#[test]
fn profiles_without_their_transactions_are_detector_mismatches() {
    let personas = Personas::spendsense();
    let generator = generator(4, 40, "0");
    let mut validator = Validator::new(&personas);
    let mut expected = Vec::new();
    for profile in generator.iter() {
        validator.push_with_transactions(&profile, None, &[] as &[Transaction]);
        if let PersonaId::VariableIncome
        | PersonaId::SubscriptionHeavy
        | PersonaId::SavingsBuilder = profile.persona
        {
            expected.extend([profile.user_id.clone(), profile.user_id.clone()]);
        }
    }
    let report = validator.finish();
    let mismatched: Vec<String> = report
        .violations
        .iter()
        .filter(|v| v.rule == RULE_DETECTOR_MISMATCH)
        .filter(|v| !v.message.contains("a `high_utilization` profile"))
        .map(|v| v.user_id.clone())
        .collect();
    assert_eq!(mismatched, expected, "{report}");
    assert_eq!(report.transactions, Some(0));
}
