"""SpendSense's SQL views checked with real clients.

SQLite: `generate --format sqlite` read with Python's own `sqlite3` module:
row counts equal the CSV output's, every `_cents` sum equals the CSV's exact
decimal sum, foreign keys and integrity hold, and bad rows are refused.

Postgres: a real server from Debian's `postgresql` package (installed with
apt-get when `pg_ctl` is missing), started by `initdb` in a temporary
directory on a Unix socket only (no TCP), loads `spendsense schema --format
sql-postgres`, then `\\copy`s the `--format csv` tables of the same run into
it in one transaction, as docs/sql.md shows. Checked: row counts, every
NUMERIC sum exactly equal to the CSV's decimal sum, foreign keys (checked
at commit), and a refusal for each kind of bad row. The server is stopped
and the directory removed on exit, whatever happens.

Usage: check_sql.py PATH/TO/spendsense
"""

import csv
import decimal
import glob
import os
import pwd
import shutil
import sqlite3
import subprocess
import sys
import tempfile

TABLES = ["users", "accounts", "paychecks", "recurring", "cards", "transactions", "liabilities"]
SEED, COUNT = "20261130", "120"


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def run(args, **kwargs):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)


def csv_tables(directory):
    """Every CSV table of the run: its header and rows."""
    tables = {}
    for table in TABLES:
        with open(os.path.join(directory, f"{table}.csv"), newline="") as file:
            rows = list(csv.reader(file))
        tables[table] = (rows[0], rows[1:])
    return tables


def decimal_sums(header, rows, columns):
    """Exact sums of `columns` (empty fields are NULL), as Decimal."""
    sums = {}
    for column in columns:
        at = header.index(column)
        sums[column] = sum((decimal.Decimal(row[at]) for row in rows if row[at] != ""), decimal.Decimal(0))
    return sums


def check_sqlite(spendsense, work, tables):
    path = os.path.join(work, "run.sqlite")
    run([spendsense, "generate", "-s", SEED, "-n", COUNT, "--overlap", "0.3", "--format", "sqlite", "-o", path, "-q"])
    db = sqlite3.connect(path)
    checked = 0
    for table, (header, rows) in tables.items():
        (count,) = db.execute(f"SELECT count(*) FROM {table}").fetchone()
        if count != len(rows):
            fail(f"sqlite {table}: {count} rows, the CSV has {len(rows)}")
        columns = [row[1] for row in db.execute(f"SELECT * FROM pragma_table_info('{table}')")]
        cents = [c for c in columns if c.endswith("_cents")]
        sums = decimal_sums(header, rows, [c[: -len("_cents")] for c in cents])
        for column in cents:
            (total, kind) = db.execute(f"SELECT sum({column}), typeof(sum({column})) FROM {table}").fetchone()
            if kind not in ("integer", "null"):
                fail(f"sqlite sum({table}.{column}) is {kind}, not an integer")
            expected = sums[column[: -len("_cents")]]
            if decimal.Decimal(total or 0).scaleb(-2) != expected:
                fail(f"sqlite sum({table}.{column}) = {total} cents, the CSV sums to {expected}")
            checked += 1
    if checked < 15:
        fail(f"only {checked} cent columns in the database")
    if db.execute("PRAGMA foreign_key_check").fetchall():
        fail("sqlite foreign_key_check is not empty")
    if db.execute("PRAGMA integrity_check").fetchone() != ("ok",):
        fail("sqlite integrity_check failed")
    run_table = dict(db.execute("SELECT key, value FROM spendsense_run"))
    if (run_table.get("seed"), run_table.get("count"), run_table.get("overlap")) != (SEED, COUNT, "0.3"):
        fail(f"sqlite spendsense_run: {run_table}")
    bad_rows = [
        "UPDATE accounts SET type = 'savings' WHERE rowid = 1",
        "UPDATE paychecks SET date = '2026-02-30' WHERE rowid = 1",
        "UPDATE transactions SET amount_cents = 12.5 WHERE rowid = 1",
        "UPDATE users SET age = 17 WHERE rowid = 1",
        "UPDATE liabilities SET is_overdue = 2 WHERE rowid = 1",
        "UPDATE users SET matched_personas = 'control;nobody' WHERE rowid = 1",
        "INSERT INTO users SELECT * FROM users LIMIT 1",
    ]
    for statement in bad_rows:
        try:
            db.execute(statement)
        except sqlite3.IntegrityError:
            continue
        fail(f"sqlite accepted: {statement}")
    db.close()
    print(f"ok: sqlite3 {sqlite3.sqlite_version} reads the database: {checked} exact cent sums, keys and checks hold")


def server_binaries():
    """The directory of pg_ctl and initdb, installing Debian's package if needed."""
    def find():
        found = shutil.which("pg_ctl")
        if found and shutil.which("initdb"):
            return os.path.dirname(os.path.realpath(found))
        candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
        return os.path.dirname(candidates[-1]) if candidates else None

    binaries = find()
    if binaries is None:
        if os.geteuid() != 0:
            fail("Postgres is not installed and this is not root; apt-get install postgresql")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run(["apt-get", "update", "-qq"], env=env)
        run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "postgresql"], env=env)
        binaries = find()
        if binaries is None:
            fail("apt-get install postgresql left no pg_ctl")
    return binaries


class Server:
    """A Postgres cluster in `directory`, listening on a Unix socket there only."""

    def __init__(self, binaries, directory):
        self.binaries, self.directory = binaries, directory
        self.data = os.path.join(directory, "data")
        # initdb and the server refuse to run as root: run them as postgres.
        self.as_user = []
        self.superuser = pwd.getpwuid(os.geteuid()).pw_name
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(directory, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
            self.superuser = "postgres"
        self.started = False

    def tool(self, name, *args):
        return run([*self.as_user, os.path.join(self.binaries, name), *args])

    def start(self):
        self.tool("initdb", "-D", self.data, "-U", self.superuser, "--auth=trust", "-E", "UTF8", "--no-sync")
        options = f"-c listen_addresses='' -k {self.directory} -p 54329 -c fsync=off"
        self.tool("pg_ctl", "-D", self.data, "-o", options, "-w", "-l", os.path.join(self.directory, "log"), "start")
        self.started = True

    def stop(self):
        if self.started:
            self.tool("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
            self.started = False

    def psql(self, script, expect_error=None):
        """Runs `script` in one transaction; with `expect_error`, it must fail so."""
        result = subprocess.run(
            ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "--single-transaction",
             "-h", self.directory, "-p", "54329", "-U", self.superuser, "-d", "postgres", "-f", "-"],
            input=script, capture_output=True, text=True,
        )
        if expect_error is None:
            if result.returncode != 0:
                fail(f"psql: {result.stderr.strip()}\n{script[:300]}")
            return result.stdout
        if result.returncode == 0 or expect_error not in result.stderr:
            fail(f"postgres did not refuse with `{expect_error}`: {script.strip()}\n{result.stderr.strip()}")
        return result.stderr


def check_postgres(spendsense, work, csv_dir, tables):
    directory = tempfile.mkdtemp(prefix="pg-", dir=work)
    server = Server(server_binaries(), directory)
    try:
        server.start()
        ddl = run([spendsense, "schema", "--format", "sql-postgres"]).stdout
        server.psql(ddl)
        load = "".join(
            f"\\copy {table} FROM '{os.path.join(csv_dir, table + '.csv')}' WITH (FORMAT csv, HEADER true)\n"
            for table in TABLES
        )
        server.psql(load)
        checked = 0
        for table, (header, rows) in tables.items():
            count = int(server.psql(f"SELECT count(*) FROM {table};"))
            if count != len(rows):
                fail(f"postgres {table}: {count} rows, the CSV has {len(rows)}")
            numeric = server.psql(
                "SELECT column_name FROM information_schema.columns "
                f"WHERE table_name = '{table}' AND data_type = 'numeric' "
                "AND numeric_precision = 18 AND numeric_scale = 2 ORDER BY ordinal_position;"
            ).split()
            sums = decimal_sums(header, rows, numeric)
            for column in numeric:
                total = server.psql(f"SELECT coalesce(sum({column}), 0)::text FROM {table};").strip()
                if decimal.Decimal(total) != sums[column]:
                    fail(f"postgres sum({table}.{column}) = {total}, the CSV sums to {sums[column]}")
                checked += 1
        if checked < 15:
            fail(f"only {checked} NUMERIC(18,2) columns in Postgres")
        kinds = dict(
            line.split("|")
            for line in server.psql(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = 'transactions';"
            ).split()
        )
        if (kinds["date"], kinds["pending"], kinds["transaction_id"]) != ("date", "boolean", "text"):
            fail(f"postgres column types: {kinds}")
        one_user = "(SELECT user_id FROM users LIMIT 1)"
        bad_rows = [
            ("UPDATE accounts SET type = 'savings';", "violates check constraint"),
            ("UPDATE users SET age = 17;", "violates check constraint"),
            ("UPDATE users SET matched_personas = 'control;nobody';", "violates check constraint"),
            ("UPDATE users SET state = 'XX';", "violates check constraint"),
            ("UPDATE paychecks SET date = '2026-02-30';", "date/time field value out of range"),
            ("UPDATE transactions SET amount = 10000000000000000;", "numeric field overflow"),
            ("UPDATE liabilities SET is_overdue = 'maybe';", "invalid input syntax for type boolean"),
            ("INSERT INTO users SELECT * FROM users LIMIT 1;", "duplicate key value violates unique constraint"),
            ("UPDATE transactions SET user_id = 'nobody';", "violates foreign key constraint"),
            (f"DELETE FROM users WHERE user_id = {one_user};", "violates foreign key constraint"),
        ]
        for statement, error in bad_rows:
            server.psql(statement, expect_error=error)
        # A third decimal is rounded to the column's scale on input, as the
        # SQL standard's NUMERIC(18,2) says; docs/sql.md states it.
        rounded = server.psql(
            "UPDATE paychecks SET amount = 1.234 WHERE ctid = (SELECT min(ctid) FROM paychecks) "
            "RETURNING amount::text;"
        ).strip()
        if rounded != "1.23":
            fail(f"postgres stored 1.234 as {rounded}")
        version = server.psql("SHOW server_version;").strip()
        print(f"ok: Postgres {version} loads the CSV tables with the generated DDL: "
              f"{checked} exact NUMERIC sums, keys and checks hold, {len(bad_rows)} bad rows refused")
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


def main():
    spendsense = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="spendsense-sql-")
    try:
        os.chmod(work, 0o755)
        csv_dir = os.path.join(work, "csv")
        run([spendsense, "generate", "-s", SEED, "-n", COUNT, "--overlap", "0.3", "--format", "csv", "-o", csv_dir, "-q"])
        os.chmod(csv_dir, 0o755)
        tables = csv_tables(csv_dir)
        check_sqlite(spendsense, work, tables)
        check_postgres(spendsense, work, csv_dir, tables)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
