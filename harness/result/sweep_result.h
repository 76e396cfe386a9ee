// A sweep's result (`pgha-chaos sweep`): one row per combination of the
// settings swept, with the scenario's failover time over its trials, the
// runs that lost writes or had two primaries, the no-fault control's false
// failovers and failed writes, and whether the row is on the frontier:
// among the combinations with a clean control (no leader change, no failed
// write), those no other beats on both the median failover time and the
// runs that lost writes. MarkFrontier is pure; to/from JSON for sweep.json.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "check/stats.h"

namespace pgha {

struct SweepRow {
  std::vector<std::pair<std::string, std::string>> settings;  // "patroni.ttl" -> "5s"
  std::string label;                                          // "ttl=5s loop_wait=1s"
  std::string folder;                                         // relative to the sweep's output folder
  std::string skipped;                                        // why the combination was not run, or ""
  std::string runs_as;  // what the Patroni that ran changed of it ("Patroni 3.2.0 runs ttl 20s (...)"), or ""
  int runs = 0;
  Distribution failover;     // seconds, runs whose writes came back
  int unrecovered_runs = 0;  // runs whose writes never came back after the fault
  int lost_runs = 0, split_runs = 0;
  int exit_code = 0;
  std::optional<int> control_leader_changes;
  std::optional<int64_t> control_failed_writes;
  // Runs in which no step was meant to fail over (a slow-node or clock
  // scenario's, and the control), and of those the runs that lost or
  // changed their leader all the same: false failovers.
  int false_failover_judged = 0, false_failover_runs = 0;
  double FalseFailoverRate() const {
    return false_failover_judged ? static_cast<double>(false_failover_runs) / false_failover_judged : 0;
  }
  bool frontier = false;
  bool CleanControl() const {
    return control_leader_changes && *control_leader_changes == 0 && control_failed_writes &&
           *control_failed_writes == 0;
  }
};

struct SweepResult {
  std::string scenario;
  std::vector<std::string> axes;  // settings in --set order
  std::vector<SweepRow> rows;
  int trials = 1;
  double control_s = 0;
  bool partial = false;  // Ctrl-C or a deadline cut it short
};

void MarkFrontier(SweepResult* s);
nlohmann::json SweepToJson(const SweepResult& s);

}  // namespace pgha
