//! The conventions a command-line tool is expected to keep: completion
//! scripts and man pages that cover every command and value, `--version`
//! naming the fingerprint, `-q` and a progress bar only on a terminal,
//! human-readable sizes in summaries, `--personas -` from stdin, and the
//! `ndjson` spelling of JSON Lines.
//!
//! What the tool offers (its commands, its formats) is read from its own
//! `--help`, so a command or format added later is checked with no edit here;
//! the names known today must be among them, so a parse that finds nothing fails.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::{Input, Run, bin, check, feed, finished, run, run_in, sample_jsonl};

/// The commands `spendsense --help` lists (clap's `help` aside).
fn commands() -> Vec<String> {
    let help = check(&["--help"], Input::Nothing, 0, "Commands:").stdout;
    let listed: Vec<String> = help
        .split("Commands:\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect();
    for known in [
        "generate",
        "validate",
        "personas",
        "schema",
        "fingerprint",
        "report",
        "completions",
        "man",
    ] {
        assert!(listed.iter().any(|c| c == known), "{known} in {listed:?}");
    }
    listed
}

/// The values of `option` with their one-line descriptions, from the
/// `Possible values:` list of `spendsense COMMAND --help`.
fn possible_values(command: &str, option: &str) -> Vec<(String, String)> {
    let help = check(&[command, "--help"], Input::Nothing, 0, option).stdout;
    let section = help
        .split(&format!("{option} <"))
        .nth(1)
        .unwrap_or_else(|| panic!("{option} in\n{help}"));
    let list = section
        .split("Possible values:\n")
        .nth(1)
        .unwrap_or_else(|| panic!("no possible values for {option}"));
    list.lines()
        .map_while(|line| line.trim().strip_prefix("- "))
        .map(|entry| {
            let (name, about) = entry.split_once(':').expect("`- name: description`");
            (name.to_string(), about.trim().to_string())
        })
        .collect()
}

/// The `--format` values of `generate`, checked to hold today's.
fn data_formats() -> Vec<String> {
    let names: Vec<String> = possible_values("generate", "--format")
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    for known in ["json", "jsonl", "csv", "plaid-sandbox"] {
        assert!(names.iter().any(|n| n == known), "{known} in {names:?}");
    }
    names
}

#[test]
fn help_lists_every_format_with_a_description_in_short_and_long_form() {
    for (command, option) in [
        ("generate", "--format"),
        ("validate", "--input-format"),
        ("validate", "--format"),
        ("report", "--input-format"),
        ("personas", "--format"),
    ] {
        let values = possible_values(command, option);
        assert!(values.len() >= 2, "{command} {option}: {values:?}");
        for (name, about) in &values {
            assert!(
                about.len() > 10,
                "{command} {option} {name} has no description"
            );
        }
        // `-h` is one line per option, with the values in brackets.
        let short = check(&[command, "-h"], Input::Nothing, 0, option).stdout;
        let line = short
            .lines()
            .find(|l| l.contains(&format!("{option} <")))
            .unwrap();
        let names: Vec<&str> = values.iter().map(|(n, _)| n.as_str()).collect();
        assert!(
            line.contains(&format!("[possible values: {}]", names.join(", "))),
            "{command} -h: {line}"
        );
    }
}

#[test]
fn version_names_the_fingerprint_of_the_defaults() {
    let fingerprint = check(&["fingerprint"], Input::Nothing, 0, "ssg").stdout;
    let expected = format!(
        "spendsense {} (fingerprint {})\n",
        env!("CARGO_PKG_VERSION"),
        fingerprint.trim()
    );
    for flag in ["--version", "-V"] {
        assert_eq!(check(&[flag], Input::Nothing, 0, "").stdout, expected);
    }
    // A command's own --version says the same, under its name.
    let generate = check(&["generate", "--version"], Input::Nothing, 0, "").stdout;
    assert_eq!(
        generate,
        expected.replace("spendsense ", "spendsense-generate ")
    );
}

#[test]
fn every_shell_gets_a_completion_script_and_bash_knows_every_command_and_format() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = check(&["completions", shell], Input::Nothing, 0, "generate").stdout;
        assert!(script.len() > 1000, "{shell}: {} bytes", script.len());
        assert!(script.contains("--personas"), "{shell}");
    }
    let bash = check(&["completions", "bash"], Input::Nothing, 0, "spendsense").stdout;
    // What bash offers after `spendsense `, and the word lists it offers for values.
    let top = bash
        .lines()
        .filter_map(|l| l.trim().strip_prefix("opts=\""))
        .find(|opts| opts.starts_with('-'))
        .unwrap();
    let word_lists: Vec<&str> = bash
        .split("compgen -W \"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    for command in commands() {
        assert!(
            top.split_whitespace().any(|w| w == command),
            "bash does not offer {command}: {top}"
        );
        assert!(
            bash.contains(&format!("spendsense__subcmd__{command}")),
            "bash has no completions of {command}'s options"
        );
    }
    let formats = data_formats().join(" ");
    assert!(
        word_lists.contains(&formats.as_str()),
        "bash does not offer --format {formats}: {word_lists:?}"
    );
    check(
        &["completions", "tcsh"],
        Input::Nothing,
        2,
        "invalid value 'tcsh'",
    );
}

/// Every control line of a roff page uses a request or macro a man page may.
fn assert_roff(page: &str, title: &str) {
    const KNOWN: [&str; 16] = [
        "TH", "SH", "SS", "TP", "IP", "PP", "LP", "P", "B", "I", "BR", "RS", "RE", "br", "ie", "el",
    ];
    let th = page
        .lines()
        .find(|l| l.starts_with(".TH "))
        .expect("a .TH line");
    assert!(th.starts_with(&format!(".TH {title} 1 ")), "{th}");
    for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS"] {
        assert!(
            page.lines().any(|l| l == format!(".SH {section}")),
            "{title}: no {section}"
        );
    }
    for line in page
        .lines()
        .filter(|l| l.starts_with('.') || l.starts_with('\''))
    {
        let request = line[1..].split_whitespace().next().unwrap_or("");
        assert!(KNOWN.contains(&request), "{title}: control line `{line}`");
    }
}

/// Renders `page` with groff when the machine has it (`-k`: UTF-8 input,
/// as `man` reads it): no warning, and the text holds `expected`.
fn render(page: &str, expected: &[String]) {
    let Ok(mut child) = Command::new("groff")
        // `-W break`: a long unbreakable word (the `--mix` example) may overrun the line.
        .args(["-k", "-man", "-Tutf8", "-W", "break"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    else {
        return;
    };
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(page.as_bytes())
        .unwrap();
    let out = finished(child.wait_with_output().unwrap());
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "", "groff warnings");
    // groff hyphenates and emboldens; compare letters only.
    let text: String = out.stdout.replace("\u{2010}", "-");
    for word in expected {
        assert!(
            text.contains(word.as_str()),
            "`{word}` in the rendered page"
        );
    }
}

#[test]
fn man_pages_are_roff_covering_every_command() {
    let commands = commands();
    let page = check(&["man"], Input::Nothing, 0, ".TH spendsense 1").stdout;
    assert_roff(&page, "spendsense");
    let subcommands = page.split(".SH SUBCOMMANDS").nth(1).expect("SUBCOMMANDS");
    for command in &commands {
        assert!(
            subcommands.contains(&format!("spendsense\\-{}", command.replace('-', "\\-"))),
            "the page lists {command}"
        );
    }
    render(&page, &commands);
    let formats = data_formats();
    for command in &commands {
        let page = check(&["man", command], Input::Nothing, 0, "").stdout;
        assert_roff(&page, &format!("spendsense-{command}"));
        if command == "generate" {
            for format in &formats {
                assert!(
                    page.contains(&format.replace('-', "\\-")),
                    "man generate lists {format}"
                );
            }
            render(&page, &formats);
        }
    }
    check(
        &["man", "nope"],
        Input::Nothing,
        2,
        "no man page for `nope`",
    );
}

/// Asserts that a shown size (`2.31 MiB`, `512 B`) is `bytes` at the
/// precision shown: binary units, two decimals.
pub fn assert_shown_size(shown: &str, bytes: u64) {
    let (number, unit) = shown.split_once(' ').unwrap();
    let scale = match unit {
        "B" => 1.0,
        "KiB" => 1024.0,
        "MiB" => 1024.0 * 1024.0,
        "GiB" => 1024.0 * 1024.0 * 1024.0,
        other => panic!("unit {other} in {shown}"),
    };
    let precision = if unit == "B" { 0.0 } else { 0.005 * scale };
    let size = number.parse::<f64>().unwrap() * scale;
    assert!(
        (size - bytes as f64).abs() <= precision,
        "{shown} is not {bytes} bytes"
    );
    assert!(
        unit == "B" || (1.0..1024.0).contains(&(size / scale)),
        "{shown}: not the largest unit"
    );
    assert!(unit != "B" || bytes < 1024, "{shown}: not the largest unit");
}

/// `n` with thousands separators, as summaries show counts: `1,000`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (at, digit) in digits.chars().enumerate() {
        if at > 0 && (digits.len() - at).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The text of `line` between `after` and the next `until`.
pub fn between<'a>(line: &'a str, after: &str, until: char) -> &'a str {
    let start = line.find(after).unwrap() + after.len();
    let rest = &line[start..];
    &rest[..rest.find(until).unwrap()]
}

/// The total size of the files under `path`.
fn bytes_under(path: &Path) -> u64 {
    if path.is_dir() {
        fs::read_dir(path)
            .unwrap()
            .map(|e| bytes_under(&e.unwrap().path()))
            .sum()
    } else {
        fs::metadata(path).unwrap().len()
    }
}

#[test]
fn thousands_are_separated() {
    for (n, shown) in [
        (0, "0"),
        (999, "999"),
        (1000, "1,000"),
        (1234567, "1,234,567"),
    ] {
        assert_eq!(thousands(n), shown);
    }
}

#[test]
fn summaries_show_sizes_in_binary_units_and_counts_with_separators() {
    let dir = tempfile::tempdir().unwrap();
    for (n, format, output) in [
        ("1", "jsonl", "one.jsonl"),
        ("40", "json", "forty.json"),
        ("1200", "jsonl", "many.jsonl"),
        ("30", "csv", "tables"),
    ] {
        let args = ["generate", "-n", n, "--format", format, "-o", output];
        let run = run_in(dir.path(), &args, Input::Nothing);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let line = run.stderr.lines().next().unwrap();
        let shown = thousands(n.parse().unwrap());
        assert!(
            line.starts_with(&format!("wrote {shown} profiles (")),
            "{line}"
        );
        // The summary counts the data; the directory's manifest.json is not data.
        let manifest = dir.path().join(output).join("manifest.json");
        let manifest = fs::metadata(&manifest).map_or(0, |m| m.len());
        let actual = bytes_under(&dir.path().join(output)) - manifest;
        assert_shown_size(between(line, "profiles (", ','), actual);
    }
    // An empty shard writes an empty JSON array: a few bytes.
    let args = ["generate", "-n", "2", "--shard", "1/3", "-o", "empty.json"];
    let run = run_in(dir.path(), &args, Input::Nothing);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = run.stderr.lines().next().unwrap();
    assert!(line.starts_with("wrote 0 profiles ("), "{line}");
    let actual = bytes_under(&dir.path().join("empty.json"));
    assert_shown_size(between(line, "profiles (", ','), actual);
    let args = ["report", "forty.json", "-o", "report.html"];
    let run = run_in(dir.path(), &args, Input::Nothing);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = run.stderr.lines().next().unwrap();
    let actual = fs::metadata(dir.path().join("report.html")).unwrap().len();
    assert_shown_size(between(line, "(valid; ", ')'), actual);
}

#[test]
fn quiet_runs_print_nothing_but_the_data_and_piped_stderr_gets_no_bar() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("users.jsonl"), sample_jsonl()).unwrap();
    let loud = run_in(dir.path(), &["validate", "users.jsonl"], Input::Nothing);
    let quiet = run_in(
        dir.path(),
        &["validate", "-q", "users.jsonl"],
        Input::Nothing,
    );
    assert_eq!((loud.code, quiet.code), (0, 0));
    assert_eq!(quiet.stdout, loud.stdout, "-q changes no data");
    assert_eq!(quiet.stderr, "");
    // Input of unknown size always wants a bar; a piped stderr must hide it.
    let piped = run(&["validate", "-"], Input::Stdin(sample_jsonl().into()));
    assert_eq!((piped.code, piped.stderr.as_str()), (0, ""));

    for quiet in [false, true] {
        let mut args = vec!["report", "users.jsonl", "-o", "report.html"];
        if quiet {
            args.push("--quiet");
        }
        let run = run_in(dir.path(), &args, Input::Nothing);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(dir.path().join("report.html").exists());
        assert_eq!(run.stdout, "");
        if quiet {
            assert_eq!(run.stderr, "");
        } else {
            assert!(
                run.stderr.starts_with("wrote report of 5 profiles"),
                "{}",
                run.stderr
            );
            assert_eq!(run.stderr.lines().count(), 1, "only the summary");
        }
    }
}

/// `command` run with a terminal as stdin, stdout and stderr (util-linux
/// `script`), its terminal output; `None` when `script` is missing.
fn on_a_terminal(dir: &Path, command: &str) -> Option<String> {
    let exe = env!("CARGO_BIN_EXE_spendsense");
    let mut script = Command::new("script");
    script
        .args(["-qec", &format!("{exe} {command}"), "/dev/null"])
        .current_dir(dir)
        .env("TERM", "xterm");
    let out = feed(script, Vec::new());
    if !out.status.success() && out.stdout.is_empty() {
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_terminal_sees_the_read_progress_unless_quiet() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("users.jsonl"), sample_jsonl()).unwrap();
    // Read through `cat`, the input's size is unknown, so even five profiles get a bar.
    let Some(loud) = on_a_terminal(dir.path(), "validate - < users.jsonl") else {
        return;
    };
    assert!(loud.contains(" read ("), "no bar on a terminal:\n{loud:?}");
    let quiet = on_a_terminal(dir.path(), "validate -q - < users.jsonl").unwrap();
    assert!(!quiet.contains(" read ("), "a bar despite -q:\n{quiet:?}");
    assert!(quiet.contains("profiles: 5"), "{quiet:?}");
}

#[test]
fn personas_dash_reads_the_definitions_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let definitions = check(&["personas", "--format", "json"], Input::Nothing, 0, "{").stdout;
    fs::write(dir.path().join("personas.json"), &definitions).unwrap();
    fs::write(dir.path().join("users.jsonl"), sample_jsonl()).unwrap();
    let stdin = || Input::Stdin(definitions.clone().into_bytes());
    let same = |args: &[&str]| {
        let from_file: Vec<&str> = args
            .iter()
            .map(|a| if *a == "-" { "personas.json" } else { *a })
            .collect();
        let file = run_in(dir.path(), &from_file, Input::Nothing);
        let piped = run_in(dir.path(), args, stdin());
        assert_eq!(piped.code, 0, "{args:?}: {}", piped.stderr);
        assert_eq!(piped.stdout, file.stdout, "{args:?}");
    };
    same(&["fingerprint", "--personas", "-"]);
    same(&["personas", "--personas", "-"]);
    same(&["generate", "-n", "20", "-q", "--personas", "-"]);
    same(&["validate", "users.jsonl", "--personas", "-"]);
    // Read from stdin, definitions are named so in errors.
    let broken = run(
        &["fingerprint", "--personas", "-"],
        Input::Stdin(b"{".to_vec()),
    );
    assert_eq!(broken.code, 2);
    assert!(
        broken
            .stderr
            .starts_with("error: persona definitions from stdin"),
        "{}",
        broken.stderr
    );
}

#[test]
fn stdin_cannot_be_both_the_dataset_and_the_definitions() {
    for args in [
        &["validate", "-", "--personas", "-"][..],
        &["report", "-", "--personas", "-", "-o", "r.html"],
        &[
            "validate",
            "users.jsonl",
            "--transactions",
            "-",
            "--personas",
            "-",
        ],
    ] {
        let run: Run = check(
            args,
            Input::File("users.jsonl", sample_jsonl().into()),
            2,
            "cannot both be `-`",
        );
        assert!(run.stderr.contains("--personas"), "{}", run.stderr);
    }
}

#[test]
fn ndjson_is_jsonl() {
    let jsonl = check(
        &["generate", "-n", "7", "-q", "-f", "jsonl"],
        Input::Nothing,
        0,
        "{",
    )
    .stdout;
    let ndjson = check(
        &["generate", "-n", "7", "-q", "-f", "ndjson"],
        Input::Nothing,
        0,
        "{",
    )
    .stdout;
    assert_eq!(ndjson, jsonl);
    let mut command = bin();
    command.args(["validate", "-", "--input-format", "ndjson"]);
    let validated = finished(feed(command, jsonl.into_bytes()));
    assert_eq!(validated.code, 0, "{}", validated.stderr);
    assert!(
        validated.stdout.contains("profiles: 7"),
        "{}",
        validated.stdout
    );
}

#[test]
fn completions_and_pages_fail_cleanly_on_a_full_stdout() {
    for args in [&["completions", "zsh"][..], &["man"], &["man", "validate"]] {
        let Ok(full) = fs::OpenOptions::new().write(true).open("/dev/full") else {
            return;
        };
        let out = bin().args(args).stdout(full).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.lines().count() == 1,
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("No space left"), "{args:?}: {stderr}");
    }
}

#[test]
fn man_output_writes_every_page_and_replaces_an_earlier_set() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("man1");
    fs::create_dir(&pages).unwrap();
    // An earlier run's page of a command that is gone, and a file of someone else's.
    fs::write(pages.join("spendsense-gone.1"), ".TH old").unwrap();
    fs::write(pages.join("notes.txt"), "mine").unwrap();
    let run = run_in(dir.path(), &["man", "-o", "man1"], Input::Nothing);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let commands = commands();
    let line = run.stderr.lines().next().unwrap();
    assert!(
        line.starts_with(&format!("wrote {} man pages (", commands.len() + 1)),
        "{line}"
    );
    let mut expected: Vec<String> = commands
        .iter()
        .map(|c| format!("spendsense-{c}.1"))
        .chain(["spendsense.1".to_string(), "notes.txt".to_string()])
        .collect();
    expected.sort();
    let mut found: Vec<String> = fs::read_dir(&pages)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    found.sort();
    assert_eq!(found, expected, "no stale page, no temporary, notes kept");
    let total: u64 = expected
        .iter()
        .filter(|name| name.ends_with(".1"))
        .map(|name| fs::metadata(pages.join(name)).unwrap().len())
        .sum();
    assert_shown_size(between(line, "pages (", ')'), total);
    // Each file is the page `spendsense man [COMMAND]` prints.
    let top = check(&["man"], Input::Nothing, 0, "").stdout;
    assert_eq!(fs::read_to_string(pages.join("spendsense.1")).unwrap(), top);
    for command in &commands {
        let page = check(&["man", command], Input::Nothing, 0, "").stdout;
        let file = pages.join(format!("spendsense-{command}.1"));
        assert_eq!(fs::read_to_string(file).unwrap(), page, "{command}");
    }
    assert_eq!(fs::read_to_string(pages.join("notes.txt")).unwrap(), "mine");

    fs::write(dir.path().join("file"), "x").unwrap();
    for (args, expected) in [
        (&["man", "-o", "-"][..], "takes a directory"),
        (&["man", "-o", "file"], "names a file"),
        (&["man", "generate", "-o", "man1"], "cannot be used with"),
    ] {
        let run = run_in(dir.path(), args, Input::Nothing);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    }
}
