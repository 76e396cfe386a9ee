// Scenario: one chaos experiment as plain structs. A scenario names its
// topology, overrides the settings under test, describes the client
// workload, lists ordered steps (model/steps.h) and states expectations
// (targets). A fault step's keys are read by its kind (faults/registry.h).
//
// LoadScenario reads a YAML file strictly: unknown keys, wrong types, bad
// units and metrics with the wrong kind of unit are errors with
// file:line:column; warnings (Patroni's unchecked timing rule) come back
// beside a valid scenario. Targets are parsed against check/metrics.h; the
// topology through scenario/topology_loader.h. Pure apart from reading the
// files. The format, with every key, is documented in docs/scenarios.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "check/expectation.h"
#include "check/known_bug.h"
#include "core/status.h"
#include "core/yaml_reader.h"
#include "model/steps.h"
#include "model/topology.h"

namespace pgha {

struct Scenario {
  std::string name;
  std::string description;
  std::string file;
  Topology topology;  // with the scenario's overrides applied
  WorkloadSpec workload;
  std::vector<Step> steps;
  std::vector<Expectation> expectations;
  Duration run_timeout = std::chrono::minutes(10);  // the whole run, bring-up to teardown
  int trials = 1;  // runs, each on a fresh cluster, judged together (check/trials.h); run --trials overrides
  // With another topology than its own (run --topology): why the scenario
  // cannot run there (a host it names, a role or a VIP the topology lacks).
  // Not empty means the run is skipped with these reasons, never started.
  std::vector<std::string> incompatible;
  bool retargeted = false;  // loaded with another topology than its own
  // A bug of a given Patroni release this scenario reproduces: its targets
  // are the correct behaviour, and the verdict reads against the version
  // that ran (check/known_bug.h).
  std::optional<KnownBug> known_bug;
};

struct ScenarioLoadOptions {
  // A topology name (fixtures/topologies/NAME.yaml) or path to run the
  // scenario on instead of its own; its settings blocks still apply on top.
  std::string topology;
  // Or a topology already loaded (an inventory's, for the ssh provider):
  // the scenario runs on it as it is; settings blocks the scenario sets
  // are reported in `LoadedScenario::warnings` and not applied.
  const Topology* cluster = nullptr;
};

struct LoadedScenario {
  Scenario scenario;
  std::vector<std::string> warnings;
};

// `fixtures_dir` resolves `topology: compact` to fixtures/topologies/compact.yaml.
Result<LoadedScenario> LoadScenario(const std::string& path, const std::string& fixtures_dir,
                                    const ScenarioLoadOptions& options = {});
Result<LoadedScenario> ParseScenario(const std::string& yaml_text, const std::string& name,
                                     const std::string& fixtures_dir, const ScenarioLoadOptions& options = {});
// A topology argument (a name in fixtures/topologies/, or a path) as a file path.
std::string TopologyPath(const std::string& ref, const std::string& relative_to, const std::string& fixtures_dir);

// Reads the `known_bug:` map (id, title, source, affects, fixed_in) into s->known_bug.
void ReadKnownBug(YamlMap& top, Scenario* s);
// Reads a `workload:` map into *out, leaving absent keys as they are; errors go to the map's diagnostics.
void ReadWorkloadSettings(YamlMap& map, WorkloadSpec* out);
// The workload settings under test, as result.json and the reports show them.
SettingGroup DescribeWorkload(const WorkloadSpec& w);

}  // namespace pgha
