// isolate: a host loses all network traffic, in and out; heal removes the blocks.
#include <fmt/format.h>

#include "faults/traffic.h"

namespace pgha {
namespace {

class Isolate : public FaultType {
 public:
  std::string Name() const override { return "isolate"; }
  std::string Summary() const override { return "a host loses all network traffic"; }
  std::shared_ptr<const FaultParams> Read(FaultReadContext&) const override { return std::make_shared<FaultParams>(); }
  Injection Inject(FaultEnv& env, const ResolvedFault& f) const override {
    Injection in;
    for (const auto& host : f.hosts) {
      for (auto d : {TrafficBlock::Direction::kIn, TrafficBlock::Direction::kOut}) {
        TrafficBlock block;
        block.direction = d;
        if (Status s = BlockTraffic(env, host, block, f.spec.id, &in); !s.ok()) {
          in.status = s;
          return in;
        }
      }
      in.detail += "isolated " + host + "; ";
    }
    return in;
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
