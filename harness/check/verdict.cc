#include "check/verdict.h"

#include <fmt/format.h>

#include "check/metrics.h"

namespace pgha {

std::string VerdictName(VerdictStatus s) {
  switch (s) {
    case VerdictStatus::kPass: return "pass";
    case VerdictStatus::kFail: return "fail";
    case VerdictStatus::kError: return "error";
    case VerdictStatus::kSkipped: return "skipped";
  }
  return "?";
}

std::optional<VerdictStatus> VerdictFromName(const std::string& name) {
  for (auto s : {VerdictStatus::kPass, VerdictStatus::kFail, VerdictStatus::kError, VerdictStatus::kSkipped})
    if (VerdictName(s) == name) return s;
  return std::nullopt;
}

namespace {

Verdict JudgeOne(const Expectation& e, const Measurements& m, const RunFacts& facts) {
  Verdict v;
  v.expectation = e;
  if (!facts.infrastructure_error.empty()) {
    v.status = VerdictStatus::kError;
    v.reason = facts.infrastructure_error;
    return v;
  }
  const Metric* metric = FindMetric(e.metric);
  if (metric == nullptr) {
    v.status = VerdictStatus::kError;
    v.reason = "the checker does not know metric " + e.metric;
    return v;
  }
  const Reading r = ReadMetric(*metric, m, facts);
  v.measured = r.value;
  v.measured_text = r.text;
  if (r.verdict) {
    v.status = *r.verdict;
    v.reason = r.reason;
  } else {
    v.status = e.Holds(*r.value) ? VerdictStatus::kPass : VerdictStatus::kFail;
    if (v.status == VerdictStatus::kFail)
      v.reason = fmt::format("{} {} {} expected, measured {}", e.metric, ComparisonText(e.comparison), e.text, r.text);
  }
  return v;
}

}  // namespace

std::string FaultEffectError(const RunFacts& facts) {
  for (const auto& e : facts.fault_effects)
    if (!e.within())
      return fmt::format("fault {} asked {} {:g} and measured {:.1f} (p99 {:.1f}, {} samples, tolerance {:.1f}) on {}",
                         e.fault_id, e.quantity, e.asked, e.p50, e.p99, e.samples, e.tolerance, e.path);
  return "";
}

std::vector<Verdict> Judge(const std::vector<Expectation>& expectations, const Measurements& m, const RunFacts& facts) {
  std::vector<Verdict> out;
  for (const auto& e : expectations) {
    Verdict v = JudgeOne(e, m, facts);
    if (!facts.not_applicable.empty()) {
      v.status = VerdictStatus::kSkipped;
      v.reason = facts.not_applicable;
      v.measured.reset();
      v.measured_text = "not run";
    }
    // A run whose every fault was skipped proves nothing about the fault:
    // its targets are skipped too, whatever was measured.
    if (!m.fault_injected && !facts.skipped_faults.empty() &&
        (v.status == VerdictStatus::kPass || v.status == VerdictStatus::kFail)) {
      v.status = VerdictStatus::kSkipped;
      v.reason = "every fault was skipped: " + facts.skipped_faults[0];
    }
    // A fault that did not do what was asked (its own measurement, outside
    // the tolerance) makes the run measure something else: an error, not a verdict.
    if (const std::string e = FaultEffectError(facts);
        !e.empty() && (v.status == VerdictStatus::kPass || v.status == VerdictStatus::kFail)) {
      v.status = VerdictStatus::kError;
      v.reason = "measurement error: " + e;
    }
    out.push_back(v);
  }
  return out;
}

}  // namespace pgha
