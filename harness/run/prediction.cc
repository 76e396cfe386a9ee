#include "run/prediction.h"

#include <fmt/format.h>

#include <algorithm>

namespace pgha {
namespace {

bool Has(const std::vector<std::string>& processes, const std::string& p) {
  return std::find(processes.begin(), processes.end(), p) != processes.end();
}

std::optional<FailureClass> ClassOf(const FaultSpec& f) {
  const bool primary = f.target.kind == TargetKind::kPrimary;
  switch (f.kind) {
    case FaultKind::kKill:
      if (primary && Has(f.processes, "patroni")) return FailureClass::kProcessKill;
      break;
    case FaultKind::kStop:
      if (primary && Has(f.processes, "patroni")) return FailureClass::kGracefulStop;
      break;
    case FaultKind::kPause:
      if (primary && Has(f.processes, "host")) return FailureClass::kHostLoss;
      break;
    case FaultKind::kIsolate: return primary ? std::optional(FailureClass::kHostLoss) : std::nullopt;
    case FaultKind::kPartition: return FailureClass::kHostLoss;
    case FaultKind::kCutEtcd: return primary ? std::optional(FailureClass::kEtcdCut) : std::nullopt;
    default: break;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Window> PredictFor(const Scenario& scenario) {
  const PredictInputs in = InputsFromTopology(scenario.topology);
  for (const auto& step : scenario.steps) {
    if (step.kind != StepKind::kFault) continue;
    auto c = ClassOf(step.fault);
    if (!c) return std::nullopt;
    if (*c != FailureClass::kHostLoss) return PredictWindow(in, *c);
    // A lost host may or may not have led etcd: the window spans both.
    Window without = PredictWindow(in, FailureClass::kHostLoss);
    const Window with = PredictWindow(in, FailureClass::kHostLossEtcdLeader);
    without.high_s = std::max(without.high_s, with.high_s);
    without.terms.push_back(fmt::format("or, with the etcd leader on it, {:.2f}-{:.2f}s", with.low_s, with.high_s));
    return without;
  }
  return std::nullopt;
}

}  // namespace pgha
