//! `generate --transactions` and `validate --transactions`: the transactions
//! file is the same bytes whatever the threads and shards, it is written
//! atomically beside the profiles and never over them, a generated pair
//! validates, and a tampered or scrambled one does not.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{
    Input, Run, assert_no_panic, assert_run, run_in, start_held, stray_temp_files, temporaries,
};

const OLD: &[u8] = b"an old file, which no failed run may touch\n";

/// `generate -n N --format jsonl` plus `extra` in `dir`, profiles to
/// `users.jsonl` and transactions to `tx.jsonl`; returns both files.
fn generate(dir: &Path, count: &str, extra: &[&str]) -> (Vec<u8>, Vec<u8>) {
    let mut args = vec![
        "generate",
        "-n",
        count,
        "--seed",
        "9",
        "--format",
        "jsonl",
        "-o",
        "users.jsonl",
        "--transactions",
        "tx.jsonl",
        "-q",
    ];
    args.extend(extra);
    let run = run_in(dir, &args, Input::Nothing);
    assert_run(&args, &run, 0, "");
    let read = |name: &str| fs::read(dir.join(name)).unwrap();
    (read("users.jsonl"), read("tx.jsonl"))
}

/// A generated pair of `count` profiles in a fresh directory.
fn pair(count: &str) -> (tempfile::TempDir, Vec<Value>, Vec<Value>) {
    let dir = tempfile::tempdir().unwrap();
    let (users, transactions) = generate(dir.path(), count, &[]);
    (dir, values(&users), values(&transactions))
}

fn values(jsonl: &[u8]) -> Vec<Value> {
    std::str::from_utf8(jsonl)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn jsonl(values: &[Value]) -> Vec<u8> {
    values
        .iter()
        .flat_map(|v| format!("{v}\n").into_bytes())
        .collect()
}

fn owned_by(transaction: &Value, user_id: &str) -> bool {
    let id = transaction["transaction_id"].as_str().unwrap();
    id.strip_prefix(user_id)
        .is_some_and(|rest| rest.starts_with("-t"))
}

/// `validate users.jsonl --transactions tx.jsonl` in `dir` with `transactions` as tx.jsonl.
fn validate(dir: &Path, transactions: &[Value], extra: &[&str]) -> Run {
    fs::write(dir.join("tx.jsonl"), jsonl(transactions)).unwrap();
    // The file is written anew from parsed values (other bytes, the same
    // transactions), which the manifest's SHA-256 would report; these tests
    // are about the pairing and the detector.
    let mut args = vec![
        "validate",
        "users.jsonl",
        "--transactions",
        "tx.jsonl",
        "--no-manifest",
    ];
    args.extend(extra);
    run_in(dir, &args, Input::Nothing)
}

#[test]
fn the_transactions_file_does_not_depend_on_threads_or_shards() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let (users, single) = generate(dir, "40", &["-j", "1"]);
    assert!(!single.is_empty());
    for threads in ["2", "3", "8"] {
        assert!(
            generate(dir, "40", &["-j", threads]) == (users.clone(), single.clone()),
            "{threads} threads"
        );
    }
    for shards in [2, 3, 7] {
        let mut joined = Vec::new();
        for k in 1..=shards {
            let shard = format!("{k}/{shards}");
            joined.extend(generate(dir, "40", &["-j", "2", "--shard", &shard]).1);
        }
        assert!(joined == single, "{shards} shards");
    }
    // The profiles' layout does not change their transactions.
    let args = [
        "generate",
        "-n",
        "40",
        "--seed",
        "9",
        "-o",
        "users.json",
        "--transactions",
        "json-tx.jsonl",
    ];
    let run = run_in(dir, &args, Input::Nothing);
    assert_run(&args, &run, 0, "");
    assert!(fs::read(dir.join("json-tx.jsonl")).unwrap() == single);
    // One transaction per line, each user's in date order, users in profile order.
    let (profiles, transactions) = (values(&users), values(&single));
    let mut rest = transactions.as_slice();
    for profile in &profiles {
        let id = profile["user_id"].as_str().unwrap();
        let count = rest.iter().take_while(|t| owned_by(t, id)).count();
        assert!(count > 0, "{id} has no transactions");
        let dates: Vec<&str> = rest[..count]
            .iter()
            .map(|t| t["date"].as_str().unwrap())
            .collect();
        assert!(dates.is_sorted(), "{id}: {dates:?}");
        rest = &rest[count..];
    }
    assert!(rest.is_empty());
    // The summary counts them, after the profiles' line, and shows their size.
    let line = run.stderr.lines().nth(1).unwrap();
    let expected = format!(
        "transactions: {} (",
        crate::conventions::thousands(transactions.len() as u64)
    );
    assert!(line.starts_with(&expected), "{}", run.stderr);
    assert!(line.contains(", jsonl) to json-tx.jsonl ("), "{line}");
    crate::conventions::assert_shown_size(
        crate::conventions::between(line, " (", ','),
        single.len() as u64,
    );
}

#[test]
fn a_generated_pair_validates() {
    for count in ["1", "25"] {
        let (dir, _, transactions) = pair(count);
        let run = validate(dir.path(), &transactions, &[]);
        let context = format!("{} transactions: {}", transactions.len(), run.stdout);
        assert_eq!(run.code, 0, "{context}\n{}", run.stderr);
        let line = format!(
            "transactions: {}, read by the reference detector",
            transactions.len()
        );
        assert!(run.stdout.contains(&line), "{context}");
        let run = validate(dir.path(), &transactions, &["--format", "json"]);
        let report: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(report["transactions"], transactions.len());
    }
}

/// The detector reads only the transactions: take away what makes a user
/// its persona and the pair no longer validates, in both windows.
#[test]
fn a_tampered_pair_is_a_detector_mismatch() {
    let (dir, profiles, transactions) = pair("25");
    let users_of = |persona: &str| -> Vec<String> {
        profiles
            .iter()
            .filter(|p| p["persona"] == persona)
            .map(|p| p["user_id"].as_str().unwrap().to_string())
            .collect()
    };
    // Every subscription charge of one Subscription-Heavy user.
    let heavy = &users_of("subscription_heavy")[0];
    let is_subscription = |t: &Value| t["payment_channel"] == "online";
    // Every savings transfer of one Savings Builder.
    let saver = &users_of("savings_builder")[0];
    let is_saving = |t: &Value| {
        let detailed = t["personal_finance_category"]["detailed"].as_str().unwrap();
        detailed.ends_with("_SAVINGS")
    };
    type Removed<'a> = &'a dyn Fn(&Value) -> bool;
    let cases: [(&String, Removed, &str); 2] = [
        (heavy, &is_subscription, "subscription_heavy"),
        (saver, &is_saving, "savings_builder"),
    ];
    for (user, removed, persona) in cases {
        let kept: Vec<Value> = transactions
            .iter()
            .filter(|t| !(owned_by(t, user) && removed(t)))
            .cloned()
            .collect();
        assert!(kept.len() < transactions.len(), "{user}: nothing removed");
        let run = validate(dir.path(), &kept, &[]);
        let args = ["validate", "--transactions", persona];
        assert_run(&args, &run, 1, "[detector-mismatch]");
        for window in ["30d", "180d"] {
            let expected = format!(
                "at transactions: [detector-mismatch] the reference detector reads {user}'s {window} transactions as {{}}; a `{persona}` profile must read as {{{persona}}}"
            );
            assert!(run.stdout.contains(&expected), "{expected}\n{}", run.stdout);
        }
        assert!(
            run.stdout.contains("result: INVALID, 2 violation(s)"),
            "{}",
            run.stdout
        );
        let run = validate(dir.path(), &kept, &["--format", "json"]);
        let report: Value = serde_json::from_str(&run.stdout).unwrap();
        let violation = &report["violations"][0];
        assert_eq!(violation["rule"], "detector-mismatch");
        assert_eq!(violation["user_id"], user.as_str());
        assert_eq!(violation["path"], "transactions");
    }

    // A transaction on an account its user does not have.
    let mut moved = transactions.clone();
    let first = &mut moved[3];
    let (id, user) = (first["transaction_id"].clone(), &profiles[0]["user_id"]);
    first["account_id"] = "acct_elsewhere".into();
    let run = validate(dir.path(), &moved, &[]);
    let expected = format!(
        "{} (line 1) at transactions[3].account_id: [transaction-account-unknown] transaction `{}` names account `acct_elsewhere`, which {} does not have (1 such transaction(s))",
        user.as_str().unwrap(),
        id.as_str().unwrap(),
        user.as_str().unwrap()
    );
    assert_run(&["validate", "moved account"], &run, 1, &expected);
}

/// Hostile values in readable transactions (amounts at `Decimal`'s limits,
/// dates at the calendar's ends) are violations, never a panic.
#[test]
fn extreme_transactions_are_reported_not_a_panic() {
    let (dir, _, mut transactions) = pair("5");
    for (at, transaction) in transactions.iter_mut().enumerate() {
        // Placeholders: a `Value` would hold these numbers as floats.
        transaction["amount"] = ["MAX", "-MAX", "TINY"][at % 3].into();
        if at % 5 == 0 {
            transaction["date"] = ["0001-01-01", "9999-12-31"][at % 2].into();
        }
    }
    let text = String::from_utf8(jsonl(&transactions)).unwrap();
    let text = text
        .replace("\"-MAX\"", "-79228162514264337593543950335")
        .replace("\"MAX\"", "79228162514264337593543950335")
        .replace("\"TINY\"", "0.0000000000000000000000000001");
    fs::write(dir.path().join("tx.jsonl"), text).unwrap();
    let args = ["validate", "users.jsonl", "--transactions", "tx.jsonl"];
    let run = run_in(dir.path(), &args, Input::Nothing);
    assert_run(&args, &run, 1, "[detector-mismatch]");
}

/// Transactions that cannot be paired with the profiles stop the check with
/// one line naming the file, the line and what is wrong (exit 2).
#[test]
fn transactions_that_cannot_be_paired_are_one_line_errors() {
    let (dir, profiles, transactions) = pair("6");
    let dir = dir.path();
    let first_of = |user: usize| {
        let id = profiles[user]["user_id"].as_str().unwrap();
        transactions.iter().position(|t| owned_by(t, id)).unwrap()
    };
    let (second, third, sixth) = (first_of(1), first_of(2), first_of(5));
    let with = |change: &dyn Fn(&mut Vec<Value>)| {
        let mut changed = transactions.clone();
        change(&mut changed);
        changed
    };
    // The second user's block before the first user's.
    let swapped = with(&|t| t[..third].rotate_left(second));
    let late = with(&|t| {
        let moved = t.remove(0);
        t.push(moved);
    });
    let unknown = with(&|t| t[5]["transaction_id"] = "ghost-t0001".into());
    let unnamed = with(&|t| t[5]["transaction_id"] = "tx-5".into());
    let extra_user = with(&|t| {
        let mut extra = t[0].clone();
        extra["transaction_id"] = "user_MASKED_999-t0000".into();
        t.push(extra);
    });
    let not_a_transaction = with(&|t| {
        t[2].as_object_mut().unwrap().remove("amount");
    });
    let string_amount = with(&|t| t[2]["amount"] = "12.00".into());
    let last = transactions.len();
    let cases: Vec<(&str, Vec<Value>, String)> = vec![
        (
            "users out of order",
            swapped,
            format!(
                "error: tx.jsonl line {}: transaction `user_MASKED_000-t0000` of user_MASKED_000 comes after user_MASKED_001's (from line 1); each user's transactions must come together, in the order of the profiles in users.jsonl",
                third - second + 1
            ),
        ),
        (
            "one transaction out of place",
            late,
            format!(
                // Without the first line every line moves up one: the last
                // user's first is at line `sixth`, its index from 0 before.
                "error: tx.jsonl line {last}: transaction `user_MASKED_000-t0000` of user_MASKED_000 comes after user_MASKED_005's (from line {sixth})"
            ),
        ),
        (
            "a user without a profile",
            unknown,
            "error: tx.jsonl line 6: transaction `ghost-t0001` is of user ghost, who has no profile in users.jsonl".into(),
        ),
        (
            "transactions after the last profile's",
            extra_user,
            format!(
                "error: tx.jsonl line {}: transaction `user_MASKED_999-t0000` is of user user_MASKED_999, who has no profile in users.jsonl",
                last + 1
            ),
        ),
        (
            "an id that names no user",
            unnamed,
            "error: tx.jsonl line 6: transaction_id `tx-5` does not name its user; expected `<user_id>-t<number>`, as generate --transactions writes".into(),
        ),
        (
            "a missing field",
            not_a_transaction,
            "error: tx.jsonl line 3: not a transaction: missing field `amount`".into(),
        ),
        (
            "money as a string",
            string_amount,
            "error: tx.jsonl line 3: not a transaction: at `amount`: expected a JSON number for an amount, found `\"12.00\"`".into(),
        ),
    ];
    for (case, changed, expected) in cases {
        let run = validate(dir, &changed, &[]);
        assert_run(&["validate", "--transactions", case], &run, 2, &expected);
    }
    let mut garbage = jsonl(&transactions);
    garbage.splice(0..0, b"not json\n".iter().copied());
    fs::write(dir.join("garbage.jsonl"), garbage).unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["validate", "users.jsonl", "--transactions", "garbage.jsonl"],
            "error: garbage.jsonl line 1: not a transaction: invalid JSON: expected ident",
        ),
        (
            &["validate", "users.jsonl", "--transactions", "missing.jsonl"],
            "error: cannot open missing.jsonl: No such file or directory",
        ),
        (
            &["validate", "-", "--transactions", "-"],
            "error: PATH and --transactions cannot both be `-`",
        ),
    ];
    for (args, expected) in cases {
        let run = run_in(dir, args, Input::Nothing);
        assert_run(args, &run, 2, expected);
    }
}

/// Runs `args` in `dir` over old `users.jsonl` and `tx.jsonl`, and asserts
/// the outcome, that both files are unchanged and that no temporary file is left.
fn check_untouched(dir: &Path, args: &[&str], code: i32, expected: &str) -> Run {
    let old = [dir.join("users.jsonl"), dir.join("tx.jsonl")];
    for path in &old {
        fs::write(path, OLD).unwrap();
    }
    let run = run_in(dir, args, Input::Nothing);
    assert_run(args, &run, code, expected);
    for path in &old {
        assert_eq!(fs::read(path).unwrap(), OLD, "{args:?} changed {path:?}");
    }
    assert_eq!(stray_temp_files(dir), Vec::<PathBuf>::new(), "{args:?}");
    run
}

#[test]
fn bad_transactions_paths_are_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    fs::create_dir(dir.join("sub")).unwrap();
    let generate = |rest: &[&'static str]| {
        let mut args = vec!["generate", "-n", "3", "--format", "jsonl"];
        args.extend(rest);
        args
    };
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            generate(&["-o", "users.jsonl", "--transactions", "-"]),
            "error: --transactions `-` is not allowed: stdout is where the profiles go; give a file path such as transactions.jsonl",
        ),
        (
            generate(&["--transactions", "-"]),
            "error: --transactions `-` is not allowed",
        ),
        (
            generate(&["-o", "tx.jsonl", "--transactions", "tx.jsonl"]),
            "error: -o tx.jsonl and --transactions tx.jsonl are the same file; give each output its own path",
        ),
        (
            generate(&["-o", "sub/../tx.jsonl", "--transactions", "./tx.jsonl"]),
            "error: -o sub/../tx.jsonl and --transactions ./tx.jsonl are the same file",
        ),
        (
            generate(&[
                "-o",
                "users.jsonl",
                "--transactions",
                "tx.jsonl",
                "--manifest",
                "tx.jsonl",
            ]),
            "error: --transactions tx.jsonl and --manifest tx.jsonl are the same file",
        ),
        (
            generate(&["-o", "users.jsonl", "--manifest", "users.jsonl"]),
            "error: -o users.jsonl and --manifest users.jsonl are the same file",
        ),
        (
            generate(&["-o", "users.jsonl", "--transactions", "sub"]),
            "error: output path `sub` names a directory; give a file path such as sub/transactions.jsonl",
        ),
        (
            generate(&["-o", "users.jsonl", "--transactions", "missing/tx.jsonl"]),
            "error: cannot write missing/tx.jsonl: directory missing does not exist",
        ),
        (
            vec![
                "generate",
                "-n",
                "3",
                "--format",
                "csv",
                "-o",
                "sub",
                "--transactions",
                "tx.jsonl",
            ],
            "error: --transactions writes JSON Lines next to --format json or jsonl output; it is not available with --format csv",
        ),
        (
            vec![
                "generate",
                "-n",
                "3",
                "--format",
                "plaid-sandbox",
                "-o",
                "sub",
                "--transactions",
                "tx.jsonl",
            ],
            "it is not available with --format plaid-sandbox",
        ),
    ];
    for (args, expected) in cases {
        check_untouched(dir, &args, 2, expected);
    }
    assert!(fs::read_dir(dir.join("sub")).unwrap().next().is_none());
    assert!(!dir.join("missing").exists());
    // A device is written in place, so both outputs may go to one.
    let args = generate(&["-o", "/dev/null", "--transactions", "/dev/null", "-q"]);
    assert_run(&args, &run_in(dir, &args, Input::Nothing), 0, "");
}

#[test]
fn a_failed_transactions_write_replaces_neither_file() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "generate",
        "-n",
        "40",
        "--format",
        "jsonl",
        "-o",
        "users.jsonl",
        "--transactions",
        "tx.jsonl",
    ];
    let mut command = crate::bin();
    command
        .args(args)
        .current_dir(dir.path())
        .env("SPENDSENSE_TEST_FAIL", "written:tx.jsonl");
    for name in ["users.jsonl", "tx.jsonl"] {
        fs::write(dir.path().join(name), OLD).unwrap();
    }
    let run = crate::finished(crate::feed(command, Vec::new()));
    assert_run(
        &args,
        &run,
        1,
        "error: cannot write tx.jsonl: injected failure",
    );
    for name in ["users.jsonl", "tx.jsonl"] {
        assert_eq!(fs::read(dir.path().join(name)).unwrap(), OLD, "{name}");
    }
    assert!(stray_temp_files(dir.path()).is_empty());
}

/// An interrupt while the transactions are being written removes both
/// unfinished files and keeps both old ones.
#[cfg(unix)]
#[test]
fn an_interrupt_mid_run_removes_both_partial_files() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["users.jsonl", "tx.jsonl"] {
        fs::write(dir.path().join(name), OLD).unwrap();
    }
    let args = [
        "generate",
        "-n",
        "200",
        "--format",
        "jsonl",
        "-o",
        "users.jsonl",
        "--transactions",
        "tx.jsonl",
        "--no-manifest",
    ];
    let held = start_held(dir.path(), &args, "written:tx.jsonl");
    assert_eq!(held.at, "written tx.jsonl");
    assert_eq!(temporaries(dir.path()).len(), 2);
    let sent = std::process::Command::new("kill")
        .args(["-s", "TERM", &held.child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let (status, stderr) = held.finish();
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert_no_panic(&stderr, &stderr);
    assert!(
        stderr.contains("interrupted; removed 2 unfinished output file(s)"),
        "{stderr}"
    );
    assert!(stray_temp_files(dir.path()).is_empty());
    for name in ["users.jsonl", "tx.jsonl"] {
        assert_eq!(fs::read(dir.path().join(name)).unwrap(), OLD, "{name}");
    }
}

#[test]
fn the_help_says_what_the_transactions_file_holds() {
    let run = run_in(
        tempfile::tempdir().unwrap().path(),
        &["generate", "--help"],
        Input::Nothing,
    );
    let help = run.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "--transactions <FILE>",
        "One Plaid-shaped transaction per line",
        "amount positive = money out of the account, negative = money in",
        "each profile's transactions oldest first",
        "positive for money leaving the account",
        "negative for money arriving",
    ] {
        assert!(
            help.contains(expected),
            "`{expected}` not in\n{}",
            run.stdout
        );
    }
}
