#!/usr/bin/env bash
# Checks SpendSense output with real third-party clients (jsonschema, DuckDB,
# pandas, polars, pyarrow, pyspark, frictionless, openapi-schema-validator,
# sqlite3 and a Postgres server): installs the pinned versions of
# tests/clients/requirements.txt into target/clients-venv (reused when present),
# builds the release binary and runs the check_*.py scripts on it. Needs Python 3 with
# venv and pip, PyPI the first time, and Plaid's schemas in ../shared/plaid.
set -euo pipefail
cd "$(dirname "$0")/../.."

target_dir="${CARGO_TARGET_DIR:-target}"
. tests/python-env.sh
python_venv clients-venv tests/clients/requirements.txt
need_java   # pyspark

cargo build --release --locked -p spendsense-cli
"$venv/bin/python" tests/clients/check_clients.py "$target_dir/release/spendsense"
"$venv/bin/python" tests/clients/check_sql.py "$target_dir/release/spendsense"
"$venv/bin/python" tests/clients/check_specs.py "$target_dir/release/spendsense"
"$venv/bin/python" tests/clients/check_parquet.py "$target_dir/release/spendsense"
