// stop: SIGTERM of the named processes of a host (a graceful stop: Patroni
// hands the leader key over or releases it); heal starts the stopped
// daemons again.
#include <signal.h>

#include "faults/signal_faults.h"

namespace pgha {
namespace {

class Stop : public FaultType {
 public:
  std::string Name() const override { return "stop"; }
  std::string Summary() const override { return "SIGTERM of processes on a host; heal restarts them"; }
  TargetUse Targets() const override { return TargetUse::kSeveral; }
  std::shared_ptr<const FaultParams> Read(FaultReadContext& r) const override {
    return ReadProcesses(r, Name(), false);
  }
  std::string Misfit(const Topology& t, const FaultSpec& f, const std::vector<const HostSpec*>& c) const override {
    return ProcessMisfit(t, f, c);
  }
  Injection Inject(FaultEnv& env, const ResolvedFault& f) const override { return SignalProcesses(env, f, SIGTERM); }
  std::optional<FailureClass> Predicts(const FaultSpec& f) const override {
    if (OnPrimary(f, "patroni")) return FailureClass::kGracefulStop;
    return std::nullopt;
  }
};

}  // namespace

const FaultType* StopFault() {
  static const Stop kType;
  return &kType;
}

}  // namespace pgha
