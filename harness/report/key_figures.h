// A scenario's key figures as every summary shows them (the CI summary, the
// HTML report's first table): failover time, lost writes and split brain,
// each against its target where the scenario has one ("4.83s (< 8s ✓)"),
// and how many targets held; and the order a person signing off reads
// verdicts in: failures, errors, interruptions and skipped scenarios
// before passes. Pure.
#pragma once

#include <string>

#include "result/result.h"

namespace pgha {

struct KeyFigures {
  std::string failover;     // "4.83s (< 8s ✓)", "4.83s", or "–" when writes never came back
  std::string lost_writes;  // "0 (0 ✓)"
  std::string split_brain;  // "0.00s (0s ✓)"
  std::string targets;      // "3 of 4", or for a known bug whether its misses are the expected ones
};
KeyFigures KeyFiguresOf(const ScenarioResult& r);

// 0 fail, 1 error, 2 interrupted, 3 skipped, 4 pass (ScenarioResult::OverallVerdict).
int VerdictRank(const std::string& verdict);

}  // namespace pgha
