//! Self-describing datasets: every output written to a path gets a run
//! manifest (docs/manifest.md), and `validate` and `report` check the data
//! against the run that made it without the flags being typed again.

use std::fs;
use std::path::Path;

use sha2::Digest;

use crate::{Input, Run, assert_run, run_in};

const SEEDS: [&str; 3] = ["1", "42", "18446744073709551615"];

/// A mix whose period (100) does not divide the shard boundaries below, and
/// that equal shares would break.
const MIX: &str = "high_utilization=33,savings_builder=33,control=34";

fn run(dir: &Path, args: &[&str]) -> Run {
    run_in(dir, args, Input::Nothing)
}

/// Runs `args`, expecting exit 0 and a clean stderr.
fn ok(dir: &Path, args: &[&str]) -> Run {
    let run = run(dir, args);
    assert_run(args, &run, 0, "");
    run
}

fn manifest(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

fn sha256(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `validate` with the sidecar passes; without it, with the defaults, it breaks `rule`.
fn valid_only_with_the_manifest(dir: &Path, dataset: &str, rule: &str) {
    ok(dir, &["validate", dataset]);
    let without = run(dir, &["validate", dataset, "--no-manifest"]);
    assert_eq!(without.code, 1, "{dataset}: {}", without.stdout);
    assert!(without.stdout.contains(rule), "{}", without.stdout);
}

#[test]
fn a_mix_run_validates_without_the_flag() {
    for seed in SEEDS {
        let dir = tempfile::tempdir().unwrap();
        let args = ["generate", "-n", "300", "-s", seed, "--mix", MIX, "-q"];
        ok(dir.path(), &[&args[..], &["-o", "mixed.json"]].concat());
        let recorded = manifest(&dir.path().join("mixed.json.manifest.json"));
        assert_eq!(recorded["seed_string"], seed);
        assert_eq!(recorded["manifest_version"], 1);
        valid_only_with_the_manifest(dir.path(), "mixed.json", "[quota]");
        // `report` checks the same way.
        let report = ok(dir.path(), &["report", "mixed.json", "-o", "r.html"]);
        assert!(report.stderr.contains("(valid;"), "{}", report.stderr);
        // Its run configuration says where the seed came from.
        let page = fs::read_to_string(dir.path().join("r.html")).unwrap();
        assert!(
            page.contains("manifest <code>mixed.json.manifest.json</code>"),
            "the run configuration names the manifest"
        );
        assert!(page.contains(seed), "the seed from the manifest");
        let report = ok(
            dir.path(),
            &["report", "mixed.json", "-o", "r.html", "--no-manifest"],
        );
        assert!(report.stderr.contains("(INVALID,"), "{}", report.stderr);
    }
}

#[test]
fn explicit_flags_win_with_a_note_naming_both_values() {
    let dir = tempfile::tempdir().unwrap();
    ok(
        dir.path(),
        &["generate", "-n", "200", "--mix", MIX, "-q", "-o", "m.jsonl"],
    );
    let args = ["validate", "m.jsonl", "--mix", "control=1"];
    let run = run(dir.path(), &args);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(
        run.stderr,
        "note: --mix high_utilization=0,variable_income=0,subscription_heavy=0,savings_builder=0,control=1 overrides the mix of manifest m.jsonl.manifest.json (high_utilization=33,variable_income=0,subscription_heavy=0,savings_builder=33,control=34)\n"
    );
    let quiet = run_in(
        dir.path(),
        &["validate", "m.jsonl", "--mix", "control=1", "-q"],
        Input::Nothing,
    );
    assert_eq!(
        (quiet.code, quiet.stderr.as_str()),
        (1, ""),
        "-q leaves only errors"
    );
    // The same value is no override: no note.
    let same = ok(dir.path(), &["validate", "m.jsonl", "--mix", MIX]);
    assert_eq!(same.stderr, "");
    // --personas over a manifest of the built-in ones: used, with a note.
    let personas = ok(dir.path(), &["personas", "--format", "json"]);
    fs::write(dir.path().join("p.json"), personas.stdout).unwrap();
    let same = ok(dir.path(), &["validate", "m.jsonl", "--personas", "p.json"]);
    assert_eq!(same.stderr, "", "same definitions, same fingerprint");
}

#[test]
fn overlap_and_as_of_runs_validate_without_flags() {
    for seed in SEEDS {
        let dir = tempfile::tempdir().unwrap();
        let base = ["generate", "-n", "120", "-s", seed, "-q"];
        ok(
            dir.path(),
            &[&base[..], &["--overlap", "0.3", "-o", "o.json"]].concat(),
        );
        ok(dir.path(), &["validate", "o.json"]);
        // Which users overlap follows from the share: another share breaks it.
        let sidecar = dir.path().join("o.json.manifest.json");
        let text = fs::read_to_string(&sidecar).unwrap();
        fs::write(
            dir.path().join("other.json"),
            text.replace("\"0.3\"", "\"0.5\""),
        )
        .unwrap();
        let other = run(
            dir.path(),
            &["validate", "o.json", "--manifest", "other.json"],
        );
        assert_eq!(other.code, 1, "{}", other.stdout);
        assert!(
            other.stdout.contains("user of the run carries no matched_personas, but overlap 0.5 (manifest other.json) picks it"),
            "{}",
            other.stdout
        );
        assert_eq!(
            manifest(&dir.path().join("o.json.manifest.json"))["overlap"],
            "0.3"
        );
        // A JSON array under a .jsonl name: the manifest knows the layout.
        ok(
            dir.path(),
            &[&base[..], &["--as-of", "2025-03-15", "-o", "a.jsonl"]].concat(),
        );
        ok(dir.path(), &["validate", "a.jsonl"]);
        let guessed = run(dir.path(), &["validate", "a.jsonl", "--no-manifest"]);
        assert_eq!(guessed.code, 2, "{}", guessed.stderr);
        // A manifest whose as_of was edited: every plan disagrees with it.
        let sidecar = dir.path().join("a.jsonl.manifest.json");
        let text = fs::read_to_string(&sidecar).unwrap();
        fs::write(&sidecar, text.replace("2025-03-15", "2025-03-16")).unwrap();
        let edited = run(dir.path(), &["validate", "a.jsonl"]);
        assert_eq!(edited.code, 1);
        assert!(
            edited.stdout.contains("[manifest] plan.as_of is 2025-03-15, and manifest a.jsonl.manifest.json records as_of 2025-03-16"),
            "{}",
            edited.stdout
        );
    }
}

/// Definitions the defaults reject: high_utilization incomes up to $150,000.
fn custom_personas(dir: &Path) -> serde_json::Value {
    let defaults = ok(dir, &["personas", "--format", "json"]);
    let mut personas: serde_json::Value = serde_json::from_str(&defaults.stdout).unwrap();
    personas["definitions"][0]["annual_income"] = serde_json::json!({"min": 35000, "max": 150000});
    fs::write(
        dir.join("custom.json"),
        serde_json::to_vec_pretty(&personas).unwrap(),
    )
    .unwrap();
    personas
}

#[test]
fn custom_personas_travel_in_the_manifest() {
    for seed in SEEDS {
        let dir = tempfile::tempdir().unwrap();
        let personas = custom_personas(dir.path());
        ok(
            dir.path(),
            &[
                "generate",
                "-n",
                "300",
                "-s",
                seed,
                "--personas",
                "custom.json",
                "-q",
                "-o",
                "c.json",
            ],
        );
        let recorded = manifest(&dir.path().join("c.json.manifest.json"));
        assert_eq!(recorded["personas"], personas);
        let fingerprint = ok(dir.path(), &["fingerprint", "--personas", "custom.json"]);
        assert_eq!(recorded["fingerprint"], fingerprint.stdout.trim());
        // The file is not needed any more.
        fs::remove_file(dir.path().join("custom.json")).unwrap();
        valid_only_with_the_manifest(dir.path(), "c.json", "[persona-range]");
        // The built-in definitions, given explicitly, win with a note.
        let defaults = ok(dir.path(), &["personas", "--format", "json"]);
        fs::write(dir.path().join("p.json"), defaults.stdout).unwrap();
        let args = ["validate", "c.json", "--personas", "p.json"];
        let run = run(dir.path(), &args);
        assert_eq!(run.code, 1, "{}", run.stdout);
        assert!(
            run.stderr
                .starts_with("note: --personas p.json (fingerprint ssg")
                && run.stderr.contains(
                    "overrides the definitions of manifest c.json.manifest.json (fingerprint ssg"
                ),
            "{}",
            run.stderr
        );
    }
    // The built-in definitions are not embedded.
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["generate", "-n", "5", "-q", "-o", "d.json"]);
    assert_eq!(
        manifest(&dir.path().join("d.json.manifest.json"))["personas"],
        serde_json::Value::Null
    );
}

#[test]
fn a_fingerprint_that_does_not_match_says_what_to_pass() {
    let dir = tempfile::tempdir().unwrap();
    custom_personas(dir.path());
    ok(
        dir.path(),
        &[
            "generate",
            "-n",
            "20",
            "--personas",
            "custom.json",
            "-q",
            "-o",
            "c.json",
        ],
    );
    let sidecar = dir.path().join("c.json.manifest.json");
    let mut recorded = manifest(&sidecar);
    // Embedded definitions edited after the fact.
    recorded["personas"]["definitions"][0]["annual_income"]["max"] = 140000.into();
    fs::write(dir.path().join("edited.json"), recorded.to_string()).unwrap();
    let args = ["validate", "c.json", "--manifest", "edited.json"];
    let edited = run(dir.path(), &args);
    assert_run(&args, &edited, 2, "but the definitions it embeds give");
    assert!(
        edited
            .stderr
            .contains("pass --personas FILE, or --no-manifest"),
        "{}",
        edited.stderr
    );
    // Definitions stripped: the built-in ones do not give its fingerprint.
    recorded["personas"] = serde_json::Value::Null;
    fs::write(&sidecar, recorded.to_string()).unwrap();
    let stripped = run(dir.path(), &["validate", "c.json"]);
    assert_run(
        &["validate", "c.json"],
        &stripped,
        2,
        "pass --personas FILE with the definitions the dataset was generated with, or --no-manifest",
    );
    // Passing them is the fix.
    ok(
        dir.path(),
        &["validate", "c.json", "--personas", "custom.json"],
    );
}

#[test]
fn a_changed_dataset_breaks_the_manifest_rule() {
    for seed in SEEDS {
        let dir = tempfile::tempdir().unwrap();
        ok(
            dir.path(),
            &[
                "generate", "-n", "30", "-s", seed, "--format", "jsonl", "-q", "-o", "u.jsonl",
            ],
        );
        let path = dir.path().join("u.jsonl");
        let original = fs::read(&path).unwrap();
        // A valid edit the other rules cannot see: one more space in a string.
        let text = String::from_utf8(original.clone()).unwrap();
        let at = text.find("\"name\":\"").unwrap() + 8;
        fs::write(&path, format!("{} {}", &text[..at], &text[at..])).unwrap();
        let changed = run(dir.path(), &["validate", "u.jsonl"]);
        assert_eq!(changed.code, 1, "{}", changed.stdout);
        let expected = format!(
            "[manifest] the file changed since it was generated: u.jsonl is {} bytes, SHA-256 {}…, and manifest u.jsonl.manifest.json records {} bytes, SHA-256 {}…",
            original.len() + 1,
            &sha256(&fs::read(&path).unwrap())[..16],
            original.len(),
            &sha256(&original)[..16]
        );
        assert!(changed.stdout.contains(&expected), "{}", changed.stdout);
        assert_eq!(
            changed.stdout.matches("[manifest]").count(),
            1,
            "{}",
            changed.stdout
        );
        ok(dir.path(), &["validate", "u.jsonl", "--no-manifest"]);
        // Trailing bytes the reader skips still count.
        fs::write(&path, [&original[..], b"\n"].concat()).unwrap();
        let longer = run(dir.path(), &["validate", "u.jsonl"]);
        assert_eq!(longer.code, 1, "{}", longer.stdout);
    }
}

#[test]
fn a_broken_manifest_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["generate", "-n", "10", "-q", "-o", "u.json"]);
    let sidecar = dir.path().join("u.json.manifest.json");
    let good = fs::read_to_string(&sidecar).unwrap();
    for (text, expected) in [
        (
            "{".to_string(),
            "u.json.manifest.json is not a spendsense manifest",
        ),
        (
            good.replacen("{", "{\"extra\": 1,", 1),
            "is not a spendsense manifest (at `extra`: unknown field `extra`",
        ),
        (
            good.replace("\"manifest_version\": 1", "\"manifest_version\": 9"),
            "has manifest_version 9, and this spendsense reads version 1",
        ),
        (
            good.replace("\"overlap\": \"0\"", "\"overlap\": \"2\""),
            "is not a spendsense manifest (at `overlap`",
        ),
    ] {
        fs::write(&sidecar, text).unwrap();
        let args = ["validate", "u.json"];
        assert_run(&args, &run(dir.path(), &args), 2, expected);
        ok(dir.path(), &["validate", "u.json", "--no-manifest"]);
    }
    let args = ["validate", "u.json", "--manifest", "missing.json"];
    assert_run(
        &args,
        &run(dir.path(), &args),
        2,
        "cannot read manifest missing.json",
    );
    let args = [
        "validate",
        "u.json",
        "--manifest",
        "m.json",
        "--no-manifest",
    ];
    assert_eq!(run(dir.path(), &args).code, 2);
}

#[test]
fn shards_validate_from_their_start_in_the_run() {
    let mut broken_without = 0;
    for seed in SEEDS {
        let dir = tempfile::tempdir().unwrap();
        for (shard, mix) in [
            ("1/3", MIX),
            ("2/3", MIX),
            ("3/3", MIX),
            (
                "2/7",
                "control=1,high_utilization=1,variable_income=1,subscription_heavy=1,savings_builder=1",
            ),
            (
                "7/7",
                "control=1,high_utilization=1,variable_income=1,subscription_heavy=1,savings_builder=1",
            ),
        ] {
            let name = format!("s{}.jsonl", shard.replace('/', "of"));
            ok(
                dir.path(),
                &[
                    "generate",
                    "-n",
                    "700",
                    "-s",
                    seed,
                    "--mix",
                    mix,
                    "--shard",
                    shard,
                    "--overlap",
                    "0.25",
                    "--format",
                    "jsonl",
                    "-q",
                    "-o",
                    &name,
                ],
            );
            let recorded = manifest(&dir.path().join(format!("{name}.manifest.json")));
            assert_eq!(recorded["shard"], shard);
            assert!(recorded["profiles"]["start"].as_u64().unwrap() > 0 || shard == "1/3");
            ok(dir.path(), &["validate", &name]);
            let without = run(
                dir.path(),
                &["validate", &name, "--no-manifest", "--mix", mix],
            );
            if without.code != 0 {
                broken_without += 1;
            }
        }
    }
    // Checked as if it were a whole run, a shard breaks the quotas or the
    // income coverage of the whole run.
    assert!(broken_without > 0);
}

#[test]
fn a_directory_output_holds_its_manifest() {
    for (format, seed) in [
        ("csv", "3"),
        ("plaid-sandbox", "4"),
        ("csv", "18446744073709551615"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        ok(
            dir.path(),
            &[
                "generate", "--format", format, "-n", "6", "-s", seed, "--mix", MIX, "-q", "-o",
                "out",
            ],
        );
        let out = dir.path().join("out");
        let recorded = manifest(&out.join("manifest.json"));
        assert_eq!(recorded["format"], format);
        assert_eq!(recorded["seed_string"], seed);
        let mut names: Vec<String> = fs::read_dir(&out)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .filter(|name| name != "manifest.json")
            .collect();
        names.sort();
        let files = recorded["files"].as_array().unwrap();
        let listed: Vec<&str> = files.iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(
            listed, names,
            "{format}: every file, sorted, but the manifest"
        );
        for file in files {
            let bytes = fs::read(out.join(file["name"].as_str().unwrap())).unwrap();
            assert_eq!(file["bytes"], bytes.len(), "{format}");
            assert_eq!(file["sha256"], sha256(&bytes).as_str(), "{format}");
            assert_eq!(file["role"], "part");
        }
        // `validate` reads profile files; it names the directory's manifest as no help.
        let args = ["validate", "out"];
        assert_run(
            &args,
            &run(dir.path(), &args),
            2,
            "out is a directory; give a .json or .jsonl file",
        );
    }
}

/// Only `generate`'s directories own a `manifest.json`: `spendsense man -o
/// DIR` leaves one of the user's alone.
#[test]
fn other_directory_outputs_leave_a_manifest_json_alone() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("pages")).unwrap();
    fs::write(dir.path().join("pages/manifest.json"), b"mine\n").unwrap();
    ok(dir.path(), &["man", "-o", "pages"]);
    assert_eq!(
        fs::read(dir.path().join("pages/manifest.json")).unwrap(),
        b"mine\n"
    );
    assert!(dir.path().join("pages/spendsense.1").is_file());
}

#[test]
fn the_transactions_file_is_listed_and_stdout_gets_no_manifest() {
    let dir = tempfile::tempdir().unwrap();
    ok(
        dir.path(),
        &[
            "generate",
            "-n",
            "8",
            "--format",
            "jsonl",
            "-q",
            "-o",
            "u.jsonl",
            "--transactions",
            "tx.jsonl",
        ],
    );
    let recorded = manifest(&dir.path().join("u.jsonl.manifest.json"));
    for (at, (name, role)) in [("u.jsonl", "profiles"), ("tx.jsonl", "transactions")]
        .iter()
        .enumerate()
    {
        let file = &recorded["files"][at];
        let bytes = fs::read(dir.path().join(name)).unwrap();
        assert_eq!(file["name"], *name);
        assert_eq!(file["role"], *role);
        assert_eq!(file["sha256"], sha256(&bytes).as_str());
    }
    ok(
        dir.path(),
        &["validate", "u.jsonl", "--transactions", "tx.jsonl"],
    );
    // A transaction changed in a way only the bytes show: the manifest rule, once.
    let path = dir.path().join("tx.jsonl");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replacen('{', "{ ", 1)).unwrap();
    let changed = run(
        dir.path(),
        &["validate", "u.jsonl", "--transactions", "tx.jsonl"],
    );
    assert_eq!(changed.code, 1, "{}", changed.stdout);
    assert!(
        changed
            .stdout
            .contains("[manifest] the file changed since it was generated: tx.jsonl is"),
        "{}",
        changed.stdout
    );
    assert_eq!(
        changed.stdout.matches("[manifest]").count(),
        1,
        "{}",
        changed.stdout
    );
    fs::write(&path, text).unwrap();
    // Stdout: no manifest, unless asked for; stdin: no sidecar lookup.
    let stdout = ok(
        dir.path(),
        &[
            "generate",
            "-n",
            "300",
            "--mix",
            MIX,
            "-q",
            "--manifest",
            "m.json",
        ],
    );
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        4,
        "u.jsonl, its sidecar, tx.jsonl, m.json and nothing else"
    );
    assert_eq!(
        manifest(&dir.path().join("m.json"))["files"][0]["name"],
        "-"
    );
    let piped = run_in(
        dir.path(),
        &["validate", "-"],
        Input::Stdin(stdout.stdout.clone().into_bytes()),
    );
    assert_eq!(piped.code, 1, "equal shares break the mix's quotas");
    let checked = run_in(
        dir.path(),
        &["validate", "-", "--manifest", "m.json"],
        Input::Stdin(stdout.stdout.into_bytes()),
    );
    assert_run(
        &["validate", "-", "--manifest", "m.json"],
        &checked,
        0,
        "result: valid",
    );
}
