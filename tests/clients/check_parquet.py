#!/usr/bin/env python3
"""`spendsense generate --format parquet` read by real readers, with no hints.

Usage: check_parquet.py PATH/TO/spendsense

Generates small datasets with the given binary, as Parquet and, from the same
run, as JSONL with `--transactions` (and as CSV, the only output that carries
card liabilities as text), and reads every table with DuckDB, polars, pyarrow,
pandas (pyarrow engine) and pyspark in local mode, each on its automatic path:
no schema, no types, no options. For every reader and table:

- the row count is the JSONL's;
- every column whose JSON values are exact numbers with a decimal point (money)
  comes back as a decimal of precision 18 and scale 2, and its sum, computed by
  the reader, equals the sum of the JSON values in Python's `decimal`, exactly;
- every column whose JSON values are strings (ids, masks, postal codes, phone
  numbers, names) comes back as text, every value equal to the JSON's, leading
  zeros kept (a dataset without such a zero fails the check: it could not fail);
- every column of ISO days comes back as dates, every value equal.

The expected values come from the JSONL (and liabilities.csv), never from the
Parquet files, and each column's kind from its JSON values, never from the
model. Prints one line per check, then a Markdown table of reader x table x
the types it got (money, text, dates, integers, booleans, lists), and last
`N passed, M failed`; exits 1 on any failure.
"""

import contextlib
import csv
import io
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.compute as pc
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[2]

# (seed, users, extra generate arguments); Spark reads the first one only, so
# the whole check stays within a minute.
DATASETS = [
    (7, 60, []),
    (11, 40, ["--overlap", "0.5"]),
]
TABLES = ["users", "accounts", "paychecks", "recurring", "cards", "transactions", "liabilities"]
PLAN_LISTS = {
    "paychecks": ("plan", "income", "paychecks"),
    "recurring": ("plan", "recurring"),
    "cards": ("plan", "cards"),
}
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class Checks:
    """Runs named checks, prints each result, and counts them."""

    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.failures = []

    def run(self, name, check, *args):
        try:
            check(*args)
        except Exception as error:  # a failed check is reported, never fatal
            self.failed += 1
            self.failures.append(name)
            detail = "".join(traceback.format_exception_only(type(error), error)).strip()
            print(f"FAIL {name}: {detail[:2000]}", flush=True)
            if not isinstance(error, AssertionError):
                traceback.print_exc()
        else:
            self.passed += 1
            print(f"ok   {name}", flush=True)


def fail(message):
    raise AssertionError(message)


def run(binary, *args):
    result = subprocess.run([str(binary), *map(str, args)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise AssertionError(f"spendsense {' '.join(map(str, args))}: exit {result.returncode}: {result.stderr.strip()}")


def load_jsonl(path):
    """Objects with exact amounts (Decimal keeps `66490.00` as it is written)."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line, parse_float=Decimal) for line in f if line.strip()]


def missing(value):
    """None, NaN or pd.NA: how pandas spells a missing value in each dtype."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def flat(value, prefix=""):
    """A JSON object's leaves as `a_b` keys, in order (nested objects joined by `_`)."""
    out = {}
    for key, item in value.items():
        if isinstance(item, dict):
            out.update(flat(item, f"{prefix}{key}_"))
        else:
            out[f"{prefix}{key}"] = item
    return out


def user_row(profile):
    """A profile's users row as the tables' naming rule spells it (docs/profile-format.md)."""
    row = {
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
    row.update({k: plan[k] for k in ("as_of", "history_start")})
    row.update({f"income_{k}": v for k, v in plan["income"].items() if k != "paychecks"})
    row["monthly_expenses"] = plan["monthly_expenses"]
    transfers = plan["savings_transfers"]
    for key in ("from_account_id", "to_account_id", "amount", "cadence", "first_transfer"):
        row[f"savings_transfers_{key}"] = transfers[key] if transfers else None
    return row


def account_row(profile, account):
    row = {"user_id": profile["user_id"], "account_id": account["account_id"]}
    row.update({f"balances_{k}": v for k, v in account["balances"].items()})
    row.update({k: v for k, v in account.items() if k not in ("account_id", "balances")})
    return row


def list_at(profile, path):
    value = profile
    for key in path:
        value = value[key]
    return value


def csv_value(text):
    """A liabilities.csv field as JSON would hold it: exact numbers, booleans, null."""
    if text == "":
        return None
    if text in ("true", "false"):
        return text == "true"
    if re.fullmatch(r"-?\d+\.\d+", text):
        return Decimal(text)
    return text


class Dataset:
    """One run as Parquet, JSONL (+ transactions) and CSV, and its expected rows per table."""

    def __init__(self, binary, root, seed, users, extra):
        self.name = f"seed {seed}, {users} users" + (f" {' '.join(extra)}" if extra else "")
        self.dir = root / f"seed{seed}-n{users}"
        self.dir.mkdir()
        common = ["generate", "-n", users, "--seed", seed, "-q", *extra]
        run(binary, *common, "--format", "parquet", "-o", self.dir / "tables")
        run(binary, *common, "--format", "jsonl", "-o", self.dir / "profiles.jsonl", "--transactions", self.dir / "transactions.jsonl")
        run(binary, *common, "--format", "csv", "-o", self.dir / "csv")
        profiles = load_jsonl(self.dir / "profiles.jsonl")
        transactions = load_jsonl(self.dir / "transactions.jsonl")
        owner = {a["account_id"]: p["user_id"] for p in profiles for a in p["accounts"]}
        self.rows = {
            "users": [user_row(p) for p in profiles],
            "accounts": [account_row(p, a) for p in profiles for a in p["accounts"]],
            **{
                table: [{"user_id": p["user_id"], **flat(item)} for p in profiles for item in list_at(p, path)]
                for table, path in PLAN_LISTS.items()
            },
            "transactions": [{"user_id": owner[t["account_id"]], **flat(t)} for t in transactions],
        }
        # Card liabilities travel in no JSON output; the CSV's text is exact too.
        with open(self.dir / "csv" / "liabilities.csv", newline="", encoding="utf-8") as f:
            self.rows["liabilities"] = [{k: csv_value(v) for k, v in row.items()} for row in csv.DictReader(f)]

    def path(self, table):
        return str(self.dir / "tables" / f"{table}.parquet")

    def kinds(self, table):
        """Each column's kind, from its non-null JSON values: money, text, date, integer, boolean, list or null."""
        rows = self.rows[table]
        kinds = {}
        for column in rows[0] if rows else []:
            values = [row[column] for row in rows if row[column] is not None]
            if not values:
                kinds[column] = "null"
            elif all(isinstance(v, bool) for v in values):
                kinds[column] = "boolean"
            elif all(isinstance(v, Decimal) for v in values):
                kinds[column] = "money"
            elif all(isinstance(v, int) for v in values):
                kinds[column] = "integer"
            elif all(isinstance(v, list) for v in values):
                kinds[column] = "list"
            elif all(isinstance(v, str) and ISO_DAY.fullmatch(v) for v in values):
                kinds[column] = "date"
            else:
                assert all(isinstance(v, str) for v in values), (table, column, values[:3])
                kinds[column] = "text"
        return kinds

    def expected(self, table, column, kind):
        values = [row[column] for row in self.rows[table]]
        if kind == "date":
            return [None if v is None else date.fromisoformat(v) for v in values]
        return values


# --- the readers ------------------------------------------------------------
#
# Each reader turns a file into (types, count, sums, column) where `types`
# maps every column to the reader's own name for its type, `sums(columns)`
# gives the reader's own sums of those columns, and `column(name)` its values
# as Python objects.


class DuckDB:
    name = "DuckDB"

    def __init__(self):
        self.con = duckdb.connect()

    def read(self, path):
        source = f"read_parquet('{path}')"
        types = dict(self.con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {source})").fetchall())
        (count,) = self.con.execute(f"SELECT count(*) FROM {source}").fetchone()

        def sums(columns):
            select = ", ".join(f'sum("{c}")' for c in columns)
            return list(self.con.execute(f"SELECT {select} FROM {source}").fetchone())

        def column(name):
            return [v for (v,) in self.con.execute(f'SELECT "{name}" FROM {source}').fetchall()]

        return types, count, sums, column

    @staticmethod
    def is_money(t):
        return t == "DECIMAL(18,2)"

    @staticmethod
    def is_text(t):
        return t == "VARCHAR"

    @staticmethod
    def is_date(t):
        return t == "DATE"


class Polars:
    name = "polars"

    def read(self, path):
        frame = pl.read_parquet(path)
        types = {name: str(dtype) for name, dtype in frame.schema.items()}

        def sums(columns):
            return [frame[c].sum() for c in columns]

        return types, frame.height, sums, lambda name: frame[name].to_list()

    @staticmethod
    def is_money(t):
        return t == "Decimal(precision=18, scale=2)"

    @staticmethod
    def is_text(t):
        return t == "String"

    @staticmethod
    def is_date(t):
        return t == "Date"


class PyArrow:
    name = "pyarrow"

    def read(self, path):
        table = pq.read_table(path)
        types = {field.name: str(field.type) for field in table.schema}

        def sums(columns):
            return [pc.sum(table[c]).as_py() for c in columns]

        return types, table.num_rows, sums, lambda name: table[name].to_pylist()

    @staticmethod
    def is_money(t):
        return t == "decimal128(18, 2)"

    @staticmethod
    def is_text(t):
        return t == "string"

    @staticmethod
    def is_date(t):
        return t == "date32[day]"


class Pandas:
    """pandas on its pyarrow engine; a column's type is its dtype and, for
    object columns, the Python type of its values (and a Decimal's exponent)."""

    name = "pandas"

    def read(self, path):
        frame = pd.read_parquet(path, engine="pyarrow")
        types = {name: self.describe(frame[name]) for name in frame.columns}

        def sums(columns):
            return [frame[c].dropna().sum() for c in columns]

        def column(name):
            return [None if missing(v) else v for v in frame[name].tolist()]

        return types, len(frame), sums, column

    @staticmethod
    def describe(series):
        values = series.dropna()
        if str(series.dtype) != "object" or values.empty:
            return str(series.dtype)
        kinds = {type(v).__name__ for v in values}
        if kinds == {"Decimal"}:
            scales = sorted({-v.as_tuple().exponent for v in values})
            return f"object[Decimal, scale {scales}]"
        return f"object[{', '.join(sorted(kinds))}]"

    @staticmethod
    def is_money(t):
        return t == "object[Decimal, scale [2]]"

    @staticmethod
    def is_text(t):
        return t in ("str", "string", "object[str]")

    @staticmethod
    def is_date(t):
        return t == "object[date]"


class Spark:
    """pyspark in local mode: one session for every file, one core, no UI, errors only."""

    name = "pyspark"

    def __init__(self, workdir):
        # Spark's scripts put SPARK_CONF_DIR on the classpath, where log4j2 finds its file.
        conf = workdir / "spark-conf"
        conf.mkdir()
        (conf / "log4j2.properties").write_text(
            "rootLogger.level = error\n"
            "rootLogger.appenderRef.stderr.ref = console\n"
            "appender.console.type = Console\n"
            "appender.console.name = console\n"
            "appender.console.target = SYSTEM_ERR\n"
            "appender.console.layout.type = PatternLayout\n"
            "appender.console.layout.pattern = spark: %p %c: %m%n\n",
            encoding="utf-8",
        )
        os.environ["SPARK_CONF_DIR"] = str(conf)
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
        from pyspark.sql import SparkSession

        # The JVM prints a notice of its own at start (incubator modules): its
        # stderr goes to a log, shown if a Spark check fails.
        self.log = workdir / "spark.log"
        saved = os.dup(2)
        with open(self.log, "w", encoding="utf-8") as log:
            os.dup2(log.fileno(), 2)
            try:
                self.session = (
                    SparkSession.builder.master("local[1]")
                    .appName("spendsense-check-parquet")
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.sql.shuffle.partitions", "1")
                    .config("spark.sql.session.timeZone", "UTC")
                    .getOrCreate()
                )
            finally:
                os.dup2(saved, 2)
                os.close(saved)

    def log_tail(self):
        return self.log.read_text(encoding="utf-8", errors="replace")[-3000:]

    def read(self, path):
        from pyspark.sql import functions as F

        frame = self.session.read.parquet(path)
        types = {field.name: field.dataType.simpleString() for field in frame.schema.fields}
        rows = frame.collect()

        def sums(columns):
            return list(frame.agg(*[F.sum(c) for c in columns]).collect()[0])

        return types, len(rows), sums, lambda name: [row[name] for row in rows]

    def stop(self):
        self.session.stop()

    @staticmethod
    def is_money(t):
        return t == "decimal(18,2)"

    @staticmethod
    def is_text(t):
        return t == "string"

    @staticmethod
    def is_date(t):
        return t == "date"


# --- the check --------------------------------------------------------------


def check_reader_reads_table(reader, data, table, seen):
    """One reader, one table: counts, money as DECIMAL(18,2) with exact sums, text and dates value for value."""
    types, count, sums, column = reader.read(data.path(table))
    rows = data.rows[table]
    kinds = data.kinds(table)
    assert list(types) == list(kinds), f"columns {list(types)} != the JSON's {list(kinds)}"
    assert count == len(rows), f"{count} rows, the JSONL has {len(rows)}"
    by_kind = defaultdict(set)
    for name, kind in kinds.items():
        by_kind[kind].add(types[name])
    seen[(reader.name, table)] = dict(by_kind)
    money = [name for name, kind in kinds.items() if kind == "money"]
    for name in money:
        assert reader.is_money(types[name]), f"{name}: {types[name]}, not a decimal(18, 2)"
    for name, got in zip(money, sums(money)):
        want = sum((v for v in data.expected(table, name, "money") if v is not None), Decimal(0))
        assert isinstance(got, Decimal), f"sum({name}) is a {type(got).__name__}: {got!r}"
        assert got == want, f"sum({name}) = {got}, the JSONL's is {want}"
    for name, kind in kinds.items():
        if kind not in ("text", "date"):
            continue
        check = reader.is_text if kind == "text" else reader.is_date
        assert check(types[name]), f"{name} is {types[name]}, not {kind}"
        got, want = column(name), data.expected(table, name, kind)
        if got != want:
            wrong = next(i for i, (g, w) in enumerate(zip(got, want)) if g != w)
            raise AssertionError(f"{name} row {wrong}: {got[wrong]!r}, the JSONL has {want[wrong]!r}")


def check_leading_zeros_are_there_to_lose(datasets):
    """Masks and postal codes starting with 0 exist, so keeping them is tested."""
    for table, column in [("accounts", "mask"), ("users", "address_postal_code")]:
        zeros = sum(1 for data in datasets for row in data.rows[table] if str(row[column]).startswith("0"))
        assert zeros > 0, f"no {table}.{column} starts with 0"


def doc_snippets(language):
    """The fenced blocks of docs/parquet.md ("Reading it") in `language`."""
    text = (ROOT / "docs" / "parquet.md").read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text.split("## Reading it", 1)[1], flags=re.S)


def check_doc_python_snippet(data, source):
    """A snippet runs as it is shown, in a directory holding `tables/` (named
    absolutely: Spark's JVM started elsewhere and resolves paths from there)."""
    os.chdir(data.dir)
    source = source.replace('"tables/', f'"{data.dir}/tables/')
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(source, "docs/parquet.md", "exec"), {})


def check_doc_sql_snippet(data, source):
    """Every statement runs in DuckDB and returns rows."""
    os.chdir(data.dir)
    con = duckdb.connect()
    for statement in filter(str.strip, source.split(";")):
        assert con.execute(statement).fetchall(), statement


def print_types(seen, readers):
    kinds = ["money", "text", "date", "integer", "boolean", "list", "null"]
    print()
    print("| reader | table | " + " | ".join(kinds) + " |")
    print("|---|---|" + "---|" * len(kinds))
    for reader in readers:
        for table in TABLES:
            got = seen.get((reader, table))
            if got is None:
                continue
            cells = [", ".join(sorted(got.get(kind, []))) or "-" for kind in kinds]
            print(f"| {reader} | {table} | " + " | ".join(cells) + " |")
    print()


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    binary = Path(sys.argv[1]).resolve()
    started = time.monotonic()
    checks = Checks()
    workdir = Path(tempfile.mkdtemp(prefix="spendsense-parquet-"))
    seen = {}
    readers = []
    spark = None
    try:
        datasets = []
        for seed, users, extra in DATASETS:
            made = []
            checks.run(f"[seed {seed}, {users} users] parquet, JSONL and CSV are written", lambda: made.append(Dataset(binary, workdir, seed, users, extra)))
            datasets.extend(made)
        checks.run("masks and postal codes with leading zeros exist", check_leading_zeros_are_there_to_lose, datasets)
        readers = [DuckDB(), Polars(), PyArrow(), Pandas()]
        made = []
        start = time.monotonic()
        checks.run("a local Spark session starts", lambda: made.append(Spark(workdir)))
        print(f"Spark started in {time.monotonic() - start:.1f}s", file=sys.stderr)
        spark = made[0] if made else None
        took = defaultdict(float)
        for index, data in enumerate(datasets):
            for reader in readers + ([spark] if spark and index == 0 else []):
                for table in TABLES:
                    start = time.monotonic()
                    checks.run(f"[{data.name}] {reader.name} reads {table}.parquet", check_reader_reads_table, reader, data, table, seen)
                    took[reader.name] += time.monotonic() - start
        python, sql = doc_snippets("python"), doc_snippets("sql")
        checks.run("docs/parquet.md shows Python and SQL snippets", lambda: (len(python) >= 3 and len(sql) >= 1) or fail(f"{len(python)} Python, {len(sql)} SQL"))
        for number, source in enumerate(python, start=1):
            checks.run(f"[{datasets[0].name}] docs/parquet.md Python snippet {number}", check_doc_python_snippet, datasets[0], source)
        for number, source in enumerate(sql, start=1):
            checks.run(f"[{datasets[0].name}] docs/parquet.md SQL snippet {number}", check_doc_sql_snippet, datasets[0], source)
        print("reading took " + ", ".join(f"{name} {secs:.1f}s" for name, secs in took.items()), file=sys.stderr)
        if spark and any(name.startswith("[") and "pyspark" in name for name in checks.failures):
            print("--- Spark's log (end)\n" + spark.log_tail(), file=sys.stderr)
    finally:
        if spark:
            spark.stop()
        os.chdir(ROOT)
        shutil.rmtree(workdir, ignore_errors=True)
    print_types(seen, [r.name for r in readers] + ["pyspark"])
    print(f"parquet checks took {time.monotonic() - started:.1f}s", file=sys.stderr)
    print(f"{checks.passed} passed, {checks.failed} failed")
    sys.exit(1 if checks.failed else 0)


if __name__ == "__main__":
    main()
