#include "run/trials.h"

#include <fmt/format.h>

#include "core/cancel.h"
#include "result/result_json.h"
#include "result/trial_set.h"

namespace pgha {

ScenarioResult RunTrials(Runner& runner, const Scenario& scenario, const RunOptions& options, const TrialOptions& t) {
  if (t.trials <= 1) return runner.Run(scenario, options);
  std::vector<ScenarioResult> runs;
  std::vector<std::string> folders;
  for (int i = 0; i < t.trials && !CancelRequested(); ++i) {
    RunOptions one = options;
    one.seed = TrialSeed(options.seed, i);
    one.output_dir = fmt::format("{}/trial-{}", options.output_dir, i + 1);
    if (options.progress) options.progress(fmt::format("trial {}/{} (seed {})", i + 1, t.trials, one.seed));
    ScenarioResult r = runner.Run(scenario, one);
    if (Status s = WriteResultFiles(r); !s.ok())
      r.facts.infrastructure_error += (r.facts.infrastructure_error.empty() ? "" : "; ") + s.message();
    if (t.on_run) t.on_run(i, r);
    const bool cut = r.interrupted;
    runs.push_back(std::move(r));
    folders.push_back(fmt::format("{}/trial-{}", t.folder, i + 1));
    if (cut) break;
  }
  ScenarioResult set = CombineTrials(std::move(runs), folders, t.trials);
  set.output_dir = options.output_dir;
  set.seed = options.seed;  // the set's: each run's own is in its line
  return set;
}

}  // namespace pgha
