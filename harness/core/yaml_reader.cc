#include "core/yaml_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "core/files.h"
#include "core/text.h"
#include "core/units.h"

namespace pgha {

std::string Diagnostic::Format() const {
  if (line <= 0) return fmt::format("{}: {}", file, message);
  return fmt::format("{}:{}:{}: {}", file, line, column, message);
}

void Diagnostics::Error(const std::string& file, const YAML::Mark& mark, const std::string& message) {
  Diagnostic d;
  d.file = file;
  if (!mark.is_null()) {
    d.line = mark.line + 1;
    d.column = mark.column + 1;
  }
  d.message = message;
  errors_.push_back(d);
}

Status Diagnostics::ToStatus() const {
  if (errors_.empty()) return Status::Ok();
  std::string all;
  for (const auto& e : errors_) {
    if (!all.empty()) all += "\n";
    all += e.Format();
  }
  return InvalidInput(all);
}

namespace {

// Counts the values of `node` as a reader sees them, aliases expanded (the
// parser shares an aliased node, so a "billion laughs" is small until it is
// walked); stops as soon as a bound is passed. "" or what was passed.
std::string TooBig(const YAML::Node& node, int depth, size_t* count) {
  if (++*count > kMaxYamlValues)
    return fmt::format(
        "the YAML holds more than {} values once its aliases (*name) are expanded; an input file "
        "holds at most that: is it the right file?",
        kMaxYamlValues);
  if (depth > kMaxYamlDepth) return fmt::format("the YAML is nested deeper than {} levels", kMaxYamlDepth);
  if (node.IsMap()) {
    for (const auto& kv : node)
      if (auto e = TooBig(kv.second, depth + 1, count); !e.empty()) return e;
  } else if (node.IsSequence()) {
    for (const auto& item : node)
      if (auto e = TooBig(item, depth + 1, count); !e.empty()) return e;
  }
  return "";
}

}  // namespace

std::optional<YAML::Node> LoadYamlString(const std::string& text, const std::string& name, Diagnostics* diags) {
  try {
    YAML::Node node = YAML::Load(text);
    if (!node.IsDefined() || node.IsNull()) {
      diags->Error(name, YAML::Mark::null_mark(), "the file is empty");
      return std::nullopt;
    }
    size_t count = 0;
    if (const std::string e = TooBig(node, 0, &count); !e.empty()) {
      diags->Error(name, YAML::Mark::null_mark(), e);
      return std::nullopt;
    }
    return node;
  } catch (const YAML::Exception& e) {
    diags->Error(name, e.mark, "YAML syntax error: " + e.msg);
    return std::nullopt;
  }
}

std::optional<YAML::Node> LoadYamlFile(const std::string& path, Diagnostics* diags) {
  auto text = ReadInputFile(path);
  if (!text.ok()) {
    // The message starts with the path, which the diagnostic prints itself.
    std::string why = text.status().message();
    if (why.rfind(path + ": ", 0) == 0) why = why.substr(path.size() + 2);
    diags->Error(path, YAML::Mark::null_mark(), why);
    return std::nullopt;
  }
  return LoadYamlString(*text, path, diags);
}

YamlMap::YamlMap(YAML::Node node, std::string file, std::string where, Diagnostics* diags)
    : node_(std::move(node)), file_(std::move(file)), where_(std::move(where)), diags_(diags) {
  if (!node_.IsMap()) {
    diags_->Error(file_, node_.Mark(), fmt::format("{} must be a mapping of keys to values", where_));
    return;
  }
  valid_ = true;
}

void YamlMap::ErrorAt(const YAML::Node& node, const std::string& message) {
  diags_->Error(file_, node.Mark(), message);
}

bool YamlMap::Has(const std::string& key) {
  known_.insert(key);
  return valid_ && node_[key].IsDefined() && !node_[key].IsNull();
}

std::optional<YAML::Node> YamlMap::Node(const std::string& key) {
  if (!Has(key)) return std::nullopt;
  return node_[key];
}

void YamlMap::Require(const std::string& key) {
  if (valid_ && !Has(key)) diags_->Error(file_, node_.Mark(), fmt::format("{} needs the key \"{}\"", where_, key));
}

void YamlMap::String(const std::string& key, std::string* out) {
  auto n = Node(key);
  if (!n) return;
  if (!n->IsScalar()) return ErrorAt(*n, fmt::format("{}.{} must be a string", where_, key));
  *out = n->as<std::string>();
}

bool IsSafeName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength || !std::isalnum(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
}

void YamlMap::Name(const std::string& key, std::string* out) {
  std::string value;
  String(key, &value);
  auto n = Node(key);
  if (!n || !n->IsScalar()) return;
  if (!IsSafeName(value))
    return ErrorAt(*n, fmt::format("{}.{} names a folder of results: letters, digits, '.', '_' and '-', starting "
                                   "with a letter or digit, at most {} characters; got \"{}\"",
                                   where_, key, kMaxNameLength, Shorten(value)));
  *out = value;
}

void YamlMap::Bool(const std::string& key, bool* out) {
  auto n = Node(key);
  if (!n) return;
  const std::string s = n->IsScalar() ? n->Scalar() : "";
  if (s == "true")
    *out = true;
  else if (s == "false")
    *out = false;
  else
    ErrorAt(*n, fmt::format("{}.{} must be true or false, got \"{}\"", where_, key, s));
}

void YamlMap::Int(const std::string& key, int64_t min, int64_t max, int64_t* out) {
  auto n = Node(key);
  if (!n) return;
  const std::string s = n->IsScalar() ? n->Scalar() : "";
  const auto parsed = ParseInt64(s);
  if (!parsed) return ErrorAt(*n, fmt::format("{}.{} must be a whole number, got \"{}\"", where_, key, s));
  const int64_t v = *parsed;
  if (v < min || v > max)
    return ErrorAt(*n, fmt::format("{}.{} must be between {} and {}, got {}", where_, key, min, max, v));
  *out = v;
}

void YamlMap::Int(const std::string& key, int min, int max, int* out) {
  int64_t v = *out;
  Int(key, static_cast<int64_t>(min), static_cast<int64_t>(max), &v);
  *out = static_cast<int>(v);
}

void YamlMap::Dur(const std::string& key, Duration* out) {
  auto n = Node(key);
  if (!n) return;
  if (!n->IsScalar()) return ErrorAt(*n, fmt::format("{}.{} must be a duration such as 10s", where_, key));
  auto d = ParseDuration(n->Scalar());
  if (!d.ok()) return ErrorAt(*n, fmt::format("{}.{}: {}", where_, key, d.status().message()));
  *out = *d;
}

void YamlMap::Size(const std::string& key, uint64_t* out) {
  auto n = Node(key);
  if (!n) return;
  auto size = ParseSize(n->IsScalar() ? n->Scalar() : "");
  if (!size.ok()) return ErrorAt(*n, fmt::format("{}.{}: {}", where_, key, size.status().message()));
  *out = *size;
}

void YamlMap::StringList(const std::string& key, std::vector<std::string>* out) {
  auto n = Node(key);
  if (!n) return;
  if (!n->IsSequence()) return ErrorAt(*n, fmt::format("{}.{} must be a list, e.g. [a, b]", where_, key));
  out->clear();
  for (const auto& item : *n) {
    if (!item.IsScalar()) {
      ErrorAt(item, fmt::format("{}.{} must hold strings", where_, key));
      continue;
    }
    out->push_back(item.Scalar());
  }
}

void YamlMap::Finish() {
  if (!valid_) return;
  for (const auto& kv : node_) {
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
    if (known_.count(key)) continue;
    std::string fix;
    std::string close = ClosestMatch(key, known_);
    if (!close.empty())
      fix = fmt::format("; did you mean \"{}\"?", close);
    else {
      std::string list;
      for (const auto& k : known_) list += (list.empty() ? "" : ", ") + k;
      fix = "; known keys: " + list;
    }
    diags_->Error(file_, kv.first.Mark(), fmt::format("unknown key \"{}\" in {}{}", key, where_, fix));
  }
}

std::string ClosestMatch(const std::string& word, const std::set<std::string>& candidates) {
  std::string best;
  size_t best_distance = 3;  // at most two edits away
  for (const auto& c : candidates) {
    std::vector<size_t> prev(c.size() + 1), cur(c.size() + 1);
    for (size_t j = 0; j <= c.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= word.size(); ++i) {
      cur[0] = i;
      for (size_t j = 1; j <= c.size(); ++j)
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (word[i - 1] == c[j - 1] ? 0 : 1)});
      std::swap(prev, cur);
    }
    if (prev[c.size()] < best_distance) {
      best_distance = prev[c.size()];
      best = c;
    }
  }
  return best;
}

}  // namespace pgha
