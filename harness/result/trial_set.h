// A trial set: one scenario run several times (run --trials N, or
// `trials:` in a scenario or suite), each run on a fresh cluster with its
// own seed and its own folder (<scenario>/trial-N, the files of a single
// run). CombineTrials makes one ScenarioResult of them for the reporters:
// the aggregated verdicts (check/trials.h), the statistics, every run's
// line, and, as the result's own history and measurements, the worst run
// (the longest failover, else the most lost writes), which the reports
// draw. trials.json in the set's folder lists the runs and the aggregate;
// `report` and `compare` read a set back through ReadTrialSet, evaluating
// each run again from its saved history. Pure apart from the file I/O of
// WriteTrialsJson and ReadTrialSet.
#pragma once

#include <string>
#include <vector>

#include "result/result.h"

namespace pgha {

// The seed of run `index` (0-based) of a set whose scenario got `seed`.
uint64_t TrialSeed(uint64_t seed, int index);

// `runs` evaluated; `folders` relative to the output folder, one per run;
// `planned` the trials asked for (more than runs: the set is partial).
ScenarioResult CombineTrials(std::vector<ScenarioResult> runs, const std::vector<std::string>& folders, int planned);

// <set folder>/trials.json: the runs, the aggregated verdicts and the statistics.
Status WriteTrialsJson(const ScenarioResult& set, const std::string& set_dir);
// A set folder written by `run` back into a combined result; each run
// read from its folder and evaluated again.
Result<ScenarioResult> ReadTrialSet(const std::string& set_dir);
bool IsTrialSet(const std::string& dir);

}  // namespace pgha
