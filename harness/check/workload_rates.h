// The workload's own truth: the write and read rates it reached against the
// ones asked, over the steady stretch before the first fault (the whole run
// when there was none). A write rate more than 10 % short of the asked one
// is a warning that names the cause: writers that each wait for their
// write cannot send more than writers / p50 latency writes a second. Pure.
#pragma once

#include <optional>
#include <string>

#include "history/history.h"
#include "model/topology.h"

namespace pgha {

inline constexpr double kRateShortfall = 0.10;

struct WorkloadRates {
  bool known = false;                        // the settings said what was asked
  std::optional<double> asked_writes_per_s;  // unset for rate: max (as fast as the writers go)
  double achieved_writes_per_s = 0;
  double asked_reads_per_s = 0, achieved_reads_per_s = 0;
  double window_s = 0;        // the stretch measured
  bool before_fault = false;  // it ended at the first fault
  int writers = 0;
  double write_p50_s = 0;  // of the acknowledged writes in the stretch
  std::string warning;     // "" when the workload delivered what was asked
};

// `workload` is the result's settings group of that name (writers,
// rate_per_s, readers). Readers read every 200 ms each.
WorkloadRates CheckWorkloadRates(const History& h, const SettingGroup& workload);

// One line for people: "writes 79.8/s of 80/s asked, reads 5.0/s of 5.0/s
// (the 5.2 s before the first fault)"; "" when what was asked is unknown.
std::string DescribeRates(const WorkloadRates& r);

}  // namespace pgha
