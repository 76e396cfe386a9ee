#include "services/patroni_live.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace pgha {

namespace {

Duration SecondsFrom(const nlohmann::json& j, const char* key, int fallback) {
  const auto& v = j.contains(key) && j[key].is_number() ? j[key] : nlohmann::json(fallback);
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(v.get<double>()));
}

}  // namespace

Result<PatroniSettings> PatroniSettingsFromConfig(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object()) return Failed("Patroni's /config is not a JSON object");
  PatroniSettings p;
  p.ttl = SecondsFrom(j, "ttl", 30);
  p.loop_wait = SecondsFrom(j, "loop_wait", 10);
  p.retry_timeout = SecondsFrom(j, "retry_timeout", 10);
  p.maximum_lag_on_failover = j.value("maximum_lag_on_failover", int64_t{1048576});
  p.synchronous_mode = j.value("synchronous_mode", false);
  p.synchronous_mode_strict = j.value("synchronous_mode_strict", false);
  p.use_pg_rewind = false;
  if (j.contains("postgresql") && j["postgresql"].is_object()) {
    const auto& pg = j["postgresql"];
    p.use_pg_rewind = pg.value("use_pg_rewind", false);
    if (pg.contains("parameters") && pg["parameters"].is_object())
      for (const auto& [k, v] : pg["parameters"].items())
        p.postgresql_parameters[k] = v.is_string() ? v.get<std::string>() : v.dump();
  }
  return p;
}

Result<PatroniSettings> FetchPatroniSettings(HttpClient& http, const HttpTarget& api) {
  auto r = http.Get(api, "/config", std::chrono::seconds(3));
  if (!r.ok()) return r.status().WithContext("reading " + api.Url("/config"));
  if (r->status != 200) return Failed(fmt::format("{} answered {}", api.Url("/config"), r->status));
  return PatroniSettingsFromConfig(r->body);
}

}  // namespace pgha
