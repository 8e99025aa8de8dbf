"""SpendSense runs as pyarrow tables, from the same Rust core as the CLI.

>>> import spendsense
>>> tables = spendsense.generate(1000, seed=7)
>>> tables["users"].num_rows
1000
>>> str(tables["users"].schema.field("annual_income").type)
'decimal128(18, 2)'

Every value equals what ``spendsense generate --format parquet`` writes for
the same run: money is ``decimal128(18, 2)`` (``decimal.Decimal`` in pandas
and Python), ids, masks and ZIP codes are strings, dates are ``date32``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Union

import pyarrow as pa

from . import _native

__all__ = [
    "ALL_TABLES",
    "DEFAULT_SEED",
    "LEDGER_TABLES",
    "PROFILE_TABLES",
    "Personas",
    "Report",
    "Violation",
    "fingerprint",
    "generate",
    "iter_batches",
    "schema",
    "shard_range",
    "validate",
]

__version__: str = _native.__version__

#: The seed of ``spendsense generate`` without ``--seed``.
DEFAULT_SEED = 42

#: The tables of a profile: users, accounts, paychecks, recurring, cards.
PROFILE_TABLES: tuple[str, ...] = tuple(_native.profile_tables())

#: The tables of a profile's ledger: transactions and card liabilities.
LEDGER_TABLES: tuple[str, ...] = ("transactions", "liabilities")

#: Every table, in the order of the Parquet output.
ALL_TABLES: tuple[str, ...] = PROFILE_TABLES + LEDGER_TABLES


_DECIMAL = re.compile(r'"\\u0000decimal:(-?[0-9.]+(?:[eE][-+]?[0-9]+)?)"')


def _dumps(document: Mapping[str, Any]) -> str:
    """JSON of a document whose numbers may be ``Decimal``, written exactly."""

    def exact(value: Any) -> str:
        if isinstance(value, Decimal) and value.is_finite():
            return f"\0decimal:{value}"
        raise TypeError(f"{type(value).__name__} is not allowed in persona definitions")

    return _DECIMAL.sub(r"\1", json.dumps(document, default=exact))


class Personas:
    """Persona definitions: the detection criteria and one definition per persona.

    Checked when made, as the CLI checks a ``--personas`` file: a bad document
    raises ``ValueError`` naming the JSON path of the first problem, in the
    CLI's words. Immutable, comparable, hashable and picklable (so it ships to
    Spark and Dask workers). ``to_dict()`` gives every amount as ``Decimal``;
    change a copy and make new definitions with ``Personas.from_dict``:

    >>> custom = spendsense.Personas.builtin().to_dict()
    >>> custom["definitions"][4]["annual_income"]["max"] = Decimal("150000")
    >>> spendsense.generate(100, personas=spendsense.Personas.from_dict(custom))
    """

    __slots__ = ("_json",)

    def __init__(self, document: str | Mapping[str, Any] | Personas | None = None):
        """The definitions of ``document``: JSON text, a dict as ``to_dict``
        returns, another ``Personas``, or ``None`` for the built-in ones."""
        if isinstance(document, Personas):
            text: str | None = document._json
        elif isinstance(document, Mapping):
            text = _dumps(document)
        elif document is None or isinstance(document, str):
            text = document
        else:
            raise TypeError(
                f"persona definitions are JSON text, a dict or Personas, not {type(document).__name__}"
            )
        object.__setattr__(self, "_json", _native.personas_json(text))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Personas are immutable; change a copy of to_dict() instead")

    @classmethod
    def builtin(cls) -> Personas:
        """SpendSense's definitions, as ``spendsense personas`` prints them."""
        return cls()

    @classmethod
    def from_json(cls, text: str) -> Personas:
        """The definitions of a JSON document (a ``--personas`` file's text)."""
        return cls(text)

    @classmethod
    def from_dict(cls, document: Mapping[str, Any]) -> Personas:
        """The definitions of a dict, as ``to_dict`` returns it."""
        return cls(document)

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> Personas:
        """The definitions of the JSON file at ``path``."""
        with open(path, encoding="utf-8") as file:
            return cls(file.read())

    def to_json(self) -> str:
        """The document, as ``spendsense personas --format json`` prints it."""
        return self._json

    def to_dict(self) -> dict[str, Any]:
        """The document as a new dict, amounts and shares as ``Decimal``."""
        return json.loads(self._json, parse_float=Decimal)

    @property
    def ids(self) -> tuple[str, ...]:
        """The personas, in priority order."""
        return tuple(_native.persona_ids(self._json))

    @property
    def fingerprint(self) -> str:
        """What ``spendsense fingerprint`` prints for these definitions."""
        return _native.fingerprint(self._json)

    def __getitem__(self, persona: str) -> dict[str, Any]:
        """The definition of ``persona`` (an id of ``ids``), as a new dict."""
        for definition in self.to_dict()["definitions"]:
            if definition["id"] == persona:
                return definition
        raise KeyError(persona)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Personas) and other._json == self._json

    def __hash__(self) -> int:
        return hash(self._json)

    def __repr__(self) -> str:
        return f"<Personas {self.fingerprint}: {', '.join(self.ids)}>"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Personas.from_json, (self._json,))


PersonasLike = Union[Personas, str, Mapping[str, Any], None]


def _personas_json(personas: PersonasLike) -> str | None:
    if personas is None:
        return None
    return Personas(personas).to_json()


def generate(
    count: int,
    *,
    seed: int = DEFAULT_SEED,
    start: int = 0,
    end: int | None = None,
    tables: Iterable[str] = PROFILE_TABLES,
    mix: str | None = None,
    overlap: str | float | None = None,
    as_of: str | None = None,
    personas: PersonasLike = None,
    threads: int | None = None,
) -> dict[str, pa.Table]:
    """Generate profiles ``start..end`` of the run of ``count`` profiles of ``seed``.

    Returns the chosen ``tables`` (by default the profile tables; add
    ``"transactions"`` and ``"liabilities"`` from ``LEDGER_TABLES`` for the
    ledger, about 160 transactions a profile) as pyarrow tables, by name.

    ``mix`` (``"control=3,high_utilization=1"``), ``overlap`` (a share from 0
    to 1), ``as_of`` (``YYYY-MM-DD``) and ``personas`` (a definitions
    document: ``Personas``, JSON text or a dict) are the CLI's ``--mix``, ``--overlap``,
    ``--as-of`` and ``--personas``. ``threads`` defaults to every core; the
    tables never depend on it.

    Raises ``ValueError`` for a bad argument, with the CLI's message.
    """
    wanted = list(tables)
    for name in wanted:
        schema(name)  # an unknown table fails here, with the one message for it
    end = count if end is None else end
    threads = threads if threads is not None else (os.cpu_count() or 1)
    if threads < 1:
        raise ValueError(f"threads is {threads}; use a whole number from 1")
    built = _native.generate_tables(
        count,
        seed,
        start,
        end,
        mix=mix,
        overlap=None if overlap is None else str(overlap),
        as_of=as_of,
        personas=_personas_json(personas),
        ledgers=any(name in LEDGER_TABLES for name in wanted),
        threads=threads,
    )
    by_name = {
        name: pa.Table.from_batches(batches, schema=schema)
        for name, schema, batches in built
    }
    return {name: by_name[name] for name in wanted}


def iter_batches(
    count: int,
    *,
    table: str = "users",
    seed: int = DEFAULT_SEED,
    start: int = 0,
    end: int | None = None,
    profiles_per_batch: int = 65_536,
    mix: str | None = None,
    overlap: str | float | None = None,
    as_of: str | None = None,
    personas: PersonasLike = None,
    threads: int | None = None,
) -> Iterator[pa.RecordBatch]:
    """Yield one table of profiles ``start..end`` as record batches, a few
    at a time, so a slice of any size streams in bounded memory.

    Each step generates ``profiles_per_batch`` profiles (about 40 MB of users
    rows, or 1.2 GB of transactions at the default); the batches are those of
    ``generate`` for the same slice, in order. What Spark's ``mapInArrow``
    and other batch-at-a-time engines take; see docs/scale.md.
    """
    if profiles_per_batch < 1:
        raise ValueError(
            f"profiles_per_batch is {profiles_per_batch}; use a whole number from 1"
        )
    end = count if end is None else end
    schema(table)  # an unknown table fails before anything is generated
    at = start
    while True:
        step = min(end, at + profiles_per_batch)
        tables = generate(count, seed=seed, start=at, end=step, tables=[table], mix=mix,
                          overlap=overlap, as_of=as_of, personas=personas, threads=threads)
        yield from tables[table].to_batches()
        at = step
        if at >= end:
            return


def schema(table: str) -> pa.Schema:
    """The pyarrow schema of ``table`` (one of ``ALL_TABLES``), the one of
    ``generate``'s tables and of the CLI's Parquet files."""
    return _native.table_schema(table)


def shard_range(count: int, shard: int, shards: int) -> tuple[int, int]:
    """The profiles ``(start, end)`` of ``--shard shard/shards`` of a run of ``count``."""
    return _native.shard_range(count, shard, shards)


def fingerprint(personas: PersonasLike = None) -> str:
    """The fingerprint ``spendsense fingerprint`` prints for these definitions."""
    return _native.fingerprint(_personas_json(personas))


@dataclass(frozen=True)
class Violation:
    """One broken rule, as a line of the CLI's report names it."""

    #: Position of the profile in the dataset, from 0.
    index: int
    #: Its ``user_id`` (empty when the record could not be read).
    user_id: str
    #: 1-based line in JSON Lines, else ``None``.
    line: int | None
    #: The rule, e.g. ``quota`` or ``duplicate-user-id``.
    rule: str
    #: The field, e.g. ``accounts[0].balances.current`` (may be empty).
    path: str
    #: What is wrong.
    message: str


@dataclass(frozen=True)
class Report:
    """What ``spendsense validate`` reports: ``str(report)`` is its text,
    ``report.data`` its ``--report json`` document (amounts as ``Decimal``)."""

    #: Whether every rule holds (the CLI's exit code 0).
    valid: bool
    #: The report as the CLI prints it.
    text: str = field(repr=False)
    #: The report as ``--report json`` writes it.
    data: dict[str, Any] = field(repr=False)

    def __bool__(self) -> bool:
        return self.valid

    def __str__(self) -> str:
        return self.text

    @property
    def total(self) -> int:
        """Profiles read."""
        return self.data["total"]

    @property
    def violation_count(self) -> int:
        """Every broken rule, listed or not."""
        return self.data["violation_count"]

    @property
    def violations(self) -> list[Violation]:
        """The first broken rules, in full (the rest are only counted)."""
        return [Violation(**{"line": None, **v}) for v in self.data["violations"]]


def validate(
    dataset: str | os.PathLike[str] | Mapping[str, pa.Table],
    *,
    personas: PersonasLike = None,
    mix: str | None = None,
    quotas: str = "shares",
) -> Report:
    """Validate a dataset with the CLI's rules and return its report.

    ``dataset`` is the path of a JSON or JSON Lines file of profiles (what
    ``spendsense generate`` writes), or the profile tables as ``generate``
    returns them (a dict of pyarrow tables, or of lists of record batches, by
    name: users, accounts, paychecks, recurring, cards).

    ``quotas`` is the CLI's ``--quotas``: ``"shares"`` (the default: each
    persona's share of the whole dataset, right for any order), ``"prefix"``
    (every prefix, for a whole generated run in its order) or ``"off"``.
    Manifests are not read: the report is the one of ``spendsense validate
    --no-manifest --quotas QUOTAS``.

    Raises ``ValueError`` when the dataset cannot be read at all (a missing
    file, no profiles, tables without a needed column), with the CLI's message.
    """
    personas_json = _personas_json(personas)
    if isinstance(dataset, Mapping):
        missing = [name for name in PROFILE_TABLES if name not in dataset]
        if missing:
            raise ValueError(
                f"the tables have no {missing[0]!r}; give the profile tables {', '.join(PROFILE_TABLES)}"
            )
        batches = [_batches(dataset[name]) for name in PROFILE_TABLES]
        text, data, valid = _native.validate_tables(
            batches, personas=personas_json, mix=mix, quotas=quotas
        )
    else:
        text, data, valid = _native.validate_path(
            os.fspath(dataset), personas=personas_json, mix=mix, quotas=quotas
        )
    return Report(valid=valid, text=text, data=json.loads(data, parse_float=Decimal))


def _batches(table: Any) -> list[pa.RecordBatch]:
    if isinstance(table, pa.Table):
        return table.to_batches()
    if isinstance(table, pa.RecordBatch):
        return [table]
    return list(table)
