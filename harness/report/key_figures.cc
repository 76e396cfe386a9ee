#include "report/key_figures.h"

#include <fmt/format.h>

namespace pgha {
namespace {

const Verdict* VerdictOn(const ScenarioResult& r, const std::string& metric) {
  for (const auto& v : r.verdicts)
    if (v.expectation.metric == metric) return &v;
  return nullptr;
}

std::string AgainstTarget(const ScenarioResult& r, const std::string& metric, const std::string& unjudged) {
  const Verdict* v = VerdictOn(r, metric);
  if (!v || v->status == VerdictStatus::kSkipped || v->status == VerdictStatus::kError) return unjudged;
  return fmt::format("{} ({} {})", v->measured_text, v->expectation.text,
                     v->status == VerdictStatus::kPass ? "✓" : "✗");
}

}  // namespace

KeyFigures KeyFiguresOf(const ScenarioResult& r) {
  const Measurements& m = r.measurements;
  int met = 0, judged = 0;
  for (const auto& v : r.verdicts) {
    judged += v.status == VerdictStatus::kPass || v.status == VerdictStatus::kFail;
    met += v.status == VerdictStatus::kPass;
  }
  // A known bug's targets are the correct behaviour: missing them is its reproduction.
  const auto bug = r.BugVerdict();
  KeyFigures k;
  k.failover = AgainstTarget(
      r, "failover_time", m.failover_time_s && m.recovered_writes ? fmt::format("{:.2f}s", *m.failover_time_s) : "–");
  k.lost_writes = AgainstTarget(r, "lost_writes", std::to_string(m.lost_keys.size()));
  k.split_brain = AgainstTarget(r, "split_brain", fmt::format("{:.2f}s", m.split_brain_s));
  k.targets = !bug            ? fmt::format("{} of {}", met, judged)
              : bug->expected ? "missed, as the bug predicts"
                              : "unexpected: see below";
  return k;
}

int VerdictRank(const std::string& verdict) {
  for (int i = 0; const char* v : {"fail", "error", "interrupted", "skipped", "pass"}) {
    if (verdict == v) return i;
    ++i;
  }
  return 5;
}

}  // namespace pgha
