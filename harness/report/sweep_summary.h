// A sweep as a CI job shows it (sweep --summary, or $GITHUB_STEP_SUMMARY):
// Markdown with one row per combination of the swept settings, the fastest
// first (skipped ones last): its failover time over its runs, the runs
// that lost writes or had two primaries, its false failovers, the no-fault
// control's result and whether it is on the frontier; then where
// sweep.html and sweep.json are. Cut to max_bytes whole lines (GitHub
// refuses a step summary over 1 MiB), with a note. Pure.
#pragma once

#include <string>

#include "report/ci_summary.h"
#include "result/sweep_result.h"

namespace pgha {

std::string RenderSweepMarkdown(const SweepResult& s, const SummaryOptions& o);

}  // namespace pgha
