// Strict reading of YAML documents into plain structs, with every error
// pointing at file:line:column (yaml-cpp marks are 0-based; we print
// 1-based, as editors do).
//
// A YamlMap is read key by key; each accessor marks its key as known, and
// Finish() reports every key that was never asked for, with the closest
// known key as the suggested fix. Errors accumulate in a Diagnostics list
// rather than stopping at the first, so one run shows every mistake.
// Not thread-safe; one reader per document.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace pgha {

struct Diagnostic {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based
  std::string message;
  std::string Format() const;  // "file:line:col: message"
};

class Diagnostics {
 public:
  void Error(const std::string& file, const YAML::Mark& mark, const std::string& message);
  bool empty() const { return errors_.empty(); }
  const std::vector<Diagnostic>& errors() const { return errors_; }
  // All errors, one per line, as an InvalidInput status (ok when none).
  Status ToStatus() const;

 private:
  std::vector<Diagnostic> errors_;
};

// Bounds on what a YAML input may hold, aliases expanded: values and depth
// (a document past them is refused, in time proportional to the bound).
constexpr size_t kMaxYamlValues = 100000;
constexpr int kMaxYamlDepth = 64;

// Loads a YAML file (core/files.h ReadInputFile: a regular file of at most
// 4 MiB); syntax errors become diagnostics with the position.
std::optional<YAML::Node> LoadYamlFile(const std::string& path, Diagnostics* diags);
std::optional<YAML::Node> LoadYamlString(const std::string& text, const std::string& name, Diagnostics* diags);

class YamlMap {
 public:
  // `where` names the map in messages ("patroni", "hosts[1]").
  YamlMap(YAML::Node node, std::string file, std::string where, Diagnostics* diags);
  bool valid() const { return valid_; }

  bool Has(const std::string& key);
  std::optional<YAML::Node> Node(const std::string& key);
  // Each typed getter leaves *out unchanged when the key is absent, and
  // records a diagnostic when it is present but wrong.
  void String(const std::string& key, std::string* out);
  // A string used as a file or folder name (IsSafeName), refused otherwise.
  void Name(const std::string& key, std::string* out);
  void Bool(const std::string& key, bool* out);
  void Int(const std::string& key, int64_t min, int64_t max, int64_t* out);
  void Int(const std::string& key, int min, int max, int* out);
  void Dur(const std::string& key, Duration* out);
  void Size(const std::string& key, uint64_t* out);  // "512MiB", "1GB"
  void StringList(const std::string& key, std::vector<std::string>* out);
  void Require(const std::string& key);

  // Reports keys never asked for. Call once, after all getters.
  void Finish();

  const std::string& file() const { return file_; }
  Diagnostics* diags() const { return diags_; }
  void ErrorAt(const YAML::Node& node, const std::string& message);

 private:
  YAML::Node node_;
  std::string file_;
  std::string where_;
  Diagnostics* diags_;
  bool valid_ = false;
  std::set<std::string> known_;
};

// Whether `name` may name a file or folder of ours: letters, digits, '.',
// '_' and '-', starting with a letter or digit, at most kMaxNameLength
// (so never "", "..", "a/b" or a hidden file).
constexpr size_t kMaxNameLength = 64;
bool IsSafeName(std::string_view name);

// Levenshtein-closest candidate, or "" when none is close.
std::string ClosestMatch(const std::string& word, const std::set<std::string>& candidates);

}  // namespace pgha
