#include "deploy/deployer.h"

#include <fmt/format.h>

#include <filesystem>

#include "cluster/service_control.h"
#include "cluster/workdir.h"
#include "core/cancel.h"
#include "core/files.h"
#include "deploy/bring_up.h"
#include "services/faked_clock.h"
#include "services/registry.h"

namespace pgha {
namespace fs = std::filesystem;

Status RestartService(Provider& provider, const ClusterPlan& plan, Manifest& m, const HostPlan& host,
                      const std::string& kind) {
  const Service* s = FindService(kind);
  if (!s) return Failed("no service kind " + kind);
  if (Status st = s->BeforeRestart(provider.Shell(), plan, host); !st.ok()) return st;
  return provider.Services().Start(host, WithFakedClock(plan, host, kind, s->Launch(plan, host)), m);
}

Status RestartServiceAfterDcs(const RestartContext& c, const HostPlan& host, const std::string& kind) {
  const Service* s = FindService(kind);
  if (!s) return Failed("no service kind " + kind);
  if (s->Tier() != ServiceTier::kDcs) {
    auto check = [] { return CancelRequested() ? Cancelled("cancelled") : Status::Ok(); };
    BringUpContext wait{c.probe,
                        c.clock,
                        c.dcs_wait,
                        c.clock.Now(),
                        check,
                        [](const std::string&) {},
                        [](const std::string&) { return std::string(); },
                        true};
    for (const Service* dcs : AllServices())
      if (dcs->Tier() == ServiceTier::kDcs && !c.probe.plan.HostsRunning(dcs->Kind()).empty())
        if (Status st = dcs->WaitReady(wait); !st.ok() && st.code() == StatusCode::kCancelled) return st;
  }
  return RestartService(c.provider, c.probe.plan, c.manifest, host, kind);
}

Result<ClusterPlan> Deployer::PlanFor(const Topology& topology, const UpOptions& o) {
  // A cluster someone else built is not "the cluster up": it never blocks another.
  const bool exclusive = d_.provider.BuildsServices() && !o.one_of_several;
  if (auto current = exclusive ? ReadCurrentRun(o.workdir) : std::nullopt) {
    if (fs::exists(ManifestPath(o.workdir, *current)))
      return InvalidInput(
          fmt::format("a cluster (run {}) is already up: run `pgha-chaos down` first, or `pgha-chaos cleanup` "
                      "if the run that made it crashed",
                      *current));
    ClearCurrentRun(o.workdir, *current);
  }
  auto plan = MakePlan(topology, o.run_id.empty() ? RandomHex(3) : o.run_id, o.workdir, d_.provider.Name());
  if (!plan.ok()) return plan.status();
  // The preload is this machine's: hosts that run other programs get none (their clock faults are skipped).
  if (d_.provider.RunsLocalPrograms()) plan->faked_clocks = o.faked_clocks;
  // So is the durable file system (their durability faults are skipped, with the reason).
  if (!d_.provider.RunsLocalPrograms()) WithoutDurableFs(&*plan);
  if (Status s = d_.provider.Place(&*plan); !s.ok()) return s;
  if (!o.skip_preflight)
    if (Status s = d_.provider.Preflight(*plan, WithClockPrograms(*plan, ProgramsFor(plan->Kinds()))); !s.ok())
      return s;
  return plan;
}

Result<RunningCluster> Deployer::Build(const Topology& topology, const ClusterPlan& plan, const UpOptions& o,
                                       Manifest& m) {
  RunningCluster cluster;
  cluster.plan = plan;
  cluster.secrets = d_.provider.ExistingSecrets().value_or(Secrets::Generate());
  const TimePoint start = d_.clock.Now();
  if (o.progress)
    o.progress(fmt::format("hosts: {} on {} ({} provider)", plan.hosts.size(), plan.subnet, d_.provider.Name()));
  if (Status s = d_.provider.CreateHosts(plan, m); !s.ok()) return s;
  BringUp b(d_, topology, cluster.plan, cluster.secrets, o, m);
  std::vector<Status (BringUp::*)()> steps = {&BringUp::WriteRunFiles};
  if (d_.provider.BuildsServices() && !o.bare)
    steps = {&BringUp::WriteRunFiles, &BringUp::WriteCertificates, &BringUp::WriteConfigs, &BringUp::StartServices};
  for (auto step : steps) {
    if (CancelRequested()) return Cancelled(fmt::format("interrupted by signal {}", CancelSignal()));
    if (Status s = (b.*step)(); !s.ok()) return s;
  }
  if (o.bare) {
    cluster.time_to_healthy = d_.clock.Now() - start;
    return cluster;
  }
  auto health = b.WaitHealthy();
  if (!health.ok()) return health.status();
  cluster.health = *health;
  cluster.time_to_healthy = d_.clock.Now() - start;
  return cluster;
}

Status Deployer::FailAndTearDown(const Status& why, const UpOptions& o, Manifest& m) {
  if (o.progress) o.progress("tearing down what was created");
  auto report = d_.provider.Teardown(m, {RunsRoot(o.workdir)});
  if (report.ok()) {
    m.Delete();
    ClearCurrentRun(o.workdir, m.run_id());
    return why;
  }
  std::string errors;
  for (const auto& e : report.errors) errors += "\n  " + e;
  return Status::Error(why.code(), why.message() + "\nteardown was incomplete (run `pgha-chaos cleanup`):" + errors);
}

Result<RunningCluster> Deployer::Up(const Topology& topology, const UpOptions& o) {
  auto plan = PlanFor(topology, o);
  if (!plan.ok()) return plan.status();
  std::error_code ec;
  fs::create_directories(RunsRoot(o.workdir), ec);
  fs::permissions(o.workdir, fs::perms(0755), ec);
  fs::permissions(RunsRoot(o.workdir), fs::perms(0755), ec);
  auto manifest = Manifest::Create(ManifestPath(o.workdir, plan->run_id), plan->run_id, d_.provider.Name());
  if (!manifest.ok()) return manifest.status();
  if (d_.provider.BuildsServices() && !o.one_of_several)
    if (Status s = WriteCurrentRun(o.workdir, plan->run_id); !s.ok()) return FailAndTearDown(s, o, **manifest);
  auto cluster = Build(topology, *plan, o, **manifest);
  if (cluster.ok()) return cluster;
  // Failure, timeout or Ctrl-C: leave nothing behind.
  return FailAndTearDown(cluster.status(), o, **manifest);
}

Result<TeardownReport> Deployer::Down(const std::string& workdir, const std::string& run_id) {
  auto manifest = Manifest::Open(ManifestPath(workdir, run_id));
  if (!manifest.ok()) return manifest.status();
  if ((*manifest)->provider() != d_.provider.Name())
    return InvalidInput(
        fmt::format("run {} was made by the {} provider, not {}", run_id, (*manifest)->provider(), d_.provider.Name()));
  auto report = d_.provider.Teardown(**manifest, {RunsRoot(workdir)});
  if (report.ok()) {
    (*manifest)->Delete();
    ClearCurrentRun(workdir, run_id);
  }
  return report;
}

}  // namespace pgha
