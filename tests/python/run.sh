#!/usr/bin/env bash
# Tests the `spendsense` Python package as a user gets it: installs the pinned
# tests/python/requirements.txt into target/python-venv (reused when present),
# then the package from the repository's path exactly as docs/python.md says
# (`pip install .`), and runs the pytest suite against the release CLI.
set -euo pipefail
cd "$(dirname "$0")/../.."

target_dir="${CARGO_TARGET_DIR:-target}"
. tests/python-env.sh
python_venv python-venv tests/python/requirements.txt
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps .

cargo build --release --locked -p spendsense-cli
SPENDSENSE_BIN="$target_dir/release/spendsense" "$venv/bin/python" -m pytest -q -p no:cacheprovider tests/python
