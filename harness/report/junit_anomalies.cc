// AnomalyTestCases (report/junit.h): a test case per anomaly type of a run
// with list-append transactions.
#include <fmt/format.h>

#include "elle/list_append_check.h"
#include "report/junit.h"

namespace pgha {
namespace {

// The verdict of the target that covers `type`, if one missed: its own
// (anomalies.<type>) first, then the total's.
const Verdict* MissedTargetOn(const ScenarioResult& r, const std::string& type) {
  for (const std::string& metric : {"anomalies." + type, std::string("anomalies")}) {
    for (const auto& v : r.verdicts)
      if (v.expectation.metric == metric && v.status == VerdictStatus::kFail) return &v;
  }
  return nullptr;
}

}  // namespace

std::string AnomalyTestCases(const ScenarioResult& r, const std::string& cls, int* tests, int* failures) {
  if (!r.measurements.txns || !r.measurements.txns->input_error.empty()) return "";
  const elle::CheckResult& check = *r.measurements.txns;
  std::string out;
  for (const auto& type : elle::AnomalyTypes()) {
    ++*tests;
    auto it = check.counts.find(type);
    const int64_t n = it == check.counts.end() ? 0 : it->second;
    out += fmt::format("    <testcase classname=\"{}\" name=\"{}\">\n", XmlEscape(cls), XmlEscape("anomaly " + type));
    const auto& found = check.anomalies.count(type) ? check.anomalies.at(type) : std::vector<elle::Anomaly>{};
    const std::string first = found.empty() ? "" : found.front().explanation;
    if (const Verdict* missed = n > 0 ? MissedTargetOn(r, type) : nullptr) {
      ++*failures;
      out += fmt::format(
          "      <failure type=\"anomaly\" message=\"{}\">{}</failure>\n",
          XmlEscape(fmt::format("{} {} (target {} {})", n, type, missed->expectation.metric, missed->expectation.text)),
          XmlEscape(first));
    } else {
      out += fmt::format("      <system-out>{}</system-out>\n",
                         XmlEscape(n == 0 ? "none found" : fmt::format("{} found, no target on them: {}", n, first)));
    }
    out += "    </testcase>\n";
  }
  return out;
}

}  // namespace pgha
