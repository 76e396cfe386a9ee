#!/usr/bin/env bash
# Does `run --jobs 2` move what a run measures? `tools/jobs_bench.sh [RUNS]`
# runs primary-kill RUNS times (10 by default) one after another, each on a
# fresh cluster, then RUNS times again two at a time (`--jobs 2`), on a
# quiet machine. Prints the failover_time medians (min to max) of both,
# their difference, the verdicts and the wall time of each half; the README
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

python3 - "$out" <<'PY'
import json, os, statistics, sys
out = sys.argv[1]
def figures(mode):
    base = os.path.join(out, mode)
    times, verdicts = [], []
    for folder in sorted(os.listdir(base)) if os.path.isdir(base) else []:
        path = os.path.join(base, folder, "result.json")
        if not os.path.exists(path):
            continue
        r = json.load(open(path))
        t = r["measurements"].get("failover_time_s")
        if t is not None:
            times.append(t)
        missed = [f'{v.get("target", v.get("name", "?"))}: {v.get("measured_text", "")} {v["status"]} {v.get("reason", "")}'
                  for v in r["verdicts"] if v["status"] != "pass"]
        verdicts.append("pass" if not missed else "FAIL")
        if missed:
            print(f"{mode} {folder}: " + "; ".join(missed) )
    wall = int(open(os.path.join(out, mode + ".wall")).read()) / 1000
    return times, verdicts, wall
a, va, wa = figures("alone")
b, vb, wb = figures("pairs")
if not a or not b:
    print("no figures (see the logs)")
    sys.exit(0)
fa = f"{statistics.median(a):.2f} s ({min(a):.2f}-{max(a):.2f})"
fb = f"{statistics.median(b):.2f} s ({min(b):.2f}-{max(b):.2f})"
d = statistics.median(b) - statistics.median(a)
print(f"{'':8} {'failover: median (min-max)':28} {'verdicts':14} wall")
print(f"{'alone':8} {fa:28} {va.count('pass')}/{len(va)} pass     {wa:.0f} s")
print(f"{'pairs':8} {fb:28} {vb.count('pass')}/{len(vb)} pass     {wb:.0f} s")
print(f"difference of the medians: {d:+.2f} s")
PY
