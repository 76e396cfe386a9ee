// validate and list: scenario, suite and topology files, without touching the machine.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "app/commands.h"
#include "app/system.h"
#include "core/text.h"
#include "scenario/suite.h"
#include "scenario/topology_loader.h"

namespace pgha {
namespace fs = std::filesystem;

namespace {

// A topology file: its shape, endpoints and settings, a user's overlay and templates.
bool ValidateTopologyFile(const std::string& f) {
  auto t = LoadTopology(f);
  if (!t.ok()) {
    fmt::print(stderr, "{}\n", t.status().message());
    return false;
  }
  for (const auto& w : t->warnings) fmt::print(stderr, "warning: {}\n", w);
  std::vector<std::string> own;
  if (!t->topology.patroni.config_overlay.empty()) own.push_back("Patroni overlay");
  for (const auto& [kind, _] : t->topology.templates.by_service) own.push_back(kind + " template");
  fmt::print("{}: ok (topology {}, {} hosts{})\n", f, t->topology.name, t->topology.hosts.size(),
             own.empty() ? "" : ", your " + Join(own));
  return true;
}

// One file's verdict line; false when it does not load.
bool ValidateOne(const GlobalOptions& g, const std::string& f) {
  if (LooksLikeTopology(f)) return ValidateTopologyFile(f);
  if (LooksLikeSuite(f)) {
    auto suite = LoadSuite(f, g.fixtures_dir);
    if (!suite.ok()) {
      fmt::print(stderr, "{}\n", suite.status().message());
      return false;
    }
    for (const auto& w : suite->warnings) fmt::print(stderr, "warning: {}\n", w);
    fmt::print("{}: ok (suite {}, {} scenarios)\n", f, suite->name, suite->scenarios.size());
    return true;
  }
  auto s = LoadScenario(f, g.fixtures_dir);
  if (!s.ok()) {
    fmt::print(stderr, "{}\n", s.status().message());
    return false;
  }
  for (const auto& w : s->warnings) fmt::print(stderr, "warning: {}\n", w);
  fmt::print("{}: ok ({} steps, {} expectations, topology {})\n", f, s->scenario.steps.size(),
             s->scenario.expectations.size(), s->scenario.topology.name);
  return true;
}

}  // namespace

int RunValidate(const GlobalOptions& g, const std::vector<std::string>& files) {
  int bad = 0;
  for (const auto& f : files) bad += ValidateOne(g, f) ? 0 : 1;
  if (bad > 0) fmt::print(stderr, "pgha-chaos: {} of {} files are invalid\n", bad, files.size());
  return bad == 0 ? 0 : 2;
}

int RunList(const GlobalOptions& g, const std::string& dir) {
  auto entries = ListCatalog(dir, g.fixtures_dir);
  if (entries.empty()) {
    PrintError(fmt::format("no scenarios in {} (*.yaml) and no suites in {}/suites", dir, dir));
    return 2;
  }
  int bad = 0;
  bool suites_started = false;
  fmt::print("SCENARIOS ({})\n", dir);
  for (const auto& e : entries) {
    if (e.is_suite && !suites_started) {
      suites_started = true;
      fmt::print("\nSUITES ({}/suites)  run with: pgha-chaos run --suite FILE\n", dir);
    }
    const std::string file = fs::path(e.file).filename().string();
    if (!e.error.empty()) {
      ++bad;
      std::string first = e.error;
      std::replace(first.begin(), first.end(), '\n', ' ');
      fmt::print("  {:<28} INVALID: {}\n", file, first);
      continue;
    }
    fmt::print("  {:<28} {}\n", file,
               e.is_suite ? fmt::format("[{} scenarios] {}", e.scenario_count, e.description) : e.description);
  }
  return bad == 0 ? 0 : 2;
}

}  // namespace pgha
