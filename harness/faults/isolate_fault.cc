// isolate: a host loses all network traffic, in and out; heal removes the blocks.
#include <fmt/format.h>

#include "faults/path_probe.h"
#include "faults/traffic.h"

namespace pgha {
namespace {

class Isolate : public FaultType {
 public:
  std::string Name() const override { return "isolate"; }
  std::string Summary() const override { return "a host loses all network traffic"; }
  std::shared_ptr<const FaultParams> Read(FaultReadContext&) const override { return std::make_shared<FaultParams>(); }
  Injection Inject(FaultEnv& env, const ResolvedFault& f) const override {
    return ForEachHost(env, f, [&](const HostPlan& host, Injection* in) {
      in->detail += "isolated " + host.name + "; ";
      Status s =
          BlockAll(env, host.name, {{TrafficBlock::Direction::kIn}, {TrafficBlock::Direction::kOut}}, f.spec.id, in);
      for (const auto& other : env.plan.hosts)
        if (s.ok() && other.name != host.name) {
          MeasureCut(env, f.spec.id, host, other, 0, in);
          break;
        }
      return s;
    });
  }

  std::optional<FailureClass> Predicts(const FaultSpec& f) const override {
    if (f.target.kind == TargetKind::kPrimary) return FailureClass::kHostLoss;
    return std::nullopt;
  }
};

}  // namespace

const FaultType* IsolateFault() {
  static const Isolate kType;
  return &kType;
}

}  // namespace pgha
