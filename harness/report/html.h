// HTML acceptance report: one self-contained file (inline CSS and SVG, no
// scripts, nothing fetched) for a whole run. It opens with the verdict
// table across scenarios, then per scenario: a timeline drawn to scale
// (each member's role, when it accepted direct writes, fault windows
// shaded, client writes as ok/fail/info, write latency), the failover
// phases, lost and indeterminate writes by key, split-brain intervals,
// the steps, the environment and settings under test, and links to the
// node logs. Every outside string is escaped. Pure and deterministic.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "check/history.h"

namespace pgha {

struct HtmlScenario {
  nlohmann::json result;   // result.json, format 1
  History history;
  std::string folder;      // the scenario's folder, relative to the report
};

std::string RenderHtml(const std::vector<HtmlScenario>& scenarios);

}  // namespace pgha
