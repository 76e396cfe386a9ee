#!/usr/bin/env bash
# The whole test suite: set up (packages, build), then the benchmarks
# (bring-up, the workload against pgbench, the checker and the report;
# medians reported, not asserted) and every test through ctest:
# unit tests (fakes, milliseconds), integration tests on a real
# etcd/Patroni/PostgreSQL/HAProxy cluster in network namespaces, and the
# unit tests rebuilt under sanitizers. Prints the time of each stage at the end.
#
# Under CI (CI set) the bring-up benchmark stands each topology up once
# instead of five times (PGHA_BENCH_REPETITIONS overrides either way).
# ctest runs one test at a time: a sanitizer build beside the clusters,
# even at nice 19, slowed PostgreSQL's crash recovery (its fsyncs wait for
# the compiler's writes) and postmaster-crash missed its 6 s target.
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
trap summary EXIT

tools/setup.sh --tests
stage_done "set-up (packages, build, containers image)"

# A run of this suite that was killed (a session or a CI job ended under it)
# leaves its namespaces, mounts and containers; every one is in a manifest of
# the suite's own workdirs, and `cleanup` removes exactly those.
echo "== leftovers of killed earlier runs of this suite"
for workdir in /var/lib/pgha-chaos-itest /var/lib/pgha-chaos-bench; do
  build/pgha-chaos --workdir "$workdir" cleanup
done

if [ -n "${CI:-}" ]; then
  export PGHA_BENCH_REPETITIONS=${PGHA_BENCH_REPETITIONS:-1}
fi
reps=${PGHA_BENCH_REPETITIONS:-5}
echo "== benchmark: bring-up and teardown of every shipped topology, $reps time(s) each"
build/tests/cluster_bench --benchmark_counters_tabular=true 2>&1 | grep -E 'BM_|Benchmark|----|ERROR' || echo "benchmark did not run"
stage_done "benchmark: bring-up of every topology ($reps each)"

echo "== benchmark: the workload (rate: max) against pgbench on one cluster, 1 and 4 clients, medians of 3"
build/tests/workload_bench --benchmark_counters_tabular=true 2>&1 | grep -E 'median|Benchmark|----|ERROR' || echo "benchmark did not run"
stage_done "benchmark: the workload against pgbench"

echo "== benchmark: the checker on 10^4 to 10^7 operations, report of a 1.5M-operation run, HTML size"
build/tests/checker_bench --benchmark_counters_tabular=true 2>&1 | grep -E 'BM_|Benchmark|----|ERROR' || echo "benchmark did not run"
stage_done "benchmark: the checker and the report"

echo "== ctest"
status=0
(cd build && ctest --output-on-failure --timeout 900) || status=$?
stage_done "ctest: unit, integration and sanitizer tests"
exit $status
