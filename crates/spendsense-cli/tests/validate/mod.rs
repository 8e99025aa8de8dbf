//! `validate` on hostile input: every case is a clear one-line error (exit 2)
//! or a violation report (exit 1), each with its location, never a panic.

use serde_json::{Value, json};

use crate::{
    Input, assert_no_panic, bin, check, close_stdout_early, sample_json, sample_jsonl,
    sample_values,
};

/// Deterministic bytes that are not text: a 64-bit LCG, high bytes.
fn garbage(len: usize) -> Vec<u8> {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 56) as u8 | 0x80
        })
        .collect()
}

fn jsonl(values: &[Value]) -> Vec<u8> {
    values
        .iter()
        .map(|v| format!("{v}\n"))
        .collect::<String>()
        .into_bytes()
}

fn json_array(values: &[Value]) -> Vec<u8> {
    serde_json::to_vec_pretty(values).unwrap()
}

/// The sample with `change` applied to profile `index`.
fn changed(index: usize, change: impl FnOnce(&mut Value)) -> Vec<Value> {
    let mut values = sample_values();
    change(&mut values[index]);
    values
}

/// `[[[…]]]` nested `depth` levels.
fn nested(depth: usize) -> String {
    "[".repeat(depth) + &"]".repeat(depth)
}

/// Input that cannot be read at all: exit 2, one line naming the input and where.
#[test]
fn unreadable_input_is_a_one_line_error_with_the_place() {
    // Cut both samples just before the second profile's second key.
    let second = sample_json().match_indices("\"user_id\"").nth(1).unwrap().0;
    let truncated = sample_json().as_bytes()[..second].to_vec();
    let truncated_at = format!(
        "the JSON ends early, EOF while parsing an object at line {} column 4; is the file truncated?",
        truncated.iter().filter(|b| **b == b'\n').count() + 1
    );
    let line_2 = sample_jsonl().find('\n').unwrap() + 1;
    let cut = line_2 + sample_jsonl()[line_2..].find("\"name\"").unwrap();
    let truncated_lines = sample_jsonl().as_bytes()[..cut].to_vec();
    let cases: Vec<(&str, Input, &[&str], &str)> = vec![
        (
            "empty .json",
            Input::File("empty.json", vec![]),
            &["validate", "empty.json"],
            "error: empty.json is not a valid json profile dataset: the JSON ends early, EOF while parsing a value at line 1 column 0; is the file truncated?",
        ),
        (
            "empty, detected",
            Input::File("empty", vec![]),
            &["validate", "empty"],
            "error: empty is empty; expected a JSON array or JSON Lines of profiles",
        ),
        (
            "empty stdin",
            Input::Stdin(vec![]),
            &["validate", "-"],
            "error: stdin is empty; expected a JSON array or JSON Lines of profiles",
        ),
        (
            "only whitespace",
            Input::File("blank.json", b" \n\t\n".to_vec()),
            &["validate", "blank.json"],
            "the JSON ends early, EOF while parsing a value at line 3 column 0",
        ),
        (
            "empty .jsonl",
            Input::File("empty.jsonl", vec![]),
            &["validate", "empty.jsonl"],
            "error: empty.jsonl holds no profiles; expected at least one",
        ),
        (
            "empty array",
            Input::File("none.json", b"[]\n".to_vec()),
            &["validate", "none.json"],
            "error: none.json holds no profiles; expected at least one",
        ),
        (
            "not JSON",
            Input::File("words.json", b"hello, world\n".to_vec()),
            &["validate", "words.json"],
            "error: words.json is not a valid json profile dataset: invalid JSON: expected value at line 1 column 1",
        ),
        (
            "not JSON, detected",
            Input::File("words", b"hello, world\n".to_vec()),
            &["validate", "words"],
            "error: words starts with byte 0x68, not `[` (JSON array) or `{` (JSON Lines); pass --input-format to force one",
        ),
        (
            "not JSON as JSONL",
            Input::File("words.jsonl", b"{\"user_id\": nope}\n".to_vec()),
            &["validate", "words.jsonl"],
            "error: words.jsonl is not a valid jsonl profile dataset: line 1: invalid JSON: expected ident at line 1 column 14",
        ),
        (
            "a JSONL line that is not an object",
            Input::File(
                "mixed.jsonl",
                [sample_jsonl().as_bytes(), b"[1, 2]\n"].concat(),
            ),
            &["validate", "mixed.jsonl"],
            "error: mixed.jsonl is not a valid jsonl profile dataset: line 6 does not hold a JSON object (starts with `[1, 2]`)",
        ),
        (
            "truncated JSON",
            Input::File("cut.json", truncated),
            &["validate", "cut.json"],
            &truncated_at,
        ),
        (
            "truncated JSONL",
            Input::File("cut.jsonl", truncated_lines),
            &["validate", "cut.jsonl"],
            "error: cut.jsonl is not a valid jsonl profile dataset: line 2: invalid JSON: EOF while parsing an object at line 1 column",
        ),
        (
            "an object instead of an array",
            Input::File(
                "object.json",
                sample_jsonl().lines().next().unwrap().as_bytes().to_vec(),
            ),
            &["validate", "object.json"],
            "error: object.json is not a valid json profile dataset: expected a JSON array of profiles: invalid type: map, expected a JSON array of profiles at line 1 column 1",
        ),
        (
            "a number instead of an array",
            Input::File("number.json", b"42".to_vec()),
            &["validate", "number.json"],
            "expected a JSON array of profiles: invalid type: integer `42`, expected a JSON array of profiles at line 1 column 2",
        ),
        (
            "text after the array",
            Input::File("trailing.json", [sample_json().as_bytes(), b"[]"].concat()),
            &["validate", "trailing.json"],
            "invalid JSON: trailing characters at line",
        ),
        (
            "text after a profile on a JSONL line",
            Input::File(
                "trailing.jsonl",
                sample_jsonl().replacen('\n', " {}\n", 1).into_bytes(),
            ),
            &["validate", "trailing.jsonl"],
            "error: trailing.jsonl is not a valid jsonl profile dataset: line 1: invalid JSON: trailing characters at line 1 column",
        ),
        (
            "200,000 levels of unclosed arrays",
            Input::File("deep.json", "[".repeat(200_000).into_bytes()),
            &["validate", "deep.json"],
            "the JSON ends early, EOF while parsing a list at line 1 column 200000",
        ),
        (
            "binary garbage",
            Input::File("garbage.bin", garbage(4096)),
            &["validate", "garbage.bin"],
            "error: garbage.bin starts with byte 0x",
        ),
        (
            "binary garbage as JSON",
            Input::File("garbage.bin", garbage(4096)),
            &["validate", "--input-format", "json", "garbage.bin"],
            "error: garbage.bin is not a valid json profile dataset: invalid JSON: expected value at line 1 column 1",
        ),
        (
            "binary garbage as JSONL",
            Input::File("garbage.bin", garbage(4096)),
            &["validate", "--input-format", "jsonl", "garbage.bin"],
            "error: garbage.bin is not a valid jsonl profile dataset: line 1 is not UTF-8 text (invalid byte at column 1)",
        ),
        (
            "a NUL byte in a JSONL line",
            Input::File("nul.jsonl", b"{\"user_id\":\"a\0b\"}\n".to_vec()),
            &["validate", "nul.jsonl"],
            "line 1: invalid JSON: control character (\\u0000-\\u001F) found while parsing a string at line 1 column 13",
        ),
        (
            "a byte-order mark",
            Input::File(
                "bom.json",
                [b"\xef\xbb\xbf".as_slice(), sample_json().as_bytes()].concat(),
            ),
            &["validate", "bom.json"],
            "error: bom.json is not a valid json profile dataset: invalid JSON: expected value at line 1 column 1",
        ),
        (
            "a directory",
            Input::Nothing,
            &["validate", "."],
            "error: . is a directory; give a .json or .jsonl file",
        ),
        (
            "a missing file",
            Input::Nothing,
            &["validate", "missing.json"],
            "error: cannot open missing.json: No such file or directory",
        ),
        (
            "a path with a newline",
            Input::Nothing,
            &["validate", "two\nlines.json"],
            "error: cannot open two\\nlines.json: No such file or directory",
        ),
    ];
    for (name, input, args, expected) in cases {
        println!("case: {name}");
        check(args, input, 2, expected);
    }
}

/// A read that fails midway (here /proc/self/mem, which opens but answers
/// every read at offset 0 with EIO) is a one-line error naming the input.
#[cfg(target_os = "linux")]
#[test]
fn a_failing_read_is_a_one_line_error() {
    for format in ["auto", "json", "jsonl"] {
        check(
            &["validate", "--input-format", format, "/proc/self/mem"],
            Input::Nothing,
            2,
            "error: cannot read /proc/self/mem: Input/output error",
        );
    }
}

/// Lines and array elements past the 16 MiB limit stop reading, in bounded
/// memory, with the line or element. The input streams through stdin, so no
/// file of that size is written.
#[test]
fn records_past_the_size_limit_are_refused_with_their_place() {
    let long_string = "x".repeat(17 << 20);
    let line = format!("{{\"user_id\":\"{long_string}\"}}\n");
    check(
        &["validate", "--input-format", "jsonl", "-"],
        Input::Stdin([sample_jsonl().as_bytes(), line.as_bytes()].concat()),
        2,
        "error: stdin is not a valid jsonl profile dataset: line 6 is longer than 16777216 bytes, the per-line limit",
    );
    // Whitespace does not count as a record but a line is a line.
    check(
        &["validate", "--input-format", "jsonl", "-"],
        Input::Stdin(" ".repeat(17 << 20).into_bytes()),
        2,
        "line 1 is longer than 16777216 bytes",
    );
    let element = format!(
        "[{},\n\"{long_string}\"]",
        sample_jsonl().lines().next().unwrap()
    );
    check(
        &["validate", "--input-format", "json", "-"],
        Input::Stdin(element.into_bytes()),
        2,
        "error: stdin is not a valid json profile dataset: array element 1 (counting from 0) is longer than 16777216 bytes, the per-record limit",
    );
}

/// Input that is JSON but not valid profiles: a report with one violation per
/// problem (exit 1), located by line (JSONL) or profile index and field path.
#[test]
fn malformed_records_are_reported_with_line_or_index_and_field_path() {
    let deep_value = format!("{{\"user_id\":{}}}", nested(200_000));
    let deep_object = format!("{}1{}", "{\"a\":".repeat(200_000), "}".repeat(200_000));
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        (
            "wrong type",
            jsonl(&changed(1, |p| p["demographics"]["age"] = json!("thirty"))),
            "jsonl",
            "line 2 at demographics.age: [unreadable-record] invalid type: string \"thirty\", expected u8",
        ),
        (
            "wrong type in a JSON array",
            json_array(&changed(1, |p| p["demographics"]["age"] = json!("thirty"))),
            "json",
            "profile 1 at demographics.age: [unreadable-record] invalid type: string \"thirty\", expected u8",
        ),
        (
            "money as a string",
            jsonl(&changed(1, |p| p["annual_income"] = json!("96000.00"))),
            "jsonl",
            "line 2 at annual_income: [unreadable-record] expected a JSON number for an amount, found `\"96000.00\"`",
        ),
        (
            "a number as a string field",
            jsonl(&changed(0, |p| p["user_id"] = json!(7))),
            "jsonl",
            "line 1 at user_id: [unreadable-record] invalid type: integer `7`, expected a string",
        ),
        (
            "null where a value is required",
            jsonl(&changed(2, |p| p["accounts"] = Value::Null)),
            "jsonl",
            "line 3 at accounts: [unreadable-record] invalid type: null, expected a sequence",
        ),
        (
            "missing field",
            jsonl(&changed(2, |p| {
                p["accounts"][0]["balances"]
                    .as_object_mut()
                    .unwrap()
                    .remove("limit");
            })),
            "jsonl",
            "line 3 at accounts[0].balances: [unreadable-record] missing field `limit`",
        ),
        (
            "missing top-level field",
            jsonl(&changed(4, |p| {
                p.as_object_mut().unwrap().remove("persona");
            })),
            "jsonl",
            "line 5: [unreadable-record] missing field `persona`",
        ),
        (
            "unknown persona id",
            jsonl(&changed(3, |p| p["persona"] = json!("big_spender"))),
            "jsonl",
            "line 4 at persona: [unreadable-record] unknown variant `big_spender`, expected one of `high_utilization`",
        ),
        (
            "unknown field (the policy: rejected)",
            jsonl(&changed(1, |p| p["nickname"] = json!("Al"))),
            "jsonl",
            "line 2 at nickname: [unreadable-record] unknown field `nickname`, expected one of `user_id`",
        ),
        (
            "unknown nested field",
            jsonl(&changed(0, |p| {
                p["accounts"][1]["balances"]["overdraft"] = json!(0)
            })),
            "jsonl",
            "line 1 at accounts[1].balances.overdraft: [unreadable-record] unknown field `overdraft`",
        ),
        (
            "duplicate key",
            format!(
                "{}\n{{\"user_id\":\"a\",\"user_id\":\"b\"}}\n",
                sample_jsonl().lines().next().unwrap()
            )
            .into_bytes(),
            "jsonl",
            "line 2: [unreadable-record] duplicate field `user_id`",
        ),
        (
            "1e400 as an amount",
            planted(
                jsonl(&changed(1, |p| p["annual_income"] = json!(PLANT))),
                "1e400",
            ),
            "jsonl",
            "line 2 at annual_income: [unreadable-record] `1e400` is not an exact decimal amount (plain digits with an optional fraction, no exponent, at most 28 digits)",
        ),
        (
            "1e400 as an array element",
            b"[1e400]".to_vec(),
            "json",
            "profile 0: [unreadable-record] number out of range",
        ),
        (
            "1e400 as an integer",
            planted(
                jsonl(&changed(1, |p| p["demographics"]["age"] = json!(PLANT))),
                "1e400",
            ),
            "jsonl",
            "line 2 at demographics.age: [unreadable-record] number out of range",
        ),
        (
            "an integer past its type",
            jsonl(&changed(0, |p| p["demographics"]["age"] = json!(300))),
            "jsonl",
            "line 1 at demographics.age: [unreadable-record] invalid value: integer `300`, expected u8",
        ),
        (
            "200,000 levels of arrays in a field",
            format!("{deep_value}\n").into_bytes(),
            "jsonl",
            "line 1 at user_id: [unreadable-record] invalid type: sequence, expected a string",
        ),
        (
            "200,000 levels of arrays as a profile",
            format!("[{}]", nested(200_000)).into_bytes(),
            "json",
            "profile 0 at [0]: [unreadable-record] invalid type: sequence, expected a string",
        ),
        (
            "200,000 levels of objects",
            format!("{deep_object}\n").into_bytes(),
            "jsonl",
            "line 1 at a: [unreadable-record] unknown field `a`",
        ),
        (
            "a 1 MiB string quoted in a message is clipped",
            jsonl(&changed(0, |p| p["accounts"] = json!("y".repeat(1 << 20)))),
            "jsonl",
            "bytes …]yyy",
        ),
    ];
    for (name, input, format, expected) in cases {
        println!("case: {name}");
        let run = check(
            &["validate", "--input-format", format, "-"],
            Input::Stdin(input),
            1,
            expected,
        );
        assert!(
            run.stdout.len() < 20_000,
            "{name}: a report of {} bytes",
            run.stdout.len()
        );
    }
}

/// Profiles that parse but break rules: the report names the profile and the
/// field (exit 1).
#[test]
fn broken_rules_are_reported_with_the_profile_and_field_path() {
    // (case, profiles, line of the broken profile in JSONL, expected text)
    let cases: Vec<(&str, Vec<Value>, u64, &str)> = vec![
        (
            "negative balance",
            changed(0, |p| p["accounts"][0]["balances"]["current"] = json!(-5)),
            1,
            "user_MASKED_000 (line 1) at accounts[0].balances.current: [negative-amount] -5 is negative; must be >= 0",
        ),
        (
            "negative income",
            changed(2, |p| p["annual_income"] = json!(-1)),
            3,
            "user_MASKED_002 (line 3) at annual_income: [income-not-positive] -1 must be > 0",
        ),
        (
            "duplicate user id",
            changed(4, |p| p["user_id"] = json!("user_MASKED_000")),
            5,
            "user_MASKED_000 (line 5) at user_id: [duplicate-user-id] user_id `user_MASKED_000` appears earlier in the dataset",
        ),
        (
            "persona swapped",
            changed(0, |p| p["persona"] = json!("control")),
            1,
            "user_MASKED_000 (line 1) at plan: [classification-mismatch] the plan's 30d signals classify as",
        ),
    ];
    for (name, values, line, expected) in cases {
        println!("case: {name}");
        check(
            &["validate", "-"],
            Input::Stdin(jsonl(&values)),
            1,
            expected,
        );
        let run = check(
            &["validate", "--format", "json", "-"],
            Input::Stdin(jsonl(&values)),
            1,
            "\"line\"",
        );
        let report: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(report["violations"][0]["line"], json!(line), "{name}");
        // A JSON array has no lines: the index and user id place the profile.
        let run = check(
            &["validate", "--format", "json", "-"],
            Input::Stdin(json_array(&values)),
            1,
            "\"index\"",
        );
        let report: Value = serde_json::from_str(&run.stdout).unwrap();
        assert!(report["violation_count"].as_u64().unwrap() >= 1, "{name}");
        assert!(report["violations"][0].get("line").is_none(), "{name}");
        assert_eq!(report["violations"][0]["index"], json!(line - 1), "{name}");
    }
}

/// Amounts at the edges of what a `Decimal` holds, where arithmetic in the
/// checks overflows unless it is checked: still a report, never a panic.
#[test]
fn extreme_amounts_are_reported_not_a_panic() {
    const MAX: &str = "79228162514264337593543950335";
    const TINY: &str = "0.0000000000000000000000000001";
    let index_of = |subtype: &str| {
        let accounts = sample_values()[0]["accounts"].as_array().unwrap().clone();
        accounts
            .iter()
            .position(|a| a["subtype"] == subtype)
            .unwrap()
    };
    let (checking, card) = (index_of("checking"), index_of("credit card"));
    let cases: Vec<(&str, Value, &str, String)> = vec![
        (
            "a credit limit of 1e-28 (current / limit overflows)",
            json!(["accounts", card, "balances", "limit"]),
            TINY,
            format!("accounts[{card}].balances.limit: [amount-scale]"),
        ),
        (
            "an income of 1e-28 (buffer months overflow)",
            json!(["annual_income"]),
            TINY,
            "at annual_income: [amount-scale]".to_string(),
        ),
        (
            "the largest checking balance (times 12 overflows)",
            json!(["accounts", checking, "balances", "current"]),
            MAX,
            format!("at accounts[{checking}].balances.current"),
        ),
        (
            "the smallest card balance (limit - current overflows)",
            json!(["accounts", card, "balances", "current"]),
            "-79228162514264337593543950335",
            format!("at accounts[{card}].balances.current: [credit-balance-range]"),
        ),
        (
            "the largest income (income times a share overflows)",
            json!(["annual_income"]),
            MAX,
            format!("at accounts[{card}].balances.limit: [persona-range]"),
        ),
    ];
    for (name, path, raw, expected) in cases {
        println!("case: {name}");
        let values = changed(0, |profile| {
            let mut place = profile;
            for step in path.as_array().unwrap() {
                place = match step {
                    Value::String(key) => &mut place[key.as_str()],
                    index => &mut place[index.as_u64().unwrap() as usize],
                };
            }
            *place = json!(PLANT);
        });
        let input = planted(jsonl(&values), raw);
        check(
            &["validate", "--input-format", "jsonl", "-"],
            Input::Stdin(input),
            1,
            &expected,
        );
    }
}

#[test]
fn crlf_line_endings_and_blank_lines_are_accepted() {
    let text = sample_jsonl().replace('\n', "\r\n\r\n");
    check(
        &["validate", "--input-format", "jsonl", "-"],
        Input::Stdin(text.into_bytes()),
        0,
        "result: valid",
    );
}

/// `spendsense validate bad.jsonl | head -1`: the reader leaves early, and
/// the exit code still says the dataset is invalid.
#[test]
fn a_closed_stdout_keeps_the_verdict() {
    let bad: Vec<Value> = (0..1500)
        .map(|i| json!({ "user_id": format!("u{i}"), "extra": i }))
        .collect();
    let mut command = bin();
    command.args(["validate", "--format", "json", "-"]);
    let (status, stderr) = close_stdout_early(command, jsonl(&bad), 10);
    assert_no_panic(&stderr, &stderr);
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert_eq!(stderr, "");
}

/// A string a test plants where it then puts raw text serde_json would not write.
const PLANT: &str = "@@plant@@";

/// `bytes` with the planted string, quotes included, replaced by `raw`.
fn planted(bytes: Vec<u8>, raw: &str) -> Vec<u8> {
    let text = String::from_utf8(bytes).unwrap();
    let quoted = format!("\"{PLANT}\"");
    assert_eq!(text.matches(&quoted).count(), 1);
    text.replace(&quoted, raw).into_bytes()
}
