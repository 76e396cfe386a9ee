// The reporters a CI job reads (report/ci_summary.h), from the command
// line and the CI's own environment: --summary FILE, else
// $GITHUB_STEP_SUMMARY when GitHub Actions set it; --annotations github;
// the CI run's page as the artefacts' link when GitHub's variables say
// where it is. Checked before anything starts: a summary file that cannot
// be written is bad input (exit 2).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/commands.h"
#include "core/status.h"
#include "report/reporter.h"

namespace pgha {

// The summary file to append to: `--summary`, else $GITHUB_STEP_SUMMARY, else "".
std::string SummaryPath(const CiOutputOptions& o);

// GitHub's run page, where the job's uploaded artefacts are listed, or "".
std::string CiRunUrl();

// An error naming the option and the fix, or Ok.
Status CheckCiOutputs(const CiOutputOptions& o);

// Adds the summary and annotation reporters `o` asks for.
void AddCiReporters(const CiOutputOptions& o, const std::string& results_dir,
                    std::vector<std::unique_ptr<Reporter>>* reporters);

}  // namespace pgha
