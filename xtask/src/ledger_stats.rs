//! Transactions per profile, per persona: the table in docs/transactions.md.

use spendsense_generator::{Generator, GeneratorConfig};
use spendsense_personas::Window;
use spendsense_schema::PersonaId;

/// The table for the first `count` users of `seed`: per persona, the median,
/// smallest and largest number of transactions per profile over the history
/// and in the 30-day window.
pub fn of_run(seed: u64, count: u64) -> String {
    let generator = Generator::new(&GeneratorConfig::new(seed, count))
        .expect("the default configuration is valid");
    let mut counts: Vec<(PersonaId, usize, usize)> = Vec::new();
    for (index, profile) in generator.iter().enumerate() {
        let ledger = generator.ledger(index as u64, &profile);
        let short = ledger.in_window(Window::Short).count();
        counts.push((profile.persona, ledger.transactions.len(), short));
    }
    let mut out = format!(
        "Transactions per profile, first {count} users of seed {seed}:\n\n\
         persona             profiles  median  min  max  median in 30 days\n"
    );
    let mut all: Vec<(usize, usize)> = Vec::new();
    for persona in PersonaId::ALL {
        let mut rows: Vec<(usize, usize)> = counts
            .iter()
            .filter(|(p, ..)| *p == persona)
            .map(|(_, total, short)| (*total, *short))
            .collect();
        all.extend(&rows);
        out.push_str(&row(persona.as_str(), &mut rows));
    }
    out.push_str(&row("all", &mut all));
    out
}

fn row(label: &str, rows: &mut [(usize, usize)]) -> String {
    if rows.is_empty() {
        return format!("{label:<19} {:>8}\n", 0);
    }
    let median = |values: &mut Vec<usize>| {
        values.sort_unstable();
        values[values.len() / 2]
    };
    let mut totals: Vec<usize> = rows.iter().map(|r| r.0).collect();
    let mut shorts: Vec<usize> = rows.iter().map(|r| r.1).collect();
    let (min, max) = (
        *totals.iter().min().expect("not empty"),
        *totals.iter().max().expect("not empty"),
    );
    format!(
        "{label:<19} {:>8}  {:>6}  {min:>3}  {max:>3}  {:>17}\n",
        rows.len(),
        median(&mut totals),
        median(&mut shorts)
    )
}
