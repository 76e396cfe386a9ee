#include "run/prediction.h"

#include <fmt/format.h>

#include <algorithm>

#include "faults/registry.h"

namespace pgha {

std::optional<Window> PredictFor(const Scenario& scenario, const PatroniVersion& patroni) {
  PredictInputs in = InputsFromTopology(scenario.topology);
  ApplyPatroniVersion(&in, patroni);
  for (const auto& step : scenario.steps) {
    // In maintenance mode Patroni fails over only at `resume`: no window from the settings.
    if (step.kind == StepKind::kOperation && step.operation.kind == "pause") return std::nullopt;
    if (step.kind != StepKind::kFault) continue;
    const FaultType* type = FindFaultType(step.fault.kind);
    auto c = type ? type->Predicts(step.fault) : std::nullopt;
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
