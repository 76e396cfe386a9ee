#include "app/commands.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fmt/chrono.h>
#include <iostream>
#include <random>

#include "cluster/cidr.h"
#include "cluster/netns_provider.h"
#include "cluster/preflight.h"
#include "cluster/workdir.h"
#include "core/cancel.h"
#include "report/html.h"
#include "report/junit.h"
#include "run/runner.h"
#include "core/files.h"
#include "scenario/scenario.h"
#include "scenario/suite.h"
#include "scenario/units.h"

namespace pgha {
namespace fs = std::filesystem;

namespace {

struct RealSystem {
  BoostProcessRunner runner;
  LinuxProcessTable table;
  SystemClock clock;
  HttplibClient http;
  LibpqClient sql;
  ProviderDeps deps() { return {runner, table, clock, http, sql}; }
};

void Error(const std::string& message) { fmt::print(stderr, "pgha-chaos: error: {}\n", message); }

void ProgressLine(const std::string& line) {
  fmt::print(stderr, "  {}\n", line);
  std::fflush(stderr);
}

std::string PrintConnections(const RunningCluster& c) {
  const auto& p = c.plan;
  std::string out;
  const std::string user = "user=postgres dbname=postgres";
  if (const NodePlan* lb = p.Haproxy()) {
    out += fmt::format("  read-write (primary):  host={} port={} {}\n", lb->address, kPrimaryPort, user);
    out += fmt::format("  read-only (replicas):  host={} port={} {}\n", lb->address, kReplicaPort, user);
    out += fmt::format("  HAProxy stats:         http://{}:{}/\n", lb->address, kStatsPort);
  }
  for (const auto* n : p.PatroniNodes())
    out += fmt::format("  {:<21}  host={} port={} {}   (Patroni API http://{}:{}/)\n",
                       n->host + (n->host == c.health.leader ? " (leader)" : ""), n->address, kPostgresPort, user,
                       n->address, kPatroniPort);
  out += fmt::format("  password file:         export PGPASSFILE={}/pgpass\n", p.run_dir);
  out += fmt::format("  logs:                  {}/<host>/*.log\n", p.run_dir);
  return out;
}

Status RequireRoot(const std::string& command) { return CheckRoot(geteuid(), command); }

}  // namespace

int ExitCodeFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk: return 0;
    case StatusCode::kInvalidInput:
    case StatusCode::kEnvironment: return 2;
    case StatusCode::kCancelled: return 130;
    default: return 3;
  }
}

int RunUp(const GlobalOptions& g, const UpCommandOptions& o) {
  const std::string file = o.topology_file.empty() ? g.fixtures_dir + "/topologies/compact.yaml" : o.topology_file;
  auto loaded = LoadTopology(file);
  if (!loaded.ok()) {
    Error(loaded.status().message());
    return 2;
  }
  Topology topology = loaded->topology;
  if (!o.subnet.empty()) {
    auto s = ParseSubnet(o.subnet);
    if (!s.ok()) {
      Error("--subnet: " + s.status().message());
      return 2;
    }
    topology.subnet = o.subnet;
  }
  if (!o.timeout.empty()) {
    auto d = ParseDuration(o.timeout);
    if (!d.ok()) {
      Error("--timeout: " + d.status().message());
      return 2;
    }
    topology.up_timeout = *d;
  }
  std::vector<std::string> warnings;
  if (Status v = ValidateTopology(topology, &warnings); !v.ok()) {
    Error(v.message());
    return 2;
  }
  for (const auto& w : loaded->warnings) fmt::print(stderr, "pgha-chaos: warning: {}\n", w);
  if (Status root = RequireRoot("up"); !root.ok()) {
    Error(root.message());
    return 2;
  }
  RealSystem sys;
  NetnsProvider provider(sys.deps());
  UpOptions up;
  up.workdir = g.workdir;
  up.fixtures_dir = g.fixtures_dir;
  up.progress = ProgressLine;
  fmt::print(stderr, "pgha-chaos: standing up topology {} ({}) on {}\n", topology.name, file, topology.subnet);
  auto cluster = provider.Up(topology, up);
  if (!cluster.ok()) {
    Error(cluster.status().message());
    return ExitCodeFor(cluster.status());
  }
  fmt::print("cluster up and healthy in {:.1f}s (run {}, topology {})\n{}stop it with: pgha-chaos down\n",
             ToSeconds(cluster->time_to_healthy), cluster->plan.run_id, topology.name, PrintConnections(*cluster));
  return 0;
}

int RunStatus(const GlobalOptions& g, bool as_json) {
  if (Status root = RequireRoot("status"); !root.ok()) {  // the run's secrets are root's alone
    Error(root.message());
    return 2;
  }
  auto run = ReadCurrentRun(g.workdir);
  if (!run) {
    Error("no cluster is up (start one with `pgha-chaos up`)");
    return 1;
  }
  auto plan = LoadPlan(RunDir(g.workdir, *run));
  auto secrets = LoadSecrets(RunDir(g.workdir, *run));
  if (!plan.ok() || !secrets.ok()) {
    Error(fmt::format("run {} has no readable cluster.json/secrets.json ({}); `pgha-chaos cleanup` removes what is left",
                      *run, plan.ok() ? secrets.status().message() : plan.status().message()));
    return 3;
  }
  RealSystem sys;
  ClusterObservation obs = Observe(*plan, *secrets, sys.http, sys.sql, ProbeOptions{});
  HealthVerdict health = EvaluateHealth(*plan, obs);
  if (as_json) {
    nlohmann::json j = ObservationToJson(obs);
    j["run_id"] = plan->run_id;
    j["topology"] = plan->topology.name;
    j["healthy"] = health.healthy;
    j["leader"] = health.leader;
    j["waiting_for"] = health.waiting_for;
    j["summary"] = health.summary;
    nlohmann::json nodes = nlohmann::json::array();
    for (const auto& n : plan->nodes)
      nodes.push_back({{"host", n.host}, {"address", n.address}, {"netns", n.netns}, {"etcd", n.etcd},
                       {"patroni", n.patroni}, {"haproxy", n.haproxy}});
    j["nodes"] = nodes;
    fmt::print("{}\n", j.dump(2));
    return health.healthy ? 0 : 1;
  }
  fmt::print("run {} (topology {}, subnet {}): {}\n", plan->run_id, plan->topology.name, plan->subnet,
             health.healthy ? "healthy" : "NOT healthy");
  fmt::print("{:<8} {:<12} {:<13} {:<10} {:>3} {:>10} {:<10} {}\n", "MEMBER", "ADDRESS", "ROLE", "STATE", "TL", "LAG",
             "STREAMING", "HAPROXY");
  for (const auto* n : plan->PatroniNodes()) {
    const PatroniMember* m = nullptr;
    if (obs.members)
      for (const auto& x : *obs.members)
        if (x.name == n->host) m = &x;
    std::string streaming = "-";
    if (m && !m->IsLeader() && obs.replication) {
      streaming = "no";
      for (const auto& r : *obs.replication)
        if (r.application_name == n->host) streaming = r.state + (r.sync_state == "async" ? "" : "/" + r.sync_state);
    }
    std::string backends;
    if (obs.haproxy)
      for (const auto& s : *obs.haproxy)
        if (s.server == n->host) backends += (backends.empty() ? "" : " ") + s.backend + ":" + s.status;
    fmt::print("{:<8} {:<12} {:<13} {:<10} {:>3} {:>10} {:<10} {}\n", n->host, n->address, m ? m->role : "?",
               m ? m->state : "unreachable", m && m->timeline >= 0 ? std::to_string(m->timeline) : "-",
               m && m->lag_bytes >= 0 ? std::to_string(m->lag_bytes) : "-", streaming, backends);
  }
  std::string etcd;
  for (const auto& [host, ok] : obs.etcd_health) etcd += fmt::format("{}{} {}", etcd.empty() ? "" : ", ", host, ok ? "healthy" : "UNHEALTHY");
  fmt::print("etcd: {}\n", etcd);
  if (const NodePlan* lb = plan->Haproxy()) {
    auto route = [](const std::optional<PortRoute>& r) {
      if (!r) return std::string("not checked");
      if (!r->reachable) return "unreachable (" + r->error + ")";
      return fmt::format("{} ({})", r->server_address, r->in_recovery ? "replica" : "primary");
    };
    fmt::print("haproxy {}: {} -> {}, {} -> {}\n", lb->address, kPrimaryPort, route(obs.primary_port), kReplicaPort,
               route(obs.replica_port));
  }
  if (!health.healthy) fmt::print("waiting for: {}\n", health.waiting_for);
  return health.healthy ? 0 : 1;
}

int RunDown(const GlobalOptions& g) {
  if (Status root = RequireRoot("down"); !root.ok()) {
    Error(root.message());
    return 2;
  }
  auto run = ReadCurrentRun(g.workdir);
  if (!run) {
    fmt::print("no cluster is up; nothing to do\n");
    return 0;
  }
  RealSystem sys;
  NetnsProvider provider(sys.deps());
  const TimePoint start = sys.clock.Now();
  auto report = provider.Down(g.workdir, *run);
  if (!report.ok()) {
    Error(report.status().message() + " (try `pgha-chaos cleanup`)");
    return 3;
  }
  if (!report->ok()) {
    for (const auto& e : report->errors) Error(e);
    Error("teardown incomplete; `pgha-chaos cleanup` retries from the manifest");
    return 3;
  }
  fmt::print("run {} down in {:.1f}s: removed {} resources ({} processes)\n", *run, ToSeconds(sys.clock.Now() - start),
             report->removed, report->processes_killed);
  return 0;
}

int RunCleanup(const GlobalOptions& g) {
  if (Status root = RequireRoot("cleanup"); !root.ok()) {
    Error(root.message());
    return 2;
  }
  RealSystem sys;
  NetnsProvider provider(sys.deps());
  auto runs = ListManifestRuns(g.workdir);
  if (runs.empty()) {
    fmt::print("nothing to clean up: no manifests in {}/manifests\n", g.workdir);
    if (auto cur = ReadCurrentRun(g.workdir)) ClearCurrentRun(g.workdir, *cur);
    return 0;
  }
  int failures = 0;
  for (const auto& id : runs) {
    auto report = provider.Down(g.workdir, id);
    if (!report.ok()) {
      Error(fmt::format("run {}: {}", id, report.status().message()));
      ++failures;
      continue;
    }
    for (const auto& e : report->errors) Error(fmt::format("run {}: {}", id, e));
    if (!report->ok()) ++failures;
    fmt::print("run {}: removed {} resources ({} processes){}\n", id, report->removed, report->processes_killed,
               report->ok() ? "" : ", some remain");
  }
  return failures == 0 ? 0 : 3;
}

namespace {

void PrintVerdicts(const ScenarioResult& r) {
  const char* overall = r.ExitCode() == 0 ? "PASS" : r.ExitCode() == 1 ? "FAIL" : r.interrupted ? "INTERRUPTED" : "ERROR";
  fmt::print("\nscenario {} ({}): {}  [seed {}, wall {:.1f}s]\n", r.scenario.name, r.scenario.file, overall, r.seed, r.wall_s);
  if (!r.facts.infrastructure_error.empty()) fmt::print("  error: {}\n", r.facts.infrastructure_error);
  for (const auto& s : r.facts.skipped_faults) fmt::print("  skipped fault: {}\n", s);
  fmt::print("  {:<34} {:<44} {}\n", "TARGET", "MEASURED", "VERDICT");
  for (const auto& v : r.verdicts)
    fmt::print("  {:<34} {:<44} {}\n", v.expectation.metric + " " + v.expectation.text,
               v.measured_text.empty() ? "-" : v.measured_text, VerdictName(v.status));
  const auto& m = r.measurements;
  fmt::print("  writes: {} ok, {} failed, {} indeterminate ({} of those found after the run); lost: {}\n", m.writes_ok,
             m.writes_failed, m.writes_info, m.info_recovered_keys.size(), m.lost_keys.size());
  if (m.fault_injected) {
    std::string phases;
    for (const auto& p : m.phases)
      phases += fmt::format("{}{} {}", phases.empty() ? "" : ", ", p.name, p.after_fault_s ? fmt::format("{:.2f}s", *p.after_fault_s) : "-");
    fmt::print("  failover phases after the fault{}: {}\n", m.outages.size() > 1 ? " (the worst outage)" : "", phases);
    if (m.outages.size() > 1) {
      std::string list;
      for (const auto& o : m.outages)
        list += fmt::format("{}{} at {:.1f}s: {:.2f}s{}", list.empty() ? "" : ", ", o.fault_id, o.fault_at_s, o.duration_s,
                            o.recovered ? "" : " (never recovered)");
      fmt::print("  outages: {}\n", list);
    }
  }
  if (m.split_brain_s > 0)
    fmt::print("  split brain: {:.2f}s in {} interval(s), {} writes acknowledged by a second primary\n", m.split_brain_s,
               m.split_brain_intervals.size(), m.split_brain_writes);
  fmt::print("  results: {}/result.json, history.jsonl, observer.jsonl, logs/\n", r.output_dir);
}

}  // namespace

int RunRun(const GlobalOptions& g, const RunCommandOptions& o) {
  std::vector<Scenario> scenarios;
  for (const auto& f : o.files) {
    if (LooksLikeSuite(f)) {
      Error(fmt::format("{} is a suite, not a scenario: run it with --suite {}", f, f));
      return 2;
    }
    auto s = LoadScenario(f, g.fixtures_dir);
    if (!s.ok()) {
      Error(s.status().message());
      return 2;
    }
    for (const auto& w : s->warnings) fmt::print(stderr, "pgha-chaos: warning: {}\n", w);
    scenarios.push_back(s->scenario);
  }
  for (const auto& f : o.suites) {
    auto suite = LoadSuite(f, g.fixtures_dir);
    if (!suite.ok()) {
      Error(suite.status().message());
      return 2;
    }
    for (const auto& w : suite->warnings) fmt::print(stderr, "pgha-chaos: warning: {}\n", w);
    std::string overridden;
    for (const auto& k : suite->overridden) overridden += (overridden.empty() ? "" : ", ") + k;
    fmt::print(stderr, "pgha-chaos: suite {} ({}): {} scenarios{}\n", suite->name, f, suite->scenarios.size(),
               overridden.empty() ? "" : "; overriding " + overridden + " in each");
    for (auto& s : suite->scenarios) scenarios.push_back(std::move(s));
  }
  if (scenarios.empty()) {
    Error("nothing to run: name scenario files or --suite FILE (see `pgha-chaos list`)");
    return 2;
  }
  if (!o.subnet.empty()) {
    if (auto sn = ParseSubnet(o.subnet); !sn.ok()) {
      Error("--subnet: " + sn.status().message());
      return 2;
    }
  }
  if (Status root = RequireRoot("run"); !root.ok()) {
    Error(root.message());
    return 2;
  }
  const uint64_t seed = o.seed ? *o.seed : (static_cast<uint64_t>(std::random_device{}()) << 16) % 1000000007;
  const std::string output = o.output.empty()
      ? fmt::format("pgha-results/{:%Y%m%d-%H%M%S}", fmt::gmtime(std::time(nullptr)))
      : o.output;
  RealSystem sys;
  Runner runner(sys.deps());
  int worst = 0;
  auto rank = [](int code) { return code == 130 ? 4 : code == 3 ? 3 : code == 1 ? 2 : 0; };
  std::vector<nlohmann::json> docs;
  std::vector<HtmlScenario> pages;
  std::vector<std::string> folders;
  for (size_t i = 0; i < scenarios.size(); ++i) {
    if (CancelRequested()) break;
    std::string folder = scenarios[i].name;
    for (int n = 2; std::find(folders.begin(), folders.end(), folder) != folders.end(); ++n) folder = fmt::format("{}-{}", scenarios[i].name, n);
    folders.push_back(folder);
    RunOptions ro;
    ro.workdir = g.workdir;
    ro.fixtures_dir = g.fixtures_dir;
    ro.output_dir = fs::absolute(output + "/" + folder).string();
    ro.seed = seed + i;
    ro.subnet = o.subnet;
    ro.progress = ProgressLine;
    fmt::print(stderr, "pgha-chaos: scenario {}/{} {} (seed {})\n", i + 1, scenarios.size(), scenarios[i].name, ro.seed);
    ScenarioResult r = runner.Run(scenarios[i], ro);
    if (Status s = WriteResultFiles(r); !s.ok()) {
      Error("cannot write the results: " + s.message());
      if (rank(3) > rank(worst)) worst = 3;
    }
    PrintVerdicts(r);
    std::fflush(stdout);  // verdicts before the next scenario's progress, even into a pipe
    docs.push_back(ResultToJson(r));
    pages.push_back({docs.back(), r.history, folder});
    if (rank(r.ExitCode()) > rank(worst)) worst = r.ExitCode();
  }
  if (!docs.empty()) {
    Status s = WriteFileAtomic(output + "/run.json", nlohmann::json{{"format", 1}, {"scenarios", folders}}.dump(2) + "\n");
    if (s.ok()) s = WriteFileAtomic(output + "/junit.xml", RenderJUnit(docs));
    if (s.ok()) s = WriteFileAtomic(output + "/report.html", RenderHtml(pages));
    if (!s.ok()) {
      Error("cannot write the combined reports: " + s.message());
      if (rank(3) > rank(worst)) worst = 3;
    } else {
      fmt::print("\nreports: {0}/junit.xml, {0}/report.html\n", fs::absolute(output).string());
    }
  }
  return worst;
}

int RunReport(const GlobalOptions&, const std::string& dir) {
  std::vector<std::string> folders;
  if (fs::exists(dir + "/result.json")) {
    folders.push_back(dir);
  } else if (auto run = ReadTextFile(dir + "/run.json"); run.ok()) {
    auto j = nlohmann::json::parse(*run, nullptr, false);
    if (!j.is_discarded())
      for (const auto& f : j.value("scenarios", std::vector<std::string>{})) folders.push_back(dir + "/" + f);
  } else {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
      if (fs::exists(e.path() / "result.json")) folders.push_back(e.path().string());
    std::sort(folders.begin(), folders.end());
  }
  if (folders.empty()) {
    Error(dir + " holds no results of `pgha-chaos run` (no result.json, no run.json)");
    return 2;
  }
  std::vector<nlohmann::json> docs;
  std::vector<HtmlScenario> pages;
  int worst = 0;
  for (const auto& f : folders) {
    auto result = LoadResultJson(f);
    if (!result.ok()) {
      Error(result.status().message());
      return 2;
    }
    auto history = LoadHistory(f, *result);
    if (!history.ok()) {
      Error(history.status().message());
      return 2;
    }
    nlohmann::json again = Recompute(*result, *history);
    for (const auto& v : again["verdicts"])
      fmt::print("{:<14} {:<34} {:<30} {}\n", again["scenario"].value("name", ""), v.value("metric", "") + " " + v.value("target", ""),
                 v.value("measured_text", ""), v.value("status", ""));
    worst = std::max(worst, again.value("exit_code", 0) == 1 ? 1 : again.value("exit_code", 0) == 0 ? 0 : 3);
    docs.push_back(again);
    pages.push_back({again, *history, f == dir ? "." : fs::path(f).filename().string()});
  }
  Status s = WriteFileAtomic(dir + "/junit.xml", RenderJUnit(docs));
  if (s.ok()) s = WriteFileAtomic(dir + "/report.html", RenderHtml(pages));
  if (!s.ok()) {
    Error(s.message());
    return 3;
  }
  fmt::print("reports: {0}/junit.xml, {0}/report.html (recomputed from the saved history)\n", dir);
  return worst;
}

int RunValidate(const GlobalOptions& g, const std::vector<std::string>& files) {
  int bad = 0;
  for (const auto& f : files) {
    if (LooksLikeSuite(f)) {
      auto suite = LoadSuite(f, g.fixtures_dir);
      if (!suite.ok()) {
        fmt::print(stderr, "{}\n", suite.status().message());
        ++bad;
        continue;
      }
      for (const auto& w : suite->warnings) fmt::print(stderr, "warning: {}\n", w);
      fmt::print("{}: ok (suite {}, {} scenarios)\n", f, suite->name, suite->scenarios.size());
      continue;
    }
    auto s = LoadScenario(f, g.fixtures_dir);
    if (!s.ok()) {
      fmt::print(stderr, "{}\n", s.status().message());
      ++bad;
      continue;
    }
    for (const auto& w : s->warnings) fmt::print(stderr, "warning: {}\n", w);
    fmt::print("{}: ok ({} steps, {} expectations, topology {})\n", f, s->scenario.steps.size(),
               s->scenario.expectations.size(), s->scenario.topology.name);
  }
  if (bad > 0) fmt::print(stderr, "pgha-chaos: {} of {} files are invalid\n", bad, files.size());
  return bad == 0 ? 0 : 2;
}

int RunList(const GlobalOptions& g, const std::string& dir) {
  auto entries = ListCatalog(dir, g.fixtures_dir);
  if (entries.empty()) {
    Error(fmt::format("no scenarios in {} (*.yaml) and no suites in {}/suites", dir, dir));
    return 2;
  }
  int bad = 0;
  bool suites_started = false;
  fmt::print("SCENARIOS ({})\n", dir);
  for (const auto& e : entries) {
    if (e.is_suite && !suites_started) {
      suites_started = true;
      fmt::print("\nSUITES ({}/suites)  run with: pgha-chaos run --suite FILE\n", dir);
    }
    const std::string file = fs::path(e.file).filename().string();
    if (!e.error.empty()) {
      ++bad;
      std::string first = e.error;
      std::replace(first.begin(), first.end(), '\n', ' ');
      fmt::print("  {:<28} INVALID: {}\n", file, first);
      continue;
    }
    const std::string what = e.is_suite ? fmt::format("[{} scenarios] {}", e.scenario_count, e.description) : e.description;
    fmt::print("  {:<28} {}\n", file, what);
  }
  return bad == 0 ? 0 : 2;
}

}  // namespace pgha
