"""Shared fixtures: the release CLI the package is compared with."""

import os
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
import pytest


@pytest.fixture(scope="session")
def cli():
    """Runs the CLI (SPENDSENSE_BIN) and returns the finished process."""
    binary = os.environ.get("SPENDSENSE_BIN", "target/release/spendsense")

    def run(*args, check=True):
        return subprocess.run(
            [binary, *map(str, args)], capture_output=True, text=True, check=check
        )

    return run


@pytest.fixture
def cli_tables(cli, tmp_path):
    """The CLI's `--format parquet` tables of a run, read with pyarrow, by name."""

    def tables(*args):
        out = Path(tmp_path) / f"run-{len(list(tmp_path.iterdir()))}"
        cli("generate", "--format", "parquet", "-q", "-o", out, *args)
        return {path.stem: pq.read_table(path) for path in out.glob("*.parquet")}

    return tables
