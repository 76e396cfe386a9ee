#include "gate_evidence.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <tuple>
#include <vector>

namespace pgha::itest {
namespace fs = std::filesystem;

namespace {

bool AboutTheLeaderKey(const std::string& line) {
  static const std::vector<std::string> kPhrases = {"Lock owner",
                                                    "promot",
                                                    "demot",
                                                    "acquired session lock",
                                                    "updated leader lock",
                                                    "pg_rewind",
                                                    "DCS is not accessible",
                                                    "leader race",
                                                    "following a different leader",
                                                    "Error communicating with DCS"};
  if (line.find("no action") != std::string::npos || line.find("Lock owner: None") != std::string::npos ||
      line.find("not healthy enough for leader race") != std::string::npos)
    return false;
  for (const auto& p : kPhrases)
    if (line.find(p) != std::string::npos) return true;
  return false;
}

// The text of a Patroni line without its time stamp ("2026-12-08 00:51:32,303 ").
std::string WithoutStamp(const std::string& line) { return line.size() > 24 ? line.substr(24) : line; }

std::string MemberLines(const fs::path& log, size_t per_node) {
  std::ifstream in(log);
  std::string line, last, out;
  size_t shown = 0, folded = 0;
  while (std::getline(in, line) && shown < per_node) {
    if (!AboutTheLeaderKey(line)) continue;
    if (WithoutStamp(line) == last) {
      ++folded;
      continue;
    }
    if (folded) out += "      (the line above " + std::to_string(folded) + " more time(s))\n";
    folded = 0;
    last = WithoutStamp(line);
    out += "    " + line.substr(0, 220) + "\n";
    ++shown;
  }
  if (folded) out += "      (the line above " + std::to_string(folded) + " more time(s))\n";
  return out;
}

}  // namespace

std::string LeaderKeyEvidence(const std::string& folder, size_t per_node) {
  std::string out = "evidence from " + folder + ":\n";
  std::ifstream events(fs::path(folder) / "events.jsonl");
  for (std::string line; std::getline(events, line);)
    if (line.find("\"etcd watch\"") != std::string::npos) out += "  " + line + "\n";
  std::vector<fs::path> logs;
  std::error_code ec;
  for (const auto& host : fs::directory_iterator(fs::path(folder) / "logs", ec))
    if (fs::exists(host.path() / "patroni.log")) logs.push_back(host.path() / "patroni.log");
  std::sort(logs.begin(), logs.end());
  for (const auto& log : logs) out += "  " + log.parent_path().filename().string() + ":\n" + MemberLines(log, per_node);
  return out;
}

bool MetConcurrentOfflineDemote(const std::string& folder) {
  std::error_code ec;
  for (const auto& host : fs::directory_iterator(fs::path(folder) / "logs", ec)) {
    std::ifstream in(host.path() / "patroni.log");
    for (std::string line; std::getline(in, line);)
      if (line.find("AsyncExecutor is busy, demoting from the main thread") != std::string::npos) return true;
  }
  return false;
}

bool MetPatroni302Overwrite(const nlohmann::json& result) {
  const auto overwrites =
      result.value("measurements", nlohmann::json::object()).value("leader_key_overwrites", nlohmann::json::array());
  // "patroni 3.0.2" (the harness's model/patroni_rules.h is not included
  // here: its Join would be ambiguous with the helpers' in a unity batch).
  const std::string text = result.value("versions", nlohmann::json::object()).value("patroni", std::string());
  int major = 0, minor = 0, patch = 0;
  if (std::sscanf(text.c_str(), "patroni %d.%d.%d", &major, &minor, &patch) != 3) return false;
  return !overwrites.empty() && std::make_tuple(major, minor, patch) < std::make_tuple(3, 0, 3);
}

}  // namespace pgha::itest
