// Bring-up and teardown of each shipped topology on the real machine, five
// times each (Google Benchmark repetitions): compact and the five seed
// topologies on the netns provider, and compact on the containers provider. The reported time is bring-up to healthy;
// counters up_s and down_s give both, with median and max. Targets on a 2-core machine: compact up median <= 6 s,
// seed-001 (the biggest: six hosts, three HAProxies and keepalived, mutual TLS) <= 10 s, down median <= 2 s. Root;
// tools/test.sh runs it before the tests.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "bench/repetitions.h"
#include "client/http_client.h"
#include "client/sql_client.h"
#include "deploy/deployer.h"
#include "providers/registry.h"
#include "scenario/topology_loader.h"

namespace pgha {
namespace {

void BM_UpDown(benchmark::State& state, const char* topology_name, const char* provider_name) {
  if (geteuid() != 0) {
    state.SkipWithError("needs root");
    return;
  }
  BoostProcessRunner runner;
  LinuxProcessTable table;
  SystemClock clock;
  HttplibClient http;
  LibpqClient sql;
  ProviderOptions po;
  po.fixtures_dir = PGHA_SOURCE_DIR "/fixtures";
  auto provider = MakeProvider(provider_name, {runner, table, clock, http}, po);
  if (!provider.ok()) {
    state.SkipWithError(provider.status().message().c_str());
    return;
  }
  Deployer deployer({**provider, clock, http, sql});
  auto topology = LoadTopology(std::string(PGHA_SOURCE_DIR "/fixtures/topologies/") + topology_name + ".yaml");
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

// Five repetitions (the figures in docs/testing.md), fewer under CI (bench/repetitions.h).
void Five(benchmark::internal::Benchmark* b) {
  b->Iterations(1)
      ->Repetitions(BenchRepetitions(5))
      ->UseManualTime()
      ->Unit(benchmark::kSecond)
      ->ReportAggregatesOnly(true)
      ->ComputeStatistics("max", [](const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); });
}

BENCHMARK_CAPTURE(BM_UpDown, compact, "compact", "netns")->Apply(Five);
BENCHMARK_CAPTURE(BM_UpDown, seed_000_colocated, "seed-000-colocated", "netns")->Apply(Five);
BENCHMARK_CAPTURE(BM_UpDown, seed_001_haproxy_vip, "seed-001-haproxy-vip", "netns")->Apply(Five);
BENCHMARK_CAPTURE(BM_UpDown, seed_002_dedicated_etcd, "seed-002-dedicated-etcd", "netns")->Apply(Five);
BENCHMARK_CAPTURE(BM_UpDown, seed_003_containers, "seed-003-containers", "netns")->Apply(Five);
BENCHMARK_CAPTURE(BM_UpDown, seed_004_tls, "seed-004-tls", "netns")->Apply(Five);
// The same compact cluster in system containers (systemd as PID 1, services as units).
BENCHMARK_CAPTURE(BM_UpDown, compact_containers, "compact", "containers")->Apply(Five);

}  // namespace
}  // namespace pgha

BENCHMARK_MAIN();
