//! The canonical dataset committed in `data/`.

use anyhow::Result;
use spendsense_generator::{GeneratorConfig, generate};
use spendsense_schema::{ProfileFormat, UserProfile, write_profiles};

use crate::{Mode, ensure_file};

/// `(path, seed, count)` of every canonical dataset file.
pub const DATASETS: [(&str, u64, u64); 2] = [
    ("data/synthetic/users/profiles.json", 42, 100),
    ("data/synthetic/users/test_profiles.json", 42, 50),
];

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
pub fn generate_all(mode: Mode) -> Result<()> {
    for (path, seed, count) in DATASETS {
        ensure_file(path, &json_bytes(&profiles(seed, count)), mode)?;
    }
    let schema = spendsense_schema::json_schema::profile_schema_text();
    ensure_file(SCHEMA_FILE, schema.as_bytes(), mode)?;
    if mode == Mode::Check {
        eprintln!("data/ is fresh");
    }
    Ok(())
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

    #[test]
    fn canonical_dataset_validates() {
        let personas = spendsense_personas::Personas::spendsense();
        for (_, seed, count) in DATASETS {
            let report = spendsense_validate::validate(&personas, &profiles(seed, count));
            assert!(report.is_valid(), "{report}");
        }
    }
}
