// The metric table: every metric a scenario can set a target on, once.
// The scenario loader takes names and kinds from it, Judge reads each
// metric's value through it, `docs/scenarios.md` shows it (a unit test
// holds the docs to this table), and the reports show each meaning.
// Adding a metric is one entry in metrics.cc. Pure.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "check/measurements.h"
#include "check/verdict.h"

namespace pgha {

enum class MetricKind { kDuration, kCount };

// What a metric reads from a run: a value to hold against the target, or
// a verdict of its own (skipped when there was nothing to measure, error or
// fail when the run says so) with the reason.
struct Reading {
  std::optional<double> value;
  std::string text;  // as shown: "9.84s", "0"
  std::optional<VerdictStatus> verdict;
  std::string reason;
};

// A measured value and how it is shown.
Reading MeasuredValue(double v, std::string text);

struct Metric {
  std::string name;
  MetricKind kind;
  std::string meaning;
  std::function<Reading(const Measurements& m, const RunFacts& facts)> read;
};

const std::vector<Metric>& Metrics();
// The table's parts: the run's metrics (metrics.cc) and the planned
// operations' (metrics_operations.cc), which Metrics() puts before anomalies.
std::vector<Metric> CoreMetrics();
std::vector<Metric> OperationMetrics();
// A name of the table, or of a family: "anomalies.<type>" for every type
// elle/list_append_check.h names (AnomalyTypes()).
const Metric* FindMetric(const std::string& name);
Reading ReadMetric(const Metric& metric, const Measurements& m, const RunFacts& facts);
std::string MetricKindName(MetricKind k);  // "duration", "count"
// The table as docs/scenarios.md shows it (markdown).
std::string MetricsMarkdown();

}  // namespace pgha
