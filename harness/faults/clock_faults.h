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

// Reads `processes` and `offset` (and `period` when `strobe`).
std::shared_ptr<const FaultParams> ReadClock(FaultReadContext& r, bool strobe);
std::string ClockMisfit(const Topology& t, const FaultSpec& f, const std::vector<const HostSpec*>& candidates);
std::string WhyNoClock(FaultEnv& env, const ResolvedFault& f);
// Sets every named process's clock on every target host `offset_s` off; the undo sets it back.
Injection InjectClock(FaultEnv& env, const ResolvedFault& f, double offset_s);
// Flips the clocks between `offset` and the real time every `period` until heal.
Injection InjectClockStrobe(FaultEnv& env, const ResolvedFault& f);
// The processes a clock fault moves (ClusterPlan::faked_clocks).
std::vector<std::string> ClockProcesses(const FaultSpec& f);

}  // namespace pgha
