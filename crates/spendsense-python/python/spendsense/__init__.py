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
from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa

from . import _native

__all__ = [
    "ALL_TABLES",
    "DEFAULT_SEED",
    "LEDGER_TABLES",
    "PROFILE_TABLES",
    "default_personas",
    "fingerprint",
    "generate",
    "shard_range",
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


def _personas_json(personas: str | Mapping[str, Any] | None) -> str | None:
    if personas is None or isinstance(personas, str):
        return personas
    return json.dumps(personas)


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
    personas: str | Mapping[str, Any] | None = None,
    threads: int | None = None,
) -> dict[str, pa.Table]:
    """Generate profiles ``start..end`` of the run of ``count`` profiles of ``seed``.

    Returns the chosen ``tables`` (by default the profile tables; add
    ``"transactions"`` and ``"liabilities"`` from ``LEDGER_TABLES`` for the
    ledger, about 160 transactions a profile) as pyarrow tables, by name.

    ``mix`` (``"control=3,high_utilization=1"``), ``overlap`` (a share from 0
    to 1), ``as_of`` (``YYYY-MM-DD``) and ``personas`` (a definitions
    document, as JSON text or a dict) are the CLI's ``--mix``, ``--overlap``,
    ``--as-of`` and ``--personas``. ``threads`` defaults to every core; the
    tables never depend on it.

    Raises ``ValueError`` for a bad argument, with the CLI's message.
    """
    wanted = list(tables)
    unknown = [name for name in wanted if name not in ALL_TABLES]
    if unknown:
        raise ValueError(
            f"unknown table {unknown[0]!r}; the tables are {', '.join(ALL_TABLES)}"
        )
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


def shard_range(count: int, shard: int, shards: int) -> tuple[int, int]:
    """The profiles ``(start, end)`` of ``--shard shard/shards`` of a run of ``count``."""
    if not 1 <= shard <= shards:
        raise ValueError(f"shard {shard}/{shards} is not K/N with 1 <= K <= N")
    return count * (shard - 1) // shards, count * shard // shards


def fingerprint(personas: str | Mapping[str, Any] | None = None) -> str:
    """The fingerprint ``spendsense fingerprint`` prints for these definitions."""
    return _native.fingerprint(_personas_json(personas))


def default_personas() -> dict[str, Any]:
    """The built-in persona definitions, as ``spendsense personas --format json``."""
    return json.loads(_native.default_personas())
