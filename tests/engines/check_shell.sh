#!/usr/bin/env bash
# The shell recipe of docs/scale.md ("Fanning out locally") as written there,
# with a small run: zero-padded shard names, so 12 shards concatenated in glob
# order are byte for byte the unsharded run, and `spendsense shards` finds
# them whole.
set -euo pipefail
binary="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
ln -s "$binary" "$work/bin/spendsense"
export PATH="$work/bin:$PATH"
cd "$work"
SECONDS=0

N=12; USERS=12345; SEED=42
# --- the recipe (docs/scale.md)
seq 1 $N | xargs -P 4 -I{} sh -c "exec spendsense generate -n $USERS --seed $SEED --format jsonl --shard {}/$N -q -o part-\$(printf %05d {}).jsonl"
cat part-*.jsonl > users.jsonl      # glob order is shard order
for p in part-*.jsonl; do spendsense validate "$p" --summary -q > /dev/null; done
spendsense shards part-*.jsonl > shards.txt
# ---
spendsense generate -n $USERS --seed $SEED --format jsonl -q -o single.jsonl
cmp users.jsonl single.jsonl
tail -n 1 shards.txt | grep -q '^shards: valid' || { cat shards.txt; exit 1; }
echo "shell: $N zero-padded shards in glob order equal the single run; spendsense shards: valid (${SECONDS} s)"
