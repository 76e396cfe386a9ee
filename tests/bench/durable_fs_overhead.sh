#!/usr/bin/env bash
# The durable file system's cost on the workload: the same no-fault run of
# the compact topology with its data on plain tmpfs volumes and on the
# durable file system over them, alternated ROUNDS times (default 3); prints
# the medians of the writes acknowledged per second and of the write p99.
# Needs root and a clean machine (a cluster per run, about 35 s each).
#   bash tests/bench/durable_fs_overhead.sh [BUILD_DIR] [ROUNDS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build}"
rounds="${2:-3}"
out="$(mktemp -d /tmp/pgha-durable-overhead.XXXXXX)"
trap 'rm -rf "$out"' EXIT
for i in $(seq "$rounds"); do
  for kind in plain with-layer; do
    "$build/pgha-chaos" run "$here/durable_fs/$kind.yaml" --output "$out/$kind-$i" > "$out/$kind-$i.log" 2>&1 ||
      { echo "run $kind $i failed: $out/$kind-$i.log" >&2; tail -5 "$out/$kind-$i.log" >&2; exit 1; }
  done
done
python3 - "$out" "$rounds" <<'PY'
import json, statistics, sys, glob
out, rounds = sys.argv[1], int(sys.argv[2])
rows = {}
for kind in ("plain", "with-layer"):
    rates, p99s = [], []
    for path in glob.glob(f"{out}/{kind}-*/*/result.json"):
        m = json.load(open(path))["measurements"]
        rates.append(m["throughput_per_s"])
        p99s.append(m["write_latency_s"]["p99"] * 1000)
    rows[kind] = (statistics.median(rates), statistics.median(p99s))
    print(f"{kind:11} writes/s median {rows[kind][0]:8.1f}   write p99 median {rows[kind][1]:7.2f} ms   ({len(rates)} runs)")
plain, layer = rows["plain"], rows["with-layer"]
print(f"the layer: {100 * (layer[0] / plain[0] - 1):+.1f} % writes/s, {100 * (layer[1] / plain[1] - 1):+.1f} % p99")
PY
