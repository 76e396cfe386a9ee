// Sharding a run across machines (run --shard I/N) and joining the shares
// again (pgha-chaos merge). A share is chosen from the whole run list by
// the scenarios' folder names, the same on every machine: without recorded
// durations every N-th scenario (I, I+N, ...); with an earlier results
// folder's durations, the longest first onto the share with the least so
// far (LPT), a scenario without a record counted at the median. Each
// share's run.json names its place and the whole list, so that merge can
// put the shares back in the list's order and say which one is missing.
// Pure, apart from reading durations and run.json files.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace pgha {

struct ShardSpec {
  int index = 1;  // 1-based
  int count = 1;
  bool active() const { return count > 1; }
};

// "2/3" into {2, 3}; an error names the form and the range.
Result<ShardSpec> ParseShard(const std::string& text);

// Share `s` of `folders` (indices into it, in the list's order).
std::vector<size_t> ShardIndices(const std::vector<std::string>& folders,
                                 const std::map<std::string, double>& durations, ShardSpec s);

// An earlier results folder's wall time per scenario folder (trial sets: all their runs).
std::map<std::string, double> RecordedDurations(const std::string& results_dir);

// What a share's run.json says of it; `all` empty for a run that was not sharded.
struct ShareRecord {
  std::string dir;
  std::vector<std::string> folders;  // its own, in order
  ShardSpec shard;
  std::vector<std::string> all;  // the whole list, in order
};
Result<ShareRecord> ReadShareRecord(const std::string& dir);

// The shares' folders in the whole list's order, each once; an error names
// a missing share, a share given twice, or shares of different runs.
Result<std::vector<std::pair<std::string, std::string>>> MergeOrder(const std::vector<ShareRecord>& shares);

}  // namespace pgha
