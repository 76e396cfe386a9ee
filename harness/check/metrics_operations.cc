// The planned operations' metrics (check/metrics.h), each the worst over
// the operations of a run (check/measurements.h OperationWindow). Pure.
#include <fmt/format.h>

#include <algorithm>

#include "check/metrics.h"

namespace pgha {
namespace {

// The largest of one figure over the planned operations; skipped without any.
Reading OperationMax(const Measurements& m, const std::function<double(const OperationWindow&)>& figure) {
  if (m.operations.empty()) return {std::nullopt, "", VerdictStatus::kSkipped, "no planned operation ran"};
  const OperationWindow* worst = &m.operations[0];
  for (const auto& w : m.operations)
    if (figure(w) > figure(*worst)) worst = &w;
  const double v = figure(*worst);
  return MeasuredValue(v, fmt::format("{:.3f}s ({} {})", v, worst->kind, worst->id));
}

}  // namespace

std::vector<Metric> OperationMetrics() {
  return {
      {"operation_write_gap", MetricKind::kDuration,
       "the longest write gap of any planned operation (switchover, restart, pause, edit_config, pgbouncer, ...): the "
       "longest stretch without an acknowledged write inside its window (from it to the next step that acts); every "
       "operation's is in the reports",
       [](const Measurements& m, const RunFacts&) {
         return OperationMax(m, [](const OperationWindow& w) { return w.write_gap_s; });
       }},
      {"operation_added_latency", MetricKind::kDuration,
       "the most any planned operation added to the 99th percentile write latency, against the writes sent before "
       "the first fault or operation",
       [](const Measurements& m, const RunFacts&) -> Reading {
         if (!m.operations.empty() && !m.steady_latency_p99_ms)
           return {std::nullopt, "", VerdictStatus::kSkipped,
                   "no steady state to add to: no write was acknowledged before the first fault or operation"};
         return OperationMax(m, [&](const OperationWindow& w) {
           return w.latency_p99_ms && m.steady_latency_p99_ms
                      ? std::max(0.0, *w.latency_p99_ms - *m.steady_latency_p99_ms) / 1000
                      : 0.0;
         });
       }},
      {"pooler_stale_window", MetricKind::kDuration,
       "in any planned operation's window, how long clients stayed on a node that was no longer the primary, through "
       "a pooler or a router: from the first write it refused as read-only (SQLSTATE 25006) to the last one's answer",
       [](const Measurements& m, const RunFacts&) {
         return OperationMax(m, [](const OperationWindow& w) { return w.stale_window_s; });
       }},
      {"paused_failovers", MetricKind::kCount,
       "times a new leader took over while the cluster was in maintenance mode (pause: cluster), where Patroni "
       "promises none",
       [](const Measurements& m, const RunFacts&) -> Reading {
         if (!m.paused_observed)
           return {std::nullopt, "", VerdictStatus::kSkipped, "the cluster was never seen in maintenance mode"};
         return MeasuredValue(m.paused_failovers, std::to_string(m.paused_failovers));
       }},
  };
}

}  // namespace pgha
