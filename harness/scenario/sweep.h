// Settings applied over a scenario's own, and the grid of a sweep.
//
//   ApplySettingsBlock  a map of settings blocks ({patroni: {ttl: 10s},
//                       haproxy: ..., pgbouncer: ..., workload: ...}) over a
//                       scenario, read as strictly as a topology's (a suite's
//                       `override`, a sweep's point)
//   ParseSweepAxis      "patroni.ttl=5s,10s,30s" (a --set of `sweep`)
//   ExpandGrid          every combination of the axes, in order (the last
//                       axis varies fastest), each applied to the scenario;
//                       a combination that breaks loop_wait + 2*retry_timeout
//                       <= ttl is kept but marked skipped with the reason
//   ApplyPatroniVersionToGrid  the points as a given Patroni runs them
//   ControlScenario     the no-fault control of a point: the same cluster
//                       and workload, healthy, then a hold of `hold` with no
//                       fault; its leader changes are false failovers
// Errors name the flag or setting and what is accepted. Pure.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/yaml_reader.h"
#include "scenario/scenario.h"

namespace pgha {

void ApplySettingsBlock(const YAML::Node& block, const std::string& file, Scenario* s, Diagnostics* diags,
                        std::vector<std::string>* keys);

struct SweepAxis {
  std::string setting;  // "patroni.ttl"
  std::vector<std::string> values;
};
Result<SweepAxis> ParseSweepAxis(const std::string& flag);

struct SweepPoint {
  std::vector<std::pair<std::string, std::string>> settings;  // in axis order
  Scenario scenario;                                          // with them applied
  std::string skipped;                                        // why not run, or ""
  std::string runs_as;        // what the Patroni that runs it changes of it, or "" (ApplyPatroniVersionToGrid)
  std::string Label() const;  // "ttl=5s loop_wait=1s"
};
Result<std::vector<SweepPoint>> ExpandGrid(const Scenario& base, const std::vector<SweepAxis>& axes);

// Each point as Patroni `v` runs it (model/patroni_rules.h): an adjusted
// point gets the applied settings and says so in runs_as; one that then
// runs exactly as an earlier point is skipped, naming it; the timing rule
// is judged on what runs.
void ApplyPatroniVersionToGrid(std::vector<SweepPoint>* points, const PatroniVersion& v);

Scenario ControlScenario(const Scenario& point, Duration hold);

}  // namespace pgha
