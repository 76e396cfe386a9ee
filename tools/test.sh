#!/usr/bin/env bash
# The whole test suite: set up (packages, build), then the benchmarks
# (bring-up, the workload against pgbench, the checker and the report,
# the transactional checker, the cost of the clock faults' preload per
# clock call;
# medians reported, not asserted) and every test through ctest:
# unit tests (fakes, milliseconds), integration tests on a real
# etcd/Patroni/PostgreSQL/HAProxy cluster in network namespaces, and the
# unit tests rebuilt under sanitizers. Prints the time of each stage at the end.
#
# Under CI (CI set) the bring-up benchmark stands compact and seed-001 up
# once each instead of every topology five times (PGHA_BENCH_REPETITIONS
# overrides the count either way).
# ctest runs in two parts. First the unit tests, the sanitizer builds and
# the integration tests labelled "untimed" (cleanup, Ctrl-C, torture,
# reports: nothing that rests on how fast the cluster is), two at a time but
# never two clusters (they hold one lock); the sanitizer builds compile at
# idle priority into a tmpfs (tools/sanitize.sh). Then the "timed"
# integration tests (the gate, failover bounds), alone: beside a sanitizer
# build, even so, postmaster-crash took 7.5 s instead of 5.1
# (tools/bench_beside.sh). The last line counts both parts.
set -euo pipefail
cd "$(dirname "$0")/.."

stages=()
stage_start=$(date +%s)
suite_start=$stage_start
# Ends the current stage: its name and wall time go to the summary.
stage_done() {
  local now
  now=$(date +%s)
  stages+=("$(printf '%-58s %5d s' "$1" $((now - stage_start)))")
  stage_start=$now
}
summary() {
  echo "== time per stage"
  printf '  %s\n' "${stages[@]}"
  echo "  total: $(($(date +%s) - suite_start)) s"
}
# The sanitizer builds' tmpfs: a killed earlier run's is removed first.
export PGHA_SANITIZE_BUILD_ROOT=/dev/shm/pgha-chaos-sanitize
rm -rf "$PGHA_SANITIZE_BUILD_ROOT"
finish() {
  rm -rf "$PGHA_SANITIZE_BUILD_ROOT"
  summary
}
trap finish EXIT

tools/setup.sh --tests
stage_done "set-up (packages, build, containers image)"

# A run of this suite that was killed (a session or a CI job ended under it)
# leaves its namespaces, mounts and containers; every one is in a manifest of
# the suite's own workdirs, and `cleanup` removes exactly those.
echo "== leftovers of killed earlier runs of this suite"
for workdir in /var/lib/pgha-chaos-itest /var/lib/pgha-chaos-bench; do
  build/pgha-chaos --workdir "$workdir" cleanup
done

# Under CI, the bring-up benchmark stands up only the two topologies with a
# bring-up target (compact, seed-001), once each: the integration tests
# stand every other one up anyway, and the five-by-five table is made by hand.
topologies=(--benchmark_filter=.)
which="every shipped topology"
if [ -n "${CI:-}" ]; then
  export PGHA_BENCH_REPETITIONS=${PGHA_BENCH_REPETITIONS:-1}
  topologies=("--benchmark_filter=BM_UpDown/(compact|seed_001_haproxy_vip)/")
  which="compact and seed-001"
fi
reps=${PGHA_BENCH_REPETITIONS:-5}
echo "== benchmark: bring-up and teardown of $which, $reps time(s) each"
build/tests/cluster_bench "${topologies[@]}" --benchmark_counters_tabular=true 2>&1 |
  grep -E 'BM_|Benchmark|----|ERROR' || echo "benchmark did not run"
stage_done "benchmark: bring-up of $which ($reps each)"

echo "== benchmark: the workload (rate: max) against pgbench on one cluster, 1 and 4 clients, medians of ${PGHA_BENCH_REPETITIONS:-3}"
# Medians of the repetitions (a single run's own line when there is one).
build/tests/workload_bench --benchmark_counters_tabular=true 2>&1 | grep -E 'BM_|Benchmark|ERROR' |
  grep -Ev '_(mean|stddev|cv|max) ' || echo "benchmark did not run"
stage_done "benchmark: the workload against pgbench"

echo "== benchmark: the checker on 10^4 to 10^7 operations, report of a 1.5M-operation run, HTML size"
build/tests/checker_bench --benchmark_counters_tabular=true 2>&1 | grep -E 'BM_|Benchmark|----|ERROR' || echo "benchmark did not run"
stage_done "benchmark: the checker and the report"

echo "== benchmark: the transactional checker on 10^5 and 10^6 list-append transactions (targets 5 s and 60 s)"
build/tests/txn_check_bench --benchmark_counters_tabular=true 2>&1 | grep -E 'BM_|Benchmark|----|ERROR' |
  grep -Ev '_(mean|stddev|cv) ' || echo "benchmark did not run"
stage_done "benchmark: the transactional checker"

echo "== benchmark: a clock call without and with the clock faults' preload (ns per call, medians of 5)"
# 0.1 s a repetition, millions of calls each: the medians moved by a few ns
# against the default 0.5 s, within the spread of two runs of either
# (4 s for the stage instead of 21 s).
build/tests/clock_bench --benchmark_min_time=0.1 2>&1 | grep -E '^-- |_median|ERROR' || echo "benchmark did not run"
stage_done "benchmark: the clock preload's cost"

ctest_log=$(mktemp /tmp/pgha-ctest.XXXXXX)
status=0
echo "== ctest, part 1: unit tests, sanitizer builds and untimed integration tests, two at a time"
(cd build && ctest -j2 -L '^(unit|sanitize|integration-untimed)$' --output-on-failure --timeout 3000) 2>&1 |
  tee "$ctest_log" || status=1
stage_done "ctest part 1: unit, sanitizers, untimed integration (-j2)"
echo "== ctest, part 2: the timed integration tests, alone"
(cd build && ctest -L '^integration-timed$' --output-on-failure --timeout 1200) 2>&1 | tee -a "$ctest_log" || status=1
stage_done "ctest part 2: timed integration tests (alone)"
# Both parts' counts, and every test in one of them.
read -r passed failed < <(awk '/tests passed, [0-9]+ tests? failed out of/ {
  total += $NF; bad += $4 } END { print total - bad, bad }' "$ctest_log")
all=$(cd build && ctest -N | awk '/^Total Tests:/ {print $3}')
rm -f "$ctest_log"
if [ "$((passed + failed))" != "$all" ]; then
  echo "ctest ran $((passed + failed)) of $all tests: a test has no label of either part"
  status=1
fi
summary
trap - EXIT
rm -rf "$PGHA_SANITIZE_BUILD_ROOT"
echo "$passed passed, $failed failed"
exit $status
