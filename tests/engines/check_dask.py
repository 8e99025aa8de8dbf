"""The Dask recipe of docs/scale.md, run as written there on a local
cluster of two worker processes: the binary shipped to the workers with
`upload_file` (it is on no PATH), one partition per shard from
`dask.dataframe.from_map`, each generating its shard as Parquet in the
worker's scratch space and reading the users table with exact decimals.
The union must be the single run: every profile in run order, exact
decimal128(18,2) money."""

import os
import sys
import time

from common import SEED, SHARDS, USERS, check_dask


# --- the recipe (docs/scale.md)
def shard(k, n=None, users=None, seed=None):
    import os, subprocess, tempfile
    import pyarrow.parquet as pq
    import pandas as pd
    from dask.distributed import get_worker
    exe = os.path.join(get_worker().local_directory, "spendsense")
    os.chmod(exe, 0o755)
    with tempfile.TemporaryDirectory(dir=get_worker().local_directory) as out:
        subprocess.run([exe, "generate", "-n", str(users), "--seed", str(seed), "--format", "parquet",
                        "--shard", f"{k}/{n}", "-q", "-o", out], check=True)
        table = pq.read_table(os.path.join(out, "users.parquet"))
    return table.to_pandas(types_mapper=pd.ArrowDtype)     # decimal128(18,2), not float
# ---


def main(binary):
    started = time.monotonic()
    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        # --- the recipe (docs/scale.md)
        N = SHARDS
        client.upload_file(binary, load=False)           # ships the binary to every worker
        users = dd.from_map(shard, range(1, N + 1), n=N, users=USERS, seed=SEED)
        # ---
        total = check_dask("dask", users, N, binary)
    print(f"dask: {N} shards generated on workers equal the single run of {USERS} "
          f"(sum of incomes {total}, exact); {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main(os.path.abspath(sys.argv[1]))
