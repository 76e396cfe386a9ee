// What kill, stop and pause share (internal to faults/): the `processes`
// parameter and the signalling of a host's processes through
// ServiceControl, with the undo that restarts or continues them.
#pragma once

#include <string>
#include <vector>

#include "faults/fault_type.h"

namespace pgha {

struct ProcessParams : FaultParams {
  std::vector<std::string> processes;  // a service kind, postgres, or (pause only) host
  std::string Describe() const override;
};

// Reads `processes`; `whole_host` lets it name "host".
std::shared_ptr<const FaultParams> ReadProcesses(FaultReadContext& r, const std::string& kind, bool whole_host);
// A named process that no candidate host runs, as a reason; "" when every one is run somewhere.
std::string ProcessMisfit(const Topology& t, const FaultSpec& f, const std::vector<const HostSpec*>& candidates);
// Sends `sig` to the named processes of every target host ("host": freezes it).
Injection SignalProcesses(FaultEnv& env, const ResolvedFault& f, int sig);
// Whether the fault acts on the primary's `process`.
bool OnPrimary(const FaultSpec& f, const std::string& process);

}  // namespace pgha
