#include "scenario/scenario.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <set>

#include "core/files.h"
#include "scenario/units.h"

namespace pgha {
namespace fs = std::filesystem;

namespace {

const std::map<std::string, FaultKind> kFaultKinds = {
    {"kill", FaultKind::kKill},           {"stop", FaultKind::kStop},           {"pause", FaultKind::kPause},
    {"isolate", FaultKind::kIsolate},     {"partition", FaultKind::kPartition}, {"one_way", FaultKind::kOneWay},
    {"cut_etcd", FaultKind::kCutEtcd},    {"packet_loss", FaultKind::kPacketLoss}, {"latency", FaultKind::kLatency},
    {"disk_loss", FaultKind::kDiskLoss},  {"disk_full", FaultKind::kDiskFull}};

const std::map<std::string, WaitCondition> kConditions = {
    {"healthy", WaitCondition::kHealthy}, {"new_primary", WaitCondition::kNewPrimary},
    {"replicas_streaming", WaitCondition::kReplicasStreaming}};

const std::set<std::string> kProcesses = {"patroni", "postgres", "etcd", "haproxy", "host"};

std::string Names(const auto& map) {
  std::string s;
  for (const auto& [k, v] : map) s += (s.empty() ? "" : ", ") + k;
  return s;
}

class StepReader {
 public:
  StepReader(const Topology& t, const std::string& file, Diagnostics* d) : topology_(t), file_(file), diags_(d) {}

  // "primary", "replica", "sync_standby", "etcd_leader", "all", "replicas",
  // or a host name. `all` and `replicas` name several hosts: allowed where
  // `multi` says so.
  enum Multi { kSingle = 0, kAllowAll = 1, kAllowReplicas = 2, kAllowBoth = 3 };
  bool Target(const YAML::Node& n, YamlMap& m, TargetSpec* out, int multi = kAllowBoth) {
    if (!n.IsScalar()) {
      m.ErrorAt(n, "a target is one of primary, replica, replicas, sync_standby, etcd_leader, all, or a host name");
      return false;
    }
    const std::string s = n.Scalar();
    static const std::map<std::string, TargetKind> kKinds = {
        {"primary", TargetKind::kPrimary}, {"replica", TargetKind::kReplica}, {"sync_standby", TargetKind::kSyncStandby},
        {"etcd_leader", TargetKind::kEtcdLeader}, {"all", TargetKind::kAll}, {"replicas", TargetKind::kReplicas}};
    auto it = kKinds.find(s);
    if (it != kKinds.end()) {
      if (it->second == TargetKind::kAll && !(multi & kAllowAll)) {
        m.ErrorAt(n, "\"all\" is not a single member here; name primary, replica, sync_standby or a host");
        return false;
      }
      if (it->second == TargetKind::kReplicas && !(multi & kAllowReplicas)) {
        m.ErrorAt(n, "\"replicas\" is several members; here name one: replica, sync_standby or a host");
        return false;
      }
      out->kind = it->second;
      return true;
    }
    for (const auto& h : topology_.hosts)
      if (h.name == s) {
        out->kind = h.Has(HostRole::kHaproxy) && !h.Has(HostRole::kPatroni) ? TargetKind::kLoadBalancer : TargetKind::kHost;
        out->host = s;
        return true;
      }
    std::string hosts;
    for (const auto& h : topology_.hosts) hosts += (hosts.empty() ? "" : ", ") + h.name;
    m.ErrorAt(n, fmt::format("unknown target \"{}\": use primary, replica, sync_standby, etcd_leader, all, or a host of "
                             "topology {} ({})", s, topology_.name, hosts));
    return false;
  }

  void Fault(const YAML::Node& kind_node, YamlMap& m, Step* step) {
    FaultSpec& f = step->fault;
    auto it = kFaultKinds.find(kind_node.IsScalar() ? kind_node.Scalar() : "");
    if (it == kFaultKinds.end()) {
      m.ErrorAt(kind_node, fmt::format("unknown fault \"{}\"; faults are {}", kind_node.IsScalar() ? kind_node.Scalar() : "?", Names(kFaultKinds)));
      return;
    }
    f.kind = it->second;
    m.String("id", &f.id);
    bool needs_processes = f.kind == FaultKind::kKill || f.kind == FaultKind::kStop || f.kind == FaultKind::kPause;
    // Every fault but partition acts on a target.
    if (f.kind != FaultKind::kPartition) {
      m.Require("target");
      if (auto t = m.Node("target")) Target(*t, m, &f.target, needs_processes ? kAllowBoth : kSingle);
    }
    if (auto p = m.Node("processes")) {
      if (!needs_processes) m.ErrorAt(*p, fmt::format("processes does not apply to {}", it->first));
      m.StringList("processes", &f.processes);
      for (const auto& name : f.processes)
        if (!kProcesses.count(name)) m.ErrorAt(*p, fmt::format("unknown process \"{}\"; use patroni, postgres, etcd, haproxy (or host, to pause a whole host)", name));
        else if (name == "host" && f.kind != FaultKind::kPause) m.ErrorAt(*p, "a whole host can only be paused; use isolate to cut it off");
    } else if (needs_processes) {
      m.Require("processes");
    }
    if (auto g = m.Node("groups")) {
      if (f.kind != FaultKind::kPartition) m.ErrorAt(*g, fmt::format("groups does not apply to {}", it->first));
      else if (!g->IsSequence() || g->size() < 2) m.ErrorAt(*g, "groups must be a list of at least two lists of targets, e.g. [[primary, node2], [node3]]");
      else
        for (const auto& group : *g) {
          std::vector<TargetSpec> members;
          if (!group.IsSequence() || group.size() == 0) {
            m.ErrorAt(group, "each group is a non-empty list of targets");
            continue;
          }
          for (const auto& t : group) {
            TargetSpec spec;
            if (Target(t, m, &spec, kAllowReplicas)) members.push_back(spec);
          }
          f.groups.push_back(members);
        }
    } else if (f.kind == FaultKind::kPartition) {
      m.Require("groups");
    }
    if (auto to = m.Node("to")) {
      if (f.kind != FaultKind::kOneWay) m.ErrorAt(*to, fmt::format("to does not apply to {}", it->first));
      else Target(*to, m, &f.to, kSingle);
    } else if (f.kind == FaultKind::kOneWay) {
      m.Require("to");
    }
    if (auto loss = m.Node("loss")) {
      const std::string s = loss->IsScalar() ? loss->Scalar() : "";
      const double pct = s.size() > 1 && s.back() == '%' ? ParseNumber(s.substr(0, s.size() - 1)).value_or(-1) : -1;
      if (f.kind != FaultKind::kPacketLoss) m.ErrorAt(*loss, fmt::format("loss does not apply to {}", it->first));
      else if (pct <= 0 || pct > 100) m.ErrorAt(*loss, fmt::format("loss must be a percentage above 0 and at most 100, e.g. 30%, got \"{}\"", s));
      else f.loss_percent = pct;
    } else if (f.kind == FaultKind::kPacketLoss) {
      m.Require("loss");
    }
    if (m.Has("delay")) {
      if (f.kind != FaultKind::kLatency) m.ErrorAt(*m.Node("delay"), fmt::format("delay does not apply to {}", it->first));
      m.Dur("delay", &f.latency);
    } else if (f.kind == FaultKind::kLatency) {
      m.Require("delay");
    }
  }

  Result<Step> Read(const YAML::Node& node, int index, std::set<std::string>* fault_ids) {
    YamlMap m(node, file_, fmt::format("steps[{}]", index), diags_);
    Step step;
    step.line = node.Mark().line + 1;
    if (!m.valid()) return step;
    static const std::vector<std::pair<std::string, StepKind>> kActions = {
        {"wait", StepKind::kWait},       {"hold", StepKind::kHold},         {"fault", StepKind::kFault},
        {"heal", StepKind::kHeal},       {"switchover", StepKind::kSwitchover}, {"failover", StepKind::kFailover},
        {"restart", StepKind::kRestart}, {"reinitialize", StepKind::kReinitialize}};
    std::vector<std::string> found;
    for (const auto& [name, kind] : kActions)
      if (m.Has(name)) {
        found.push_back(name);
        step.kind = kind;
      }
    if (found.size() != 1) {
      m.ErrorAt(node, found.empty() ? "a step needs one action: wait, hold, fault, heal, switchover, failover, restart or reinitialize"
                                    : fmt::format("a step has one action, this one has {} ({} and {})", found.size(), found[0], found[1]));
      m.Finish();
      return step;
    }
    const YAML::Node action = *m.Node(found[0]);
    const bool has_timeout = step.kind == StepKind::kWait || step.kind == StepKind::kSwitchover ||
                             step.kind == StepKind::kFailover || step.kind == StepKind::kRestart ||
                             step.kind == StepKind::kReinitialize;
    if (has_timeout) m.Dur("timeout", &step.timeout);
    switch (step.kind) {
      case StepKind::kWait: {
        auto it = kConditions.find(action.IsScalar() ? action.Scalar() : "");
        if (it == kConditions.end()) m.ErrorAt(action, fmt::format("wait for one of {}", Names(kConditions)));
        else step.condition = it->second;
        break;
      }
      case StepKind::kHold:
        m.Dur("hold", &step.duration);
        break;
      case StepKind::kFault:
        Fault(action, m, &step);
        if (step.fault.id.empty()) step.fault.id = fmt::format("fault{}", index);
        if (!fault_ids->insert(step.fault.id).second) m.ErrorAt(node, fmt::format("fault id \"{}\" is used twice", step.fault.id));
        break;
      case StepKind::kHeal:
        step.heal = action.IsScalar() ? action.Scalar() : "";
        if (step.heal != "all" && !fault_ids->count(step.heal))
          m.ErrorAt(action, fmt::format("heal names \"{}\", which no earlier fault step has as its id; use all or an id", step.heal));
        break;
      case StepKind::kSwitchover:
        if (action.IsScalar() && action.Scalar() == "any") step.target.kind = TargetKind::kAll;
        else Target(action, m, &step.target, kSingle);
        break;
      case StepKind::kFailover:
      case StepKind::kRestart:
      case StepKind::kReinitialize:
        Target(action, m, &step.target, kSingle);
        break;
    }
    m.Finish();
    return step;
  }

 private:
  const Topology& topology_;
  std::string file_;
  Diagnostics* diags_;
};

std::string ResolveTopologyPath(const std::string& ref, const std::string& scenario_file, const std::string& fixtures_dir) {
  if (ref.find('/') == std::string::npos && ref.find(".yaml") == std::string::npos) return fixtures_dir + "/topologies/" + ref + ".yaml";
  if (!ref.empty() && ref[0] == '/') return ref;
  return (fs::path(scenario_file).parent_path() / ref).string();
}

}  // namespace

const std::vector<MetricInfo>& KnownMetrics() {
  static const std::vector<MetricInfo> kMetrics = {
      {"failover_time", true, "the worst outage: from the fault that caused it to the first acknowledged write after it"},
      {"lost_writes", false, "acknowledged writes missing from the final primary"},
      {"split_brain", true, "time during which two or more members accepted direct writes"},
      {"split_brain_writes", false, "writes acknowledged by two servers in overlapping intervals"},
      {"recovery_time", true, "from the last heal until every member stays on the leader's timeline, replicas caught up"},
      {"failed_writes", false, "writes that failed or ended indeterminate"},
      {"leader_changes", false, "times the Patroni leader changed"},
      {"timeline_changes", false, "times the leader's timeline changed (a restart in place keeps it)"},
      {"write_latency_p99", true, "99th percentile latency of acknowledged writes"},
  };
  return kMetrics;
}

bool Expectation::Holds(double v) const {
  constexpr double kEps = 1e-9;
  switch (comparison) {
    case Comparison::kLess: return v < threshold - kEps;
    case Comparison::kLessEqual: return v <= threshold + kEps;
    case Comparison::kEqual: return std::abs(v - threshold) <= kEps;
    case Comparison::kGreaterEqual: return v >= threshold - kEps;
    case Comparison::kGreater: return v > threshold + kEps;
  }
  return false;
}

std::string ComparisonText(Comparison c) {
  switch (c) {
    case Comparison::kLess: return "<";
    case Comparison::kLessEqual: return "<=";
    case Comparison::kEqual: return "=";
    case Comparison::kGreaterEqual: return ">=";
    case Comparison::kGreater: return ">";
  }
  return "?";
}

Result<Expectation> ParseExpectation(const std::string& metric, const std::string& text) {
  const MetricInfo* info = nullptr;
  for (const auto& m : KnownMetrics())
    if (m.name == metric) info = &m;
  if (info == nullptr) {
    std::set<std::string> names;
    for (const auto& m : KnownMetrics()) names.insert(m.name);
    std::string close = ClosestMatch(metric, names);
    std::string all;
    for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
    return InvalidInput(close.empty() ? fmt::format("unknown metric \"{}\"; metrics are {}", metric, all)
                                      : fmt::format("unknown metric \"{}\"; did you mean \"{}\"?", metric, close));
  }
  Expectation e;
  e.metric = metric;
  e.text = text;
  std::string rest = text;
  while (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
  static const std::vector<std::pair<std::string, Comparison>> kOps = {
      {"<=", Comparison::kLessEqual}, {">=", Comparison::kGreaterEqual}, {"<", Comparison::kLess},
      {">", Comparison::kGreater},    {"==", Comparison::kEqual},        {"=", Comparison::kEqual}};
  for (const auto& [op, cmp] : kOps)
    if (rest.rfind(op, 0) == 0) {
      e.comparison = cmp;
      rest = rest.substr(op.size());
      break;
    }
  while (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
  if (info->is_duration) {
    auto d = ParseDuration(rest);
    if (!d.ok())
      return InvalidInput(fmt::format("{} is a duration: write a comparison and a duration, e.g. \"< 10s\" or 0s; {}", metric,
                                      d.status().message()));
    e.threshold = ToSeconds(*d);
  } else {
    const double v = ParseNumber(rest).value_or(-1);
    if (v < 0)
      return InvalidInput(fmt::format("{} is a count: write a number with an optional comparison, e.g. 0 or \"<= 3\", got \"{}\"", metric, text));
    e.threshold = v;
  }
  return e;
}

std::string FaultKindName(FaultKind k) {
  for (const auto& [name, kind] : kFaultKinds)
    if (kind == k) return name;
  return "?";
}

std::string TargetSpec::ToString() const {
  switch (kind) {
    case TargetKind::kPrimary: return "primary";
    case TargetKind::kReplica: return "replica";
    case TargetKind::kSyncStandby: return "sync_standby";
    case TargetKind::kEtcdLeader: return "etcd_leader";
    case TargetKind::kAll: return "all";
    case TargetKind::kReplicas: return "replicas";
    case TargetKind::kHost:
    case TargetKind::kLoadBalancer: return host;
  }
  return "?";
}

std::string Step::Describe() const {
  switch (kind) {
    case StepKind::kWait:
      for (const auto& [name, c] : kConditions)
        if (c == condition) return fmt::format("wait {} (up to {})", name, FormatDuration(timeout));
      return "wait";
    case StepKind::kHold: return "hold " + FormatDuration(duration);
    case StepKind::kFault: {
      std::string what = FaultKindName(fault.kind);
      if (!fault.processes.empty()) {
        std::string p;
        for (const auto& x : fault.processes) p += (p.empty() ? "" : "+") + x;
        what += " " + p;
      }
      if (fault.kind == FaultKind::kPartition) return what;
      return what + " on " + fault.target.ToString();
    }
    case StepKind::kHeal: return "heal " + heal;
    case StepKind::kSwitchover: return "switchover to " + (target.kind == TargetKind::kAll ? std::string("any replica") : target.ToString());
    case StepKind::kFailover: return "failover to " + target.ToString();
    case StepKind::kRestart: return "restart " + target.ToString();
    case StepKind::kReinitialize: return "reinitialize " + target.ToString();
  }
  return "?";
}

void ReadWorkloadSettings(YamlMap& w, WorkloadSpec* out) {
  if (!w.valid()) return;
  w.Int("writers", 0, 64, &out->writers);
  w.Int("readers", 0, 16, &out->readers);
  if (auto r = w.Node("rate")) {
    std::string t = r->IsScalar() ? r->Scalar() : "";
    if (t.size() > 2 && t.substr(t.size() - 2) == "/s") t = t.substr(0, t.size() - 2);
    const double v = ParseNumber(t).value_or(-1);
    if (v <= 0 || v > 5000)
      w.ErrorAt(*r, fmt::format("workload.rate is writes per second for all writers together, above 0 and at most 5000, e.g. 50/s; got \"{}\"", r->IsScalar() ? r->Scalar() : "?"));
    else out->rate = v;
  }
  w.Dur("op_timeout", &out->op_timeout);
  w.Dur("probe_interval", &out->probe_interval);
  w.Dur("observe_interval", &out->observe_interval);
  if (auto p = w.Node("probe_interval"); p && (out->probe_interval < std::chrono::milliseconds(20) || out->probe_interval > std::chrono::milliseconds(100)))
    w.ErrorAt(*p, "workload.probe_interval must be between 20ms and 100ms");
  if (auto p = w.Node("observe_interval"); p && (out->observe_interval < std::chrono::milliseconds(50) || out->observe_interval > std::chrono::milliseconds(250)))
    w.ErrorAt(*p, "workload.observe_interval must be between 50ms and 250ms");
  w.Finish();
}

Result<LoadedScenario> ParseScenario(const std::string& text, const std::string& name, const std::string& fixtures_dir) {
  Diagnostics diags;
  auto root = LoadYamlString(text, name, &diags);
  if (!root) return diags.ToStatus();
  LoadedScenario out;
  Scenario& s = out.scenario;
  s.file = name;
  YamlMap top(*root, name, "the scenario", &diags);
  if (!top.valid()) return diags.ToStatus();
  top.Require("name");
  top.String("name", &s.name);
  top.String("description", &s.description);
  top.Dur("run_timeout", &s.run_timeout);
  std::string topology_ref = "compact";
  top.String("topology", &topology_ref);
  const std::string topology_path = ResolveTopologyPath(topology_ref, name, fixtures_dir);
  auto topology = LoadTopology(topology_path);
  if (!topology.ok()) {
    diags.Error(name, top.Node("topology") ? top.Node("topology")->Mark() : YAML::Mark::null_mark(),
                fmt::format("topology \"{}\" ({}): {}", topology_ref, topology_path, topology.status().message()));
    top.Finish();
    return diags.ToStatus();
  }
  s.topology = topology->topology;
  if (auto n = top.Node("patroni")) {
    YamlMap m(*n, name, "patroni", &diags);
    ReadPatroniSettings(m, &s.topology.patroni);
  }
  top.Size("data_volume", &s.topology.data_volume);
  if (auto n = top.Node("haproxy")) {
    YamlMap m(*n, name, "haproxy", &diags);
    ReadHaproxySettings(m, &s.topology.haproxy);
  }
  if (auto n = top.Node("workload")) {
    YamlMap w(*n, name, "workload", &diags);
    ReadWorkloadSettings(w, &s.workload);
  }
  top.Require("steps");
  if (auto steps = top.Node("steps")) {
    if (!steps->IsSequence() || steps->size() == 0) top.ErrorAt(*steps, "steps must be a non-empty list");
    else {
      StepReader reader(s.topology, name, &diags);
      std::set<std::string> ids;
      int i = 0;
      for (const auto& st : *steps) {
        auto step = reader.Read(st, i++, &ids);
        if (step.ok()) s.steps.push_back(*step);
      }
    }
  }
  if (auto ex = top.Node("expect")) {
    if (!ex->IsMap()) top.ErrorAt(*ex, "expect maps metrics to targets, e.g. failover_time: \"< 10s\"");
    else
      for (const auto& kv : *ex) {
        auto e = ParseExpectation(kv.first.Scalar(), kv.second.IsScalar() ? kv.second.Scalar() : "");
        if (!e.ok()) diags.Error(name, kv.first.Mark(), "expect." + kv.first.Scalar() + ": " + e.status().message());
        else {
          e->line = kv.first.Mark().line + 1;
          s.expectations.push_back(*e);
        }
      }
  }
  for (const auto& st : s.steps)
    if (st.kind == StepKind::kFault && st.fault.kind == FaultKind::kDiskFull && s.topology.data_volume == 0)
      diags.Error(name, YAML::Mark::null_mark(),
                  fmt::format("line {}: disk_full fills the data directory's filesystem, so it needs one of a set size: add data_volume: 512MiB to the scenario", st.line));
  top.Finish();
  if (!diags.empty()) return diags.ToStatus();
  std::vector<std::string> warnings;
  if (Status v = ValidateTopology(s.topology, &warnings); !v.ok()) return v;
  for (auto& w : PatroniTimingWarnings(s.topology.patroni)) out.warnings.push_back(name + ": " + w);
  return out;
}

Result<LoadedScenario> LoadScenario(const std::string& path, const std::string& fixtures_dir) {
  auto text = ReadTextFile(path);
  if (!text.ok()) return InvalidInput(path + ": cannot read the scenario file (does it exist?)");
  return ParseScenario(*text, path, fixtures_dir);
}

}  // namespace pgha
