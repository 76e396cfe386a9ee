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

for scenario in postmaster-crash primary-kill; do
  echo "-- $scenario"
  python3 tools/bench_figures.py alone "$out/alone/$scenario" beside "$out/beside/$scenario"
done
