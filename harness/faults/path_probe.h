// Measuring a network path from one host (internal to faults/): TCP
// connect round trips run on the host by `pgha-chaos tcp-probe` through
// HostShell, so the fault's own rules act on them. Needs a provider whose
// hosts run this machine's programs (Provider::RunsLocalPrograms).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "faults/fault_type.h"

namespace pgha {

struct PathSamples {
  std::vector<double> rtt_ms;  // the attempts that completed
  int timeouts = 0;
  double Percentile(double p) const;  // 0 when there is no sample
};

Result<PathSamples> ProbePath(FaultEnv& env, const HostPlan& from, const std::string& address, int port, int count,
                              Duration timeout);
// For a fault that cuts `from` off `to`: TCP connects from one to the other
// (`port`, or a port of `to`), none of which may complete. Appended to
// in->effects as "reachable_percent", asked 0 with no tolerance; where the
// hosts run no probe of ours (or in a dry run) nothing is measured and the detail says so.
void MeasureCut(FaultEnv& env, const std::string& fault_id, const HostPlan& from, const HostPlan& to, int port,
                Injection* in);
// A port to aim a probe at on `host` (a refused port answers too): its first service port, else 9.
int ProbePort(const HostPlan& host);

}  // namespace pgha
