"""The package generates what the CLI generates, with exact types."""

import decimal
import json

import pyarrow as pa
import pytest

import spendsense

RUNS = [
    # (count, seed, extra CLI flags and their keyword arguments)
    (1, 42, [], {}),
    (250, 7, [], {}),
    (1_000, 2026, ["--overlap", "0.5"], {"overlap": 0.5}),
    (600, 3, ["--mix", "control=3,high_utilization=1"], {"mix": "control=3,high_utilization=1"}),
    (300, 11, ["--as-of", "2025-06-30"], {"as_of": "2025-06-30"}),
]


def same(ours: pa.Table, theirs: pa.Table, what: str):
    assert ours.schema.equals(theirs.schema), what
    assert ours.num_rows == theirs.num_rows, what
    assert ours.equals(theirs), what


@pytest.mark.parametrize("count,seed,flags,kwargs", RUNS)
def test_tables_equal_the_clis_parquet_tables(cli_tables, count, seed, flags, kwargs):
    theirs = cli_tables("-n", count, "--seed", seed, *flags)
    ours = spendsense.generate(count, seed=seed, tables=spendsense.ALL_TABLES, **kwargs)
    assert list(ours) == list(spendsense.ALL_TABLES)
    for name, table in ours.items():
        same(table, theirs[name], f"{name} of seed {seed}")


@pytest.mark.parametrize("count,shards", [(1_000, 3), (97, 4), (20_000, 2)])
def test_a_slice_is_the_clis_shard(cli_tables, count, shards):
    for shard in range(1, shards + 1):
        start, end = spendsense.shard_range(count, shard, shards)
        theirs = cli_tables("-n", count, "--seed", 5, "--shard", f"{shard}/{shards}")
        ours = spendsense.generate(count, seed=5, start=start, end=end)
        for name, table in ours.items():
            same(table, theirs[name], f"{name} of shard {shard}/{shards}")


def test_tables_do_not_depend_on_the_thread_count():
    one = spendsense.generate(20_000, seed=9, threads=1)
    for threads in (2, 3, 8):
        for name, table in spendsense.generate(20_000, seed=9, threads=threads).items():
            assert table.equals(one[name]), f"{name} on {threads} threads"


def test_money_is_exact_decimal_and_ids_are_text():
    users = spendsense.generate(500, seed=1)["users"]
    assert users.schema.field("annual_income").type == pa.decimal128(18, 2)
    assert users.schema.field("user_id").type == pa.string()
    frame = users.to_pandas()
    incomes = frame["annual_income"]
    assert all(isinstance(value, decimal.Decimal) for value in incomes)
    assert all(value.as_tuple().exponent == -2 for value in incomes)
    accounts = spendsense.generate(50, seed=1, tables=["accounts"])["accounts"]
    masks = accounts.column("mask").to_pylist()
    assert all(isinstance(mask, str) and len(mask) == 4 for mask in masks)


def test_transactions_only_when_asked_for():
    assert list(spendsense.generate(3)) == list(spendsense.PROFILE_TABLES)
    ledger = spendsense.generate(30, tables=["transactions"])
    assert list(ledger) == ["transactions"]
    assert ledger["transactions"].num_rows > 30 * 100


def test_fingerprint_and_definitions_are_the_clis(cli):
    assert spendsense.fingerprint() == cli("fingerprint").stdout.strip()
    defaults = spendsense.Personas.builtin()
    assert defaults.to_json() == cli("personas", "--format", "json").stdout.strip()
    wider = defaults.to_dict()
    wider["definitions"][0]["annual_income"]["max"] = 150_000
    assert spendsense.fingerprint(wider) != spendsense.fingerprint()


@pytest.mark.parametrize(
    "kwargs,flags",
    [
        ({"mix": "bogus=1"}, ["--mix", "bogus=1"]),
        ({"overlap": "1.5"}, ["--overlap", "1.5"]),
        ({"as_of": "2026-02-30"}, ["--as-of", "2026-02-30"]),
    ],
)
def test_bad_arguments_are_value_errors_with_the_clis_message(cli, kwargs, flags):
    with pytest.raises(ValueError) as raised:
        spendsense.generate(10, **kwargs)
    message = str(raised.value)
    assert message
    stderr = cli("generate", "-n", 10, *flags, check=False).stderr
    assert message in stderr, (message, stderr)


@pytest.mark.parametrize(
    "kwargs,expected",
    [
        ({"start": 5, "end": 3}, "start 5 and end 3 are not a slice of a run of 10 profiles"),
        ({"end": 11}, "not a slice of a run of 10 profiles"),
        ({"tables": ["nope"]}, 'unknown table "nope"; the tables are users, accounts'),
        ({"threads": 0}, "threads is 0"),
        ({"personas": "{"}, "persona definitions:"),
    ],
)
def test_misuse_is_a_value_error_never_a_crash(kwargs, expected):
    with pytest.raises(ValueError, match=expected.replace("(", r"\(")):
        spendsense.generate(10, **kwargs)


def test_counts_outside_the_range_are_errors_not_crashes():
    for count in (0, 10**9 + 1):
        with pytest.raises(ValueError, match=f"count {count} is not allowed; use a whole number from 1 to 1000000000"):
            spendsense.generate(count)
    for count in (-1, 2**64):
        with pytest.raises(OverflowError):
            spendsense.generate(count)


@pytest.mark.parametrize("table,count,per_batch", [("users", 1_000, 64), ("accounts", 333, 100), ("transactions", 40, 7)])
def test_batches_stream_the_slice_generate_returns(table, count, per_batch):
    start, end = spendsense.shard_range(count, 2, 3)
    whole = spendsense.generate(count, seed=13, start=start, end=end, tables=[table])[table]
    streamed = list(spendsense.iter_batches(count, table=table, seed=13, start=start, end=end,
                                            profiles_per_batch=per_batch))
    assert len(streamed) >= (end - start) // per_batch
    assert pa.Table.from_batches(streamed, schema=spendsense.schema(table)).equals(whole)
    assert whole.schema.equals(spendsense.schema(table))


def test_shard_ranges_tile_the_run_and_bad_shards_are_refused():
    for count in (1, 7, 1_000, 10**12):
        for shards in (1, 3, 64):
            ranges = [spendsense.shard_range(count, k, shards) for k in range(1, shards + 1)]
            assert ranges[0][0] == 0 and ranges[-1][1] == count
            assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:]))
    for shard, shards in ((0, 4), (5, 4), (1, 0)):
        with pytest.raises(ValueError, match=f"`{shard}/{shards}` is not K/N with 1 <= K <= N"):
            spendsense.shard_range(100, shard, shards)
    with pytest.raises(ValueError, match="unknown table \"nope\""):
        spendsense.schema("nope")
    with pytest.raises(ValueError, match="profiles_per_batch is 0"):
        next(spendsense.iter_batches(10, profiles_per_batch=0))
