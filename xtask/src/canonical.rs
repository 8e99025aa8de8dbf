//! The canonical dataset committed in `data/`.

use anyhow::Result;
use spendsense_generator::{Generator, GeneratorConfig, generate};
use spendsense_schema::{ProfileFormat, UserProfile, write_profiles};

use crate::{Mode, Tally, ensure_file};

/// `(path, seed, count)` of every canonical dataset file.
pub const DATASETS: [(&str, u64, u64); 2] = [
    ("data/synthetic/users/profiles.json", 42, 100),
    ("data/synthetic/users/test_profiles.json", 42, 50),
];

/// The transactions of the first canonical file's profiles, as JSONL.
pub const TRANSACTIONS_FILE: &str = "data/synthetic/transactions/transactions.jsonl";

/// The JSONL bytes of the transactions of the first `count` profiles of `seed`.
pub fn transactions_bytes(seed: u64, count: u64) -> Vec<u8> {
    let generator = Generator::new(&GeneratorConfig::new(seed, count))
        .expect("the default configuration is valid");
    let mut out = Vec::new();
    for (index, profile) in generator.iter().enumerate() {
        for transaction in generator.ledger(index as u64, &profile).transactions {
            transaction.encode_json(&mut out);
            out.push(b'\n');
        }
    }
    out
}

/// The profiles of one canonical file.
pub fn profiles(seed: u64, count: u64) -> Vec<UserProfile> {
    generate(&GeneratorConfig::new(seed, count)).expect("the default configuration is valid")
}

/// The bytes of a JSON dataset.
pub fn json_bytes(profiles: &[UserProfile]) -> Vec<u8> {
    write_profiles(Vec::new(), ProfileFormat::Json, profiles)
        .expect("writing to memory cannot fail")
}

/// The profile's JSON Schema, generated from the schema crate's types; the
/// same bytes `spendsense schema` prints.
pub const SCHEMA_FILE: &str = "docs/profile.schema.json";

/// Regenerates (or checks) every canonical file.
pub fn generate_all(mode: Mode) -> Result<Tally> {
    let mut tally = Tally::default();
    for (path, seed, count) in DATASETS {
        tally += ensure_file(path, &json_bytes(&profiles(seed, count)), mode)?;
    }
    let (_, seed, count) = DATASETS[0];
    tally += ensure_file(TRANSACTIONS_FILE, &transactions_bytes(seed, count), mode)?;
    let schema = spendsense_schema::json_schema::profile_schema_text();
    tally += ensure_file(SCHEMA_FILE, schema.as_bytes(), mode)?;
    if mode == Mode::Check {
        eprintln!("data/ is fresh");
    }
    Ok(tally)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_data_is_fresh() {
        generate_all(Mode::Check).unwrap();
    }

    #[test]
    fn streamed_json_equals_serde_json_pretty() {
        let profiles = profiles(42, 7);
        let mut expected = serde_json::to_vec_pretty(&profiles).unwrap();
        expected.push(b'\n');
        assert_eq!(
            String::from_utf8(json_bytes(&profiles)).unwrap(),
            String::from_utf8(expected).unwrap()
        );
    }

    /// The committed pair read back from disk, as a downstream user would:
    /// the reference detector finds every profile's persona in both windows.
    #[test]
    fn canonical_transactions_carry_their_labels() {
        let root = crate::project_root();
        let (path, ..) = DATASETS[0];
        let profiles: Vec<UserProfile> =
            serde_json::from_str(&std::fs::read_to_string(root.join(path)).unwrap()).unwrap();
        let text = std::fs::read_to_string(root.join(TRANSACTIONS_FILE)).unwrap();
        let transactions: Vec<spendsense_schema::Transaction> = text
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        let criteria = spendsense_personas::Criteria::spendsense();
        for profile in &profiles {
            let prefix = format!("{}-t", profile.user_id);
            let own: Vec<_> = transactions
                .iter()
                .filter(|t| t.transaction_id.starts_with(&prefix))
                .cloned()
                .collect();
            assert!(!own.is_empty(), "{}", profile.user_id);
            let liabilities = spendsense_signals::card_liabilities(&profile.plan.cards, &own);
            let item = spendsense_signals::Item {
                accounts: &profile.accounts,
                liabilities: &liabilities,
                transactions: &own,
            };
            let detection = spendsense_signals::detect(&item, profile.plan.as_of, &criteria);
            let expected = spendsense_personas::PersonaSet::only(profile.persona);
            assert_eq!(detection.short.personas, expected, "{}", profile.user_id);
            assert_eq!(detection.long.personas, expected, "{}", profile.user_id);
        }
    }

    #[test]
    fn canonical_dataset_validates() {
        let personas = spendsense_personas::Personas::spendsense();
        for (_, seed, count) in DATASETS {
            let report = spendsense_validate::validate(&personas, &profiles(seed, count));
            assert!(report.is_valid(), "{report}");
        }
    }
}
