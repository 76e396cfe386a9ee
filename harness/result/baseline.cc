#include "result/baseline.h"

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "core/files.h"
#include "result/result_json.h"
#include "result/trial_set.h"

namespace pgha {
namespace fs = std::filesystem;

std::vector<std::string> ResultFolders(const std::string& dir) {
  std::vector<std::string> folders;
  std::error_code ec;  // never throws: a folder that cannot be looked up holds no results
  if (fs::exists(dir + "/result.json", ec) || fs::exists(dir + "/trials.json", ec)) return {dir};
  if (auto run = ReadTextFile(dir + "/run.json"); run.ok()) {
    auto j = nlohmann::json::parse(*run, nullptr, false);
    if (!j.is_discarded() && j.is_object() && j["scenarios"].is_array())
      for (const auto& f : j["scenarios"])
        if (f.is_string()) folders.push_back(dir + "/" + f.get<std::string>());
    return folders;
  }
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (fs::exists(e.path() / "result.json", ec) || fs::exists(e.path() / "trials.json", ec))
      folders.push_back(e.path().string());
  std::sort(folders.begin(), folders.end());
  return folders;
}

Result<ScenarioResult> ReadEvaluated(const std::string& folder) {
  if (IsTrialSet(folder)) return ReadTrialSet(folder);
  auto r = ReadResultFolder(folder);
  if (r.ok()) Evaluate(&*r);
  return r;
}

Sample SampleOfResult(const ScenarioResult& r) {
  if (!r.trials) return SampleOf({r.measurements}, r.verdicts);
  Sample s;
  s.verdicts = r.verdicts;
  for (const auto& run : r.trials->runs) {
    ++s.runs;
    if (run.failover_time_s) s.failover_s.push_back(*run.failover_time_s);
    if (run.recovery_time_s) s.recovery_s.push_back(*run.recovery_time_s);
    s.lost_writes += static_cast<int64_t>(run.lost_writes);
    s.lost_runs += run.lost_writes > 0 ? 1 : 0;
    s.split_brain_s += run.split_brain_s;
    s.split_runs += run.split_brain_s > 0 ? 1 : 0;
  }
  return s;
}

int BaselineComparison::Regressions() const {
  int n = 0;
  for (const auto& s : scenarios)
    for (const auto& c : s.compared) n += c.regression ? 1 : 0;
  return n;
}

Result<BaselineComparison> CompareWithBaseline(const std::string& baseline_dir,
                                               const std::vector<std::pair<std::string, Sample>>& now,
                                               const Tolerance& tolerance) {
  BaselineComparison out;
  out.baseline_dir = baseline_dir;
  std::map<std::string, std::string> base_folders;
  for (const auto& f : ResultFolders(baseline_dir)) base_folders[fs::path(f).filename().string()] = f;
  if (base_folders.empty())
    return InvalidInput(baseline_dir +
                        " holds no results of `pgha-chaos run` (no result.json, trials.json or run.json)");
  for (const auto& [name, sample] : now) {
    BaselineScenario s;
    s.name = name;
    auto it = base_folders.find(name);
    if (it == base_folders.end()) {
      s.in_baseline = false;
      out.scenarios.push_back(s);
      continue;
    }
    auto base = ReadEvaluated(it->second);
    if (!base.ok()) return base.status();
    s.compared = CompareSamples(SampleOfResult(*base), sample, tolerance);
    out.scenarios.push_back(std::move(s));
  }
  return out;
}

}  // namespace pgha
