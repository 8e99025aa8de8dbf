"""Persona definitions as Python objects, both ways, checked as the CLI checks them."""

import copy
import pickle
from decimal import Decimal

import pytest

import spendsense


def test_the_builtin_definitions_are_the_clis(cli):
    builtin = spendsense.Personas.builtin()
    assert builtin == spendsense.Personas()
    assert builtin.to_json() == cli("personas", "--format", "json").stdout.strip()
    assert builtin.fingerprint == cli("fingerprint").stdout.strip()
    assert builtin.ids[-1] == "control" and len(builtin.ids) == 5
    assert builtin["high_utilization"]["id"] == "high_utilization"
    with pytest.raises(KeyError):
        builtin["nobody"]


def test_amounts_come_out_as_decimal_and_go_back_exactly():
    document = spendsense.Personas.builtin().to_dict()
    income = document["definitions"][0]["annual_income"]
    assert all(isinstance(value, (int, Decimal)) for value in income.values())
    shares = document["definitions"][0]["target_utilization"]
    assert all(isinstance(value, Decimal) for value in shares.values()), shares
    assert spendsense.Personas.from_dict(document) == spendsense.Personas.builtin()


@pytest.mark.parametrize("index", range(5))
def test_a_changed_definition_round_trips_and_changes_the_run(cli, tmp_path, index):
    document = spendsense.Personas.builtin().to_dict()
    ranges = document["definitions"][index]["checking_buffer_months"]
    ranges["max"] = (Decimal(ranges["min"]) + Decimal(ranges["max"])) / 2
    ranges["max"] = ranges["max"].quantize(Decimal("0.01"))
    changed = spendsense.Personas.from_dict(document)
    assert changed != spendsense.Personas.builtin()
    assert spendsense.Personas.from_json(changed.to_json()) == changed
    assert pickle.loads(pickle.dumps(changed)) == changed
    assert hash(copy.copy(changed)) == hash(changed)
    path = tmp_path / "personas.json"
    path.write_text(changed.to_json())
    assert spendsense.Personas.read(path) == changed
    assert changed.fingerprint == cli("fingerprint", "--personas", path).stdout.strip()
    ours = spendsense.generate(200, seed=index, personas=changed)["accounts"]
    out = tmp_path / "run"
    cli("generate", "-n", 200, "--seed", index, "--personas", path, "--format", "parquet", "-q", "-o", out)
    import pyarrow.parquet as pq

    assert ours.equals(pq.read_table(out / "accounts.parquet"))


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["definitions"][0]["annual_income"].update(max="lots"),
        lambda d: d["definitions"][1]["annual_income"].update(min=Decimal(5), max=Decimal(1)),
        lambda d: d.update(extra=1),
        lambda d: d["definitions"].pop(),
    ],
)
def test_a_bad_document_is_refused_with_the_clis_message(cli, tmp_path, change):
    document = spendsense.Personas.builtin().to_dict()
    change(document)
    path = tmp_path / "p.json"
    text = spendsense._dumps(document)
    path.write_text(text)
    refused = cli("fingerprint", "--personas", path, check=False)
    assert refused.returncode == 2
    clis = refused.stderr.strip().removeprefix("error: ")
    with pytest.raises(ValueError) as raised:
        spendsense.Personas.from_dict(document)
    assert str(raised.value) == clis.replace(f"persona definitions {path}", "persona definitions")
    with pytest.raises(ValueError):
        spendsense.generate(10, personas=document)


def test_personas_are_immutable_and_typed():
    builtin = spendsense.Personas.builtin()
    with pytest.raises(AttributeError):
        builtin._json = "{}"
    with pytest.raises(TypeError):
        spendsense.Personas(42)
    with pytest.raises(ValueError, match="trailing characters"):
        spendsense.Personas(builtin.to_json() + " {}")
