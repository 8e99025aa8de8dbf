//! Terminal safety: no control character from an input, a file name or an
//! argument reaches stdout or stderr raw. A crafted JSONL line must not
//! retitle, clear or recolour the terminal of whoever validates it, nor reverse
//! the text around it; the escaped form (`\u{1b}`) shows what was there.

use serde_json::{Value, json};

use crate::{Input, Run, assert_run, run, sample_values};

/// ESC OSC 0 (set the window title), then BEL and NUL.
const TITLE: &str = "\u{1b}]0;pwned\u{7}\u{0}";
/// ESC CSI 2J (clear the screen), then a C1 control (CSI as one character)
/// and a right-to-left override.
const CLEAR: &str = "\u{1b}[2J\u{9b}\u{202e}";

/// Whether a terminal would act on `c`: a C0 control other than a newline,
/// DEL, a C1 control or a Unicode bidirectional control.
fn acted_on(c: char) -> bool {
    (c < ' ' && c != '\n')
        || ('\u{7f}'..='\u{9f}').contains(&c)
        || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Neither stream holds a character a terminal acts on, and `shown` (an
/// escaped form) is visible in one of them.
fn assert_safe(run: &Run, shown: &str) {
    for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        if let Some(c) = text.chars().find(|&c| acted_on(c)) {
            panic!(
                "raw {c:?} on {stream}:\n{}",
                text.escape_debug().collect::<String>()
            );
        }
    }
    assert!(
        run.stdout.contains(shown) || run.stderr.contains(shown),
        "`{shown}` is not shown\n--- stdout\n{}\n--- stderr\n{}",
        run.stdout,
        run.stderr
    );
}

fn jsonl(values: &[Value]) -> Vec<u8> {
    values
        .iter()
        .map(|v| format!("{v}\n"))
        .collect::<String>()
        .into_bytes()
}

/// `validate -` (text and JSON report) over the sample with `change` applied
/// to its first profile: exit `code`, `expected` in the output, no raw
/// control character, and `shown` visible.
fn check(change: impl FnOnce(&mut Value), code: i32, expected: &str, shown: &str) {
    let mut values = sample_values();
    change(&mut values[0]);
    let input = jsonl(&values);
    for format in ["text", "json"] {
        let args = ["validate", "-", "--format", format];
        let run = run(&args, Input::Stdin(input.clone()));
        if format == "text" {
            assert_run(&args, &run, code, expected);
            assert_safe(&run, shown);
        } else {
            // The JSON report holds the same escaped text, its backslashes
            // escaped again by JSON.
            assert_eq!(run.code, code, "{}", run.stderr);
            assert_safe(&run, &shown.replace('\\', "\\\\"));
        }
    }
}

#[test]
fn validate_escapes_control_characters_in_a_user_id() {
    check(
        |p| {
            p["user_id"] = json!(format!("user{TITLE}{CLEAR}"));
            p["identity"]["email"] = json!("x@evil.test");
        },
        1,
        "[email-not-reserved]",
        r"user\u{1b}]0;pwned\u{7}\0\u{1b}[2J\u{9b}\u{202e}",
    );
}

#[test]
fn validate_escapes_control_characters_in_quoted_values() {
    check(
        |p| p["identity"]["email"] = json!(format!("{CLEAR}@example.evil{TITLE}")),
        1,
        "is not an address at example.com",
        r"`\u{1b}[2J\u{9b}\u{202e}@example.evil\u{1b}]0;pwned\u{7}\0`",
    );
    check(
        |p| p["accounts"][0]["mask"] = json!(TITLE),
        1,
        "is not exactly 4 digits",
        r"`\u{1b}]0;pwned\u{7}\0`",
    );
}

#[test]
fn validate_escapes_control_characters_in_an_unknown_field_name() {
    check(
        |p| p[format!("x{TITLE}{CLEAR}")] = json!(1),
        1,
        "[unreadable-record] unknown field `x\\u{1b}]0;pwned",
        r"x\u{1b}]0;pwned\u{7}\0\u{1b}[2J\u{9b}\u{202e}",
    );
    check(
        |p| p["accounts"][0][CLEAR] = json!(1),
        1,
        "at accounts[0]",
        r"\u{1b}[2J\u{9b}\u{202e}",
    );
}

#[test]
fn validate_escapes_control_characters_in_a_string_where_a_number_is_expected() {
    check(
        |p| p["demographics"]["age"] = json!(format!("{TITLE}{CLEAR}")),
        1,
        "at demographics.age: [unreadable-record] invalid type: string",
        r"\u{1b}[2J\u{9b}\u{202e}",
    );
    check(
        |p| p["annual_income"] = json!(CLEAR),
        1,
        "at annual_income: [unreadable-record] expected a JSON number for an amount",
        // The amount is quoted as its JSON text, where ESC is already `\u001b`.
        r"\u{9b}\u{202e}",
    );
}

#[test]
fn validate_escapes_a_line_that_is_not_an_object() {
    let args = ["validate", "-", "--input-format", "jsonl"];
    let run = run(
        &args,
        Input::Stdin(format!("{TITLE}{CLEAR}\n").into_bytes()),
    );
    assert_run(&args, &run, 2, "does not hold a JSON object");
    assert_safe(&run, r"\u{1b}]0;pwned\u{7}\0");
}

#[test]
fn validate_escapes_a_file_name_with_control_characters() {
    const NAME: &str = "\u{1b}]0;pwned\u{7}\u{202e}.json";
    const SHOWN: &str = r"\u{1b}]0;pwned\u{7}\u{202e}.json";
    // Missing: the error names the file.
    let args = ["validate", NAME];
    let missing = run(&args, Input::Nothing);
    assert_run(&args, &missing, 2, "cannot open");
    assert_safe(&missing, SHOWN);
    // Present but empty: the error names it too.
    let empty = run(&args, Input::File(NAME, Vec::new()));
    assert_run(&args, &empty, 2, "the JSON ends early");
    assert_safe(&empty, SHOWN);
}

#[test]
fn generate_and_report_escape_an_output_name_with_control_characters() {
    const NAME: &str = "\u{1b}]0;pwned\u{7}.jsonl";
    const SHOWN: &str = r"\u{1b}]0;pwned\u{7}.jsonl";
    let dir = tempfile::tempdir().unwrap();
    let generated = crate::run_in(
        dir.path(),
        &["generate", "-n", "3", "--format", "jsonl", "-o", NAME],
        Input::Nothing,
    );
    assert_eq!(generated.code, 0, "{}", generated.stderr);
    assert_safe(&generated, SHOWN);
    let report = crate::run_in(
        dir.path(),
        &["report", NAME, "-o", "\u{1b}[2J.html"],
        Input::Nothing,
    );
    assert_eq!(report.code, 0, "{}", report.stderr);
    assert_safe(&report, r"\u{1b}[2J.html");
}

#[test]
fn argument_errors_escape_the_value_clap_quotes() {
    // clap itself drops ESC sequences and BEL from the value it quotes, but
    // not C1 or bidi controls.
    let args = [
        "generate",
        "--num-users",
        "12\u{7}\u{9b}x\u{202e}\u{1b}[31mred",
    ];
    let run = run(&args, Input::Nothing);
    assert_run(&args, &run, 2, "for '--num-users <N>'");
    assert_safe(&run, r"'12\u{9b}x\u{202e}red'");
}
