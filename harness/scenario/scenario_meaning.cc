#include "scenario/scenario_meaning.h"

#include <fmt/format.h>

#include <set>

#include "core/units.h"

namespace pgha {
namespace {

YAML::Mark AtLine(int line) {
  YAML::Mark m = YAML::Mark::null_mark();
  if (line > 0) {
    m.line = line - 1;
    m.column = 0;
  }
  return m;
}

// Metrics measured from the workload's writes.
bool NeedsWrites(const std::string& metric) {
  static const std::set<std::string> kWrites = {"failover_time",      "heal_disruption", "lost_writes",
                                                "split_brain_writes", "failed_writes",   "write_latency_p99"};
  return kWrites.count(metric) > 0;
}

void CheckTimeouts(const Scenario& s, YamlMap& top, Diagnostics& diags) {
  Duration holds{};
  for (const auto& st : s.steps)
    if (st.kind == StepKind::kHold) holds += st.duration;
  if (auto n = top.Node("run_timeout")) {
    if (s.run_timeout.count() <= 0)
      top.ErrorAt(*n, "run_timeout must be longer than 0s: it bounds the whole run, e.g. 10m");
    else if (s.run_timeout <= holds)
      top.ErrorAt(*n, fmt::format("run_timeout {} is not longer than the steps' own holds ({}): the run could never "
                                  "finish; make it longer than {} plus bring-up",
                                  FormatDuration(s.run_timeout), FormatDuration(holds), FormatDuration(holds)));
  }
  auto w = top.Node("workload");
  if (w && s.workload.op_timeout.count() <= 0)
    diags.Error(s.file, w->Mark(), "workload.op_timeout must be longer than 0s, e.g. 2s");
}

void CheckWriters(const Scenario& s, Diagnostics& diags) {
  if (s.workload.writers > 0) return;
  for (const auto& e : s.expectations)
    if (NeedsWrites(e.metric))
      diags.Error(s.file, AtLine(e.line),
                  fmt::format("expect.{} is measured from the workload's writes, and workload.writers is 0: "
                              "add writers or drop the target",
                              e.metric));
}

}  // namespace

void CheckScenarioMeaning(const Scenario& s, YamlMap& top, Diagnostics& diags, std::vector<std::string>* warnings) {
  CheckTimeouts(s, top, diags);
  CheckWriters(s, diags);
  for (const auto& e : s.expectations)
    if (e.aggregate == Aggregate::kRate && e.rate_n > s.trials)
      warnings->push_back(
          fmt::format("{}:{}: expect.{} \"{}\" judges {} runs and the scenario makes {}: run it with "
                      "--trials {} (or set trials: {})",
                      s.file, e.line, e.metric, e.text, e.rate_n, s.trials, e.rate_n, e.rate_n));
}

}  // namespace pgha
