#include "scenario/step_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/text.h"
#include "core/units.h"
#include "services/registry.h"

namespace pgha {
namespace {

const std::map<std::string, FaultKind> kFaultKinds = {
    {"kill", FaultKind::kKill},           {"stop", FaultKind::kStop},
    {"pause", FaultKind::kPause},         {"isolate", FaultKind::kIsolate},
    {"partition", FaultKind::kPartition}, {"one_way", FaultKind::kOneWay},
    {"cut_etcd", FaultKind::kCutEtcd},    {"packet_loss", FaultKind::kPacketLoss},
    {"latency", FaultKind::kLatency},     {"disk_loss", FaultKind::kDiskLoss},
    {"disk_full", FaultKind::kDiskFull}};

const std::map<std::string, WaitCondition> kConditions = {{"healthy", WaitCondition::kHealthy},
                                                          {"new_primary", WaitCondition::kNewPrimary},
                                                          {"replicas_streaming", WaitCondition::kReplicasStreaming}};

const std::vector<std::pair<std::string, StepKind>> kActions = {{"wait", StepKind::kWait},
                                                                {"hold", StepKind::kHold},
                                                                {"fault", StepKind::kFault},
                                                                {"heal", StepKind::kHeal},
                                                                {"switchover", StepKind::kSwitchover},
                                                                {"failover", StepKind::kFailover},
                                                                {"restart", StepKind::kRestart},
                                                                {"reinitialize", StepKind::kReinitialize}};

std::string Names(const auto& map) {
  std::vector<std::string> names;
  for (const auto& [k, v] : map) names.push_back(k);
  return Join(names);
}

// What kill, stop and pause can name: every service kind, PostgreSQL
// itself, or (pause only) the whole host.
bool KnownProcess(const std::string& name) {
  return name == "postgres" || name == "host" || FindService(name) != nullptr;
}

}  // namespace

std::string FaultKindName(FaultKind k) {
  for (const auto& [name, kind] : kFaultKinds)
    if (kind == k) return name;
  return "?";
}

std::string WaitConditionName(WaitCondition c) {
  for (const auto& [name, cond] : kConditions)
    if (cond == c) return name;
  return "?";
}

void StepReader::Lacks(YamlMap& m, const YAML::Node& at, const std::string& what) {
  if (!incompatible_) return m.ErrorAt(at, what);
  if (std::find(incompatible_->begin(), incompatible_->end(), what) == incompatible_->end())
    incompatible_->push_back(what);
}

bool StepReader::Target(const YAML::Node& n, YamlMap& m, TargetSpec* out, int multi) {
  if (!n.IsScalar()) {
    m.ErrorAt(n,
              "a target is one of primary, replica, replicas, sync_standby, etcd_leader, vip_holder, all, or a host "
              "name");
    return false;
  }
  const std::string s = n.Scalar();
  static const std::map<std::string, TargetKind> kKinds = {
      {"primary", TargetKind::kPrimary},          {"replica", TargetKind::kReplica},
      {"sync_standby", TargetKind::kSyncStandby}, {"etcd_leader", TargetKind::kEtcdLeader},
      {"vip_holder", TargetKind::kVipHolder},     {"all", TargetKind::kAll},
      {"replicas", TargetKind::kReplicas}};
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
    if (out->kind == TargetKind::kVipHolder && !topology_.vip.enabled())
      Lacks(m, n, fmt::format("target vip_holder needs a VIP, and topology {} has none", topology_.name));
    return true;
  }
  std::vector<std::string> hosts;
  for (const auto& h : topology_.hosts) {
    if (h.name == s) {
      out->kind = TargetKind::kHost;
      out->host = s;
      return true;
    }
    hosts.push_back(h.name);
  }
  Lacks(
      m, n,
      fmt::format("unknown target \"{}\": use primary, replica, sync_standby, etcd_leader, vip_holder, all, or a host "
                  "of topology {} ({})",
                  s, topology_.name, Join(hosts)));
  out->kind = TargetKind::kHost;
  out->host = s;
  return false;
}

void StepReader::Processes(YamlMap& m, const std::string& kind_name, bool needs_processes, FaultSpec* f) {
  auto p = m.Node("processes");
  if (!p) {
    if (needs_processes) m.Require("processes");
    return;
  }
  if (!needs_processes) m.ErrorAt(*p, fmt::format("processes does not apply to {}", kind_name));
  m.StringList("processes", &f->processes);
  const auto kinds = topology_.Kinds();
  for (const auto& name : f->processes)
    if (!KnownProcess(name))
      m.ErrorAt(*p, fmt::format("unknown process \"{}\"; use {}, postgres (or host, to pause a whole host)", name,
                                ServiceKindList()));
    else if (name == "host" && f->kind != FaultKind::kPause)
      m.ErrorAt(*p, "a whole host can only be paused; use isolate to cut it off");
    else if (name != "host" && !kinds.count(name == "postgres" ? "patroni" : name))
      Lacks(m, *p, fmt::format("topology {} runs no {}", topology_.name, name));
}

void StepReader::Groups(YamlMap& m, const std::string& kind_name, FaultSpec* f) {
  auto g = m.Node("groups");
  if (!g) {
    if (f->kind == FaultKind::kPartition) m.Require("groups");
    return;
  }
  if (f->kind != FaultKind::kPartition) return m.ErrorAt(*g, fmt::format("groups does not apply to {}", kind_name));
  if (!g->IsSequence() || g->size() < 2)
    return m.ErrorAt(*g, "groups must be a list of at least two lists of targets, e.g. [[primary, node2], [node3]]");
  for (const auto& group : *g) {
    if (!group.IsSequence() || group.size() == 0) {
      m.ErrorAt(group, "each group is a non-empty list of targets");
      continue;
    }
    std::vector<TargetSpec> members;
    for (const auto& t : group) {
      TargetSpec spec;
      if (Target(t, m, &spec, kAllowReplicas)) members.push_back(spec);
    }
    f->groups.push_back(members);
  }
}

void StepReader::FaultExtras(YamlMap& m, const std::string& kind_name, FaultSpec* f) {
  if (auto to = m.Node("to")) {
    if (f->kind != FaultKind::kOneWay)
      m.ErrorAt(*to, fmt::format("to does not apply to {}", kind_name));
    else
      Target(*to, m, &f->to, kSingle);
  } else if (f->kind == FaultKind::kOneWay) {
    m.Require("to");
  }
  if (auto loss = m.Node("loss")) {
    const std::string s = loss->IsScalar() ? loss->Scalar() : "";
    const double pct = s.size() > 1 && s.back() == '%' ? ParseNumber(s.substr(0, s.size() - 1)).value_or(-1) : -1;
    if (f->kind != FaultKind::kPacketLoss)
      m.ErrorAt(*loss, fmt::format("loss does not apply to {}", kind_name));
    else if (pct <= 0 || pct > 100)
      m.ErrorAt(*loss, fmt::format("loss must be a percentage above 0 and at most 100, e.g. 30%, got \"{}\"", s));
    else
      f->loss_percent = pct;
  } else if (f->kind == FaultKind::kPacketLoss) {
    m.Require("loss");
  }
  if (m.Has("delay")) {
    if (f->kind != FaultKind::kLatency)
      m.ErrorAt(*m.Node("delay"), fmt::format("delay does not apply to {}", kind_name));
    m.Dur("delay", &f->latency);
  } else if (f->kind == FaultKind::kLatency) {
    m.Require("delay");
  }
}

void StepReader::Fault(const YAML::Node& kind_node, YamlMap& m, Step* step) {
  FaultSpec& f = step->fault;
  auto it = kFaultKinds.find(kind_node.IsScalar() ? kind_node.Scalar() : "");
  if (it == kFaultKinds.end()) {
    m.ErrorAt(kind_node, fmt::format("unknown fault \"{}\"; faults are {}",
                                     kind_node.IsScalar() ? kind_node.Scalar() : "?", Names(kFaultKinds)));
    return;
  }
  f.kind = it->second;
  m.Name("id", &f.id);
  if (f.id == "all")
    if (auto n = m.Node("id")) m.ErrorAt(*n, "a fault id \"all\" would make `heal: all` ambiguous: pick another id");
  const bool needs_processes = f.kind == FaultKind::kKill || f.kind == FaultKind::kStop || f.kind == FaultKind::kPause;
  // Every fault but partition acts on a target.
  if (f.kind != FaultKind::kPartition) {
    m.Require("target");
    if (auto t = m.Node("target")) Target(*t, m, &f.target, needs_processes ? kAllowBoth : kSingle);
  }
  Processes(m, it->first, needs_processes, &f);
  Groups(m, it->first, &f);
  FaultExtras(m, it->first, &f);
}

void StepReader::Action(const YAML::Node& action, YamlMap& m, int index, std::set<std::string>* fault_ids,
                        const YAML::Node& node, Step* step) {
  switch (step->kind) {
    case StepKind::kWait: {
      auto it = kConditions.find(action.IsScalar() ? action.Scalar() : "");
      if (it == kConditions.end())
        m.ErrorAt(action, fmt::format("wait for one of {}", Names(kConditions)));
      else
        step->condition = it->second;
      break;
    }
    case StepKind::kHold: m.Dur("hold", &step->duration); break;
    case StepKind::kFault:
      Fault(action, m, step);
      if (step->fault.id.empty()) step->fault.id = fmt::format("fault{}", index);
      if (!fault_ids->insert(step->fault.id).second)
        m.ErrorAt(node, fmt::format("fault id \"{}\" is used twice", step->fault.id));
      break;
    case StepKind::kHeal:
      step->heal = action.IsScalar() ? action.Scalar() : "";
      if (step->heal != "all" && !fault_ids->count(step->heal))
        m.ErrorAt(action, fmt::format("heal names \"{}\", which no earlier fault step has as its id; use all or an id",
                                      step->heal));
      break;
    case StepKind::kSwitchover:
      if (action.IsScalar() && action.Scalar() == "any")
        step->target.kind = TargetKind::kAll;
      else
        Target(action, m, &step->target, kSingle);
      break;
    case StepKind::kFailover:
    case StepKind::kRestart:
    case StepKind::kReinitialize: Target(action, m, &step->target, kSingle); break;
  }
}

Step StepReader::Read(const YAML::Node& node, int index, std::set<std::string>* fault_ids) {
  YamlMap m(node, file_, fmt::format("steps[{}]", index), diags_);
  Step step;
  step.line = node.Mark().line + 1;
  if (!m.valid()) return step;
  std::vector<std::string> found;
  for (const auto& [name, kind] : kActions)
    if (m.Has(name)) {
      found.push_back(name);
      step.kind = kind;
    }
  if (found.size() != 1) {
    m.ErrorAt(
        node,
        found.empty()
            ? "a step needs one action: wait, hold, fault, heal, switchover, failover, restart or reinitialize"
            : fmt::format("a step has one action, this one has {} ({} and {})", found.size(), found[0], found[1]));
    m.Finish();
    return step;
  }
  if (step.kind != StepKind::kHold && step.kind != StepKind::kFault && step.kind != StepKind::kHeal)
    m.Dur("timeout", &step.timeout);
  Action(*m.Node(found[0]), m, index, fault_ids, node, &step);
  m.Finish();
  return step;
}

}  // namespace pgha
