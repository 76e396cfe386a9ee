#include "run/runner.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <filesystem>
#include <random>
#include <set>

#include "cluster/workdir.h"
#include "core/cancel.h"
#include "faults/fault_injector.h"
#include "observe/cluster_probe.h"
#include "observe/observer.h"
#include "scenario/units.h"
#include "run/recorder.h"
#include "workload/workload.h"

namespace pgha {
namespace fs = std::filesystem;

int ScenarioResult::ExitCode() const {
  if (interrupted) return 130;
  if (!facts.infrastructure_error.empty()) return 3;
  bool fail = false;
  for (const auto& v : verdicts) {
    if (v.status == VerdictStatus::kError) return 3;
    if (v.status == VerdictStatus::kFail) fail = true;
  }
  return fail ? 1 : 0;
}

namespace {

// Everything one run needs, so the steps are small functions.
struct RunContext {
  const Scenario& scenario;
  const RunOptions& opt;
  ProviderDeps& d;
  const ClusterPlan& plan;
  const Secrets& secrets;
  Recorder& rec;
  Observer& observer;
  FaultInjector& faults;
  std::mt19937_64 rng;
  TimePoint deadline;
  std::string leader_before_fault;
  ScenarioResult& result;

  double Now() const { return static_cast<double>(rec.NowNs()) / 1e9; }
  bool Stopping() const { return CancelRequested() || d.clock.Now() >= deadline; }
  void Progress(const std::string& line) {
    if (!opt.progress) return;
    auto c = rec.WriteCounts();
    opt.progress(fmt::format("[{:6.1f}s] {}  (writes ok {} fail {} info {})", Now(), line, c.ok, c.fail, c.info));
  }
  void Journal(const std::string& action, const std::string& id, const std::string& kind, const std::string& target,
               const std::string& detail) {
    rec.AddJournal({rec.NowNs(), action, id, kind, target, detail});
  }
};

std::map<std::string, std::string> Versions(ProcessRunner& runner) {
  std::map<std::string, std::string> v;
  auto first_line = [&](std::vector<std::string> argv) {
    auto r = runner.Run(CommandSpec::Of(argv, std::chrono::seconds(10)));
    if (!r.ok() || !r->Succeeded()) return std::string("unknown");
    std::string out = r->out.empty() ? r->err : r->out;
    return out.substr(0, out.find('\n'));
  };
  v["postgresql"] = first_line({"/usr/lib/postgresql/15/bin/postgres", "--version"});
  v["patroni"] = first_line({"/usr/bin/patroni", "--version"});
  v["etcd"] = first_line({"/usr/bin/etcd", "--version"});
  v["haproxy"] = first_line({"/usr/sbin/haproxy", "-v"});
  return v;
}

// Host names a target means right now.
Result<std::vector<std::string>> Resolve(RunContext& c, const TargetSpec& t) {
  if (t.kind == TargetKind::kHost || t.kind == TargetKind::kLoadBalancer) return std::vector<std::string>{t.host};
  if (t.kind == TargetKind::kAll) {
    std::vector<std::string> all;
    for (const auto* n : c.plan.PatroniNodes()) all.push_back(n->host);
    return all;
  }
  if (t.kind == TargetKind::kEtcdLeader) {
    for (const auto* e : c.plan.EtcdNodes()) {
      auto r = c.d.http.Request("POST", e->address, kEtcdClientPort, "/v3/maintenance/status", "{}", std::chrono::milliseconds(500));
      if (!r.ok() || r->status != 200) continue;
      auto j = nlohmann::json::parse(r->body, nullptr, false);
      if (j.is_discarded() || !j.contains("header")) continue;
      if (j["header"].value("member_id", "") == j.value("leader", "-")) return std::vector<std::string>{e->host};
    }
    return Unavailable("no etcd member says it is the leader");
  }
  ObserverSample s = c.observer.SampleNow();
  if (!s.reachable) return Unavailable("no Patroni member answers, so the target cannot be resolved");
  if (t.kind == TargetKind::kPrimary) {
    if (s.leader.empty()) return Unavailable("the cluster has no primary right now");
    return std::vector<std::string>{s.leader};
  }
  if (t.kind == TargetKind::kReplicas) {
    if (s.leader.empty()) return Unavailable("the cluster has no primary right now, so \"replicas\" means nothing");
    std::vector<std::string> others;
    for (const auto* n : c.plan.PatroniNodes())
      if (n->host != s.leader) others.push_back(n->host);
    return others;
  }
  std::vector<std::string> candidates;
  for (const auto& m : s.members)
    if (!m.IsLeader() && m.IsRunning() && (t.kind != TargetKind::kSyncStandby || m.role == "sync_standby")) candidates.push_back(m.name);
  if (candidates.empty()) return Unavailable(t.kind == TargetKind::kSyncStandby ? "no member is a sync standby" : "no running replica");
  std::sort(candidates.begin(), candidates.end());
  return std::vector<std::string>{candidates[c.rng() % candidates.size()]};
}

StepRecord WaitStep(RunContext& c, const Step& step) {
  StepRecord r;
  const TimePoint end = c.d.clock.Now() + step.timeout;
  std::string last;
  while (!c.Stopping()) {
    std::string waiting;
    if (step.condition == WaitCondition::kNewPrimary) {
      ObserverSample s = c.observer.SampleNow();
      bool running = false;
      for (const auto& m : s.members)
        if (m.name == s.leader && m.IsRunning()) running = true;
      if (!s.leader.empty() && s.leader != c.leader_before_fault && running) {
        r.outcome = "ok";
        r.detail = "new primary " + s.leader;
        return r;
      }
      waiting = s.leader.empty() ? "no leader yet" : "leader is still " + s.leader;
    } else {
      ProbeOptions po;
      po.call_timeout = std::chrono::milliseconds(500);
      po.check_ports = step.condition == WaitCondition::kHealthy;
      ClusterObservation obs = Observe(c.plan, c.secrets, c.d.http, c.d.sql, po);
      HealthVerdict h = EvaluateHealth(c.plan, obs);
      bool done = h.healthy;
      if (step.condition == WaitCondition::kReplicasStreaming) {
        int streaming = 0;
        if (obs.replication)
          for (const auto& row : *obs.replication) streaming += row.state == "streaming" ? 1 : 0;
        done = streaming == static_cast<int>(c.plan.PatroniNodes().size()) - 1;
      }
      if (done) {
        r.outcome = "ok";
        r.detail = h.summary;
        return r;
      }
      waiting = h.waiting_for;
    }
    if (c.d.clock.Now() >= end) {
      r.outcome = "timeout";
      r.detail = "still waiting for: " + waiting;
      return r;
    }
    if (waiting != last) {
      c.Progress("  waiting for: " + waiting);
      last = waiting;
    }
    c.d.clock.SleepFor(std::chrono::milliseconds(250));
  }
  r.outcome = "error";
  r.detail = CancelRequested() ? "interrupted" : "the run's deadline passed";
  return r;
}

StepRecord FaultStep(RunContext& c, const Step& step) {
  StepRecord r;
  ResolvedFault f;
  f.spec = step.fault;
  if (step.fault.kind == FaultKind::kPartition) {
    for (const auto& group : step.fault.groups) {
      std::vector<std::string> hosts;
      for (const auto& t : group) {
        auto h = Resolve(c, t);
        if (!h.ok()) return {"", 0, 0, 0, "error", h.status().message()};
        hosts.insert(hosts.end(), h->begin(), h->end());
      }
      f.groups.push_back(hosts);
    }
    std::set<std::string> seen;
    for (const auto& g : f.groups)
      for (const auto& h : g)
        if (!seen.insert(h).second)
          return {"", 0, 0, 0, "error", fmt::format("{} is in two groups of the partition (targets resolve to hosts when the step runs)", h)};
  } else {
    auto hosts = Resolve(c, step.fault.target);
    if (!hosts.ok()) return {"", 0, 0, 0, "error", hosts.status().message()};
    f.hosts = *hosts;
    if (step.fault.kind == FaultKind::kOneWay) {
      auto to = Resolve(c, step.fault.to);
      if (!to.ok()) return {"", 0, 0, 0, "error", to.status().message()};
      f.to_host = (*to)[0];
    }
  }
  std::string where;
  for (const auto& h : f.hosts) where += (where.empty() ? "" : ",") + h;
  const std::string why_not = c.faults.Check(f);
  if (!why_not.empty()) {
    c.Journal("skip", f.spec.id, FaultKindName(f.spec.kind), where, why_not);
    c.result.facts.skipped_faults.push_back(FaultKindName(f.spec.kind) + ": " + why_not);
    r.outcome = "skipped";
    r.detail = why_not;
    return r;
  }
  c.leader_before_fault = c.observer.SampleNow().leader;
  c.Journal("inject", f.spec.id, FaultKindName(f.spec.kind), where, step.Describe());  // before it is applied
  auto done = c.faults.Inject(f);
  r.outcome = done.ok() ? "ok" : "error";
  r.detail = done.ok() ? *done : done.status().message();
  return r;
}

StepRecord OperationStep(RunContext& c, const Step& step) {
  StepRecord r;
  ObserverSample s = c.observer.SampleNow();
  std::string leader = s.leader;
  std::string member;
  if (!(step.kind == StepKind::kSwitchover && step.target.kind == TargetKind::kAll)) {
    auto hosts = Resolve(c, step.target);
    if (!hosts.ok()) return {"", 0, 0, 0, "error", hosts.status().message()};
    member = (*hosts)[0];
  }
  std::string path, body;
  const NodePlan* api = c.plan.Find(leader.empty() ? c.plan.PatroniNodes()[0]->host : leader);
  switch (step.kind) {
    case StepKind::kSwitchover:
      path = "/switchover";
      body = member.empty() ? fmt::format(R"({{"leader":"{}"}})", leader) : fmt::format(R"({{"leader":"{}","candidate":"{}"}})", leader, member);
      break;
    case StepKind::kFailover:
      path = "/failover";
      body = fmt::format(R"({{"candidate":"{}"}})", member);
      break;
    case StepKind::kRestart:
      path = "/restart";
      body = "{}";
      api = c.plan.Find(member);
      break;
    default:
      path = "/reinitialize";
      body = R"({"force":true})";
      api = c.plan.Find(member);
      break;
  }
  c.leader_before_fault = leader;
  c.Journal("inject", fmt::format("op{}", step.line), path.substr(1), member.empty() ? leader : member, body);
  auto resp = c.d.http.Request("POST", api->address, kPatroniPort, path, body, std::chrono::seconds(10));
  if (!resp.ok()) return {"", 0, 0, 0, "error", resp.status().message()};
  r.outcome = resp->status < 300 ? "ok" : "error";
  r.detail = fmt::format("Patroni answered {}: {}", resp->status, resp->body.substr(0, 200));
  return r;
}

StepRecord RunStep(RunContext& c, const Step& step) {
  switch (step.kind) {
    case StepKind::kWait: return WaitStep(c, step);
    case StepKind::kHold: {
      const TimePoint end = c.d.clock.Now() + step.duration;
      TimePoint next_report = c.d.clock.Now() + std::chrono::seconds(30);
      while (!c.Stopping() && c.d.clock.Now() < end) {
        c.d.clock.SleepFor(std::chrono::milliseconds(100));
        if (c.d.clock.Now() >= next_report && c.d.clock.Now() < end) {  // a long hold still shows it is alive
          c.Progress(fmt::format("  holding, {:.0f}s left", std::chrono::duration<double>(end - c.d.clock.Now()).count()));
          next_report += std::chrono::seconds(30);
        }
      }
      return {"", 0, 0, 0, c.Stopping() ? "error" : "ok", ""};
    }
    case StepKind::kFault: return FaultStep(c, step);
    case StepKind::kHeal: {
      c.Journal("heal", step.heal, "heal", "", "");
      Status s = step.heal == "all" ? c.faults.HealAll() : c.faults.Heal(step.heal);
      return {"", 0, 0, 0, s.ok() ? "ok" : "error", s.message()};
    }
    default: return OperationStep(c, step);
  }
}

Status CreateSchema(SqlClient& sql, const PgTarget& primary, Clock& clock) {
  Deadline deadline(clock, std::chrono::seconds(20));
  SqlOutcome out;
  while (!deadline.Expired() && !CancelRequested()) {
    out = sql.QueryOnce(primary, kLedgerSchema, std::chrono::seconds(5));
    if (out.status.ok()) return Status::Ok();
    clock.SleepFor(std::chrono::milliseconds(200));
  }
  return out.status.ok() ? Timeout("creating the ledger tables timed out") : out.status.WithContext("creating the ledger tables");
}

void FinalRead(RunContext& c, const PgTarget& primary, History* h) {
  Deadline deadline(c.d.clock, std::chrono::seconds(30));
  while (!deadline.Expired()) {
    auto out = c.d.sql.QueryOnce(primary, "SELECT key FROM pgha_ledger", std::chrono::seconds(10));
    if (out.status.ok()) {
      for (const auto& row : out.rows.rows)
        if (row[0]) h->final_keys.insert(std::stoll(*row[0]));
      h->final_read_ok = true;
      h->final_primary = c.observer.SampleNow().leader;
      return;
    }
    h->final_read_error = out.status.message();
    c.d.clock.SleepFor(std::chrono::milliseconds(500));
  }
}

void CollectLogs(const ClusterPlan& plan, const std::string& out) {
  std::error_code ec;
  for (const auto& n : plan.nodes)
    for (const char* daemon : {"etcd", "patroni", "haproxy"}) {
      const std::string src = n.dir + "/" + daemon + ".log";
      if (!fs::exists(src, ec)) continue;
      fs::create_directories(out + "/logs/" + n.host, ec);
      fs::copy_file(src, out + "/logs/" + n.host + "/" + daemon + ".log", fs::copy_options::overwrite_existing, ec);
    }
}

}  // namespace

ScenarioResult Runner::Run(const Scenario& scenario, const RunOptions& opt) {
  ScenarioResult result;
  result.scenario = scenario;
  result.seed = opt.seed;
  result.output_dir = opt.output_dir;
  result.started_at = fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::chrono::system_clock::to_time_t(d_.clock.WallNow())));
  const TimePoint wall_start = d_.clock.Now();
  result.versions = Versions(d_.runner);
  Recorder rec(d_.clock);

  Topology topology = scenario.topology;
  if (!opt.subnet.empty()) topology.subnet = opt.subnet;
  NetnsProvider provider(d_);
  UpOptions up;
  up.workdir = opt.workdir;
  up.fixtures_dir = opt.fixtures_dir;
  up.skip_preflight = opt.skip_preflight;
  up.patroni_user = opt.patroni_user;
  if (opt.progress) up.progress = [&](const std::string& l) { opt.progress("  " + l); };
  auto cluster = provider.Up(topology, up);
  auto finish = [&](ScenarioResult& r) {
    r.history = rec.Snapshot();
    r.history.end_ns = rec.NowNs();
    r.measurements = Analyze(r.history);
    r.verdicts = Judge(scenario.expectations, r.measurements, r.facts);
    r.wall_s = ToSeconds(d_.clock.Now() - wall_start);
    return r;
  };
  if (!cluster.ok()) {
    result.interrupted = cluster.status().code() == StatusCode::kCancelled;
    result.facts.infrastructure_error = "the cluster did not come up: " + cluster.status().message();
    return finish(result);
  }
  result.run_id = cluster->plan.run_id;
  result.bring_up_s = ToSeconds(cluster->time_to_healthy);
  const ClusterPlan& plan = cluster->plan;
  auto manifest = Manifest::Open(ManifestPath(opt.workdir, plan.run_id));
  const NodePlan* lb = plan.Haproxy();
  if (!manifest.ok() || lb == nullptr) {
    result.facts.infrastructure_error = manifest.ok() ? "the topology has no haproxy host; the workload needs one" : manifest.status().message();
    provider.Down(opt.workdir, plan.run_id);
    return finish(result);
  }
  FaultEnv env{plan, **manifest, d_.runner, d_.table, d_.http, d_.clock,
               [&](const NodePlan& n, const std::string& daemon) { return provider.RestartDaemon(**manifest, n, daemon, opt.patroni_user); }};
  FaultInjector faults(env);
  Observer observer(plan, d_.http, d_.clock, rec, scenario.workload.observe_interval);
  WorkloadEndpoints ep{TargetFor(lb->address, kPrimaryPort, cluster->secrets), TargetFor(lb->address, kReplicaPort, cluster->secrets), {}};
  ep.primary_port.application_name = ep.replica_port.application_name = "pgha-chaos-workload";
  for (const auto* n : plan.PatroniNodes()) ep.nodes.emplace_back(n->host, TargetFor(n->address, kPostgresPort, cluster->secrets));
  Workload workload(d_.sql, d_.clock, rec, scenario.workload, ep, opt.seed);
  RunContext c{scenario, opt, d_, plan, cluster->secrets, rec, observer, faults, std::mt19937_64(opt.seed),
               wall_start + scenario.run_timeout, "", result};

  if (Status s = CreateSchema(d_.sql, ep.primary_port, d_.clock); !s.ok()) {
    result.facts.infrastructure_error = s.message();
  } else {
    observer.Start();
    workload.Start();
    for (size_t i = 0; i < scenario.steps.size() && !c.Stopping(); ++i) {
      const Step& step = scenario.steps[i];
      c.Progress(fmt::format("step {}/{}: {}", i + 1, scenario.steps.size(), step.Describe()));
      const double start = c.Now();
      StepRecord r = RunStep(c, step);
      r.description = step.Describe();
      r.line = step.line;
      r.start_s = start;
      r.end_s = c.Now();
      if (r.outcome != "ok") c.Progress(fmt::format("  {}: {}", r.outcome, r.detail));
      else if (!r.detail.empty()) c.Progress("  " + r.detail);
      result.steps.push_back(r);
    }
    if (!CancelRequested() && d_.clock.Now() >= c.deadline)
      result.facts.infrastructure_error = fmt::format("the run's deadline (run_timeout {}) passed before the steps were done",
                                                      FormatDuration(scenario.run_timeout));
    if (!faults.ActiveIds().empty()) {
      c.Progress("healing what the steps left: " + std::to_string(faults.ActiveIds().size()) + " faults");
      c.Journal("heal", "all", "heal", "", "end of run");
      faults.HealAll();
    }
    // Convergence, then read every key back.
    if (!CancelRequested()) {
      Step converge;
      converge.kind = StepKind::kWait;
      converge.condition = WaitCondition::kHealthy;
      converge.timeout = opt.convergence_timeout;
      c.deadline = d_.clock.Now() + opt.convergence_timeout + std::chrono::seconds(5);
      StepRecord r = WaitStep(c, converge);
      if (r.outcome != "ok") {
        c.Progress("the cluster did not converge: " + r.detail);
      } else {
        c.Journal("converged", "", "health", "", r.detail);
        // Recovery is read from the observer's samples: give it a few after
        // convergence, clients still running, so a recovered state is seen.
        const TimePoint tail = d_.clock.Now() + std::chrono::seconds(3);
        while (!CancelRequested() && d_.clock.Now() < tail) d_.clock.SleepFor(std::chrono::milliseconds(100));
      }
    }
    workload.Stop();
    observer.Stop();
    if (!CancelRequested()) {
      History h;
      FinalRead(c, ep.primary_port, &h);
      if (!h.final_read_ok) c.Progress("the final read-back failed: " + h.final_read_error);
      rec.AddJournal({rec.NowNs(), "final", "", "read", h.final_primary, std::to_string(h.final_keys.size()) + " keys"});
      result.history.final_read_ok = h.final_read_ok;
      result.history.final_read_error = h.final_read_error;
      result.history.final_primary = h.final_primary;
      result.history.final_keys = h.final_keys;
    }
  }
  faults.HealAll();
  CollectLogs(plan, opt.output_dir);
  if (CancelRequested()) {
    result.interrupted = true;
    result.facts.infrastructure_error = "interrupted";
  }
  auto down = provider.Down(opt.workdir, plan.run_id);
  if (!down.ok() || !down->ok())
    result.facts.infrastructure_error += (result.facts.infrastructure_error.empty() ? "" : "; ") + std::string("teardown incomplete (run `pgha-chaos cleanup`)");
  History final_part = result.history;
  result.history = rec.Snapshot();
  for (const auto* n : plan.PatroniNodes()) result.history.members.push_back(n->host);
  result.history.end_ns = rec.NowNs();
  result.history.final_read_ok = final_part.final_read_ok;
  result.history.final_read_error = final_part.final_read_error;
  result.history.final_primary = final_part.final_primary;
  result.history.final_keys = final_part.final_keys;
  result.measurements = Analyze(result.history);
  result.verdicts = Judge(scenario.expectations, result.measurements, result.facts);
  result.wall_s = ToSeconds(d_.clock.Now() - wall_start);
  return result;
}

}  // namespace pgha
