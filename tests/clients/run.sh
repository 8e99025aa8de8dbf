#!/usr/bin/env bash
# Checks SpendSense output with real third-party clients (jsonschema, DuckDB,
# pandas, openapi-schema-validator): installs the pinned versions of
# tests/clients/requirements.txt into target/clients-venv (reused when present),
# builds the release binary and runs check_clients.py on it. Needs Python 3 with
# venv and pip, PyPI the first time, and Plaid's schemas in ../shared/plaid.
set -euo pipefail
cd "$(dirname "$0")/../.."

target_dir="${CARGO_TARGET_DIR:-target}"
venv="$target_dir/clients-venv"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --requirement tests/clients/requirements.txt

cargo build --release --locked -p spendsense-cli
"$venv/bin/python" tests/clients/check_clients.py "$target_dir/release/spendsense"
"$venv/bin/python" tests/clients/check_sql.py "$target_dir/release/spendsense"
command -v java >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y --no-install-recommends openjdk-17-jre-headless; } # pyspark in check_parquet.py
"$venv/bin/python" tests/clients/check_parquet.py "$target_dir/release/spendsense"
