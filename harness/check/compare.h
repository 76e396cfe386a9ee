// Compare: a run against a baseline run (`run --baseline DIR`, `pgha-chaos
// compare A B`): did a change make the cluster worse? Per scenario:
//   failover_time, recovery_time  worse when the new value (a trial set's
//       median) exceeds the baseline's (its median) by more than the noise:
//       the larger of the baseline's own spread (max - min over its runs)
//       and the tolerance (default 20 % of the baseline, at least 0.5 s)
//   lost_writes      a regression when the baseline lost none and now some were lost
//   split_brain      a regression when the baseline had none and now there was some
//   each target      a regression when it passed in the baseline and fails now
// Better and unchanged metrics are listed too. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "check/measurements.h"
#include "check/stats.h"
#include "check/verdict.h"
#include "core/status.h"

namespace pgha {

struct Tolerance {
  double relative = 0.2;  // of the baseline's value
  double absolute_s = 0;  // when set, instead of the relative one
  double floor_s = 0.5;   // never less than this
  double For(double baseline_s) const;
};
// "20%" or "1.5s"; "" gives the default.
Result<Tolerance> ParseTolerance(const std::string& text);

// A scenario's numbers, one run or many (for comparing).
struct Sample {
  std::vector<double> failover_s, recovery_s;
  int lost_runs = 0, split_runs = 0, runs = 0;
  int64_t lost_writes = 0;
  double split_brain_s = 0;
  std::vector<Verdict> verdicts;
};
Sample SampleOf(const std::vector<Measurements>& runs, const std::vector<Verdict>& verdicts);

struct Compared {
  std::string what;      // "failover_time", "lost_writes", "target failover_time < 8s"
  std::string baseline;  // as shown
  std::string now;
  bool regression = false;
  std::string why;
};

std::vector<Compared> CompareSamples(const Sample& baseline, const Sample& now, const Tolerance& t);

}  // namespace pgha
