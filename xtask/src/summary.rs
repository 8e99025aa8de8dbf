//! Reviewable views of a dataset for insta snapshots: a reviewer reads a
//! 20-line summary diff, not a 3,000-line data diff.

use std::collections::BTreeMap;
use std::fmt::Write;

use rust_decimal::Decimal;
use spendsense_schema::{AccountSubtype, PersonaId, UserProfile};

/// Nearest-rank quantiles (min, p25, median, p75, max) of `values`, or `-`.
fn quantiles(mut values: Vec<Decimal>) -> String {
    if values.is_empty() {
        return "-".to_string();
    }
    values.sort();
    let at = |q: usize| values[(values.len() - 1) * q / 4];
    format!("{} / {} / {} / {} / {}", at(0), at(1), at(2), at(3), at(4))
}

/// Counts, quantiles and account mix per persona.
pub fn summary(profiles: &[UserProfile]) -> String {
    let mut out = String::new();
    writeln!(out, "profiles: {}", profiles.len()).unwrap();
    writeln!(out, "quantiles are min / p25 / median / p75 / max").unwrap();
    for persona in PersonaId::ALL {
        let mine: Vec<&UserProfile> = profiles.iter().filter(|p| p.persona == persona).collect();
        let balances = |subtype: AccountSubtype| -> Vec<Decimal> {
            mine.iter()
                .flat_map(|p| p.accounts_of(subtype))
                .filter_map(|a| a.balances.current)
                .collect()
        };
        let utilizations: Vec<Decimal> = mine
            .iter()
            .flat_map(|p| p.accounts_of(AccountSubtype::CreditCard))
            .filter_map(|a| a.utilization().map(|u| u.round_dp(2)))
            .collect();
        let mut accounts: BTreeMap<&str, usize> = BTreeMap::new();
        for account in mine.iter().flat_map(|p| &p.accounts) {
            *accounts.entry(account.subtype.as_str()).or_default() += 1;
        }
        let accounts: Vec<String> = accounts.iter().map(|(k, v)| format!("{k} {v}")).collect();
        writeln!(out, "\n{persona}: {} users", mine.len()).unwrap();
        writeln!(
            out,
            "  income           {}",
            quantiles(mine.iter().map(|p| p.annual_income).collect())
        )
        .unwrap();
        writeln!(
            out,
            "  checking         {}",
            quantiles(balances(AccountSubtype::Checking))
        )
        .unwrap();
        writeln!(
            out,
            "  savings          {}",
            quantiles(balances(AccountSubtype::Savings))
        )
        .unwrap();
        writeln!(out, "  card utilization {}", quantiles(utilizations)).unwrap();
        let savings = mine
            .iter()
            .map(|p| p.characteristics.target_savings_monthly)
            .collect();
        writeln!(out, "  savings/month    {}", quantiles(savings)).unwrap();
        let subscriptions = mine
            .iter()
            .map(|p| Decimal::from(p.characteristics.subscription_count_target))
            .collect();
        writeln!(out, "  subscriptions    {}", quantiles(subscriptions)).unwrap();
        writeln!(out, "  accounts         {}", accounts.join(", ")).unwrap();
    }
    out
}

/// The first profile of `persona`, pretty-printed.
#[cfg(test)]
pub fn sample(profiles: &[UserProfile], persona: PersonaId) -> Option<String> {
    let profile = profiles.iter().find(|p| p.persona == persona)?;
    Some(serde_json::to_string_pretty(profile).expect("profiles serialize"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canonical::{DATASETS, profiles};

    #[test]
    fn canonical_summary() {
        let (_, seed, count) = DATASETS[0];
        insta::assert_snapshot!("profiles_summary", summary(&profiles(seed, count)));
    }

    #[test]
    fn canonical_sample_per_persona() {
        let (_, seed, count) = DATASETS[0];
        let profiles = profiles(seed, count);
        for persona in PersonaId::ALL {
            let sample = sample(&profiles, persona).expect("every persona is present");
            insta::assert_snapshot!(format!("sample_{persona}"), sample);
        }
    }
}
