#include "report/sweep_summary.h"

#include <fmt/format.h>

#include <algorithm>

namespace pgha {
namespace {

std::string SweepControl(const SweepRow& r) {
  if (!r.control_leader_changes) return "not run";
  if (r.CleanControl()) return "clean";
  return fmt::format("{} leader change(s), {} failed write(s)", *r.control_leader_changes,
                     r.control_failed_writes.value_or(0));
}

std::string SweepRowLine(const SweepRow& r) {
  const std::string label = MarkdownCell(r.label) + (r.runs_as.empty() ? "" : " (" + MarkdownCell(r.runs_as) + ")");
  if (!r.skipped.empty()) return fmt::format("| {} | skipped: {} | | | | | |\n", label, MarkdownCell(r.skipped));
  const auto& d = r.failover;
  std::string failover = d.n ? fmt::format("{:.2f} / {:.2f} / {:.2f} s", d.median, d.p95, d.max) : "-";
  if (r.unrecovered_runs) failover += fmt::format(" (never came back in {})", r.unrecovered_runs);
  return fmt::format("| {} | {} | {} of {} | {} of {} | {} of {} | {} | {} |\n", label, failover, r.lost_runs, r.runs,
                     r.split_runs, r.runs, r.false_failover_runs, r.false_failover_judged, SweepControl(r),
                     r.frontier ? "★ frontier" : "");
}

}  // namespace

std::string RenderSweepMarkdown(const SweepResult& s, const SummaryOptions& o) {
  std::vector<const SweepRow*> rows;
  for (const auto& r : s.rows) rows.push_back(&r);
  std::stable_sort(rows.begin(), rows.end(), [](const SweepRow* a, const SweepRow* b) {
    const bool a_ran = a->skipped.empty() && a->failover.n, b_ran = b->skipped.empty() && b->failover.n;
    if (a_ran != b_ran) return a_ran;
    return a_ran && a->failover.median < b->failover.median;
  });
  int skipped = 0;
  for (const auto& r : s.rows) skipped += r.skipped.empty() ? 0 : 1;
  const std::string head = fmt::format(
      "## pgha-chaos sweep of {}{}\n\n{} combination(s), {} skipped, {} run(s) each, {}.\n\n| settings | failover "
      "median / p95 / max | lost writes | two primaries | false failovers | control "
      "| |\n|---|---|---|---|---|---|---|\n",
      MarkdownCell(s.scenario), s.partial ? " (partial: cut short)" : "", s.rows.size(), skipped, s.trials,
      s.control_s > 0 ? fmt::format("a {:g} s no-fault control each", s.control_s) : "no no-fault control");
  std::vector<std::string> lines;
  for (const SweepRow* r : rows) lines.push_back(SweepRowLine(*r));
  const std::string tail =
      "\nThe frontier: with a clean control, no other combination is faster and loses writes in fewer runs.\n" +
      (o.results_dir.empty() ? std::string()
                             : fmt::format("\nThe plots and every run: `{}/sweep.html`, `sweep.json`{}.\n",
                                           o.results_dir, o.artifacts_url.empty() ? "" : " (" + o.artifacts_url + ")"));
  return FitMarkdown(head, lines, tail, o.max_bytes, "sweep.html and sweep.json have everything");
}

}  // namespace pgha
