// What a CI job shows of a run, in the forms CI systems read (pure):
//  - a Markdown summary, as GitHub Actions shows from $GITHUB_STEP_SUMMARY
//    (or any Markdown viewer): the verdict first, then one row per scenario
//    (failures, errors and skipped scenarios before passes) with its key
//    figures against its targets, the reasons of every miss with the file
//    and line of the target, and where the artefacts are. GitHub refuses a
//    step summary over 1 MiB, so the text is cut to `max_bytes` whole
//    lines, with a note saying how many were left out;
//  - GitHub workflow annotations ("::error file=F,line=N,title=T::message")
//    for missed targets and broken runs, the most important first (two
//    primaries, then lost data, then broken runs, then the rest). GitHub
//    shows at most 10 of a kind per step and drops the others silently, so
//    at most `per_kind` are printed and one notice counts the rest.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "result/result.h"

namespace pgha {

struct SummaryOptions {
  std::string results_dir;    // the run's results folder, as the user named it
  std::string artifacts_url;  // "" or where the CI run keeps the folder (a link)
  size_t max_bytes = 1 << 20;
};
std::string RenderMarkdownSummary(const std::vector<const ScenarioResult*>& results, const SummaryOptions& o);

// One workflow command per line; "" when nothing missed.
std::string RenderGithubAnnotations(const std::vector<const ScenarioResult*>& results, size_t per_kind = 10);

// head + as many of `lines` as fit, whole and in order, + tail, within
// max_bytes; when some are left out, a note counting them and saying
// where everything is.
std::string FitMarkdown(const std::string& head, const std::vector<std::string>& lines, const std::string& tail,
                        size_t max_bytes, const std::string& where_all_is);

// Text safe inside a Markdown table cell: one line, no pipes, no HTML.
std::string MarkdownCell(const std::string& text);

}  // namespace pgha
