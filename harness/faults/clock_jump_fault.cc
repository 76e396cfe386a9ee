// clock_jump: the wall clock of the named processes of a host steps by
// `offset` at the step (an operator or a broken NTP stepping it: a 5-minute
// rollback is patroni#3560), and steps back at heal; monotonic clocks
// untouched (faults/clock_faults.h). Not meant to fail over.
#include "faults/clock_faults.h"

namespace pgha {
namespace {

class ClockJump : public FaultType {
 public:
  std::string Name() const override { return "clock_jump"; }
  std::string Summary() const override {
    return "processes' wall clocks step by `offset` (e.g. -5m), back at heal (libfaketime; not etcd)";
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

const FaultType* ClockJumpFault() {
  static const ClockJump kType;
  return &kType;
}

}  // namespace pgha
