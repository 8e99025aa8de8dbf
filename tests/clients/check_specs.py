#!/usr/bin/env python3
"""SpendSense's reader type specs, used by the real readers.

Usage: check_specs.py PATH/TO/spendsense

Generates one dataset (seed 42, 2,000 users, --overlap 0.3) as JSONL with its
transactions, as JSON and as CSV, plus CSV runs with other flags, and reads
them with the specs SpendSense generates, never with type detection:

- DuckDB reads JSONL and JSON with `spendsense schema --format duckdb` as the
  `columns` of read_json, and the CSV directory through its own `duckdb.sql`
  views: money is DECIMAL(18,2) with sums exactly equal to Python `decimal`
  sums over the JSONL, postal codes and masks are VARCHAR with their leading
  zeros, dates are DATE, and the always-null `unofficial_currency_code` is a
  typed VARCHAR (a table created from it takes a non-null value);
- pandas and polars read every CSV table with dtypes taken from the
  directory's `datapackage.json`: postal codes and masks as strings (0 wrong),
  money exact (Decimal objects in pandas, Decimal(18, 2) in polars);
- pyspark (local mode; run.sh installs Java 17 from Debian when `java` is
  missing) reads the JSONL and the JSON with
  `spendsense schema --format spark` and sums money exactly;
- frictionless validates the Data Package of overlap and mix runs, every
  row against its field's type and constraints, primary and foreign keys
  included, and refuses a copy with a broken foreign key, a bad amount, an
  unknown enum spelling and an empty required field;
- the CSV columns and spec files are the same bytes whatever the flags
  (--overlap, --mix), and every table's header is its resource's field list.

Prints one line per check, then a table reader x format x types got (for the
closing note of issue 17), and last `N passed, M failed`; exits 1 on any failure.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
from decimal import Decimal
from pathlib import Path

import duckdb
import frictionless
import pandas as pd
import polars as pl

SEED, USERS = 42, 2000
# Spark's JVM starts in about 10 s; it reads a smaller file.
SPARK_USERS = 400

TYPES = []  # (reader, format, money, ids, dates, always-null column)


def run(binary, *args):
    done = subprocess.run([binary, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def load_jsonl(path):
    with open(path) as f:
        return [json.loads(line, parse_float=Decimal) for line in f if line.strip()]


class Data:
    def __init__(self, binary, root):
        self.binary = binary
        self.root = root
        self.jsonl = root / "profiles.jsonl"
        self.json = root / "profiles.json"
        self.transactions = root / "transactions.jsonl"
        self.csv = root / "csv"
        common = ["-n", str(USERS), "--seed", str(SEED), "--overlap", "0.3", "-q"]
        run(binary, "generate", *common, "--format", "jsonl", "-o", str(self.jsonl),
            "--transactions", str(self.transactions))
        run(binary, "generate", *common, "--format", "json", "-o", str(self.json))
        run(binary, "generate", *common, "--format", "csv", "-o", str(self.csv))
        self.profiles = load_jsonl(self.jsonl)
        self.ledger = load_jsonl(self.transactions)
        self.duckdb_columns = run(binary, "schema", "--format", "duckdb")
        self.spark_ddl = run(binary, "schema", "--format", "spark").strip()
        self.package = json.loads((self.csv / "datapackage.json").read_text())

    def sums(self):
        """Python decimal sums of the money the readers must reproduce exactly."""
        p = self.profiles
        return {
            "annual_income": sum(x["annual_income"] for x in p),
            "balances_current": sum(a["balances"]["current"] for x in p for a in x["accounts"]),
            "balances_limit": sum(a["balances"]["limit"] or 0 for x in p for a in x["accounts"]),
            "paychecks": sum(c["amount"] for x in p for c in x["plan"]["income"]["paychecks"]),
            "transactions": sum(t["amount"] for t in self.ledger),
        }

    def leading_zero(self):
        """How many postal codes and masks start with 0: what integer readers lose."""
        p = self.profiles
        postal = sum(x["identity"]["address"]["postal_code"].startswith("0") for x in p)
        masks = sum(a["mask"].startswith("0") for x in p for a in x["accounts"])
        return postal, masks


def duckdb_json(data, path):
    con = duckdb.connect()
    source = f"read_json('{path}', columns = {data.duckdb_columns})"
    con.execute(f"CREATE TABLE profiles AS SELECT * FROM {source}")
    return con


def check_duckdb_json(data, path, label):
    con = duckdb_json(data, path)
    sums = data.sums()
    got = con.sql("""
        SELECT sum(annual_income), typeof(sum(annual_income)),
               any_value(typeof(annual_income)), any_value(typeof(plan.as_of)),
               any_value(typeof(identity.address.postal_code)), any_value(typeof(user_id))
        FROM profiles""").fetchall()[0]
    assert got[0] == sums["annual_income"], (got[0], sums["annual_income"])
    assert got[2] == "DECIMAL(18,2)" and got[3] == "DATE", got
    assert got[4] == "VARCHAR" and got[5] == "VARCHAR", got
    current, limit = con.sql("""
        SELECT sum(a.balances.current), sum(coalesce(a.balances.limit, 0))
        FROM (SELECT unnest(accounts) AS a FROM profiles)""").fetchall()[0]
    assert (current, limit) == (sums["balances_current"], sums["balances_limit"])
    paychecks = con.sql("""
        SELECT sum(c.amount) FROM (SELECT unnest(plan.income.paychecks) AS c FROM profiles)""").fetchall()[0][0]
    assert paychecks == sums["paychecks"], (paychecks, sums["paychecks"])
    postal, masks = data.leading_zero()
    got_postal = con.sql("SELECT count(*) FROM profiles WHERE identity.address.postal_code LIKE '0%'").fetchall()[0][0]
    got_masks = con.sql("SELECT count(*) FROM (SELECT unnest(accounts) AS a FROM profiles) WHERE a.mask LIKE '0%'").fetchall()[0][0]
    assert (got_postal, got_masks) == (postal, masks) and postal > 0 and masks > 0
    # Keys whose values are null in every row come typed, not as DuckDB's NULL type.
    con.execute("""CREATE TABLE codes AS SELECT user_id, accounts[1].balances.unofficial_currency_code AS code,
                   expected_assignment FROM profiles""")
    con.execute("INSERT INTO codes VALUES ('user_x', 'XBT', 'control')")
    types = dict(con.sql("SELECT column_name, column_type FROM (DESCRIBE codes)").fetchall())
    assert types["code"] == "VARCHAR", types
    nulls = con.sql("SELECT count(*) FROM codes WHERE code IS NULL").fetchall()[0][0]
    assert nulls == len(data.profiles), nulls
    overlap = con.sql("SELECT count(*) FROM profiles WHERE matched_personas IS NOT NULL").fetchall()[0][0]
    assert overlap == sum(p["matched_personas"] is not None for p in data.profiles) > 0
    TYPES.append(("DuckDB", label, got[2], got[4], got[3], types["code"]))


def duckdb_csv(data):
    con = duckdb.connect()
    con.execute(f"SET file_search_path = '{data.csv}'")
    con.execute((data.csv / "duckdb.sql").read_text())
    return con


def check_duckdb_csv(data):
    con = duckdb_csv(data)
    sums = data.sums()
    one = lambda sql: con.sql(sql).fetchall()[0]
    assert one("SELECT sum(annual_income) FROM users")[0] == sums["annual_income"]
    assert one("SELECT sum(balances_current), sum(coalesce(balances_limit, 0)) FROM accounts") == (
        sums["balances_current"], sums["balances_limit"])
    assert one("SELECT sum(amount) FROM paychecks")[0] == sums["paychecks"]
    assert one("SELECT sum(amount), count(*) FROM transactions") == (sums["transactions"], len(data.ledger))
    postal, masks = data.leading_zero()
    assert one("SELECT count(*) FROM users WHERE address_postal_code LIKE '0%'")[0] == postal
    assert one("SELECT count(*) FROM accounts WHERE mask LIKE '0%'")[0] == masks
    for table in ("users", "accounts", "paychecks", "recurring", "cards", "transactions", "liabilities"):
        described = dict(con.sql(f"SELECT column_name, column_type FROM (DESCRIBE {table})").fetchall())
        resource = next(r for r in data.package["resources"] if r["name"] == table)
        for field in resource["schema"]["fields"]:
            expected = {"string": "VARCHAR", "number": "DECIMAL(18,2)", "integer": "INTEGER",
                        "date": "DATE", "boolean": "BOOLEAN"}[field["type"]]
            if field["name"] == "matched_personas":
                expected = "VARCHAR[]"
            assert described[field["name"]] == expected, (table, field["name"], described[field["name"]])
    # Lists come back as lists, the same as in the JSONL.
    lists = con.sql("SELECT user_id, matched_personas FROM users WHERE matched_personas IS NOT NULL ORDER BY user_id").fetchall()
    expected = sorted((p["user_id"], p["matched_personas"]) for p in data.profiles if p["matched_personas"])
    assert sorted(lists) == expected
    for table, column in (("accounts", "balances_unofficial_currency_code"), ("transactions", "unofficial_currency_code")):
        con.execute(f"CREATE TABLE t_{table} AS SELECT * FROM {table}")
        con.execute(f"INSERT INTO t_{table} SELECT * REPLACE ('XBT' AS {column}) FROM t_{table} LIMIT 1")
        assert one(f"SELECT count(*) FROM t_{table} WHERE {column} = 'XBT'")[0] == 1
    users = dict(con.sql("SELECT column_name, column_type FROM (DESCRIBE users)").fetchall())
    accounts = dict(con.sql("SELECT column_name, column_type FROM (DESCRIBE accounts)").fetchall())
    TYPES.append(("DuckDB", "CSV (duckdb.sql)", users["annual_income"], users["address_postal_code"],
                  users["as_of"], accounts["balances_unofficial_currency_code"]))


def package_fields(data, table):
    resource = next(r for r in data.package["resources"] if r["name"] == table)
    return resource["path"], resource["schema"]["fields"]


def pandas_read(data, table):
    path, fields = package_fields(data, table)
    dtype, converters, dates = {}, {}, []
    for field in fields:
        kind = field["type"]
        if kind == "string":
            dtype[field["name"]] = "string"
        elif kind == "number":
            # pandas has no exact decimal dtype without pyarrow: Decimal objects.
            converters[field["name"]] = lambda v: Decimal(v) if v else None
        elif kind == "integer":
            dtype[field["name"]] = "Int64"
        elif kind == "boolean":
            dtype[field["name"]] = "boolean"
        elif kind == "date":
            dates.append(field["name"])
    frame = pd.read_csv(data.csv / path, dtype=dtype, converters=converters,
                        keep_default_na=False, na_values=[""])
    for name in dates:
        frame[name] = pd.to_datetime(frame[name], format="%Y-%m-%d").dt.date
    return frame


def check_pandas_csv(data):
    users, accounts = pandas_read(data, "users"), pandas_read(data, "accounts")
    transactions = pandas_read(data, "transactions")
    sums = data.sums()
    assert sum(users["annual_income"]) == sums["annual_income"]
    assert sum(accounts["balances_current"]) == sums["balances_current"]
    assert sum(transactions["amount"]) == sums["transactions"]
    expected_postal = [p["identity"]["address"]["postal_code"] for p in data.profiles]
    expected_masks = [a["mask"] for p in data.profiles for a in p["accounts"]]
    wrong = sum(a != b for a, b in zip(users["address_postal_code"], expected_postal))
    wrong += sum(a != b for a, b in zip(accounts["mask"], expected_masks))
    assert wrong == 0 and len(users) == len(expected_postal), wrong
    assert str(users["address_postal_code"].dtype) == "string"
    assert users["as_of"].iloc[0].isoformat() == data.profiles[0]["plan"]["as_of"]
    assert str(users["age"].dtype) == "Int64"
    assert accounts["balances_unofficial_currency_code"].isna().all()
    assert str(accounts["balances_unofficial_currency_code"].dtype) == "string"
    money = f"{users['annual_income'].dtype} of {type(users['annual_income'].iloc[0]).__name__}"
    dates = f"{users['as_of'].dtype} of {type(users['as_of'].iloc[0]).__name__}"
    TYPES.append(("pandas", "CSV (datapackage.json)", money, str(users["address_postal_code"].dtype), dates,
                  str(accounts["balances_unofficial_currency_code"].dtype)))


def polars_schema(data, table):
    _, fields = package_fields(data, table)
    schema = {}
    for field in fields:
        kind = field["type"]
        if kind == "number":
            schema[field["name"]] = pl.Decimal(field["precision"], field["scale"])
        elif kind == "integer":
            schema[field["name"]] = pl.Int32
        else:
            schema[field["name"]] = {"string": pl.String, "date": pl.Date, "boolean": pl.Boolean}[kind]
    return schema


def check_polars_csv(data):
    frames = {}
    for table in ("users", "accounts", "transactions", "paychecks"):
        path, _ = package_fields(data, table)
        frames[table] = pl.read_csv(data.csv / path, schema=polars_schema(data, table))
    sums = data.sums()
    assert frames["users"]["annual_income"].sum() == sums["annual_income"]
    assert frames["accounts"]["balances_current"].sum() == sums["balances_current"]
    assert frames["transactions"]["amount"].sum() == sums["transactions"]
    assert frames["paychecks"]["amount"].sum() == sums["paychecks"]
    assert frames["users"].schema["annual_income"] == pl.Decimal(18, 2)
    expected_postal = [p["identity"]["address"]["postal_code"] for p in data.profiles]
    expected_masks = [a["mask"] for p in data.profiles for a in p["accounts"]]
    wrong = sum(a != b for a, b in zip(frames["users"]["address_postal_code"].to_list(), expected_postal))
    wrong += sum(a != b for a, b in zip(frames["accounts"]["mask"].to_list(), expected_masks))
    assert wrong == 0, wrong
    assert frames["users"].schema["as_of"] == pl.Date
    assert frames["accounts"].schema["balances_unofficial_currency_code"] == pl.String
    users, accounts = frames["users"].schema, frames["accounts"].schema
    TYPES.append(("polars", "CSV (datapackage.json)", str(users["annual_income"]), str(users["address_postal_code"]),
                  str(users["as_of"]), str(accounts["balances_unofficial_currency_code"])))


def check_same_columns_whatever_the_flags(data):
    runs = {
        "plain": ["--overlap", "0"],
        "overlap": ["--overlap", "1"],
        "mix": ["--mix", "control=1,high_utilization=3", "--overlap", "0.5"],
    }
    seen = {}
    for name, flags in runs.items():
        out = data.root / f"csv-{name}"
        run(data.binary, "generate", "-n", "40", "--seed", "3", *flags, "--format", "csv", "-o", str(out), "-q")
        headers = {f.name: f.read_text().split("\n", 1)[0] for f in sorted(out.glob("*.csv"))}
        specs = {f: (out / f).read_text() for f in ("datapackage.json", "duckdb.sql")}
        seen[name] = (headers, specs)
    first = seen["plain"]
    for name, other in seen.items():
        assert other == first, f"{name} differs from a plain run"
    headers, specs = first
    package = json.loads(specs["datapackage.json"])
    for resource in package["resources"]:
        names = ",".join(f["name"] for f in resource["schema"]["fields"])
        assert headers[resource["path"]] == names, resource["path"]
    # The same JSON keys too, null or not.
    keys = {tuple(p) for p in data.profiles}
    assert len(keys) == 1, keys


def check_frictionless_validates_the_package(data):
    for flags in (["--overlap", "1"], ["--mix", "control=1,variable_income=2", "--overlap", "0.5"]):
        out = data.root / "package"
        shutil.rmtree(out, ignore_errors=True)
        run(data.binary, "generate", "-n", "300", "--seed", "9", *flags, "--format", "csv", "-o", str(out), "-q")
        report = frictionless.validate(str(out / "datapackage.json"))
        errors = [e.message for task in report.tasks for e in task.errors][:3]
        assert report.valid and len(report.tasks) == 7, (errors, [e.message for e in report.errors][:3])
    # Broken copies must be refused, each for its own reason.
    broken = {
        ("accounts.csv", "user_id"): ("user_NOPE", "foreign-key"),
        ("accounts.csv", "balances_current"): ("12.5x", "type-error"),
        ("users.csv", "persona"): ("shopaholic", "constraint-error"),
        ("users.csv", "address_postal_code"): ("", "constraint-error"),
    }
    for (file, column), (value, error) in broken.items():
        bad = data.root / "broken"
        shutil.rmtree(bad, ignore_errors=True)
        shutil.copytree(out, bad)
        frame = pd.read_csv(bad / file, dtype=str, keep_default_na=False)
        frame.loc[1, column] = value
        frame.to_csv(bad / file, index=False)
        report = frictionless.validate(str(bad / "datapackage.json"))
        types = {e.type for task in report.tasks for e in task.errors}
        assert not report.valid and error in types, (file, column, types)


def check_spark_json(data):
    from pyspark.sql import SparkSession
    small = data.root / "small.jsonl"
    small_json = data.root / "small.json"
    common = ["-n", str(SPARK_USERS), "--seed", str(SEED), "--overlap", "0.3", "-q"]
    run(data.binary, "generate", *common, "--format", "jsonl", "-o", str(small))
    run(data.binary, "generate", *common, "--format", "json", "-o", str(small_json))
    profiles = load_jsonl(small)
    spark = (SparkSession.builder.master("local[1]").appName("spendsense-specs")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").config("spark.sql.session.timeZone", "UTC")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    try:
        for label, path, reader in (
            ("JSONL", small, spark.read.schema(data.spark_ddl)),
            ("JSON", small_json, spark.read.schema(data.spark_ddl).option("multiLine", "true")),
        ):
            frame = reader.option("mode", "FAILFAST").json(str(path))
            frame.createOrReplaceTempView("profiles")
            row = spark.sql("SELECT sum(annual_income) AS income, count(*) AS n FROM profiles").collect()[0]
            assert row["n"] == len(profiles)
            assert row["income"] == sum(p["annual_income"] for p in profiles), row
            current = spark.sql("""SELECT sum(a.balances.current) FROM profiles
                                   LATERAL VIEW explode(accounts) t AS a""").collect()[0][0]
            assert current == sum(a["balances"]["current"] for p in profiles for a in p["accounts"]), current
            types = dict(frame.dtypes)
            assert types["annual_income"] == "decimal(18,2)", types["annual_income"]
            assert types["user_id"] == "string"
            postal = [r[0] for r in frame.select("identity.address.postal_code").collect()]
            assert postal == [p["identity"]["address"]["postal_code"] for p in profiles]
            plan = frame.schema["plan"].dataType
            assert plan["as_of"].dataType.simpleString() == "date"
            balances = frame.schema["accounts"].dataType.elementType["balances"].dataType
            assert balances["unofficial_currency_code"].dataType.simpleString() == "string"
            first = spark.sql("SELECT plan.as_of FROM profiles LIMIT 1").collect()[0][0]
            assert first.isoformat() == profiles[0]["plan"]["as_of"]
            postal_type = frame.schema["identity"].dataType["address"].dataType["postal_code"].dataType
            TYPES.append(("pyspark", label, types["annual_income"], postal_type.simpleString(),
                          plan["as_of"].dataType.simpleString(),
                          balances["unofficial_currency_code"].dataType.simpleString()))
    finally:
        spark.stop()


def main():
    binary = sys.argv[1]
    passed, failed = 0, 0
    root = Path(tempfile.mkdtemp(prefix="spendsense-specs-"))
    try:
        data = Data(binary, root)
        checks = [
            ("duckdb reads JSONL with the columns spec, exactly", lambda: check_duckdb_json(data, data.jsonl, "JSONL")),
            ("duckdb reads JSON with the columns spec, exactly", lambda: check_duckdb_json(data, data.json, "JSON")),
            ("duckdb reads the CSV tables through duckdb.sql, exactly", lambda: check_duckdb_csv(data)),
            ("pandas reads the CSV tables with the package's types", lambda: check_pandas_csv(data)),
            ("polars reads the CSV tables with the package's types", lambda: check_polars_csv(data)),
            ("CSV columns and specs are the same whatever the flags", lambda: check_same_columns_whatever_the_flags(data)),
            ("frictionless validates the CSV Data Package and refuses broken copies", lambda: check_frictionless_validates_the_package(data)),
            ("pyspark reads JSONL and JSON with the DDL schema, exactly", lambda: check_spark_json(data)),
        ]
        for name, check in checks:
            try:
                check()
                print(f"ok   {name}")
                passed += 1
            except Exception:
                print(f"FAIL {name}")
                traceback.print_exc()
                failed += 1
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print()
    print("| reader | format | money | ids, masks, postal codes | dates | always-null column |")
    print("|---|---|---|---|---|---|")
    for row in TYPES:
        print("| " + " | ".join(row) + " |")
    print()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
