// packet_loss: a share of a host's packets, both ways, is dropped at random
// (iptables' statistic match).
#include <fmt/format.h>

#include "core/units.h"
#include "faults/traffic.h"

namespace pgha {
namespace {

struct LossParams : FaultParams {
  double percent = 0;
  std::string Describe() const override { return fmt::format("{}%", percent); }
};

class PacketLoss : public FaultType {
 public:
  std::string Name() const override { return "packet_loss"; }
  std::string Summary() const override { return "a share of a host's packets is dropped (loss: 30%)"; }
  std::shared_ptr<const FaultParams> Read(FaultReadContext& r) const override {
    auto p = std::make_shared<LossParams>();
    r.map.Require("loss");
    auto loss = r.map.Node("loss");
    if (!loss) return p;
    const std::string s = loss->IsScalar() ? loss->Scalar() : "";
    const double pct = s.size() > 1 && s.back() == '%' ? ParseNumber(s.substr(0, s.size() - 1)).value_or(-1) : -1;
    if (pct <= 0 || pct > 100)
      r.map.ErrorAt(*loss, fmt::format("loss must be a percentage above 0 and at most 100, e.g. 30%, got \"{}\"", s));
    else
      p->percent = pct;
    return p;
  }
  Injection Inject(FaultEnv& env, const ResolvedFault& f) const override {
    const auto* p = ParamsOf<LossParams>(f.spec);
    const double percent = p ? p->percent : 0;
    return ForEachHost(env, f, [&](const HostPlan& host, Injection* in) {
      in->detail += fmt::format("{}% packet loss on {}; ", percent, host.name);
      return BlockAll(
          env, host.name,
          {{TrafficBlock::Direction::kIn, "", 0, percent / 100}, {TrafficBlock::Direction::kOut, "", 0, percent / 100}},
          f.spec.id, in);
    });
  }
};

}  // namespace

const FaultType* PacketLossFault() {
  static const PacketLoss kType;
  return &kType;
}

}  // namespace pgha
