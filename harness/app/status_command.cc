// status: the running cluster (the one `up` left standing, or with
// --provider ssh the inventory's) as a table, or JSON for machines.
#include <fmt/format.h>

#include "app/commands.h"
#include "app/present.h"
#include "app/system.h"
#include "cluster/workdir.h"
#include "observe/cluster_probe.h"
#include "observe/health.h"

namespace pgha {
namespace {

int PrintStatus(const ClusterPlan& plan, const ClusterObservation& obs, bool as_json) {
  const HealthVerdict health = EvaluateHealth(plan, obs);
  if (!as_json) {
    fmt::print("{}", StatusText(plan, obs, health));
    return health.healthy ? 0 : 1;
  }
  nlohmann::json j = ObservationToJson(obs);
  j["run_id"] = plan.run_id;
  j["topology"] = plan.topology_name;
  j["provider"] = plan.provider;
  j["healthy"] = health.healthy;
  j["leader"] = health.leader;
  j["waiting_for"] = health.waiting_for;
  j["summary"] = health.summary;
  j["plan"] = PlanToJson(plan);
  fmt::print("{}\n", j.dump(2));
  return health.healthy ? 0 : 1;
}

// An existing cluster, from its inventory: nothing is recorded or changed.
int InventoryStatus(const GlobalOptions& g, RealSystem& sys, const ProviderChoice& where, bool as_json) {
  auto provider = sys.ProviderForCommand(where.provider, "status");
  if (!provider.ok()) {
    PrintError(provider.status().message());
    return 2;
  }
  const Inventory& inv = *sys.provider_options.inventory;
  auto plan = MakePlan(inv.topology, "status", g.workdir, "ssh");
  if (plan.ok()) {
    if (Status s = (*provider)->Place(&*plan); !s.ok()) plan = s;
  }
  if (!plan.ok()) {
    PrintError(plan.status().message());
    return 2;
  }
  ProbeOptions probe;
  probe.shell = &(*provider)->Shell();
  return PrintStatus(*plan, Observe(*plan, *(*provider)->ExistingSecrets(), sys.http, sys.sql, probe), as_json);
}

}  // namespace

int RunStatus(const GlobalOptions& g, const ProviderChoice& where, bool as_json) {
  RealSystem sys;
  if (Status s = sys.Prepare(where.provider, where.inventory, false, g.fixtures_dir); !s.ok()) {
    PrintError(s.message());
    return 2;
  }
  if (sys.provider_options.inventory) return InventoryStatus(g, sys, where, as_json);
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
  if (!where.provider.empty() && where.provider != plan->provider) {
    PrintError(fmt::format("the cluster up (run {}) was made by the {} provider, not {}", *run, plan->provider,
                           where.provider));
    return 1;
  }
  auto provider = sys.MakeProvider(plan->provider);
  ProbeOptions probe;
  if (provider.ok()) probe.shell = &(*provider)->Shell();
  return PrintStatus(*plan, Observe(*plan, *secrets, sys.http, sys.sql, probe), as_json);
}

}  // namespace pgha
