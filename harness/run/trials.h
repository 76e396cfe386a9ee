// RunTrials: one scenario `trials` times, each on a fresh cluster with its
// own seed (result/trial_set.h: TrialSeed) and folder (<output>/trial-N),
// then combined into one result (CombineTrials). Each run's files are
// written as it ends, and `on_run` is told (for progress), so a run cut
// short by Ctrl-C or a deadline keeps what was done: the combined result
// is then partial (fewer runs than planned) and says so. One trial is a
// plain run. Not thread-safe: the runner's thread.
#pragma once

#include <functional>
#include <string>

#include "run/runner.h"

namespace pgha {

struct TrialOptions {
  int trials = 1;
  std::string folder;  // the set's folder relative to the run's output folder ("primary-kill")
  std::function<void(int index, const ScenarioResult& run)> on_run;  // after each run; may be empty
};

// `options.output_dir` is the set's folder; `options.seed` the set's seed.
ScenarioResult RunTrials(Runner& runner, const Scenario& scenario, const RunOptions& options, const TrialOptions& t);

}  // namespace pgha
