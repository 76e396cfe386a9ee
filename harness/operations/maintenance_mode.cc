#include "operations/maintenance_mode.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/text.h"

namespace pgha {

void ReadClusterWord(OperationReadContext& r, const std::string& name) {
  if (!r.value.IsScalar() || r.value.Scalar() != "cluster")
    r.map.ErrorAt(r.value, fmt::format("{} acts on the whole cluster: write `{}: cluster`", name, name));
}

namespace {

// The members GET /cluster lists as running.
std::vector<std::string> RunningMembers(const std::string& cluster_body) {
  std::vector<std::string> out;
  auto j = nlohmann::json::parse(cluster_body, nullptr, false);
  if (!j.is_object() || !j.contains("members") || !j["members"].is_array()) return out;
  for (const auto& m : j["members"])
    if (m.is_object() && m.value("state", "") != "stopped" && m.contains("name") && m["name"].is_string())
      out.push_back(m["name"].get<std::string>());
  return out;
}

bool SaysPaused(const std::string& body, bool paused) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  return j.is_object() && j.value("pause", false) == paused;
}

}  // namespace

Status SetMaintenanceMode(OperationEnv& env, bool paused, std::string* detail) {
  Status s = PatroniCall(env, env.api_member, "PATCH", "/config", paused ? R"({"pause":true})" : R"({"pause":null})");
  if (!s.ok()) return s;
  std::string cluster;
  s = PatroniCall(env, env.api_member, "GET", "/cluster", "", &cluster);
  if (!s.ok()) return s;
  const std::vector<std::string> members = RunningMembers(cluster);
  for (const auto& m : members) {
    s = PollPatroni(
        env, m, "/patroni", [&](const std::string& body) { return SaysPaused(body, paused); },
        fmt::format("{} to report {}", m, paused ? "maintenance mode" : "the end of maintenance mode"));
    if (!s.ok()) return s;
  }
  *detail = fmt::format("Patroni {} the cluster: {} on {}", paused ? "paused" : "resumed",
                        paused ? "maintenance mode" : "automatic failover again", Join(members));
  return Status::Ok();
}

}  // namespace pgha
