// Reporter: one event interface, several reporters (after Catch2): each is
// told when a scenario is done and writes its files when the run is
// finished. JUnit (junit.xml, for CI gates), HTML (report.html, for
// sign-off) and JSON (each scenario's result files and run.json) implement
// it; the console's verdict tables are app/'s presentation. A reporter's
// failure to write is a Status; the run's exit code then says 3.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "result/baseline.h"
#include "result/result.h"

namespace pgha {

class Reporter {
 public:
  virtual ~Reporter() = default;
  // `folder`: the scenario's folder, relative to the run's output folder.
  virtual Status ScenarioDone(const ScenarioResult& r, const std::string& folder) = 0;
  // The run held against a baseline (run --baseline), before Finish.
  virtual Status BaselineCompared(const BaselineComparison&) { return Status::Ok(); }
  virtual Status Finish(const std::string& output_dir) = 0;
};

// junit.xml in the output folder (junit.h).
class JUnitReporter : public Reporter {
 public:
  Status ScenarioDone(const ScenarioResult& r, const std::string& folder) override;
  Status BaselineCompared(const BaselineComparison& b) override;
  Status Finish(const std::string& output_dir) override;

 private:
  std::vector<ScenarioResult> results_;
  std::optional<BaselineComparison> baseline_;
};

// report.html in the output folder (html.h).
class HtmlReporter : public Reporter {
 public:
  Status ScenarioDone(const ScenarioResult& r, const std::string& folder) override;
  Status BaselineCompared(const BaselineComparison& b) override;
  Status Finish(const std::string& output_dir) override;

 private:
  std::optional<BaselineComparison> baseline_;
  std::vector<ScenarioResult> results_;
  std::vector<std::string> folders_;
};

// Each scenario's result.json and history files in its own folder (as it is
// done; a trial set's trials.json, its runs being written as they end), and
// run.json (the folders in run order) at the end.
class JsonReporter : public Reporter {
 public:
  Status ScenarioDone(const ScenarioResult& r, const std::string& folder) override;
  Status Finish(const std::string& output_dir) override;

 private:
  std::vector<std::string> folders_;
};

}  // namespace pgha
