// DryRun: what a scenario would do to a cluster the harness did not build
// (`run --provider ssh --dry-run`), printed, with nothing run on its hosts.
// It makes the plan from the inventory, prints every step, and injects
// and heals every fault through a provider whose remote prints each
// command instead of sending it (providers/ssh_remote.h), so the lines
// are exactly what a real run would send. Role targets (primary, a
// replica) resolve from one read-only look at Patroni's REST API; when it
// does not answer, the role's first host stands in and the output says
// so. Waits, holds and the client workload are described, not run.
// Nothing is written on the hosts; the manifest lives in a temporary
// folder here and is gone afterwards.
#pragma once

#include <functional>
#include <string>

#include "run/runner.h"

namespace pgha {

Status DryRun(RunDeps d, const Scenario& scenario, const RunOptions& options,
              const std::function<void(const std::string&)>& print);

}  // namespace pgha
