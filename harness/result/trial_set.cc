#include "result/trial_set.h"

#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/files.h"
#include "core/json_numbers.h"
#include "result/result_json.h"

namespace pgha {
using nlohmann::json;

uint64_t TrialSeed(uint64_t seed, int index) {
  // splitmix64 of (seed, index): runs of one set and of neighbouring sets never share a seed.
  uint64_t z = seed + 0x9E3779B97F4A7C15ull * static_cast<uint64_t>(index + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return (z ^ (z >> 31)) % 1000000007ull;
}

namespace {

// The run the reports draw: the longest failover, else the most lost writes.
size_t WorstRun(const std::vector<ScenarioResult>& runs) {
  size_t worst = 0;
  auto key = [](const ScenarioResult& r) {
    return std::pair{r.measurements.failover_time_s.value_or(-1), r.measurements.lost_keys.size()};
  };
  for (size_t i = 1; i < runs.size(); ++i)
    if (key(runs[i]) > key(runs[worst])) worst = i;
  return worst;
}

}  // namespace

ScenarioResult CombineTrials(std::vector<ScenarioResult> runs, const std::vector<std::string>& folders, int planned) {
  if (runs.empty()) return {};
  TrialSummary t;
  t.planned = planned;
  std::vector<std::vector<Verdict>> verdicts;
  std::vector<Measurements> measurements;
  double wall = 0;
  for (size_t i = 0; i < runs.size(); ++i) {
    const ScenarioResult& r = runs[i];
    verdicts.push_back(r.verdicts);
    measurements.push_back(r.measurements);
    wall += r.wall_s;
    const auto& m = r.measurements;
    t.runs.push_back({folders.at(i), r.seed, r.TargetExitCode(), r.wall_s,
                      m.recovered_writes ? m.failover_time_s : std::nullopt, m.recovery_time_s, m.lost_keys.size(),
                      m.split_brain_s, m.leadership_losses, r.verdicts});
  }
  t.stats = SummarizeTrials(measurements);
  t.shown = static_cast<int>(WorstRun(runs));
  ScenarioResult set = std::move(runs[static_cast<size_t>(t.shown)]);
  set.verdicts = JudgeTrials(set.expectations, verdicts);
  set.wall_s = wall;
  set.interrupted = false;
  for (const auto& r : runs) set.interrupted |= r.interrupted;
  if (t.partial() && set.facts.infrastructure_error.empty())
    set.facts.infrastructure_error = fmt::format("partial: {} of {} runs", t.runs.size(), planned);
  set.trials = std::move(t);
  return set;
}

Status WriteTrialsJson(const ScenarioResult& set, const std::string& set_dir) {
  if (!set.trials) return Failed("not a trial set");
  json runs = json::array();
  for (const auto& r : set.trials->runs)
    runs.push_back({{"folder", std::filesystem::path(r.folder).filename().string()},
                    {"seed", r.seed},
                    {"exit_code", r.exit_code},
                    {"wall_s", r.wall_s},
                    {"failover_time_s", r.failover_time_s ? json(*r.failover_time_s) : json(nullptr)},
                    {"recovery_time_s", r.recovery_time_s ? json(*r.recovery_time_s) : json(nullptr)},
                    {"lost_writes", r.lost_writes},
                    {"split_brain_s", r.split_brain_s},
                    {"leadership_losses", r.leadership_losses}});
  json verdicts = json::array();
  for (const auto& v : set.verdicts)
    verdicts.push_back({{"metric", v.expectation.metric},
                        {"target", v.expectation.text},
                        {"status", VerdictName(v.status)},
                        {"measured", v.measured_text},
                        {"runs", v.runs},
                        {"runs_met", v.runs_met},
                        {"reason", v.reason}});
  json metrics = json::object();
  for (const auto& [name, d] : set.trials->stats.metrics)
    metrics[name] = {{"n", d.n},     {"min", d.min}, {"median", d.median},
                     {"p95", d.p95}, {"max", d.max}, {"values", d.values}};
  auto rate = [](const RateEstimate& r) {
    return json{{"runs", r.successes}, {"of", r.n}, {"ci95_low", r.low}, {"ci95_high", r.high}};
  };
  const json doc = {{"format", 1},
                    {"scenario", set.scenario.name},
                    {"planned", set.trials->planned},
                    {"partial", set.trials->partial()},
                    {"shown", set.trials->shown},
                    {"runs", runs},
                    {"verdicts", verdicts},
                    {"metrics", metrics},
                    {"runs_with_lost_writes", rate(set.trials->stats.runs_with_lost_writes)},
                    {"runs_with_split_brain", rate(set.trials->stats.runs_with_split_brain)},
                    {"runs_losing_leadership", rate(set.trials->stats.runs_losing_leadership)}};
  std::error_code ec;
  std::filesystem::create_directories(set_dir, ec);
  return WriteFileAtomic(set_dir + "/trials.json", doc.dump(2) + "\n");
}

bool IsTrialSet(const std::string& dir) {
  std::error_code ec;
  return std::filesystem::exists(dir + "/trials.json", ec);
}

Result<ScenarioResult> ReadTrialSet(const std::string& set_dir) {
  auto text = ReadTextFile(set_dir + "/trials.json");
  if (!text.ok()) return InvalidInput(set_dir + ": no trials.json");
  auto j = json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("runs") || !j["runs"].is_array())
    return InvalidInput(set_dir + "/trials.json is not a trial set (format 1)");
  if (auto at = FirstUnfitNumber(j))
    return InvalidInput(set_dir + "/trials.json: the number at " + *at + " is out of range");
  std::vector<ScenarioResult> runs;
  std::vector<std::string> folders;
  const std::string name = std::filesystem::path(set_dir).filename().string();
  for (const auto& run : j["runs"]) {
    const std::string folder = run.value("folder", "");
    auto r = ReadResultFolder(set_dir + "/" + folder);
    if (!r.ok()) return r.status();
    Evaluate(&*r);
    runs.push_back(std::move(*r));
    folders.push_back(name + "/" + folder);
  }
  if (runs.empty()) return InvalidInput(set_dir + "/trials.json lists no runs");
  auto set = CombineTrials(std::move(runs), folders, j.value("planned", static_cast<int>(folders.size())));
  set.output_dir = set_dir;
  return set;
}

}  // namespace pgha
