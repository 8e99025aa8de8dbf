#!/usr/bin/env python3
"""SpendSense output read by real third-party clients.

Usage: check_clients.py PATH/TO/spendsense

Generates datasets with the given binary (several seeds and sizes, JSON, JSONL
and CSV, an overlap scenario and a shard) and checks them with clients that
know nothing about SpendSense:

- jsonschema (Draft202012Validator): every profile is valid against
  docs/profile.schema.json, and broken profiles are rejected, by the schema and
  by `spendsense validate` alike;
- DuckDB: reads the JSONL file and both CSV tables with numeric money columns,
  the right row counts, and a users x accounts join with the totals of the JSONL;
- pandas, DuckDB SQL and jsonschema again through the snippets of
  docs/profile-format.md ("Reading the data"), extracted and run as they are.

Prints one line per check and, last, `N passed, M failed`; exits 1 on any failure.
"""

import copy
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "docs" / "profile.schema.json"
FORMAT_DOC = ROOT / "docs" / "profile-format.md"

# (seed, users, extra generate arguments); JSONL and CSV are made of each.
DATASETS = [
    (42, 1, []),
    (7, 57, []),
    (2024, 503, []),
    (11, 240, ["--overlap", "0.5"]),
]

MONEY_COLUMNS = {
    "users.csv": ["annual_income", "target_credit_utilization", "target_savings_monthly"],
    "accounts.csv": ["balances_available", "balances_current", "balances_limit"],
}
NUMERIC_TYPES = ("DOUBLE", "DECIMAL")


class Checks:
    """Runs named checks, prints each result, and counts them."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def run(self, name, check, *args):
        try:
            check(*args)
        except Exception as error:  # a failed check is reported, never fatal
            self.failed += 1
            detail = "".join(traceback.format_exception_only(type(error), error)).strip()
            print(f"FAIL {name}: {detail[:2000]}", flush=True)
            if not isinstance(error, AssertionError):
                traceback.print_exc()
        else:
            self.passed += 1
            print(f"ok   {name}", flush=True)


def run(binary, *args, capture=False):
    result = subprocess.run(
        [str(binary), *map(str, args)],
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if result.returncode != 0:
        raise AssertionError(f"spendsense {' '.join(map(str, args))}: exit {result.returncode}: {result.stderr.strip()}")
    return result.stdout


def load_jsonl(path):
    """Profiles with exact amounts (Decimal keeps `66490.00` as it is written)."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line, parse_float=Decimal) for line in f if line.strip()]


def card_debt_by_persona(profiles):
    totals = defaultdict(Decimal)
    for profile in profiles:
        for account in profile["accounts"]:
            if account["type"] == "credit":
                totals[profile["persona"]] += account["balances"]["current"]
    return dict(totals)


def account_count(profiles):
    return sum(len(p["accounts"]) for p in profiles)


def text(value):
    """A JSON value as the CSV tables write it."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def same_totals(actual, expected, exact):
    assert set(actual) == set(expected), (sorted(actual), sorted(expected))
    for persona, total in expected.items():
        got = actual[persona]
        if exact:
            assert isinstance(got, Decimal) and got == total, (persona, got, total)
        else:
            assert abs(float(got) - float(total)) < 0.005, (persona, got, total)


# --- the dataset checks ---------------------------------------------------


class Dataset:
    def __init__(self, binary, root, seed, users, extra):
        self.seed, self.users, self.extra = seed, users, extra
        self.name = f"seed {seed}, {users} users" + (f" {' '.join(extra)}" if extra else "")
        self.dir = root / f"seed{seed}-n{users}"
        self.dir.mkdir()
        common = ["generate", "-n", users, "--seed", seed, "-q", *extra]
        run(binary, *common, "--format", "jsonl", "-o", self.dir / "profiles.jsonl")
        run(binary, *common, "--format", "json", "-o", self.dir / "profiles.json")
        run(binary, *common, "--format", "csv", "-o", self.dir)
        (self.dir / "profile.schema.json").write_text(run(binary, "schema", capture=True), encoding="utf-8")
        self.profiles = load_jsonl(self.dir / "profiles.jsonl")


def check_layouts_agree(data):
    assert len(data.profiles) == data.users
    with open(data.dir / "profiles.json", encoding="utf-8") as f:
        array = json.load(f, parse_float=Decimal)
    assert array == data.profiles, "JSON and JSONL differ"


def check_schema_accepts_every_profile(data, validator):
    errors = [
        f"{profile['user_id']}: {error.json_path}: {error.message}"
        for profile in data.profiles
        for error in validator.iter_errors(profile)
    ]
    assert not errors, errors[:5]


def check_csv_carries_the_same_facts(data):
    """Every field of every profile, as exact text, against the CSV rows (stdlib csv)."""
    with open(data.dir / "users.csv", newline="", encoding="utf-8") as f:
        users = list(csv.DictReader(f))
    with open(data.dir / "accounts.csv", newline="", encoding="utf-8") as f:
        accounts = list(csv.DictReader(f))
    assert len(users) == len(data.profiles)
    assert len(accounts) == account_count(data.profiles)
    rows = iter(accounts)
    for profile, user in zip(data.profiles, users):
        expected = {
            "user_id": profile["user_id"],
            "name": profile["name"],
            "persona": profile["persona"],
            "expected_assignment": profile.get("expected_assignment"),
            "matched_personas": profile.get("matched_personas"),
            "annual_income": profile["annual_income"],
            **profile["demographics"],
            "email": profile["identity"]["email"],
            "phone_number": profile["identity"]["phone_number"],
            **{f"address_{k}": v for k, v in profile["identity"]["address"].items()},
            **profile["characteristics"],
        }
        assert user == {k: text(v) for k, v in expected.items()}, (user, expected)
        for account in profile["accounts"]:
            flat = {"user_id": profile["user_id"], "account_id": account["account_id"]}
            flat.update({f"balances_{k}": v for k, v in account["balances"].items()})
            flat.update({k: v for k, v in account.items() if k not in ("account_id", "balances")})
            row = next(rows)
            assert row == {k: text(v) for k, v in flat.items()}, (row, flat)
            assert list(row) == list(flat), "column order follows the JSON keys"


def check_duckdb_reads_numbers_and_counts(data):
    con = duckdb.connect()
    os.chdir(data.dir)
    for table, columns in MONEY_COLUMNS.items():
        types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_csv('{table}'))").fetchall())
        for column in columns:
            (filled,) = con.execute(f"SELECT count({column}) FROM read_csv('{table}', all_varchar = true)").fetchone()
            # The sniffer cannot type a column that is empty in every row (no card in a 1-user file).
            if filled:
                assert types[column].startswith(NUMERIC_TYPES), (table, column, types[column])
    (users,) = con.execute("SELECT count(*) FROM read_csv('users.csv')").fetchone()
    (accounts,) = con.execute("SELECT count(*) FROM read_csv('accounts.csv')").fetchone()
    assert (users, accounts) == (data.users, account_count(data.profiles)), (users, accounts)

    rows, nested, income_type, current_type = con.execute(
        """SELECT count(*), sum(len(accounts)), any_value(typeof(annual_income)),
                  any_value(typeof(accounts[1].balances."current"))
           FROM read_json('profiles.jsonl')"""
    ).fetchone()
    assert (rows, nested) == (data.users, account_count(data.profiles)), (rows, nested)
    assert income_type.startswith(NUMERIC_TYPES) and current_type.startswith(NUMERIC_TYPES), (income_type, current_type)


def check_duckdb_join_matches_jsonl(data):
    con = duckdb.connect()
    os.chdir(data.dir)
    expected = card_debt_by_persona(data.profiles)
    by_persona = """
        SELECT u.persona, sum(a.balances_current) AS debt, count(*) AS cards
        FROM read_csv('users.csv') AS u
        JOIN read_csv('accounts.csv'{types}) AS a USING (user_id)
        WHERE a.type = 'credit' GROUP BY u.persona"""
    exact = ", types = {'balances_current': 'DECIMAL(18,2)'}"
    for types, is_exact in [("", False), (exact, True)]:
        rows = con.execute(by_persona.format(types=types)).fetchall()
        same_totals({p: debt for p, debt, _ in rows}, expected, is_exact)
    cards = sum(1 for p in data.profiles for a in p["accounts"] if a["type"] == "credit")
    (joined,) = con.execute(
        "SELECT count(*) FROM read_csv('users.csv') u JOIN read_csv('accounts.csv') a USING (user_id) WHERE a.type = 'credit'"
    ).fetchone()
    assert joined == cards, (joined, cards)
    (income,) = con.execute("SELECT sum(annual_income::DECIMAL(18,2)) FROM read_csv('users.csv', all_varchar = true)").fetchone()
    assert income == sum(p["annual_income"] for p in data.profiles), income


# --- the documentation's snippets -----------------------------------------


def reading_section():
    doc = FORMAT_DOC.read_text(encoding="utf-8")
    start = doc.index("\n## Reading the data\n")
    end = doc.find("\n## ", start + 1)
    return doc[start : end if end != -1 else len(doc)]


def snippets(language):
    return re.findall(rf"```{language}\n(.*?)```", reading_section(), flags=re.S)


def check_doc_lists_the_csv_columns(data):
    doc = FORMAT_DOC.read_text(encoding="utf-8")
    for table in ["users.csv", "accounts.csv"]:
        section = doc[doc.index(f"### `{table}`") :]
        section = section[: section.index("\n\n", section.index("|"))]
        documented = re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.M)
        with open(data.dir / table, newline="", encoding="utf-8") as f:
            header = next(csv.reader(f))
        assert documented == header, (table, documented, header)


def check_snippets_found(python_snippets, sql_snippets):
    assert len(python_snippets) >= 2 and len(sql_snippets) >= 2, (len(python_snippets), len(sql_snippets))


def check_python_snippet(data, source):
    os.chdir(data.dir)
    scope = {"__name__": "snippet"}
    exec(compile(source, "docs/profile-format.md", "exec"), scope)
    checked = 0
    if "errors" in scope:
        assert scope["errors"] == [], scope["errors"][:5]
        checked += 1
    if "card_debt" in scope:
        same_totals(scope["card_debt"].to_dict(), card_debt_by_persona(data.profiles), exact=False)
        checked += 1
    if "users" in scope and "accounts" in scope:
        assert len(scope["users"]) == data.users
        assert len(scope["accounts"]) == account_count(data.profiles)
        assert scope["accounts"]["mask"].str.fullmatch(r"[0-9]{4}").all(), "masks keep their leading zeros"
        checked += 1
    if "flat" in scope:
        flat = scope["flat"]
        assert len(flat) == account_count(data.profiles)
        assert sum(flat["balances.current"]) == sum(a["balances"]["current"] for p in data.profiles for a in p["accounts"])
        checked += 1
    assert checked, "the snippet defines none of the variables this script checks"


def check_sql_snippet(data, source):
    os.chdir(data.dir)
    con = duckdb.connect()
    result = con.execute(source)
    columns = [d[0] for d in result.description]
    rows = [dict(zip(columns, row)) for row in result.fetchall()]
    assert {"persona", "card_debt"} <= set(columns), columns
    totals = {row["persona"]: row["card_debt"] for row in rows}
    exact = bool(rows) and isinstance(rows[0]["card_debt"], Decimal)
    same_totals(totals, card_debt_by_persona(data.profiles), exact)
    if "utilization" in columns:
        for row in rows:
            assert 0 <= row["utilization"] <= 1, row


# --- broken profiles --------------------------------------------------------


def mutations():
    """(name, change) pairs; each change breaks a valid profile with a credit card."""

    def credit(p):
        return next(a for a in p["accounts"] if a["type"] == "credit")

    def checking(p):
        return next(a for a in p["accounts"] if a["subtype"] == "checking")

    def setter(get, key, value):
        return lambda p: get(p).__setitem__(key, value)

    def remover(get, key):
        return lambda p: get(p).pop(key)

    root = lambda p: p  # noqa: E731
    traits = lambda p: p["characteristics"]  # noqa: E731
    return [
        ("unknown root field", setter(root, "nickname", "Ada")),
        ("unknown Plaid field in an account", setter(checking, "verification_status", "verified")),
        ("unknown field in balances", setter(lambda p: checking(p)["balances"], "last_updated_datetime", None)),
        ("missing nullable key balances.limit", remover(lambda p: checking(p)["balances"], "limit")),
        ("missing nullable key official_name", remover(checking, "official_name")),
        ("missing nullable key unofficial_currency_code", remover(lambda p: credit(p)["balances"], "unofficial_currency_code")),
        ("missing key demographics.state", remover(lambda p: p["demographics"], "state")),
        ("string money annual_income", lambda p: p.__setitem__("annual_income", str(p["annual_income"]))),
        ("string money balances.current", lambda p: credit(p)["balances"].__setitem__("current", str(credit(p)["balances"]["current"]))),
        ("utilization 1.5", setter(traits, "target_credit_utilization", Decimal("1.5"))),
        ("negative savings target", setter(traits, "target_savings_monthly", Decimal("-1.00"))),
        ("unknown persona", setter(root, "persona", "SavingsBuilder")),
        ("income below the product range", setter(root, "annual_income", Decimal("19999.00"))),
        ("age 17", setter(lambda p: p["demographics"], "age", 17)),
        ("state PR", setter(lambda p: p["demographics"], "state", "PR")),
        ("bad mask 12a4", setter(checking, "mask", "12a4")),
        ("bad mask 123", setter(checking, "mask", "123")),
        ("null mask", setter(checking, "mask", None)),
        ("subtype credit_card", setter(credit, "subtype", "credit_card")),
        ("checking under type credit", setter(checking, "type", "credit")),
        ("depository with a limit", setter(lambda p: checking(p)["balances"], "limit", Decimal("500.00"))),
        ("credit card without a limit", setter(lambda p: credit(p)["balances"], "limit", None)),
        ("negative current balance", setter(lambda p: checking(p)["balances"], "current", Decimal("-5.00"))),
        ("no currency code", setter(lambda p: checking(p)["balances"], "iso_currency_code", None)),
        ("lowercase currency code", setter(lambda p: checking(p)["balances"], "iso_currency_code", "usd")),
        ("irregular pay with regular income", setter(traits, "pay_frequency", "irregular")),
        ("weekly pay every 30 days", lambda p: traits(p).update(pay_frequency="weekly", median_pay_gap_days=30, income_stability="regular")),
    ]


def dumps(profile):
    """Compact JSON with every Decimal written as its own text, as spendsense writes amounts."""
    tagged = json.dumps(_tag_decimals(profile), separators=(",", ":"))
    return re.sub(r'"__decimal__(-?[0-9.]+)"', r"\1", tagged)


def _tag_decimals(value):
    if isinstance(value, Decimal):
        return f"__decimal__{value}"
    if isinstance(value, dict):
        return {k: _tag_decimals(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_tag_decimals(v) for v in value]
    return value


def validate_exit(binary, workdir, profile):
    path = workdir / "one.jsonl"
    path.write_text(dumps(profile) + "\n", encoding="utf-8")
    result = subprocess.run([str(binary), "validate", str(path)], capture_output=True, text=True)
    return result.returncode


def check_valid_baseline(binary, workdir, validator, profile):
    assert list(validator.iter_errors(profile)) == []
    code = validate_exit(binary, workdir, profile)
    assert code == 0, f"spendsense validate exit {code} on an unchanged profile"


def check_broken_profile_rejected(binary, workdir, validator, profile, change):
    broken = copy.deepcopy(profile)
    change(broken)
    errors = list(validator.iter_errors(json.loads(dumps(broken), parse_float=Decimal)))
    assert errors, "the JSON Schema accepts it"
    code = validate_exit(binary, workdir, broken)
    assert code != 0, "spendsense validate accepts it"


def check_schema_command_matches_committed_file(binary):
    printed = run(binary, "schema", capture=True)
    assert printed == SCHEMA_FILE.read_text(encoding="utf-8"), "run `cargo xtask gen-data`"
    assert printed.endswith("}\n")


def check_csv_shard(binary, workdir, full):
    """--shard and --num-users apply to CSV: shard 2/3 is profiles 80..160 of 240."""
    shard = workdir / "shard"
    run(binary, "generate", "-n", full.users, "--seed", full.seed, *full.extra, "-q", "--format", "csv", "--shard", "2/3", "-o", shard)
    with open(shard / "users.csv", newline="", encoding="utf-8") as f:
        ids = [row["user_id"] for row in csv.DictReader(f)]
    assert ids == [p["user_id"] for p in full.profiles[80:160]], ids[:3]
    with open(shard / "accounts.csv", newline="", encoding="utf-8") as f:
        accounts = sum(1 for _ in csv.DictReader(f))
    assert accounts == account_count(full.profiles[80:160])


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check_clients.py PATH/TO/spendsense")
    binary = Path(sys.argv[1]).resolve()
    started = time.monotonic()
    checks = Checks()
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    python_snippets, sql_snippets = snippets("python"), snippets("sql")
    print(f"clients: jsonschema, duckdb {duckdb.__version__}, pandas {pd.__version__}; "
          f"{len(python_snippets)} Python and {len(sql_snippets)} SQL snippets in {FORMAT_DOC.relative_to(ROOT)}")

    workdir = Path(tempfile.mkdtemp(prefix="spendsense-clients-"))
    try:
        checks.run("spendsense schema prints docs/profile.schema.json", check_schema_command_matches_committed_file, binary)
        checks.run("the doc has Python and SQL snippets", check_snippets_found, python_snippets, sql_snippets)
        datasets = []
        for seed, users, extra in DATASETS:
            data = Dataset(binary, workdir, seed, users, extra)
            datasets.append(data)
            checks.run(f"[{data.name}] JSON and JSONL hold the same profiles", check_layouts_agree, data)
            checks.run(f"[{data.name}] jsonschema accepts every profile", check_schema_accepts_every_profile, data, validator)
            checks.run(f"[{data.name}] CSV carries the same facts as JSONL", check_csv_carries_the_same_facts, data)
            checks.run(f"[{data.name}] DuckDB reads numeric money and the row counts", check_duckdb_reads_numbers_and_counts, data)
            checks.run(f"[{data.name}] DuckDB users x accounts join matches JSONL totals", check_duckdb_join_matches_jsonl, data)
            for number, source in enumerate(python_snippets, start=1):
                checks.run(f"[{data.name}] doc Python snippet {number}", check_python_snippet, data, source)
            for number, source in enumerate(sql_snippets, start=1):
                checks.run(f"[{data.name}] doc SQL snippet {number}", check_sql_snippet, data, source)
        checks.run("doc lists the CSV columns in file order", check_doc_lists_the_csv_columns, datasets[-1])
        checks.run("CSV honours --shard and --num-users", check_csv_shard, binary, workdir, datasets[-1])

        sample = next(p for p in datasets[1].profiles if any(a["type"] == "credit" for a in p["accounts"]))
        checks.run("an unchanged profile passes jsonschema and spendsense validate", check_valid_baseline, binary, workdir, validator, sample)
        for name, change in mutations():
            checks.run(f"rejected: {name}", check_broken_profile_rejected, binary, workdir, validator, sample, change)
    finally:
        os.chdir(ROOT)
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"client checks took {time.monotonic() - started:.1f}s", file=sys.stderr)
    print(f"{checks.passed} passed, {checks.failed} failed")
    sys.exit(1 if checks.failed else 0)


if __name__ == "__main__":
    main()
