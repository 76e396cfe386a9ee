#include "report/reporter.h"

#include <nlohmann/json.hpp>

#include "core/files.h"
#include "report/html.h"
#include "report/junit.h"
#include "result/result_json.h"
#include "result/trial_set.h"

namespace pgha {

Status JUnitReporter::ScenarioDone(const ScenarioResult& r, const std::string&) {
  results_.push_back(r);
  results_.back().history.ops.clear();  // JUnit needs none of it
  results_.back().history.observer.clear();
  return Status::Ok();
}

Status JUnitReporter::BaselineCompared(const BaselineComparison& b) {
  baseline_ = b;
  return Status::Ok();
}

Status JUnitReporter::Finish(const std::string& output_dir) {
  return WriteFileAtomic(output_dir + "/junit.xml", RenderJUnit(results_, baseline_ ? &*baseline_ : nullptr));
}

Status HtmlReporter::BaselineCompared(const BaselineComparison& b) {
  baseline_ = b;
  return Status::Ok();
}

Status HtmlReporter::ScenarioDone(const ScenarioResult& r, const std::string& folder) {
  results_.push_back(r);
  folders_.push_back(folder);
  return Status::Ok();
}

Status HtmlReporter::Finish(const std::string& output_dir) {
  std::vector<HtmlScenario> pages;
  for (size_t i = 0; i < results_.size(); ++i) pages.push_back({&results_[i], folders_[i]});
  return WriteFileAtomic(output_dir + "/report.html", RenderHtml(pages, baseline_ ? &*baseline_ : nullptr));
}

Status JsonReporter::ScenarioDone(const ScenarioResult& r, const std::string& folder) {
  folders_.push_back(folder);
  return r.trials ? WriteTrialsJson(r, r.output_dir) : WriteResultFiles(r);
}

Status JsonReporter::Finish(const std::string& output_dir) {
  return WriteFileAtomic(output_dir + "/run.json",
                         nlohmann::json{{"format", 1}, {"scenarios", folders_}}.dump(2) + "\n");
}

}  // namespace pgha
