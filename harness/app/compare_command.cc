// compare: a results folder held against an earlier one, without running
// anything (the same comparison as `run --baseline`).
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/present.h"
#include "app/system.h"
#include "core/text.h"
#include "result/baseline.h"

namespace pgha {
namespace {

// `compare --json`: the baseline, the regressions counted, and per
// scenario whether the baseline has it and each comparison.
std::string ComparisonJson(const BaselineComparison& b) {
  nlohmann::json out = {{"baseline", b.baseline_dir}, {"regressions", b.Regressions()}};
  out["scenarios"] = nlohmann::json::array();
  for (const auto& s : b.scenarios) {
    nlohmann::json j = {{"name", s.name}, {"in_baseline", s.in_baseline}, {"compared", nlohmann::json::array()}};
    for (const auto& c : s.compared)
      j["compared"].push_back(
          {{"what", c.what}, {"baseline", c.baseline}, {"now", c.now}, {"regression", c.regression}, {"why", c.why}});
    out["scenarios"].push_back(j);
  }
  return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace

int RunCompare(const GlobalOptions&, const std::string& baseline, const std::string& now, const std::string& tolerance,
               bool json) {
  auto t = ParseTolerance(tolerance);
  if (!t.ok()) {
    PrintError(t.status().message());
    return 2;
  }
  const auto folders = ResultFolders(now);
  if (folders.empty()) {
    PrintError(now + " holds no results of `pgha-chaos run` (no result.json, trials.json or run.json)");
    return 2;
  }
  std::vector<std::pair<std::string, Sample>> samples;
  for (const auto& f : folders) {
    auto r = ReadEvaluated(f);
    if (!r.ok()) {
      PrintError(r.status().message());
      return 2;
    }
    samples.emplace_back(std::filesystem::path(f).filename().string(), SampleOfResult(*r));
  }
  auto b = CompareWithBaseline(baseline, samples, *t);
  if (!b.ok()) {
    PrintError(b.status().message());
    return 2;
  }
  // A gate pointed at the wrong folder must not pass: nothing in common is bad input.
  if (std::none_of(b->scenarios.begin(), b->scenarios.end(), [](const BaselineScenario& s) { return s.in_baseline; })) {
    std::vector<std::string> theirs, ours;
    for (const auto& f : ResultFolders(baseline)) theirs.push_back(std::filesystem::path(f).filename().string());
    for (const auto& [name, _] : samples) ours.push_back(name);
    PrintError(fmt::format("{} and {} share no scenario ({} has {}; {} has {}): is the baseline the right folder?", now,
                           baseline, now, Join(ours), baseline, theirs.empty() ? "none" : Join(theirs)));
    return 2;
  }
  fmt::print("{}", json ? ComparisonJson(*b) : BaselineText(*b));
  return b->Regressions() > 0 ? 1 : 0;
}

}  // namespace pgha
