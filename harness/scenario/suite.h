// Suite: an ordered list of scenario files run one after another with one
// combined report, e.g. scenarios/suites/ci-gate.yaml:
//
//   name: ci-gate
//   description: the core faults; every target must hold
//   scenarios: [../primary-kill.yaml, ../switchover.yaml]   # relative to the suite file
//   override:                    # optional: the same settings for every scenario
//     patroni: {synchronous_mode: false}
//     workload: {writers: 8, rate: 1500/s}
//   topologies: [seed-000-colocated, seed-002-dedicated-etcd]   # optional: every scenario on each
//   trials: 5                    # optional: every scenario 5 times (each on a fresh cluster)
//
// With `topologies`, each scenario runs on each topology (in place of its
// own; its settings blocks still apply) and a scenario that needs what a
// topology lacks is skipped there with the reason.
//
// LoadSuite reads the suite strictly (file:line:col errors, "did you mean")
// and loads every scenario it lists, applying `override` on top of each
// scenario's own settings, so one gate can be replayed against another
// configuration. Pure apart from reading files.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "scenario/scenario.h"

namespace pgha {

struct Suite {
  std::string name;
  std::string description;
  std::string file;
  std::vector<Scenario> scenarios;      // in order, overrides applied; each .file is its resolved path
  std::vector<std::string> overridden;  // "patroni.synchronous_mode", ... for messages
  std::vector<std::string> warnings;
};

// `topology` (a name or path) runs every scenario on it instead of the
// suite's `topologies` or the scenarios' own.
Result<Suite> LoadSuite(const std::string& path, const std::string& fixtures_dir, const std::string& topology = "");

// True when the YAML file is a suite (a top-level `scenarios` key) rather
// than a scenario; false when it cannot be read (the loader then says why).
bool LooksLikeSuite(const std::string& path);
// The same for a topology (a top-level `hosts` key).
bool LooksLikeTopology(const std::string& path);

// One line per file for `pgha-chaos list`: "name  description".
struct CatalogEntry {
  std::string file;
  std::string name;
  std::string description;
  bool is_suite = false;
  int scenario_count = 0;  // suites
  std::string error;       // the file does not load
};
// Scenarios in `dir/*.yaml` and its sub-folders (two deep, not suites/), and suites in
// `dir/suites/*.yaml`, sorted by file name.
std::vector<CatalogEntry> ListCatalog(const std::string& dir, const std::string& fixtures_dir);

}  // namespace pgha
