// Results folders read back, and a run held against a baseline run.
//   ResultFolders  the scenario folders of a results folder: itself, the
//                  list in its run.json, or every subfolder with a
//                  result.json or a trials.json
//   ReadEvaluated  one such folder (a single run or a trial set), every
//                  run evaluated again from its saved history
//   CompareWithBaseline  each scenario of a run against the baseline's
//                  folder of the same name (check/compare.h); a scenario
//                  the baseline lacks is listed, not a regression
// Pure apart from reading files.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "check/compare.h"
#include "result/result.h"

namespace pgha {

std::vector<std::string> ResultFolders(const std::string& dir);
Result<ScenarioResult> ReadEvaluated(const std::string& folder);

// A result's numbers for comparing (each run of a trial set).
Sample SampleOfResult(const ScenarioResult& r);

struct BaselineScenario {
  std::string name;  // the scenario's folder name
  bool in_baseline = true;
  std::vector<Compared> compared;
};

struct BaselineComparison {
  std::string baseline_dir;
  std::vector<BaselineScenario> scenarios;
  int Regressions() const;
};

// `now`: each scenario's folder name and its numbers (SampleOfResult).
Result<BaselineComparison> CompareWithBaseline(const std::string& baseline_dir,
                                               const std::vector<std::pair<std::string, Sample>>& now,
                                               const Tolerance& tolerance);

}  // namespace pgha
