// The durability table that ends the report when scenarios cut the power
// (scenarios/suites/durability-matrix.yaml): per scenario, the
// synchronous_commit level, synchronous_mode, which hosts lost power, what
// PostgreSQL's documentation promises (check/durability_promise.h), the
// acknowledged writes lost, and the verdict of the one against the other.
#include <fmt/format.h>

#include "check/durability_promise.h"
#include "report/html.h"
#include "report/junit.h"

namespace pgha {
namespace {

std::string SynchronousCommit(const SettingsUnderTest& settings) {
  auto patroni = settings.find("patroni");
  if (patroni == settings.end()) return "on";
  auto params = patroni->second.find("postgresql_parameters");
  if (params == patroni->second.end() || !params->second.is_object()) return "on";
  auto level = params->second.find("synchronous_commit");
  return level != params->second.end() && level->is_string() ? level->get<std::string>() : "on";
}

bool SynchronousMode(const SettingsUnderTest& settings) {
  auto patroni = settings.find("patroni");
  if (patroni == settings.end()) return false;
  auto mode = patroni->second.find("synchronous_mode");
  return mode != patroni->second.end() && mode->second.is_boolean() && mode->second.get<bool>();
}

std::optional<PowerCutCase> CutOf(const ScenarioResult& r) {
  std::vector<std::string> steps;
  for (const auto& step : r.steps) steps.push_back(step.description);
  return PowerCutOf(steps, SynchronousCommit(r.settings), SynchronousMode(r.settings));
}

std::string Row(const HtmlScenario& s, int index, const PowerCutCase& cut) {
  const DurabilityPromise promise = PromiseFor(cut);
  const size_t lost = s.result->measurements.lost_keys.size();
  const std::string verdict = DurabilityVerdict(promise, lost);
  const char* cls = verdict == "BROKEN" ? "fail" : verdict == "kept" ? "pass" : "muted";
  const std::string hosts = cut.etcd_only ? "an etcd member" : cut.standby_too ? "primary + standby" : "primary";
  return fmt::format(
      "<tr><td><a href=\"#s{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}: {}</td><td class=\"num\">{}</td>"
      "<td class=\"{}\">{}</td></tr>\n",
      index, XmlEscape(s.result->scenario.DisplayName()), cut.etcd_only ? "-" : XmlEscape(cut.synchronous_commit),
      cut.etcd_only          ? "-"
      : cut.synchronous_mode ? "on"
                             : "off",
      hosts, promise.no_loss ? "no acknowledged commit lost" : "none", XmlEscape(promise.why), lost, cls, verdict);
}

}  // namespace

std::string RenderDurability(const std::vector<HtmlScenario>& scenarios) {
  std::string rows;
  int index = 0;
  for (const auto& s : scenarios) {
    if (auto cut = CutOf(*s.result)) rows += Row(s, index, *cut);
    ++index;
  }
  if (rows.empty()) return "";
  return "<h2>Durability: promised against measured</h2>\n<p class=\"small muted\">What PostgreSQL's documentation "
         "promises of an acknowledged commit when these hosts lose power (unsynced data dropped), and the "
         "acknowledged writes each run lost.</p>\n<table><tr><th>Scenario</th><th>synchronous_commit</th>"
         "<th>synchronous_mode</th><th>Power lost</th><th>Promised</th><th>Lost</th><th>Verdict</th></tr>\n" +
         rows + "</table>\n";
}

}  // namespace pgha
