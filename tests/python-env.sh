# Sourced by tests/clients/run.sh and tests/engines/run.sh: the steps both
# need before they run Python checks on the release binary.

# Creates the venv "$target_dir/$1" (reused when present) and installs the
# pinned requirements file $2 into it; sets $venv to its path.
python_venv() {
  venv="$target_dir/$1"
  if [ ! -x "$venv/bin/python" ]; then
    "${PYTHON:-python3}" -m venv "$venv"
  fi
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --requirement "$2"
}

# pyspark needs Java 17; installed from Debian when `java` is missing.
need_java() {
  command -v java >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless; }
}
