// RunSweep: every point of a sweep's grid (scenario/sweep.h): the scenario
// `trials` times (run/trials.h) into <output>/<NN>/<scenario>, then, when
// `control` is set, the point's no-fault control into <NN>/control; a
// point that breaks Patroni's timing rule is listed as skipped and not
// run. Ctrl-C or the sweep's deadline stops it between runs, with the rows
// done so far (partial). Not thread-safe: the runner's thread.
#pragma once

#include <functional>
#include <string>

#include "result/sweep_result.h"
#include "run/runner.h"
#include "scenario/sweep.h"

namespace pgha {

struct SweepOptions {
  int trials = 3;
  Duration control = std::chrono::seconds(60);  // 0: no control runs
  Duration deadline = std::chrono::hours(6);    // the whole sweep
  std::function<void(const SweepRow&)> on_row;  // after each point; may be empty
};

SweepResult RunSweep(Runner& runner, Clock& clock, const std::vector<SweepPoint>& points, const RunOptions& base,
                     const SweepOptions& o);

}  // namespace pgha
