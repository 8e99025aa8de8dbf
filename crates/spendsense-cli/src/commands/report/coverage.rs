//! The coverage section: for each persona and each range of its definition,
//! the values its profiles show and how much of the range they span.

use std::fmt::Write;

use rust_decimal::Decimal;
use spendsense_export::stats::coverage::{Coverage, Covered, RANGES};
use spendsense_schema::PersonaId;

use super::charts::{PERSONA_COLORS, persona_label};
use super::html::{escape, swatch};

fn show(d: Decimal) -> String {
    d.normalize().to_string()
}

/// The slots of the range hit, one mark each (`■` hit, `·` not).
pub fn decile_marks(covered: &Covered) -> String {
    (0..covered.slots())
        .map(|i| {
            if covered.deciles & (1 << i) != 0 {
                '■'
            } else {
                '·'
            }
        })
        .collect()
}

/// The `id` of `persona`'s coverage table.
pub fn table_id(persona: PersonaId) -> String {
    format!("coverage-{}", persona.as_str())
}

/// Writes the section.
pub fn section(out: &mut String, coverage: &Coverage) {
    out.push_str(
        "<section id=\"coverage\">\n<h2>Coverage of the definition ranges</h2>\n<p>For each persona and each range of its definition (from the definitions the file is checked against): the smallest and largest value its profiles show, how many fall outside, and which tenths of the range some profile hits (■; for a count range of fewer than ten values, which values). Values are measured as the validator measures them: buffers and balances in months rounded to cents, utilization as the planned target; the savings share is the planned transfer after the <code>savings_monthly</code> bounds clamp it, so it can fall outside.</p>\n",
    );
    if coverage.overlap_skipped > 0 {
        let _ = writeln!(
            out,
            "<p>{} overlap profiles are drawn from a blend of two definitions and are not counted here.</p>",
            coverage.overlap_skipped
        );
    }
    for (p, persona) in PersonaId::ALL.into_iter().enumerate() {
        let _ = write!(
            out,
            "<h3>{}{} ({} profiles)</h3>\n<table id=\"{}\">\n<thead><tr><th>range</th><th class=\"n\">definition</th><th class=\"n\">profiles</th><th class=\"n\">min</th><th class=\"n\">max</th><th class=\"n\">outside</th><th class=\"n\">tenths hit</th><th>where</th></tr></thead>\n<tbody>\n",
            swatch(PERSONA_COLORS[p]),
            persona_label(persona),
            coverage.profiles[p],
            table_id(persona)
        );
        for (range, covered) in RANGES.iter().zip(&coverage.ranges[p]) {
            let Some((low, high)) = covered.bounds else {
                continue;
            };
            let definition = if low == high {
                show(low)
            } else {
                format!("{} – {}", show(low), show(high))
            };
            let opt = |d: Option<Decimal>| d.map_or("—".to_string(), show);
            let _ = writeln!(
                out,
                "<tr><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}/{}</td><td><code>{}</code></td></tr>",
                range.field(),
                escape(&definition),
                covered.measured,
                opt(covered.min),
                opt(covered.max),
                covered.outside,
                covered.deciles_hit(),
                covered.slots(),
                decile_marks(covered)
            );
        }
        let schedules = &coverage.schedules[p];
        if !schedules.is_empty() {
            let seen = schedules.iter().filter(|s| s.1 > 0).count();
            let listed: Vec<String> = schedules
                .iter()
                .map(|(f, n)| format!("{} {n}", f.as_str()))
                .collect();
            let _ = writeln!(
                out,
                "<tr><td><code>pay.frequencies</code></td><td class=\"n\">{} schedules</td><td class=\"n\">{}</td><td colspan=\"3\">{}</td><td class=\"n\">{seen}/{}</td><td></td></tr>",
                schedules.len(),
                schedules.iter().map(|s| s.1).sum::<u64>(),
                escape(&listed.join(", ")),
                schedules.len()
            );
        }
        let with = coverage.with_savings[p];
        let share = if coverage.profiles[p] == 0 {
            "—".to_string()
        } else {
            format!("{:.1}%", with as f64 * 100.0 / coverage.profiles[p] as f64)
        };
        let _ = writeln!(
            out,
            "<tr><td><code>savings_account_percent</code></td><td class=\"n\">{}%</td><td class=\"n\">{}</td><td colspan=\"5\">{with} with a savings account ({share})</td></tr>",
            coverage.savings_account_percent[p], coverage.profiles[p]
        );
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</section>\n");
}
