#include "cluster/netns_provider.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <filesystem>

#include "cluster/fixtures.h"
#include "cluster/preflight.h"
#include "cluster/workdir.h"
#include "core/cancel.h"
#include "core/files.h"

namespace pgha {
namespace fs = std::filesystem;

namespace {

const std::map<std::string, std::string> kBaseEnv = {
    {"PATH", "/usr/sbin:/usr/bin:/sbin:/bin"}, {"LANG", "C.UTF-8"}, {"LC_ALL", "C.UTF-8"}};

std::string LogPath(const NodePlan& n, const std::string& daemon) { return n.dir + "/" + daemon + ".log"; }

Status CheckCancel() {
  if (CancelRequested()) return Cancelled(fmt::format("interrupted by signal {}", CancelSignal()));
  return Status::Ok();
}

}  // namespace

void NetnsProvider::Progress(const UpOptions& o, const std::string& line) const {
  if (o.progress) o.progress(line);
}

Status NetnsProvider::Ip(const std::vector<std::string>& args, const std::string& netns) {
  std::vector<std::string> argv{"ip"};
  if (!netns.empty()) {
    argv.push_back("-n");
    argv.push_back(netns);
  }
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = d_.runner.Run(CommandSpec::Of(argv));
  std::string cmd;
  for (const auto& a : argv) cmd += (cmd.empty() ? "" : " ") + a;
  if (!r.ok()) return r.status().WithContext(cmd);
  if (!r->Succeeded()) return Failed(fmt::format("`{}` failed: {}", cmd, r->timed_out ? "timed out" : r->err));
  return Status::Ok();
}

Status NetnsProvider::BuildNetwork(const ClusterPlan& plan, Manifest& m) {
  auto id = m.Record(Resource::Of(ResourceKind::kBridge, plan.bridge));
  if (!id.ok()) return id.status();
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"link", "add", plan.bridge, "type", "bridge"},
           {"addr", "add", fmt::format("{}/{}", plan.bridge_address, plan.prefix), "dev", plan.bridge},
           {"link", "set", plan.bridge, "up"}}) {
    Status s = Ip(args);
    if (!s.ok()) return s;
  }
  m.MarkCreated(*id);
  for (const auto& n : plan.nodes) {
    if (Status s = CheckCancel(); !s.ok()) return s;
    auto ns_id = m.Record(Resource::Of(ResourceKind::kNetns, n.netns));
    if (!ns_id.ok()) return ns_id.status();
    if (Status s = Ip({"netns", "add", n.netns}); !s.ok()) return s;
    m.MarkCreated(*ns_id);
    auto veth_id = m.Record(Resource::Of(ResourceKind::kVeth, n.veth));
    if (!veth_id.ok()) return veth_id.status();
    if (Status s = Ip({"link", "add", n.veth, "type", "veth", "peer", "name", "eth0", "netns", n.netns}); !s.ok()) return s;
    m.MarkCreated(*veth_id);
    for (const auto& args : std::vector<std::vector<std::string>>{{"link", "set", n.veth, "master", plan.bridge, "up"}}) {
      if (Status s = Ip(args); !s.ok()) return s;
    }
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"addr", "add", fmt::format("{}/{}", n.address, plan.prefix), "dev", "eth0"},
             {"link", "set", "eth0", "up"},
             {"link", "set", "lo", "up"}}) {
      if (Status s = Ip(args, n.netns); !s.ok()) return s;
    }
  }
  return Status::Ok();
}

Status NetnsProvider::MountDataVolume(const NodePlan& n, Manifest& m) {
  const std::string dir = DataVolumeDir(n);
  std::error_code ec;
  fs::create_directories(dir, ec);
  Resource r = Resource::Of(ResourceKind::kMount, dir);
  r.args = {"tmpfs", fmt::format("size={}", n.data_volume)};
  auto id = m.Record(r);
  if (!id.ok()) return id.status();
  auto res = d_.runner.Run(CommandSpec::Of({"mount", "-t", "tmpfs", "-o", fmt::format("size={},mode=0700", n.data_volume), "tmpfs", dir}));
  if (!res.ok()) return res.status();
  if (!res->Succeeded()) return Failed(fmt::format("cannot mount a tmpfs on {}: {}", dir, res->err));
  return m.MarkCreated(*id);
}

Status NetnsProvider::WriteConfigs(const ClusterPlan& plan, const Secrets& secrets, const UpOptions& o, Manifest& m) {
  auto templates = LoadFixtureTemplates(o.fixtures_dir);
  if (!templates.ok()) return templates.status();
  std::error_code ec;
  if (Status s = WriteFileAtomic(plan.run_dir + "/cluster.json", PlanToJson(plan).dump(2) + "\n"); !s.ok()) return s;
  if (Status s = WriteFileAtomic(plan.run_dir + "/secrets.json", SecretsToJson(secrets).dump(2) + "\n", 0600); !s.ok()) return s;
  // A pgpass for people connecting by hand: PGPASSFILE=<run_dir>/pgpass psql ...
  std::string pgpass = fmt::format("*:*:*:postgres:{}\n", secrets.superuser_password);
  if (Status s = WriteFileAtomic(plan.run_dir + "/pgpass", pgpass, 0600); !s.ok()) return s;
  for (const auto& n : plan.nodes) {
    fs::create_directories(n.dir, ec);
    if (ec) return Failed(fmt::format("cannot create {}: {}", n.dir, ec.message()));
    if (n.etcd) {
      auto text = RenderEtcdConfig(plan, n, templates->etcd);
      if (!text.ok()) return text.status();
      if (Status s = WriteFileAtomic(n.dir + "/etcd.conf.yml", *text); !s.ok()) return s;
      fs::create_directories(EtcdDataDir(n), ec);
      chmod(EtcdDataDir(n).c_str(), 0700);
    }
    if (n.haproxy) {
      auto text = RenderHaproxyConfig(plan, n, templates->haproxy);
      if (!text.ok()) return text.status();
      if (Status s = WriteFileAtomic(n.dir + "/haproxy.cfg", *text); !s.ok()) return s;
    }
    if (n.patroni) {
      auto text = RenderPatroniConfig(plan, n, secrets, templates->patroni);
      if (!text.ok()) return text.status();
      if (Status s = WriteFileAtomic(n.dir + "/patroni.yml", *text, 0600); !s.ok()) return s;
      // Patroni and PostgreSQL run as postgres and write below the node dir.
      if (n.data_volume > 0) {
        if (Status s = MountDataVolume(n, m); !s.ok()) return s;
      }
      if (!o.patroni_user.empty()) {
        if (Status s = ChownRecursive(n.dir, o.patroni_user); !s.ok()) return s;
      }
      if (n.etcd && !o.patroni_user.empty()) {
        // etcd stays root's.
        if (Status s = ChownRecursive(EtcdDataDir(n), "root"); !s.ok()) return s;
      }
    }
  }
  return Status::Ok();
}

Status NetnsProvider::StartDaemon(Manifest& m, const std::string& label, const DaemonSpec& spec) {
  auto id = m.Record(Resource::Of(ResourceKind::kProcess, label, spec.netns));
  if (!id.ok()) return id.status();
  auto pid = d_.runner.Spawn(spec);
  if (!pid.ok()) return pid.status().WithContext(label);
  auto st = d_.table.Stat(*pid);
  return m.MarkCreated(*id, *pid, st ? st->start_time : 0);
}

DaemonSpec NetnsProvider::SpecFor(const NodePlan& n, const std::string& daemon, const std::string& patroni_user) {
  DaemonSpec s;
  s.netns = n.netns;
  s.log_path = LogPath(n, daemon);
  s.working_dir = n.dir;
  s.env = kBaseEnv;
  if (daemon == "etcd") {
    s.argv = {"/usr/bin/etcd", "--config-file", n.dir + "/etcd.conf.yml"};
    s.env["HOME"] = "/root";
  } else if (daemon == "patroni") {
    s.argv = {"/usr/bin/patroni", n.dir + "/patroni.yml"};
    s.user = patroni_user;
    s.env["HOME"] = "/var/lib/postgresql";
  } else {
    s.argv = {"/usr/sbin/haproxy", "-db", "-f", n.dir + "/haproxy.cfg"};
  }
  return s;
}

Status NetnsProvider::RestartDaemon(Manifest& m, const NodePlan& n, const std::string& daemon, const std::string& patroni_user) {
  return StartDaemon(m, daemon + "@" + n.host, SpecFor(n, daemon, patroni_user));
}

Status NetnsProvider::StartDaemons(const ClusterPlan& plan, const UpOptions& o, Manifest& m) {
  for (const auto& n : plan.nodes) {
    if (!n.etcd) continue;
    if (Status st = StartDaemon(m, "etcd@" + n.host, SpecFor(n, "etcd", o.patroni_user)); !st.ok()) return st;
    // A new etcd member asks each peer, with a 1 s timeout, whether it was
    // already bootstrapped; a peer whose port is bound but not yet serving
    // makes that wait run out. Starting members one by one, each once the
    // previous one serves its peer API, saves up to 2 s at random.
    if (Status st = WaitEtcdPeerServing(plan, n, m); !st.ok()) return st;
  }
  // Patroni polls an unreachable DCS only every 5 s: start it once etcd
  // has quorum, or bring-up pays that wait at random.
  if (Status st = WaitEtcd(plan, o, m); !st.ok()) return st;
  for (const auto& n : plan.nodes)
    if (n.patroni)
      if (Status st = StartDaemon(m, "patroni@" + n.host, SpecFor(n, "patroni", o.patroni_user)); !st.ok()) return st;
  for (const auto& n : plan.nodes)
    if (n.haproxy)
      if (Status st = StartDaemon(m, "haproxy@" + n.host, SpecFor(n, "haproxy", o.patroni_user)); !st.ok()) return st;
  return Status::Ok();
}

Status NetnsProvider::CheckDaemonsAlive(const ClusterPlan& plan, Manifest& m) {
  // A daemon that died will not come back by itself: fail now, with its log.
  for (const auto& r : m.Snapshot()) {
    if (r.kind != ResourceKind::kProcess || r.state != ResourceState::kCreated) continue;
    if (IsSameLiveProcess(d_.table, r.pid, r.start_time)) continue;
    d_.table.Reap(r.pid);
    const auto at = r.name.find('@');
    const NodePlan* n = plan.Find(r.name.substr(at + 1));
    std::string log = n ? LogPath(*n, r.name.substr(0, at)) : "";
    return Failed(fmt::format("{} exited during start-up (pid {})\n--- last lines of {}\n{}", r.name, r.pid, log, TailFile(log, 15)));
  }
  return Status::Ok();
}

Status NetnsProvider::WaitEtcdPeerServing(const ClusterPlan& plan, const NodePlan& node, Manifest& m) {
  Deadline deadline(d_.clock, std::chrono::seconds(10));
  while (!deadline.Expired()) {
    if (Status s = CheckCancel(); !s.ok()) return s;
    if (Status s = CheckDaemonsAlive(plan, m); !s.ok()) return s;
    auto r = d_.http.Get(node.address, kEtcdPeerPort, "/members", std::chrono::milliseconds(200));
    if (r.ok() && r->status == 200) return Status::Ok();
    d_.clock.SleepFor(std::chrono::milliseconds(20));
  }
  // Not fatal: the member may still join; WaitEtcd has the real deadline.
  return Status::Ok();
}

Status NetnsProvider::WaitEtcd(const ClusterPlan& plan, const UpOptions& o, Manifest& m) {
  const TimePoint start = up_start_;
  Deadline deadline(d_.clock, plan.topology.up_timeout);
  while (true) {
    if (Status s = CheckCancel(); !s.ok()) return s;
    if (Status s = CheckDaemonsAlive(plan, m); !s.ok()) return s;
    // Every member must name the same leader. /v3/maintenance/status answers
    // at once; /health blocks while there is no leader, and probing it
    // member after member wastes seconds after quorum already exists.
    int healthy = 0;
    std::string leader;
    for (const auto* e : plan.EtcdNodes()) {
      auto r = d_.http.Request("POST", e->address, kEtcdClientPort, "/v3/maintenance/status", "{}", std::chrono::milliseconds(300));
      auto seen = r.ok() && r->status == 200 ? ParseEtcdLeader(r->body) : std::nullopt;
      if (seen && (leader.empty() || *seen == leader)) {
        leader = *seen;
        ++healthy;
      }
    }
    if (healthy == static_cast<int>(plan.EtcdNodes().size())) {
      Progress(o, fmt::format("[{:5.1f}s] etcd {}/{} agree on a leader; starting Patroni and HAProxy", ToSeconds(d_.clock.Now() - start),
                              healthy, healthy));
      return Status::Ok();
    }
    if (deadline.Expired())
      return Timeout(fmt::format("etcd had no leader after {:.0f}s (up_timeout): {}/{} members agree on one{}",
                                 ToSeconds(deadline.Budget()), healthy, plan.EtcdNodes().size(), DiagnoseLogs(plan, "etcd")));
    d_.clock.SleepFor(std::chrono::milliseconds(100));
  }
}

Status NetnsProvider::Build(const ClusterPlan& plan, const Secrets& secrets, const UpOptions& o, Manifest& m) {
  auto dir_id = m.Record(Resource::Of(ResourceKind::kDirectory, plan.run_dir));
  if (!dir_id.ok()) return dir_id.status();
  std::error_code ec;
  fs::create_directories(plan.run_dir, ec);
  if (ec) return Failed(fmt::format("cannot create {}: {}", plan.run_dir, ec.message()));
  m.MarkCreated(*dir_id);
  Progress(o, fmt::format("network: bridge {} ({}/{}), {} namespaces", plan.bridge, plan.bridge_address, plan.prefix, plan.nodes.size()));
  if (Status s = BuildNetwork(plan, m); !s.ok()) return s;
  if (Status s = CheckCancel(); !s.ok()) return s;
  if (Status s = WriteConfigs(plan, secrets, o, m); !s.ok()) return s;
  if (Status s = CheckCancel(); !s.ok()) return s;
  Progress(o, "starting etcd");
  return StartDaemons(plan, o, m);
}

std::string NetnsProvider::DiagnoseLogs(const ClusterPlan& plan, const std::string& waiting_for) const {
  std::string out;
  for (const auto& n : plan.nodes)
    for (const char* daemon : {"etcd", "patroni", "haproxy"}) {
      if ((daemon == std::string("etcd") && !n.etcd) || (daemon == std::string("patroni") && !n.patroni) ||
          (daemon == std::string("haproxy") && !n.haproxy))
        continue;
      // Quote the logs of the parts the health check is still waiting for.
      bool relevant = waiting_for.empty() || waiting_for.find(n.host) != std::string::npos ||
                      waiting_for.find(daemon) != std::string::npos ||
                      (std::string(daemon) == "patroni" && (waiting_for.find("Patroni") != std::string::npos ||
                                                            waiting_for.find("leader") != std::string::npos)) ||
                      (std::string(daemon) == "haproxy" && waiting_for.find("HAProxy") != std::string::npos);
      if (!relevant) continue;
      std::string tail = TailFile(LogPath(n, daemon), 8);
      if (tail.empty()) continue;
      out += fmt::format("\n--- last lines of {}\n{}", LogPath(n, daemon), tail);
    }
  return out;
}

Result<HealthVerdict> NetnsProvider::WaitHealthy(const ClusterPlan& plan, const Secrets& secrets, const UpOptions& o,
                                                 Manifest& m) {
  const TimePoint start = up_start_;
  Deadline deadline(d_.clock, plan.topology.up_timeout);
  std::string last_summary;
  HealthVerdict verdict;
  while (true) {
    if (Status s = CheckCancel(); !s.ok()) return s;
    if (Status s = CheckDaemonsAlive(plan, m); !s.ok()) return s;
    ProbeOptions probe;
    probe.call_timeout = std::chrono::milliseconds(300);  // all local: a live service answers in milliseconds
    ClusterObservation obs = Observe(plan, secrets, d_.http, d_.sql, probe);
    verdict = EvaluateHealth(plan, obs);
    const double elapsed = ToSeconds(d_.clock.Now() - start);
    if (verdict.healthy) {
      Progress(o, fmt::format("[{:5.1f}s] healthy: {}", elapsed, verdict.summary));
      return verdict;
    }
    if (verdict.summary != last_summary) {
      Progress(o, fmt::format("[{:5.1f}s] {}", elapsed, verdict.summary));
      last_summary = verdict.summary;
    }
    if (deadline.Expired())
      return Timeout(fmt::format("the cluster was not healthy after {:.0f}s (up_timeout); still waiting for: {}{}",
                                 ToSeconds(deadline.Budget()), verdict.waiting_for, DiagnoseLogs(plan, verdict.waiting_for)));
    d_.clock.SleepFor(o.poll_interval);
  }
}

Result<RunningCluster> NetnsProvider::Up(const Topology& topology, const UpOptions& o) {
  if (auto current = ReadCurrentRun(o.workdir)) {
    if (fs::exists(ManifestPath(o.workdir, *current)))
      return InvalidInput(fmt::format("a cluster (run {}) is already up: run `pgha-chaos down` first, or `pgha-chaos cleanup` "
                                      "if the run that made it crashed", *current));
    ClearCurrentRun(o.workdir, *current);
  }
  if (!o.skip_preflight) {
    if (Status s = RunPreflight(topology, d_.runner); !s.ok()) return s;
  }
  const std::string run_id = o.run_id.empty() ? RandomHex(3) : o.run_id;
  auto plan = MakePlan(topology, run_id, o.workdir);
  if (!plan.ok()) return plan.status();
  std::error_code ec;
  fs::create_directories(RunsRoot(o.workdir), ec);
  fs::permissions(o.workdir, fs::perms(0755), ec);
  fs::permissions(RunsRoot(o.workdir), fs::perms(0755), ec);
  auto manifest = Manifest::Create(ManifestPath(o.workdir, run_id), run_id);
  if (!manifest.ok()) return manifest.status();
  if (Status s = WriteCurrentRun(o.workdir, run_id); !s.ok()) return s;

  RunningCluster cluster;
  cluster.plan = *plan;
  cluster.secrets = Secrets::Generate();
  const TimePoint start = d_.clock.Now();
  up_start_ = start;
  Status s = Build(*plan, cluster.secrets, o, **manifest);
  Result<HealthVerdict> health = s.ok() ? WaitHealthy(*plan, cluster.secrets, o, **manifest) : Result<HealthVerdict>(s);
  if (health.ok()) {
    cluster.health = *health;
    cluster.time_to_healthy = d_.clock.Now() - start;
    return cluster;
  }
  // Failure, timeout or Ctrl-C: leave nothing behind.
  Progress(o, "tearing down what was created");
  auto report = Teardown(**manifest, d_.runner, d_.table, d_.clock, {RunsRoot(o.workdir)});
  if (report.ok()) {
    (*manifest)->Delete();
    ClearCurrentRun(o.workdir, run_id);
    return health.status();
  }
  std::string errors;
  for (const auto& e : report.errors) errors += "\n  " + e;
  return Status::Error(health.status().code(),
                       health.status().message() + "\nteardown was incomplete (run `pgha-chaos cleanup`):" + errors);
}

Result<TeardownReport> NetnsProvider::Down(const std::string& workdir, const std::string& run_id) {
  auto manifest = Manifest::Open(ManifestPath(workdir, run_id));
  if (!manifest.ok()) return manifest.status();
  auto report = Teardown(**manifest, d_.runner, d_.table, d_.clock, {RunsRoot(workdir)});
  if (report.ok()) {
    (*manifest)->Delete();
    ClearCurrentRun(workdir, run_id);
  }
  return report;
}

}  // namespace pgha
