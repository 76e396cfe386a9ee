#include "scenario/scenario.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <set>

#include "core/files.h"
#include "core/units.h"
#include "elle/list_append_check.h"
#include "faults/registry.h"
#include "scenario/scenario_meaning.h"
#include "scenario/scenario_targets.h"
#include "scenario/step_reader.h"
#include "scenario/topology_loader.h"

namespace pgha {
namespace fs = std::filesystem;

namespace {}  // namespace

std::string TopologyPath(const std::string& ref, const std::string& relative_to, const std::string& fixtures_dir) {
  if (ref.find('/') == std::string::npos && ref.find(".yaml") == std::string::npos)
    return fixtures_dir + "/topologies/" + ref + ".yaml";
  if (!ref.empty() && ref[0] == '/') return ref;
  return (fs::path(relative_to).parent_path() / ref).string();
}

namespace {

// "1-4" or "3": a transaction's length range.
bool ParseRange(const std::string& text, int* lo, int* hi) {
  const size_t dash = text.find('-');
  auto a = ParseInt(text.substr(0, dash));
  auto b = dash == std::string::npos ? a : ParseInt(text.substr(dash + 1));
  if (!a || !b || *a < 1 || *b < *a || *b > 16) return false;
  *lo = *a;
  *hi = *b;
  return true;
}

// workload.model: list-append and its keys (model/steps.h ListAppendSpec).
void ReadListAppendSettings(YamlMap& w, ListAppendSpec* out) {
  std::string model = "ledger";
  w.String("model", &model);
  if (auto m = w.Node("model"); m && model != "ledger" && model != "list-append")
    w.ErrorAt(*m, fmt::format("workload.model is ledger (single-row inserts, the default) or list-append "
                              "(transactions for the Elle-class checker), not \"{}\"",
                              Shorten(model)));
  out->enabled = model == "list-append";
  static const char* kKeys[] = {"keys",         "txn_len",  "isolation",         "txn_clients", "replica_clients",
                                "node_clients", "txn_rate", "max_writes_per_key"};
  for (const char* key : kKeys)
    if (auto n = w.Node(key); n && !out->enabled)
      w.ErrorAt(*n, fmt::format("workload.{} applies to list-append transactions: add model: list-append", key));
  w.Int("keys", 1, 1000, &out->keys);
  w.Int("txn_clients", 0, 32, &out->clients);
  w.Int("replica_clients", 0, 16, &out->replica_clients);
  w.Int("node_clients", 0, 16, &out->node_clients);
  w.Int("max_writes_per_key", 2, 1000, &out->max_writes_per_key);
  if (auto n = w.Node("txn_len");
      n && !(n->IsScalar() && ParseRange(n->Scalar(), &out->min_txn_len, &out->max_txn_len)))
    w.ErrorAt(*n,
              "workload.txn_len is the micro-operations per transaction, a count or a range from 1 to 16, e.g. 1-4");
  w.String("isolation", &out->isolation);
  if (auto n = w.Node("isolation"); n && out->isolation != "serializable" && out->isolation != "repeatable read" &&
                                    out->isolation != "read committed")
    w.ErrorAt(*n, "workload.isolation is serializable, repeatable read or read committed (PostgreSQL's levels)");
  if (auto r = w.Node("txn_rate")) {
    std::string t = r->IsScalar() ? r->Scalar() : "";
    if (t.size() > 2 && t.substr(t.size() - 2) == "/s") t = t.substr(0, t.size() - 2);
    const double v = ParseNumber(t).value_or(-1);
    if (v <= 0 || v > 2000)
      w.ErrorAt(*r,
                "workload.txn_rate is transactions per second for all list-append clients, above 0 and at most "
                "2000, e.g. 40/s");
    else
      out->rate = v;
  }
}

}  // namespace

void ReadWorkloadSettings(YamlMap& w, WorkloadSpec* out) {
  if (!w.valid()) return;
  w.Int("writers", 0, 64, &out->writers);
  w.Int("readers", 0, 16, &out->readers);
  if (auto r = w.Node("rate")) {
    std::string t = r->IsScalar() ? r->Scalar() : "";
    if (t.size() > 2 && t.substr(t.size() - 2) == "/s") t = t.substr(0, t.size() - 2);
    const double v = t == "max" ? 0 : ParseNumber(t).value_or(-1);
    if (t == "max")
      out->unpaced = true;
    else if (v <= 0 || v > 5000)
      w.ErrorAt(*r, fmt::format("workload.rate is writes per second for all writers together, above 0 and at most "
                                "5000, e.g. 50/s, or max (each writer as fast as the cluster answers); got \"{}\"",
                                r->IsScalar() ? r->Scalar() : "?"));
    else
      out->rate = v;
  }
  w.Dur("op_timeout", &out->op_timeout);
  ReadListAppendSettings(w, &out->list_append);
  w.Dur("probe_interval", &out->probe_interval);
  w.Dur("observe_interval", &out->observe_interval);
  if (auto p = w.Node("probe_interval"); p && (out->probe_interval < std::chrono::milliseconds(20) ||
                                               out->probe_interval > std::chrono::milliseconds(100)))
    w.ErrorAt(*p, "workload.probe_interval must be between 20ms and 100ms");
  if (auto p = w.Node("observe_interval"); p && (out->observe_interval < std::chrono::milliseconds(50) ||
                                                 out->observe_interval > std::chrono::milliseconds(250)))
    w.ErrorAt(*p, "workload.observe_interval must be between 50ms and 250ms");
  w.Finish();
}

SettingGroup DescribeWorkload(const WorkloadSpec& w) {
  SettingGroup g = {{"writers", w.writers},
                    {"rate_per_s", w.unpaced ? nlohmann::json("max") : nlohmann::json(w.rate)},
                    {"readers", w.readers},
                    {"op_timeout", FormatDuration(w.op_timeout)},
                    {"probe_interval", FormatDuration(w.probe_interval)},
                    {"observe_interval", FormatDuration(w.observe_interval)}};
  if (const ListAppendSpec& l = w.list_append; l.enabled) {
    g["model"] = "list-append";
    g["keys"] = l.keys;
    g["txn_len"] = fmt::format("{}-{}", l.min_txn_len, l.max_txn_len);
    g["isolation"] = l.isolation;
    g["txn_clients"] = l.clients;
    g["replica_clients"] = l.replica_clients;
    g["node_clients"] = l.node_clients;
    g["txn_rate_per_s"] = l.rate;
    g["max_writes_per_key"] = l.max_writes_per_key;
  }
  return g;
}

namespace {

// patroni, haproxy, pgbouncer, data_volume, data_fs and workload: the scenario's overrides.
void ReadSettingBlocks(YamlMap& top, Diagnostics& diags, const std::string& name, Scenario& s) {
  if (auto n = top.Node("patroni")) {
    YamlMap m(*n, name, "patroni", &diags);
    ReadPatroniSettings(m, &s.topology.patroni);
  }
  top.Size("data_volume", &s.topology.data_volume);
  top.String("data_fs", &s.topology.data_fs);
  if (auto n = top.Node("data_fs"); n && s.topology.data_fs != "pgha")
    top.ErrorAt(*n, "data_fs must be pgha (the durable file system, whose unsynced data a power cut drops)");
  if (auto n = top.Node("haproxy")) {
    YamlMap m(*n, name, "haproxy", &diags);
    ReadHaproxySettings(m, &s.topology.haproxy);
  }
  if (auto n = top.Node("pgbouncer")) {
    YamlMap m(*n, name, "pgbouncer", &diags);
    ReadPgbouncerSettings(m, &s.topology.pgbouncer);
  }
  if (auto n = top.Node("workload")) {
    YamlMap w(*n, name, "workload", &diags);
    ReadWorkloadSettings(w, &s.workload);
  }
}

// On its own topology a step that names what the topology lacks is an
// error; on another (`retargeted`) it makes the scenario incompatible.
void ReadSteps(YamlMap& top, Diagnostics& diags, const std::string& name, Scenario& s, bool retargeted) {
  top.Require("steps");
  auto steps = top.Node("steps");
  if (!steps) return;
  if (!steps->IsSequence() || steps->size() == 0) return top.ErrorAt(*steps, "steps must be a non-empty list");
  constexpr size_t kMaxSteps = 1000;
  if (steps->size() > kMaxSteps)
    return top.ErrorAt(*steps, fmt::format("{} steps: a scenario has at most {}; split it into several scenarios of "
                                           "a suite",
                                           steps->size(), kMaxSteps));
  StepReader reader(s.topology, name, &diags, retargeted ? &s.incompatible : nullptr);
  std::set<std::string> ids;
  int i = 0;
  for (const auto& st : *steps) s.steps.push_back(reader.Read(st, i++, &ids));
}

// A fault that needs the data volumes on a block device, or under the
// durable file system, gets them (512 MiB unless data_volume says).
void GiveVolumes(Scenario& s) {
  for (const auto& step : s.steps) {
    const FaultType* t = step.kind == StepKind::kFault ? FindFaultType(step.fault.kind) : nullptr;
    if (t && t->NeedsBlockVolume(step.fault)) s.topology.data_device = "loop";
    if (t && t->NeedsDurableFs(step.fault)) s.topology.data_fs = "pgha";
  }
  const bool volume = s.topology.data_device == "loop" || !s.topology.data_fs.empty();
  if (volume && s.topology.data_volume == 0) s.topology.data_volume = 512ull << 20;
}

// expect.anomalies: {G-single-item-realtime: 0, G1c: 0}: anomalies.<type> each.
void ReadAnomalyTargets(const YAML::Node& map, Diagnostics& diags, const std::string& name, Scenario& s) {
  for (const auto& kv : map) {
    const std::string type = kv.first.IsScalar() ? kv.first.Scalar() : "";
    auto e = ParseExpectation("anomalies." + type, kv.second.IsScalar() ? kv.second.Scalar() : "");
    if (!e.ok()) {
      const auto& types = elle::AnomalyTypes();
      const bool known = std::find(types.begin(), types.end(), type) != types.end();
      diags.Error(name, kv.first.Mark(),
                  known ? "expect.anomalies." + type + ": " + e.status().message()
                        : fmt::format("expect.anomalies: \"{}\" is no anomaly type; the types are {}", Shorten(type),
                                      Join(elle::AnomalyTypes(), ", ")));
      continue;
    }
    e->line = kv.first.Mark().line + 1;
    s.expectations.push_back(*e);
  }
}

void ReadExpectations(YamlMap& top, Diagnostics& diags, const std::string& name, Scenario& s) {
  auto ex = top.Node("expect");
  if (!ex) return;
  if (!ex->IsMap()) return top.ErrorAt(*ex, "expect maps metrics to targets, e.g. failover_time: \"< 10s\"");
  for (const auto& kv : *ex) {
    const std::string metric = kv.first.IsScalar() ? kv.first.Scalar() : "";
    if (metric == "anomalies" && kv.second.IsMap()) {  // a target per anomaly type
      ReadAnomalyTargets(kv.second, diags, name, s);
      continue;
    }
    auto e = ParseExpectation(metric, kv.second.IsScalar() ? kv.second.Scalar() : "");
    if (!e.ok()) {
      diags.Error(name, kv.first.Mark(), "expect." + metric + ": " + e.status().message());
      continue;
    }
    e->line = kv.first.Mark().line + 1;
    s.expectations.push_back(*e);
  }
}

// A cluster the harness did not configure runs as it is: what the
// scenario would set is said, not applied.
void KeepClusterSettings(const Topology& cluster, const std::string& name, Scenario* s,
                         std::vector<std::string>* warnings) {
  const SettingsUnderTest wanted = DescribeTopologySettings(s->topology);
  const SettingsUnderTest actual = DescribeTopologySettings(cluster);
  for (const auto& [group, settings] : wanted)
    for (const auto& [key, value] : settings) {
      auto g = actual.find(group);
      if (g == actual.end() || !g->second.count(key) || g->second.at(key) == value) continue;
      warnings->push_back(fmt::format("{}: sets {}.{} to {}, not applied: the cluster runs with {}", name, group, key,
                                      value.dump(), g->second.at(key).dump()));
    }
  const uint64_t data_volume = s->topology.data_volume;
  if (data_volume != cluster.data_volume)
    warnings->push_back(name + ": data_volume makes no volume here: disk_full fills the filesystem that holds PGDATA");
  s->topology = cluster;
  s->topology.data_volume = data_volume;
}

}  // namespace

Result<LoadedScenario> ParseScenario(const std::string& text, const std::string& name, const std::string& fixtures_dir,
                                     const ScenarioLoadOptions& o) {
  Diagnostics diags;
  auto root = LoadYamlString(text, name, &diags);
  if (!root) return diags.ToStatus();
  LoadedScenario out;
  Scenario& s = out.scenario;
  s.file = name;
  YamlMap top(*root, name, "the scenario", &diags);
  if (!top.valid()) return diags.ToStatus();
  top.Require("name");
  top.Name("name", &s.name);
  top.String("description", &s.description);
  top.Dur("run_timeout", &s.run_timeout);
  top.Int("trials", 1, 1000, &s.trials);
  std::string topology_ref = "compact";
  top.String("topology", &topology_ref);
  const bool retargeted = !o.topology.empty() || o.cluster;
  const std::string topology_path =
      retargeted ? TopologyPath(o.topology, "./x", fixtures_dir) : TopologyPath(topology_ref, name, fixtures_dir);
  if (retargeted) topology_ref = o.topology;
  auto topology = o.cluster ? Result<LoadedTopology>(LoadedTopology{*o.cluster, {}}) : LoadTopology(topology_path);
  if (!topology.ok()) {
    // Only this error: the keys not read yet are not unknown, only unread.
    diags.Error(name, top.Node("topology") ? top.Node("topology")->Mark() : YAML::Mark::null_mark(),
                fmt::format("topology \"{}\" ({}): {}", topology_ref, topology_path, topology.status().message()));
    return diags.ToStatus();
  }
  s.topology = topology->topology;
  s.retargeted = retargeted;
  ReadSettingBlocks(top, diags, name, s);
  if (o.cluster) KeepClusterSettings(*o.cluster, name, &s, &out.warnings);
  ReadSteps(top, diags, name, s, retargeted);
  GiveVolumes(s);
  CheckTargetsFitTopology(s, diags);
  ReadExpectations(top, diags, name, s);
  ReadKnownBug(top, &s);
  CheckScenarioMeaning(s, top, diags, &out.warnings);
  top.Finish();
  if (!diags.empty()) return diags.ToStatus();
  std::vector<std::string> warnings;
  if (Status v = ValidateTopology(s.topology, &warnings); !v.ok()) return v;
  for (auto& w : PatroniTimingWarnings(s.topology.patroni)) out.warnings.push_back(name + ": " + w);
  return out;
}

Result<LoadedScenario> LoadScenario(const std::string& path, const std::string& fixtures_dir,
                                    const ScenarioLoadOptions& o) {
  auto text = ReadInputFile(path);
  if (!text.ok()) return text.status();
  return ParseScenario(*text, path, fixtures_dir, o);
}

}  // namespace pgha
