// cpu_throttle: the named processes of a host (or all of it) get at most a
// share of one core (cpu: 5%), through the provider's HostResources; heal
// journals how often they were throttled and lifts the quota. A slow node
// is not meant to fail over: a failover under it is a false one.
#include <fmt/format.h>

#include "core/units.h"
#include "faults/limit_faults.h"

namespace pgha {
namespace {

class CpuThrottle : public LimitFault {
 public:
  std::string Name() const override { return "cpu_throttle"; }
  std::string Summary() const override {
    return "processes (or a whole host) get at most a share of one core (cpu: 5%); heal lifts the quota";
  }
  std::shared_ptr<const FaultParams> Read(FaultReadContext& r) const override {
    auto p = std::make_shared<LimitParams>();
    ReadLimitedProcesses(r, p.get());
    r.map.Require("cpu");
    auto cpu = r.map.Node("cpu");
    if (!cpu) return p;
    const std::string s = cpu->IsScalar() ? cpu->Scalar() : "";
    const double pct = s.size() > 1 && s.back() == '%' ? ParseNumber(s.substr(0, s.size() - 1)).value_or(-1) : -1;
    if (pct < 1 || pct > 1000)
      r.map.ErrorAt(*cpu, fmt::format("cpu must be a share of one core from 1% to 1000%, e.g. 5%, got \"{}\"", s));
    else
      p->limit.cpu_cores = pct / 100;
    return p;
  }
};

}  // namespace

const FaultType* CpuThrottleFault() {
  static const CpuThrottle kType;
  return &kType;
}

}  // namespace pgha
