//! Configurable populations on the real binary: persona files, mixes,
//! overlap, fingerprint and manifest.

use std::fs;

use crate::{Input, check, run_in};

/// An edit of the exported persona definitions.
type Edit = fn(&mut serde_json::Value);

fn edited_personas(edit: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let exported = crate::run(&["personas", "--format", "json"], Input::Nothing);
    let mut value: serde_json::Value = serde_json::from_str(&exported.stdout).unwrap();
    edit(&mut value);
    serde_json::to_vec_pretty(&value).unwrap()
}

#[test]
fn exported_defaults_fed_back_reproduce_the_default_output_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let exported = run_in(
        dir.path(),
        &["personas", "--format", "json"],
        Input::Nothing,
    );
    fs::write(dir.path().join("defaults.json"), &exported.stdout).unwrap();
    for format in ["json", "jsonl"] {
        let plain = run_in(
            dir.path(),
            &["generate", "-n", "137", "-s", "9", "-f", format, "-q"],
            Input::Nothing,
        );
        let custom = run_in(
            dir.path(),
            &[
                "generate",
                "-n",
                "137",
                "-s",
                "9",
                "-f",
                format,
                "-q",
                "--personas",
                "defaults.json",
            ],
            Input::Nothing,
        );
        assert_eq!(plain.code, 0);
        assert!(
            plain.stdout == custom.stdout,
            "{format} differs with exported defaults"
        );
    }
    let fingerprint = run_in(dir.path(), &["fingerprint"], Input::Nothing).stdout;
    let from_file = run_in(
        dir.path(),
        &["fingerprint", "--personas", "defaults.json"],
        Input::Nothing,
    )
    .stdout;
    assert_eq!(fingerprint, from_file);
    assert!(fingerprint.starts_with("ssg") && fingerprint.ends_with('\n'));
}

#[test]
fn broken_definition_files_are_refused_with_the_json_path_before_generating() {
    let cases: [(&str, Edit, &str); 5] = [
        (
            "inverted range",
            |v| v["definitions"][0]["annual_income"]["min"] = 150_000.into(),
            "at `definitions[0].annual_income`: inverted range: min 150000 > max 110000",
        ),
        (
            "negative amount",
            |v| v["definitions"][1]["savings_monthly"]["min"] = (-5).into(),
            "at `definitions[1].savings_monthly`: negative amount -5",
        ),
        (
            "unknown field",
            |v| v["definitions"][2]["colour"] = "red".into(),
            "at `definitions[2].colour`: unknown field `colour`",
        ),
        (
            "overlapping persona",
            |v| v["definitions"][4]["subscriptions"]["max"] = 5.into(),
            "at `definitions[4]`: a `control` user at the range corner",
        ),
        (
            "income outside the product range",
            |v| v["definitions"][3]["annual_income"]["max"] = 250_000.into(),
            "must lie within 20000–200000",
        ),
    ];
    for (what, edit, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("p.json"), edited_personas(edit)).unwrap();
        let run = run_in(
            dir.path(),
            &["generate", "--personas", "p.json", "-o", "out.json"],
            Input::Nothing,
        );
        assert_eq!(run.code, 2, "{what}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{what}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{what}: {}", run.stderr);
        assert!(
            !dir.path().join("out.json").exists(),
            "{what}: nothing is written"
        );
    }
}

#[test]
fn mixes_are_checked_and_validated_against_the_same_mix() {
    for (mix, expected) in [
        ("boss=3", "unknown persona `boss`"),
        ("control=0", "every persona weight is 0"),
        ("control=1,control=2", "control is given twice"),
        ("control=x", "weight `x` of control is not a whole number"),
    ] {
        check(&["generate", "--mix", mix], Input::Nothing, 2, expected);
    }
    let dir = tempfile::tempdir().unwrap();
    let mix = "high_utilization=40,variable_income=15,subscription_heavy=15,savings_builder=15,control=15";
    let generated = run_in(
        dir.path(),
        &["generate", "-n", "400", "--mix", mix, "-q", "-o", "m.json"],
        Input::Nothing,
    );
    assert_eq!(generated.code, 0, "{}", generated.stderr);
    let same_mix = run_in(
        dir.path(),
        &["validate", "m.json", "--mix", mix],
        Input::Nothing,
    );
    assert_eq!(same_mix.code, 0, "{}", same_mix.stdout);
    assert!(
        same_mix.stdout.contains("high_utilization          160"),
        "{}",
        same_mix.stdout
    );
    // The manifest beside m.json carries the mix; without it, the default
    // equal shares break the quotas.
    let from_manifest = run_in(dir.path(), &["validate", "m.json"], Input::Nothing);
    assert_eq!(from_manifest.code, 0, "{}", from_manifest.stdout);
    let default_mix = run_in(
        dir.path(),
        &["validate", "m.json", "--no-manifest"],
        Input::Nothing,
    );
    assert_eq!(default_mix.code, 1);
    assert!(
        default_mix.stdout.contains("[quota]"),
        "{}",
        default_mix.stdout
    );
}

#[test]
fn overlap_profiles_carry_their_fields_and_validate() {
    for bad in ["1.5", "-0.1", "lots"] {
        check(
            &["generate", "--overlap", bad],
            Input::Nothing,
            2,
            "is not a fraction from 0 to 1",
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let generated = run_in(
        dir.path(),
        &[
            "generate",
            "-n",
            "200",
            "--overlap",
            "0.5",
            "-f",
            "jsonl",
            "-q",
            "-o",
            "o.jsonl",
        ],
        Input::Nothing,
    );
    assert_eq!(generated.code, 0, "{}", generated.stderr);
    let text = fs::read_to_string(dir.path().join("o.jsonl")).unwrap();
    let overlapping = text
        .lines()
        .filter(|l| l.contains("\"matched_personas\""))
        .count();
    // 40 users per persona, three personas with partners, half of each.
    assert_eq!(overlapping, 60);
    let validated = run_in(dir.path(), &["validate", "o.jsonl"], Input::Nothing);
    assert_eq!(validated.code, 0, "{}", validated.stdout);
    let tampered = text.replacen(
        "\"expected_assignment\":\"high_utilization\"",
        "\"expected_assignment\":\"control\"",
        1,
    );
    assert_ne!(
        tampered, text,
        "the dataset has a high_utilization overlap to tamper with"
    );
    fs::write(dir.path().join("t.jsonl"), tampered).unwrap();
    let tampered = run_in(dir.path(), &["validate", "t.jsonl"], Input::Nothing);
    assert_eq!(tampered.code, 1);
    assert!(
        tampered.stdout.contains("[overlap-fields]"),
        "{}",
        tampered.stdout
    );
}

#[test]
fn the_manifest_records_the_run_and_the_output_hash() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(
        dir.path(),
        &[
            "generate",
            "-n",
            "25",
            "-s",
            "3",
            "--mix",
            "control=1,high_utilization=1",
            "-o",
            "u.json",
            "--manifest",
            "u.manifest.json",
            "-q",
        ],
        Input::Nothing,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("u.manifest.json")).unwrap()).unwrap();
    let data = fs::read(dir.path().join("u.json")).unwrap();
    use sha2::Digest;
    let digest: String = sha2::Sha256::digest(&data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(manifest["files"][0]["name"], "u.json");
    assert_eq!(manifest["files"][0]["role"], "profiles");
    assert_eq!(manifest["files"][0]["sha256"], digest.as_str());
    assert_eq!(manifest["files"][0]["bytes"], data.len());
    assert!(
        !dir.path().join("u.json.manifest.json").exists(),
        "--manifest replaces the sidecar"
    );
    assert_eq!(manifest["seed"], 3);
    assert_eq!(manifest["count"], 25);
    assert_eq!(
        manifest["mix"],
        "high_utilization=1,variable_income=0,subscription_heavy=0,savings_builder=0,control=1"
    );
    let fingerprint = run_in(dir.path(), &["fingerprint"], Input::Nothing).stdout;
    assert_eq!(manifest["fingerprint"], fingerprint.trim());
}
