"""The Dask recipe of docs/scale.md with the Python package, run as written
there on a local cluster of two worker processes: no binary anywhere, one
partition per shard from `dask.dataframe.from_map`, each generated on its
worker with `spendsense.generate`, and the frame's types given up front from
`spendsense.schema` (so no partition is computed twice to guess them). The
union must be the single run of the CLI: every profile in run order, exact
decimal128(18,2) money."""

import os
import sys
import time

from common import SEED, SHARDS, USERS, check_dask


# --- the recipe (docs/scale.md)
def shard(k, n=None, users=None, seed=None):
    import pandas as pd
    import spendsense
    start, end = spendsense.shard_range(users, k, n)
    table = spendsense.generate(users, seed=seed, start=start, end=end,
                                tables=["users"], threads=1)["users"]
    return table.to_pandas(types_mapper=pd.ArrowDtype)     # decimal128(18,2), not float
# ---


def main(binary):
    started = time.monotonic()
    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster):
        # --- the recipe (docs/scale.md)
        import pandas as pd
        import spendsense
        N = SHARDS
        meta = spendsense.schema("users").empty_table().to_pandas(types_mapper=pd.ArrowDtype)
        users = dd.from_map(shard, range(1, N + 1), n=N, users=USERS, seed=SEED, meta=meta)
        # ---
        total = check_dask("dask-package", users, N, binary)
    print(f"dask (package): {N} shards generated on workers with no binary equal the single run "
          f"of {USERS} (sum of incomes {total}, exact); {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main(os.path.abspath(sys.argv[1]))
