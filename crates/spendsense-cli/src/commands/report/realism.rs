//! The report's realism section: the dataset's marginals beside the US
//! reference tables the generator is calibrated to, each with a distance,
//! and persona shares by age band and region (demographic parity).

use std::fmt::Write;

use spendsense_generator::realism::{
    Comparison, PARITY_MIN_GROUP, Parity, RANK_CORRELATION_AGES, Realism,
};
use spendsense_schema::PersonaId;

use super::charts::persona_label;
use super::html::escape;

fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// Writes the section.
pub fn section(out: &mut String, r: &Realism) {
    out.push_str(
        "<section id=\"realism\">\n<h2>Realism</h2>\n<p>The profiles' marginals beside the US reference tables the generator is calibrated to (<code>crates/spendsense-generator/data</code>, sources in docs/realism.md). The total variation distance is half the sum of the share differences: 0 is identical, 1 disjoint; sampling alone gives about 0.01 for states at 100,000 users.</p>\n",
    );
    let (checked, agreeing) = r.zip_state_agreement;
    let (youngest, oldest) = RANK_CORRELATION_AGES;
    let rho = r
        .age_income_rank_correlation
        .map_or("n/a".to_owned(), |rho| format!("{rho:.3}"));
    out.push_str("<table id=\"realism-summary\">\n<thead><tr><th>measure</th><th class=\"n\">distance</th><th>reads</th></tr></thead>\n<tbody>\n");
    let rows = [
        (
            "states (2020 Census population)",
            format!("{:.4}", r.states.total_variation),
            "total variation distance",
        ),
        (
            "adult age bands (2022 estimates)",
            format!("{:.4}", r.age_bands.total_variation),
            "total variation distance",
        ),
        (
            "regular pay frequency (BLS, share of businesses)",
            format!("{:.4}", r.pay_frequencies.total_variation),
            "total variation distance",
        ),
        (
            "income (household percentiles, 2023)",
            format!("{:.3}", r.income_distance),
            "largest gap between the share of incomes at or below a percentile's value and the percentile; SpendSense incomes stop at $20K and $200K",
        ),
        (
            "ZIP prefix in the user's state",
            percent(agreeing as f64 / checked.max(1) as f64),
            "share of ZIP codes whose 3-digit prefix belongs to the user's state",
        ),
        (
            "age and income",
            rho,
            &format!("Spearman rank correlation at working ages ({youngest}-{oldest})"),
        ),
        (
            "persona shares by age band",
            percent(r.parity_by_age.max_gap),
            "largest gap in a persona's share between two age bands",
        ),
        (
            "persona shares by region",
            percent(r.parity_by_region.max_gap),
            "largest gap in a persona's share between two regions",
        ),
    ];
    for (measure, distance, reads) in rows {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            escape(measure),
            escape(&distance),
            escape(reads)
        );
    }
    out.push_str("</tbody>\n</table>\n");

    out.push_str("<h3>Age bands and income</h3>\n<table id=\"realism-ages\">\n<thead><tr><th>age band</th><th class=\"n\">profiles</th><th class=\"n\">generated</th><th class=\"n\">reference</th><th class=\"n\">median income</th><th class=\"n\">reference median personal income</th></tr></thead>\n<tbody>\n");
    for (band, (_, median, reference)) in r.age_bands.rows.iter().zip(&r.median_income_by_age) {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{reference}</td></tr>",
            escape(&band.label),
            band.count,
            percent(band.generated),
            percent(band.reference),
            median.map_or("-".to_owned(), |m| m.to_string()),
        );
    }
    out.push_str("</tbody>\n</table>\n");

    out.push_str("<h3>Income percentiles</h3>\n<table id=\"realism-income\">\n<thead><tr><th class=\"n\">percentile</th><th class=\"n\">generated</th><th class=\"n\">reference household income</th></tr></thead>\n<tbody>\n");
    for (p, reference, generated) in &r.income_percentiles {
        let _ = writeln!(
            out,
            "<tr><td class=\"n\">{p}</td><td class=\"n\">{generated}</td><td class=\"n\">{reference}</td></tr>"
        );
    }
    out.push_str("</tbody>\n</table>\n");

    comparison(
        out,
        "realism-pay",
        "Regular pay frequency",
        "frequency",
        &r.pay_frequencies,
    );
    comparison(out, "realism-states", "States", "state", &r.states);

    out.push_str("<h3>Demographic parity</h3>\n");
    let _ = writeln!(
        out,
        "<p>Each persona's share within each group; age and state never decide a persona, so the shares should differ by sampling noise only. Groups under {PARITY_MIN_GROUP} profiles are left out of the gaps above.</p>"
    );
    parity(out, "realism-parity-age", "age band", &r.parity_by_age);
    parity(out, "realism-parity-region", "region", &r.parity_by_region);
    out.push_str("</section>\n");
}

fn comparison(out: &mut String, id: &str, title: &str, what: &str, c: &Comparison) {
    let _ = writeln!(
        out,
        "<h3>{title}</h3>\n<table id=\"{id}\">\n<thead><tr><th>{what}</th><th class=\"n\">profiles</th><th class=\"n\">generated</th><th class=\"n\">reference</th></tr></thead>\n<tbody>"
    );
    for row in &c.rows {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&row.label),
            row.count,
            percent(row.generated),
            percent(row.reference)
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

fn parity(out: &mut String, id: &str, group: &str, p: &Parity) {
    let _ = write!(
        out,
        "<table id=\"{id}\">\n<thead><tr><th>{group}</th><th class=\"n\">profiles</th>"
    );
    for persona in PersonaId::ALL {
        let _ = write!(out, "<th class=\"n\">{}</th>", persona_label(persona));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (label, users, shares) in &p.groups {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"n\">{users}</td>",
            escape(label)
        );
        for share in shares {
            let _ = write!(out, "<td class=\"n\">{}</td>", percent(*share));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}
