// edit_config: {ttl: 10s, postgresql: {parameters: {max_connections: 200}}}
// — a change of Patroni's dynamic configuration under load, as `patronictl
// edit-config` makes it: one PATCH /config, after which every member
// applies it at its next loop; a PostgreSQL parameter that needs a restart
// shows as pending_restart (a later `restart: {target: all,
// pending_restart: true}` applies it). The values before are restored at
// the end of the run (on a cluster that is not ours that is the point).
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "core/text.h"
#include "core/units.h"
#include "operations/registry.h"

namespace pgha {
namespace {

// Patroni's dynamic settings (docs: "Dynamic Configuration Settings").
const std::set<std::string> kSeconds = {"ttl",
                                        "loop_wait",
                                        "retry_timeout",
                                        "master_start_timeout",
                                        "primary_start_timeout",
                                        "master_stop_timeout",
                                        "primary_stop_timeout"};
const std::set<std::string> kOther = {"maximum_lag_on_failover", "maximum_lag_on_syncnode", "max_timelines_history",
                                      "synchronous_mode",        "synchronous_mode_strict", "synchronous_node_count",
                                      "failsafe_mode",           "check_timeline",          "postgresql"};
const std::set<std::string> kPostgresql = {"parameters", "use_pg_rewind", "use_slots"};

struct EditParams : OperationParams {
  nlohmann::json patch = nlohmann::json::object();
  std::string Describe() const override { return patch.dump(); }
};

nlohmann::json ScalarJson(const std::string& s) {
  if (s == "true" || s == "false") return s == "true";
  static const std::regex integer("-?[0-9]{1,15}");
  if (std::regex_match(s, integer)) return std::stoll(s);
  return s;
}

nlohmann::json ReadPostgresql(OperationReadContext& r, const YAML::Node& node) {
  nlohmann::json out = nlohmann::json::object();
  if (!node.IsMap())
    return r.map.ErrorAt(node, "postgresql is a mapping: {parameters: {...}, use_pg_rewind: ...}"), out;
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    if (!kPostgresql.count(key)) {
      r.map.ErrorAt(kv.first, fmt::format("edit_config's postgresql takes {}, not \"{}\"",
                                          Join({kPostgresql.begin(), kPostgresql.end()}), Shorten(key)));
    } else if (key != "parameters") {
      if (!kv.second.IsScalar())
        r.map.ErrorAt(kv.second, key + " is true or false");
      else
        out[key] = ScalarJson(kv.second.Scalar());
    } else if (!kv.second.IsMap()) {
      r.map.ErrorAt(kv.second, "parameters is a mapping of PostgreSQL parameters to values");
    } else {
      for (const auto& p : kv.second) {
        if (!p.second.IsScalar())
          r.map.ErrorAt(p.second, "a parameter's value is one value");
        else
          out["parameters"][p.first.Scalar()] = ScalarJson(p.second.Scalar());
      }
    }
  }
  return out;
}

void ReadSetting(OperationReadContext& r, const YAML::Node& key_node, const YAML::Node& value, nlohmann::json* patch) {
  const std::string key = key_node.Scalar();
  if (key == "postgresql") {
    (*patch)[key] = ReadPostgresql(r, value);
  } else if (kSeconds.count(key)) {
    auto d = value.IsScalar() ? ParseDuration(value.Scalar()) : Result<Duration>(Failed("not a duration"));
    const auto ms = d.ok() ? std::chrono::duration_cast<std::chrono::milliseconds>(*d).count() : -1;
    if (ms < 0 || ms % 1000 != 0)
      r.map.ErrorAt(value, fmt::format("{} is a whole number of seconds, e.g. 10s (Patroni keeps seconds)", key));
    else
      (*patch)[key] = ms / 1000;
  } else if (kOther.count(key)) {
    if (!value.IsScalar())
      r.map.ErrorAt(value, key + " is one value");
    else
      (*patch)[key] = ScalarJson(value.Scalar());
  } else {
    std::vector<std::string> all(kSeconds.begin(), kSeconds.end());
    all.insert(all.end(), kOther.begin(), kOther.end());
    r.map.ErrorAt(key_node,
                  fmt::format("\"{}\" is not one of Patroni's dynamic settings: {}", Shorten(key), Join(all)));
  }
}

// The patch that puts back what `old` had for every key `patch` sets (null: absent before).
nlohmann::json Restoring(const nlohmann::json& patch, const nlohmann::json& old) {
  nlohmann::json back = nlohmann::json::object();
  for (const auto& [k, v] : patch.items()) {
    const bool had = old.is_object() && old.contains(k);
    if (v.is_object() && (!had || old[k].is_object()))
      back[k] = Restoring(v, had ? old[k] : nlohmann::json::object());
    else
      back[k] = had ? old[k] : nlohmann::json();
  }
  return back;
}

// Members GET /cluster shows with a pending restart.
std::vector<std::string> PendingRestart(const std::string& cluster_body) {
  std::vector<std::string> out;
  auto j = nlohmann::json::parse(cluster_body, nullptr, false);
  if (j.is_object() && j.contains("members") && j["members"].is_array())
    for (const auto& m : j["members"])
      if (m.is_object() && m.value("pending_restart", false)) out.push_back(m.value("name", "?"));
  return out;
}

class EditConfig : public OperationType {
 public:
  std::string Name() const override { return "edit_config"; }
  std::string Summary() const override {
    return "a change of Patroni's dynamic configuration (patronictl edit-config: PATCH /config), restored at the end";
  }
  void Read(OperationReadContext& r, OperationSpec* out) const override {
    auto p = std::make_shared<EditParams>();
    if (!r.value.IsMap() || r.value.size() == 0)
      r.map.ErrorAt(r.value, "edit_config is a mapping of Patroni's dynamic settings, e.g. {ttl: 10s}");
    else
      for (const auto& kv : r.value) ReadSetting(r, kv.first, kv.second, &p->patch);
    out->params = p;
  }
  OperationResult Run(OperationEnv& env, const OperationSpec& op) const override {
    const nlohmann::json& patch = static_cast<const EditParams&>(*op.params).patch;
    std::string before;
    if (Status s = PatroniCall(env, env.api_member, "GET", "/config", "", &before); !s.ok()) return OperationFailed(s);
    const nlohmann::json restore = Restoring(patch, nlohmann::json::parse(before, nullptr, false));
    if (Status s = PatroniCall(env, env.api_member, "PATCH", "/config", patch.dump()); !s.ok())
      return OperationFailed(s);
    // Each member applies it at its next loop: a restart it needs shows within a few seconds.
    const TimePoint settle = std::min(env.deadline, env.clock.Now() + std::chrono::seconds(3));
    std::vector<std::string> pending;
    while (env.clock.Now() < settle) {
      std::string cluster;
      if (PatroniCall(env, env.api_member, "GET", "/cluster", "", &cluster).ok()) pending = PendingRestart(cluster);
      env.clock.SleepFor(std::chrono::milliseconds(250));
    }
    OperationResult r = OperationDone(
        fmt::format("Patroni stored {}; {}", patch.dump(),
                    pending.empty() ? "no member reports a pending restart" : "pending restart on " + Join(pending)));
    std::vector<std::string> keys;
    for (const auto& [k, v] : patch.items()) keys.push_back(k);
    r.undo_key = "configuration of " + Join(keys);  // a second change of the same keys keeps the first's values
    r.undo.Add([restore](OperationEnv& e) { return PatroniCall(e, e.api_member, "PATCH", "/config", restore.dump()); });
    return r;
  }
};

}  // namespace

const OperationType* EditConfigOperation() {
  static const EditConfig type;
  return &type;
}

}  // namespace pgha
