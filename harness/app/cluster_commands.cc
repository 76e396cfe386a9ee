// up, status, down and cleanup: a cluster by hand.
#include <fmt/format.h>

#include "app/commands.h"
#include "app/present.h"
#include "app/system.h"
#include "cluster/workdir.h"
#include "core/cidr.h"
#include "core/files.h"
#include "core/units.h"
#include "deploy/deployer.h"
#include "providers/containers_provider.h"
#include "scenario/inventory_loader.h"
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

namespace {

// The topology to stand up: the inventory's for ssh, else the file's.
Result<Topology> TopologyToStand(const GlobalOptions& g, const UpCommandOptions& o, const RealSystem& sys) {
  if (!sys.provider_options.inventory) return TopologyFor(g, o);
  if (!o.topology_file.empty() || !o.subnet.empty())
    return InvalidInput("--topology and --subnet do not apply to --provider ssh: the inventory is the topology");
  return sys.provider_options.inventory->topology;
}

Status CheckUpChoice(const UpCommandOptions& o) {
  const std::string name = o.where.provider.empty() ? kDefaultProvider : o.where.provider;
  if (o.bare && name != "containers")
    return InvalidInput("--bare is for --provider containers: hosts with systemd and sshd for your own playbook");
  return Status::Ok();
}

// A bare `up`: the hosts and the inventory that reaches them.
int PrintBare(const RunningCluster& c) {
  const std::string inventory = c.plan.run_dir + "/inventory.yml";
  if (Status s = WriteFileAtomic(inventory, RenderInventory(c.plan, c.secrets, SshKeyPath(c.plan.run_dir)), 0600);
      !s.ok()) {
    PrintError(s.message());
    return 3;
  }
  fmt::print("{} hosts up in {:.1f}s (run {}, no services)\n", c.plan.hosts.size(), ToSeconds(c.time_to_healthy),
             c.plan.run_id);
  for (const auto& h : c.plan.hosts) fmt::print("  {:<10} root@{}\n", h.name, h.address);
  fmt::print(
      "  inventory:  {}\nprovision with: ansible-playbook -i {} vagrant/site.yml\nthen: pgha-chaos run --provider ssh "
      "--inventory {} SCENARIO\nstop it with: pgha-chaos down\n",
      inventory, inventory, inventory);
  return 0;
}

}  // namespace

int RunUp(const GlobalOptions& g, const UpCommandOptions& o) {
  RealSystem sys;
  Status prepared = sys.Prepare(o.where.provider, o.where.inventory, false, g.fixtures_dir);
  if (prepared.ok()) prepared = sys.UsePackages(o.where.provider, o.where.packages);
  if (prepared.ok()) prepared = CheckUpChoice(o);
  auto topology = prepared.ok() ? TopologyToStand(g, o, sys) : Result<Topology>(prepared);
  if (!topology.ok()) {
    PrintError(topology.status().message());
    return 2;
  }
  auto provider = sys.ProviderForCommand(o.where.provider, "up");
  if (!provider.ok()) {
    PrintError(provider.status().message());
    return 2;
  }
  UpOptions up;
  up.workdir = g.workdir;
  up.fixtures_dir = g.fixtures_dir;
  up.progress = PrintProgress;
  up.bare = o.bare;
  fmt::print(stderr, "pgha-chaos: standing up topology {} ({}) on {}\n", topology->name, topology->source_file,
             topology->subnet);
  Deployer deployer({**provider, sys.clock, sys.http, sys.sql});
  auto cluster = deployer.Up(*topology, up);
  if (!cluster.ok()) {
    PrintError(cluster.status().message());
    return ExitCodeFor(cluster.status());
  }
  if (o.bare) return PrintBare(*cluster);
  if (!(*provider)->BuildsServices()) {
    deployer.Down(g.workdir, cluster->plan.run_id);  // nothing was changed on the hosts; nothing stays here
    fmt::print("cluster {} is healthy ({:.1f}s; ssh provider: nothing was changed on the hosts)\n{}",
               cluster->plan.scope, ToSeconds(cluster->time_to_healthy), ConnectionsText(*cluster));
    return 0;
  }
  fmt::print("cluster up and healthy in {:.1f}s (run {}, topology {})\n{}stop it with: pgha-chaos down\n",
             ToSeconds(cluster->time_to_healthy), cluster->plan.run_id, topology->name, ConnectionsText(*cluster));
  return 0;
}

int RunDown(const GlobalOptions& g, const std::string& only) {
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
  sys.provider_options.fixtures_dir = g.fixtures_dir;
  auto provider = ProviderOfRun(sys, g.workdir, *run);
  if (provider.ok() && !only.empty() && (*provider)->Name() != only) {
    PrintError(fmt::format("the cluster up (run {}) was made by the {} provider, not {}; `pgha-chaos down` removes it",
                           *run, (*provider)->Name(), only));
    return 1;
  }
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

int RunCleanup(const GlobalOptions& g, const std::string& only) {
  if (Status root = RequireRoot("cleanup"); !root.ok()) {
    PrintError(root.message());
    return 2;
  }
  RealSystem sys;
  sys.provider_options.fixtures_dir = g.fixtures_dir;
  auto runs = ListManifestRuns(g.workdir);
  if (runs.empty()) {
    fmt::print("nothing to clean up: no manifests in {}/manifests\n", g.workdir);
    if (auto cur = ReadCurrentRun(g.workdir)) ClearCurrentRun(g.workdir, *cur);
    return 0;
  }
  int failures = 0;
  for (const auto& id : runs) {
    auto provider = ProviderOfRun(sys, g.workdir, id);
    if (provider.ok() && !only.empty() && (*provider)->Name() != only) continue;
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
