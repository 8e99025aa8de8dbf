//! Usage errors: everything a user can type on the command line gets a
//! one-line error naming the value and what is allowed, and exit code 2.

use crate::{Input, check};

/// `(arguments, what the one-line error must say)`, every one exit 2.
const USAGE_ERRORS: &[(&[&str], &str)] = &[
    (
        &["generate", "--as-of", "2026-02-30"],
        "invalid value '2026-02-30' for '--as-of <DATE>': `2026-02-30` is not a date; expected YYYY-MM-DD, e.g. 2026-11-30, or `today`",
    ),
    (
        &["generate", "--as-of", "yesterday"],
        "invalid value 'yesterday' for '--as-of <DATE>': `yesterday` is not a date; expected YYYY-MM-DD, e.g. 2026-11-30, or `today`",
    ),
    (
        &["generate", "--as-of", "1899-12-31"],
        "invalid value '1899-12-31' for '--as-of <DATE>': 1899-12-31 is before 1900-01-01, the earliest --as-of",
    ),
    (
        &["generate", "--num-users", "0"],
        "invalid value '0' for '--num-users <N>': 0 users is not allowed; use a whole number from 1 to 1000000000",
    ),
    (
        &["generate", "--num-users", "-5"],
        "invalid value '-5' for '--num-users <N>': the user count cannot be negative; use a whole number from 1 to 1000000000",
    ),
    (
        &["generate", "--num-users", "lots"],
        "invalid value 'lots' for '--num-users <N>': not a whole number; use a whole number from 1 to 1000000000",
    ),
    (
        &["generate", "--num-users", "99999999999999999999999"],
        "invalid value '99999999999999999999999' for '--num-users <N>': too large; use a whole number up to 1000000000",
    ),
    (
        &["generate", "-n", "1000000001"],
        "invalid value '1000000001' for '--num-users <N>': too large; use a whole number from 1 to 1000000000",
    ),
    (
        &["generate", "-n", "1e3"],
        "invalid value '1e3' for '--num-users <N>': not a whole number",
    ),
    (
        &["generate", "-n", "2.5"],
        "invalid value '2.5' for '--num-users <N>': not a whole number",
    ),
    (
        &["generate", "-n", ""],
        "invalid value '' for '--num-users <N>': not a whole number",
    ),
    // A newline inside a value does not split the error over two lines.
    (
        &["generate", "-n", "5\n6"],
        "for '--num-users <N>': not a whole number",
    ),
    (
        &["generate", "-n"],
        "a value is required for '--num-users <N>' but none was supplied",
    ),
    (
        &["generate", "-n", "5", "-n", "6"],
        "the argument '--num-users <N>' cannot be used multiple times",
    ),
    (
        &["generate", "--seed", "abc"],
        "invalid value 'abc' for '--seed <S>': use a whole number from 0 to 18446744073709551615",
    ),
    (
        &["generate", "--seed", "-1"],
        "invalid value '-1' for '--seed <S>': use a whole number from 0 to 18446744073709551615",
    ),
    (
        &["generate", "--seed", "18446744073709551616"],
        "invalid value '18446744073709551616' for '--seed <S>': use a whole number from 0 to 18446744073709551615",
    ),
    (
        &["generate", "--format", "xml"],
        "invalid value 'xml' for '--format <FORMAT>' [possible values: json, jsonl",
    ),
    (
        &["generate", "--frobnicate"],
        "unexpected argument '--frobnicate' found",
    ),
    (&["generate", "extra"], "unexpected argument 'extra' found"),
    (&["frobnicate"], "unrecognized subcommand 'frobnicate'"),
    (
        &["generate", "--shard", "0/4"],
        "invalid value '0/4' for '--shard <K/N>': `0/4` is not K/N with 1 <= K <= N, e.g. 2/8",
    ),
    (
        &["generate", "--shard", "5/4"],
        "invalid value '5/4' for '--shard <K/N>': `5/4` is not K/N with 1 <= K <= N",
    ),
    (
        &["generate", "--shard", "1/0"],
        "invalid value '1/0' for '--shard <K/N>': `1/0` is not K/N",
    ),
    (
        &["generate", "--shard", "half"],
        "invalid value 'half' for '--shard <K/N>': `half` is not K/N",
    ),
    (
        &["generate", "--threads", "0"],
        "invalid value '0' for '--threads <N>': use a whole number from 1 to 256",
    ),
    (
        &["generate", "--threads", "100000"],
        "invalid value '100000' for '--threads <N>': use a whole number from 1 to 256",
    ),
    (
        &["generate", "--personas", "missing.json"],
        "cannot read persona definitions missing.json",
    ),
    (
        &["validate"],
        "the following required arguments were not provided: <PATH>",
    ),
    (
        &["validate", "--format", "yaml", "x.json"],
        "invalid value 'yaml' for '--format <FORMAT>' [possible values: text, json]",
    ),
    (
        &["validate", "--input-format", "csv", "x.json"],
        "invalid value 'csv' for '--input-format <INPUT_FORMAT>' [possible values: auto, json, jsonl]",
    ),
    (
        &["personas", "--format", "xml"],
        "invalid value 'xml' for '--format <FORMAT>' [possible values: table, json]",
    ),
];

#[test]
fn every_usage_error_is_one_line_naming_the_value_and_exit_2() {
    for (args, expected) in USAGE_ERRORS {
        check(args, Input::Nothing, 2, expected);
    }
}

/// `--as-of` moves every plan: the history ends on that day, every dated
/// event falls inside it, and the manifest records it; the default is fixed.
#[test]
fn as_of_moves_every_plan_and_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    for (as_of, expected) in [(None, "2026-11-30"), (Some("2025-03-01"), "2025-03-01")] {
        let mut args = vec![
            "generate", "-n", "20", "--format", "jsonl", "-q", "-o", "p.jsonl",
        ];
        args.extend(["--manifest", "m.json"]);
        if let Some(as_of) = as_of {
            args.extend(["--as-of", as_of]);
        }
        let run = crate::bin()
            .args(&args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(run.status.success(), "{run:?}");
        let data = std::fs::read_to_string(dir.path().join("p.jsonl")).unwrap();
        for line in data.lines() {
            let profile: serde_json::Value = serde_json::from_str(line).unwrap();
            let plan = &profile["plan"];
            assert_eq!(plan["as_of"], expected);
            let start = plan["history_start"].as_str().unwrap();
            for paycheck in plan["income"]["paychecks"].as_array().unwrap() {
                let date = paycheck["date"].as_str().unwrap();
                assert!(
                    start <= date && date <= expected,
                    "{date} outside {start}..={expected}"
                );
            }
        }
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("m.json")).unwrap()).unwrap();
        assert_eq!(manifest["as_of"], expected);
    }
}

#[test]
fn persona_definitions_that_are_not_json_are_a_usage_error() {
    check(
        &["generate", "--personas", "p.json"],
        Input::File("p.json", b"{not json".to_vec()),
        2,
        "error: persona definitions p.json: key must be a string at line 1 column 2",
    );
}

/// The default persona file as the binary writes it, with the first
/// `"max": …` after `field` replaced by `max`.
fn personas_with_max(field: &str, max: &str) -> Vec<u8> {
    let output = crate::bin()
        .args(["personas", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    let at = text.find(&format!("\"{field}\"")).unwrap();
    let start = at + text[at..].find("\"max\": ").unwrap() + "\"max\": ".len();
    let end = start + text[start..].find(['\n', ',', '}']).unwrap();
    format!("{}{max}{}", &text[..start], &text[end..]).into_bytes()
}

#[test]
fn persona_values_beyond_the_limits_are_a_usage_error() {
    // 1e27 once passed the check and overflowed during generation; 1e15
    // generated negative balances.
    for max in ["1000000000000000000000000000", "1000000000000000"] {
        check(
            &["generate", "--personas", "p.json"],
            Input::File("p.json", personas_with_max("checking_buffer_months", max)),
            2,
            &format!(
                "error: persona definitions p.json at `definitions[0].checking_buffer_months`: 0.20–{max} must lie within 0–120"
            ),
        );
    }
    check(
        &["generate", "--personas", "p.json"],
        Input::File("p.json", personas_with_max("median_gap_days", "400")),
        2,
        "persona definitions p.json at `definitions[1].pay.median_gap_days`: 46–400 must be a non-inverted range of days within 14–120",
    );
}

#[test]
fn a_persona_file_larger_than_the_limit_is_refused_unread() {
    // `/dev/zero` never ends: the read stops at the limit, in bounded memory.
    #[cfg(unix)]
    check(
        &["generate", "--personas", "/dev/zero"],
        Input::Nothing,
        2,
        "error: persona definitions /dev/zero are larger than 1048576 bytes (1 MiB)",
    );
    // A valid file padded past the limit with whitespace is refused by size, not parsed.
    let mut padded = personas_with_max("checking_buffer_months", "0.90");
    padded.resize(1 << 20 | 1, b' ');
    check(
        &["generate", "--personas", "p.json"],
        Input::File("p.json", padded.clone()),
        2,
        "error: persona definitions p.json are larger than 1048576 bytes (1 MiB)",
    );
    // Exactly at the limit it is still read.
    padded.truncate(1 << 20);
    check(
        &["fingerprint", "--personas", "p.json"],
        Input::File("p.json", padded),
        0,
        "",
    );
}

#[test]
fn text_after_the_persona_document_is_a_usage_error() {
    for trailer in ["{}", "x", "]"] {
        let mut bytes = personas_with_max("checking_buffer_months", "0.90");
        bytes.extend(trailer.as_bytes());
        check(
            &["generate", "--personas", "p.json"],
            Input::File("p.json", bytes),
            2,
            "error: persona definitions p.json: trailing characters at line",
        );
    }
    // Trailing whitespace is no document.
    let mut bytes = personas_with_max("checking_buffer_months", "0.90");
    bytes.extend(b"\n\n \t\n");
    check(
        &["fingerprint", "--personas", "p.json"],
        Input::File("p.json", bytes),
        0,
        "",
    );
}

#[test]
fn arguments_that_are_not_utf8_are_a_usage_error() {
    #[cfg(unix)]
    {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let bad = OsStr::from_bytes(b"\xff\xfe");
        let output = crate::bin()
            .args([OsStr::new("generate"), OsStr::new("-n"), bad])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let context = format!("{output:?}");
        assert_eq!(output.status.code(), Some(2), "{context}");
        crate::assert_one_line_error(&stderr, &context);
        crate::assert_no_panic(&stderr, &context);
        assert!(stderr.contains("invalid UTF-8"), "{context}");
    }
}

#[test]
fn help_and_version_succeed() {
    for args in [&["--help"][..], &["generate", "--help"], &["--version"]] {
        let run = crate::run(args, Input::Nothing);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(run.stdout.contains("spendsense"), "{args:?}");
    }
}
