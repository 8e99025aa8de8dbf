"""validate gives the CLI's report, for files and for tables."""

import json
from decimal import Decimal

import pyarrow as pa
import pytest

import spendsense


def clis_report(cli, path, *flags):
    text = cli("validate", "--no-manifest", "-q", path, *flags, check=False)
    data = cli("validate", "--no-manifest", "-q", "--format", "json", path, *flags, check=False)
    assert text.returncode == data.returncode
    return text.stdout, json.loads(data.stdout, parse_float=Decimal), text.returncode


@pytest.mark.parametrize(
    "count,seed,flags",
    [(1, 42, []), (300, 7, ["--format", "jsonl"]), (500, 3, ["--mix", "control=3,high_utilization=1"])],
)
def test_a_generated_file_gets_the_clis_report(cli, tmp_path, count, seed, flags):
    path = tmp_path / ("run.jsonl" if "jsonl" in flags else "run.json")
    cli("generate", "-n", count, "--seed", seed, "-q", "-o", path, *flags)
    mix = flags[flags.index("--mix") + 1] if "--mix" in flags else None
    mix_flags = ["--mix", mix] if mix else []
    for quotas in ("shares", "prefix", "off"):
        text, data, code = clis_report(cli, path, "--quotas", quotas, *mix_flags)
        report = spendsense.validate(path, quotas=quotas, mix=mix)
        assert (str(report), report.data, report.valid) == (text, data, code == 0)
        assert report.valid and report.total == count


def test_broken_profiles_are_reported_as_the_cli_reports_them(cli, tmp_path):
    source = tmp_path / "run.jsonl"
    cli("generate", "-n", 200, "--seed", 5, "--format", "jsonl", "-q", "-o", source)
    lines = source.read_text().splitlines()
    broken = json.loads(lines[3])
    broken["annual_income"] = 1
    lines[3] = json.dumps(broken)
    lines[7] = lines[6]
    lines[9] = '{"user_id": 5}'
    path = tmp_path / "broken.jsonl"
    path.write_text("\n".join(lines) + "\n")
    text, data, code = clis_report(cli, path)
    report = spendsense.validate(path)
    assert code == 1 and not report and not report.valid
    assert (str(report), report.data) == (text, data)
    rules = {violation.rule for violation in report.violations}
    assert {"duplicate-user-id", "unreadable-record"} <= rules, rules
    assert report.violation_count >= 3


def test_a_file_that_cannot_be_read_raises_the_clis_message(cli, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    cases = [empty, tmp_path / "missing.jsonl", tmp_path]
    for path in cases:
        refused = cli("validate", "--no-manifest", "-q", path, check=False)
        assert refused.returncode == 2
        with pytest.raises(ValueError) as raised:
            spendsense.validate(path)
        assert str(raised.value) == refused.stderr.strip().removeprefix("error: ")
    with pytest.raises(ValueError, match='quotas "most" is not allowed'):
        spendsense.validate(empty, quotas="most")


@pytest.mark.parametrize("count,seed,kwargs", [(1, 42, {}), (400, 8, {}), (300, 2, {"overlap": 0.5}),
                                               (350, 4, {"mix": "control=3,high_utilization=1"})])
def test_tables_get_the_report_of_the_same_profiles_as_a_file(cli, tmp_path, count, seed, kwargs):
    flags = [f"--{name}={value}" for name, value in kwargs.items()]
    path = tmp_path / "run.jsonl"
    cli("generate", "-n", count, "--seed", seed, "--format", "jsonl", "-q", "-o", path, *flags)
    tables = spendsense.generate(count, seed=seed, **kwargs)
    mix = kwargs.get("mix")
    for quotas in ("shares", "prefix"):
        from_tables = spendsense.validate(tables, quotas=quotas, mix=mix)
        text, data, code = clis_report(cli, path, "--quotas", quotas, *(["--mix", mix] if mix else []))
        assert (str(from_tables), from_tables.data, from_tables.valid) == (text, data, code == 0)
        assert from_tables.valid


def test_tables_from_parquet_or_batches_sorted_by_persona_validate_on_their_shares(cli, tmp_path):
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    out = tmp_path / "run"
    cli("generate", "-n", 600, "--seed", 3, "--format", "parquet", "-q", "-o", out)
    tables = {name: pq.read_table(out / f"{name}.parquet") for name in spendsense.PROFILE_TABLES}
    assert spendsense.validate(tables, quotas="prefix").valid
    users = tables["users"]
    tables["users"] = users.take(pc.sort_indices(users, sort_keys=[("persona", "ascending")]))
    assert spendsense.validate(tables).valid
    prefix = spendsense.validate(tables, quotas="prefix")
    assert not prefix.valid and {v.rule for v in prefix.violations} == {"quota"}
    batches = {name: table.to_batches(max_chunksize=37) for name, table in tables.items()}
    assert spendsense.validate(batches).valid


def test_broken_tables_are_reported_not_raised(cli, tmp_path):
    import pyarrow.compute as pc

    tables = spendsense.generate(200, seed=5)
    users = tables["users"]
    incomes = users.column("annual_income").to_pylist()
    incomes[3] = Decimal("1.00")
    at = users.schema.get_field_index("annual_income")
    broken = dict(tables)
    broken["users"] = pa.concat_tables([users.set_column(at, "annual_income", pa.array(incomes, pa.decimal128(18, 2))).cast(users.schema),
                                        users.slice(6, 1)])
    frequency = broken["users"].schema.get_field_index("pay_frequency")
    spelled = broken["users"].column("pay_frequency").to_pylist()
    spelled[9] = "fortnightly\x1b[31m"
    broken["users"] = broken["users"].set_column(frequency, "pay_frequency", pa.array(spelled)).cast(users.schema)
    report = spendsense.validate(broken)
    assert not report.valid
    rules = {v.rule for v in report.violations}
    assert {"income-range", "duplicate-user-id", "unreadable-record"} <= rules, rules
    unreadable = [v for v in report.violations if v.rule == "unreadable-record"]
    assert unreadable[0].path == "characteristics.pay_frequency"
    assert "fortnightly\\u{1b}[31m" in unreadable[0].message and "\x1b" not in str(report)
    orphans = dict(tables)
    accounts = tables["accounts"]
    orphans["accounts"] = pa.concat_tables([accounts, accounts.slice(0, 2).set_column(
        0, "user_id", pa.array(["user_nobody"] * 2)).cast(accounts.schema)])
    report = spendsense.validate(orphans)
    assert "the users table does not hold" in report.violations[0].message


def test_tables_that_are_not_the_profile_tables_raise():
    tables = spendsense.generate(10)
    with pytest.raises(ValueError, match="the tables have no 'cards'"):
        spendsense.validate({name: t for name, t in tables.items() if name != "cards"})
    wrong = dict(tables)
    wrong["users"] = tables["users"].drop_columns(["annual_income"])
    with pytest.raises(ValueError, match="the tables cannot be read: users batch 0 has no column `annual_income`"):
        spendsense.validate(wrong)
    wrong["users"] = tables["users"].set_column(
        tables["users"].schema.get_field_index("annual_income"), "annual_income",
        pc_cast(tables["users"].column("annual_income")))
    with pytest.raises(ValueError, match="is Float64; expected Decimal128\\(18, 2\\)"):
        spendsense.validate(wrong)
    with pytest.raises(ValueError, match="holds no profiles"):
        spendsense.validate({name: t.slice(0, 0) for name, t in tables.items()})


def pc_cast(column):
    import pyarrow.compute as pc

    return pc.cast(column, pa.float64())
