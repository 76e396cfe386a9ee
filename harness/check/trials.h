// Trials: one scenario run several times, each on a fresh cluster, judged
// as a whole. Each target is held against every run's verdict for it,
// by the target's aggregate (check/expectation.h):
//   worst       every run must meet it; the worst run is the measurement
//   percentile  the runs' pNN must meet it (a run that never recovered
//               counts as the worst possible value)
//   rate        at least K/N of the runs must meet it ("0 in 9 of 10")
// A run whose verdict is an error makes the target an error (the harness
// or the machine broke, so the sample is not trustworthy); skipped runs
// are left out, and a target no run could judge is skipped. The verdict
// says how many runs met it. Pure.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "check/measurements.h"
#include "check/stats.h"
#include "check/verdict.h"

namespace pgha {

// `runs[i]` are run i's verdicts, one per expectation in order.
std::vector<Verdict> JudgeTrials(const std::vector<Expectation>& expectations,
                                 const std::vector<std::vector<Verdict>>& runs);

// Each metric's values over the runs (durations in seconds), for the
// reports, and the rates of runs that lost writes or had two primaries.
struct TrialStatistics {
  std::map<std::string, Distribution> metrics;  // failover_time, recovery_time, lost_writes, split_brain, ...
  RateEstimate runs_with_lost_writes;
  RateEstimate runs_with_split_brain;
  RateEstimate runs_losing_leadership;  // false failovers where no step was meant to fail over
};
TrialStatistics SummarizeTrials(const std::vector<Measurements>& runs);

// "p95 4.9s (10 runs: min 4.6, median 4.9, p95 5.4, max 5.5); 10 of 10 met < 6s"
std::string DescribeTrialVerdict(const Verdict& v, bool duration);

}  // namespace pgha
