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

int ScenarioResult::ExitCode() const {
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
  return ExitCode() == 0 && !verdicts.empty() && std::all_of(verdicts.begin(), verdicts.end(), [](const Verdict& v) {
           return v.status == VerdictStatus::kSkipped;
         });
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
