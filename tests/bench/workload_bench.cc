// The workload's own write rate against pgbench, side by side on one real
// compact cluster (netns provider, root): both send the workload's statement
// (workload.h: kInsert, one row into the ledger, the server's time returned)
// through the same HAProxy read-write port, with 1 and 4 clients, 5 s each,
// three repetitions (medians reported; one under CI: bench/repetitions.h).
// The ratio is the cost of the harness's client (threads, recording) over
// pgbench's C client.
//   BM_Workload/N  pgha-chaos's writers, `rate: max` (no pacing), no
//                  readers or probes: counter writes_per_s, latency_p50_ms
//   BM_Pgbench/N   pgbench -c N -j N -T 5 with a custom insert script:
//                  counter writes_per_s (its tps, connections excluded)
// Target: the workload at least 0.9 times pgbench at each client count.
// tools/test.sh runs it after the bring-up benchmark; the cluster is torn
// down after the last benchmark, and on failure.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "bench/repetitions.h"
#include "check/measurements.h"
#include "client/http_client.h"
#include "client/sql_client.h"
#include "deploy/deployer.h"
#include "history/recorder.h"
#include "providers/registry.h"
#include "scenario/topology_loader.h"
#include "services/targets.h"
#include "workload/workload.h"

namespace pgha {
namespace {

constexpr auto kRunFor = std::chrono::seconds(5);
const char* kWorkdir = "/var/lib/pgha-chaos-bench";

struct Bench {
  SystemClock clock;
  LibpqClient sql;
  BoostProcessRunner runner;
  std::optional<PgTarget> target;  // the read-write endpoint (HAProxy)
  std::string error;               // why there is no cluster
};

Bench& TheBench() {
  static Bench b;
  return b;
}

void BM_Workload(benchmark::State& state) {
  Bench& b = TheBench();
  if (!b.target) return state.SkipWithError(b.error.c_str());
  for (auto _ : state) {
    if (auto s = b.sql.Connect(*b.target, std::chrono::seconds(5)); s.ok())
      (*s)->Exec(std::string(kLedgerDrop) + "; " + kLedgerSchema, std::chrono::seconds(10));
    Recorder rec(b.clock);
    WorkloadSpec spec;
    spec.writers = static_cast<int>(state.range(0));
    spec.readers = 0;
    spec.unpaced = true;
    WorkloadEndpoints ep;
    ep.read_write = *b.target;
    Workload w(b.sql, b.clock, rec, spec, ep, 1);
    w.Start();
    b.clock.SleepFor(kRunFor);
    w.Stop();
    const Measurements m = Analyze(rec.Snapshot());
    state.SetIterationTime(ToSeconds(kRunFor));
    state.counters["writes_per_s"] = m.throughput_per_s;
    state.counters["latency_p50_ms"] = m.latency_p50_s * 1000;
    state.counters["failed"] = static_cast<double>(m.writes_failed + m.writes_info);
  }
}

void BM_Pgbench(benchmark::State& state) {
  Bench& b = TheBench();
  if (!b.target) return state.SkipWithError(b.error.c_str());
  const std::string script = (std::filesystem::temp_directory_path() / "pgha-pgbench.sql").string();
  // The workload's own statement, with pgbench's random key and client id.
  std::ofstream(script) << "\\set k random(1, 9000000000000000000)\n"
                        << fmt::format(fmt::runtime(kInsert), ":k", ":client_id") << ";\n";
  const std::string clients = std::to_string(state.range(0));
  const std::string conninfo = b.target->ConnInfo() + " password=" + b.target->password;
  for (auto _ : state) {
    if (auto s = b.sql.Connect(*b.target, std::chrono::seconds(5)); s.ok())
      (*s)->Exec(std::string(kLedgerDrop) + "; " + kLedgerSchema, std::chrono::seconds(10));
    auto out = b.runner.Run(CommandSpec::Of({"/usr/lib/postgresql/15/bin/pgbench", "-n", "-c", clients, "-j", clients,
                                             "-T", std::to_string(kRunFor.count()), "-f", script, conninfo},
                                            kRunFor + std::chrono::seconds(20)));
    std::smatch tps;
    if (!out.ok() || !out->Succeeded() ||
        !std::regex_search(out->out, tps, std::regex(R"(tps = ([0-9.]+) \(without initial connection time\))"))) {
      state.SkipWithError(("pgbench failed: " + (out.ok() ? out->err : out.status().message())).c_str());
      break;
    }
    state.SetIterationTime(ToSeconds(kRunFor));
    state.counters["writes_per_s"] = std::stod(tps[1]);
  }
  std::filesystem::remove(script);
}

void Three(benchmark::internal::Benchmark* b) {
  b->Arg(1)
      ->Arg(4)
      ->Iterations(1)
      ->Repetitions(BenchRepetitions(3))
      ->UseManualTime()
      ->Unit(benchmark::kSecond)
      ->ReportAggregatesOnly(true);
}
BENCHMARK(BM_Workload)->Apply(Three);
BENCHMARK(BM_Pgbench)->Apply(Three);

}  // namespace
}  // namespace pgha

// Up one compact cluster, run the benchmarks against it, tear it down.
int main(int argc, char** argv) {
  using namespace pgha;
  benchmark::Initialize(&argc, argv);
  Bench& b = TheBench();
  LinuxProcessTable table;
  HttplibClient http;
  ProviderOptions po;
  po.fixtures_dir = PGHA_SOURCE_DIR "/fixtures";
  auto provider = MakeProvider("netns", {b.runner, table, b.clock, http}, po);
  auto topology = LoadTopology(PGHA_SOURCE_DIR "/fixtures/topologies/compact.yaml");
  std::optional<RunningCluster> cluster;
  std::optional<Deployer> deployer;
  if (geteuid() != 0) {
    b.error = "needs root";
  } else if (!provider.ok() || !topology.ok()) {
    b.error = !provider.ok() ? provider.status().message() : topology.status().message();
  } else {
    deployer.emplace(DeployDeps{**provider, b.clock, http, b.sql});
    Topology t = topology->topology;
    t.subnet = "10.213.8.0/24";
    UpOptions options;
    options.workdir = kWorkdir;
    options.fixtures_dir = PGHA_SOURCE_DIR "/fixtures";
    auto up = deployer->Up(t, options);
    if (up.ok()) {
      cluster = std::move(*up);
      b.target = EndpointTarget(cluster->plan, *cluster->plan.Endpoint(EndpointRole::kReadWrite), cluster->secrets);
    } else {
      b.error = "bring-up failed: " + up.status().message();
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (cluster) {
    auto down = deployer->Down(kWorkdir, cluster->plan.run_id);
    if (!down.ok() || !down->ok()) {
      std::fprintf(stderr, "teardown failed: run `pgha-chaos --workdir %s cleanup`\n", kWorkdir);
      return 1;
    }
  }
  return 0;
}
