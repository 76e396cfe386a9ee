#!/usr/bin/env bash
# Does `run --jobs 2` move what a run measures? `tools/jobs_bench.sh [RUNS]`
# runs primary-kill RUNS times (10 by default) one after another, each on a
# fresh cluster, then RUNS times again two at a time (`--jobs 2`), on a
# quiet machine. Prints the failover_time medians (min to max) of both,
# their difference, the verdicts and the wall time of each half; docs/trials-sweeps-lint.md
# ("Scenarios at once") quotes it. Needs root and a built build/pgha-chaos;
# prints, asserts nothing (KEEP=1 keeps the results folder).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-10}
workdir=/var/lib/pgha-chaos-bench
subnet=10.213.10.0/24
out=$(mktemp -d /tmp/pgha-jobs-bench.XXXXXX)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$out"' EXIT
trap 'exit 130' INT TERM

files=()
for _ in $(seq "$runs"); do files+=(scenarios/primary-kill.yaml); done

# Runs the RUNS copies into $out/$1 with --jobs $2; prints the wall time.
run_set() {
  local start
  start=$(date +%s%N)
  build/pgha-chaos --workdir "$workdir" run "${files[@]}" --jobs "$2" --output "$out/$1" --subnet "$subnet" \
    --seed 5 >"$out/$1.log" 2>&1 || true
  echo $((($(date +%s%N) - start) / 1000000)) >"$out/$1.wall"
}

echo "== primary-kill $runs times, one at a time"
run_set alone 1
echo "== primary-kill $runs times, two at a time (--jobs 2)"
run_set pairs 2

python3 tools/bench_figures.py alone "$out/alone" pairs "$out/pairs" "$(cat "$out/alone.wall")" "$(cat "$out/pairs.wall")"
