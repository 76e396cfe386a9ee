#include "model/steps.h"

#include <fmt/format.h>

namespace pgha {

std::string TargetSpec::ToString() const {
  switch (kind) {
    case TargetKind::kPrimary: return "primary";
    case TargetKind::kReplica: return "replica";
    case TargetKind::kSyncStandby: return "sync_standby";
    case TargetKind::kEtcdLeader: return "etcd_leader";
    case TargetKind::kVipHolder: return "vip_holder";
    case TargetKind::kAll: return "all";
    case TargetKind::kReplicas: return "replicas";
    case TargetKind::kHost: return host;
  }
  return "?";
}

std::string FaultSpec::Describe() const {
  std::string what = kind;
  if (params)
    if (std::string p = params->Describe(); !p.empty()) what += " " + p;
  if (!has_target) return what;
  std::string on = target.ToString();
  for (const auto& t : more_targets) on += "+" + t.ToString();
  return what + " on " + on;
}

std::string WaitConditionName(WaitCondition c) {
  switch (c) {
    case WaitCondition::kHealthy: return "healthy";
    case WaitCondition::kNewPrimary: return "new_primary";
    case WaitCondition::kReplicasStreaming: return "replicas_streaming";
  }
  return "?";
}

std::string Step::Describe() const {
  switch (kind) {
    case StepKind::kWait:
      return fmt::format("wait {} (up to {})", WaitConditionName(condition), FormatDuration(timeout));
    case StepKind::kHold: return "hold " + FormatDuration(duration);
    case StepKind::kFault: return fault.Describe();
    case StepKind::kHeal: return "heal " + heal;
    case StepKind::kSwitchover:
      return "switchover to " + (target.kind == TargetKind::kAll ? std::string("any replica") : target.ToString());
    case StepKind::kFailover: return "failover to " + target.ToString();
    case StepKind::kRestart:
      return "restart " + target.ToString() + (restart_pending_only ? " where a restart is pending" : "");
    case StepKind::kReinitialize: return "reinitialize " + target.ToString();
    case StepKind::kOperation: {
      const std::string what = operation.params ? operation.params->Describe() : "";
      return operation.kind + (what.empty() ? "" : " " + what);
    }
  }
  return "?";
}

}  // namespace pgha
