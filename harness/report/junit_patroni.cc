// KnownBugTestCase and EffectiveProperties (report/junit.h): a known bug's
// versioned verdict as one test case, and what Patroni ran with as properties.
#include <fmt/format.h>

#include "report/junit.h"

namespace pgha {

std::string KnownBugTestCase(const ScenarioResult& r, const std::string& cls, int* tests, int* failures) {
  const auto v = r.BugVerdict();
  if (!v || !r.facts.infrastructure_error.empty() || r.interrupted) return "";
  ++*tests;
  std::string out = fmt::format("    <testcase classname=\"{}\" name=\"{}\">\n", XmlEscape(cls),
                                XmlEscape("known bug " + r.known_bug->id));
  const std::string about = r.known_bug->title + " (" + r.known_bug->source + ")";
  if (v->expected) {
    out += fmt::format("      <system-out>{}</system-out>\n", XmlEscape(v->text + ": " + about));
  } else {
    ++*failures;
    out += fmt::format("      <failure type=\"known bug\" message=\"{}\">{}</failure>\n", XmlEscape(v->text),
                       XmlEscape(about));
  }
  return out + "    </testcase>\n";
}

void EffectiveProperties(const ScenarioResult& r, std::string* props) {
  if (!r.effective) return;
  const EffectiveSettings& e = *r.effective;
  Property(props, "effective.patroni_version", e.patroni_version);
  for (const auto& [k, v] : e.applied) Property(props, "effective.patroni." + k, v);
  for (const auto& a : e.predicted) Property(props, "effective.adjusted", DescribeAdjustments({a}));
  Property(props, "effective.confirmation", e.Confirmation());
}

}  // namespace pgha
