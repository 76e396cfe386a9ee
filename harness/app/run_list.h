// What one `run` runs: the scenario files, then each suite's scenarios,
// each with its results folder name (numbered when a name repeats), and,
// with --shard I/N, only this machine's share of them (result/shard.h),
// each keeping its place in the whole list (its seed is the run's seed
// plus that place, as in a run of the whole list).
#pragma once

#include <string>
#include <vector>

#include "app/commands.h"
#include "result/shard.h"
#include "scenario/scenario.h"

namespace pgha {

struct RunPlan {
  std::vector<Scenario> scenarios;  // this share's, in the list's order
  std::vector<std::string> folders;
  std::vector<size_t> places;    // each one's index in the whole list
  ShardSpec shard;               // inactive: the whole list
  std::vector<std::string> all;  // the whole list's folders
};

// `cluster`: an existing cluster's topology (ssh) that every scenario runs on as it is.
Result<RunPlan> LoadRunList(const GlobalOptions& g, const RunCommandOptions& o, const Topology* cluster);

}  // namespace pgha
