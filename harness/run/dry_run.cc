#include "run/dry_run.h"

#include <fmt/format.h>

#include <filesystem>

#include "core/files.h"
#include "core/text.h"
#include "deploy/deployer.h"
#include "faults/fault_injector.h"
#include "faults/registry.h"
#include "observe/cluster_probe.h"
#include "observe/health.h"
#include "run/cluster_view.h"
#include "services/etcd.h"
#include "services/registry.h"

namespace pgha {
namespace fs = std::filesystem;

namespace {

// One read-only look at everything a target may need.
ClusterView LookOnce(RunDeps& d, const ClusterPlan& plan, const Secrets& secrets) {
  ProbeOptions po;
  po.call_timeout = std::chrono::seconds(2);
  po.check_routes = false;
  const ClusterObservation obs = Observe(plan, secrets, d.http, d.sql, po);
  ClusterView view;
  if (obs.members) {
    view.members = *obs.members;
    for (const auto& m : *obs.members)
      if (m.IsLeader()) view.leader = m.name;
  }
  const ProbeContext probe{plan, secrets, d.http, d.sql, std::chrono::seconds(2), nullptr};
  if (!plan.HostsRunning("etcd").empty()) view.etcd_leader = EtcdLeaderHost(probe);
  if (const Service* keepalived = FindService("keepalived"); !plan.HostsRunning("keepalived").empty()) {
    view.vip_holders.emplace();
    for (const auto* h : plan.HostsRunning("keepalived"))
      if (keepalived->Probe(probe, *h).healthy) view.vip_holders->push_back(h->name);
  }
  return view;
}

// The hosts the run would resolve; where the look cannot tell, a guess that says so.
TargetResolver DryResolver(const ClusterPlan& plan, const ClusterView& view, std::mt19937_64& rng,
                           const std::function<void(const std::string&)>& print) {
  return [&plan, &view, &rng, print](const TargetSpec& t) -> Result<std::vector<std::string>> {
    auto hosts = TargetHosts(t, plan, view, rng);
    if (hosts.ok()) return hosts;
    std::vector<std::string> guess = GuessTargetHosts(t, plan);
    print(fmt::format("  guessed {} = {} ({})", t.ToString(), Join(guess), hosts.status().message()));
    if (guess.empty()) return hosts.status();
    return guess;
  };
}

void DryStep(const Step& step, FaultInjector& faults, const TargetResolver& resolve, const ClusterPlan& plan,
             const std::function<void(const std::string&)>& print) {
  if (step.kind == StepKind::kFault) {
    const FaultType* type = FindFaultType(step.fault.kind);
    ResolvedFault f;
    Status resolved = type ? type->Resolve(resolve, plan, step.fault, &f) : Failed("unknown fault");
    if (!resolved.ok()) return print("  would fail: " + resolved.message());
    if (std::string why = faults.Check(f); !why.empty()) return print("  skipped: " + why);
    print(fmt::format("  on {}:", Join(f.hosts)));
    auto done = faults.Inject(f);
    if (!done.ok()) print("  would fail: " + done.status().message());
  } else if (step.kind == StepKind::kHeal) {
    print("  heal:");
    step.heal == "all" ? faults.HealAll() : faults.Heal(step.heal);
  } else {
    print("  (not run in a dry run: no host command)");
  }
}

}  // namespace

Status DryRun(RunDeps d, const Scenario& scenario, const RunOptions& opt,
              const std::function<void(const std::string&)>& print) {
  auto plan = MakePlan(scenario.topology, "dryrun", opt.workdir, d.provider.Name());
  if (!plan.ok()) return plan.status();
  if (Status s = d.provider.Place(&*plan); !s.ok()) return s;
  if (Status s = d.provider.Preflight(*plan, {}); !s.ok()) return s;
  const Secrets secrets = d.provider.ExistingSecrets().value_or(Secrets{});
  const ClusterView look = LookOnce(d, *plan, secrets);
  print(fmt::format("dry run of {} on {} ({} hosts); nothing is run on the hosts", scenario.name, plan->topology_name,
                    plan->hosts.size()));
  print(look.members ? fmt::format("Patroni says the primary is {} now", look.leader.empty() ? "nobody" : look.leader)
                     : "Patroni does not answer: role targets are guessed (the first host of the role), each said");
  const std::string tmp = (fs::temp_directory_path() / ("pgha-dryrun-" + RandomHex(4))).string();
  fs::create_directories(tmp);
  auto manifest = Manifest::Create(tmp + "/manifest.json", "dryrun", d.provider.Name());
  if (!manifest.ok()) return manifest.status();
  FaultEnv env{*plan,
               d.provider,
               **manifest,
               d.http,
               d.clock,
               [&](const HostPlan& h, const std::string& kind) {
                 return RestartService(d.provider, *plan, **manifest, h, kind);
               },
               nullptr,
               true};
  FaultInjector faults(env);
  std::mt19937_64 rng(1);
  const TargetResolver resolve = DryResolver(*plan, look, rng, print);
  for (size_t i = 0; i < scenario.steps.size(); ++i) {
    print(fmt::format("step {}/{}: {}", i + 1, scenario.steps.size(), scenario.steps[i].Describe()));
    DryStep(scenario.steps[i], faults, resolve, *plan, print);
  }
  print("end of run: heal what is left");
  faults.HealAll();
  std::error_code ec;
  fs::remove_all(tmp, ec);
  return Status::Ok();
}

}  // namespace pgha
