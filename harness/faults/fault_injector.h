// FaultInjector: applies and heals the faults of a scenario on a running
// cluster, through the Provider's host interfaces, so the same faults work
// on every provider. What a fault does is its kind's (faults/registry.h:
// one file per kind); the injector keeps each injected fault's undo and
// runs it on heal. The runner resolves targets to host names and journals
// each fault before calling Inject (leveldb's fault-injection habit: the
// record comes first).
//
// Heal is idempotent; HealAll heals every active fault, newest first.
// After every heal, a host that its emulated watchdog fenced meanwhile
// "reboots": every service of it that is not running starts again.
// Not thread-safe: the runner's thread only.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "faults/fault_type.h"

namespace pgha {

class FaultInjector {
 public:
  explicit FaultInjector(FaultEnv env) : env_(std::move(env)) {}

  // "" when the fault can be injected here, else why not (reported as skipped).
  std::string Check(const ResolvedFault& f);
  // Returns what was done, e.g. "SIGKILL patroni on node1 (pids 4242); ...";
  // what the fault measured of itself is added to `effects`.
  Result<std::string> Inject(const ResolvedFault& f, std::vector<FaultEffect>* effects = nullptr);
  Status Heal(const std::string& id);
  Status HealAll();
  std::vector<std::string> ActiveIds() const;

 private:
  FaultEnv env_;
  std::vector<std::string> order_;
  std::map<std::string, FaultUndo> active_;
};

// Starts every service of a host its emulated watchdog fenced, and says so through env.note.
Status RebootFencedHosts(FaultEnv& env);

}  // namespace pgha
