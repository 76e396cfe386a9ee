// What cpu_throttle and memory_pressure share (internal to faults/): the
// processes a limit holds (service kinds, postgres, or the whole host),
// and the inject that moves them under a HostResources limit with the
// undo that reads what the limit did (journalled as a note: throttled
// periods, reclaims, OOM kills) and lifts it.
#pragma once

#include <string>
#include <vector>

#include "faults/fault_type.h"

namespace pgha {

struct LimitParams : FaultParams {
  std::vector<std::string> processes;  // service kinds, postgres, or host (every process of it)
  ResourceLimit limit;
  std::string Describe() const override;
};

// Reads `processes` (default [host]) into p.
void ReadLimitedProcesses(FaultReadContext& r, LimitParams* p);

// What the three kinds do alike: several targets, where they fit and can
// run, the inject, and no failover meant. A kind reads its own limit.
class LimitFault : public FaultType {
 public:
  TargetUse Targets() const override { return TargetUse::kSeveral; }
  std::string Misfit(const Topology& t, const FaultSpec& f,
                     const std::vector<const HostSpec*>& candidates) const override;
  std::string WhyNot(FaultEnv& env, const ResolvedFault& f) const override;
  Injection Inject(FaultEnv& env, const ResolvedFault& f) const override;
  bool MayFailOver(const FaultSpec&) const override { return false; }
};
// What a limit did, in words ("throttled in 287 of 300 periods ...").
std::string DescribeUsage(const ResourceLimit& limit, const LimitUsage& u);

}  // namespace pgha
