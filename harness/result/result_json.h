// result.json, format 1 (docs/results.md), and the history files beside it
// (history.jsonl, observer.jsonl, final_keys.txt): one to-JSON and one
// from-JSON for the typed ScenarioResult. Reading accepts every result.json
// format 1 ever written (fields missing from older files take defaults, and
// the settings keep exactly the keys the file had, so `report` reproduces
// the JUnit of an older run byte for byte).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"
#include "result/result.h"

namespace pgha {

nlohmann::json ResultToJson(const ScenarioResult& r);
// Without the ops, samples and final keys (they are in their own files).
Result<ScenarioResult> ResultFromJson(const nlohmann::json& j);
nlohmann::json MeasurementsToJson(const Measurements& m);
// A number that may be absent: null in the file.
nlohmann::json OptionalNumber(const std::optional<double>& v);
std::optional<double> OptionalNumberFrom(const nlohmann::json& j, const char* key);
Measurements MeasurementsFromJson(const nlohmann::json& j);
// Measurements' "operations" (result_json_operations.cc): the planned operations' windows.
nlohmann::json OperationsToJson(const Measurements& m);
void OperationsFromJson(const nlohmann::json& j, Measurements* m);
// "effective_settings" and "known_bug" (result_json_patroni.cc); the verdict is written, and recomputed on reading.
nlohmann::json EffectiveToJson(const EffectiveSettings& e);
nlohmann::json AdjustmentsToJson(const std::vector<SettingAdjustment>& list);  // also lint --json's "adjusted"
EffectiveSettings EffectiveFromJson(const nlohmann::json& j);
nlohmann::json KnownBugToJson(const ScenarioResult& r);  // r.known_bug set
std::optional<KnownBug> KnownBugFromJson(const nlohmann::json& j);

// Writes result.json, history.jsonl, observer.jsonl and final_keys.txt into r.output_dir.
// The list-append transactions in elle-cli's format (elle/elle_json.h), when the run had some.
inline constexpr const char* kElleHistoryFile = "history.elle.json";
Status WriteResultFiles(const ScenarioResult& r);
// Reads a scenario folder written by WriteResultFiles (output_dir set to it).
Result<ScenarioResult> ReadResultFolder(const std::string& dir);

}  // namespace pgha
