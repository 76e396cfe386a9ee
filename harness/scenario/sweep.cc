#include "scenario/sweep.h"

#include <fmt/format.h>

#include "check/expectation.h"
#include "core/text.h"
#include "scenario/topology_loader.h"

namespace pgha {

void ApplySettingsBlock(const YAML::Node& block, const std::string& file, Scenario* s, Diagnostics* diags,
                        std::vector<std::string>* keys) {
  YamlMap o(block, file, "override", diags);
  if (!o.valid()) return;
  auto read = [&](const char* section, auto&& fn) {
    auto n = o.Node(section);
    if (!n) return;
    YamlMap m(*n, file, fmt::format("override.{}", section), diags);
    fn(m);
    if (keys && n->IsMap())
      for (const auto& kv : *n) keys->push_back(fmt::format("{}.{}", section, kv.first.Scalar()));
  };
  read("patroni", [&](YamlMap& m) { ReadPatroniSettings(m, &s->topology.patroni); });
  read("haproxy", [&](YamlMap& m) { ReadHaproxySettings(m, &s->topology.haproxy); });
  read("pgbouncer", [&](YamlMap& m) { ReadPgbouncerSettings(m, &s->topology.pgbouncer); });
  read("workload", [&](YamlMap& m) { ReadWorkloadSettings(m, &s->workload); });
  o.Finish();
}

Result<SweepAxis> ParseSweepAxis(const std::string& flag) {
  const auto eq = flag.find('=');
  const auto dot = flag.find('.');
  if (eq == std::string::npos || dot == std::string::npos || dot > eq || eq + 1 >= flag.size())
    return InvalidInput(
        fmt::format("--set {}: write GROUP.SETTING=VALUE,VALUE,... e.g. --set patroni.ttl=5s,10s,30s", flag));
  SweepAxis axis;
  axis.setting = flag.substr(0, eq);
  for (const auto& v : Split(flag.substr(eq + 1), ','))
    if (!Trim(v).empty()) axis.values.push_back(Trim(v));
  if (axis.values.empty()) return InvalidInput("--set " + flag + ": no values after =");
  return axis;
}

std::string SweepPoint::Label() const {
  std::vector<std::string> parts;
  for (const auto& [k, v] : settings) parts.push_back(k.substr(k.find('.') + 1) + "=" + v);
  return Join(parts, " ");
}

namespace {

// One point: the scenario with `settings` applied through the settings readers.
Result<SweepPoint> MakePoint(const Scenario& base, const std::vector<std::pair<std::string, std::string>>& settings) {
  YAML::Node block;
  for (const auto& [k, v] : settings) block[k.substr(0, k.find('.'))][k.substr(k.find('.') + 1)] = v;
  SweepPoint p;
  p.settings = settings;
  p.scenario = base;
  Diagnostics diags;
  ApplySettingsBlock(block, "--set", &p.scenario, &diags, nullptr);
  if (!diags.empty()) return diags.ToStatus();
  const auto broken = PatroniTimingWarnings(p.scenario.topology.patroni);
  if (!broken.empty()) p.skipped = broken.front();
  return p;
}

}  // namespace

Result<std::vector<SweepPoint>> ExpandGrid(const Scenario& base, const std::vector<SweepAxis>& axes) {
  std::vector<std::vector<std::pair<std::string, std::string>>> grid = {{}};
  for (const auto& axis : axes) {
    std::vector<std::vector<std::pair<std::string, std::string>>> next;
    for (const auto& partial : grid)
      for (const auto& v : axis.values) {
        auto combo = partial;
        combo.emplace_back(axis.setting, v);
        next.push_back(combo);
      }
    grid = std::move(next);
  }
  std::vector<SweepPoint> out;
  for (const auto& combo : grid) {
    auto p = MakePoint(base, combo);
    if (!p.ok()) return p.status();
    out.push_back(std::move(*p));
  }
  return out;
}

void ApplyPatroniVersionToGrid(std::vector<SweepPoint>* points, const PatroniVersion& v) {
  std::vector<std::string> ran;  // per point: what runs, to find twins
  for (size_t i = 0; i < points->size(); ++i) {
    SweepPoint& p = (*points)[i];
    const EffectivePatroni e = ApplyPatroniRules(p.scenario.topology.patroni, v);
    const auto& a = e.applied;
    std::string key =
        fmt::format("{} {} {} {}", a.ttl.count(), a.loop_wait.count(), a.retry_timeout.count(), a.watchdog);
    for (const auto& [k, value] : p.settings)
      if (k.rfind("patroni.", 0) != 0) key += " " + k + "=" + value;
    ran.push_back(key);
    if (!e.Adjusted()) continue;
    p.runs_as = e.Describe();
    p.scenario.topology.patroni = e.applied;
    const auto broken = PatroniTimingWarnings(e.applied);
    p.skipped = broken.empty() ? "" : broken.front();
    for (size_t j = 0; j < i && p.skipped.empty(); ++j)
      if (ran[j] == key && (*points)[j].skipped.empty())
        p.skipped = fmt::format("{}: the same as {}, which runs", p.runs_as, (*points)[j].Label());
  }
}

Scenario ControlScenario(const Scenario& point, Duration hold) {
  Scenario c = point;
  c.name = point.name + "-control";
  c.description = "no fault: the cluster with the same settings and workload, for false failovers";
  c.trials = 1;
  Step healthy;
  healthy.kind = StepKind::kWait;
  healthy.condition = WaitCondition::kHealthy;
  healthy.timeout = std::chrono::seconds(90);
  Step quiet;
  quiet.kind = StepKind::kHold;
  quiet.duration = hold;
  c.steps = {healthy, quiet};
  c.expectations.clear();
  for (const auto& [metric, target] : {std::pair{"leader_changes", "0"}, {"failed_writes", "0"}})
    if (auto e = ParseExpectation(metric, target); e.ok()) c.expectations.push_back(*e);
  return c;
}

}  // namespace pgha
