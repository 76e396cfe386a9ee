// RenderOverview (report/html.h): the report's first table, one row per
// scenario in the order a person signing off reads them.
#include <fmt/format.h>

#include <algorithm>

#include "report/html.h"
#include "report/junit.h"
#include "report/key_figures.h"

namespace pgha {

std::string RenderOverview(const std::vector<HtmlScenario>& scenarios) {
  std::vector<size_t> order(scenarios.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return VerdictRank(scenarios[a].result->OverallVerdict()) < VerdictRank(scenarios[b].result->OverallVerdict());
  });
  std::string rows;
  for (size_t i : order) {
    const ScenarioResult& r = *scenarios[i].result;
    const std::string verdict = r.OverallVerdict();
    const KeyFigures k = KeyFiguresOf(r);
    std::string name = XmlEscape(r.scenario.DisplayName());
    if (r.trials) name += fmt::format(" <span class=\"muted\">({} trials)</span>", r.trials->runs.size());
    rows += fmt::format(
        "<tr><td>{}</td><td><a href=\"#s{}\">{}</a></td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td>{}</td><td class=\"num\">{:.0f} s</td></tr>\n",
        HtmlBadge(verdict == "interrupted" ? "error" : verdict), i, name, XmlEscape(k.failover),
        XmlEscape(k.lost_writes), XmlEscape(k.split_brain), XmlEscape(k.targets), r.wall_s);
  }
  return "<table class=\"overview\"><tr><th>Verdict</th><th>Scenario</th><th>Failover</th><th>Lost writes</th>"
         "<th>Split brain</th><th>Targets met</th><th>Wall</th></tr>\n" +
         rows + "</table>\n";
}

}  // namespace pgha
