// Step execution: one scenario step at a time (wait, hold, fault, heal,
// switchover, failover, restart, reinitialize, the planned operations of
// operations/registry.h) against a session, each returning a StepRecord;
// faults and operations are journaled before they are applied.
// Targets (primary, replica, etcd_leader, ...) resolve to host names when
// the step runs (targets.cc). Not thread-safe: the runner's thread.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "history/recorder.h"
#include "operations/operation_type.h"
#include "result/result.h"
#include "run/runner.h"
#include "run/session.h"
#include "scenario/scenario.h"

namespace pgha {

struct StepContext {
  const RunOptions& opt;
  RunDeps& d;
  Session& session;
  Recorder& rec;
  RunFacts& facts;
  std::mt19937_64 rng;
  TimePoint deadline;               // the run's; a step gives up when it passes
  std::string leader_before_fault;  // for `wait: new_primary`
  // Planned operations left standing (a pause, flipped tags), in the order
  // they were made, each under its key: the end of the run undoes them.
  std::vector<std::pair<std::string, OperationUndo>> standing;

  double Now() const { return static_cast<double>(rec.NowNs()) / 1e9; }
  bool Stopping() const;
  void Progress(const std::string& line) const;
  void Journal(JournalAction action, const std::string& id, const std::string& kind, const std::string& target,
               const std::string& detail) const;
};

StepRecord RunStep(StepContext& c, const Step& step);
// Undoes every planned operation left standing, newest first (the end of
// the run, before the final heal); "" or what failed.
std::string UndoStandingOperations(StepContext& c);
// Waits for a condition under `timeout` (also the end-of-run convergence).
StepRecord WaitFor(StepContext& c, WaitCondition condition, Duration timeout);

// Host names a target means right now (targets.cc).
Result<std::vector<std::string>> ResolveTarget(StepContext& c, const TargetSpec& t);
// Where a topology has a VIP: journals which host holds it (`when` says at
// what moment), so that a report can say whether it moved back.
void JournalVipHolder(StepContext& c, const std::string& when);

}  // namespace pgha
