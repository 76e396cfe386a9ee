// The trial section of a scenario run several times: each metric's runs as
// a strip plot drawn to scale (every run a dot, the median a bar, the p95 a
// tick, the target a dashed line), the rates with their 95 % intervals,
// and one line per run linking to its folder.
#include <fmt/format.h>

#include <algorithm>

#include "check/metrics.h"
#include "report/html.h"
#include "report/junit.h"

namespace pgha {
namespace {

// The target on `metric`, when the scenario sets one with a threshold to draw.
const Expectation* TargetOn(const ScenarioResult& r, const std::string& metric) {
  for (const auto& e : r.expectations)
    if (e.metric == metric && e.aggregate != Aggregate::kRate) return &e;
  return nullptr;
}

std::string Strip(const std::string& metric, const Distribution& d, const Expectation* target) {
  const Metric* m = FindMetric(metric);
  const bool duration = m && m->kind == MetricKind::kDuration;
  double hi = std::max(d.max, target ? target->threshold : 0.0);
  hi = hi <= 0 ? 1 : hi * 1.1;
  const int left = 130, width = 520, height = 38;
  auto x = [&](double v) { return left + static_cast<int>(v / hi * width); };
  auto shown = [&](double v) { return duration ? fmt::format("{:.2f}s", v) : fmt::format("{:g}", v); };
  std::string svg = fmt::format(
      "<svg width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"{}\">\n<text x=\"0\" y=\"22\">{}</text>\n"
      "<line x1=\"{}\" y1=\"30\" x2=\"{}\" y2=\"30\" stroke=\"#9aa3b2\"/>\n"
      "<text x=\"{}\" y=\"38\" text-anchor=\"start\">0</text><text x=\"{}\" y=\"38\" text-anchor=\"end\">{}</text>\n",
      left + width + 320, height + 4, XmlEscape(metric), XmlEscape(metric), left, left + width, left, left + width,
      XmlEscape(shown(hi)));
  if (target)
    svg += fmt::format(
        "<line x1=\"{0}\" y1=\"4\" x2=\"{0}\" y2=\"30\" stroke=\"#c5221f\" stroke-dasharray=\"3,2\"/>"
        "<title>target {1}</title>\n",
        x(target->threshold), XmlEscape(target->text));
  for (double v : d.values)
    svg += fmt::format("<circle cx=\"{}\" cy=\"17\" r=\"4\" fill=\"#1a73e8\" fill-opacity=\"0.55\"/>\n", x(v));
  svg += fmt::format("<line x1=\"{0}\" y1=\"7\" x2=\"{0}\" y2=\"27\" stroke=\"#1d2330\" stroke-width=\"2\"/>\n",
                     x(d.median));
  svg += fmt::format("<line x1=\"{0}\" y1=\"10\" x2=\"{0}\" y2=\"24\" stroke=\"#b06000\" stroke-width=\"2\"/>\n",
                     x(d.p95));
  svg += fmt::format("<text x=\"{}\" y=\"22\">median {} · p95 {} · max {}</text>\n</svg>\n", left + width + 10,
                     XmlEscape(shown(d.median)), XmlEscape(shown(d.p95)), XmlEscape(shown(d.max)));
  return svg;
}

std::string Rate(const char* what, const RateEstimate& r) {
  return fmt::format("<li>{}: {} of {} runs (95 % interval {:.0f} % to {:.0f} %)</li>\n", what, r.successes, r.n,
                     r.low * 100, r.high * 100);
}

}  // namespace

std::string RenderTrials(const ScenarioResult& r, const std::string& folder) {
  const TrialSummary& t = *r.trials;
  std::string out = fmt::format("<h3>{} runs{}</h3>\n", t.runs.size(),
                                t.partial() ? fmt::format(" (partial: {} planned)", t.planned) : "");
  out +=
      "<p class=\"small muted\">Each run a dot; the bar is the median, the orange tick the 95th percentile, the "
      "dashed red line the target.</p>\n";
  for (const auto& [metric, d] : t.stats.metrics)
    if (d.n > 0) out += Strip(metric, d, TargetOn(r, metric));
  out += "<ul>\n" + Rate("Runs that lost acknowledged writes", t.stats.runs_with_lost_writes) +
         Rate("Runs with two writable primaries", t.stats.runs_with_split_brain) +
         Rate(r.facts.failover_expected_by.empty() ? "Runs with a false failover"
                                                   : "Runs that lost or changed their leader",
              t.stats.runs_losing_leadership) +
         "</ul>\n";
  out += "<table><tr><th>Run</th><th>Seed</th><th>Failover</th><th>Lost</th><th>Split brain</th><th>Exit</th></tr>\n";
  for (size_t i = 0; i < t.runs.size(); ++i) {
    const TrialRun& run = t.runs[i];
    const std::string name = run.folder.substr(run.folder.rfind('/') + 1);
    out += fmt::format(
        "<tr><td><a href=\"{}/result.json\">{}</a>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{:.2f}s</td><td class=\"num\">{}</td></tr>\n",
        XmlEscape(folder + "/" + name), XmlEscape(name), static_cast<int>(i) == t.shown ? " (shown below)" : "",
        run.seed, run.failover_time_s ? fmt::format("{:.2f}s", *run.failover_time_s) : "-", run.lost_writes,
        run.split_brain_s, run.exit_code);
  }
  return out + "</table>\n<p class=\"small muted\">Below: the worst run (the longest failover).</p>\n";
}

}  // namespace pgha
