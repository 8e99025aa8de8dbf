"""The Spark recipe of docs/scale.md with the Python package, run as written
there in local mode: no binary anywhere (not on PATH, not shipped), each
task generating its shard inside the executor with `spendsense.iter_batches`
and handing Spark Arrow batches through `mapInArrow`, with the schema from
`spendsense.schema`. The union must be the single run of the CLI: every
profile in run order, exact DECIMAL(18,2) money."""

import os
import sys
import time

from common import SEED, SHARDS, USERS, check_spark, local_spark


def main(binary):
    started = time.monotonic()
    # The executors' Python is this venv's, where the package is installed.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)

    spark = local_spark("spendsense-package")
    try:
        # --- the recipe (docs/scale.md)
        import spendsense
        from pyspark.sql.pandas.types import from_arrow_schema
        N, USERS_, SEED_ = SHARDS, USERS, SEED

        def shard(batches):                              # the task's shard numbers, as Arrow
            import spendsense
            for batch in batches:
                for k in batch.column("id").to_pylist():
                    start, end = spendsense.shard_range(USERS_, k + 1, N)
                    yield from spendsense.iter_batches(USERS_, table="users", seed=SEED_,
                                                       start=start, end=end, threads=1)

        schema = from_arrow_schema(spendsense.schema("users"))
        users = spark.range(N, numPartitions=N).mapInArrow(shard, schema)   # partition order = shard order
        # ---
        total = check_spark("spark-package", users, N, binary)
    finally:
        spark.stop()
    print(f"spark (package): {N} shards generated in executors with no binary equal the single "
          f"run of {USERS} (sum of incomes {total}, exact); {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main(os.path.abspath(sys.argv[1]))
