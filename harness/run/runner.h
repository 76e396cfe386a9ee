// Runner: one scenario on a fresh cluster, start to finish (Jepsen's
// client / nemesis / generator / checker split):
//   Session::Open (the cluster up, through the provider it is handed) ->
//   ledger schema -> observer and workload threads -> steps in order
//   (wait, hold, fault, heal, planned operations; each fault journaled
//   before it is applied) -> heal everything -> wait for convergence ->
//   stop clients -> read every key back from the final primary ->
//   Session::Close (logs collected, everything torn down) -> one
//   evaluation of the history (Analyze, Judge).
// Teardown happens on every path: success, a broken step, the run's
// deadline, and Ctrl-C (the result then says so). Failures are values in
// the ScenarioResult; nothing here throws on the run path. The runner
// never names a concrete provider.
// Not thread-safe: one Runner per run; it owns the threads it starts.
#pragma once

#include <functional>
#include <string>

#include "client/http_client.h"
#include "client/sql_client.h"
#include "cluster/provider.h"
#include "result/result.h"
#include "scenario/scenario.h"

namespace pgha {

struct RunDeps {
  Provider& provider;
  Clock& clock;
  HttpClient& http;
  SqlClient& sql;
  ProcessRunner* local;  // programs on this machine (an ansible step's playbook); null: none
};

struct RunOptions {
  std::string workdir;
  std::string fixtures_dir;
  std::string output_dir;  // this scenario's folder: result.json, history.jsonl, observer.jsonl, logs/
  uint64_t seed = 0;       // every random choice (which replica, write jitter) derives from it
  std::string subnet;      // overrides the topology's when set
  Duration convergence_timeout = std::chrono::seconds(90);
  bool skip_preflight = false;  // unit tests with fakes only
  bool one_of_several = false;  // run --jobs: other clusters of this command are up at once (UpOptions)
  std::function<void(const std::string&)> progress;
};

class Runner {
 public:
  explicit Runner(RunDeps deps) : d_(deps) {}
  ScenarioResult Run(const Scenario& scenario, const RunOptions& options);

 private:
  RunDeps d_;
};

}  // namespace pgha
