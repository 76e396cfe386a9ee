// compare: a results folder held against an earlier one, without running
// anything (the same comparison as `run --baseline`).
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "app/commands.h"
#include "app/present.h"
#include "app/system.h"
#include "core/text.h"
#include "result/baseline.h"

namespace pgha {

int RunCompare(const GlobalOptions&, const std::string& baseline, const std::string& now,
               const std::string& tolerance) {
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
  fmt::print("{}", BaselineText(*b));
  return b->Regressions() > 0 ? 1 : 0;
}

}  // namespace pgha
