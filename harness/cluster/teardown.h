// Teardown: removes everything a manifest records, newest first, whatever
// state each entry is in (a "planned" entry may or may not exist: removal
// is idempotent and "already gone" counts as success).
//
// Processes go first: every recorded pid that is still the same process
// (start time matches) gets SIGKILL, then every pid left inside one of the
// run's own namespaces (all of them were started by the harness), and we
// wait, under a deadline, until none is left. Then mounts, iptables rules,
// links, namespaces and directories. Directories are only removed below
// `allowed_root`, a guard against a damaged manifest.
// Errors are collected, not thrown; what failed stays in the manifest so
// `pgha-chaos cleanup` can try again.
#pragma once

#include <string>
#include <vector>

#include "cluster/manifest.h"
#include "core/clock.h"
#include "core/process.h"

namespace pgha {

struct TeardownOptions {
  std::string allowed_root;                      // directories outside it are never removed
  Duration process_exit_deadline = std::chrono::seconds(5);
};

struct TeardownReport {
  int removed = 0;
  int processes_killed = 0;
  std::vector<std::string> errors;
  bool ok() const { return errors.empty(); }
};

TeardownReport Teardown(Manifest& manifest, ProcessRunner& runner, ProcessTable& table, Clock& clock,
                        const TeardownOptions& options);

// True when `ip` output says the thing is already gone.
bool IsAlreadyGone(const CommandResult& r);

}  // namespace pgha
