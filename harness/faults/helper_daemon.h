// Daemons of ours that a fault starts on a host (internal to faults/):
// the packet engine. Started through HostShell::StartDaemon (recorded in
// the manifest first, so teardown and `cleanup` end them too).
#pragma once

#include <string>

#include "faults/fault_type.h"

namespace pgha {

// Waits (5 s at most) until the daemon's log has a line starting "ready"; an early exit fails with its log.
Status WaitReady(FaultEnv& env, const HostPlan& host, const std::string& label, const std::string& log_file);
// SIGTERM to the daemon `label` on the host, SIGKILL after 3 s; done when it is gone (or was).
Status StopDaemon(FaultEnv& env, const std::string& host_name, const std::string& label);

}  // namespace pgha
