#include "run/session.h"

#include <fmt/format.h>

#include <filesystem>

#include "cluster/workdir.h"
#include "faults/registry.h"
#include "observe/cluster_probe.h"
#include "services/registry.h"
#include "services/targets.h"

namespace pgha {

Result<std::unique_ptr<Session>> Session::Open(RunDeps deps, const Scenario& scenario, const RunOptions& opt,
                                               Recorder& rec) {
  Topology topology = scenario.topology;
  if (!opt.subnet.empty()) topology.subnet = opt.subnet;
  UpOptions up;
  up.workdir = opt.workdir;
  up.fixtures_dir = opt.fixtures_dir;
  up.skip_preflight = opt.skip_preflight;
  up.one_of_several = opt.one_of_several;
  up.faked_clocks = MovedClocks(scenario.steps);
  if (opt.progress) up.progress = [&opt](const std::string& l) { opt.progress("  " + l); };
  auto cluster = Deployer({deps.provider, deps.clock, deps.http, deps.sql}).Up(topology, up);
  if (!cluster.ok()) return cluster.status();
  auto manifest = Manifest::Open(ManifestPath(opt.workdir, cluster->plan.run_id));
  if (!manifest.ok()) {
    Deployer({deps.provider, deps.clock, deps.http, deps.sql}).Down(opt.workdir, cluster->plan.run_id);
    return manifest.status();
  }
  std::unique_ptr<Session> s(new Session(deps, opt, std::move(*cluster), std::move(*manifest)));
  s->Wire(scenario, rec);
  return s;
}

Session::Session(RunDeps deps, const RunOptions& options, RunningCluster cluster, std::unique_ptr<Manifest> manifest)
    : d_(deps), opt_(options), cluster_(std::move(cluster)), manifest_(std::move(manifest)) {}

void Session::Wire(const Scenario& scenario, Recorder& rec) {
  const ClusterPlan& plan = cluster_.plan;
  FaultEnv env{plan,
               d_.provider,
               *manifest_,
               d_.http,
               d_.clock,
               [this](const HostPlan& h, const std::string& kind) {
                 return RestartServiceAfterDcs(
                     {d_.provider, *manifest_, probe(std::chrono::milliseconds(300)), d_.clock}, h, kind);
               },
               [&rec](const std::string& host, const std::string& detail) {
                 rec.AddJournal({rec.NowNs(), JournalAction::kReboot, "", "watchdog", host, detail});
               }};
  env.remark = [&rec](const FaultRemark& r) {
    const JournalAction a = r.kind == "clock" ? JournalAction::kClock : JournalAction::kNote;
    rec.AddJournal({rec.NowNs(), a, r.fault_id, r.process, r.host, r.detail});
  };
  faults_ = std::make_unique<FaultInjector>(env);
  observer_ = std::make_unique<Observer>(probe(std::chrono::milliseconds(300)), d_.clock, rec,
                                         scenario.workload.observe_interval);
  endpoints_.read_write = EndpointTarget(plan, *plan.Endpoint(EndpointRole::kReadWrite), cluster_.secrets);
  endpoints_.read_write.application_name = "pgha-chaos-workload";
  if (const EndpointPlan* ro = plan.Endpoint(EndpointRole::kReadOnly)) {
    endpoints_.read_only = EndpointTarget(plan, *ro, cluster_.secrets);
    endpoints_.read_only->application_name = "pgha-chaos-workload";
  }
  for (const auto* n : plan.HostsRunning("patroni"))
    endpoints_.nodes.emplace_back(n->name, PostgresOn(plan, *n, cluster_.secrets));
  workload_ = std::make_unique<Workload>(d_.sql, d_.clock, rec, scenario.workload, endpoints_, opt_.seed);
  std::vector<HttpTarget> etcd;
  for (const auto* h : plan.HostsRunning("etcd")) etcd.push_back(EtcdClientApi(plan, *h));
  // Patroni's etcd3 keys live under its namespace, /service/ by default.
  leader_watch_ = std::make_unique<LeaderWatch>(d_.http, rec, etcd, "/service/" + plan.scope + "/leader");
}

Session::~Session() {
  std::vector<std::string> logs;
  Close(&logs);
}

void Session::StartClients() {
  leader_watch_->Start();
  observer_->Start();
  workload_->Start();
}

void Session::StopClients() {
  workload_->Stop();
  observer_->Stop();
  leader_watch_->Stop();
}

std::vector<std::string> Session::CollectLogs() {
  std::vector<std::string> logs;
  for (const auto& h : cluster_.plan.hosts)
    for (const Service* s : AllServices()) {
      if (!h.Runs(s->Kind())) continue;
      const auto files = s->LogFiles(h);
      const std::string dest = opt_.output_dir + "/logs/" + h.name;
      if (!d_.provider.Files().CollectLogs(h, files, dest).ok()) continue;
      for (const auto& f : files) {
        const std::string name = f.substr(f.rfind('/') + 1);
        if (std::filesystem::exists(dest + "/" + name)) logs.push_back("logs/" + h.name + "/" + name);
      }
      // The ssh provider's extract of Patroni's settings warnings (from before the run).
      const std::string extract = "logs/" + h.name + "/patroni-settings.log";
      if (s->Kind() == "patroni" && std::filesystem::exists(opt_.output_dir + "/" + extract)) logs.push_back(extract);
    }
  return logs;
}

Status Session::Close(std::vector<std::string>* logs) {
  if (closed_) return Status::Ok();
  closed_ = true;
  if (opt_.progress)
    opt_.progress("tearing down: collecting the logs, then removing every service, namespace and mount");
  faults_->HealAll();
  StopClients();
  *logs = CollectLogs();
  auto down = Deployer({d_.provider, d_.clock, d_.http, d_.sql}).Down(opt_.workdir, cluster_.plan.run_id);
  if (!down.ok()) return down.status();
  if (!down->ok()) return Failed("teardown incomplete (run `pgha-chaos cleanup`)");
  return Status::Ok();
}

}  // namespace pgha
