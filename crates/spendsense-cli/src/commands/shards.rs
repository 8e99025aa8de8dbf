//! `spendsense shards`: checks that a set of shard files makes up one whole
//! run, from their manifests and `validate --summary` summaries alone.
//!
//! A shard's manifest says which run it is of (seed, count, mix, overlap,
//! fingerprint, as_of, format, N) and which profiles it holds; its summary
//! says what validating it found, on which bytes. So without reading the
//! data this finds foreign, duplicated, overlapping, missing and
//! out-of-order parts, summaries of other bytes than the manifest records,
//! and, by chaining the summaries ([`Summary::then`]), the run's quotas at
//! every prefix and its duplicates across shards (ruled out when every
//! shard's ids, names and accounts are fixed by their place in the run).

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::anyhow;
use serde::Serialize;
use spendsense_schema::text::escape;
use spendsense_validate::{Quotas, Report, Summary};

use crate::Failure;
use crate::args::{ReportFormat, Shard, ShardsArgs};
use crate::manifest::{Manifest, sidecar};
use crate::summary_file::{self, SummaryFile};

/// One part as given.
struct Part {
    shown: String,
    manifest: Manifest,
    summary: Option<SummaryFile>,
}

/// Everything that makes two shards parts of the same run.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RunIdentity {
    fingerprint: String,
    seed: u64,
    count: u64,
    mix: String,
    overlap: String,
    as_of: String,
    format: String,
    shards: Option<u64>,
}

impl RunIdentity {
    fn of(manifest: &Manifest) -> RunIdentity {
        RunIdentity {
            fingerprint: manifest.fingerprint.clone(),
            seed: manifest.seed,
            count: manifest.count,
            mix: manifest.mix.to_string(),
            overlap: manifest.overlap.to_string(),
            as_of: manifest.as_of.to_string(),
            format: manifest.format.clone(),
            shards: manifest.shard.map(|shard| shard.count),
        }
    }

    /// What differs from `other`, as `seed 7, not 42; count 10, not 20`.
    fn differences(&self, other: &RunIdentity) -> String {
        let shards = |s: Option<u64>| s.map_or_else(|| "unsharded".to_string(), |n| n.to_string());
        let pairs = [
            (
                "fingerprint",
                self.fingerprint.clone(),
                other.fingerprint.clone(),
            ),
            ("seed", self.seed.to_string(), other.seed.to_string()),
            ("count", self.count.to_string(), other.count.to_string()),
            ("mix", self.mix.clone(), other.mix.clone()),
            ("overlap", self.overlap.clone(), other.overlap.clone()),
            ("as_of", self.as_of.clone(), other.as_of.clone()),
            ("format", self.format.clone(), other.format.clone()),
            ("shard count", shards(self.shards), shards(other.shards)),
        ];
        pairs
            .into_iter()
            .filter(|(_, a, b)| a != b)
            .map(|(what, a, b)| format!("{what} {a}, not {b}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// One thing wrong with the set of parts.
#[derive(Debug, Clone, Serialize)]
struct Finding {
    /// `foreign`, `duplicated`, `overlapping`, `missing`, `out-of-order`,
    /// `not-validated`, `stale-summary`, `invalid-shard`, `quota`.
    rule: &'static str,
    message: String,
}

/// A part in the report.
#[derive(Debug, Clone, Serialize)]
struct PartLine {
    part: String,
    shard: Option<String>,
    start: u64,
    end: u64,
    /// The shard's own validation: `valid`, `invalid`, or `not validated`.
    validation: &'static str,
}

#[derive(Debug, Serialize)]
struct ShardsReport {
    seed: u64,
    count: u64,
    fingerprint: String,
    parts: Vec<PartLine>,
    findings: Vec<Finding>,
    /// Whether duplicates across shards were ruled out.
    cross_shard_duplicates_checked: bool,
    /// The union's report, when the parts make the whole run and every one
    /// has a summary.
    union: Option<Report>,
    valid: bool,
}

pub fn run(args: ShardsArgs) -> Result<ExitCode, Failure> {
    let parts = args
        .parts
        .iter()
        .map(|path| load(path))
        .collect::<Result<Vec<Part>, Failure>>()?;
    let report = check(&parts);
    match write(&report, args.format) {
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => {}
        other => other?,
    }
    Ok(if report.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn load(path: &Path) -> Result<Part, Failure> {
    let shown = escape(&path.display().to_string()).into_owned();
    let manifest_path = sidecar(path);
    if !manifest_path.is_file() {
        return Err(Failure::Usage(anyhow!(
            "{shown} has no manifest ({}); `spendsense shards` checks shards of a run from the manifests `generate --shard` writes",
            escape(&manifest_path.display().to_string())
        )));
    }
    let manifest = Manifest::read(&manifest_path).map_err(Failure::Usage)?;
    if manifest.profiles_file().is_none() {
        return Err(Failure::Usage(anyhow!(
            "{shown}'s manifest describes a --format {} directory; `spendsense shards` checks JSON and JSONL shards",
            escape(&manifest.format)
        )));
    }
    let summary_path: PathBuf = summary_file::sidecar(path);
    let summary = if summary_path.is_file() {
        Some(SummaryFile::read(&summary_path).map_err(Failure::Usage)?)
    } else {
        None
    };
    Ok(Part {
        shown,
        manifest,
        summary,
    })
}

fn check(parts: &[Part]) -> ShardsReport {
    let mut findings = Vec::new();
    let identities: Vec<RunIdentity> = parts.iter().map(|p| RunIdentity::of(&p.manifest)).collect();
    // The run is the one most parts are of (the first such on a tie).
    let run = identities
        .iter()
        .max_by_key(|id| {
            let votes = identities.iter().filter(|other| other == id).count();
            let first = identities
                .iter()
                .position(|other| other == *id)
                .unwrap_or(0);
            (votes, std::cmp::Reverse(first))
        })
        .cloned()
        .expect("at least one part");
    let mut ours: Vec<&Part> = Vec::new();
    for (part, identity) in parts.iter().zip(&identities) {
        if *identity == run {
            ours.push(part);
        } else {
            findings.push(Finding {
                rule: "foreign",
                message: format!(
                    "{} is from another run: {}",
                    part.shown,
                    identity.differences(&run)
                ),
            });
        }
    }
    let range = |part: &Part| (part.manifest.profiles.start, part.manifest.profiles.end);
    let mut in_run_order = ours.clone();
    in_run_order.sort_by_key(|part| range(part));
    if in_run_order
        .iter()
        .map(|p| p.shown.as_str())
        .ne(ours.iter().map(|p| p.shown.as_str()))
    {
        let order: Vec<&str> = in_run_order.iter().map(|p| p.shown.as_str()).collect();
        findings.push(Finding {
            rule: "out-of-order",
            message: format!(
                "the parts are not given in run order, so concatenating them as given would not be the run; its order is {}",
                order.join(" ")
            ),
        });
    }
    let mut covered = 0u64;
    let mut complete = true;
    for pair in in_run_order.windows(2) {
        let (a, b) = (range(pair[0]), range(pair[1]));
        if a == b {
            findings.push(Finding {
                rule: "duplicated",
                message: format!(
                    "{} and {} both hold profiles {}..{}{}",
                    pair[0].shown,
                    pair[1].shown,
                    a.0,
                    a.1,
                    shard_name(pair[0])
                ),
            });
            complete = false;
        } else if b.0 < a.1 {
            findings.push(Finding {
                rule: "overlapping",
                message: format!(
                    "{} (profiles {}..{}) and {} (profiles {}..{}) overlap",
                    pair[0].shown, a.0, a.1, pair[1].shown, b.0, b.1
                ),
            });
            complete = false;
        }
    }
    for part in &in_run_order {
        let (start, end) = range(part);
        if start > covered {
            findings.push(missing(covered, start, &run));
            complete = false;
        }
        covered = covered.max(end);
    }
    if covered < run.count {
        findings.push(missing(covered, run.count, &run));
        complete = false;
    }

    let mut lines = Vec::new();
    let mut summaries: Vec<Option<&Summary>> = Vec::new();
    for part in &in_run_order {
        let (start, end) = range(part);
        let summary = usable_summary(part, &mut findings);
        lines.push(PartLine {
            part: part.shown.clone(),
            shard: part.manifest.shard.map(|s: Shard| s.to_string()),
            start,
            end,
            validation: match summary {
                Some(s) if s.violation_count == 0 => "valid",
                Some(_) => "invalid",
                None => "not validated",
            },
        });
        if let Some(summary) = summary
            && summary.violation_count > 0
        {
            findings.push(Finding {
                rule: "invalid-shard",
                message: format!(
                    "{} breaks {} rule(s) on its own; `spendsense validate {}` lists them",
                    part.shown, summary.violation_count, part.shown
                ),
            });
        }
        summaries.push(summary);
    }

    // The union, when the parts are exactly the run and all were validated.
    let mut union = None;
    let mut cross_checked = false;
    if complete && summaries.iter().all(Option::is_some) {
        let mut chained: Option<Summary> = None;
        for summary in summaries.iter().flatten() {
            chained = Some(match chained {
                None => (*summary).clone(),
                Some(so_far) => match so_far.then(summary) {
                    Ok(next) => next,
                    Err(err) => {
                        findings.push(Finding {
                            rule: "stale-summary",
                            message: format!("the summaries do not chain: {err}"),
                        });
                        chained = None;
                        break;
                    }
                },
            });
        }
        if let Some(whole) = chained {
            match whole.prefix_quotas_hold() {
                Some(holds) => {
                    for (persona, ok) in holds {
                        if !ok {
                            findings.push(Finding {
                                rule: "quota",
                                message: format!(
                                    "across the shards some prefix of the run holds `{persona}` more than one away from its share of the mix ({})",
                                    whole.mix
                                ),
                            });
                        }
                    }
                }
                None => findings.push(Finding {
                    rule: "quota",
                    message: format!(
                        "the run's prefix quotas cannot be checked: the shards were validated with {} quotas or hold unreadable records",
                        whole.quotas.as_str()
                    ),
                }),
            }
            cross_checked = whole.cross_duplicates_checked();
            union = Some(whole.report());
        }
    }
    let valid =
        findings.is_empty() && union.as_ref().is_some_and(Report::is_valid) && cross_checked;
    ShardsReport {
        seed: run.seed,
        count: run.count,
        fingerprint: run.fingerprint,
        parts: lines,
        findings,
        cross_shard_duplicates_checked: cross_checked,
        union,
        valid,
    }
}

fn shard_name(part: &Part) -> String {
    part.manifest
        .shard
        .map(|shard| format!(" (shard {shard})"))
        .unwrap_or_default()
}

fn missing(start: u64, end: u64, run: &RunIdentity) -> Finding {
    let shards: Vec<String> = match run.shards {
        Some(n) => (1..=n)
            .map(|index| Shard { index, count: n })
            .filter(|shard| {
                let range = shard.range(run.count);
                range.start >= start && range.end <= end && !range.is_empty()
            })
            .map(|shard| shard.to_string())
            .collect(),
        None => Vec::new(),
    };
    let which = match shards.as_slice() {
        [] => String::new(),
        [one] => format!(" (shard {one})"),
        many => format!(" (shards {})", many.join(", ")),
    };
    Finding {
        rule: "missing",
        message: format!("profiles {start}..{end}{which} are in none of the parts"),
    }
}

/// The part's summary when it is of the bytes its manifest records, of its
/// place in the run and judged by prefix quotas; else a finding saying why not.
fn usable_summary<'a>(part: &'a Part, findings: &mut Vec<Finding>) -> Option<&'a Summary> {
    let Some(file) = &part.summary else {
        findings.push(Finding {
            rule: "not-validated",
            message: format!(
                "{} has no summary; run `spendsense validate {} --summary`",
                part.shown, part.shown
            ),
        });
        return None;
    };
    let recorded = part.manifest.profiles_file().expect("checked when loaded");
    let summary = &file.summary;
    let stale = if file.dataset.sha256 != recorded.sha256 || file.dataset.bytes != recorded.bytes {
        Some("was made from other bytes than its manifest records")
    } else if file.manifest.as_ref() != Some(&part.manifest) {
        Some("was made with another manifest")
    } else if summary.start != part.manifest.profiles.start
        || summary.end() != part.manifest.profiles.end
    {
        Some("covers other profiles than its manifest")
    } else if summary.quotas != Quotas::Prefix {
        Some(
            "judged quotas on its own, not at its place in the run (validate it with its manifest)",
        )
    } else {
        None
    };
    if let Some(why) = stale {
        findings.push(Finding {
            rule: "stale-summary",
            message: format!(
                "the summary of {} {why}; validate it again with `spendsense validate {} --summary`",
                part.shown, part.shown
            ),
        });
        return None;
    }
    Some(summary)
}

fn write(report: &ShardsReport, format: ReportFormat) -> io::Result<()> {
    let mut out = io::stdout().lock();
    match format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, report)?;
            writeln!(out)?;
        }
        ReportFormat::Text => {
            writeln!(
                out,
                "run: seed {}, {} profiles, fingerprint {}",
                report.seed, report.count, report.fingerprint
            )?;
            for line in &report.parts {
                let shard = line.shard.as_deref().unwrap_or("whole run");
                writeln!(
                    out,
                    "  {}  {shard}  profiles {}..{}  {}",
                    line.part, line.start, line.end, line.validation
                )?;
            }
            for finding in &report.findings {
                writeln!(out, "[{}] {}", finding.rule, finding.message)?;
            }
            if let Some(union) = &report.union {
                writeln!(out, "union of the parts:")?;
                write!(out, "{union}")?;
                if !report.cross_shard_duplicates_checked {
                    writeln!(
                        out,
                        "duplicates across shards: not ruled out (some shard's ids, names or accounts are not its place's in the run); validate the concatenated parts to check them"
                    )?;
                }
            }
            if report.valid {
                writeln!(
                    out,
                    "shards: valid, the parts make the whole run in order and every rule holds"
                )?;
            } else {
                writeln!(out, "shards: INVALID")?;
            }
        }
    }
    out.flush()
}
