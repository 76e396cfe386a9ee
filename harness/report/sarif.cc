#include "report/sarif.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace pgha {
namespace {
using nlohmann::json;

std::string SarifLevel(Finding::Severity s) { return s == Finding::Severity::kUnsafe ? "error" : "warning"; }

json SarifRules() {
  json rules = json::array();
  for (const auto& r : LintRules())
    rules.push_back({{"id", r.id},
                     {"shortDescription", {{"text", r.summary}}},
                     {"defaultConfiguration", {{"level", SarifLevel(r.severity)}}},
                     {"properties", {{"severity", SeverityName(r.severity)}, {"setting", r.setting}}}});
  return rules;
}

json SarifLocation(const SourceSpot& spot) {
  return json::array({{{"physicalLocation",
                        {{"artifactLocation", {{"uri", SarifUri(spot.file)}}},
                         {"region", {{"startLine", spot.line < 1 ? 1 : spot.line}}}}}}});
}

json SarifResult(const Finding& f, const std::map<std::string, SourceSpot>& spots, const SourceSpot& fallback) {
  const auto& rules = LintRules();
  size_t index = 0;
  while (index < rules.size() && rules[index].id != f.rule) ++index;
  const std::string setting = !f.setting.empty() ? f.setting : index < rules.size() ? rules[index].setting : "";
  const auto spot = spots.find(setting);
  json r = {{"ruleId", f.rule},
            {"level", SarifLevel(f.severity)},
            {"message", {{"text", fmt::format("{}. Why: {}. Fix: {}", f.what, f.why, f.fix)}}},
            {"locations", SarifLocation(spot == spots.end() ? fallback : spot->second)},
            {"properties", {{"severity", SeverityName(f.severity)}, {"setting", setting}}}};
  if (index < rules.size()) r["ruleIndex"] = index;
  return r;
}

}  // namespace

std::string SarifUri(const std::string& path) {
  std::string out = !path.empty() && path[0] == '/' ? "file://" : "";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string RenderSarif(const std::vector<Finding>& findings, const std::map<std::string, SourceSpot>& spots,
                        const SourceSpot& fallback, const std::string& tool_version) {
  json results = json::array();
  for (const auto& f : findings) results.push_back(SarifResult(f, spots, fallback));
  const json doc = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       json::array(
           {{{"tool", {{"driver", {{"name", "pgha-chaos lint"}, {"version", tool_version}, {"rules", SarifRules()}}}}},
             {"results", results}}})}};
  return doc.dump(2) + "\n";
}

}  // namespace pgha
