// Which consistency models an anomaly rules out (list_append_check.h), on
// a small part of Elle's lattice of models: the weakest model each type
// violates, and every model stronger than those. Elle's names.
#include <algorithm>
#include <map>
#include <set>

#include "elle/list_append_check.h"

namespace pgha::elle {
namespace {

// model -> the models directly stronger than it.
const std::map<std::string, std::vector<std::string>>& Stronger() {
  static const std::map<std::string, std::vector<std::string>> kStronger = {
      {"read-uncommitted", {"read-committed"}},
      {"read-committed", {"cursor-stability", "snapshot-isolation"}},
      {"cursor-stability", {"repeatable-read", "snapshot-isolation"}},
      {"repeatable-read", {"serializable"}},
      {"snapshot-isolation", {"strong-session-snapshot-isolation"}},
      {"serializable", {"strong-session-serializable"}},
      {"strong-session-snapshot-isolation", {"strong-snapshot-isolation"}},
      {"strong-session-serializable", {"strong-serializable"}},
      {"strong-snapshot-isolation", {}},
      {"strong-serializable", {}},
  };
  return kStronger;
}

std::vector<std::string> BaseModels(const std::string& base) {
  if (base == "G0" || base == "duplicate-elements" || base == "internal" || base == "incompatible-order" ||
      base == "lost-append")
    return {"read-uncommitted"};
  if (base == "G1a" || base == "G1b" || base == "G1c" || base == "dirty-update" || base == "future-read")
    return {"read-committed"};
  if (base == "lost-update") return {"cursor-stability"};
  if (base == "G-single-item" || base == "G-nonadjacent-item") return {"snapshot-isolation", "repeatable-read"};
  if (base == "G2-item") return {"repeatable-read"};
  if (base == "cycle-search-timeout") return {"strong-serializable"};  // a cycle exists, at least with real time
  return {};
}

bool EndsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

const std::vector<std::string>& AnomalyTypes() {
  static const std::vector<std::string> kTypes = [] {
    std::vector<std::string> t = {"G1a",
                                  "G1b",
                                  "internal",
                                  "duplicate-elements",
                                  "dirty-update",
                                  "lost-update",
                                  "incompatible-order",
                                  "lost-append",
                                  "future-read",
                                  "cycle-search-timeout"};
    for (const char* cycle : {"G0", "G1c", "G-single-item", "G-nonadjacent-item", "G2-item"})
      for (const char* variant : {"", "-process", "-realtime"}) t.push_back(std::string(cycle) + variant);
    return t;
  }();
  return kTypes;
}

std::vector<std::string> ModelsRuledOutBy(const std::string& type) {
  // A -process cycle rules out the session-strong form of its base model's
  // strongest forms, a -realtime one the strong form.
  for (const char* variant : {"-process", "-realtime"}) {
    if (!EndsWith(type, variant)) continue;
    const std::string base = type.substr(0, type.size() - std::string(variant).size());
    const std::string prefix = std::string(variant) == "-process" ? "strong-session-" : "strong-";
    const bool si_allows = base == "G2-item";  // snapshot isolation allows G2 (write skew)
    std::vector<std::string> out = {prefix + "serializable"};
    if (!si_allows) out.push_back(prefix + "snapshot-isolation");
    return out;
  }
  return BaseModels(type);
}

std::vector<std::string> StrongerModels(const std::vector<std::string>& models) {
  std::set<std::string> out;
  std::vector<std::string> todo = models;
  while (!todo.empty()) {
    const std::string m = todo.back();
    todo.pop_back();
    auto it = Stronger().find(m);
    if (it == Stronger().end()) continue;
    for (const auto& s : it->second)
      if (out.insert(s).second) todo.push_back(s);
  }
  for (const auto& m : models) out.erase(m);
  return {out.begin(), out.end()};
}

}  // namespace pgha::elle
