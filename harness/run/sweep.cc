#include "run/sweep.h"

#include <fmt/format.h>

#include "core/cancel.h"
#include "result/result_json.h"
#include "run/trials.h"

namespace pgha {
namespace {

// A run of `r`'s scenario that lost or changed its leader `losses` times,
// counted where no step of it was meant to fail over.
void CountFalseFailovers(const ScenarioResult& r, int losses, SweepRow* row) {
  if (!r.facts.failover_expected_by.empty() || !r.facts.infrastructure_error.empty()) return;
  ++row->false_failover_judged;
  row->false_failover_runs += losses > 0 ? 1 : 0;
}

// The row's numbers from the point's combined result (each run of it).
void FillFromSet(const ScenarioResult& set, SweepRow* row) {
  std::vector<double> failovers;
  if (set.trials) {
    for (const auto& run : set.trials->runs) {
      ++row->runs;
      if (run.failover_time_s)
        failovers.push_back(*run.failover_time_s);
      else
        ++row->unrecovered_runs;
      row->lost_runs += run.lost_writes > 0 ? 1 : 0;
      row->split_runs += run.split_brain_s > 0 ? 1 : 0;
      CountFalseFailovers(set, run.leadership_losses, row);
    }
  } else {
    row->runs = 1;
    const auto& m = set.measurements;
    if (m.failover_time_s && m.recovered_writes)
      failovers.push_back(*m.failover_time_s);
    else if (m.fault_injected)
      row->unrecovered_runs = 1;
    row->lost_runs = m.lost_keys.empty() ? 0 : 1;
    row->split_runs = m.split_brain_s > 0 ? 1 : 0;
    CountFalseFailovers(set, m.leadership_losses, row);
  }
  row->failover = Summarize(failovers);
  row->exit_code = set.ExitCode();
}

}  // namespace

SweepResult RunSweep(Runner& runner, Clock& clock, const std::vector<SweepPoint>& points, const RunOptions& base,
                     const SweepOptions& o) {
  SweepResult out;
  out.trials = o.trials;
  out.control_s = ToSeconds(o.control);
  if (!points.empty()) out.scenario = points.front().scenario.name;
  for (const auto& [k, v] : points.empty() ? std::vector<std::pair<std::string, std::string>>{} : points[0].settings)
    out.axes.push_back(k);
  const TimePoint deadline = clock.Now() + o.deadline;
  for (size_t i = 0; i < points.size(); ++i) {
    if (CancelRequested() || clock.Now() > deadline) {
      out.partial = true;
      break;
    }
    const SweepPoint& p = points[i];
    SweepRow row;
    row.settings = p.settings;
    row.label = p.Label();
    row.skipped = p.skipped;
    row.runs_as = p.runs_as;
    row.folder = fmt::format("{:02}", i + 1);
    if (p.skipped.empty()) {
      RunOptions ro = base;
      ro.seed = base.seed + 1000 * (i + 1);
      ro.output_dir = fmt::format("{}/{}/{}", base.output_dir, row.folder, p.scenario.name);
      if (base.progress) base.progress(fmt::format("point {}/{}: {}", i + 1, points.size(), row.label));
      const ScenarioResult set = RunTrials(runner, p.scenario, ro, {o.trials, row.folder + "/" + p.scenario.name, {}});
      if (!set.trials) WriteResultFiles(set);
      FillFromSet(set, &row);
      if (o.control > Duration::zero() && !CancelRequested()) {
        ro.output_dir = fmt::format("{}/{}/control", base.output_dir, row.folder);
        const ScenarioResult c = runner.Run(ControlScenario(p.scenario, o.control), ro);
        WriteResultFiles(c);
        if (c.facts.infrastructure_error.empty()) {
          row.control_leader_changes = c.measurements.leader_changes;
          row.control_failed_writes = c.measurements.writes_failed + c.measurements.writes_info;
          CountFalseFailovers(c, c.measurements.leadership_losses, &row);
        }
      }
    }
    if (o.on_row) o.on_row(row);
    out.rows.push_back(std::move(row));
  }
  MarkFrontier(&out);
  return out;
}

}  // namespace pgha
