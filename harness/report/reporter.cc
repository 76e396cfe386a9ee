#include "report/reporter.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/files.h"
#include "report/html.h"
#include "report/junit.h"
#include "result/result_json.h"
#include "result/trial_set.h"

namespace pgha {

namespace {
std::vector<const ScenarioResult*> Pointers(const std::vector<SharedResult>& results) {
  std::vector<const ScenarioResult*> all;
  for (const auto& r : results) all.push_back(r.get());
  return all;
}
}  // namespace

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
  return WriteFileAtomic(output_dir + "/junit.xml", RenderJUnit(Pointers(results_), baseline_ ? &*baseline_ : nullptr));
}

Status HtmlReporter::Finish(const std::string& output_dir) {
  std::vector<HtmlScenario> pages;
  for (size_t i = 0; i < results_.size(); ++i) pages.push_back({results_[i].get(), folders_[i]});
  return WriteFileAtomic(output_dir + "/report.html", RenderHtml(pages, baseline_ ? &*baseline_ : nullptr));
}

Status AppendStepSummary(const std::string& path, const SummaryOptions& options,
                         const std::function<std::string(const SummaryOptions&)>& render) {
  std::error_code ec;
  const auto used = std::filesystem::exists(path, ec) ? std::filesystem::file_size(path, ec) : 0;
  SummaryOptions o = options;
  o.max_bytes = ec || used >= o.max_bytes ? 0 : o.max_bytes - used;
  if (o.max_bytes < 1024) return Status::Ok();  // the step's summary is full: GitHub would refuse the whole file
  return AppendToFile(path, render(o));
}

Status MarkdownSummaryReporter::Finish(const std::string&) {
  return AppendStepSummary(path_, options_,
                           [&](const SummaryOptions& o) { return RenderMarkdownSummary(Pointers(results_), o); });
}

Status GithubAnnotationsReporter::Finish(const std::string&) {
  print_(RenderGithubAnnotations(Pointers(results_)));
  return Status::Ok();
}

Status JsonReporter::ScenarioDone(const SharedResult& r, const std::string& folder) {
  folders_.push_back(folder);
  return r->trials ? WriteTrialsJson(*r, r->output_dir) : WriteResultFiles(*r);
}

Status JsonReporter::Finish(const std::string& output_dir) {
  nlohmann::json run = {{"format", 1}, {"scenarios", folders_}};
  if (shard_count_ > 1) run["shard"] = {{"index", shard_index_}, {"count", shard_count_}, {"all", all_}};
  return WriteFileAtomic(output_dir + "/run.json", run.dump(2) + "\n");
}

}  // namespace pgha
