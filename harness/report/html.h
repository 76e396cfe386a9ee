// HTML acceptance report: one self-contained file (inline CSS and SVG, no
// scripts, nothing fetched) for a whole run, rendered from typed results.
// It opens with one row per scenario (html_overview.cc: verdict, failover
// time, lost writes and split brain against their targets; failures,
// errors and skipped scenarios first), then every target in scenario order
// (and, for a run over
// several topologies, a scenario-by-topology comparison), then per scenario: a
// timeline drawn to scale (html_timeline.cc: each member's role, when it
// accepted direct writes, fault windows shaded, client writes as
// ok/fail/info, write latency), the failover phases, lost and
// indeterminate writes by key, split-brain intervals, the list-append
// transactions' anomalies with their explanations, the steps, the
// environment and settings under test, and links to the collected logs. It
// ends with the durability table when scenarios cut the power.
// Every outside string is escaped. Pure and deterministic.
#pragma once

#include <string>
#include <vector>

#include "result/baseline.h"
#include "result/result.h"

namespace pgha {

struct HtmlScenario {
  const ScenarioResult* result;
  std::string folder;  // the scenario's folder, relative to the report
};

std::string RenderHtml(const std::vector<HtmlScenario>& scenarios, const BaselineComparison* baseline = nullptr);

// Internal to report/: a verdict badge ("pass", "fail", "error", "skipped");
// the first table, one row per scenario, what a person signing off looks
// for first (html_overview.cc).
std::string HtmlBadge(const std::string& status);
std::string RenderOverview(const std::vector<HtmlScenario>& scenarios);

// Internal to report/: the timeline of one scenario (html_timeline.cc), and
// the scenario-by-topology table of a run over several topologies
// (html_matrix.cc; "" when the run used one topology).
// Each fault band is labelled with what the fault measured of itself (`effects`).
std::string RenderTimeline(const History& h, const std::vector<FaultEffect>& effects = {});
std::string RenderComparison(const std::vector<HtmlScenario>& scenarios);
// The failover phases, the outages with their write gap cross-checked, and
// the measurement errors; the reads judged (html_measures.cc).
std::string RenderPhases(const Measurements& m);
std::string RenderReads(const Measurements& m);
// Losses of leadership (false failovers where no step was meant to fail
// over), what faults remarked at heal, and the clocks they moved.
std::string RenderLeadership(const ScenarioResult& r);
// The list-append transactions' anomalies, explained and drawn on the
// timeline (html_anomalies.cc; "" without list-append transactions).
std::string RenderAnomalies(const ScenarioResult& r, const std::string& folder);
// The durability table of the scenarios that cut the power (html_durability.cc; "" when none did).
// A known bug's versioned verdict, and Patroni's written against effective settings (html_patroni.cc).
std::string RenderKnownBug(const ScenarioResult& r);
std::string RenderEffective(const ScenarioResult& r);
// The planned operations' windows (html_operations.cc; "" when none ran).
std::string RenderOperations(const Measurements& m);
std::string RenderDurability(const std::vector<HtmlScenario>& scenarios);
// The runs of a trial set: strip plots, rates, one line per run (html_trials.cc).
std::string RenderTrials(const ScenarioResult& r, const std::string& folder);

}  // namespace pgha
