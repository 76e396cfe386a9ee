#include "scenario/suite.h"

#include "scenario/sweep.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "core/yaml_reader.h"
#include "scenario/topology_loader.h"

namespace pgha {
namespace fs = std::filesystem;

bool LooksLikeSuite(const std::string& path) {
  Diagnostics scratch;
  auto root = LoadYamlFile(path, &scratch);
  return root && root->IsMap() && (*root)["scenarios"].IsDefined();
}

namespace {

// The suite's scenario files, resolved against the suite's folder.
std::vector<std::pair<YAML::Node, std::string>> ScenarioFiles(YamlMap& top, const std::string& path) {
  std::vector<std::pair<YAML::Node, std::string>> files;
  auto list = top.Node("scenarios");
  if (!list) return files;
  if (!list->IsSequence() || list->size() == 0) {
    top.ErrorAt(
        *list,
        "scenarios is a non-empty list of scenario files, relative to the suite file, e.g. [../primary-kill.yaml]");
    return files;
  }
  constexpr size_t kMaxScenarios = 1000;
  if (list->size() > kMaxScenarios) {
    top.ErrorAt(*list, fmt::format("{} scenarios: a suite has at most {}; split it", list->size(), kMaxScenarios));
    return files;
  }
  const fs::path base = fs::path(path).parent_path();
  for (const auto& item : *list) {
    if (!item.IsScalar() || item.Scalar().empty()) {
      top.ErrorAt(item, "each entry of scenarios is a path to a scenario file");
      continue;
    }
    const std::string file = (base / item.Scalar()).lexically_normal().string();
    std::error_code ec;  // a path the system cannot even look up (too long, say) does not exist either
    if (!fs::exists(file, ec))
      top.ErrorAt(item, fmt::format("scenario file \"{}\" does not exist (paths are relative to the suite file: {})",
                                    item.Scalar(), file));
    else
      files.emplace_back(item, file);
  }
  return files;
}

// `topologies: [seed-000-colocated, ...]`: each scenario runs on each; "" its own.
std::vector<std::string> Topologies(YamlMap& top, const std::string& fixtures_dir, const std::string& forced) {
  std::vector<std::string> names;
  top.StringList("topologies", &names);
  if (!forced.empty()) return {forced};
  for (const auto& n : names)
    if (std::error_code ec; !fs::exists(TopologyPath(n, top.file(), fixtures_dir), ec))
      top.ErrorAt(*top.Node("topologies"),
                  fmt::format("topology \"{}\" does not exist ({})", n, TopologyPath(n, top.file(), fixtures_dir)));
  if (names.empty()) names.push_back("");
  return names;
}

}  // namespace

bool LooksLikeTopology(const std::string& path) {
  Diagnostics scratch;
  auto root = LoadYamlFile(path, &scratch);
  return root && root->IsMap() && (*root)["hosts"].IsDefined();
}

Result<Suite> LoadSuite(const std::string& path, const std::string& fixtures_dir, const std::string& topology) {
  Diagnostics diags;
  auto root = LoadYamlFile(path, &diags);
  if (!root) return diags.ToStatus();
  Suite suite;
  suite.file = path;
  YamlMap top(*root, path, "the suite", &diags);
  if (!top.valid()) return diags.ToStatus();
  top.Require("name");
  top.Name("name", &suite.name);
  top.String("description", &suite.description);
  top.Require("scenarios");
  std::optional<YAML::Node> override_node = top.Node("override");
  int trials = 0;  // 0: each scenario's own
  top.Int("trials", 1, 1000, &trials);
  const auto files = ScenarioFiles(top, path);
  bool first = true;
  for (const auto& on : Topologies(top, fixtures_dir, topology)) {
    ScenarioLoadOptions options;
    options.topology = on.empty() ? "" : TopologyPath(on, path, fixtures_dir);
    for (const auto& [item, file] : files) {
      auto loaded = LoadScenario(file, fixtures_dir, options);
      if (!loaded.ok()) {
        top.ErrorAt(item, fmt::format("scenario \"{}\" does not load{}:\n{}", item.Scalar(),
                                      on.empty() ? "" : " on topology " + on, loaded.status().message()));
        continue;
      }
      Scenario s = loaded->scenario;
      if (override_node) {
        Diagnostics scratch;
        ApplySettingsBlock(*override_node, path, &s, first ? &diags : &scratch, first ? &suite.overridden : nullptr);
        first = false;
        for (auto& w : PatroniTimingWarnings(s.topology.patroni))
          suite.warnings.push_back(file + " with the suite's override: " + w);
      } else {
        for (auto& w : loaded->warnings) suite.warnings.push_back(w);
      }
      if (trials > 0) s.trials = trials;
      suite.scenarios.push_back(std::move(s));
    }
  }
  top.Finish();
  if (!diags.empty()) return diags.ToStatus();
  return suite;
}

std::vector<CatalogEntry> ListCatalog(const std::string& dir, const std::string& fixtures_dir) {
  std::vector<CatalogEntry> out;
  auto scan = [&](const fs::path& folder, bool suites) {
    std::error_code ec;
    std::vector<fs::path> files;
    // Scenarios may sit in sub-folders (durability/, list-append/), two deep at most; suites/ is apart.
    for (fs::recursive_directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->is_directory() && (suites || it.depth() >= 2 || (it.depth() == 0 && it->path().filename() == "suites")))
        it.disable_recursion_pending();
      if (it->is_regular_file() && it->path().extension() == ".yaml") files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      CatalogEntry c;
      c.file = f.string();
      c.is_suite = suites;
      if (suites) {
        auto s = LoadSuite(c.file, fixtures_dir);
        if (s.ok()) {
          c.name = s->name;
          c.description = s->description;
          c.scenario_count = static_cast<int>(s->scenarios.size());
        } else {
          c.error = s.status().message();
        }
      } else {
        auto s = LoadScenario(c.file, fixtures_dir);
        if (s.ok()) {
          c.name = s->scenario.name;
          c.description = s->scenario.description;
        } else {
          c.error = s.status().message();
        }
      }
      out.push_back(std::move(c));
    }
  };
  scan(fs::path(dir), false);
  scan(fs::path(dir) / "suites", true);
  return out;
}

}  // namespace pgha
