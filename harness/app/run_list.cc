#include "app/run_list.h"

#include <fmt/format.h>

#include <algorithm>

#include "app/system.h"
#include "scenario/scenario.h"
#include "scenario/suite.h"

namespace pgha {
namespace {

// The scenario files, then each suite's scenarios; the first error stops.
Result<std::vector<Scenario>> LoadScenarios(const GlobalOptions& g, const RunCommandOptions& o,
                                            const Topology* cluster) {
  if (cluster && (!o.topology.empty() || !o.subnet.empty() || !o.suites.empty() || o.jobs > 1))
    return InvalidInput(
        "--topology, --subnet, --suite and --jobs do not apply to --provider ssh: the inventory is the cluster");
  std::vector<Scenario> scenarios;
  for (const auto& f : o.files) {
    if (LooksLikeSuite(f))
      return InvalidInput(fmt::format("{} is a suite, not a scenario: run it with --suite {}", f, f));
    ScenarioLoadOptions options;
    options.topology = o.topology;
    options.cluster = cluster;
    auto s = LoadScenario(f, g.fixtures_dir, options);
    if (!s.ok()) return s.status();
    for (const auto& w : s->warnings) PrintWarning(w);
    scenarios.push_back(s->scenario);
  }
  for (const auto& f : o.suites) {
    auto suite = LoadSuite(f, g.fixtures_dir, o.topology);
    if (!suite.ok()) return suite.status();
    for (const auto& w : suite->warnings) PrintWarning(w);
    std::string overridden;
    for (const auto& k : suite->overridden) overridden += (overridden.empty() ? "" : ", ") + k;
    fmt::print(stderr, "pgha-chaos: suite {} ({}): {} scenarios{}\n", suite->name, f, suite->scenarios.size(),
               overridden.empty() ? "" : "; overriding " + overridden + " in each");
    for (auto& s : suite->scenarios) scenarios.push_back(std::move(s));
  }
  if (scenarios.empty())
    return InvalidInput("nothing to run: name scenario files or --suite FILE (see `pgha-chaos list`)");
  return scenarios;
}

// Folder names: the scenario's name, numbered when it repeats.
std::vector<std::string> FolderNames(const std::vector<Scenario>& scenarios) {
  std::vector<std::string> folders;
  for (const auto& s : scenarios) {
    const std::string base = s.retargeted ? s.name + "@" + s.topology.name : s.name;
    std::string folder = base;
    for (int n = 2; std::find(folders.begin(), folders.end(), folder) != folders.end(); ++n)
      folder = fmt::format("{}-{}", base, n);
    folders.push_back(folder);
  }
  return folders;
}

}  // namespace

Result<RunPlan> LoadRunList(const GlobalOptions& g, const RunCommandOptions& o, const Topology* cluster) {
  auto scenarios = LoadScenarios(g, o, cluster);
  if (!scenarios.ok()) return scenarios.status();
  RunPlan list;
  list.all = FolderNames(*scenarios);
  if (!o.shard.empty()) {
    auto spec = ParseShard(o.shard);
    if (!spec.ok()) return spec.status();
    list.shard = *spec;
  } else if (!o.shard_timings.empty()) {
    return InvalidInput("--shard-timings balances the shares of --shard I/N: give --shard too");
  }
  const auto durations = o.shard_timings.empty() ? std::map<std::string, double>{} : RecordedDurations(o.shard_timings);
  if (!o.shard_timings.empty() && durations.empty())
    return InvalidInput("--shard-timings " + o.shard_timings + " holds no results of `pgha-chaos run` to time by");
  for (size_t k : ShardIndices(list.all, durations, list.shard)) {
    list.scenarios.push_back((*scenarios)[k]);
    list.folders.push_back(list.all[k]);
    list.places.push_back(k);
  }
  if (list.scenarios.empty())
    return InvalidInput(fmt::format("--shard {}: this share of {} scenarios is empty; use at most {} shares", o.shard,
                                    list.all.size(), list.all.size()));
  if (list.shard.active())
    fmt::print(stderr, "pgha-chaos: share {}/{}: {} of {} scenarios{}\n", list.shard.index, list.shard.count,
               list.scenarios.size(), list.all.size(), durations.empty() ? "" : " (balanced by recorded durations)");
  return list;
}

}  // namespace pgha
