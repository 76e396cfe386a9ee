#!/usr/bin/env bash
# Do the sanitizer builds beside the integration tests move what those
# tests measure? `tools/bench_beside.sh [TRIALS]` runs postmaster-crash and
# primary-kill TRIALS times each (5 by default) on a quiet machine, then
# again while tools/sanitize.sh builds (and rebuilds, from scratch) the
# AddressSanitizer unit tests exactly as ctest does under tools/test.sh:
# SCHED_IDLE, into a tmpfs. Prints the failover_time medians (min to max)
# of both, their difference and the verdicts. Needs root and a built
# build/pgha-chaos; prints, asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

trials=${1:-5}
workdir=/var/lib/pgha-chaos-bench
subnet=10.213.9.0/24
out=$(mktemp -d /tmp/pgha-bench-beside.XXXXXX)
export PGHA_SANITIZE_BUILD_ROOT=/dev/shm/pgha-chaos-bench-beside
builder=""
finish() {
  if [ -n "$builder" ]; then
    kill -- "-$builder" 2>/dev/null || true
    wait "$builder" 2>/dev/null || true
  fi
  rm -rf "$PGHA_SANITIZE_BUILD_ROOT" "$out"
}
trap finish EXIT
trap 'exit 130' INT TERM

# Runs both scenarios TRIALS times into $out/$1.
run_set() {
  for scenario in postmaster-crash primary-kill; do
    build/pgha-chaos --workdir "$workdir" run "scenarios/$scenario.yaml" --trials "$trials" \
      --output "$out/$1" --subnet "$subnet" --seed 5 >"$out/$1-$scenario.log" 2>&1 || true
  done
}

echo "== $trials trials each, alone"
run_set alone
echo "== $trials trials each, beside the AddressSanitizer build (SCHED_IDLE, tmpfs)"
# The builder in its own process group, so that it is ended whole, by pid.
setsid bash -c 'while :; do rm -rf "$PGHA_SANITIZE_BUILD_ROOT"; bash tools/sanitize.sh address >/dev/null 2>&1 || true; done' &
builder=$!
sleep 20  # the compiler is running before the first bring-up
run_set beside

python3 - "$out" <<'EOF'
import json, os, statistics, sys
out = sys.argv[1]
def figures(mode, scenario):
    base = os.path.join(out, mode, scenario)
    times, verdicts = [], []
    for trial in sorted(os.listdir(base)) if os.path.isdir(base) else []:
        path = os.path.join(base, trial, "result.json")
        if not os.path.exists(path):
            continue
        r = json.load(open(path))
        t = r["measurements"].get("failover_time_s")
        if t is not None:
            times.append(t)
        verdicts.append("pass" if all(v["status"] == "pass" for v in r["verdicts"]) else "FAIL")
    return times, verdicts
print(f"{'scenario':18} {'alone: median (min-max)':28} {'beside: median (min-max)':28} {'diff':>7}  verdicts alone / beside")
for scenario in ("postmaster-crash", "primary-kill"):
    a, va = figures("alone", scenario)
    b, vb = figures("beside", scenario)
    if not a or not b:
        print(f"{scenario:18} no figures (see the logs)")
        continue
    fa = f"{statistics.median(a):.2f} s ({min(a):.2f}-{max(a):.2f})"
    fb = f"{statistics.median(b):.2f} s ({min(b):.2f}-{max(b):.2f})"
    d = statistics.median(b) - statistics.median(a)
    print(f"{scenario:18} {fa:28} {fb:28} {d:+6.2f}s  {va.count('pass')}/{len(va)} pass / {vb.count('pass')}/{len(vb)} pass")
EOF
