// clock_strobe: the wall clock of the named processes of a host flips
// between `offset` and the real time every `period` until heal (a clock
// source that keeps jumping back and forth); monotonic clocks untouched
// (faults/clock_faults.h). Not meant to fail over.
#include "faults/clock_faults.h"

namespace pgha {
namespace {

class ClockStrobe : public FaultType {
 public:
  std::string Name() const override { return "clock_strobe"; }
  std::string Summary() const override {
    return "processes' wall clocks flip between `offset` and the real time every `period` until heal";
  }
  TargetUse Targets() const override { return TargetUse::kSeveral; }
  std::shared_ptr<const FaultParams> Read(FaultReadContext& r) const override { return ReadClock(r, true); }
  std::string Misfit(const Topology& t, const FaultSpec& f, const std::vector<const HostSpec*>& c) const override {
    return ClockMisfit(t, f, c);
  }
  std::string WhyNot(FaultEnv& env, const ResolvedFault& f) const override { return WhyNoClock(env, f); }
  Injection Inject(FaultEnv& env, const ResolvedFault& f) const override { return InjectClockStrobe(env, f); }
  bool MayFailOver(const FaultSpec&) const override { return false; }
  std::vector<std::string> MovesClocks(const FaultSpec& f) const override { return ClockProcesses(f); }
};

}  // namespace

const FaultType* ClockStrobeFault() {
  static const ClockStrobe kType;
  return &kType;
}

}  // namespace pgha
