#!/usr/bin/env bash
# The whole test suite: set up (packages, build), then the benchmarks
# (bring-up, the workload against pgbench, the checker and the report;
# medians reported, not asserted) and every test through ctest:
# unit tests (fakes, milliseconds) and integration tests on a real
# etcd/Patroni/PostgreSQL/HAProxy cluster in network namespaces.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh

# A run of this suite that was killed (a session or a CI job ended under it)
# leaves its namespaces, mounts and containers; every one is in a manifest of
# the suite's own workdirs, and `cleanup` removes exactly those.
echo "== leftovers of killed earlier runs of this suite"
for workdir in /var/lib/pgha-chaos-itest /var/lib/pgha-chaos-bench; do
  build/pgha-chaos --workdir "$workdir" cleanup
done

echo "== benchmark: bring-up and teardown of every shipped topology, 5 times each"
build/tests/cluster_bench --benchmark_counters_tabular=true 2>&1 | grep -E 'BM_|Benchmark|----|ERROR' || echo "benchmark did not run"

echo "== benchmark: the workload (rate: max) against pgbench on one cluster, 1 and 4 clients, medians of 3"
build/tests/workload_bench --benchmark_counters_tabular=true 2>&1 | grep -E 'median|Benchmark|----|ERROR' || echo "benchmark did not run"

echo "== benchmark: the checker on 10^4 to 10^7 operations, report of a 1.5M-operation run, HTML size"
build/tests/checker_bench --benchmark_counters_tabular=true 2>&1 | grep -E 'BM_|Benchmark|----|ERROR' || echo "benchmark did not run"

echo "== ctest"
cd build
ctest --output-on-failure --timeout 900
