//! The report page: one self-contained HTML document.
//!
//! Everything is inline (a short `<style>`, one `<svg>` per chart), nothing is
//! fetched, and there is no script. The page is also well-formed XML
//! (`<meta … />`, escaped text), so tests can parse it whole.

use std::fmt::Write;

use anyhow::Result;
use spendsense_personas::Mix;
use spendsense_personas::Personas;
use spendsense_schema::PersonaId;
use spendsense_validate::Report;

use super::run_config::{Origin, RunConfig, Setting};
use spendsense_export::stats::coverage::Coverage;
use spendsense_export::stats::fields::FieldProfile;

use super::charts::{
    self, ACCOUNT_COLORS, PERSONA_COLORS, hex, money, months, pay_points_on_edge, percent,
    persona_label, scatter_caption,
};
use spendsense_export::stats::{
    ACCOUNT_KINDS, INCOME_FROM, INCOME_TO, SCATTER_CAP, Stats, WINDOWS,
};

/// Violations listed in full on the page; the rest are counted.
pub const LISTED: usize = 20;

/// Everything the page shows.
#[derive(Debug)]
pub struct Page<'a> {
    /// How the input is named: its path, or `stdin`.
    pub source: &'a str,
    /// What was gathered from the readable profiles.
    pub stats: &'a Stats,
    /// The validation result.
    pub report: &'a Report,
    /// The definitions the dataset was checked against.
    pub personas: &'a Personas,
    /// Where they came from: `built-in` or a file name.
    pub personas_source: &'a str,
    /// The persona mix quotas were checked against.
    pub mix: Mix,
    /// The profiles against the US reference tables.
    pub realism: &'a spendsense_generator::realism::Realism,
    /// How the dataset was made, as far as it is known.
    pub run: &'a RunConfig,
    /// How much of each definition range the profiles cover.
    pub coverage: &'a Coverage,
    /// The per-column profile of the CSV tables.
    pub fields: &'a FieldProfile,
}

const STYLE: &str = "
body { margin: 0; background: #f4f5f7; color: #222; font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 20px 40px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 0 0 10px; }
h3 { font-size: 16px; margin: 16px 0 0; }
section, header { overflow-x: auto; background: #fff; border: 1px solid #dfe1e5; border-radius: 8px; padding: 16px 18px; margin: 0 0 18px; }
.file { font-family: ui-monospace, Menlo, Consolas, monospace; color: #555; margin: 0 0 8px; word-break: break-all; }
.facts { margin: 0; }
figure { margin: 0; }
figure svg { display: block; width: 100%; height: auto; }
figcaption { color: #555; font-size: 13.5px; margin-top: 6px; }
.verdict { font-size: 17px; font-weight: 600; padding: 8px 12px; border-radius: 6px; display: inline-block; }
.valid { background: #e3f4ea; color: #11643a; }
.invalid { background: #fbe4e4; color: #9b1c1c; }
table { border-collapse: collapse; margin-top: 12px; font-size: 13.5px; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e6e7ea; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12.5px; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
footer { color: #666; font-size: 13px; text-align: center; }
";

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

pub fn swatch(color: plotters::style::RGBColor) -> String {
    format!(
        r#"<span class="swatch" style="background:{}"></span>"#,
        hex(color)
    )
}

fn figure(out: &mut String, id: &str, svg: &str, caption: &str) {
    let _ = write!(
        out,
        "<figure id=\"{id}\">\n{svg}<figcaption>{}</figcaption>\n</figure>\n",
        escape(caption)
    );
}

/// Renders the whole page.
pub fn render(page: &Page<'_>) -> Result<String> {
    let Page {
        source,
        stats,
        report,
        personas,
        ..
    } = page;
    let mut out = String::with_capacity(1 << 20);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n\
         <title>SpendSense report: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        escape(source)
    );

    // Title and facts.
    let unreadable = report.total.saturating_sub(stats.profiles);
    let _ = write!(
        out,
        "<header>\n<h1>SpendSense dataset report</h1>\n<p class=\"file\">{}</p>\n\
         <p class=\"facts\"><strong>{}</strong> profiles",
        escape(source),
        stats.profiles
    );
    if unreadable > 0 {
        let _ = write!(out, " and <strong>{unreadable}</strong> unreadable records");
    }
    let mix = if page.mix.is_equal() {
        "equal persona shares".to_string()
    } else {
        format!("the persona mix <code>{}</code>", page.mix)
    };
    let _ = write!(
        out,
        "; checked against {} persona definitions and {mix}.</p>\n</header>\n",
        escape(page.personas_source)
    );

    configuration(&mut out, page.run, page.personas_source);
    validation(&mut out, report);

    let criteria = &stats.criteria;
    out.push_str("<section id=\"personas\">\n<h2>Persona counts</h2>\n");
    figure(
        &mut out,
        "persona-counts",
        &charts::persona_counts(stats)?,
        "Profiles per persona, with their share of the readable profiles.",
    );
    out.push_str("</section>\n");

    rules_table(&mut out, stats);
    super::rules::section(&mut out, stats);

    out.push_str("<section id=\"income\">\n<h2>Income distribution per persona</h2>\n");
    let outside: u64 = stats.income_below.iter().chain(&stats.income_above).sum();
    let mut caption = format!(
        "Annual income in $10K bins from ${}K to ${}K (the last bin includes ${}K); the number after each name is its profile count.",
        INCOME_FROM / 1000,
        INCOME_TO / 1000,
        INCOME_TO / 1000
    );
    if outside > 0 {
        let _ = write!(
            caption,
            " {} profiles below ${}K and {} above ${}K are not shown.",
            stats.income_below.iter().sum::<u64>(),
            INCOME_FROM / 1000,
            stats.income_above.iter().sum::<u64>(),
            INCOME_TO / 1000
        );
    }
    figure(
        &mut out,
        "income",
        &charts::income_histograms(stats)?,
        &caption,
    );
    out.push_str("</section>\n");

    let _ = write!(
        out,
        "<section id=\"high-utilization\">\n<h2>High Utilization</h2>\n<p>Some card's utilization ≥ {}, <strong>or</strong> interest charged &gt; $0, <strong>or</strong> minimum payments only, <strong>or</strong> overdue.</p>\n",
        percent(criteria.high_utilization_min)
    );
    figure(
        &mut out,
        "utilization",
        &charts::utilization_scatter(stats)?,
        &scatter_caption(stats),
    );
    figure(
        &mut out,
        "utilization-bands",
        &charts::utilization_bands(stats)?,
        "The highest card utilization per window, as a share of each persona's profiles with a card, per band (each band includes its lower bound): High Utilization right of its line, Savings Builder left of its own.",
    );
    figure(
        &mut out,
        "high-utilization-triggers",
        &charts::high_utilization_triggers(stats)?,
        "Profiles of each persona meeting each High Utilization trigger (180-day window unless named; a profile can meet several).",
    );
    figure(
        &mut out,
        "interest",
        &charts::interest(stats)?,
        "Interest charged on the card statements dated in each window, as a share of each persona's profiles per band (each band includes its lower bound); any interest meets High Utilization.",
    );
    out.push_str("</section>\n");

    let _ = write!(
        out,
        "<section id=\"variable-income\">\n<h2>Variable Income</h2>\n<p>Median pay gap &gt; {} days <strong>and</strong> checking buffer &lt; {} of expenses. The gap is taken over the 180-day history and the buffer at the window's end, so both windows agree.</p>\n",
        criteria.variable_income_gap_above_days,
        months(criteria.variable_income_buffer_below_months)
    );
    let edge = pay_points_on_edge(stats);
    let mut caption = format!(
        "One dot per profile: {}. The shaded corner meets both rules.",
        capped("profiles", stats.pay_points.len() as u64, stats.profiles)
    );
    if edge > 0 {
        let _ = write!(
            caption,
            " {edge} profiles outside the axes are drawn on their edge."
        );
    }
    figure(
        &mut out,
        "pay-gap",
        &charts::pay_gap_scatter(stats)?,
        &caption,
    );
    figure(
        &mut out,
        "pay-gap-bands",
        &charts::pay_gap_bands(stats)?,
        "The median pay gap per window, as a share of each persona's profiles per band; the rule is strictly above its threshold, so a gap of exactly the threshold counts left of the line (other bands include their lower bound).",
    );
    figure(
        &mut out,
        "buffer",
        &charts::buffer(stats)?,
        "The checking buffer alone, per window, as a share of each persona's profiles per band (each band includes its lower bound): the rule holds left of the line.",
    );
    out.push_str("</section>\n");

    let _ = write!(
        out,
        "<section id=\"subscription-heavy\">\n<h2>Subscription-Heavy</h2>\n<p>At least {} recurring merchants <strong>and</strong> (recurring spend ≥ {} a month <strong>or</strong> ≥ {} of total spend). A merchant recurs with three charges in the 90 days ending with the window, so the count and the monthly spend are the same in both windows; the share divides by each window's spend.</p>\n",
        criteria.subscription_heavy_min_merchants,
        money(criteria.subscription_heavy_min_monthly_spend),
        percent(criteria.subscription_heavy_min_spend_share)
    );
    figure(
        &mut out,
        "recurring-merchants",
        &charts::recurring_merchants(stats)?,
        "Recurring subscription merchants per profile (housing and bills excluded) in each window, as a share of each persona's profiles.",
    );
    figure(
        &mut out,
        "recurring-spend",
        &charts::recurring_spend(stats)?,
        "What those merchants cost a month (a weekly charge × 30 / 7) in each window, as a share of each persona's profiles per band (each band includes its lower bound).",
    );
    figure(
        &mut out,
        "spend-share",
        &charts::spend_share(stats)?,
        "Recurring subscription spend as a share of each window's total monthly spend.",
    );
    out.push_str("</section>\n");

    let _ = write!(
        out,
        "<section id=\"savings-builder\">\n<h2>Savings Builder</h2>\n<p>(Savings inflow ≥ {} a month <strong>or</strong> savings growth ≥ {}) <strong>and</strong> every card's utilization &lt; {} (or no card).</p>\n",
        money(criteria.savings_builder_min_inflow),
        percent(criteria.savings_builder_min_growth),
        percent(criteria.savings_builder_utilization_below)
    );
    figure(
        &mut out,
        "savings-inflow",
        &charts::savings_inflow(stats)?,
        "Net transfers into savings accounts dated in each window, per 30 days, as a share of each persona's profiles per band (each band includes its lower bound).",
    );
    figure(
        &mut out,
        "savings-growth",
        &charts::savings_growth(stats)?,
        "Those transfers ÷ the savings balance before them: the growth of savings over each window.",
    );
    out.push_str("</section>\n");

    super::overlap::section(&mut out, stats);

    out.push_str("<section id=\"accounts\">\n<h2>Account mix</h2>\n");
    figure(
        &mut out,
        "account-mix",
        &charts::account_mix(stats)?,
        "Accounts of each kind held by each persona's profiles.",
    );
    accounts_table(&mut out, stats);
    out.push_str("</section>\n");

    super::coverage::section(&mut out, page.coverage);
    super::fields::section(&mut out, page.fields);
    super::realism::section(&mut out, page.realism);

    let _ = write!(
        out,
        "<footer>\n<p>spendsense {} · fingerprint <code>{}</code> · a static page: no scripts, nothing loaded from the network</p>\n</footer>\n",
        env!("CARGO_PKG_VERSION"),
        escape(&spendsense_generator::fingerprint(personas))
    );
    out.push_str("</main>\n</body>\n</html>\n");
    Ok(out)
}

fn validation(out: &mut String, report: &Report) {
    out.push_str("<section id=\"validation\">\n<h2>Validation</h2>\n");
    if report.is_valid() {
        out.push_str("<p class=\"verdict valid\">valid: every rule holds</p>\n</section>\n");
        return;
    }
    let listed = report.violations.len().min(LISTED);
    let _ = writeln!(
        out,
        "<p class=\"verdict invalid\">INVALID: {} violation(s)</p>\n<p>{}</p>",
        report.violation_count,
        listed_note(listed as u64, report.violation_count)
    );
    out.push_str(
        "<table id=\"violations\">\n<thead><tr><th class=\"n\" title=\"position of the profile in the input, from 1\">#</th><th>user</th><th>rule</th><th>path</th><th>message</th></tr></thead>\n<tbody>\n",
    );
    for v in report.violations.iter().take(LISTED) {
        let line = v.line.map(|l| format!(" (line {l})")).unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr><td class=\"n\">{}</td><td><code>{}</code>{}</td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td></tr>",
            v.index + 1,
            escape(&v.user_id),
            escape(&line),
            escape(&v.rule),
            escape(&v.path),
            escape(&v.message)
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// What the page says about the violations it lists: "more" only when
/// there are more than it lists.
pub fn listed_note(listed: u64, total: u64) -> String {
    match (listed, total) {
        (1, 1) => "It is listed below.".to_string(),
        (l, t) if l >= t => format!("All {t} are listed."),
        (l, _) => {
            format!("The first {l} are listed; <code>spendsense validate</code> prints more.")
        }
    }
}

fn origin(origin: &Origin, personas_source: &str) -> String {
    match origin {
        Origin::Flag(flag) => format!("flag <code>{}</code>", escape(flag)),
        Origin::Definitions => {
            format!("the {} persona definitions loaded", escape(personas_source))
        }
        Origin::Dataset => "read from the profiles".to_string(),
        Origin::Default => "assumed: the default, no flag given".to_string(),
        Origin::Manifest(path) => format!("manifest <code>{}</code>", escape(path)),
        Origin::Unknown => "not recorded in the dataset".to_string(),
    }
}

/// The run-configuration section: every setting, its value and its origin.
fn configuration(out: &mut String, run: &RunConfig, personas_source: &str) {
    out.push_str("<section id=\"configuration\">\n<h2>Run configuration</h2>\n<p>How the dataset was generated, as far as this report can tell, and where each value comes from.</p>\n<table id=\"run-configuration\">\n<thead><tr><th>setting</th><th>value</th><th>from</th></tr></thead>\n<tbody>\n");
    fn row<T>(
        out: &mut String,
        name: &str,
        setting: &Setting<T>,
        show: impl Fn(&T) -> String,
        personas_source: &str,
    ) {
        let value = setting.value.as_ref().map_or("unknown".to_string(), |v| {
            format!("<code>{}</code>", escape(&show(v)))
        });
        let _ = writeln!(
            out,
            "<tr><td>{name}</td><td>{value}</td><td>{}</td></tr>",
            origin(&setting.origin, personas_source)
        );
    }
    row(out, "seed", &run.seed, |v| v.to_string(), personas_source);
    row(out, "count", &run.count, |v| v.to_string(), personas_source);
    row(out, "mix", &run.mix, |v| v.to_string(), personas_source);
    row(
        out,
        "overlap",
        &run.overlap,
        |v| v.to_string(),
        personas_source,
    );
    row(
        out,
        "persona fingerprint",
        &run.fingerprint,
        |v| v.clone(),
        personas_source,
    );
    row(out, "as_of", &run.as_of, |v| v.to_string(), personas_source);
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// `all N what`, or `the first CAP of N what (capped …)`.
fn capped(what: &str, shown: u64, total: u64) -> String {
    if total > shown {
        format!("the first {SCATTER_CAP} of {total} {what} (capped to keep the page small)")
    } else {
        format!("all {total} {what}")
    }
}

/// Per window, how many of each persona's profiles meet each rule.
fn rules_table(out: &mut String, stats: &Stats) {
    out.push_str(
        "<section id=\"rules\">\n<h2>Detection rules met</h2>\n<p>Each profile's signals in the 30-day and the 180-day window, classified with the criteria of the definitions (each persona's section below draws its rule); a persona's own rule should hold for all its profiles, and no other rule except for deliberate overlap (control profiles meet none).</p>\n",
    );
    out.push_str("<table>\n<thead><tr><th>persona</th><th>window</th>");
    for (i, persona) in PersonaId::ALL.into_iter().enumerate() {
        let name = if persona == PersonaId::Control {
            "none"
        } else {
            persona_label(persona)
        };
        let _ = write!(
            out,
            "<th class=\"n\">{}{}</th>",
            swatch(PERSONA_COLORS[i]),
            name
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (i, persona) in PersonaId::ALL.into_iter().enumerate() {
        for (w, window) in WINDOWS.into_iter().enumerate() {
            let _ = write!(
                out,
                "<tr><td>{}{}</td><td>{}</td>",
                swatch(PERSONA_COLORS[i]),
                persona_label(persona),
                window.as_str()
            );
            for count in stats.matched[w][i] {
                let _ = write!(out, "<td class=\"n\">{count}</td>");
            }
            out.push_str("</tr>\n");
        }
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn accounts_table(out: &mut String, stats: &Stats) {
    let kinds = if stats.has_other_accounts() { 4 } else { 3 };
    out.push_str("<table>\n<thead><tr><th>persona</th><th class=\"n\">profiles</th>");
    for kind in 0..kinds {
        let _ = write!(
            out,
            "<th class=\"n\">{}{}</th>",
            swatch(ACCOUNT_COLORS[kind]),
            ACCOUNT_KINDS[kind]
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (i, persona) in PersonaId::ALL.into_iter().enumerate() {
        let _ = write!(
            out,
            "<tr><td>{}{}</td><td class=\"n\">{}</td>",
            swatch(PERSONA_COLORS[i]),
            persona_label(persona),
            stats.counts[i]
        );
        for kind in 0..kinds {
            let _ = write!(out, "<td class=\"n\">{}</td>", stats.accounts[i][kind]);
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}
