#include "observe/cluster_view.h"

#include <nlohmann/json.hpp>

#include <sstream>

namespace pgha {
using nlohmann::json;

Result<std::vector<PatroniMember>> ParsePatroniCluster(const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("members") || !j["members"].is_array())
    return Failed("Patroni /cluster answer has no members list");
  std::vector<PatroniMember> out;
  for (const auto& m : j["members"]) {
    PatroniMember p;
    p.name = m.value("name", "");
    p.role = m.value("role", "");
    p.state = m.value("state", "");
    p.host = m.value("host", "");
    if (m.contains("timeline") && m["timeline"].is_number_integer()) p.timeline = m["timeline"].get<int>();
    if (m.contains("lag") && m["lag"].is_number_integer()) p.lag_bytes = m["lag"].get<int64_t>();
    else if (p.IsLeader()) p.lag_bytes = 0;
    if (p.name.empty()) return Failed("Patroni /cluster answer has a member without a name");
    out.push_back(p);
  }
  return out;
}

Result<std::vector<HaproxyServer>> ParseHaproxyCsv(const std::string& body) {
  std::istringstream in(body);
  std::string header;
  if (!std::getline(in, header) || header.rfind("# ", 0) != 0) return Failed("HAProxy stats CSV has no header line");
  auto split = [](const std::string& line) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream ls(line);
    while (std::getline(ls, cell, ',')) cells.push_back(cell);
    return cells;
  };
  auto names = split(header.substr(2));
  int px = -1, sv = -1, st = -1;
  for (int i = 0; i < static_cast<int>(names.size()); ++i) {
    if (names[i] == "pxname") px = i;
    if (names[i] == "svname") sv = i;
    if (names[i] == "status") st = i;
  }
  if (px < 0 || sv < 0 || st < 0) return Failed("HAProxy stats CSV lacks pxname, svname or status");
  std::vector<HaproxyServer> out;
  std::string line;
  while (std::getline(in, line)) {
    auto cells = split(line);
    if (static_cast<int>(cells.size()) <= std::max({px, sv, st})) continue;
    if (cells[sv] == "FRONTEND" || cells[sv] == "BACKEND") continue;
    out.push_back({cells[px], cells[sv], cells[st]});
  }
  return out;
}

bool ParseEtcdHealthy(const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.contains("health")) return false;
  const auto& h = j["health"];
  return (h.is_string() && h.get<std::string>() == "true") || (h.is_boolean() && h.get<bool>());
}

std::optional<std::string> ParseEtcdLeader(const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("leader")) return std::nullopt;
  const auto& l = j["leader"];
  std::string id = l.is_string() ? l.get<std::string>() : l.is_number_unsigned() ? std::to_string(l.get<uint64_t>()) : "";
  if (id.empty() || id == "0") return std::nullopt;
  return id;
}

}  // namespace pgha
