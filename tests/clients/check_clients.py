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
  docs/profile-format.md ("Reading the data"), extracted and run as they are;
- openapi-schema-validator (OAS30Validator, `nullable: true` understood) with
  Plaid's own schemas from <repo>/../shared/plaid: every account of 21 datasets
  against `AccountBase`, and every `--format plaid-sandbox` file against
  `UserCustomPassword` with `required` relaxed and unknown keys forbidden, plus
  the file's balances, APR, minimum payment, overdue flag and transactions
  (paychecks, recurring charges, card interest, savings transfers, Plaid's
  date limits) against the profile and its plan; one file per persona account
  by account against `OverrideAccounts` and transaction by transaction against
  `TransactionOverride` with its `required` list kept; CSV: every table (users,
  accounts and the plan's lists) against the JSONL, field by field.

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
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd
from jsonschema import Draft202012Validator
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "docs" / "profile.schema.json"
FORMAT_DOC = ROOT / "docs" / "profile-format.md"
SANDBOX_DOC = ROOT / "docs" / "plaid-sandbox.md"

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

# Plaid's reference data: CI clones the repository with shared/ beside it.
PLAID_DIR = ROOT.parent / "shared" / "plaid"
PLAID_SCHEMAS = PLAID_DIR / "plaid-account-and-sandbox-schemas.json"
PLAID_EXAMPLES = PLAID_DIR / "sandbox-custom-users"
# The URI the schema file is registered under, so `#/components/schemas/...` refs resolve inside it.
PLAID_URI = "https://spendsense.invalid/plaid-account-and-sandbox-schemas.json"
# Every account of these (seed, users, extra) datasets is validated against AccountBase.
PLAID_ACCOUNT_DATASETS = [(seed, 200, []) for seed in range(1, 21)] + [(2025, 200, ["--overlap", "0.5"])]
# `--format plaid-sandbox` exports checked file by file against UserCustomPassword and the profiles.
SANDBOX_DATASETS = [(42, 100, []), (7, 200, []), (11, 240, ["--overlap", "0.5"])]
PERSONAS = {"high_utilization", "variable_income", "subscription_heavy", "savings_builder", "control"}
# The CSV tables of the plan's lists: (file, path of the list in a profile).
PLAN_TABLES = [
    ("paychecks.csv", ("plan", "income", "paychecks")),
    ("recurring.csv", ("plan", "recurring")),
    ("cards.csv", ("plan", "cards")),
]
# A profile's ledger: its transactions and its cards' liabilities (issue 14).
LEDGER_TABLES = ["transactions.csv", "liabilities.csv"]
CSV_TABLES = ["users.csv", "accounts.csv", *(file for file, _ in PLAN_TABLES), *LEDGER_TABLES]
# Key paths SpendSense writes that Plaid's example files never use, though the schema defines them.
KEYS_BEYOND_THE_EXAMPLES = {".override_accounts[].meta.mask"}
# Plaid's Sandbox limits (docs/plaid-sandbox.md): transactions in the 730 days ending at as_of,
# a payroll deposit in the 90 days ending there.
TRANSACTION_DAYS = 730
INCOME_DAYS = 90
# What joins a transaction's name and merchant in `description`, as in Plaid's example files.
MERCHANT_NAME = ". Merchant name: "


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
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def flat(value, prefix=""):
    """A JSON object's leaves as `a_b` keys, in order (nested objects joined by `_`)."""
    out = {}
    for key, item in value.items():
        if isinstance(item, dict):
            out.update(flat(item, f"{prefix}{key}_"))
        else:
            out[f"{prefix}{key}"] = item
    return out


def list_at(profile, path):
    value = profile
    for key in path:
        value = value[key]
    return value


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
        plan = profile["plan"]
        expected.update({k: plan[k] for k in ("as_of", "history_start")})
        expected.update({f"income_{k}": v for k, v in plan["income"].items() if k != "paychecks"})
        expected["monthly_expenses"] = plan["monthly_expenses"]
        transfers = plan["savings_transfers"]
        for key in ("from_account_id", "to_account_id", "amount", "cadence", "first_transfer"):
            expected[f"savings_transfers_{key}"] = transfers[key] if transfers else None
        assert user == {k: text(v) for k, v in expected.items()}, (user, expected)
        for account in profile["accounts"]:
            columns = {"user_id": profile["user_id"], "account_id": account["account_id"]}
            columns.update({f"balances_{k}": v for k, v in account["balances"].items()})
            columns.update({k: v for k, v in account.items() if k not in ("account_id", "balances")})
            row = next(rows)
            assert row == {k: text(v) for k, v in columns.items()}, (row, columns)
            assert list(row) == list(columns), "column order follows the JSON keys"
    for file, path in PLAN_TABLES:
        with open(data.dir / file, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        expected = [
            {"user_id": profile["user_id"], **flat(item)} for profile in data.profiles for item in list_at(profile, path)
        ]
        assert rows == [{k: text(v) for k, v in e.items()} for e in expected], (file, rows[:2], expected[:2])


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


def check_duckdb_reads_transactions_exactly(data):
    """transactions.csv through DuckDB: amount text is exact (two places, no exponent),
    DECIMAL(18,2) gives back the same text and the same sums as Python's Decimal,
    the sniffer types it as a number, and every row joins users and accounts."""
    con = duckdb.connect()
    os.chdir(data.dir)
    text = "read_csv('transactions.csv', all_varchar = true)"
    (rows, malformed, changed) = con.execute(
        f"""SELECT count(*),
                   count(*) FILTER (WHERE NOT regexp_full_match(amount, '-?[0-9]+[.][0-9]{{2}}')),
                   count(*) FILTER (WHERE CAST(CAST(amount AS DECIMAL(18,2)) AS VARCHAR) <> amount)
            FROM {text}"""
    ).fetchone()
    assert rows > 0 and malformed == 0 and changed == 0, (rows, malformed, changed)
    types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_csv('transactions.csv'))").fetchall())
    assert types["amount"].startswith(NUMERIC_TYPES), types["amount"]
    assert types["transaction_id"] == "VARCHAR", types
    by_user = dict(
        con.execute(
            "SELECT user_id, sum(amount) FROM read_csv('transactions.csv', types = {'amount': 'DECIMAL(18,2)'}) GROUP BY user_id"
        ).fetchall()
    )
    expected = defaultdict(Decimal)
    with open(data.dir / "transactions.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            expected[row["user_id"]] += Decimal(row["amount"])
    assert by_user == dict(expected), "DECIMAL sums differ from the text's"
    assert set(by_user) == {p["user_id"] for p in data.profiles}, "a user without transactions"
    (orphans,) = con.execute(
        """SELECT count(*) FROM read_csv('transactions.csv') t
           LEFT JOIN read_csv('accounts.csv', types = {'mask': 'VARCHAR'}) a USING (user_id, account_id)
           WHERE a.account_id IS NULL"""
    ).fetchone()
    assert orphans == 0, orphans
    (repeated,) = con.execute("SELECT count(*) - count(DISTINCT transaction_id) FROM read_csv('transactions.csv')").fetchone()
    assert repeated == 0, repeated


def check_transactions_realise_the_plan(data):
    """Every paycheck of the JSONL plan is one payroll deposit, same date, amount negated
    (Plaid's sign: money in is negative); rows are in profile order, each user's oldest
    first; liabilities.csv has one row per credit card."""
    with open(data.dir / "transactions.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    users = [p["user_id"] for p in data.profiles]
    seen = list(dict.fromkeys(row["user_id"] for row in rows))
    assert seen == users, "transactions are not in profile order"
    by_user = defaultdict(list)
    for row in rows:
        by_user[row["user_id"]].append(row)
    for profile in data.profiles:
        mine = by_user[profile["user_id"]]
        dates = [row["date"] for row in mine]
        assert dates == sorted(dates), profile["user_id"]
        assert [row["transaction_id"] for row in mine] == sorted(row["transaction_id"] for row in mine)
        payroll = [
            (row["date"], -Decimal(row["amount"]))
            for row in mine
            if row["personal_finance_category_detailed"] == "INCOME_WAGES"
        ]
        paychecks = [(p["date"], p["amount"]) for p in profile["plan"]["income"]["paychecks"]]
        assert payroll == paychecks, (profile["user_id"], payroll[:3], paychecks[:3])
        assert all(row["pending"] == "false" for row in mine)
    with open(data.dir / "liabilities.csv", newline="", encoding="utf-8") as f:
        liabilities = [(row["user_id"], row["account_id"]) for row in csv.DictReader(f)]
    cards = [(p["user_id"], a["account_id"]) for p in data.profiles for a in p["accounts"] if a["type"] == "credit"]
    assert liabilities == cards, (liabilities[:3], cards[:3])


def check_doc_lists_the_csv_columns(data):
    doc = FORMAT_DOC.read_text(encoding="utf-8")
    for table in CSV_TABLES:
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


# --- Plaid's schemas (OpenAPI 3.0) ---------------------------------------------


@lru_cache(maxsize=None)
def plaid_schemas():
    """Plaid's schema file, from <repo>/../shared/plaid, with `TransactionOverride.description` restored.

    The shared file had every `description` key removed to shorten it, and that also removed
    TransactionOverride's property named `description` (a string in Plaid's spec), which its
    `required` list still names. Without it the closed copy would refuse every transaction.
    """
    if not PLAID_SCHEMAS.is_file():
        raise AssertionError(
            f"Plaid's schemas are missing: expected {PLAID_SCHEMAS} (shared/plaid beside the repository, as CI clones it)"
        )
    document = json.loads(PLAID_SCHEMAS.read_text(encoding="utf-8"))
    transaction = document["components"]["schemas"]["TransactionOverride"]
    assert "description" in transaction["required"], transaction
    transaction["properties"].setdefault("description", {"type": "string"})
    return document


def plaid_validator(document, name):
    """An OAS30Validator for `#/components/schemas/<name>`, refs resolved inside `document`."""
    assert name in document["components"]["schemas"], name
    registry = Registry().with_resource(PLAID_URI, Resource.from_contents(document, default_specification=DRAFT4))
    return OAS30Validator(
        {"$ref": f"{PLAID_URI}#/components/schemas/{name}"},
        registry=registry,
        format_checker=OAS30Validator.FORMAT_CHECKER,
    )


def relaxed_and_closed(node):
    """A copy of a schema with every `required` list removed and every object closed to unknown keys."""
    if isinstance(node, list):
        return [relaxed_and_closed(item) for item in node]
    if not isinstance(node, dict):
        return node
    copy_ = {}
    for key, value in node.items():
        if key == "required" and isinstance(value, list):
            continue
        # `properties` maps names to schemas: recurse into each, keep the names.
        copy_[key] = {k: relaxed_and_closed(v) for k, v in value.items()} if key == "properties" else relaxed_and_closed(value)
    if "properties" in node and node.get("additionalProperties") is not False:
        copy_["additionalProperties"] = False
    return copy_


@lru_cache(maxsize=None)
def sandbox_validator(name="UserCustomPassword"):
    return plaid_validator(relaxed_and_closed(plaid_schemas()), name)


def closed(node):
    """A copy of a schema with every object closed to unknown keys, `required` lists kept."""
    if isinstance(node, list):
        return [closed(item) for item in node]
    if not isinstance(node, dict):
        return node
    copy_ = {key: ({k: closed(v) for k, v in value.items()} if key == "properties" else closed(value)) for key, value in node.items()}
    if "properties" in node and node.get("additionalProperties") is not False:
        copy_["additionalProperties"] = False
    return copy_


@lru_cache(maxsize=None)
def transaction_validator():
    """TransactionOverride as Plaid defines it, every required key asked for, unknown keys refused."""
    return plaid_validator(closed(plaid_schemas()), "TransactionOverride")


def plaid_errors(validator, instance):
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message[:200]}" for error in validator.iter_errors(instance)]


def check_accounts_valid_against_plaid(binary, workdir):
    validator = plaid_validator(plaid_schemas(), "AccountBase")
    accounts = profiles = 0
    errors = []
    for seed, users, extra in PLAID_ACCOUNT_DATASETS:
        path = workdir / f"plaid-accounts-{seed}.jsonl"
        run(binary, "generate", "-n", users, "--seed", seed, "-q", *extra, "--format", "jsonl", "-o", path)
        with open(path, encoding="utf-8") as f:
            for line in f:
                profile = json.loads(line)  # floats, as a Plaid client reads numbers
                profiles += 1
                for i, account in enumerate(profile["accounts"]):
                    accounts += 1
                    errors += [f"seed {seed} {profile['user_id']} accounts[{i}] {e}" for e in plaid_errors(validator, account)]
    assert not errors, errors[:5]
    assert profiles == sum(users for _, users, _ in PLAID_ACCOUNT_DATASETS), profiles
    assert accounts > profiles, "every profile has a checking account, most have more"
    print(f"     {accounts} accounts of {profiles} profiles ({len(PLAID_ACCOUNT_DATASETS)} datasets) valid against Plaid's AccountBase")


def account_mutations():
    """(name, change) pairs; each breaks a Plaid account (a credit card)."""

    def setter(key, value, inner=None):
        return lambda a: (a[inner] if inner else a).__setitem__(key, value)

    def remover(key, inner=None):
        return lambda a: (a[inner] if inner else a).pop(key)

    return [
        ("subtype credit_card", setter("subtype", "credit_card")),
        ("missing official_name key", remover("official_name")),
        ("missing mask key", remover("mask")),
        ("balances without unofficial_currency_code", remover("unofficial_currency_code", "balances")),
        ("balances without limit", remover("limit", "balances")),
        ("type credit card", setter("type", "credit card")),
        ("holder_category household", setter("holder_category", "household")),
        ("null name", setter("name", None)),
        ("string balance", setter("current", "1.00", "balances")),
    ]


def check_broken_account_rejected_by_plaid(account, change):
    validator = plaid_validator(plaid_schemas(), "AccountBase")
    assert plaid_errors(validator, account) == [], "the unchanged account is invalid"
    broken = copy.deepcopy(account)
    change(broken)
    assert plaid_errors(validator, broken), "AccountBase accepts it"


class SandboxExport:
    """A `--format plaid-sandbox` directory and the JSONL profiles it was made from."""

    def __init__(self, binary, root, seed, users, extra, shard=None):
        self.name = f"seed {seed}, {users} users" + (f" {' '.join(extra)}" if extra else "") + (f" --shard {shard}" if shard else "")
        self.dir = root / f"sandbox-{seed}-{users}-{len(extra)}-{shard or 'all'}".replace("/", "of")
        common = ["generate", "-n", users, "--seed", seed, "-q", *extra]
        sharding = ["--shard", shard] if shard else []
        run(binary, *common, *sharding, "--format", "plaid-sandbox", "-o", self.dir)
        jsonl = root / f"{self.dir.name}.jsonl"
        run(binary, *common, *sharding, "--format", "jsonl", "-o", jsonl)
        self.profiles = load_jsonl(jsonl)
        with open(self.dir / "index.json", encoding="utf-8") as f:
            self.index = json.load(f)

    def files(self):
        """(profile, configuration with exact amounts, configuration with floats) for every profile."""
        for profile in self.profiles:
            text = (self.dir / f"{profile['user_id']}.json").read_text(encoding="utf-8")
            yield profile, json.loads(text, parse_float=Decimal), json.loads(text)


def check_sandbox_index(export):
    expected = []
    for profile in export.profiles:
        # expected_assignment is always there, null outside overlap scenarios, as in the profile.
        expected.append({
            "user_id": profile["user_id"],
            "persona": profile["persona"],
            "file": f"{profile['user_id']}.json",
            "expected_assignment": profile["expected_assignment"],
        })
    assert export.index == expected, (export.index[:2], expected[:2])
    names = sorted(p.name for p in export.dir.iterdir())
    assert names == sorted(["index.json", "manifest.json", *(e["file"] for e in expected)]), "exactly one file per profile and the manifest, no temporary files"


def check_sandbox_files_valid(export):
    validator = sandbox_validator()
    errors = [
        f"{profile['user_id']}.json: {error}"
        for profile, _, config in export.files()
        for error in plaid_errors(validator, config)
    ]
    assert not errors, errors[:5]
    print(f"     {len(export.profiles)} files valid against UserCustomPassword (required relaxed, unknown keys refused)")


def key_paths(value, path=""):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield f"{path}.{key}"
            yield from key_paths(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for inner in value:
            yield from key_paths(inner, f"{path}[]")


@lru_cache(maxsize=None)
def example_key_paths():
    paths = set()
    for example in PLAID_EXAMPLES.rglob("*.json"):
        paths.update(key_paths(json.loads(example.read_text(encoding="utf-8"))))
    assert paths, f"no Plaid example files in {PLAID_EXAMPLES}"
    return frozenset(paths)


def check_sandbox_keys_follow_the_examples(export):
    used = set()
    for _, _, config in export.files():
        used.update(key_paths(config))
    beyond = used - example_key_paths()
    assert beyond <= KEYS_BEYOND_THE_EXAMPLES, sorted(beyond - KEYS_BEYOND_THE_EXAMPLES)


def exact(actual, expected, what):
    """Same number with the same digits (`2703.00`, not `2703.0`)."""
    assert isinstance(actual, Decimal) and str(actual) == str(expected), (what, actual, expected)


def check_sandbox_matches_profiles(export):
    for profile, config, _ in export.files():
        accounts = config["override_accounts"]
        assert len(accounts) == len(profile["accounts"]), profile["user_id"]
        identity = profile["identity"]
        owner = {
            "names": [profile["name"]],
            "phone_numbers": [{"data": identity["phone_number"], "primary": True, "type": "mobile"}],
            "emails": [{"data": identity["email"], "primary": True, "type": "primary"}],
            "addresses": [{"data": {k: identity["address"][k] for k in ("city", "region", "street", "postal_code", "country")}, "primary": True}],
        }
        inflows = []
        for entry, account in zip(accounts, profile["accounts"]):
            where = f"{profile['user_id']} {account['account_id']}"
            balances = account["balances"]
            assert (entry["type"], entry["subtype"]) == (account["type"], account["subtype"]), where
            exact(entry["starting_balance"], balances["current"], where)
            exact(entry["force_available_balance"], balances["available"], where)
            assert entry["currency"] == balances["iso_currency_code"], where
            meta = {"name": account["name"], "official_name": account["official_name"], "limit": balances["limit"], "mask": account["mask"]}
            assert entry["meta"] == {k: v for k, v in meta.items() if v is not None}, where
            if balances["limit"] is not None:
                exact(entry["meta"]["limit"], balances["limit"], where)
            assert entry["identity"] == owner, where
            plan = next((c for c in profile["plan"]["cards"] if c["account_id"] == account["account_id"]), None)
            if account["subtype"] == "credit card" and plan is not None:
                liability = entry["liability"]
                assert liability["type"] == "credit" and liability["is_overdue"] is plan["is_overdue"], where
                exact(liability["purchase_apr"], plan["purchase_apr"], where)
                exact(liability["minimum_payment_amount"], plan["minimum_payment"], where)
            else:
                assert "liability" not in entry, where
            assert "inflow_model" not in entry, "the paychecks are transactions; Plaid would add the model's deposits to them"
        check_transactions_match_the_plan(profile, accounts)


def transactions_by_account(profile, accounts):
    """{account_id: the override account's transactions}; Plaid's own ids differ, the order is the profile's."""
    return {account["account_id"]: entry["transactions"] for account, entry in zip(profile["accounts"], accounts)}


def check_transactions_match_the_plan(profile, accounts):
    """The file's transactions are the plan's events, on the right accounts, within Plaid's limits."""
    user = profile["user_id"]
    plan = profile["plan"]
    as_of = date.fromisoformat(plan["as_of"])
    first_day = as_of.toordinal() + 1 - TRANSACTION_DAYS
    by_account = transactions_by_account(profile, accounts)
    for account_id, transactions in by_account.items():
        for t in transactions:
            where = (user, account_id, t)
            assert set(t) == {"date_transacted", "date_posted", "amount", "description", "currency"}, where
            assert isinstance(t["amount"], Decimal) and t["amount"].as_tuple().exponent == -2, where
            assert t["currency"] == "USD", where
            for key in ("date_transacted", "date_posted"):
                assert first_day <= date.fromisoformat(t[key]).toordinal() <= as_of.toordinal(), where
            assert t["date_transacted"] <= t["date_posted"], where
        posted = [t["date_posted"] for t in transactions]
        assert posted == sorted(posted), (user, account_id, "oldest first")

    checking = next(a["account_id"] for a in profile["accounts"] if a["subtype"] == "checking")
    employer = plan["income"]["employer"]
    pay = f"{employer} Payroll{MERCHANT_NAME}{employer}"
    deposits = [(t["date_posted"], -t["amount"]) for t in by_account[checking] if t["description"] == pay]
    assert deposits == [(p["date"], p["amount"]) for p in plan["income"]["paychecks"]], (user, deposits[:3])
    assert deposits and date.fromisoformat(deposits[-1][0]).toordinal() > as_of.toordinal() - INCOME_DAYS, (user, deposits[-1:])

    for charge in plan["recurring"]:
        merchant = charge["merchant"]
        charges = [t for t in by_account[charge["account_id"]] if t["description"] == f"{merchant}{MERCHANT_NAME}{merchant}"]
        assert charges and all(t["amount"] == charge["amount"] for t in charges), (user, merchant, charges[:2])
    for card in plan["cards"]:
        interest = [t for t in by_account[card["account_id"]] if t["description"] == "Interest charge"]
        charged = card["payment"] in ("revolving", "minimum_only", "overdue") and card["interest_per_statement"] > 0
        assert bool(interest) == charged, (user, card["account_id"], card["payment"], interest[:1])
        assert all(t["amount"] == card["interest_per_statement"] for t in interest), (user, interest[:1])
        received = [t["amount"] for t in by_account[card["account_id"]] if t["description"] == "Payment received"]
        assert all(amount < 0 for amount in received), (user, card["account_id"], received[:2])
    transfers = plan["savings_transfers"]
    if transfers is not None:
        out = [t["amount"] for t in by_account[transfers["from_account_id"]] if t["description"] == "Transfer to savings"]
        into = [t["amount"] for t in by_account[transfers["to_account_id"]] if t["description"] == "Transfer from checking"]
        assert out and out == [-amount for amount in into] and set(out) == {transfers["amount"]}, (user, out[:2], into[:2])


def check_sandbox_personas_look_right(exports):
    """What docs/plaid-sandbox.md promises a persona looks like in Plaid, from the files alone."""
    seen = defaultdict(int)
    seen_signals = defaultdict(int)
    for export in exports:
        for profile, config, _ in export.files():
            persona = profile["persona"]
            seen[persona] += 1
            accounts = config["override_accounts"]
            cards = [a for a in accounts if a["subtype"] == "credit card"]
            # Persona buffers are months of gross income, not of the net `income_amount`.
            income = profile["annual_income"] / 12
            checking = next(a["starting_balance"] for a in accounts if a["subtype"] == "checking")
            savings = sum((a["starting_balance"] for a in accounts if a["subtype"] == "savings"), Decimal(0))
            utilizations = [a["starting_balance"] / a["meta"]["limit"] for a in cards]
            if persona == "high_utilization":
                assert max(utilizations) >= Decimal("0.5"), (profile["user_id"], utilizations)
            if persona == "variable_income":
                assert checking < income, (profile["user_id"], checking, income)
            if persona == "savings_builder":
                assert savings >= Decimal("2.99") * income and max(utilizations) < Decimal("0.3"), (profile["user_id"], savings, utilizations)
            # The behaviour, from the transactions alone.
            listed = [t for a in accounts for t in a["transactions"]]
            gaps = pay_gaps(next(a for a in accounts if a["subtype"] == "checking")["transactions"])
            if persona == "variable_income":
                assert gaps and median(gaps) > 45, (profile["user_id"], gaps)
            if persona == "subscription_heavy":
                assert len(recurring_descriptions(listed)) >= 3, (profile["user_id"], recurring_descriptions(listed))
            if persona == "savings_builder":
                into = [t for a in accounts if a["subtype"] == "savings" for t in a["transactions"] if t["amount"] < 0]
                assert into, (profile["user_id"], "transfers into savings")
            seen_signals[persona] += 1
    assert set(seen) == PERSONAS, dict(seen)
    assert seen_signals == seen, (dict(seen_signals), dict(seen))


def pay_gaps(transactions):
    """Days between the payroll deposits (`… Payroll. Merchant name: …`, money in) of a checking account."""
    days = [date.fromisoformat(t["date_posted"]).toordinal() for t in transactions if " Payroll" + MERCHANT_NAME in t["description"] and t["amount"] < 0]
    return [b - a for a, b in zip(days, days[1:])]


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def recurring_descriptions(transactions):
    """Descriptions charged at least 3 times, always the same amount, weekly (6-8 days) or monthly (28-31 days)."""
    charges = defaultdict(list)
    for t in transactions:
        if t["amount"] > 0:
            charges[t["description"]].append((date.fromisoformat(t["date_posted"]).toordinal(), t["amount"]))
    recurring = []
    for description, dated in charges.items():
        days = sorted(day for day, _ in dated)
        gaps = [b - a for a, b in zip(days, days[1:])]
        if len(dated) >= 3 and len({amount for _, amount in dated}) == 1 and (all(6 <= g <= 8 for g in gaps) or all(28 <= g <= 31 for g in gaps)):
            recurring.append(description)
    return sorted(recurring)


def pretty(value):
    """JSON as spendsense writes a Sandbox file (serde_json's pretty printer): two-space indents, amounts with their digits."""
    tagged = json.dumps(_tag_decimals(value), indent=2, ensure_ascii=False)
    return re.sub(r'"__decimal__(-?[0-9.]+)"', r"\1", tagged)


# How many of the example account's transactions docs/plaid-sandbox.md shows.
DOC_EXAMPLE_TRANSACTIONS = 3


def check_sandbox_doc_example(export):
    """docs/plaid-sandbox.md's example is the third account of user_MASKED_055 (seed 42), its first transactions, as written."""
    doc = SANDBOX_DOC.read_text(encoding="utf-8")
    section = doc[doc.index("\n## Example\n") :]
    (block,) = re.findall(r"```json\n(.*?)```", section[: section.index("\n## ", 1)], flags=re.S)
    text = (export.dir / "user_MASKED_055.json").read_text(encoding="utf-8")
    config = json.loads(text, parse_float=Decimal)
    assert pretty(config) + "\n" == text, "pretty() lays JSON out as the files are written"
    account = config["override_accounts"][2]
    assert len(account["transactions"]) > DOC_EXAMPLE_TRANSACTIONS, len(account["transactions"])
    shown = {**account, "transactions": account["transactions"][:DOC_EXAMPLE_TRANSACTIONS]}
    assert json.loads(block, parse_float=Decimal) == shown, "update the example in docs/plaid-sandbox.md"
    assert block.strip() == pretty(shown), "the example keeps the file's layout and digits"


def sandbox_mutations():
    """(name, change) pairs; each puts a key or value UserCustomPassword does not define into a file."""

    def card(c):
        return next(a for a in c["override_accounts"] if a["subtype"] == "credit card")

    def checking(c):
        return next(a for a in c["override_accounts"] if a["subtype"] == "checking")

    def transaction(c):
        return checking(c)["transactions"][0]

    return [
        ("unknown top-level key user_id", lambda c: c.__setitem__("user_id", "user_MASKED_000")),
        ("holder_category on an override account", lambda c: checking(c).__setitem__("holder_category", "personal")),
        ("last_statement_balance in a liability", lambda c: card(c).setdefault("liability", {"type": "credit"}).__setitem__("last_statement_balance", 10.0)),
        ("account_id in meta", lambda c: checking(c)["meta"].__setitem__("account_id", "x")),
        ("subtype credit_card", lambda c: card(c).__setitem__("subtype", "credit_card")),
        ("type investments", lambda c: checking(c).__setitem__("type", "investments")),
        ("phone type cell", lambda c: checking(c)["identity"]["phone_numbers"][0].__setitem__("type", "cell")),
        ("mask of 5 digits", lambda c: checking(c)["meta"].__setitem__("mask", "12345")),
        ("string starting_balance", lambda c: checking(c).__setitem__("starting_balance", "100.00")),
        ("string transaction amount", lambda c: transaction(c).__setitem__("amount", "12.50")),
        ("transaction date not a date", lambda c: transaction(c).__setitem__("date_posted", "2026-02-30")),
        ("category on a transaction", lambda c: transaction(c).__setitem__("category", ["Shops"])),
        ("transaction_id on a transaction", lambda c: transaction(c).__setitem__("transaction_id", "x")),
        ("numeric description", lambda c: transaction(c).__setitem__("description", 7)),
    ]


def transaction_mutations():
    """(name, change) pairs; each breaks a transaction only TransactionOverride's required list catches."""
    return [(f"transaction without {key}", lambda t, key=key: t.pop(key)) for key in ("date_transacted", "date_posted", "amount", "description")]


def check_broken_transaction_rejected(transaction, change):
    validator = transaction_validator()
    assert plaid_errors(validator, transaction) == [], "the unchanged transaction is invalid"
    broken = copy.deepcopy(transaction)
    change(broken)
    assert plaid_errors(validator, broken), "TransactionOverride accepts it"


def check_sandbox_file_per_persona_valid(export):
    """One file per persona: the whole file, each account and each transaction valid against Plaid's schemas."""
    picked = {}
    for profile, config, floats in export.files():
        picked.setdefault(profile["persona"], (profile, config, floats))
    assert set(picked) == PERSONAS, sorted(picked)
    whole, account_schema, transaction_schema = sandbox_validator(), sandbox_validator("OverrideAccounts"), transaction_validator()
    summary = []
    for persona, (profile, config, floats) in sorted(picked.items()):
        user = profile["user_id"]
        errors = plaid_errors(whole, floats)
        for i, account in enumerate(floats["override_accounts"]):
            errors += [f"override_accounts[{i}] {e}" for e in plaid_errors(account_schema, account)]
            for j, t in enumerate(account["transactions"]):
                errors += [f"override_accounts[{i}].transactions[{j}] {e}" for e in plaid_errors(transaction_schema, t)]
                assert isinstance(t["amount"], (int, float)) and not isinstance(t["amount"], bool), (user, t)
        assert not errors, (user, errors[:5])
        checking = next(a for a in config["override_accounts"] if a["subtype"] == "checking")
        assert checking["transactions"], (user, "no transactions on checking")
        listed = [t for a in config["override_accounts"] for t in a["transactions"]]
        for t in listed:
            assert isinstance(t["amount"], Decimal) and -t["amount"].as_tuple().exponent <= 2, (user, t)
        summary.append(f"{persona} {user}: {len(listed)} transactions, {len(checking['transactions'])} on checking")
    print("     " + "; ".join(summary))


def check_broken_sandbox_file_rejected(config, change):
    validator = sandbox_validator()
    assert plaid_errors(validator, config) == [], "the unchanged file is invalid"
    broken = copy.deepcopy(config)
    change(broken)
    assert plaid_errors(validator, broken), "the relaxed, closed UserCustomPassword accepts it"


def check_sandbox_shard(binary, workdir, full):
    """--shard and --num-users apply: shard 2/3 of 240 is profiles 80..160, and only their files."""
    shard = SandboxExport(binary, workdir, 11, 240, ["--overlap", "0.5"], shard="2/3")
    assert [e["user_id"] for e in shard.index] == [p["user_id"] for p in full.profiles[80:160]]
    check_sandbox_index(shard)
    for user_id in (full.profiles[0]["user_id"], full.profiles[-1]["user_id"]):
        assert not (shard.dir / f"{user_id}.json").exists(), user_id


def check_sandbox_refuses_stdout_and_manifest(binary, workdir):
    for extra in (["-o", "-"], [], ["-o", workdir / "m", "--manifest", workdir / "m" / "x.json"]):
        result = subprocess.run(
            [str(binary), "generate", "-n", "2", "--format", "plaid-sandbox", *map(str, extra)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 2 and result.stdout == "", (extra, result.returncode, result.stdout[:100])
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr


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
    print(f"clients: jsonschema, duckdb {duckdb.__version__}, pandas {pd.__version__}, openapi-schema-validator; "
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
            checks.run(f"[{data.name}] DuckDB reads transactions.csv amounts exactly", check_duckdb_reads_transactions_exactly, data)
            checks.run(f"[{data.name}] transactions.csv realises the plan's paychecks", check_transactions_realise_the_plan, data)
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

        checks.run("every account of 21 datasets is valid against Plaid's AccountBase (OAS30Validator)", check_accounts_valid_against_plaid, binary, workdir)
        card = next(a for a in sample["accounts"] if a["type"] == "credit")
        card = json.loads(dumps(card))  # floats, as a Plaid client reads numbers
        for name, change in account_mutations():
            checks.run(f"AccountBase rejects: {name}", check_broken_account_rejected_by_plaid, card, change)
        exports = []
        for seed, users, extra in SANDBOX_DATASETS:
            # A profile outside Plaid's limits stops an export with one error line: a failed check, not a crash.
            made = []
            name = f"seed {seed}, {users} users" + (f" {' '.join(extra)}" if extra else "")
            checks.run(f"[sandbox {name}] the export is written", lambda: made.append(SandboxExport(binary, workdir, seed, users, extra)))
            if not made:
                continue
            (export,) = made
            exports.append(export)
            checks.run(f"[sandbox {export.name}] index.json lists one file per profile", check_sandbox_index, export)
            checks.run(f"[sandbox {export.name}] every file is valid against UserCustomPassword", check_sandbox_files_valid, export)
            checks.run(f"[sandbox {export.name}] keys are those of Plaid's example files", check_sandbox_keys_follow_the_examples, export)
            checks.run(f"[sandbox {export.name}] balances, APR, payments and transactions match the profiles", check_sandbox_matches_profiles, export)
        checks.run("sandbox personas look as docs/plaid-sandbox.md says", check_sandbox_personas_look_right, exports)
        checks.run("docs/plaid-sandbox.md's example is real output", check_sandbox_doc_example, exports[0])
        checks.run("sandbox honours --shard and --num-users", check_sandbox_shard, binary, workdir, exports[-1])
        checks.run("sandbox refuses stdout and a --manifest inside its directory with one line, exit 2", check_sandbox_refuses_stdout_and_manifest, binary, workdir)
        checks.run("one file per persona is valid against UserCustomPassword, OverrideAccounts and TransactionOverride", check_sandbox_file_per_persona_valid, exports[0])
        config = next(c for p, _, c in exports[0].files() if any(a["type"] == "credit" for a in p["accounts"]))
        for name, change in sandbox_mutations():
            checks.run(f"UserCustomPassword rejects: {name}", check_broken_sandbox_file_rejected, config, change)
        transaction = next(a for a in config["override_accounts"] if a["subtype"] == "checking")["transactions"][0]
        for name, change in transaction_mutations():
            checks.run(f"TransactionOverride rejects: {name}", check_broken_transaction_rejected, transaction, change)
    finally:
        os.chdir(ROOT)
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"client checks took {time.monotonic() - started:.1f}s", file=sys.stderr)
    print(f"{checks.passed} passed, {checks.failed} failed")
    sys.exit(1 if checks.failed else 0)


if __name__ == "__main__":
    main()
