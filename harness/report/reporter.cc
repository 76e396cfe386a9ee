#include "report/reporter.h"

#include <nlohmann/json.hpp>

#include "core/files.h"
#include "report/html.h"
#include "report/junit.h"
#include "result/result_json.h"
#include "result/trial_set.h"

namespace pgha {

Status CumulativeReporter::ScenarioDone(const SharedResult& r, const std::string& folder) {
  results_.push_back(r);
  folders_.push_back(folder);
  return Status::Ok();
}

Status CumulativeReporter::BaselineCompared(const BaselineComparison& b) {
  baseline_ = b;
  return Status::Ok();
}

Status JUnitReporter::Finish(const std::string& output_dir) {
  std::vector<const ScenarioResult*> all;
  for (const auto& r : results_) all.push_back(r.get());
  return WriteFileAtomic(output_dir + "/junit.xml", RenderJUnit(all, baseline_ ? &*baseline_ : nullptr));
}

Status HtmlReporter::Finish(const std::string& output_dir) {
  std::vector<HtmlScenario> pages;
  for (size_t i = 0; i < results_.size(); ++i) pages.push_back({results_[i].get(), folders_[i]});
  return WriteFileAtomic(output_dir + "/report.html", RenderHtml(pages, baseline_ ? &*baseline_ : nullptr));
}

Status JsonReporter::ScenarioDone(const SharedResult& r, const std::string& folder) {
  folders_.push_back(folder);
  return r->trials ? WriteTrialsJson(*r, r->output_dir) : WriteResultFiles(*r);
}

Status JsonReporter::Finish(const std::string& output_dir) {
  return WriteFileAtomic(output_dir + "/run.json",
                         nlohmann::json{{"format", 1}, {"scenarios", folders_}}.dump(2) + "\n");
}

}  // namespace pgha
