// pause: SIGSTOP of the named processes of a host, or of the whole host
// ("host": everything but the emulated watchdog, which stands for hardware
// a frozen OS cannot stop); heal continues exactly what was stopped.
#include <signal.h>

#include "faults/signal_faults.h"

namespace pgha {
namespace {

class Pause : public FaultType {
 public:
  std::string Name() const override { return "pause"; }
  std::string Summary() const override { return "SIGSTOP of processes or a whole host; heal continues them"; }
  TargetUse Targets() const override { return TargetUse::kSeveral; }
  std::shared_ptr<const FaultParams> Read(FaultReadContext& r) const override { return ReadProcesses(r, Name(), true); }
  std::string Misfit(const Topology& t, const FaultSpec& f, const std::vector<const HostSpec*>& c) const override {
    return ProcessMisfit(t, f, c);
  }
  Injection Inject(FaultEnv& env, const ResolvedFault& f) const override { return SignalProcesses(env, f, SIGSTOP); }
  std::optional<FailureClass> Predicts(const FaultSpec& f) const override {
    if (OnPrimary(f, "host")) return FailureClass::kHostLoss;
    return std::nullopt;
  }
};

}  // namespace

const FaultType* PauseFault() {
  static const Pause kType;
  return &kType;
}

}  // namespace pgha
