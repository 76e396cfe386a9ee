#include "report/reporter.h"

#include <nlohmann/json.hpp>

#include "core/files.h"
#include "report/html.h"
#include "report/junit.h"
#include "result/result_json.h"

namespace pgha {

Status JUnitReporter::ScenarioDone(const ScenarioResult& r, const std::string&) {
  results_.push_back(r);
  results_.back().history.ops.clear();  // JUnit needs none of it
  results_.back().history.observer.clear();
  return Status::Ok();
}

Status JUnitReporter::Finish(const std::string& output_dir) {
  return WriteFileAtomic(output_dir + "/junit.xml", RenderJUnit(results_));
}

Status HtmlReporter::ScenarioDone(const ScenarioResult& r, const std::string& folder) {
  results_.push_back(r);
  folders_.push_back(folder);
  return Status::Ok();
}

Status HtmlReporter::Finish(const std::string& output_dir) {
  std::vector<HtmlScenario> pages;
  for (size_t i = 0; i < results_.size(); ++i) pages.push_back({&results_[i], folders_[i]});
  return WriteFileAtomic(output_dir + "/report.html", RenderHtml(pages));
}

Status JsonReporter::ScenarioDone(const ScenarioResult& r, const std::string& folder) {
  folders_.push_back(folder);
  return WriteResultFiles(r);
}

Status JsonReporter::Finish(const std::string& output_dir) {
  return WriteFileAtomic(output_dir + "/run.json",
                         nlohmann::json{{"format", 1}, {"scenarios", folders_}}.dump(2) + "\n");
}

}  // namespace pgha
