#include "result/result.h"

#include <algorithm>

namespace pgha {

std::string StepOutcomeName(StepOutcome o) {
  switch (o) {
    case StepOutcome::kOk: return "ok";
    case StepOutcome::kTimeout: return "timeout";
    case StepOutcome::kSkipped: return "skipped";
    case StepOutcome::kError: return "error";
  }
  return "?";
}

namespace {

// Nothing was judged: not run on this topology, or every target skipped.
bool NothingJudged(const ScenarioResult& r) {
  if (!r.facts.not_applicable.empty()) return true;
  return !r.verdicts.empty() && std::all_of(r.verdicts.begin(), r.verdicts.end(),
                                            [](const Verdict& v) { return v.status == VerdictStatus::kSkipped; });
}

}  // namespace

int ScenarioResult::ExitCode() const {
  const int code = TargetExitCode();
  if (!known_bug || (code != 0 && code != 1) || NothingJudged(*this)) return code;
  const auto v = BugVerdict();
  if (v->outcome == KnownBugOutcome::kNoVersion) return 3;
  return v->expected ? 0 : 1;
}

std::optional<KnownBugVerdict> ScenarioResult::BugVerdict() const {
  if (!known_bug || NothingJudged(*this)) return std::nullopt;
  int runs = 1, reproduced = TargetExitCode() == 1 ? 1 : 0;
  if (trials) {
    runs = reproduced = 0;
    for (const auto& t : trials->runs) {
      if (t.exit_code != 0 && t.exit_code != 1) continue;
      ++runs;
      reproduced += t.exit_code == 1;
    }
  }
  auto it = versions.find("patroni");
  return JudgeKnownBug(*known_bug, it == versions.end() ? "" : it->second, runs, reproduced);
}

int ScenarioResult::TargetExitCode() const {
  if (interrupted) return 130;
  if (!facts.infrastructure_error.empty()) return 3;
  int code = 0;
  for (const auto& v : verdicts) {
    if (v.status == VerdictStatus::kError) return 3;
    if (v.status == VerdictStatus::kFail) code = 1;
  }
  return code;
}

bool ScenarioResult::Skipped() const {
  if (!facts.not_applicable.empty()) return true;
  return ExitCode() == 0 && NothingJudged(*this);
}

std::string ScenarioResult::OverallVerdict() const {
  const int code = ExitCode();
  if (Skipped()) return "skipped";
  if (code == 0) return "pass";
  if (code == 1) return "fail";
  return interrupted ? "interrupted" : "error";
}

void Evaluate(ScenarioResult* r) {
  const auto workload = r->settings.find("workload");
  r->rates = CheckWorkloadRates(r->history, workload == r->settings.end() ? SettingGroup{} : workload->second);
  if (r->trials) return;
  r->measurements = Analyze(r->history);
  r->verdicts = Judge(r->expectations, r->measurements, r->facts);
}

std::optional<bool> ScenarioResult::InsidePrediction() const {
  if (!prediction || !measurements.failover_time_s || !measurements.recovered_writes) return std::nullopt;
  if (trials) {  // every run of the set
    for (const auto& run : trials->runs)
      if (run.failover_time_s && !prediction->Contains(*run.failover_time_s)) return false;
    return true;
  }
  // The window is predicted from the fault to the first write on the new
  // primary; failover_time starts later when writes went on after the fault.
  for (const auto& p : measurements.phases)
    if (p.name == "first acknowledged write" && p.after_fault_s) return prediction->Contains(*p.after_fault_s);
  return prediction->Contains(*measurements.failover_time_s);
}

int WorstExitCode(int a, int b) {
  auto rank = [](int code) { return code == 130 ? 4 : code == 3 ? 3 : code == 1 ? 2 : code == 0 ? 0 : 3; };
  return rank(a) >= rank(b) ? a : b;
}

}  // namespace pgha
