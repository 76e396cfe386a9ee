// result.json's "effective_settings" and "known_bug" (result_json.h).
#include "result/result_json.h"

namespace pgha {

using json = nlohmann::json;

json AdjustmentsToJson(const std::vector<SettingAdjustment>& list) {
  json out = json::array();
  for (const auto& a : list)
    out.push_back({{"setting", a.setting},
                   {"written", a.written},
                   {"applied", a.applied},
                   {"rule", a.rule},
                   {"log", a.log_line}});
  return out;
}

namespace {

std::vector<SettingAdjustment> AdjustmentsFromJson(const json& j) {
  std::vector<SettingAdjustment> out;
  if (!j.is_array()) return out;
  for (const auto& a : j)
    out.push_back({a.value("setting", ""), a.value("written", ""), a.value("applied", ""), a.value("rule", ""),
                   a.value("log", "")});
  return out;
}

}  // namespace

json EffectiveToJson(const EffectiveSettings& e) {
  return {{"patroni_version", e.patroni_version},
          {"applied", e.applied},
          {"predicted", AdjustmentsToJson(e.predicted)},
          {"logged", AdjustmentsToJson(e.logged)},
          {"logs_read", e.logs_read},
          {"confirmation", e.Confirmation()}};
}

EffectiveSettings EffectiveFromJson(const json& j) {
  EffectiveSettings e;
  e.patroni_version = j.value("patroni_version", "");
  e.applied = j.value("applied", std::map<std::string, std::string>{});
  e.predicted = AdjustmentsFromJson(j.value("predicted", json::array()));
  e.logged = AdjustmentsFromJson(j.value("logged", json::array()));
  e.logs_read = j.value("logs_read", false);
  return e;
}

json KnownBugToJson(const ScenarioResult& r) {
  const KnownBug& b = *r.known_bug;
  const auto v = r.BugVerdict();
  return {{"id", b.id},
          {"title", b.title},
          {"source", b.source},
          {"affects", b.affects},
          {"fixed_in", b.fixed_in ? b.fixed_in->ToString() : "not yet"},
          {"verdict", v->text},
          {"expected", v->expected},
          {"runs", v->runs},
          {"reproduced", v->reproduced}};
}

std::optional<KnownBug> KnownBugFromJson(const json& j) {
  if (!j.is_object()) return std::nullopt;
  KnownBug b;
  b.id = j.value("id", "");
  b.title = j.value("title", "");
  b.source = j.value("source", "");
  b.affects = j.value("affects", "all");
  const std::string fixed = j.value("fixed_in", "not yet");
  if (fixed != "not yet") b.fixed_in = ParsePatroniVersion(" " + fixed);
  return b;
}

}  // namespace pgha
