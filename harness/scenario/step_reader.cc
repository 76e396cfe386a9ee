#include "scenario/step_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/text.h"
#include "core/units.h"
#include "faults/registry.h"
#include "operations/registry.h"

namespace pgha {
namespace {

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

}  // namespace

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

void StepReader::Fault(const YAML::Node& kind_node, YamlMap& m, Step* step) {
  FaultSpec& f = step->fault;
  f.kind = kind_node.IsScalar() ? kind_node.Scalar() : "";
  const FaultType* type = FindFaultType(f.kind);
  if (!type) {
    m.ErrorAt(kind_node, fmt::format("unknown fault \"{}\"; faults are {}",
                                     kind_node.IsScalar() ? Shorten(f.kind) : "?", FaultTypeNames()));
    f.params = std::make_shared<FaultParams>();
    return;
  }
  m.Name("id", &f.id);
  if (f.id == "all")
    if (auto n = m.Node("id")) m.ErrorAt(*n, "a fault id \"all\" would make `heal: all` ambiguous: pick another id");
  const TargetUse use = type->Targets();
  if (use != TargetUse::kOwn) m.Require("target");
  f.has_target = m.Has("target");
  if (auto t = m.Node("target"); t && use == TargetUse::kList && t->IsSequence()) {
    if (t->size() == 0) m.ErrorAt(*t, "target lists no host: name a role, a host, or a list of them");
    for (size_t i = 0; i < t->size(); ++i) {
      TargetSpec spec;
      if (Target((*t)[i], m, &spec, kAllowBoth)) (i == 0 ? f.target : f.more_targets.emplace_back()) = spec;
    }
  } else if (t) {
    Target(*t, m, &f.target, use == TargetUse::kSeveral || use == TargetUse::kList ? kAllowBoth : kSingle);
  }
  FaultReadContext r{m, topology_, f.target,
                     [&](const YAML::Node& n, TargetSpec* out, bool several) {
                       return Target(n, m, out, several ? kAllowReplicas : kSingle);
                     },
                     [&](const YAML::Node& n, const std::string& what) { Lacks(m, n, what); }};
  f.params = type->Read(r);
  if (!f.params) f.params = std::make_shared<FaultParams>();
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
    case StepKind::kRestart: Restart(action, m, step); break;
    case StepKind::kFailover:
    case StepKind::kReinitialize: Target(action, m, &step->target, kSingle); break;
    case StepKind::kOperation: Operation(action, m, step); break;
  }
}

void StepReader::Restart(const YAML::Node& value, YamlMap& m, Step* step) {
  if (!value.IsMap()) {
    Target(value, m, &step->target, kSingle);
    return;
  }
  YamlMap r(value, file_, "restart", diags_);
  r.Require("target");
  if (auto t = r.Node("target")) Target(*t, m, &step->target, kAllowAll);
  r.Bool("pending_restart", &step->restart_pending_only);
  r.Finish();
}

void StepReader::Operation(const YAML::Node& value, YamlMap& m, Step* step) {
  const OperationType* type = FindOperationType(step->operation.kind);
  OperationReadContext r{m, value, topology_,
                         [&](const YAML::Node& n, TargetSpec* out, bool several) {
                           return Target(n, m, out, several ? kAllowBoth : kSingle);
                         },
                         [&](const YAML::Node& n, const std::string& what) { Lacks(m, n, what); }};
  type->Read(r, &step->operation);
  if (!step->operation.params) step->operation.params = std::make_shared<OperationParams>();
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
  for (const OperationType* op : AllOperationTypes())
    if (m.Has(op->Name())) {
      found.push_back(op->Name());
      step.kind = StepKind::kOperation;
      step.operation.kind = op->Name();
    }
  if (found.size() != 1) {
    m.ErrorAt(node, found.empty() ? "a step needs one action: wait, hold, fault, heal, switchover, failover, restart, "
                                    "reinitialize, or an operation: " +
                                        OperationTypeNames()
                                  : fmt::format("a step has one action, this one has {} ({} and {})", found.size(),
                                                found[0], found[1]));
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
