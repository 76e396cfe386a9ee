// Bring-up and teardown of the compact topology on the real machine, five
// times (Google Benchmark repetitions). The reported time is bring-up to
// healthy; counters up_s and down_s give both, with median and max.
// Targets on a 2-core machine: up median <= 6 s, down median <= 2 s.
// Root; tools/test.sh runs it before the tests.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>

#include "client/http_client.h"
#include "client/sql_client.h"
#include "deploy/deployer.h"
#include "providers/registry.h"
#include "scenario/topology_loader.h"

namespace pgha {
namespace {

void BM_CompactUpDown(benchmark::State& state) {
  if (geteuid() != 0) {
    state.SkipWithError("needs root");
    return;
  }
  BoostProcessRunner runner;
  LinuxProcessTable table;
  SystemClock clock;
  HttplibClient http;
  LibpqClient sql;
  auto provider = MakeProvider(kDefaultProvider, {runner, table, clock});
  if (!provider.ok()) {
    state.SkipWithError(provider.status().message().c_str());
    return;
  }
  Deployer deployer({**provider, clock, http, sql});
  auto topology = LoadTopology(PGHA_SOURCE_DIR "/fixtures/topologies/compact.yaml");
  if (!topology.ok()) {
    state.SkipWithError(topology.status().message().c_str());
    return;
  }
  Topology t = topology->topology;
  t.subnet = "10.213.8.0/24";
  UpOptions options;
  options.workdir = "/var/lib/pgha-chaos-bench";
  options.fixtures_dir = PGHA_SOURCE_DIR "/fixtures";
  for (auto _ : state) {
    auto cluster = deployer.Up(t, options);
    if (!cluster.ok()) {
      state.SkipWithError(cluster.status().message().c_str());
      break;
    }
    const double up = ToSeconds(cluster->time_to_healthy);
    const auto start = clock.Now();
    auto report = deployer.Down(options.workdir, cluster->plan.run_id);
    const double down = ToSeconds(clock.Now() - start);
    if (!report.ok() || !report->ok()) {
      state.SkipWithError("teardown failed");
      break;
    }
    state.SetIterationTime(up);
    state.counters["up_s"] = up;
    state.counters["down_s"] = down;
  }
}

BENCHMARK(BM_CompactUpDown)
    ->Iterations(1)
    ->Repetitions(5)
    ->UseManualTime()
    ->Unit(benchmark::kSecond)
    ->ReportAggregatesOnly(false)
    ->ComputeStatistics("max", [](const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); });

}  // namespace
}  // namespace pgha

BENCHMARK_MAIN();
