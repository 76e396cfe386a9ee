#include "model/patroni.h"

#include <nlohmann/json.hpp>

namespace pgha {
using nlohmann::json;

Result<std::vector<PatroniMember>> ParsePatroniCluster(const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("members") || !j["members"].is_array())
    return Failed("Patroni /cluster answer has no members list");
  std::vector<PatroniMember> out;
  try {
    for (const auto& m : j["members"]) {
      if (!m.is_object()) return Failed("Patroni /cluster answer has a member that is not an object");
      PatroniMember p;
      p.name = m.value("name", "");
      p.role = m.value("role", "");
      p.state = m.value("state", "");
      p.host = m.value("host", "");
      if (m.contains("timeline") && m["timeline"].is_number_integer()) p.timeline = m["timeline"].get<int>();
      if (m.contains("lag") && m["lag"].is_number_integer())
        p.lag_bytes = m["lag"].get<int64_t>();
      else if (p.IsLeader())
        p.lag_bytes = 0;
      if (p.name.empty()) return Failed("Patroni /cluster answer has a member without a name");
      out.push_back(p);
    }
  } catch (const json::exception& e) {
    return Failed(std::string("Patroni /cluster answer has a field of the wrong type: ") + e.what());
  }
  return out;
}

bool ParsePatroniPaused(const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  return j.is_object() && j.contains("pause") && j["pause"].is_boolean() && j["pause"].get<bool>();
}

}  // namespace pgha
