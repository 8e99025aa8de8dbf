//! `validate` and `shards` at engine scale: reports that do not depend on
//! the thread count, exact duplicates, quotas judged by what the dataset
//! is, and a run's shards checked from their manifests and summaries.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::bin;

fn spendsense(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = bin().args(args).current_dir(dir).output().unwrap();
    (
        output.status.code().expect("not killed by a signal"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn generate(dir: &Path, name: &str, extra: &[&str]) {
    let mut args = vec!["generate", "--format", "jsonl", "-q", "-o", name];
    args.extend_from_slice(extra);
    let (code, _, stderr) = spendsense(dir, &args);
    assert_eq!(code, 0, "{stderr}");
}

/// The JSON report of `validate`, and its exit code.
fn validate_json(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["validate", "-f", "json"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = spendsense(dir, &all);
    assert!(code == 0 || code == 1, "{all:?}: exit {code}: {stderr}");
    (code, serde_json::from_str(&stdout).unwrap())
}

fn rules(report: &Value) -> Vec<String> {
    report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["rule"].as_str().unwrap().to_string())
        .collect()
}

/// The same report, byte for byte, on 1, 2 and 3 threads, for generated
/// files, files with broken records and repeats, and files whose ids and
/// names are text the generator never writes.
#[test]
fn reports_do_not_depend_on_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    for (seed, count) in [(1u64, 1u64), (7, 600), (42, 1_700)] {
        let name = format!("s{seed}.jsonl");
        generate(
            dir,
            &name,
            &["-n", &count.to_string(), "--seed", &seed.to_string()],
        );
        let text = fs::read_to_string(dir.join(&name)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let mut broken = lines.clone();
        broken.insert(lines.len() / 2, "{\"user_id\": 5}");
        broken.insert(lines.len() / 3, "");
        broken.push(lines[0]);
        let renamed = text.replace("user_MASKED_", "u-").replace(". ", "_ ");
        let mut repeated: Vec<&str> = renamed.lines().collect();
        repeated.push(repeated[repeated.len() / 2]);
        let variants = [
            ("plain", text.clone()),
            ("broken", broken.join("\n") + "\n"),
            ("text ids", repeated.join("\n") + "\n"),
        ];
        for (what, bytes) in variants {
            let file = format!("v{seed}.jsonl");
            fs::write(dir.join(&file), bytes).unwrap();
            let one = spendsense(dir, &["validate", &file, "-j", "1", "-f", "json"]);
            for threads in ["2", "3"] {
                let many = spendsense(dir, &["validate", &file, "-j", threads, "-f", "json"]);
                assert_eq!(one, many, "seed {seed} {what}: -j 1 and -j {threads}");
            }
            let (_, report) = validate_json(dir, &[&file]);
            if what != "plain" {
                assert!(rules(&report).iter().any(|r| r.starts_with("duplicate-")) || count == 1);
            }
        }
    }
}

/// Exactly the planted repeats are duplicates, whether the ids are the
/// generator's (bits) or any other text (fingerprints confirmed by text).
#[test]
fn duplicates_are_exactly_the_repeats() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    generate(dir, "users.jsonl", &["-n", "3000", "--seed", "9"]);
    let text = fs::read_to_string(dir.join("users.jsonl")).unwrap();
    for (what, text) in [
        ("generated", text.clone()),
        (
            "text",
            text.replace("user_MASKED_", "id:").replace(". ", " "),
        ),
    ] {
        let lines: Vec<&str> = text.lines().collect();
        let mut planted = lines.clone();
        for at in [5, 1_234, 2_999, 5] {
            planted.push(lines[at]);
        }
        fs::write(dir.join("planted.jsonl"), planted.join("\n") + "\n").unwrap();
        let (code, report) = validate_json(dir, &["planted.jsonl", "--quotas", "off"]);
        assert_eq!(code, 1);
        let of = |rule: &str| rules(&report).iter().filter(|r| *r == rule).count();
        assert_eq!(of("duplicate-user-id"), 4, "{what}");
        assert_eq!(of("duplicate-name"), 4, "{what}");
        let accounts: usize = [5, 1_234, 2_999, 5]
            .iter()
            .map(|at| {
                let profile: Value = serde_json::from_str(lines[*at]).unwrap();
                profile["accounts"].as_array().unwrap().len()
            })
            .sum();
        assert_eq!(of("duplicate-account-id"), accounts, "{what}");
        fs::write(dir.join("unique.jsonl"), &text).unwrap();
        let (code, report) = validate_json(dir, &["unique.jsonl", "--quotas", "off"]);
        assert_eq!(
            (code, rules(&report)),
            (0, vec![]),
            "{what}: no false duplicates"
        );
    }
}

/// A generated run in order is judged at every prefix (its manifest says
/// what it is); the same profiles sorted are judged on their shares; a
/// one-persona subset only with `--quotas off`.
#[test]
fn quotas_are_judged_by_what_the_dataset_is() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    generate(dir, "run.jsonl", &["-n", "2000", "--seed", "3"]);
    let (code, report) = validate_json(dir, &["run.jsonl"]);
    assert_eq!((code, report["quotas"].as_str()), (0, Some("prefix")));

    let text = fs::read_to_string(dir.join("run.jsonl")).unwrap();
    let mut sorted: Vec<&str> = text.lines().collect();
    sorted.sort_by_key(|line| {
        let profile: Value = serde_json::from_str(line).unwrap();
        profile["persona"].as_str().unwrap().to_string()
    });
    fs::write(dir.join("sorted.jsonl"), sorted.join("\n") + "\n").unwrap();
    let (code, report) = validate_json(dir, &["sorted.jsonl"]);
    assert_eq!((code, report["quotas"].as_str()), (0, Some("shares")));
    let (code, report) = validate_json(dir, &["sorted.jsonl", "--quotas", "prefix"]);
    assert_eq!((code, rules(&report)[0].as_str()), (1, "quota"));

    let subset: Vec<&str> = sorted
        .iter()
        .copied()
        .filter(|line| line.contains("\"persona\":\"control\""))
        .collect();
    assert_eq!(subset.len(), 400);
    fs::write(dir.join("control.jsonl"), subset.join("\n") + "\n").unwrap();
    let (code, report) = validate_json(dir, &["control.jsonl"]);
    assert_eq!(code, 1);
    assert!(rules(&report).contains(&"quota".to_string()));
    let (code, report) = validate_json(dir, &["control.jsonl", "--quotas", "off"]);
    assert_eq!((code, rules(&report)), (0, vec![]));
}

/// The four ways a set of shards goes wrong, each named by `shards`, and a
/// complete set whose union report equals validating the concatenation.
#[test]
fn shards_are_checked_from_manifests_and_summaries() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let parts: Vec<String> = (1..=4).map(|k| format!("part-{k:05}.jsonl")).collect();
    for (k, part) in parts.iter().enumerate() {
        let shard = format!("{}/4", k + 1);
        generate(dir, part, &["-n", "2003", "--seed", "5", "--shard", &shard]);
        let (code, _, stderr) = spendsense(dir, &["validate", part, "--summary", "-q"]);
        assert_eq!(code, 0, "{part} is valid at its place in the run: {stderr}");
    }
    generate(
        dir,
        "foreign.jsonl",
        &["-n", "2003", "--seed", "6", "--shard", "3/4"],
    );
    spendsense(dir, &["validate", "foreign.jsonl", "--summary", "-q"]);
    let p: Vec<&str> = parts.iter().map(String::as_str).collect();
    let shards = |args: &[&str]| {
        let mut all = vec!["shards"];
        all.extend_from_slice(args);
        let (code, stdout, stderr) = spendsense(dir, &all);
        assert!(stderr.is_empty(), "{stderr}");
        (code, stdout)
    };

    let (code, stdout) = shards(&p);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("shards: valid"), "{stdout}");
    let concatenated: String = parts
        .iter()
        .map(|part| fs::read_to_string(dir.join(part)).unwrap())
        .collect();
    fs::write(dir.join("union.jsonl"), concatenated).unwrap();
    let (code, union) = validate_json(dir, &["union.jsonl", "--quotas", "prefix"]);
    assert_eq!(code, 0);
    let (_, json, _) = spendsense(dir, &[&["shards", "-f", "json"][..], &p].concat());
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        json["union"], union,
        "the union from summaries is the union's report"
    );

    for (args, rule, needle) in [
        (
            vec![p[0], p[1], p[3]],
            "[missing]",
            "profiles 1001..1502 (shard 3/4)",
        ),
        (
            vec![p[0], p[2], p[1], p[3]],
            "[out-of-order]",
            "its order is part-00001.jsonl part-00002.jsonl",
        ),
        (
            vec![p[0], p[1], p[1], p[2], p[3]],
            "[duplicated]",
            "part-00002.jsonl and part-00002.jsonl both hold profiles 500..1001",
        ),
        (
            vec![p[0], p[1], "foreign.jsonl", p[3]],
            "[foreign]",
            "foreign.jsonl is from another run: seed 6, not 5",
        ),
    ] {
        let (code, stdout) = shards(&args);
        assert_eq!(code, 1, "{args:?}\n{stdout}");
        let line = stdout
            .lines()
            .find(|line| line.starts_with(rule))
            .unwrap_or_else(|| panic!("{args:?}: no {rule} in\n{stdout}"));
        assert!(line.contains(needle), "{line}");
        assert!(stdout.ends_with("shards: INVALID\n"), "{stdout}");
    }

    // A summary that is not of its part's bytes.
    fs::copy(
        dir.join("part-00003.jsonl.summary.json"),
        dir.join("part-00002.jsonl.summary.json"),
    )
    .unwrap();
    let (code, stdout) = shards(&p);
    assert_eq!(code, 1);
    assert!(stdout.contains("[stale-summary]"), "{stdout}");
}

/// `validate --shard K/N -n TOTAL` judges a part without its manifest at
/// its place in the run: every part of runs of several seeds, sizes and
/// shard counts is valid there, and the same part placed elsewhere, or in a
/// run of another size, is not.
#[test]
fn a_shard_without_its_manifest_is_judged_at_the_place_given() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    for (seed, total, shards) in [(5u64, 2_003u64, 4u64), (11, 700, 7), (42, 95, 3)] {
        let (seed_text, total_text) = (seed.to_string(), total.to_string());
        for k in 1..=shards {
            let part = format!("s{seed}-{k}.jsonl");
            let shard = format!("{k}/{shards}");
            generate(
                dir,
                &part,
                &["-n", &total_text, "--seed", &seed_text, "--shard", &shard],
            );
            let placed = |shard: &str, total: &str| {
                let args = [
                    &part,
                    "--no-manifest",
                    "--shard",
                    shard,
                    "-n",
                    total,
                    "--seed",
                    &seed_text,
                ];
                validate_json(dir, &args)
            };
            let (code, report) = placed(&shard, &total_text);
            assert_eq!(
                (code, report["quotas"].as_str()),
                (0, Some("prefix")),
                "{part} as {shard}: {report}"
            );
            let elsewhere = format!("{}/{shards}", k % shards + 1);
            let (code, report) = placed(&elsewhere, &total_text);
            assert_eq!(code, 1, "{part} as {elsewhere}");
            assert!(
                rules(&report).iter().any(|r| r == "quota" || r == "shard"),
                "{part} as {elsewhere}: {report}"
            );
            let (code, report) = placed(&shard, &(total + 100).to_string());
            assert_eq!(code, 1, "{part} in a run of {}", total + 100);
            assert!(rules(&report).contains(&"shard".to_string()), "{report}");
        }
    }
    // With its manifest beside it, a part already has a place.
    let (code, _, stderr) = spendsense(
        dir,
        &["validate", "s5-2.jsonl", "--shard", "2/4", "-n", "2003"],
    );
    assert_eq!(code, 2);
    assert_eq!(
        stderr.trim(),
        "error: --shard 2/4 places a dataset without a manifest, and s5-2.jsonl has manifest s5-2.jsonl.manifest.json, which places it at profiles 500..1001 of a run of 2003; leave out --shard, or pass --no-manifest"
    );
    let (code, _, stderr) = spendsense(dir, &["validate", "s5-2.jsonl", "--shard", "2/4"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--num-users <TOTAL>"), "{stderr}");
}
