// kill: SIGKILL of the named processes of a host (a service's daemon, or
// postgres: the postmaster of the host's data directory and its children);
// heal starts the killed daemons again (Patroni brings PostgreSQL back).
#include <signal.h>

#include "faults/signal_faults.h"

namespace pgha {
namespace {

class Kill : public FaultType {
 public:
  std::string Name() const override { return "kill"; }
  std::string Summary() const override { return "SIGKILL of processes on a host; heal restarts them"; }
  TargetUse Targets() const override { return TargetUse::kSeveral; }
  std::shared_ptr<const FaultParams> Read(FaultReadContext& r) const override {
    return ReadProcesses(r, Name(), false);
  }
  std::string Misfit(const Topology& t, const FaultSpec& f, const std::vector<const HostSpec*>& c) const override {
    return ProcessMisfit(t, f, c);
  }
  Injection Inject(FaultEnv& env, const ResolvedFault& f) const override { return SignalProcesses(env, f, SIGKILL); }
  std::optional<FailureClass> Predicts(const FaultSpec& f) const override {
    if (OnPrimary(f, "patroni")) return FailureClass::kProcessKill;
    return std::nullopt;
  }
};

}  // namespace

const FaultType* KillFault() {
  static const Kill kType;
  return &kType;
}

}  // namespace pgha
