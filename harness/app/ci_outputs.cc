#include "app/ci_outputs.h"

#include <fmt/format.h>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace pgha {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace

std::string CiRunUrl() {
  const std::string server = Env("GITHUB_SERVER_URL"), repo = Env("GITHUB_REPOSITORY"), run = Env("GITHUB_RUN_ID");
  if (server.empty() || repo.empty() || run.empty()) return "";
  return server + "/" + repo + "/actions/runs/" + run;
}

std::string SummaryPath(const CiOutputOptions& o) { return o.summary.empty() ? Env("GITHUB_STEP_SUMMARY") : o.summary; }

Status CheckCiOutputs(const CiOutputOptions& o) {
  if (!o.annotations.empty() && o.annotations != "github")
    return InvalidInput("--annotations " + o.annotations + ": the one format is github (--annotations github)");
  const std::string path = SummaryPath(o);
  if (path.empty()) return Status::Ok();
  // Asked without making the file: bad input found later leaves nothing behind.
  return CheckWritableFile(path, o.summary.empty() ? "$GITHUB_STEP_SUMMARY" : "--summary");
}

void AddCiReporters(const CiOutputOptions& o, const std::string& results_dir,
                    std::vector<std::unique_ptr<Reporter>>* reporters) {
  if (const std::string path = SummaryPath(o); !path.empty()) {
    SummaryOptions so;
    so.results_dir = results_dir;
    so.artifacts_url = CiRunUrl();
    reporters->push_back(std::make_unique<MarkdownSummaryReporter>(path, so));
  }
  if (o.annotations == "github")
    reporters->push_back(std::make_unique<GithubAnnotationsReporter>([](const std::string& text) {
      std::fputs(text.c_str(), stdout);
      std::fflush(stdout);
    }));
}

}  // namespace pgha
