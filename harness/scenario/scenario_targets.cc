#include "scenario/scenario_targets.h"

#include <fmt/format.h>

#include <algorithm>

#include "faults/registry.h"

namespace pgha {
namespace {

constexpr const char* kSyncStandbyNeedsSynchronousMode =
    "target sync_standby needs patroni.synchronous_mode: true (there is no synchronous standby without it)";

// The topology hosts a target may resolve to when the scenario runs.
std::vector<const HostSpec*> Candidates(const Topology& t, const TargetSpec& target) {
  switch (target.kind) {
    case TargetKind::kPrimary:
    case TargetKind::kReplica:
    case TargetKind::kReplicas:
    case TargetKind::kSyncStandby: return t.HostsRunning("patroni");
    case TargetKind::kEtcdLeader: return t.HostsRunning("etcd");
    case TargetKind::kVipHolder: return t.HostsRunning("keepalived");
    case TargetKind::kHost:
      for (const auto& h : t.hosts)
        if (h.name == target.host) return {&h};
      return {};
    case TargetKind::kAll: break;
  }
  std::vector<const HostSpec*> all;
  for (const auto& h : t.hosts) all.push_back(&h);
  return all;
}

// Why the step cannot do what it asks here, or "".
std::string Misfit(const Topology& t, const Step& st) {
  if (st.kind == StepKind::kFault) {
    const FaultSpec& f = st.fault;
    std::vector<TargetSpec> targets = f.params ? f.params->OtherTargets() : std::vector<TargetSpec>{};
    if (f.has_target) targets.push_back(f.target);
    targets.insert(targets.end(), f.more_targets.begin(), f.more_targets.end());
    for (const auto& target : targets)
      if (target.kind == TargetKind::kSyncStandby && !t.patroni.synchronous_mode)
        return kSyncStandbyNeedsSynchronousMode;
    const FaultType* type = FindFaultType(f.kind);
    return type && f.has_target ? type->Misfit(t, f, Candidates(t, f.target)) : "";
  }
  const bool to_primary = st.target.kind == TargetKind::kPrimary;
  if ((st.kind == StepKind::kSwitchover || st.kind == StepKind::kFailover) && to_primary)
    return fmt::format("a {} to the primary changes nothing: name replica, sync_standby or a host as the candidate",
                       st.kind == StepKind::kSwitchover ? "switchover" : "failover");
  if (st.kind == StepKind::kReinitialize && to_primary)
    return "Patroni does not reinitialize the leader: reinitialize a replica (replica, sync_standby or a host)";
  const bool operation = st.kind == StepKind::kSwitchover || st.kind == StepKind::kFailover ||
                         st.kind == StepKind::kRestart || st.kind == StepKind::kReinitialize;
  if (operation && st.target.kind == TargetKind::kSyncStandby && !t.patroni.synchronous_mode)
    return kSyncStandbyNeedsSynchronousMode;
  return "";
}

}  // namespace

void CheckTargetsFitTopology(Scenario& s, Diagnostics& diags) {
  for (const auto& st : s.steps) {
    const std::string why = Misfit(s.topology, st);
    if (why.empty()) continue;
    if (!s.retargeted) {
      YAML::Mark at = YAML::Mark::null_mark();
      at.line = st.line - 1;
      at.column = 0;
      diags.Error(s.file, at, why);
    } else if (std::find(s.incompatible.begin(), s.incompatible.end(), why) == s.incompatible.end()) {
      s.incompatible.push_back(why);
    }
  }
}

}  // namespace pgha
