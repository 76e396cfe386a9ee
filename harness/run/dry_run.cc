#include "run/dry_run.h"

#include <fmt/format.h>

#include <filesystem>

#include "core/files.h"
#include "core/text.h"
#include "deploy/deployer.h"
#include "faults/fault_injector.h"
#include "observe/cluster_probe.h"
#include "observe/health.h"

namespace pgha {
namespace fs = std::filesystem;

namespace {

struct Look {
  std::string leader;
  std::vector<std::string> replicas;
  bool answered = false;
};

Look LookOnce(RunDeps& d, const ClusterPlan& plan, const Secrets& secrets) {
  ProbeOptions po;
  po.call_timeout = std::chrono::seconds(2);
  po.check_routes = false;
  const ClusterObservation obs = Observe(plan, secrets, d.http, d.sql, po);
  Look look;
  if (!obs.members) return look;
  look.answered = true;
  for (const auto& m : *obs.members)
    if (m.IsLeader())
      look.leader = m.name;
    else if (m.IsRunning())
      look.replicas.push_back(m.name);
  return look;
}

std::vector<std::string> Resolve(const TargetSpec& t, const ClusterPlan& plan, const Look& look) {
  std::vector<std::string> patroni;
  for (const auto* h : plan.HostsRunning("patroni")) patroni.push_back(h->name);
  switch (t.kind) {
    case TargetKind::kHost: return {t.host};
    case TargetKind::kAll: return patroni;
    case TargetKind::kPrimary: return {look.leader.empty() ? patroni.front() : look.leader};
    case TargetKind::kReplicas: {
      std::vector<std::string> out;
      for (const auto& h : patroni)
        if (h != (look.leader.empty() ? patroni.front() : look.leader)) out.push_back(h);
      return out;
    }
    case TargetKind::kEtcdLeader: return {plan.HostsRunning("etcd").front()->name};
    case TargetKind::kVipHolder: return {plan.HostsRunning("keepalived").front()->name};
    default: return {look.replicas.empty() ? patroni.back() : look.replicas.front()};
  }
}

ResolvedFault ResolveFault(const FaultSpec& spec, const ClusterPlan& plan, const Look& look) {
  ResolvedFault f;
  f.spec = spec;
  f.hosts = Resolve(spec.target, plan, look);
  for (const auto& group : spec.groups) {
    std::vector<std::string> hosts;
    for (const auto& t : group)
      for (const auto& h : Resolve(t, plan, look)) hosts.push_back(h);
    f.groups.push_back(hosts);
  }
  if (spec.kind == FaultKind::kOneWay) f.to_host = Resolve(spec.to, plan, look).front();
  return f;
}

void DryStep(const Step& step, FaultInjector& faults, const ClusterPlan& plan, const Look& look,
             const std::function<void(const std::string&)>& print) {
  if (step.kind == StepKind::kFault) {
    const ResolvedFault f = ResolveFault(step.fault, plan, look);
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
  const Look look = LookOnce(d, *plan, secrets);
  print(fmt::format("dry run of {} on {} ({} hosts); nothing is run on the hosts", scenario.name, plan->topology_name,
                    plan->hosts.size()));
  print(look.answered ? fmt::format("Patroni says the primary is {} now", look.leader)
                      : "Patroni does not answer: role targets stand for the first host of the role");
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
               nullptr};
  FaultInjector faults(env);
  for (size_t i = 0; i < scenario.steps.size(); ++i) {
    print(fmt::format("step {}/{}: {}", i + 1, scenario.steps.size(), scenario.steps[i].Describe()));
    DryStep(scenario.steps[i], faults, *plan, look, print);
  }
  print("end of run: heal what is left");
  faults.HealAll();
  std::error_code ec;
  fs::remove_all(tmp, ec);
  return Status::Ok();
}

}  // namespace pgha
