// Verdicts: a scenario's expectations held against a run's measurements
// (over several runs: check/trials.h).
// Judge is pure; each metric's reading comes from the one metric table
// (check/metrics.h), so adding a metric is one entry there.
//
// A verdict is pass, fail (the cluster missed the target), error (the
// harness or infrastructure broke, or the metric could not be read) or
// skipped (with the reason). When every fault of a run was skipped, every
// target is skipped: a run that injected nothing proves nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "check/expectation.h"
#include "check/measurements.h"
#include "model/fault_effect.h"

namespace pgha {

enum class VerdictStatus { kPass, kFail, kError, kSkipped };

struct Verdict {
  Expectation expectation;
  VerdictStatus status = VerdictStatus::kError;
  std::optional<double> measured;
  std::string measured_text;  // "9.84s", "0", "not recovered before the run ended"
  std::string reason;         // for fail, error and skipped
  // Over several runs (check/trials.h): how many were judged and met the
  // target's comparison, and each run's value (nullopt: none was read).
  int runs = 1;
  int runs_met = 0;
  std::vector<std::optional<double>> run_values;
};

struct RunFacts {
  std::string infrastructure_error;         // the run broke: every verdict is an error
  std::vector<std::string> skipped_faults;  // "latency: this kernel has no sch_netem"
  std::vector<FaultEffect> fault_effects;   // what faults measured of themselves
  // The scenario cannot run on the topology it was given (run --topology):
  // nothing was started and every verdict is skipped with this reason.
  std::string not_applicable;
  // The step after which a leader change is expected ("kill f1",
  // "switchover"); "" when every loss of leadership is a false failover.
  std::string failover_expected_by = "";
  // false for a result written before leadership losses were counted.
  bool false_failovers_counted = true;
};

std::vector<Verdict> Judge(const std::vector<Expectation>& expectations, const Measurements& m, const RunFacts& facts);
std::string VerdictName(VerdictStatus s);
// The first fault effect outside its tolerance, in words; "" when every one is within.
std::string FaultEffectError(const RunFacts& facts);
// nullopt for a name that is not a verdict.
std::optional<VerdictStatus> VerdictFromName(const std::string& name);

}  // namespace pgha
