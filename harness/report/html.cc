#include "report/html.h"

#include <fmt/format.h>

#include "check/metrics.h"
#include "core/text.h"
#include "report/junit.h"

namespace pgha {
namespace {

const char* kStyle = R"(
body{font:14px/1.45 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d2330;
margin:24px auto;max-width:1080px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:18px;margin:32px 0 8px;border-bottom:2px solid #dde2ea;padding-bottom:4px}
h3{font-size:14px;margin:18px 0 6px;color:#3b4456}
table{border-collapse:collapse;width:100%;margin:6px 0 10px}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e6e9ef;vertical-align:top}
th{background:#f4f6f9;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
.pass{color:#0b6b2f;font-weight:600}.fail{color:#b3261e;font-weight:600}.error{color:#8a4b00;font-weight:600}
.skipped{color:#5b6475;font-weight:600}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:700;color:#fff}
.b-pass{background:#1e8e3e}.b-fail{background:#c5221f}.b-error{background:#b06000}
.b-skipped{background:#6b7280}
.muted{color:#5b6475}.small{font-size:12px}
code{font-size:12px;background:#f4f6f9;padding:1px 4px;border-radius:3px}
.keys{font-family:monospace;font-size:12px;word-break:break-all}
svg text{font:11px sans-serif;fill:#3b4456}
@media print{body{margin:0;max-width:none}h2{break-before:page}table,svg{break-inside:avoid}}
)";

std::string Overall(const ScenarioResult& r) {
  const std::string v = r.OverallVerdict();
  return v == "interrupted" ? "error" : v;
}

std::string Keys(const std::vector<int64_t>& keys) {
  if (keys.empty()) return "<span class=\"muted\">none</span>";
  std::string out;
  for (size_t i = 0; i < keys.size() && i < 200; ++i) out += (out.empty() ? "" : ", ") + std::to_string(keys[i]);
  if (keys.size() > 200) out += fmt::format(" … and {} more (result.json has them all)", keys.size() - 200);
  return "<span class=\"keys\">" + out + "</span>";
}

std::string Verdicts(const ScenarioResult& r) {
  std::string out = "<table><tr><th>Target</th><th>Measured</th><th>Verdict</th><th>Why</th></tr>\n";
  for (const auto& v : r.verdicts) {
    const Metric* metric = FindMetric(v.expectation.metric);
    out += fmt::format(
        "<tr><td title=\"{}\">{} {}</td><td class=\"num\">{}</td><td class=\"{}\">{}</td><td "
        "class=\"small\">{}</td></tr>\n",
        XmlEscape(metric ? metric->meaning : ""), XmlEscape(v.expectation.metric), XmlEscape(v.expectation.text),
        XmlEscape(v.measured_text), XmlEscape(VerdictName(v.status)), XmlEscape(VerdictName(v.status)),
        XmlEscape(v.reason));
  }
  return out + "</table>\n";
}

std::string Prediction(const ScenarioResult& r) {
  if (!r.prediction) return "";
  const auto inside = r.InsidePrediction();
  std::string terms;
  for (const auto& t : r.prediction->terms) terms += (terms.empty() ? "" : ", ") + t;
  return fmt::format(
      "<p class=\"small\">Predicted from the settings ({}): failover {:.2f} to {:.2f} s: {}. <span "
      "class=\"muted\">{}</span></p>\n",
      XmlEscape(FailureClassName(r.prediction->failure)), r.prediction->low_s, r.prediction->high_s,
      !inside   ? "nothing to compare"
      : *inside ? "the measurement is inside"
                : "<span class=\"fail\">the measurement is outside: the model or the cluster is wrong</span>",
      XmlEscape(terms));
}

std::string Writes(const Measurements& m) {
  std::string out = fmt::format(
      "<h3>Writes</h3>\n<table><tr><th>Acknowledged</th><th>Failed</th><th>Indeterminate</th><th>Lost</"
      "th><th>Throughput</th>"
      "<th>Latency p50 / p95 / p99</th></tr><tr><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
      "class=\"num\">{}</td>"
      "<td class=\"num {}\">{}</td><td class=\"num\">{:.1f}/s</td><td class=\"num\">{:.1f} / {:.1f} / {:.1f} "
      "ms</td></tr></table>\n",
      m.writes_ok, m.writes_failed, m.writes_info, m.lost_keys.empty() ? "" : "fail", m.lost_keys.size(),
      m.throughput_per_s, m.latency_p50_s * 1000, m.latency_p95_s * 1000, m.latency_p99_s * 1000);
  out += "<p>Lost (acknowledged, absent from the final primary): " + Keys(m.lost_keys) + "</p>\n";
  out += "<p>Indeterminate and found afterwards: " + Keys(m.info_recovered_keys) +
         "<br>Indeterminate and absent (no anomaly): " + Keys(m.info_absent_keys) + "</p>\n";
  return out;
}

// Asked against achieved rates, and the shortfall warning with its cause.
std::string Rates(const WorkloadRates& r) {
  if (!r.known) return "";
  std::string out = "<p class=\"small\">Workload: " + XmlEscape(DescribeRates(r)) + ".</p>\n";
  if (!r.warning.empty()) out += "<p class=\"error\">Warning: " + XmlEscape(r.warning) + ".</p>\n";
  return out;
}

std::string SplitBrain(const Measurements& m) {
  std::string out = "<h3>Split brain</h3>\n";
  if (m.split_brain_intervals.empty()) return out + "<p>No moment with two members writable.</p>\n";
  out += "<table><tr><th>From</th><th>To</th><th>Length</th><th>Writable members</th></tr>\n";
  for (const auto& iv : m.split_brain_intervals)
    out += fmt::format(
        "<tr><td class=\"num\">{:.2f} s</td><td class=\"num\">{:.2f} s</td><td class=\"num\">{:.2f} "
        "s</td><td>{}</td></tr>\n",
        iv.start_s, iv.end_s, iv.end_s - iv.start_s, XmlEscape(Join(iv.nodes)));
  return out + fmt::format("</table><p>{} writes were acknowledged by one member while another was writable.</p>\n",
                           m.split_brain_writes);
}

std::string Steps(const ScenarioResult& r) {
  std::string out =
      "<h3>Steps</h3>\n<table><tr><th>#</th><th>Step</th><th>From</th><th>To</th><th>Outcome</th><th>Detail</th></"
      "tr>\n";
  int n = 0;
  for (const auto& st : r.steps)
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td class=\"num\">{:.1f}</td><td class=\"num\">{:.1f}</td><td class=\"{}\">{}</td>"
        "<td class=\"small\">{}</td></tr>\n",
        ++n, XmlEscape(st.description), st.start_s, st.end_s, st.outcome == StepOutcome::kOk ? "pass" : "error",
        XmlEscape(StepOutcomeName(st.outcome)), XmlEscape(st.detail));
  return out + "</table>\n";
}

std::string Environment(const ScenarioResult& r) {
  std::string out = "<h3>Environment and settings under test</h3>\n<table>\n";
  for (const auto& [k, v] : r.versions)
    out += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", XmlEscape(k), XmlEscape(v));
  for (const auto& [group, values] : r.settings)
    for (const auto& [k, v] : values)
      out += fmt::format("<tr><th>{}.{}</th><td>{}</td></tr>\n", XmlEscape(group), XmlEscape(k),
                         XmlEscape(v.is_string() ? v.get<std::string>() : v.dump()));
  return out + "</table>\n";
}

// The collected logs; results written before logs were listed get the
// Patroni and etcd logs of each member.
std::string Logs(const ScenarioResult& r, const std::string& folder) {
  std::vector<std::string> logs = r.logs;
  if (logs.empty())
    for (const auto& host : r.history.members)
      for (const char* d : {"patroni", "etcd"}) logs.push_back(fmt::format("logs/{}/{}.log", host, d));
  std::string out = "<h3>Node logs</h3>\n<p>";
  for (const auto& log : logs)
    out += fmt::format("<a href=\"{0}/{1}\">{2}</a> · ", XmlEscape(folder), XmlEscape(log),
                       XmlEscape(log.substr(log.find('/') + 1)));
  return out +
         fmt::format(
             "<a href=\"{0}/result.json\">result.json</a> · <a href=\"{0}/history.jsonl\">history.jsonl</a></p>\n",
             XmlEscape(folder));
}

std::string Scenario(const HtmlScenario& s, int index) {
  const ScenarioResult& r = *s.result;
  std::string out = fmt::format(
      "<h2 id=\"s{}\">{} {}</h2>\n<p>{}</p>\n<p class=\"small muted\">{} · seed {} · run {} · started {} · {:.1f} s "
      "wall · bring-up "
      "{:.1f} s</p>\n",
      index, XmlEscape(r.scenario.DisplayName()), HtmlBadge(Overall(r)), XmlEscape(r.scenario.description),
      XmlEscape(r.scenario.file), r.seed, XmlEscape(r.run_id), XmlEscape(r.started_at), r.wall_s, r.bring_up_s);
  if (!r.facts.not_applicable.empty())
    return out + "<p class=\"skipped\">Not run: " + XmlEscape(r.facts.not_applicable) + "</p>\n" + Verdicts(r);
  if (!r.facts.infrastructure_error.empty())
    out += "<p class=\"error\">Error: " + XmlEscape(r.facts.infrastructure_error) + "</p>\n";
  for (const auto& f : r.facts.skipped_faults) out += "<p class=\"skipped\">Skipped fault: " + XmlEscape(f) + "</p>\n";
  for (const auto& e : r.facts.fault_effects)
    out += fmt::format(
        "<p class=\"{}\">Fault {} measured {}: asked {:g}, p50 {:.1f}, p99 {:.1f} over {} samples on {} "
        "({})</p>\n",
        e.within() ? "effect" : "error", XmlEscape(e.fault_id), XmlEscape(e.quantity), e.asked, e.p50, e.p99, e.samples,
        XmlEscape(e.path), XmlEscape(e.engine));
  out += Verdicts(r) + RenderKnownBug(r) + Prediction(r);
  if (r.trials) out += RenderTrials(r, s.folder);
  out += "<h3>Timeline</h3>\n" + RenderTimeline(r.history, r.facts.fault_effects) + RenderPhases(r.measurements);
  // A trial set's history, steps and logs are its shown run's.
  const std::string logs = r.trials ? r.trials->runs.at(static_cast<size_t>(r.trials->shown)).folder : s.folder;
  return out + Writes(r.measurements) + Rates(r.rates) + RenderLeadership(r) + RenderOperations(r.measurements) +
         RenderReads(r.measurements) + SplitBrain(r.measurements) + RenderAnomalies(r, logs) + Steps(r) +
         Environment(r) + RenderEffective(r) + Logs(r, logs);
}

std::string BaselineSection(const BaselineComparison& b) {
  std::string out = fmt::format("<h2>Against the baseline</h2>\n<p class=\"muted\">{} · {} regression(s)</p>\n",
                                XmlEscape(b.baseline_dir), b.Regressions());
  out += "<table><tr><th>Scenario</th><th>What</th><th>Baseline</th><th>Now</th><th></th></tr>\n";
  for (const auto& s : b.scenarios) {
    if (!s.in_baseline) {
      out += fmt::format("<tr><td>{}</td><td colspan=\"4\" class=\"muted\">not in the baseline</td></tr>\n",
                         XmlEscape(s.name));
      continue;
    }
    for (const auto& x : s.compared)
      out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td></tr>\n",
                         XmlEscape(s.name), XmlEscape(x.what), XmlEscape(x.baseline), XmlEscape(x.now),
                         x.regression ? "fail" : "pass", XmlEscape(x.regression ? "regression: " + x.why : x.why));
  }
  return out + "</table>\n";
}

}  // namespace

std::string HtmlBadge(const std::string& status) {
  return fmt::format("<span class=\"badge b-{0}\">{1}</span>", XmlEscape(status),
                     XmlEscape(status == "pass"    ? "PASS"
                               : status == "fail"  ? "FAIL"
                               : status == "error" ? "ERROR"
                                                   : "SKIPPED"));
}

std::string RenderHtml(const std::vector<HtmlScenario>& scenarios, const BaselineComparison* baseline) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>pgha-chaos report</title>\n<style>";
  out += kStyle;
  out += "</style></head><body>\n<h1>PostgreSQL HA acceptance report</h1>\n";
  int pass = 0, total = 0, i = 0;
  std::string rows;
  for (const auto& s : scenarios) {
    for (const auto& v : s.result->verdicts) {
      ++total;
      pass += v.status == VerdictStatus::kPass;
      rows += fmt::format(
          "<tr><td><a href=\"#s{}\">{}</a></td><td>{} {}</td><td class=\"num\">{}</td><td class=\"{}\">{}</td></tr>\n",
          i, XmlEscape(s.result->scenario.DisplayName()), XmlEscape(v.expectation.metric),
          XmlEscape(v.expectation.text), XmlEscape(v.measured_text), XmlEscape(VerdictName(v.status)),
          XmlEscape(VerdictName(v.status)));
    }
    ++i;
  }
  const std::string started = scenarios.empty() ? "" : scenarios.front().result->started_at;
  out += fmt::format("<p class=\"muted\">{} scenarios · {} of {} targets met · started {}</p>\n", scenarios.size(),
                     pass, total, XmlEscape(started));
  out += RenderOverview(scenarios);
  out += "<h2 class=\"first\">Every target</h2>\n";
  out += "<table><tr><th>Scenario</th><th>Target</th><th>Measured</th><th>Verdict</th></tr>\n" + rows + "</table>\n";
  out += RenderComparison(scenarios);
  if (baseline) out += BaselineSection(*baseline);
  i = 0;
  for (const auto& s : scenarios) out += Scenario(s, i++);
  out += RenderDurability(scenarios);
  out +=
      "<p class=\"small muted\">Written by pgha-chaos. Definitions of every measurement: docs/scenarios.md and "
      "harness/check/measurements.h.</p>\n</body></html>\n";
  return out;
}

}  // namespace pgha
