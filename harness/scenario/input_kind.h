// What kind of file a user handed to `validate`, told by its structure:
// a scenario (steps:), a suite (scenarios:), a topology (hosts: a list),
// an Ansible inventory (groups with hosts: or children:), a Patroni
// overlay (Patroni's own top-level keys), a config template (an
// haproxy.cfg, keepalived.conf or pgbouncer.ini holding {{variables}}), a
// config without variables (for `lint`), a results file (JSON), or none
// of these. Reads the file through ReadInputFile (bounded). Pure apart from
// that read.
#pragma once

#include <string>

namespace pgha {

enum class InputKind {
  kScenario,
  kSuite,
  kTopology,
  kInventory,
  kPatroniOverlay,
  kTemplate,    // template_kind says which service's
  kLintConfig,  // a plain haproxy.cfg, keepalived.conf or etcd config: `lint` reads it
  kResults,     // result.json, run.json, trials.json, history.jsonl
  kUnreadable,  // why says why (not a regular file, too large, a YAML error)
  kNotOurs,
};

struct DetectedInput {
  InputKind kind = InputKind::kNotOurs;
  std::string template_kind;  // kTemplate: haproxy, keepalived or pgbouncer
  std::string why;            // kUnreadable: the reason, naming the file
};

DetectedInput DetectInputKind(const std::string& path);
// The service whose config `text` is, told by its first section:
// "haproxy", "keepalived" or "pgbouncer"; "" when none of them.
std::string ConfigKindOf(const std::string& text);

}  // namespace pgha
