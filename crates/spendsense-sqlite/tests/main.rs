//! Tests of the SQL views: the DDL against the column model, loaded
//! databases against the profiles they come from, and every `CHECK`
//! against a row it must refuse; the example queries of docs/sql.md.

mod checks;
mod ddl;
mod docs;
mod load;

use spendsense_generator::{Generator, GeneratorConfig, Overlap};
use spendsense_schema::{CardLiability, Transaction, UserProfile};
use spendsense_sqlite::Loader;
use spendsense_sqlite::rusqlite::Connection;

/// Profiles and ledgers of a run of `count` profiles, with overlap so that
/// `matched_personas` is filled.
fn dataset(seed: u64, count: u64) -> Vec<(UserProfile, Vec<Transaction>, Vec<CardLiability>)> {
    let config = GeneratorConfig {
        overlap: Overlap::parse("0.3").unwrap(),
        ..GeneratorConfig::new(seed, count)
    };
    let generator = Generator::new(&config).unwrap();
    (0..count)
        .map(|index| {
            let profile = generator.profile(index);
            let ledger = generator.ledger(index, &profile);
            (profile, ledger.transactions, ledger.liabilities)
        })
        .collect()
}

/// Loads `dataset` into `connection` through a [`Loader`].
fn load(
    connection: &Connection,
    dataset: &[(UserProfile, Vec<Transaction>, Vec<CardLiability>)],
) -> Result<(), spendsense_sqlite::Error> {
    let mut loader = Loader::new(connection)?;
    for (profile, transactions, liabilities) in dataset {
        loader.profile(profile)?;
        loader.ledger(&profile.user_id, transactions, liabilities)?;
    }
    loader.finish(&[("seed", "1"), ("count", &dataset.len().to_string())])
}

/// The seeds and sizes the properties run over.
const RUNS: [(u64, u64); 4] = [(1, 1), (7, 12), (42, 25), (20_261_130, 40)];
