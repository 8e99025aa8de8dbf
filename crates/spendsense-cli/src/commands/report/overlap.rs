//! The overlap section: which profiles are labelled to meet a second
//! persona, which one, and whether their assignment is the highest-priority match.

use std::fmt::Write;

use spendsense_export::stats::Stats;
use spendsense_export::stats::WINDOWS;
use spendsense_schema::PersonaId;

use super::charts::{PERSONA_COLORS, persona_label};
use super::html::swatch;

/// Writes the section.
pub fn section(out: &mut String, stats: &Stats) {
    let o = &stats.overlap;
    let _ = write!(
        out,
        "<section id=\"overlap\">\n<h2>Overlap</h2>\n<p>Profiles made with <code>--overlap</code> also meet one lower-priority persona: they carry <code>matched_personas</code> (both personas, in priority order) and <code>expected_assignment</code> (the one the pipeline should assign, the highest-priority match).</p>\n\
         <table id=\"overlap-counts\">\n<thead><tr><th>what</th><th class=\"n\">profiles</th></tr></thead>\n<tbody>\n"
    );
    let mut row = |what: String, n: String| {
        let _ = writeln!(out, "<tr><td>{what}</td><td class=\"n\">{n}</td></tr>");
    };
    let of = |n: u64, total: u64| format!("{n} of {total}");
    row(
        "carry <code>matched_personas</code>".into(),
        of(o.with_matched, o.profiles),
    );
    row(
        "carry <code>expected_assignment</code>".into(),
        of(o.with_expected, o.profiles),
    );
    row(
        "carry only one of the two (a broken file)".into(),
        of(o.with_only_one, o.profiles),
    );
    row(
        "<code>expected_assignment</code> is the highest-priority of <code>matched_personas</code>"
            .into(),
        of(o.expected_is_primary, o.with_matched),
    );
    row(
        "<code>expected_assignment</code> is the profile's <code>persona</code>".into(),
        of(o.expected_is_persona, o.with_expected),
    );
    for (w, window) in WINDOWS.into_iter().enumerate() {
        row(
            format!(
                "<code>expected_assignment</code> is the highest-priority persona the {} signals meet",
                window.as_str()
            ),
            of(o.expected_is_detected_primary[w], o.with_expected),
        );
        row(
            format!(
                "the {} signals meet exactly <code>matched_personas</code>",
                window.as_str()
            ),
            of(o.matched_is_detected[w], o.with_matched),
        );
    }
    out.push_str("</tbody>\n</table>\n");

    out.push_str(
        "<p>Per persona (rows), the profiles whose <code>matched_personas</code> also names another persona (columns).</p>\n<table id=\"overlap-matrix\">\n<thead><tr><th>persona</th><th class=\"n\">profiles</th>",
    );
    for (q, persona) in PersonaId::ALL.into_iter().enumerate() {
        let _ = write!(
            out,
            "<th class=\"n\">{}also {}</th>",
            swatch(PERSONA_COLORS[q]),
            persona_label(persona)
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (p, persona) in PersonaId::ALL.into_iter().enumerate() {
        let _ = write!(
            out,
            "<tr><td>{}{}</td><td class=\"n\">{}</td>",
            swatch(PERSONA_COLORS[p]),
            persona_label(persona),
            stats.counts[p]
        );
        for n in o.also[p] {
            let _ = write!(out, "<td class=\"n\">{n}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}
