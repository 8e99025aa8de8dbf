"""What the engine checks share: the single run to compare with, and the
comparison itself (every profile's id, persona, name and exact income, in
run order, and the exact sum of incomes)."""

import json
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path

USERS = 20_000
SEED = 42
SHARDS = 8


def single_run(binary):
    """The unsharded run's profiles, money as exact Decimals."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "single.jsonl"
        subprocess.run([binary, "generate", "-n", str(USERS), "--seed", str(SEED),
                        "--format", "jsonl", "-q", "-o", str(path)], check=True)
        with path.open() as lines:
            return [json.loads(line, parse_float=Decimal) for line in lines]


def expected_rows(profiles):
    return [(p["user_id"], p["persona"], p["name"], Decimal(p["annual_income"]))
            for p in profiles]


def compare(engine, rows, profiles):
    """`rows` (user_id, persona, name, annual_income as Decimal), in run
    order, must be the single run's."""
    expected = expected_rows(profiles)
    assert len(rows) == len(expected), (engine, len(rows), len(expected))
    for got, want in zip(rows, expected):
        assert got == want, (engine, got, want)
    total = sum(row[3] for row in rows)
    assert total == sum(row[3] for row in expected)
    assert all(isinstance(row[3], Decimal) for row in rows), engine
    return total


def check_spark(engine, profiles, partitions, binary):
    """A Spark frame of users must be the single run, typed exactly, in
    `partitions` partitions; returns the exact sum of incomes."""
    assert dict(profiles.dtypes)["annual_income"] == "decimal(18,2)", profiles.dtypes
    assert dict(profiles.dtypes)["user_id"] == "string"
    assert profiles.rdd.getNumPartitions() == partitions
    rows = [(r.user_id, r.persona, r.name, r.annual_income)
            for r in profiles.select("user_id", "persona", "name", "annual_income").collect()]
    total = compare(engine, rows, single_run(binary))
    summed = profiles.agg({"annual_income": "sum"}).collect()[0][0]
    assert summed == total and isinstance(summed, Decimal), (summed, total)
    return total


def check_dask(engine, users, partitions, binary):
    """A Dask frame of users must be the single run, typed exactly, in
    `partitions` partitions; returns the exact sum of incomes."""
    frame = users.compute()                          # partition order = shard order
    assert users.npartitions == partitions
    assert str(frame["annual_income"].dtype) == "decimal128(18, 2)[pyarrow]", frame.dtypes
    assert str(frame["user_id"].dtype) == "string[pyarrow]", frame.dtypes
    rows = list(zip(frame["user_id"], frame["persona"], frame["name"],
                    (Decimal(v) for v in frame["annual_income"])))
    return compare(engine, rows, single_run(binary))


def local_spark(app):
    """A quiet Spark session in local mode on two cores, dates in UTC."""
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master("local[2]").appName(app)
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.session.timeZone", "UTC")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    return spark
