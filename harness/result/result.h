// ScenarioResult: one scenario run as a typed document: what ran (scenario,
// seed, versions, settings under test), what happened (steps, history),
// and what it means (measurements, verdicts). The runner fills it, the
// reporters (report/) render it, result_json.h turns it into result.json
// and back, and `pgha-chaos report` rebuilds it from a results folder and
// evaluates it again. Exit-code precedence lives here, once.
// Plain data; safe to copy.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "check/known_bug.h"
#include "check/measurements.h"
#include "check/predict.h"
#include "check/trials.h"
#include "check/verdict.h"
#include "check/workload_rates.h"
#include "history/history.h"
#include "model/topology.h"

namespace pgha {

enum class StepOutcome { kOk, kTimeout, kSkipped, kError };
std::string StepOutcomeName(StepOutcome o);

struct StepRecord {
  std::string description;
  int line = 0;
  double start_s = 0, end_s = 0;
  StepOutcome outcome = StepOutcome::kOk;
  std::string detail;
};

struct ScenarioInfo {
  std::string name;
  std::string file;
  std::string description;
  std::string on_topology;  // set when run on another topology than its own (run --topology, a suite's topologies)
  // "primary-kill", or "primary-kill on seed-001-haproxy-vip" (reports, JUnit)
  std::string DisplayName() const { return on_topology.empty() ? name : name + " on " + on_topology; }
  std::string CaseClass() const { return on_topology.empty() ? file : file + " on " + on_topology; }
};

// One run of a trial set, as the set's reports list it.
struct TrialRun {
  std::string folder;  // relative to the run's output folder ("primary-kill/trial-3")
  uint64_t seed = 0;
  int exit_code = 0;  // its targets alone (ScenarioResult::TargetExitCode)
  double wall_s = 0;
  std::optional<double> failover_time_s;  // when writes came back
  std::optional<double> recovery_time_s;
  size_t lost_writes = 0;
  double split_brain_s = 0;
  int leadership_losses = 0;      // check/measurements.h; false failovers where none was expected
  std::vector<Verdict> verdicts;  // its own, one per target in order (JUnit's flaky and rerun elements)
};

// What a result of several runs (trials) adds: each run, the statistics,
// which run the result's own history and measurements are (the worst), and
// whether the set was cut short (Ctrl-C, the deadline): then it is partial.
struct TrialSummary {
  std::vector<TrialRun> runs;
  TrialStatistics stats;
  int shown = 0;  // index into runs
  int planned = 0;
  bool partial() const { return static_cast<int>(runs.size()) < planned; }
};

// What Patroni ran with (model/patroni_rules.h): its version's rules
// applied to the written settings, and what its own logs said it changed.
struct EffectiveSettings {
  std::string patroni_version;                 // "3.0.2"
  std::map<std::string, std::string> applied;  // "ttl" -> "20s", for ttl, loop_wait, retry_timeout, watchdog
  std::vector<SettingAdjustment> predicted;    // from the version's rules
  std::vector<SettingAdjustment> logged;       // Patroni's own warnings in the collected logs
  bool logs_read = false;                      // a patroni.log was read after the run
  // "confirmed by Patroni's log", "no adjustment logged, as predicted", or
  // where the two differ, how.
  std::string Confirmation() const;
};
EffectiveSettings EffectiveFor(const PatroniSettings& written, const std::string& patroni_version_line);

struct ScenarioResult {
  ScenarioInfo scenario;
  uint64_t seed = 0;
  std::string run_id;
  std::string started_at;  // UTC, ISO 8601
  double wall_s = 0;
  double bring_up_s = 0;
  bool interrupted = false;
  std::map<std::string, std::string> versions;
  std::string topology;
  SettingsUnderTest settings;  // "patroni", "haproxy", "workload" groups
  RunFacts facts;
  std::vector<StepRecord> steps;
  std::vector<Expectation> expectations;
  History history;
  Measurements measurements;
  std::vector<Verdict> verdicts;
  WorkloadRates rates;            // asked against achieved, from the history and the workload settings
  std::vector<std::string> logs;  // collected log files, relative to the scenario's folder ("logs/node1/patroni.log")
  std::string output_dir;         // where its files are written (not part of result.json)
  // Several runs judged together (result/trial_set.h): the verdicts are
  // then the aggregated ones and the rest is the worst run's.
  std::optional<TrialSummary> trials;
  // The failover window the settings under test allow for the scenario's
  // fault (check/predict.h), when it is a failover of the primary.
  std::optional<Window> prediction;
  // Whether the failover time fell inside it (nullopt: nothing to compare).
  std::optional<bool> InsidePrediction() const;
  std::optional<EffectiveSettings> effective;  // when Patroni's version was read
  std::optional<KnownBug> known_bug;           // the scenario's (check/known_bug.h)
  // The known bug's verdict against the Patroni that ran: one run, or
  // every run of a trial set (a run reproduces it when a target missed);
  // none when nothing was judged (not applicable, every target skipped).
  std::optional<KnownBugVerdict> BugVerdict() const;

  // 0 all pass or skipped, 1 a target missed, 3 an error, 130 interrupted.
  int TargetExitCode() const;
  // TargetExitCode, except for a known bug: 0 when its verdict is the
  // expected one, 1 when not (check/known_bug.h).
  int ExitCode() const;
  // Not applicable here, or every target skipped (its fault could not be
  // injected): what the reports head "SKIPPED" rather than "PASS".
  bool Skipped() const;
  // The one word every report heads the scenario with: "skipped", "pass",
  // "fail", "interrupted" or "error".
  std::string OverallVerdict() const;
};

// Measurements from the history and verdicts from the expectations: the
// one place a result is evaluated (after a run, and by `report`). A trial
// set is evaluated run by run when it is combined, and left as it is here.
void Evaluate(ScenarioResult* r);

// The exit code of several results: 130 (interrupted) over 3 (error) over
// 1 (a target missed) over 0.
int WorstExitCode(int a, int b);

}  // namespace pgha
