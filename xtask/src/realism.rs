//! How US-like a run is: `cargo xtask realism [SEED N]` prints it, and
//! `docs/realism.md` shows it for 10,000 users of seed 42 (a generated region).
//!
//! The marginals and distances come from the generator's own
//! [`Marginals`], the same numbers
//! `spendsense report` draws; this adds the credit and balance view by age.

use std::collections::BTreeMap;
use std::fmt::Write;

use rust_decimal::Decimal;
use spendsense_generator::realism::{Comparison, Marginals, Parity, RANK_CORRELATION_AGES, tables};
use spendsense_generator::{Generator, GeneratorConfig};
use spendsense_schema::{PersonaId, UserProfile};

/// The report of the first `count` default users of `seed`, as Markdown.
pub fn of_run(seed: u64, count: u64) -> String {
    let generator = Generator::new(&GeneratorConfig::new(seed, count)).expect("default config");
    let mut marginals = Marginals::new();
    let mut credit = Credit::default();
    let mut profile = generator.profile(0);
    for index in 0..count {
        generator.profile_into(index, &mut profile);
        marginals.push(&profile);
        credit.push(&profile);
    }
    let r = marginals.realism();
    let mut out = String::new();
    let percent = |x: f64| format!("{:.1}%", x * 100.0);
    let _ = writeln!(out, "{} users of seed {seed}.\n", r.users);
    let _ = writeln!(out, "| measure | generated vs reference |\n|---|---|");
    let distance = |c: &Comparison| format!("total variation distance {:.4}", c.total_variation);
    let _ = writeln!(out, "| states (51) | {} |", distance(&r.states));
    let _ = writeln!(out, "| adult age bands (7) | {} |", distance(&r.age_bands));
    let _ = writeln!(
        out,
        "| regular pay frequency (4) | {} |",
        distance(&r.pay_frequencies)
    );
    let _ = writeln!(
        out,
        "| income, household percentiles | largest CDF gap {:.3} (SpendSense incomes stop at $20K and $200K) |",
        r.income_distance
    );
    let (checked, agreeing) = r.zip_state_agreement;
    let _ = writeln!(
        out,
        "| ZIP prefix in the user's state | {agreeing} of {checked} ({}) |",
        percent(agreeing as f64 / checked.max(1) as f64)
    );
    let (youngest, oldest) = RANK_CORRELATION_AGES;
    let _ = writeln!(
        out,
        "| age-income rank correlation, ages {youngest}-{oldest} | Spearman {} |",
        r.age_income_rank_correlation
            .map_or("n/a".to_owned(), |rho| format!("{rho:.3}"))
    );
    let _ = writeln!(
        out,
        "| users aged 24 or younger earning $150K or more | {} |",
        credit.young_high_earners
    );
    let _ = writeln!(
        out,
        "| persona shares across age bands / regions | largest gap {} / {} |",
        percent(r.parity_by_age.max_gap),
        percent(r.parity_by_region.max_gap)
    );

    let _ = writeln!(out, "\nLargest and smallest states:\n");
    let _ = writeln!(out, "| state | generated | reference |\n|---|---|---|");
    let mut states = r.states.rows.clone();
    states.sort_by(|a, b| b.reference.total_cmp(&a.reference));
    for s in states
        .iter()
        .take(5)
        .chain(states.iter().rev().take(2).rev())
    {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            s.label,
            percent(s.generated),
            percent(s.reference)
        );
    }

    let _ = writeln!(out, "\nAges and income:\n");
    let _ = writeln!(
        out,
        "| age band | generated | reference | median income | reference median personal income |\n|---|---|---|---|---|"
    );
    for (band, (_, median, reference_income)) in
        r.age_bands.rows.iter().zip(&r.median_income_by_age)
    {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {reference_income} |",
            band.label,
            percent(band.generated),
            percent(band.reference),
            median.map_or("-".to_owned(), |m| m.to_string())
        );
    }

    let _ = writeln!(out, "\nIncome percentiles:\n");
    let _ = writeln!(
        out,
        "| percentile | generated | reference household income |\n|---|---|---|"
    );
    for (p, reference, generated) in &r.income_percentiles {
        let _ = writeln!(out, "| {p} | {generated} | {reference} |");
    }

    let _ = writeln!(out, "\nRegular pay frequency:\n");
    let _ = writeln!(
        out,
        "| frequency | generated | reference (share of businesses) |\n|---|---|---|"
    );
    for f in &r.pay_frequencies.rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            f.label,
            percent(f.generated),
            percent(f.reference)
        );
    }

    let _ = writeln!(out, "\nPersona shares by age band and by region:\n");
    parity_table(&mut out, "age band", &r.parity_by_age);
    let _ = writeln!(out);
    parity_table(&mut out, "region", &r.parity_by_region);

    let _ = writeln!(out, "\nCredit and balances by age band:\n");
    credit.table(&mut out);
    let _ = writeln!(out, "\nLargest checking balance per persona:\n");
    let _ = writeln!(out, "| persona | largest checking balance |\n|---|---|");
    for (persona, largest) in PersonaId::ALL.iter().zip(credit.largest_checking) {
        let _ = writeln!(out, "| {persona} | {largest} |");
    }
    out
}

fn parity_table(out: &mut String, group: &str, parity: &Parity) {
    let names: Vec<&str> = PersonaId::ALL.iter().map(|p| p.as_str()).collect();
    let _ = writeln!(out, "| {group} | users | {} |", names.join(" | "));
    let _ = writeln!(out, "|---|---|{}", "---|".repeat(names.len()));
    for (label, users, shares) in &parity.groups {
        let shares: Vec<String> = shares
            .iter()
            .map(|s| format!("{:.1}%", s * 100.0))
            .collect();
        let _ = writeln!(out, "| {label} | {users} | {} |", shares.join(" | "));
    }
}

/// Card holding, limits and balances per age band.
#[derive(Default)]
struct Credit {
    /// Per band label: users, card holders, total limits, utilisations (permille),
    /// checking balances, savings balances.
    bands: BTreeMap<u8, Band>,
    young_high_earners: u64,
    largest_checking: [Decimal; 5],
}

#[derive(Default)]
struct Band {
    users: u64,
    holders: u64,
    limits: Vec<Decimal>,
    utilizations: Vec<Decimal>,
    checking: Vec<Decimal>,
    savings: Vec<Decimal>,
}

impl Credit {
    fn push(&mut self, profile: &UserProfile) {
        let Some(band) = tables().age_band(profile.demographics.age) else {
            return;
        };
        if profile.demographics.age <= 24 && profile.annual_income >= Decimal::from(150_000) {
            self.young_high_earners += 1;
        }
        let entry = self.bands.entry(band.min).or_default();
        entry.users += 1;
        let cards: Vec<_> = profile
            .accounts
            .iter()
            .filter(|a| a.is_credit_card())
            .collect();
        if !cards.is_empty() {
            entry.holders += 1;
            let limit: Decimal = cards.iter().filter_map(|c| c.balances.limit).sum();
            let owed: Decimal = cards.iter().filter_map(|c| c.balances.current).sum();
            entry.limits.push(limit);
            if !limit.is_zero() {
                entry.utilizations.push((owed / limit).round_dp(3));
            }
        }
        for account in &profile.accounts {
            let balance = account.balances.current.unwrap_or_default();
            match account.subtype.as_str() {
                "checking" => {
                    entry.checking.push(balance);
                    let largest = &mut self.largest_checking[profile.persona.index()];
                    *largest = (*largest).max(balance);
                }
                "savings" => entry.savings.push(balance),
                _ => {}
            }
        }
    }

    fn table(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "| age band | hold a card | median total limit | median utilization | median checking | median savings (holders) |\n|---|---|---|---|---|---|"
        );
        for band in &tables().age_bands {
            let Some(b) = self.bands.get(&band.min) else {
                continue;
            };
            let _ = writeln!(
                out,
                "| {} | {:.1}% | {} | {} | {} | {} |",
                band.label,
                b.holders as f64 * 100.0 / b.users.max(1) as f64,
                median(&b.limits),
                median(&b.utilizations),
                median(&b.checking),
                median(&b.savings),
            );
        }
    }
}

fn median(values: &[Decimal]) -> String {
    spendsense_personas::median(&mut values.to_vec())
        .map_or("-".to_owned(), |m| m.round_dp(2).to_string())
}
