"""The Spark recipe of docs/scale.md, run as written there in local mode:
the binary shipped to the executors with `addFile` (it is on no PATH), one
task per shard streaming `spendsense generate --shard K/N` line by line, the
lines read with the schema `spendsense schema --format spark` prints (no
inference, so nothing is generated twice). The union must be the single
run: every profile in run order, exact DECIMAL(18,2) money."""

import os
import sys
import time

from common import SEED, SHARDS, USERS, check_spark, local_spark


def main(binary):
    started = time.monotonic()
    import subprocess

    spark = local_spark("spendsense-engines")
    try:
        # --- the recipe (docs/scale.md)
        N, USERS_, SEED_ = SHARDS, USERS, SEED
        sc = spark.sparkContext
        sc.addFile(binary)                                   # ships the binary to every executor
        schema = subprocess.run([binary, "schema", "--format", "spark"],
                                check=True, capture_output=True, text=True).stdout

        def shard(ks):
            import os, subprocess
            from pyspark import SparkFiles
            exe = SparkFiles.get("spendsense")
            os.chmod(exe, 0o755)
            for k in ks:
                with subprocess.Popen([exe, "generate", "-n", str(USERS_), "--seed", str(SEED_),
                                       "--format", "jsonl", "--shard", f"{k + 1}/{N}", "-q"],
                                      stdout=subprocess.PIPE, text=True) as proc:
                    yield from proc.stdout                   # streamed: one line at a time
                if proc.returncode != 0:
                    raise RuntimeError(f"spendsense shard {k + 1}/{N} exited {proc.returncode}")

        lines = sc.parallelize(range(N), N).mapPartitions(shard)   # partition order = shard order
        profiles = spark.read.schema(schema).json(lines)
        # ---
        total = check_spark("spark", profiles, N, binary)
    finally:
        spark.stop()
    print(f"spark: {N} shards streamed from executors equal the single run of {USERS} "
          f"(sum of incomes {total}, exact); {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main(os.path.abspath(sys.argv[1]))
