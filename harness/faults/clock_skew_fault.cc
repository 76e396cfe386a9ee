// clock_skew: the named processes of a host run with their wall clock
// `offset` off (NTP misconfigured), from the step until heal; monotonic
// clocks untouched (faults/clock_faults.h). Not meant to fail over.
#include "faults/clock_faults.h"

namespace pgha {
namespace {

class ClockSkew : public FaultType {
 public:
  std::string Name() const override { return "clock_skew"; }
  std::string Summary() const override {
    return "processes' wall clocks run `offset` off until heal (libfaketime; not etcd)";
  }
  TargetUse Targets() const override { return TargetUse::kSeveral; }
  std::shared_ptr<const FaultParams> Read(FaultReadContext& r) const override { return ReadClock(r, false); }
  std::string Misfit(const Topology& t, const FaultSpec& f, const std::vector<const HostSpec*>& c) const override {
    return ClockMisfit(t, f, c);
  }
  std::string WhyNot(FaultEnv& env, const ResolvedFault& f) const override { return WhyNoClock(env, f); }
  Injection Inject(FaultEnv& env, const ResolvedFault& f) const override {
    const auto* p = ParamsOf<ClockParams>(f.spec);
    return InjectClock(env, f, p ? p->offset_s : 0);
  }
  bool MayFailOver(const FaultSpec&) const override { return false; }
  std::vector<std::string> MovesClocks(const FaultSpec& f) const override { return ClockProcesses(f); }
};

}  // namespace

const FaultType* ClockSkewFault() {
  static const ClockSkew kType;
  return &kType;
}

}  // namespace pgha
