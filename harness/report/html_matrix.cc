// The comparison table of a matrix run (several topologies in one run,
// e.g. scenarios/suites/seed-matrix.yaml): scenario by topology, each cell
// the failover time, the lost writes and the split-brain time measured
// there, coloured by the run's overall verdict and linked to its section.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/text.h"
#include "report/html.h"
#include "report/junit.h"

namespace pgha {
namespace {

void AddOnce(std::vector<std::string>* list, const std::string& item) {
  if (std::find(list->begin(), list->end(), item) == list->end()) list->push_back(item);
}

std::string Cell(const ScenarioResult& r, int index) {
  if (!r.facts.not_applicable.empty())
    return fmt::format("<td class=\"skipped\" title=\"{}\">n/a</td>", XmlEscape(r.facts.not_applicable));
  const int code = r.ExitCode();
  const char* cls = code == 0 ? "pass" : code == 1 ? "fail" : "error";
  const Measurements& m = r.measurements;
  const std::string failover = m.failover_time_s ? fmt::format("{:.2f} s", *m.failover_time_s) : "no outage";
  return fmt::format(
      "<td class=\"{}\"><a href=\"#s{}\">{}</a><br><span class=\"small\">lost {} · split brain {:.2f} s</span></td>",
      cls, index, failover, m.lost_keys.size(), m.split_brain_s);
}

}  // namespace

std::string RenderComparison(const std::vector<HtmlScenario>& scenarios) {
  std::vector<std::string> names, topologies;
  std::map<std::pair<std::string, std::string>, int> index;
  for (size_t i = 0; i < scenarios.size(); ++i) {
    const ScenarioResult& r = *scenarios[i].result;
    AddOnce(&names, r.scenario.name);
    AddOnce(&topologies, r.topology);
    index.emplace(std::pair{r.scenario.name, r.topology}, static_cast<int>(i));
  }
  if (topologies.size() < 2) return "";
  std::string out =
      "<h2>Topologies compared</h2>\n<p class=\"small muted\">Each cell: failover time (the worst outage), "
      "acknowledged writes lost, time with two writable primaries; n/a: the scenario needs what the topology "
      "lacks.</p>\n<table><tr><th>Scenario</th>";
  for (const auto& t : topologies) out += "<th>" + XmlEscape(t) + "</th>";
  out += "</tr>\n";
  for (const auto& n : names) {
    out += "<tr><td>" + XmlEscape(n) + "</td>";
    for (const auto& t : topologies) {
      auto it = index.find({n, t});
      out += it == index.end() ? std::string("<td class=\"muted\">-</td>")
                               : Cell(*scenarios[it->second].result, it->second);
    }
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

}  // namespace pgha
