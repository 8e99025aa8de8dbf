#!/usr/bin/env bash
# Runs the fan-out recipes of docs/scale.md on real engines: a pyspark job in
# local mode and a dask.distributed job on a local cluster, each generating a
# run's shards inside its workers, once from the binary it ships there and
# once with the Python package (`pip install .`, no binary), checked against
# the single run; and the shell recipe's zero-padded shard names.
# Installs the pinned versions of tests/engines/requirements.txt into
# target/engines-venv (reused when present) and Java 17 from Debian when
# `java` is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

target_dir="${CARGO_TARGET_DIR:-target}"
. tests/python-env.sh
python_venv engines-venv tests/engines/requirements.txt
need_java   # pyspark
# First, as it takes no time: the page shows what the checks run.
"$venv/bin/python" tests/engines/check_recipes_in_docs.py docs/scale.md tests/engines/check_*.py tests/engines/check_shell.sh
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps .

cargo build --release --locked -p spendsense-cli
binary="$(cd "$target_dir/release" && pwd)/spendsense"
# The engines must find the binary they ship, not one on PATH.
if command -v spendsense >/dev/null 2>&1; then
  echo "spendsense is on PATH ($(command -v spendsense)); the engine tests must not find it there" >&2
  exit 1
fi

bash tests/engines/check_shell.sh "$binary"
"$venv/bin/python" tests/engines/check_spark.py "$binary"
"$venv/bin/python" tests/engines/check_dask.py "$binary"
# The binary only makes the single run these are compared with.
"$venv/bin/python" tests/engines/check_spark_package.py "$binary"
"$venv/bin/python" tests/engines/check_dask_package.py "$binary"
