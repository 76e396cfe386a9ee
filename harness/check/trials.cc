#include "check/trials.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "check/metrics.h"
#include "core/text.h"

namespace pgha {
namespace {

std::string TrialShown(double v, bool duration) {
  return duration ? fmt::format("{:.2f}s", v) : fmt::format("{:g}", v);
}

// The target's measurement over the runs' values: the worst run, the
// percentile, or (for a rate) the share of runs that met it.
double Aggregated(const Expectation& e, const std::vector<double>& values, int met, int judged) {
  if (e.aggregate == Aggregate::kRate) return judged == 0 ? 0 : static_cast<double>(met) / judged;
  if (e.aggregate == Aggregate::kPercentile) return Percentile(values, e.percentile);
  double worst = values.front();
  for (double v : values)
    if (e.Worse(v, worst)) worst = v;
  return worst;
}

Verdict JudgeOneTarget(const Expectation& e, size_t index, const std::vector<std::vector<Verdict>>& runs) {
  Verdict out;
  out.expectation = e;
  out.runs = static_cast<int>(runs.size());
  std::vector<double> values;
  int judged = 0;
  for (size_t r = 0; r < runs.size(); ++r) {
    const Verdict& v = runs[r].at(index);
    out.run_values.push_back(v.measured);
    if (v.status == VerdictStatus::kError) {
      out.status = VerdictStatus::kError;
      out.reason = fmt::format("run {}: {}", r + 1, v.reason);
      return out;
    }
    if (v.status == VerdictStatus::kSkipped) continue;
    ++judged;
    if (v.status == VerdictStatus::kPass) ++out.runs_met;
    // A failed reading without a value (never recovered) is the worst value there is.
    const double worst = e.comparison == Comparison::kGreater || e.comparison == Comparison::kGreaterEqual
                             ? -std::numeric_limits<double>::infinity()
                             : std::numeric_limits<double>::infinity();
    values.push_back(v.measured.value_or(worst));
  }
  if (judged == 0) {
    out.status = VerdictStatus::kSkipped;
    out.reason = runs.empty() ? "no run" : "skipped in every run: " + runs.front().at(index).reason;
    return out;
  }
  const double value = Aggregated(e, values, out.runs_met, judged);
  out.measured = value;
  const bool pass = e.aggregate == Aggregate::kRate    ? out.runs_met * e.rate_n >= e.rate_k * judged
                    : e.aggregate == Aggregate::kWorst ? out.runs_met == judged
                                                       : e.Holds(value);
  out.status = pass ? VerdictStatus::kPass : VerdictStatus::kFail;
  const Metric* m = FindMetric(e.metric);
  const bool duration = m && m->kind == MetricKind::kDuration;
  out.measured_text = e.aggregate == Aggregate::kRate ? fmt::format("{} of {} runs", out.runs_met, judged)
                      : e.aggregate == Aggregate::kPercentile
                          ? fmt::format("p{:g} {}", e.percentile, TrialShown(value, duration))
                          : fmt::format("worst {}", TrialShown(value, duration));
  if (!pass) out.reason = fmt::format("{} of {} runs met {} {}", out.runs_met, judged, e.metric, e.text);
  return out;
}

}  // namespace

std::vector<Verdict> JudgeTrials(const std::vector<Expectation>& expectations,
                                 const std::vector<std::vector<Verdict>>& runs) {
  std::vector<Verdict> out;
  for (size_t i = 0; i < expectations.size(); ++i) out.push_back(JudgeOneTarget(expectations[i], i, runs));
  return out;
}

TrialStatistics SummarizeTrials(const std::vector<Measurements>& runs) {
  TrialStatistics s;
  std::map<std::string, std::vector<double>> values;
  int lost = 0, split = 0, leaderless = 0;
  for (const auto& m : runs) {
    if (m.failover_time_s) values["failover_time"].push_back(*m.failover_time_s);
    if (m.recovery_time_s) values["recovery_time"].push_back(*m.recovery_time_s);
    values["split_brain"].push_back(m.split_brain_s);
    if (m.final_read_ok) values["lost_writes"].push_back(static_cast<double>(m.lost_keys.size()));
    values["failed_writes"].push_back(static_cast<double>(m.writes_failed + m.writes_info));
    lost += m.lost_keys.empty() ? 0 : 1;
    split += m.split_brain_s > 0 ? 1 : 0;
    leaderless += m.leadership_losses > 0 ? 1 : 0;
  }
  for (auto& [name, v] : values) s.metrics[name] = Summarize(v);
  const int n = static_cast<int>(runs.size());
  s.runs_with_lost_writes = Wilson(lost, n);
  s.runs_with_split_brain = Wilson(split, n);
  s.runs_losing_leadership = Wilson(leaderless, n);
  return s;
}

std::string DescribeTrialVerdict(const Verdict& v, bool duration) {
  std::vector<double> values;
  for (const auto& x : v.run_values)
    if (x) values.push_back(*x);
  const Distribution d = Summarize(values);
  std::string dist =
      d.n == 0 ? "no values"
               : fmt::format("{} runs: min {}, median {}, p95 {}, max {}", d.n, TrialShown(d.min, duration),
                             TrialShown(d.median, duration), TrialShown(d.p95, duration), TrialShown(d.max, duration));
  return fmt::format("{} ({}); {} of {} runs met {} {}", v.measured_text, dist, v.runs_met, v.runs,
                     v.expectation.metric, v.expectation.text);
}

}  // namespace pgha
