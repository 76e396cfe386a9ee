// validate and list: scenario, suite and topology files, without touching the machine.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/system.h"
#include "core/files.h"
#include "core/text.h"
#include "scenario/input_kind.h"
#include "scenario/inventory_loader.h"
#include "scenario/suite.h"
#include "scenario/topology_loader.h"
#include "services/patroni_config.h"
#include "services/template_check.h"

namespace pgha {
namespace fs = std::filesystem;

namespace {

// What validate found of one file: its kind and summary when it is valid,
// else the error; warnings either way.
struct FileVerdict {
  std::string kind;    // "scenario", "suite", "topology", ...; "" when unknown
  std::string detail;  // "7 steps, 3 expectations, topology compact"
  std::string error;   // "" when valid
  std::vector<std::string> warnings;
};

FileVerdict Refused(const std::string& kind, const std::string& error) { return {kind, "", error, {}}; }

// A topology file: its shape, endpoints and settings, a user's overlay and templates.
FileVerdict ValidateTopologyFile(const std::string& f) {
  auto t = LoadTopology(f);
  if (!t.ok()) return Refused("topology", t.status().message());
  std::vector<std::string> own;
  if (!t->topology.patroni.config_overlay.empty()) own.push_back("Patroni overlay");
  for (const auto& [kind, _] : t->topology.templates.by_service) own.push_back(kind + " template");
  return {"topology",
          fmt::format("topology {}, {} hosts{}", t->topology.name, t->topology.hosts.size(),
                      own.empty() ? "" : ", your " + Join(own)),
          "", t->warnings};
}

FileVerdict ValidateSuiteFile(const GlobalOptions& g, const std::string& f) {
  auto suite = LoadSuite(f, g.fixtures_dir);
  if (!suite.ok()) return Refused("suite", suite.status().message());
  return {"suite", fmt::format("suite {}, {} scenarios", suite->name, suite->scenarios.size()), "", suite->warnings};
}

FileVerdict ValidateScenarioFile(const GlobalOptions& g, const std::string& f) {
  auto s = LoadScenario(f, g.fixtures_dir);
  if (!s.ok()) return Refused("scenario", s.status().message());
  return {"scenario",
          fmt::format("{} steps, {} expectations, topology {}", s->scenario.steps.size(),
                      s->scenario.expectations.size(), s->scenario.topology.name),
          "", s->warnings};
}

// An Ansible inventory, checked offline as `run --provider ssh` reads it (no host is asked).
FileVerdict ValidateInventoryFile(const std::string& f) {
  auto inv = LoadInventory(f);
  if (!inv.ok()) return Refused("inventory", inv.status().message());
  return {"inventory",
          fmt::format("Ansible inventory, {} hosts; checked offline, no host asked", inv->topology.hosts.size()),
          "",
          {}};
}

FileVerdict ValidateOverlayFile(const std::string& f) {
  Diagnostics diags;
  if (auto root = LoadYamlFile(f, &diags)) {
    CheckPatroniOverlay(*root, f, &diags);
    PatroniSettings p;
    ReadOverlaySettings(*root, f, &p, &diags);
  }
  if (!diags.empty()) return Refused("patroni overlay", diags.ToStatus().message());
  return {"patroni overlay", "Patroni overlay for a topology's patroni.config_overlay", "", {}};
}

FileVerdict ValidateTemplateFile(const std::string& f, const std::string& kind) {
  Diagnostics diags;
  auto text = ReadInputFile(f);
  if (text.ok()) CheckTemplateOwnership(kind, *text, f, &diags);
  if (!diags.empty()) return Refused(kind + " template", diags.ToStatus().message());
  return {kind + " template", fmt::format("{} template for a topology's templates.{}", kind, kind), "", {}};
}

// One file's verdict, by what the file is.
FileVerdict ValidateOne(const GlobalOptions& g, const std::string& f) {
  const DetectedInput in = DetectInputKind(f);
  switch (in.kind) {
    case InputKind::kScenario: return ValidateScenarioFile(g, f);
    case InputKind::kSuite: return ValidateSuiteFile(g, f);
    case InputKind::kTopology: return ValidateTopologyFile(f);
    case InputKind::kInventory: return ValidateInventoryFile(f);
    case InputKind::kPatroniOverlay: return ValidateOverlayFile(f);
    case InputKind::kTemplate: return ValidateTemplateFile(f, in.template_kind);
    case InputKind::kLintConfig:
      return Refused("cluster config",
                     f + ": a cluster's own config, not a file validate checks: `pgha-chaos lint " + f + "` reads it");
    case InputKind::kResults:
      return Refused("results",
                     f + ": a results file, not a file validate checks: `pgha-chaos report DIR` reads its folder");
    case InputKind::kUnreadable: return Refused("", in.why);
    case InputKind::kNotOurs: break;
  }
  return Refused("", f + ": not a file pgha-chaos reads: a scenario (steps:), suite (scenarios:), topology (hosts:), "
                         "Patroni overlay, config template ({{variables}}) or Ansible inventory");
}

void PrintVerdict(const std::string& f, const FileVerdict& v) {
  for (const auto& w : v.warnings) PrintWarning(w);
  if (!v.error.empty())
    PrintError(v.error);
  else
    fmt::print("{}: ok ({})\n", EscapeForTerminal(f), EscapeForTerminal(v.detail));
}

// `validate --json`: {"files": [{file, kind, valid, detail | error, warnings}], "invalid": N}.
std::string VerdictsJson(const std::vector<std::string>& files, const std::vector<FileVerdict>& verdicts) {
  nlohmann::json out = {{"files", nlohmann::json::array()}, {"invalid", 0}};
  for (size_t i = 0; i < files.size(); ++i) {
    const FileVerdict& v = verdicts[i];
    nlohmann::json j = {{"file", files[i]}, {"kind", v.kind}, {"valid", v.error.empty()}, {"warnings", v.warnings}};
    if (v.error.empty())
      j["detail"] = v.detail;
    else
      j["error"] = v.error;
    out["invalid"] = out["invalid"].get<int>() + (v.error.empty() ? 0 : 1);
    out["files"].push_back(j);
  }
  return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace

int RunValidate(const GlobalOptions& g, const std::vector<std::string>& files, bool json) {
  std::vector<FileVerdict> verdicts;
  int bad = 0;
  for (const auto& f : files) {
    verdicts.push_back(ValidateOne(g, f));
    bad += verdicts.back().error.empty() ? 0 : 1;
    if (!json) PrintVerdict(f, verdicts.back());
  }
  if (json)
    fmt::print("{}", VerdictsJson(files, verdicts));
  else if (bad > 0)
    PrintError(fmt::format("{} of {} files are invalid", bad, files.size()));
  return bad == 0 ? 0 : 2;
}

namespace {

// `list --json`: {"dir", "scenarios": [...], "suites": [...]}, each with its
// file name, name, description, a suite's scenario count, and the error
// of a file that does not load.
int PrintCatalogJson(const std::string& dir, const std::vector<CatalogEntry>& entries) {
  nlohmann::json out = {{"dir", dir}, {"scenarios", nlohmann::json::array()}, {"suites", nlohmann::json::array()}};
  int bad = 0;
  for (const auto& e : entries) {
    nlohmann::json j = {
        {"file", fs::path(e.file).filename().string()}, {"name", e.name}, {"description", e.description}};
    if (e.is_suite) j["scenarios"] = e.scenario_count;
    if (!e.error.empty()) {
      j["error"] = e.error;
      ++bad;
    }
    out[e.is_suite ? "suites" : "scenarios"].push_back(j);
  }
  fmt::print("{}\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  return bad == 0 ? 0 : 2;
}

}  // namespace

int RunList(const GlobalOptions& g, const std::string& dir, bool json) {
  auto entries = ListCatalog(dir, g.fixtures_dir);
  if (entries.empty()) {
    PrintError(fmt::format("no scenarios in {} (*.yaml) and no suites in {}/suites", dir, dir));
    return 2;
  }
  if (json) return PrintCatalogJson(dir, entries);
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
      fmt::print("  {:<28} INVALID: {}\n", EscapeForTerminal(file), EscapeForTerminal(first));
      continue;
    }
    fmt::print("  {:<28} {}\n", EscapeForTerminal(file),
               EscapeForTerminal(e.is_suite ? fmt::format("[{} scenarios] {}", e.scenario_count, e.description)
                                            : e.description));
  }
  return bad == 0 ? 0 : 2;
}

}  // namespace pgha
