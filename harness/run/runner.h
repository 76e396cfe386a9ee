// Runner: one scenario on a fresh cluster, start to finish (Jepsen's
// client / nemesis / generator / checker split):
//   up (netns provider) -> ledger schema -> observer + workload threads ->
//   steps in order (wait, hold, fault, heal, planned operations), each
//   fault journaled before it is applied -> heal everything -> wait for
//   convergence -> stop clients -> read every key back from the final
//   primary -> collect node logs -> tear down -> Analyze and Judge.
// Teardown happens on every path: success, a broken step, the run's
// deadline, and Ctrl-C (the result then says so). Failures are values in
// the ScenarioResult; nothing here throws on the run path.
// Not thread-safe: one Runner per run; it owns the threads it starts.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "check/checker.h"
#include "cluster/netns_provider.h"
#include "scenario/scenario.h"

namespace pgha {

struct RunOptions {
  std::string workdir;
  std::string fixtures_dir;
  std::string output_dir;   // this scenario's folder: result.json, history.jsonl, observer.jsonl, logs/
  uint64_t seed = 0;        // every random choice (which replica, write jitter) derives from it
  std::string subnet;       // overrides the topology's when set
  Duration convergence_timeout = std::chrono::seconds(90);
  bool skip_preflight = false;          // unit tests with fakes only
  std::string patroni_user = "postgres";
  std::function<void(const std::string&)> progress;
};

struct StepRecord {
  std::string description;
  int line = 0;
  double start_s = 0, end_s = 0;
  std::string outcome;  // ok, timeout, skipped, error
  std::string detail;
};

struct ScenarioResult {
  Scenario scenario;
  uint64_t seed = 0;
  std::string run_id;
  std::string output_dir;
  std::string started_at;   // UTC, ISO 8601
  double wall_s = 0;
  double bring_up_s = 0;
  bool interrupted = false;
  std::map<std::string, std::string> versions;
  std::vector<StepRecord> steps;
  History history;
  Measurements measurements;
  RunFacts facts;
  std::vector<Verdict> verdicts;

  // 0 all pass or skipped, 1 a target missed, 3 an error, 130 interrupted.
  int ExitCode() const;
};

class Runner {
 public:
  explicit Runner(ProviderDeps deps) : d_(deps) {}
  ScenarioResult Run(const Scenario& scenario, const RunOptions& options);

 private:
  ProviderDeps d_;
};

// result.json (format 1), history.jsonl (one op a line), observer.jsonl,
// final_keys.txt; and the way back, for `pgha-chaos report`.
Status WriteResultFiles(const ScenarioResult& r);
nlohmann::json ResultToJson(const ScenarioResult& r);
nlohmann::json MeasurementsToJson(const Measurements& m);
nlohmann::json VerdictsToJson(const std::vector<Verdict>& v);
// Reads a scenario folder written by WriteResultFiles.
Result<nlohmann::json> LoadResultJson(const std::string& dir);
Result<History> LoadHistory(const std::string& dir, const nlohmann::json& result);
// Measurements, verdicts and exit code of `result` recomputed from `h` by
// the current checker; everything else as saved.
nlohmann::json Recompute(const nlohmann::json& result, const History& h);

}  // namespace pgha
