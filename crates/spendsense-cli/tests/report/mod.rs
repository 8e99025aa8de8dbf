//! `spendsense report` on datasets the binary generates, with and without
//! `--overlap` and `--mix`: every section is there in its stable order, and
//! each table says what the data and the definitions say.

use std::fs;
use std::path::Path;

use rust_decimal::Decimal;
use spendsense_personas::{Criteria, Personas};
use spendsense_schema::{ProfileFormat, UserProfile};

use super::bin;

/// The `id` of every `<section>`, in page order.
const SECTIONS: [&str; 15] = [
    "configuration",
    "validation",
    "personas",
    "rules",
    "rule-tests",
    "income",
    "high-utilization",
    "variable-income",
    "subscription-heavy",
    "savings-builder",
    "overlap",
    "accounts",
    "coverage",
    "fields",
    "realism",
];

/// The profiles of a JSONL file.
fn read(path: &Path) -> Vec<UserProfile> {
    let bytes = fs::read(path).unwrap();
    let mut profiles = Vec::new();
    spendsense_schema::read_profiles(&bytes[..], ProfileFormat::Jsonl, |record| {
        profiles.push(record.expect("a readable profile"));
    })
    .unwrap();
    profiles
}

/// Runs the binary in `dir` and insists on success.
fn ok(dir: &Path, args: &[&str]) -> String {
    let output = bin().args(args).current_dir(dir).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "spendsense {args:?}: {stderr}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A generated dataset, its profiles and its report page.
struct Case {
    profiles: Vec<UserProfile>,
    page: String,
    /// `--seed`, and whether the report read the run manifest.
    seed: String,
    manifest: bool,
}

fn case(seed: u64, count: u64, extra: &[&str], report_extra: &[&str]) -> Case {
    let dir = tempfile::tempdir().unwrap();
    let (seed, count) = (seed.to_string(), count.to_string());
    let mut args = vec![
        "generate", "--seed", &seed, "-n", &count, "--format", "jsonl", "-q", "-o", "u.jsonl",
    ];
    args.extend_from_slice(extra);
    ok(dir.path(), &args);
    let mut args = vec!["report", "u.jsonl", "-o", "r.html"];
    args.extend_from_slice(report_extra);
    ok(dir.path(), &args);
    Case {
        profiles: read(&dir.path().join("u.jsonl")),
        page: fs::read_to_string(dir.path().join("r.html")).unwrap(),
        manifest: !report_extra.contains(&"--no-manifest"),
        seed,
    }
}

fn parse(page: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(page, options).expect("a well-formed page")
}

fn text(node: roxmltree::Node<'_, '_>) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<String>()
        .trim()
        .to_string()
}

/// The table with `id`: its header cells and its body rows, as texts.
fn table(doc: &roxmltree::Document<'_>, id: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let table = doc
        .descendants()
        .find(|n| n.tag_name().name() == "table" && n.attribute("id") == Some(id))
        .unwrap_or_else(|| panic!("no table `{id}`"));
    let header = table
        .descendants()
        .filter(|n| n.tag_name().name() == "th")
        .map(text)
        .collect();
    let rows = table
        .descendants()
        .filter(|n| n.tag_name().name() == "tbody")
        .flat_map(|b| b.children().filter(|n| n.tag_name().name() == "tr"))
        .map(|tr| {
            tr.children()
                .filter(|n| n.tag_name().name() == "td")
                .map(text)
                .collect()
        })
        .collect();
    (header, rows)
}

fn percent(d: Decimal) -> String {
    format!("{}%", (d * Decimal::ONE_HUNDRED).normalize())
}

/// The cases: several seeds and sizes, with and without overlap and mix.
fn cases() -> Vec<(Case, Option<&'static str>, bool)> {
    const MIX: &str =
        "high_utilization=3,variable_income=1,subscription_heavy=2,savings_builder=1,control=1";
    vec![
        (case(42, 120, &[], &["--no-manifest"]), None, false),
        (case(7, 333, &["--overlap", "0.4"], &[]), None, true),
        (
            case(3, 200, &["--mix", MIX, "--overlap", "1"], &["--mix", MIX]),
            Some(MIX),
            true,
        ),
    ]
}

#[test]
fn report_sections_state_the_data_and_the_definitions() {
    let criteria = Criteria::spendsense();
    let personas = Personas::spendsense();
    for (case, mix, overlap) in cases() {
        let doc = parse(&case.page);
        let n = case.profiles.len();
        let ids: Vec<&str> = doc
            .descendants()
            .filter(|n| n.tag_name().name() == "section")
            .filter_map(|n| n.attribute("id"))
            .collect();
        assert_eq!(ids, SECTIONS, "sections in their stable order");

        // Run configuration: what the manifest, or without it the flags,
        // the definitions and the data say.
        let (_, run) = table(&doc, "run-configuration");
        let setting = |name: &str| run.iter().find(|r| r[0] == name).unwrap().clone();
        assert_eq!(setting("count")[1], n.to_string());
        assert_eq!(setting("as_of")[1], "2026-11-30");
        assert_eq!(
            setting("persona fingerprint")[1],
            spendsense_generator::fingerprint(&personas)
        );
        let manifest = "manifest u.jsonl.manifest.json";
        if case.manifest {
            assert_eq!(setting("seed"), ["seed", case.seed.as_str(), manifest]);
        } else {
            assert_eq!(setting("seed")[1], "unknown");
        }
        match (mix, case.manifest) {
            (Some(_), _) => assert_eq!(setting("mix")[2], "flag --mix"),
            (None, true) => assert_eq!(setting("mix")[2], manifest),
            (None, false) => assert!(setting("mix")[2].starts_with("assumed")),
        }

        // Every test's threshold is the criteria's.
        let (header, rows) = table(&doc, "rule-tests-high_utilization");
        assert!(header.contains(&format!(
            "highest card utilization ≥ {}",
            percent(criteria.high_utilization_min)
        )));
        assert!(header.contains(&"interest charged > $0".to_string()));
        assert_eq!(rows.len(), 10, "five personas × two windows");
        let (header, rows) = table(&doc, "rule-tests-variable_income");
        assert!(header.contains(&format!(
            "median pay gap > {} days",
            criteria.variable_income_gap_above_days
        )));
        assert!(header.contains(&format!(
            "checking buffer < {} month",
            criteria.variable_income_buffer_below_months
        )));
        // Variable Income profiles pass both of its tests, in both windows.
        let vi = case
            .profiles
            .iter()
            .filter(|p| p.persona == spendsense_schema::PersonaId::VariableIncome)
            .count();
        for row in rows.iter().filter(|r| r[0] == "Variable Income") {
            assert_eq!(row[2], format!("{vi} of {vi}"));
            assert_eq!(row[4], format!("{vi} of {vi}"));
        }
        let (header, _) = table(&doc, "rule-tests-subscription_heavy");
        assert!(header.contains(&format!(
            "recurring merchants ≥ {}",
            criteria.subscription_heavy_min_merchants
        )));
        assert!(header.contains(&format!(
            "recurring share of spend ≥ {}",
            percent(criteria.subscription_heavy_min_spend_share)
        )));
        let (header, _) = table(&doc, "rule-tests-savings_builder");
        assert!(header.contains(&format!(
            "savings growth ≥ {}",
            percent(criteria.savings_builder_min_growth)
        )));
        assert!(header.contains(&format!(
            "highest card utilization < {}",
            percent(criteria.savings_builder_utilization_below)
        )));

        // Overlap: the counts are the file's.
        let overlapping = case
            .profiles
            .iter()
            .filter(|p| p.matched_personas.is_some())
            .count();
        assert_eq!(overlapping > 0, overlap);
        let (_, counts) = table(&doc, "overlap-counts");
        assert_eq!(counts[0][1], format!("{overlapping} of {n}"));
        assert_eq!(counts[1][1], format!("{overlapping} of {n}"));
        assert_eq!(counts[3][1], format!("{overlapping} of {overlapping}"));
        let (_, matrix) = table(&doc, "overlap-matrix");
        let total: usize = matrix
            .iter()
            .flat_map(|r| r[2..].iter())
            .map(|c| c.parse::<usize>().unwrap())
            .sum();
        assert_eq!(total, overlapping);

        // Coverage: generated values never leave their ranges.
        for persona in spendsense_schema::PersonaId::ALL {
            let (_, rows) = table(&doc, &format!("coverage-{}", persona.as_str()));
            for row in rows.iter().filter(|r| r.len() == 8) {
                if row[0] != "savings_income_share" {
                    assert_eq!(row[5], "0", "{persona} {row:?}");
                }
            }
            let income = rows.iter().find(|r| r[0] == "annual_income").unwrap();
            let definition = personas.get(persona).annual_income;
            assert_eq!(
                income[1],
                format!(
                    "{} – {}",
                    definition.min.normalize(),
                    definition.max.normalize()
                )
            );
        }

        // Field profile: one row per column of each profile table.
        for t in &spendsense_export::columns::PROFILE_TABLES {
            let (_, rows) = table(&doc, &format!("fields-{}", t.name));
            let names: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
            let columns: Vec<&str> = t.columns.iter().map(|c| c.name).collect();
            assert_eq!(names, columns, "{}", t.name);
        }
        let (_, users) = table(&doc, "fields-users");
        let user_id = users.iter().find(|r| r[0] == "user_id").unwrap();
        assert_eq!(
            (user_id[2].as_str(), user_id[3].clone()),
            ("0", n.to_string())
        );
        let matched = users.iter().find(|r| r[0] == "matched_personas").unwrap();
        let nulls = n - overlapping;
        if nulls == 0 {
            assert_eq!(matched[2], "0");
        } else {
            assert!(matched[2].starts_with(&format!("{nulls} (")), "{matched:?}");
        }
    }
}

#[test]
fn violations_say_more_only_when_there_are_more_and_number_from_one() {
    let dir = tempfile::tempdir().unwrap();
    ok(
        dir.path(),
        &[
            "generate", "-n", "30", "--format", "jsonl", "-q", "-o", "u.jsonl",
        ],
    );
    let profiles = read(&dir.path().join("u.jsonl"));
    // `n` profiles in a state SpendSense does not cover: one violation each.
    for n in [1usize, 3, 20, 25] {
        let mut broken = profiles.clone();
        for profile in broken.iter_mut().skip(2).take(n) {
            profile.demographics.state = "PR".into();
            profile.identity.address.region = "PR".into();
        }
        let bytes =
            spendsense_schema::write_profiles(Vec::new(), ProfileFormat::Jsonl, &broken).unwrap();
        fs::write(dir.path().join("b.jsonl"), bytes).unwrap();
        ok(dir.path(), &["report", "b.jsonl", "-o", "b.html"]);
        let page = fs::read_to_string(dir.path().join("b.html")).unwrap();
        let doc = parse(&page);
        let (_, rows) = table(&doc, "violations");
        assert_eq!(rows.len(), n.min(20));
        assert!(page.contains(&format!("INVALID: {n} violation(s)")));
        let more = page.contains("prints more");
        assert_eq!(
            more,
            rows.len() < n,
            "{n} violations, {} listed",
            rows.len()
        );
        for row in &rows {
            // `#` is the 1-based position, which for JSONL is the line.
            let line = format!("(line {})", row[0]);
            assert!(row[1].ends_with(&line), "{row:?}");
        }
    }
}
