//! `spendsense report`: one self-contained HTML page describing a dataset.
//!
//! The dataset streams past once, as for `validate`: every profile goes to the
//! [`Validator`] and to [`Stats`], whose memory does not grow with the file
//! (see [`spendsense_export::stats`]). The page is then rendered in memory (its size is bounded
//! too) and written atomically through [`Output`].

mod charts;
mod coverage;
mod fields;
mod html;
mod overlap;
mod realism;
mod rules;
pub mod run_config;

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use spendsense_generator::realism::Marginals;
#[cfg(test)]
use spendsense_personas::Mix;
use spendsense_personas::Personas;
use spendsense_schema::codec::{ReadError, Record};
use spendsense_schema::{ProfileFormat, read_located_profiles};
use spendsense_validate::{Checked, Report, Validator};

use crate::Failure;
use crate::args::ReportArgs;
use crate::commands::validate::{Dataset, Input};
use crate::output::Output;
use html::Page;
use run_config::{Known, RunConfig};
use spendsense_export::stats::Stats;
use spendsense_export::stats::coverage::Coverage;
use spendsense_export::stats::fields::FieldProfile;

pub fn run(args: ReportArgs) -> Result<ExitCode, Failure> {
    // Refuse an unusable output path before reading a possibly huge input.
    crate::output::refuse_overwriting_report_inputs(&args)?;
    let mut output = Output::open(Some(&args.output)).map_err(Failure::Usage)?;
    let (mut input, dataset) = Dataset::open(&args.dataset)?;
    let (personas, mix, name) = (&dataset.personas, dataset.mix, &dataset.name);
    let Gathered {
        stats,
        report,
        marginals,
        coverage,
        fields,
    } = gather_checked(&mut input, &dataset)?;
    dataset.require_profiles(&report)?;
    let mut run = RunConfig::from_report(Known {
        mix_flag: args.dataset.mix,
        personas,
        profiles: stats.profiles,
        as_of: stats.as_of,
    });
    if let Some((shown, manifest)) = &dataset.manifest {
        let recorded = RunConfig::from_manifest(
            shown,
            manifest,
            args.dataset.mix.is_some(),
            args.dataset.personas.is_some(),
        );
        run = run.with(recorded);
    }
    let personas_source = &dataset.personas_source;
    let page = html::render(&Page {
        source: name,
        stats: &stats,
        report: &report,
        personas,
        personas_source,
        mix,
        realism: &marginals.realism(),
        run: &run,
        coverage: &coverage,
        fields: &fields,
    })?;
    output.write_all(page.as_bytes())?;
    output.commit()?;
    let verdict = if report.is_valid() {
        "valid".to_string()
    } else {
        format!("INVALID, {} violation(s)", report.violation_count)
    };
    if !args.dataset.quiet {
        let _ = writeln!(
            io::stderr(),
            "wrote report of {} profiles ({verdict}; {}) to {}",
            crate::commands::count(stats.profiles),
            crate::commands::size(page.len() as u64),
            spendsense_schema::text::escape(&crate::output::display(&args.output))
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Everything one pass over the input gathers; each part's memory is bounded by counts.
#[derive(Debug)]
struct Gathered {
    stats: Stats,
    report: Report,
    marginals: Marginals,
    coverage: Coverage,
    fields: FieldProfile,
}

/// [`Gathered`] before its validator is finished, and the records read.
struct Pass<'p> {
    stats: Stats,
    validator: Validator<'p>,
    marginals: Marginals,
    coverage: Coverage,
    fields: FieldProfile,
    records: u64,
}

impl Pass<'_> {
    fn finish(self) -> Gathered {
        Gathered {
            stats: self.stats,
            report: self.validator.finish(),
            marginals: self.marginals,
            coverage: self.coverage,
            fields: self.fields,
        }
    }
}

/// Streams `input` once into `validator`, the chart and table aggregates,
/// the range coverage, the field profile and the realism marginals;
/// `check` runs after each profile's validation.
fn gather_into<'p>(
    input: impl BufRead,
    format: ProfileFormat,
    personas: &Personas,
    mut validator: Validator<'p>,
    mut check: impl FnMut(&mut Validator<'p>, u64, &Checked),
) -> Result<Pass<'p>, ReadError> {
    let mut stats = Stats::new(&personas.criteria);
    let mut marginals = Marginals::new();
    let mut coverage = Coverage::new(personas);
    let mut fields = FieldProfile::default();
    let records = read_located_profiles(input, format, |at, record: Record| match record {
        Ok(profile) => {
            let checked = validator.checker().check(&profile, at.line);
            validator.push_checked(&checked);
            check(&mut validator, at.index, &checked);
            stats.push(&profile);
            marginals.push(&profile);
            coverage.push(&profile);
            fields.push_profile(&profile);
        }
        Err(err) => validator.push_unreadable(err.location.line, &err.path, err.message),
    })?;
    Ok(Pass {
        stats,
        validator,
        marginals,
        coverage,
        fields,
        records,
    })
}

/// [`gather_into`] with a plain validator of `personas` and `mix`.
#[cfg(test)]
fn gather(
    input: impl BufRead,
    format: ProfileFormat,
    personas: &Personas,
    mix: Mix,
) -> Result<Gathered, ReadError> {
    let validator = Validator::with_mix(personas, mix);
    Ok(gather_into(input, format, personas, validator, |_, _, _| {})?.finish())
}

/// One pass over a dataset as `validate` checks it: its manifest's mix,
/// definitions, shard start and file checks (see [`Dataset`]).
fn gather_checked(input: &mut Input, dataset: &Dataset) -> Result<Gathered, Failure> {
    let check = |validator: &mut Validator, index, profile: &Checked| {
        dataset.check(validator, index, profile)
    };
    let mut pass = gather_into(
        &mut *input,
        dataset.format,
        &dataset.personas,
        dataset.validator(),
        check,
    )
    .map_err(|err| dataset.unreadable(err))?;
    dataset.finish(input, &mut pass.validator, pass.records)?;
    Ok(pass.finish())
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::io::Cursor;

    use spendsense_generator::{Generator, GeneratorConfig};
    use spendsense_schema::{PersonaId, UserProfile, write_profiles};

    use super::charts::{PERSONA_COLORS, bar_label, hex};
    use super::*;
    use crate::args::InputFormat;
    use spendsense_export::stats::SCATTER_CAP;

    const SVG_NS: &str = "http://www.w3.org/2000/svg";

    /// The `id` of every chart's `<figure>`, in page order.
    const CHARTS: [&str; 15] = [
        "persona-counts",
        "income",
        "utilization",
        "utilization-bands",
        "high-utilization-triggers",
        "interest",
        "pay-gap",
        "pay-gap-bands",
        "buffer",
        "recurring-merchants",
        "recurring-spend",
        "spend-share",
        "savings-inflow",
        "savings-growth",
        "account-mix",
    ];

    fn profiles(seed: u64, count: u64, mix: Mix) -> Vec<UserProfile> {
        let config = GeneratorConfig {
            mix,
            ..GeneratorConfig::new(seed, count)
        };
        Generator::new(&config).unwrap().iter().collect()
    }

    /// What the command gathers from `profiles`, read back through the JSONL codec.
    fn gathered(profiles: &[UserProfile], personas: &Personas, mix: Mix) -> Gathered {
        let bytes = write_profiles(Vec::new(), ProfileFormat::Jsonl, profiles).unwrap();
        gather(Cursor::new(bytes), ProfileFormat::Jsonl, personas, mix).unwrap()
    }

    /// The page of `gathered`, as the command renders it (without a `--mix` flag).
    fn render(gathered: &Gathered, personas: &Personas, mix: Mix, source: &str) -> String {
        let run = RunConfig::from_report(Known {
            mix_flag: None,
            personas,
            profiles: gathered.stats.profiles,
            as_of: gathered.stats.as_of,
        });
        html::render(&Page {
            source,
            stats: &gathered.stats,
            report: &gathered.report,
            personas,
            personas_source: "the built-in",
            mix,
            realism: &gathered.marginals.realism(),
            run: &run,
            coverage: &gathered.coverage,
            fields: &gathered.fields,
        })
        .unwrap()
    }

    /// The page for `profiles`, read back through the JSONL codec as the command does.
    fn page(profiles: &[UserProfile], mix: Mix) -> String {
        let personas = Personas::spendsense();
        render(
            &gathered(profiles, &personas, mix),
            &personas,
            mix,
            "data/<users>&.jsonl",
        )
    }

    /// Every `<svg>…</svg>` block of the page, as text.
    fn svg_blocks(page: &str) -> Vec<&str> {
        page.match_indices("<svg ")
            .map(|(start, _)| {
                let end = page[start..].find("</svg>").expect("every <svg> is closed");
                &page[start..start + end + "</svg>".len()]
            })
            .collect()
    }

    /// The structural promises every page keeps.
    fn check(page: &str) {
        // `<!DOCTYPE html>` is a (trivial) DTD, which roxmltree only reads when asked.
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        let doc = roxmltree::Document::parse_with_options(page, options)
            .unwrap_or_else(|err| panic!("the page is not well-formed: {err}"));
        let svgs: Vec<_> = doc
            .descendants()
            .filter(|n| n.tag_name().name() == "svg")
            .collect();
        assert_eq!(svgs.len(), CHARTS.len(), "one <svg> per chart");
        for figure in doc
            .descendants()
            .filter(|n| n.tag_name().name() == "figure")
        {
            let inner = figure
                .children()
                .filter(|n| n.tag_name().name() == "svg")
                .count();
            assert_eq!(inner, 1, "each figure holds exactly one chart");
        }
        let ids: Vec<&str> = doc
            .descendants()
            .filter(|n| n.tag_name().name() == "figure")
            .filter_map(|n| n.attribute("id"))
            .collect();
        assert_eq!(ids, CHARTS, "every chart, in page order");
        for block in svg_blocks(page) {
            let svg = roxmltree::Document::parse(block)
                .unwrap_or_else(|err| panic!("a chart is not well-formed SVG: {err}"));
            let root = svg.root_element();
            assert_eq!(root.tag_name().namespace(), Some(SVG_NS));
            assert!(root.attribute("viewBox").is_some());
            assert!(
                root.descendants()
                    .any(|n| n.tag_name().name() == "text" && n.text().is_some()),
                "charts carry readable text"
            );
        }
        let lower = page.to_lowercase();
        assert!(!lower.contains("<script"), "no scripts");
        let without_ns = lower.replace(SVG_NS, "");
        for needle in ["http://", "https://", "href=", "src=", "url(", "@import"] {
            assert!(
                !without_ns.contains(needle),
                "`{needle}` would load something from outside the page"
            );
        }
    }

    /// The `<svg>` of the chart whose figure is `id`.
    fn chart<'p>(page: &'p str, id: &str) -> &'p str {
        let index = CHARTS.iter().position(|c| *c == id).expect("a known chart");
        let block = svg_blocks(page)[index];
        let figure = format!("<figure id=\"{id}\">");
        let at = page.find(&figure).expect("the chart's figure");
        assert!(page[at..].starts_with(&format!("{figure}\n{block}")));
        block
    }

    /// The text of every `<text>` element of the chart whose figure is `id`.
    fn chart_texts(page: &str, id: &str) -> Vec<String> {
        let block = chart(page, id);
        let svg = roxmltree::Document::parse(block).unwrap();
        svg.descendants()
            .filter(|n| n.tag_name().name() == "text")
            .filter_map(|n| n.text().map(|t| t.trim().to_string()))
            .collect()
    }

    #[test]
    fn report_is_well_formed_and_self_contained() {
        for (seed, count) in [(42, 100), (7, 1), (3, 537)] {
            let page = page(&profiles(seed, count, Mix::equal()), Mix::equal());
            check(&page);
            assert!(page.contains("valid: every rule holds"));
            assert!(page.contains("<h1>SpendSense dataset report</h1>"));
            assert!(page.contains("data/&lt;users&gt;&amp;.jsonl"));
            assert!(page.contains(&format!("<strong>{count}</strong> profiles")));
            let fingerprint = spendsense_generator::fingerprint(&Personas::spendsense());
            assert!(page.contains(&fingerprint));
            assert!(page.contains(&format!("spendsense {}", env!("CARGO_PKG_VERSION"))));
        }
    }

    #[test]
    fn persona_chart_has_a_labelled_bar_per_persona() {
        let mix = Mix::parse(
            "high_utilization=40,variable_income=15,subscription_heavy=15,savings_builder=15,control=15",
        )
        .unwrap();
        let page = page(&profiles(11, 200, mix), mix);
        check(&page);
        let expected = [80, 30, 30, 30, 30];
        let texts = chart_texts(&page, "persona-counts");
        for (i, persona) in PersonaId::ALL.into_iter().enumerate() {
            let label = bar_label(expected[i], 200);
            assert_eq!(
                texts.iter().filter(|t| **t == label).count(),
                if expected[i] == 80 { 1 } else { 4 },
                "bar label {label} of {persona}"
            );
            assert!(texts.iter().any(|t| t == charts::persona_label(persona)));
        }
        assert_eq!(bar_label(80, 200), "80 (40.0%)");
        // One filled bar per persona, in its colour.
        let block = chart(&page, "persona-counts");
        let svg = roxmltree::Document::parse(block).unwrap();
        for color in PERSONA_COLORS {
            let bars = svg
                .descendants()
                .filter(|n| n.tag_name().name() == "rect")
                .filter(|n| {
                    n.attribute("fill")
                        .is_some_and(|f| f.eq_ignore_ascii_case(&hex(color)))
                })
                .count();
            assert_eq!(bars, 1, "one bar in {}", hex(color));
        }
    }

    #[test]
    fn charts_show_thresholds_and_every_account_kind() {
        let all = profiles(42, 100, Mix::equal());
        let with_cards = all
            .iter()
            .filter(|p| p.accounts.iter().any(|a| a.is_credit_card()))
            .count();
        let page = page(&all, Mix::equal());
        let has = |id: &str, label: &str| {
            let texts = chart_texts(&page, id);
            assert!(
                texts.iter().any(|t| t == label),
                "chart {id} names `{label}`: {texts:?}"
            );
        };
        has("utilization", "High Utilization: some card ≥ 50%");
        has("utilization", "Savings Builder: every card < 30%");
        assert!(page.contains(&format!("all {with_cards} profiles with a credit card")));
        for label in [
            "some card ≥ 50%",
            "interest > $0 (30d)",
            "interest > $0 (180d)",
            "minimum payments only",
            "overdue",
        ] {
            has("high-utilization-triggers", label);
        }
        has("interest", "High Utilization: interest > $0");
        has("pay-gap", "Variable Income: median pay gap > 45 days");
        has("pay-gap", "Variable Income: buffer < 1 month");
        has("pay-gap", "Variable Income: both");
        has("recurring-merchants", "Subscription-Heavy: ≥ 3 merchants");
        has("recurring-spend", "Subscription-Heavy: ≥ $50/month");
        has("spend-share", "Subscription-Heavy: ≥ 10% of spend");
        has("savings-inflow", "Savings Builder: ≥ $200/month");
        has("savings-growth", "Savings Builder: ≥ 2% growth");
        // Signals that differ by window get a panel per window, each with its line.
        has("buffer", "Variable Income: buffer < 1 month");
        has("pay-gap-bands", "Variable Income: median pay gap > 45 days");
        has("utilization-bands", "High Utilization: some card ≥ 50%");
        has("utilization-bands", "Savings Builder: every card < 30%");
        for id in [
            "utilization-bands",
            "pay-gap-bands",
            "interest",
            "buffer",
            "recurring-merchants",
            "recurring-spend",
            "spend-share",
            "savings-inflow",
            "savings-growth",
        ] {
            let texts = chart_texts(&page, id);
            for title in ["30-day window", "180-day window"] {
                assert_eq!(texts.iter().filter(|t| *t == title).count(), 1, "{id}");
            }
            let lines = texts.iter().filter(|t| t.contains(": ")).count();
            // Utilization carries two rules: High Utilization's and Savings Builder's.
            let rules = if id == "utilization-bands" { 2 } else { 1 };
            assert_eq!(lines, 2 * rules, "{id} draws its thresholds in both panels");
        }
        // Every persona is named in the legend of each rule chart.
        for id in &CHARTS[5..14] {
            let texts = chart_texts(&page, id);
            for persona in PersonaId::ALL {
                assert!(
                    texts.iter().any(|t| t == charts::persona_label(persona)),
                    "{id}"
                );
            }
        }
        let accounts = chart_texts(&page, "account-mix");
        for kind in ["checking", "savings", "credit card"] {
            assert!(accounts.iter().any(|t| t == kind), "legend names {kind}");
        }
        // Every profile has one checking account, so each persona's checking bar reads 20.
        assert!(accounts.iter().filter(|t| *t == "20").count() >= 5);
    }

    #[test]
    fn rules_table_shows_each_persona_meeting_its_own_rule() {
        let page = page(&profiles(42, 100, Mix::equal()), Mix::equal());
        check(&page);
        let start = page.find("<section id=\"rules\">").unwrap();
        let end = start + page[start..].find("</section>").unwrap();
        let table = &page[start..end];
        // Ten rows (five personas × two windows), each with 20 on its diagonal.
        assert_eq!(table.matches("<tr><td>").count(), 10);
        for row in table.split("<tr><td>").skip(1) {
            let cells: Vec<&str> = row
                .split("<td class=\"n\">")
                .skip(1)
                .map(|c| c.split('<').next().unwrap())
                .collect();
            assert_eq!(cells.iter().filter(|c| **c == "20").count(), 1, "{row}");
            assert_eq!(cells.iter().filter(|c| **c == "0").count(), 4, "{row}");
        }
    }

    #[test]
    fn charts_follow_the_criteria_of_the_definitions() {
        use rust_decimal::Decimal;
        let mut criteria = spendsense_personas::Criteria::spendsense();
        criteria.variable_income_gap_above_days = 40;
        criteria.variable_income_buffer_below_months = Decimal::new(15, 1);
        criteria.subscription_heavy_min_merchants = 4;
        criteria.savings_builder_min_inflow = Decimal::from(300);
        criteria.savings_builder_min_growth = Decimal::new(25, 3);
        criteria.high_utilization_min = Decimal::new(55, 2);
        criteria.savings_builder_utilization_below = Decimal::new(25, 2);
        let mut stats = Stats::new(&criteria);
        for profile in profiles(42, 50, Mix::equal()) {
            stats.push(&profile);
        }
        let texts = |svg: String| {
            let svg = roxmltree::Document::parse(&svg).unwrap();
            svg.descendants()
                .filter_map(|n| n.text().map(|t| t.trim().to_string()))
                .collect::<Vec<_>>()
        };
        let pay = texts(charts::pay_gap_scatter(&stats).unwrap());
        assert!(pay.contains(&"Variable Income: median pay gap > 40 days".to_string()));
        assert!(pay.contains(&"Variable Income: buffer < 1.5 months".to_string()));
        let gap = texts(charts::pay_gap_bands(&stats).unwrap());
        assert!(gap.contains(&"Variable Income: median pay gap > 40 days".to_string()));
        assert!(gap.contains(&"40–100".to_string()), "{gap:?}");
        let utilization = texts(charts::utilization_bands(&stats).unwrap());
        assert!(utilization.contains(&"High Utilization: some card ≥ 55%".to_string()));
        assert!(utilization.contains(&"Savings Builder: every card < 25%".to_string()));
        assert!(
            utilization.contains(&"25%–55%".to_string()),
            "{utilization:?}"
        );
        let buffer = texts(charts::buffer(&stats).unwrap());
        assert!(buffer.contains(&"Variable Income: buffer < 1.5 months".to_string()));
        assert!(buffer.contains(&"1.5–3.75".to_string()), "{buffer:?}");
        let merchants = texts(charts::recurring_merchants(&stats).unwrap());
        assert!(merchants.contains(&"Subscription-Heavy: ≥ 4 merchants".to_string()));
        let inflow = texts(charts::savings_inflow(&stats).unwrap());
        assert!(inflow.contains(&"Savings Builder: ≥ $300/month".to_string()));
        assert!(inflow.contains(&"$300–$750".to_string()));
        let growth = texts(charts::savings_growth(&stats).unwrap());
        assert!(growth.contains(&"Savings Builder: ≥ 2.5% growth".to_string()));
    }

    #[test]
    fn rule_tables_follow_the_criteria_of_the_definitions() {
        use rust_decimal::Decimal;
        let mut criteria = spendsense_personas::Criteria::spendsense();
        criteria.high_utilization_min = Decimal::new(55, 2);
        criteria.variable_income_gap_above_days = 40;
        criteria.variable_income_buffer_below_months = Decimal::new(15, 1);
        criteria.subscription_heavy_min_merchants = 4;
        criteria.subscription_heavy_min_monthly_spend = Decimal::from(75);
        criteria.subscription_heavy_min_spend_share = Decimal::new(125, 3);
        criteria.savings_builder_min_inflow = Decimal::from(300);
        criteria.savings_builder_min_growth = Decimal::new(25, 3);
        criteria.savings_builder_utilization_below = Decimal::new(25, 2);
        for (seed, count) in [(42, 50), (8, 120)] {
            let mut stats = Stats::new(&criteria);
            for profile in profiles(seed, count, Mix::equal()) {
                stats.push(&profile);
            }
            let mut out = String::new();
            rules::section(&mut out, &stats);
            let headers: Vec<String> = out
                .split("<th class=\"n\">")
                .skip(1)
                .map(|h| h.split("</th>").next().unwrap().to_string())
                .collect();
            for expected in [
                "highest card utilization ≥ 55%",
                "interest charged &gt; $0",
                "minimum payments only",
                "overdue",
                "median pay gap &gt; 40 days",
                "checking buffer &lt; 1.5 months",
                "recurring merchants ≥ 4",
                "recurring spend a month ≥ $75",
                "recurring share of spend ≥ 12.5%",
                "savings inflow a month ≥ $300",
                "savings growth ≥ 2.5%",
                "highest card utilization &lt; 25%",
            ] {
                assert_eq!(
                    headers.iter().filter(|h| *h == expected).count(),
                    1,
                    "`{expected}` heads one column: {headers:?}"
                );
            }
            // The same tests, with the thresholds the stats carry.
            for test in &stats.rules.tests {
                assert_eq!(
                    *test,
                    spendsense_export::stats::rules::Test::of(test.kind, &criteria)
                );
            }
            // Each table has a row per persona and window.
            for persona in PersonaId::ALL.into_iter().take(4) {
                let id = rules::table_id(persona);
                let at = out.find(&format!("<table id=\"{id}\">")).unwrap();
                let table = &out[at..at + out[at..].find("</table>").unwrap()];
                assert_eq!(table.matches("<tr><td>").count(), 10, "{id}");
            }
        }
    }

    #[test]
    fn listed_note_says_more_only_when_there_is_more() {
        assert_eq!(html::listed_note(1, 1), "It is listed below.");
        assert_eq!(html::listed_note(3, 3), "All 3 are listed.");
        assert!(html::listed_note(20, 21).contains("prints more"));
        assert!(html::listed_note(20, 20).starts_with("All 20"));
    }

    #[test]
    fn invalid_dataset_lists_the_first_violations() {
        let mut broken = profiles(42, 100, Mix::equal());
        for profile in broken.iter_mut().take(30) {
            profile.demographics.state = "PR".into();
            profile.identity.address.region = "PR".into();
        }
        let page = page(&broken, Mix::equal());
        check(&page);
        assert!(page.contains("INVALID: 30 violation(s)"));
        assert!(!page.contains("valid: every rule holds"));
        assert_eq!(
            page.matches("<code>unknown-state</code>").count(),
            html::LISTED
        );
        assert!(page.contains("<code>user_MASKED_000</code>"));
        assert!(page.contains("<code>user_MASKED_019</code>"));
        assert!(!page.contains("<code>user_MASKED_020</code>"));
    }

    #[test]
    fn unreadable_records_and_outlying_incomes_are_reported() {
        let mut some = profiles(5, 10, Mix::equal());
        some[3].annual_income = rust_decimal::Decimal::from(250_000);
        let mut bytes = write_profiles(Vec::new(), ProfileFormat::Jsonl, &some).unwrap();
        bytes.extend_from_slice(b"{\"user_id\":\"x\"}\n");
        let personas = Personas::spendsense();
        let gathered = gather(
            Cursor::new(bytes),
            ProfileFormat::Jsonl,
            &personas,
            Mix::equal(),
        )
        .unwrap();
        assert_eq!((gathered.stats.profiles, gathered.report.total), (10, 11));
        let page = render(&gathered, &personas, Mix::equal(), "x.jsonl");
        check(&page);
        assert!(page.contains("<strong>1</strong> unreadable records"));
        assert!(page.contains("0 profiles below $20K and 1 above $200K are not shown"));
        assert!(page.contains("unreadable-record"));
    }

    #[test]
    fn hostile_values_are_drawn_without_panicking() {
        use rust_decimal::Decimal;
        use spendsense_schema::Date;
        let mut hostile = profiles(42, 10, Mix::equal());
        let extreme = |i: usize| {
            if i.is_multiple_of(2) {
                Decimal::MAX
            } else {
                Decimal::MIN
            }
        };
        for (i, profile) in hostile.iter_mut().enumerate() {
            profile.annual_income = extreme(i);
            profile.characteristics.target_savings_monthly = Decimal::MIN;
            for account in &mut profile.accounts {
                account.balances.current = Some(if i % 3 == 0 {
                    Decimal::MIN
                } else {
                    Decimal::MAX
                });
                account.balances.limit = Some(Decimal::new(1, 28));
            }
            let plan = &mut profile.plan;
            // Absurd dates: the end of the calendar, its start, or a history
            // that ends before it begins.
            match i % 3 {
                0 => plan.as_of = Date::MAX,
                1 => plan.as_of = Date::MIN,
                _ => std::mem::swap(&mut plan.as_of, &mut plan.history_start),
            }
            plan.monthly_expenses = if i.is_multiple_of(4) {
                Decimal::ZERO
            } else {
                extreme(i + 1)
            };
            for paycheck in &mut plan.income.paychecks {
                paycheck.amount = extreme(i);
            }
            plan.income.paychecks.reverse();
            for charge in &mut plan.recurring {
                charge.amount = extreme(i);
                charge.first_charge = Date::MIN;
            }
            for card in &mut plan.cards {
                card.interest_per_statement = extreme(i);
                card.payment = spendsense_schema::CardPayment::MinimumOnly;
            }
            if let Some(transfers) = &mut plan.savings_transfers {
                transfers.amount = extreme(i + 1);
                transfers.first_transfer = Date::MIN;
            }
        }
        let personas = Personas::spendsense();
        // Built without the validator, which is not what this test is about.
        let without_validation = |profiles: &[UserProfile]| {
            let mut gathered = Gathered {
                stats: Stats::default(),
                report: Validator::new(&personas).finish(),
                marginals: Marginals::new(),
                coverage: Coverage::new(&personas),
                fields: FieldProfile::default(),
            };
            for profile in profiles {
                gathered.stats.push(profile);
                gathered.marginals.push(profile);
                gathered.coverage.push(profile);
                gathered.fields.push_profile(profile);
            }
            gathered
        };
        let page = render(
            &without_validation(&hostile),
            &personas,
            Mix::equal(),
            "hostile.json",
        );
        check(&page);
        assert!(page.contains("5 profiles below $20K and 5 above $200K are not shown"));
        assert!(page.contains("profiles outside the axes are drawn on their edge"));
        // A dataset of nothing but extremes still draws every chart.
        check(&render(
            &without_validation(&hostile[..1]),
            &personas,
            Mix::equal(),
            "one.json",
        ));
    }

    /// The rows of the table with `id`, each as its cells' texts.
    fn table_rows(page: &str, id: &str) -> Vec<Vec<String>> {
        let start = page.find(&format!("<table id=\"{id}\">")).unwrap();
        let end = start + page[start..].find("</table>").unwrap();
        let body = &page[start..end];
        let body = &body[body.find("<tbody>").unwrap()..];
        body.split("<tr>")
            .skip(1)
            .map(|row| {
                row.split("<td")
                    .skip(1)
                    .map(|cell| {
                        let text = &cell[cell.find('>').unwrap() + 1..];
                        text[..text.find("</td>").unwrap()].to_string()
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn realism_section_sets_the_data_beside_the_reference_tables() {
        let mut some = profiles(42, 2_000, Mix::equal());
        let page = page(&some, Mix::equal());
        check(&page);
        let states = table_rows(&page, "realism-states");
        assert_eq!(states.len(), 51);
        let california = states.iter().find(|r| r[0] == "CA").unwrap();
        assert_eq!(california[3], "11.9%");
        let counted: u64 = states.iter().map(|r| r[1].parse::<u64>().unwrap()).sum();
        assert_eq!(counted, 2_000);
        assert_eq!(table_rows(&page, "realism-ages").len(), 7);
        assert_eq!(table_rows(&page, "realism-pay").len(), 4);
        assert_eq!(table_rows(&page, "realism-income").len(), 10);
        assert_eq!(table_rows(&page, "realism-parity-age").len(), 7);
        assert_eq!(table_rows(&page, "realism-parity-region").len(), 4);
        let summary = table_rows(&page, "realism-summary");
        let zip = summary.iter().find(|r| r[0].starts_with("ZIP")).unwrap();
        assert_eq!(zip[1], "100.0%");
        // A ZIP of another state is seen.
        for profile in some.iter_mut().take(20) {
            profile.identity.address.postal_code = if profile.demographics.state == "CA" {
                "10001".into()
            } else {
                "90210".into()
            };
        }
        let summary = table_rows(&super::tests::page(&some, Mix::equal()), "realism-summary");
        let zip = summary.iter().find(|r| r[0].starts_with("ZIP")).unwrap();
        assert_eq!(zip[1], "99.0%");
    }

    #[test]
    fn scatter_keeps_the_first_profiles_with_cards_only() {
        let one = profiles(42, 100, Mix::equal())
            .into_iter()
            .find(|p| p.accounts.iter().any(|a| a.is_credit_card()))
            .unwrap();
        let mut stats = Stats::default();
        for _ in 0..SCATTER_CAP + 7 {
            stats.push(&one);
        }
        assert_eq!(stats.points.len(), SCATTER_CAP);
        assert_eq!(stats.pay_points.len(), SCATTER_CAP);
        assert_eq!(stats.with_cards, SCATTER_CAP as u64 + 7);
        assert_eq!(stats.profiles, SCATTER_CAP as u64 + 7);
        assert!(charts::scatter_caption(&stats).contains(&format!(
            "the first {SCATTER_CAP} of {} profiles",
            SCATTER_CAP + 7
        )));
    }

    #[test]
    fn run_writes_the_page_and_refuses_unreadable_input() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("users.jsonl");
        let bytes = write_profiles(
            Vec::new(),
            ProfileFormat::Jsonl,
            &profiles(42, 50, Mix::equal()),
        )
        .unwrap();
        fs::write(&input, bytes).unwrap();
        let output = dir.path().join("report.html");
        let args = |path: &std::path::Path| ReportArgs {
            dataset: crate::args::DatasetArgs {
                path: path.to_path_buf(),
                input_format: InputFormat::Auto,
                personas: None,
                mix: None,
                manifest: None,
                no_manifest: false,
                quotas: crate::args::QuotaCheck::Auto,
                shard: None,
                num_users: None,
                seed: None,
                quiet: false,
            },
            output: output.clone(),
        };
        assert_eq!(run(args(&input)).unwrap(), ExitCode::SUCCESS);
        let page = fs::read_to_string(&output).unwrap();
        check(&page);
        assert!(page.contains(&input.display().to_string()));

        fs::remove_file(&output).unwrap();
        let empty = dir.path().join("empty.json");
        fs::write(&empty, "[]").unwrap();
        match run(args(&empty)) {
            Err(Failure::Usage(err)) => assert!(err.to_string().contains("holds no profiles")),
            other => panic!("expected a usage error, got {other:?}"),
        }
        assert!(!output.exists(), "no page is left behind");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            2,
            "no temporary file either"
        );
    }
}
