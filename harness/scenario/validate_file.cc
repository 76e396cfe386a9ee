#include "scenario/validate_file.h"

#include <fmt/format.h>

#include "core/cidr.h"
#include "core/files.h"
#include "core/text.h"
#include "core/yaml_reader.h"
#include "scenario/input_kind.h"
#include "scenario/scenario.h"
#include "scenario/suite.h"
#include "scenario/topology_loader.h"
#include "services/patroni_config.h"
#include "services/pg_hba_check.h"
#include "services/template_check.h"

namespace pgha {

namespace {

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

FileVerdict ValidateSuiteFile(const std::string& f, const std::string& fixtures_dir) {
  auto suite = LoadSuite(f, fixtures_dir);
  if (!suite.ok()) return Refused("suite", suite.status().message());
  return {"suite", fmt::format("suite {}, {} scenarios", suite->name, suite->scenarios.size()), "", suite->warnings};
}

FileVerdict ValidateScenarioFile(const std::string& f, const std::string& fixtures_dir) {
  auto s = LoadScenario(f, fixtures_dir);
  if (!s.ok()) return Refused("scenario", s.status().message());
  return {"scenario",
          fmt::format("{} steps, {} expectations, topology {}", s->scenario.steps.size(),
                      s->scenario.expectations.size(), s->scenario.topology.name),
          "", s->warnings};
}

// An Ansible inventory, checked offline as `run --provider ssh` reads it (no host is asked).
FileVerdict ValidateInventoryFile(const std::string& f, const HostResolver& resolve) {
  auto inv = LoadInventory(f, resolve);
  if (!inv.ok()) return Refused("inventory", inv.status().message());
  return {"inventory",
          fmt::format("Ansible inventory, {} hosts; checked offline, no host asked", inv->topology.hosts.size()),
          "",
          {}};
}

// An overlay alone: its pg_hba is judged on the default subnet (a topology
// that names it is judged again on its own).
FileVerdict ValidateOverlayFile(const std::string& f) {
  Diagnostics diags;
  if (auto root = LoadYamlFile(f, &diags)) {
    CheckPatroniOverlay(*root, f, &diags);
    PatroniSettings p;
    ReadOverlaySettings(*root, f, &p, &diags);
    const YAML::Node hba =
        root->IsMap() && (*root)["postgresql"].IsMap() ? (*root)["postgresql"]["pg_hba"] : YAML::Node();
    const auto subnet = ParseSubnet(Topology{}.subnet);
    if (hba && diags.empty() && subnet.ok()) {
      const std::vector<std::string> from = {subnet->Address(1), subnet->Address(kFirstHostNumber)};
      if (const std::string why = HbaLocksOut(hba, from, false); !why.empty())
        return Refused("patroni overlay",
                       fmt::format("{}:{}: postgresql.pg_hba shuts pgha-chaos out ({}, judged on the default subnet "
                                   "{}); let the users in by password, e.g. \"host all all {} scram-sha-256\"",
                                   f, hba.Mark().line + 1, why, Topology{}.subnet, Topology{}.subnet));
    }
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

}  // namespace

FileVerdict ValidateFile(const std::string& f, const std::string& fixtures_dir, const HostResolver& resolve) {
  const DetectedInput in = DetectInputKind(f);
  switch (in.kind) {
    case InputKind::kScenario: return ValidateScenarioFile(f, fixtures_dir);
    case InputKind::kSuite: return ValidateSuiteFile(f, fixtures_dir);
    case InputKind::kTopology: return ValidateTopologyFile(f);
    case InputKind::kInventory: return ValidateInventoryFile(f, resolve);
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

}  // namespace pgha
