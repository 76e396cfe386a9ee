#include "scenario/input_kind.h"

#include "core/files.h"
#include "core/text.h"
#include "core/yaml_reader.h"
#include "scenario/lint_inputs.h"
#include "services/patroni_config.h"

namespace pgha {
namespace {

// A pgbouncer.ini: its [databases] or [pgbouncer] section.
bool LooksLikePgbouncerIni(const std::string& text) {
  for (const auto& line : Split(text, '\n')) {
    const std::string t = Trim(line);
    if (t.empty() || t[0] == ';' || t[0] == '#') continue;
    return t == "[databases]" || t == "[pgbouncer]";
  }
  return false;
}

// An Ansible inventory in YAML: a map of groups, each a map with hosts: or children:.
bool LooksLikeInventory(const YAML::Node& root) {
  for (const auto& kv : root)
    if (kv.second.IsMap() && (kv.second["hosts"] || kv.second["children"])) return true;
  return false;
}

DetectedInput FromYaml(const std::string& path, const std::string& text) {
  Diagnostics diags;
  auto root = LoadYamlString(text, path, &diags);
  if (!root) return {InputKind::kUnreadable, "", diags.ToStatus().message()};
  if (!root->IsMap()) return {InputKind::kNotOurs, "", ""};
  if ((*root)["steps"]) return {InputKind::kScenario, "", ""};
  if ((*root)["scenarios"]) return {InputKind::kSuite, "", ""};
  if ((*root)["hosts"] && (*root)["hosts"].IsSequence()) return {InputKind::kTopology, "", ""};
  if (LooksLikeInventory(*root)) return {InputKind::kInventory, "", ""};
  if ((*root)["election-timeout"] || (*root)["initial-cluster"]) return {InputKind::kLintConfig, "", ""};
  if (HasPatroniSection(*root)) return {InputKind::kPatroniOverlay, "", ""};
  // A scenario without steps is still a scenario (validate says what it lacks).
  if ((*root)["expect"] || (*root)["workload"]) return {InputKind::kScenario, "", ""};
  return {InputKind::kNotOurs, "", ""};
}

}  // namespace

std::string ConfigKindOf(const std::string& text) {
  switch (DetectConfigFormat(text)) {
    case LintFormat::kKeepalived: return "keepalived";
    case LintFormat::kHaproxy: return "haproxy";
    case LintFormat::kEtcdFlags: return "etcd";
    case LintFormat::kYaml: break;
  }
  return LooksLikePgbouncerIni(text) ? "pgbouncer" : "";
}

DetectedInput DetectInputKind(const std::string& path) {
  auto text = ReadInputFile(path);
  if (!text.ok()) return {InputKind::kUnreadable, "", text.status().message()};
  const std::string head = Trim(text->substr(0, 256));
  if (!head.empty() && (head[0] == '{' || head[0] == '[') && head.find('"') != std::string::npos &&
      path.find(".json") != std::string::npos)
    return {InputKind::kResults, "", ""};
  const bool variables = text->find("{{") != std::string::npos;
  if (const std::string config = ConfigKindOf(*text); !config.empty())
    return {variables ? InputKind::kTemplate : InputKind::kLintConfig, config, ""};
  return FromYaml(path, *text);
}

}  // namespace pgha
