// validate and list: scenario, suite and topology files, without touching the machine.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

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

// A topology file: its shape, endpoints and settings, a user's overlay and templates.
bool ValidateTopologyFile(const std::string& f) {
  auto t = LoadTopology(f);
  if (!t.ok()) {
    PrintError(t.status().message());
    return false;
  }
  for (const auto& w : t->warnings) PrintWarning(w);
  std::vector<std::string> own;
  if (!t->topology.patroni.config_overlay.empty()) own.push_back("Patroni overlay");
  for (const auto& [kind, _] : t->topology.templates.by_service) own.push_back(kind + " template");
  fmt::print("{}: ok (topology {}, {} hosts{})\n", EscapeForTerminal(f), t->topology.name, t->topology.hosts.size(),
             own.empty() ? "" : ", your " + Join(own));
  return true;
}

bool ValidateSuiteFile(const GlobalOptions& g, const std::string& f) {
  auto suite = LoadSuite(f, g.fixtures_dir);
  if (!suite.ok()) {
    PrintError(suite.status().message());
    return false;
  }
  for (const auto& w : suite->warnings) PrintWarning(w);
  fmt::print("{}: ok (suite {}, {} scenarios)\n", EscapeForTerminal(f), EscapeForTerminal(suite->name),
             suite->scenarios.size());
  return true;
}

bool ValidateScenarioFile(const GlobalOptions& g, const std::string& f) {
  auto s = LoadScenario(f, g.fixtures_dir);
  if (!s.ok()) {
    PrintError(s.status().message());
    return false;
  }
  for (const auto& w : s->warnings) PrintWarning(w);
  fmt::print("{}: ok ({} steps, {} expectations, topology {})\n", EscapeForTerminal(f), s->scenario.steps.size(),
             s->scenario.expectations.size(), EscapeForTerminal(s->scenario.topology.name));
  return true;
}

// An Ansible inventory, checked offline as `run --provider ssh` reads it (no host is asked).
bool ValidateInventoryFile(const std::string& f) {
  auto inv = LoadInventory(f);
  if (!inv.ok()) {
    PrintError(inv.status().message());
    return false;
  }
  fmt::print("{}: ok (Ansible inventory, {} hosts; checked offline, no host asked)\n", EscapeForTerminal(f),
             inv->topology.hosts.size());
  return true;
}

bool ValidateOverlayFile(const std::string& f) {
  Diagnostics diags;
  if (auto root = LoadYamlFile(f, &diags)) {
    CheckPatroniOverlay(*root, f, &diags);
    PatroniSettings p;
    ReadOverlaySettings(*root, f, &p, &diags);
  }
  if (!diags.empty()) {
    PrintError(diags.ToStatus().message());
    return false;
  }
  fmt::print("{}: ok (Patroni overlay for a topology's patroni.config_overlay)\n", EscapeForTerminal(f));
  return true;
}

bool ValidateTemplateFile(const std::string& f, const std::string& kind) {
  Diagnostics diags;
  auto text = ReadInputFile(f);
  if (text.ok()) CheckTemplateOwnership(kind, *text, f, &diags);
  if (!diags.empty()) {
    PrintError(diags.ToStatus().message());
    return false;
  }
  fmt::print("{}: ok ({} template for a topology's templates.{})\n", EscapeForTerminal(f), kind, kind);
  return true;
}

// One file's verdict line, by what the file is; false when it is refused.
bool ValidateOne(const GlobalOptions& g, const std::string& f) {
  const DetectedInput in = DetectInputKind(f);
  switch (in.kind) {
    case InputKind::kScenario: return ValidateScenarioFile(g, f);
    case InputKind::kSuite: return ValidateSuiteFile(g, f);
    case InputKind::kTopology: return ValidateTopologyFile(f);
    case InputKind::kInventory: return ValidateInventoryFile(f);
    case InputKind::kPatroniOverlay: return ValidateOverlayFile(f);
    case InputKind::kTemplate: return ValidateTemplateFile(f, in.template_kind);
    case InputKind::kLintConfig:
      PrintError(f + ": a cluster's own config, not a file validate checks: `pgha-chaos lint " + f + "` reads it");
      return false;
    case InputKind::kResults:
      PrintError(f + ": a results file, not a file validate checks: `pgha-chaos report DIR` reads its folder");
      return false;
    case InputKind::kUnreadable: PrintError(in.why); return false;
    case InputKind::kNotOurs: break;
  }
  PrintError(f +
             ": not a file pgha-chaos reads: a scenario (steps:), suite (scenarios:), topology (hosts:), Patroni "
             "overlay, config template ({{variables}}) or Ansible inventory");
  return false;
}

}  // namespace

int RunValidate(const GlobalOptions& g, const std::vector<std::string>& files) {
  int bad = 0;
  for (const auto& f : files) bad += ValidateOne(g, f) ? 0 : 1;
  if (bad > 0) PrintError(fmt::format("{} of {} files are invalid", bad, files.size()));
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
