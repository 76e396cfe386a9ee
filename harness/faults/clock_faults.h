// What clock_skew, clock_jump and clock_strobe share (internal to faults/):
// `processes` (patroni, postgres, haproxy, pgbouncer; etcd is Go and is
// skipped with the reason), `offset` ("-5m", "+30s"), and the inject that
// rewrites each process's clock file on the target hosts
// (services/faked_clock.h), journals the offset (a "clock" remark the
// checker subtracts from that server's times), and measures Patroni's
// clock through its REST API's Date header. Heal writes "+0" back.
//
// The clock files are this machine's files: clock faults need a provider
// whose hosts run this machine's programs (Provider::RunsLocalPrograms),
// since the preload is ours; elsewhere they are skipped with the reason.
#pragma once

#include <string>
#include <vector>

#include "faults/fault_type.h"

namespace pgha {

struct ClockParams : FaultParams {
  std::vector<std::string> processes;
  double offset_s = 0;
  Duration period{};  // clock_strobe: how long each of the two clocks lasts
  std::string Describe() const override;
};

// What the clock kinds do alike: `processes` and `offset` read, several
// targets, where they fit and can run, no failover meant, and the
// processes they move (ClusterPlan::faked_clocks).
class ClockFault : public FaultType {
 public:
  TargetUse Targets() const override { return TargetUse::kSeveral; }
  std::shared_ptr<const FaultParams> Read(FaultReadContext& r) const override;
  std::string Misfit(const Topology& t, const FaultSpec& f,
                     const std::vector<const HostSpec*>& candidates) const override;
  std::string WhyNot(FaultEnv& env, const ResolvedFault& f) const override;
  bool MayFailOver(const FaultSpec&) const override { return false; }
  std::vector<std::string> MovesClocks(const FaultSpec& f) const override;
};

// A clock set `offset` off at the step and set right at heal (clock_skew,
// clock_jump: one behaviour, two names for the incidents users report).
class ClockStepFault : public ClockFault {
 public:
  ClockStepFault(std::string name, std::string summary) : name_(std::move(name)), summary_(std::move(summary)) {}
  std::string Name() const override { return name_; }
  std::string Summary() const override { return summary_; }
  Injection Inject(FaultEnv& env, const ResolvedFault& f) const override;

 private:
  std::string name_, summary_;
};

// A clock flipped between `offset` and the real time every `period` until heal.
class ClockStrobeFaultType : public ClockFault {
 public:
  std::string Name() const override { return "clock_strobe"; }
  std::string Summary() const override {
    return "processes' wall clocks flip between `offset` and the real time every `period` until heal";
  }
  std::shared_ptr<const FaultParams> Read(FaultReadContext& r) const override;
  Injection Inject(FaultEnv& env, const ResolvedFault& f) const override;
};

}  // namespace pgha
