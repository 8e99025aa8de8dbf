//! The rule-tests section: for every threshold test of every persona rule
//! ([`spendsense_export::stats::rules::TESTS`]), per persona and window, how
//! many profiles pass and the range of values they show.

use std::fmt::Write;

use rust_decimal::Decimal;
use spendsense_export::stats::rules::{Comparison, RuleStats, Test, Unit};
use spendsense_export::stats::{Stats, WINDOWS};
use spendsense_schema::PersonaId;

use super::charts::{PERSONA_COLORS, money, months, percent, persona_label};
use super::html::{escape, swatch};

/// A signal's value as the page writes it.
pub fn value(unit: Unit, d: Decimal) -> String {
    match unit {
        Unit::Share => percent(d),
        Unit::Dollars => money(d),
        Unit::Days => format!("{} days", d.round_dp(2).normalize()),
        Unit::Months => months(d),
        Unit::Count => d.normalize().to_string(),
        Unit::Flag => if d.is_zero() { "no" } else { "yes" }.to_string(),
    }
}

/// A test as a column heading: `median pay gap > 45 days`, `overdue`.
pub fn heading(test: &Test) -> String {
    let signal = test.kind.signal;
    match test.kind.comparison {
        Comparison::IsSet => signal.name().to_string(),
        comparison => format!(
            "{} {} {}",
            signal.name(),
            comparison.symbol(),
            value(signal.unit(), test.threshold)
        ),
    }
}

/// The `id` of the table of `persona`'s rule.
pub fn table_id(persona: PersonaId) -> String {
    format!("rule-tests-{}", persona.as_str())
}

/// Writes the section.
pub fn section(out: &mut String, stats: &Stats) {
    out.push_str(
        "<section id=\"rule-tests\">\n<h2>Every rule, test by test</h2>\n<p>Each persona rule is made of threshold tests on the signals of a window (read through <code>Signals::in_window</code>, thresholds from the definitions' criteria). Per persona of the file and window: how many of its profiles pass each test, and the smallest and largest value they show. A persona's own rule holds for all its profiles; which tests carry it can differ (High Utilization needs one of four).</p>\n",
    );
    let rules = &stats.rules;
    for persona in PersonaId::ALL.into_iter().take(4) {
        table(out, stats, rules, persona);
    }
    out.push_str("</section>\n");
}

fn table(out: &mut String, stats: &Stats, rules: &RuleStats, persona: PersonaId) {
    let tests: Vec<usize> = (0..rules.tests.len())
        .filter(|t| rules.tests[*t].kind.persona == persona)
        .collect();
    let _ = write!(
        out,
        "<h3>{}{}</h3>\n<table id=\"{}\">\n<thead><tr><th>persona</th><th>window</th>",
        swatch(PERSONA_COLORS[persona.index()]),
        persona_label(persona),
        table_id(persona)
    );
    for &t in &tests {
        let _ = write!(
            out,
            "<th class=\"n\">{}</th><th class=\"n\">seen</th>",
            escape(&heading(&rules.tests[t]))
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (p, of) in PersonaId::ALL.into_iter().enumerate() {
        for (w, window) in WINDOWS.into_iter().enumerate() {
            let _ = write!(
                out,
                "<tr><td>{}{}</td><td>{}</td>",
                swatch(PERSONA_COLORS[p]),
                persona_label(of),
                window.as_str()
            );
            for &t in &tests {
                let test = &rules.tests[t];
                let seen = &rules.seen[t][w][p];
                let unit = test.kind.signal.unit();
                let range = match (seen.min, seen.max, unit) {
                    (_, _, Unit::Flag) | (None, _, _) | (_, None, _) => "—".to_string(),
                    (Some(min), Some(max), _) if min == max => value(unit, min),
                    (Some(min), Some(max), _) => {
                        format!("{} – {}", value(unit, min), value(unit, max))
                    }
                };
                let _ = write!(
                    out,
                    "<td class=\"n\">{} of {}</td><td class=\"n\">{}</td>",
                    seen.passed,
                    stats.counts[p],
                    escape(&range)
                );
            }
            out.push_str("</tr>\n");
        }
    }
    out.push_str("</tbody>\n</table>\n");
}
