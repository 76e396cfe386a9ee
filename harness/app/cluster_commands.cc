// up, status, down and cleanup: a cluster by hand.
#include <fmt/format.h>

#include "app/commands.h"
#include "app/present.h"
#include "app/system.h"
#include "cluster/workdir.h"
#include "core/cidr.h"
#include "core/units.h"
#include "deploy/deployer.h"
#include "scenario/scenario.h"
#include "scenario/topology_loader.h"

namespace pgha {

int ExitCodeFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk: return 0;
    case StatusCode::kInvalidInput:
    case StatusCode::kEnvironment: return 2;
    case StatusCode::kCancelled: return 130;
    default: return 3;
  }
}

namespace {

// The topology file with the command line's overrides, validated.
Result<Topology> TopologyFor(const GlobalOptions& g, const UpCommandOptions& o) {
  const std::string file = TopologyPath(o.topology_file.empty() ? "compact" : o.topology_file, "./x", g.fixtures_dir);
  auto loaded = LoadTopology(file);
  if (!loaded.ok()) return loaded.status();
  Topology topology = loaded->topology;
  if (!o.subnet.empty()) {
    if (auto s = ParseSubnet(o.subnet); !s.ok()) return InvalidInput("--subnet: " + s.status().message());
    topology.subnet = o.subnet;
  }
  if (!o.timeout.empty()) {
    auto d = ParseDuration(o.timeout);
    if (!d.ok()) return InvalidInput("--timeout: " + d.status().message());
    topology.up_timeout = *d;
  }
  std::vector<std::string> warnings;
  if (Status v = ValidateTopology(topology, &warnings); !v.ok()) return v;
  for (const auto& w : loaded->warnings) PrintWarning(w);
  return topology;
}

// The provider that made run `run_id`, as its manifest says.
Result<std::unique_ptr<Provider>> ProviderOfRun(RealSystem& sys, const std::string& workdir,
                                                const std::string& run_id) {
  auto manifest = Manifest::Open(ManifestPath(workdir, run_id));
  if (!manifest.ok()) return manifest.status();
  return sys.MakeProvider((*manifest)->provider());
}

}  // namespace

int RunUp(const GlobalOptions& g, const UpCommandOptions& o) {
  auto topology = TopologyFor(g, o);
  if (!topology.ok()) {
    PrintError(topology.status().message());
    return 2;
  }
  RealSystem sys;
  auto provider = sys.ProviderForCommand(o.provider, "up");
  if (!provider.ok()) {
    PrintError(provider.status().message());
    return 2;
  }
  UpOptions up;
  up.workdir = g.workdir;
  up.fixtures_dir = g.fixtures_dir;
  up.progress = PrintProgress;
  fmt::print(stderr, "pgha-chaos: standing up topology {} ({}) on {}\n", topology->name, topology->source_file,
             topology->subnet);
  auto cluster = Deployer({**provider, sys.clock, sys.http, sys.sql}).Up(*topology, up);
  if (!cluster.ok()) {
    PrintError(cluster.status().message());
    return ExitCodeFor(cluster.status());
  }
  fmt::print("cluster up and healthy in {:.1f}s (run {}, topology {})\n{}stop it with: pgha-chaos down\n",
             ToSeconds(cluster->time_to_healthy), cluster->plan.run_id, topology->name, ConnectionsText(*cluster));
  return 0;
}

int RunStatus(const GlobalOptions& g, bool as_json) {
  if (Status root = RequireRoot("status"); !root.ok()) {  // the run's secrets are root's alone
    PrintError(root.message());
    return 2;
  }
  auto run = ReadCurrentRun(g.workdir);
  if (!run) {
    PrintError("no cluster is up (start one with `pgha-chaos up`)");
    return 1;
  }
  auto plan = LoadPlan(RunDir(g.workdir, *run));
  auto secrets = LoadSecrets(RunDir(g.workdir, *run));
  if (!plan.ok() || !secrets.ok()) {
    PrintError(
        fmt::format("run {} has no readable cluster.json/secrets.json ({}); `pgha-chaos cleanup` removes what is left",
                    *run, plan.ok() ? secrets.status().message() : plan.status().message()));
    return 3;
  }
  RealSystem sys;
  auto provider = ProviderOfRun(sys, g.workdir, *run);
  ProbeOptions probe;
  if (provider.ok()) probe.shell = &(*provider)->Shell();
  const ClusterObservation obs = Observe(*plan, *secrets, sys.http, sys.sql, probe);
  const HealthVerdict health = EvaluateHealth(*plan, obs);
  if (!as_json) {
    fmt::print("{}", StatusText(*plan, obs, health));
    return health.healthy ? 0 : 1;
  }
  nlohmann::json j = ObservationToJson(obs);
  j["run_id"] = plan->run_id;
  j["topology"] = plan->topology_name;
  j["provider"] = plan->provider;
  j["healthy"] = health.healthy;
  j["leader"] = health.leader;
  j["waiting_for"] = health.waiting_for;
  j["summary"] = health.summary;
  j["plan"] = PlanToJson(*plan);
  fmt::print("{}\n", j.dump(2));
  return health.healthy ? 0 : 1;
}

int RunDown(const GlobalOptions& g) {
  if (Status root = RequireRoot("down"); !root.ok()) {
    PrintError(root.message());
    return 2;
  }
  auto run = ReadCurrentRun(g.workdir);
  if (!run) {
    fmt::print("no cluster is up; nothing to do\n");
    return 0;
  }
  RealSystem sys;
  auto provider = ProviderOfRun(sys, g.workdir, *run);
  const TimePoint start = sys.clock.Now();
  auto report = provider.ok() ? Deployer({**provider, sys.clock, sys.http, sys.sql}).Down(g.workdir, *run)
                              : Result<TeardownReport>(provider.status());
  if (!report.ok()) {
    PrintError(report.status().message() + " (try `pgha-chaos cleanup`)");
    return 3;
  }
  if (!report->ok()) {
    for (const auto& e : report->errors) PrintError(e);
    PrintError("teardown incomplete; `pgha-chaos cleanup` retries from the manifest");
    return 3;
  }
  fmt::print("run {} down in {:.1f}s: removed {} resources ({} processes)\n", *run, ToSeconds(sys.clock.Now() - start),
             report->removed, report->processes_killed);
  return 0;
}

int RunCleanup(const GlobalOptions& g) {
  if (Status root = RequireRoot("cleanup"); !root.ok()) {
    PrintError(root.message());
    return 2;
  }
  RealSystem sys;
  auto runs = ListManifestRuns(g.workdir);
  if (runs.empty()) {
    fmt::print("nothing to clean up: no manifests in {}/manifests\n", g.workdir);
    if (auto cur = ReadCurrentRun(g.workdir)) ClearCurrentRun(g.workdir, *cur);
    return 0;
  }
  int failures = 0;
  for (const auto& id : runs) {
    auto provider = ProviderOfRun(sys, g.workdir, id);
    auto report = provider.ok() ? Deployer({**provider, sys.clock, sys.http, sys.sql}).Down(g.workdir, id)
                                : Result<TeardownReport>(provider.status());
    if (!report.ok()) {
      PrintError(fmt::format("run {}: {}", id, report.status().message()));
      ++failures;
      continue;
    }
    for (const auto& e : report->errors) PrintError(fmt::format("run {}: {}", id, e));
    if (!report->ok()) ++failures;
    fmt::print("run {}: removed {} resources ({} processes){}\n", id, report->removed, report->processes_killed,
               report->ok() ? "" : ", some remain");
  }
  return failures == 0 ? 0 : 3;
}

}  // namespace pgha
