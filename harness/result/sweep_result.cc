#include "result/sweep_result.h"

namespace pgha {

void MarkFrontier(SweepResult* s) {
  auto candidate = [](const SweepRow& r) {
    return r.skipped.empty() && r.failover.n > 0 && r.unrecovered_runs == 0 && r.CleanControl();
  };
  for (auto& row : s->rows) {
    row.frontier = false;
    if (!candidate(row)) continue;
    bool beaten = false;
    for (const auto& other : s->rows) {
      if (&other == &row || !candidate(other)) continue;
      const bool no_worse = other.failover.median <= row.failover.median && other.lost_runs <= row.lost_runs &&
                            other.FalseFailoverRate() <= row.FalseFailoverRate();
      const bool better = other.failover.median < row.failover.median || other.lost_runs < row.lost_runs ||
                          other.FalseFailoverRate() < row.FalseFailoverRate();
      beaten |= no_worse && better;
    }
    row.frontier = !beaten;
  }
}

nlohmann::json SweepToJson(const SweepResult& s) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : s.rows) {
    nlohmann::json settings = nlohmann::json::object();
    for (const auto& [k, v] : r.settings) settings[k] = v;
    rows.push_back({{"settings", settings},
                    {"folder", r.folder},
                    {"skipped", r.skipped},
                    {"runs_as", r.runs_as},
                    {"runs", r.runs},
                    {"failover_s",
                     {{"n", r.failover.n},
                      {"min", r.failover.min},
                      {"median", r.failover.median},
                      {"p95", r.failover.p95},
                      {"max", r.failover.max},
                      {"values", r.failover.values}}},
                    {"runs_never_recovered", r.unrecovered_runs},
                    {"runs_with_lost_writes", r.lost_runs},
                    {"runs_with_split_brain", r.split_runs},
                    {"exit_code", r.exit_code},
                    {"control_leader_changes",
                     r.control_leader_changes ? nlohmann::json(*r.control_leader_changes) : nlohmann::json(nullptr)},
                    {"false_failover_runs", r.false_failover_runs},
                    {"false_failover_judged", r.false_failover_judged},
                    {"control_failed_writes",
                     r.control_failed_writes ? nlohmann::json(*r.control_failed_writes) : nlohmann::json(nullptr)},
                    {"frontier", r.frontier}});
  }
  return {{"format", 1},        {"scenario", s.scenario},   {"axes", s.axes},
          {"trials", s.trials}, {"control_s", s.control_s}, {"partial", s.partial},
          {"rows", rows}};
}

}  // namespace pgha
