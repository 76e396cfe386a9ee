#include "report/junit.h"

#include <fmt/format.h>

namespace pgha {

std::string XmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\t': out += "&#9;"; break;
      case '\n': out += "&#10;"; break;
      case '\r': out += "&#13;"; break;
      default:
        if (c >= 0x20) out += static_cast<char>(c);  // other control characters are not allowed in XML 1.0
    }
  }
  return out;
}

namespace {

std::string Seconds(double s) { return fmt::format("{:.3f}", s < 0 ? 0.0 : s); }

void Property(std::string* out, const std::string& name, const std::string& value) {
  *out += fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", XmlEscape(name), XmlEscape(value));
}

std::string Scalar(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

struct Counts {
  int tests = 0, failures = 0, errors = 0, skipped = 0;
};

std::string TestCase(const ScenarioResult& r, const Verdict& v, Counts* c) {
  ++c->tests;
  const std::string name = v.expectation.metric + " " + v.expectation.text;
  std::string out =
      fmt::format("    <testcase classname=\"{}\" name=\"{}\">\n", XmlEscape(r.scenario.CaseClass()), XmlEscape(name));
  switch (v.status) {
    case VerdictStatus::kFail:
      ++c->failures;
      out += fmt::format("      <failure type=\"target missed\" message=\"{}\">{}</failure>\n", XmlEscape(v.reason),
                         XmlEscape(fmt::format("target {} {}, measured {}", v.expectation.metric, v.expectation.text,
                                               v.measured_text)));
      break;
    case VerdictStatus::kError:
      ++c->errors;
      out += fmt::format("      <error type=\"infrastructure\" message=\"{}\"/>\n", XmlEscape(v.reason));
      break;
    case VerdictStatus::kSkipped:
      ++c->skipped;
      out += fmt::format("      <skipped message=\"{}\"/>\n", XmlEscape(v.reason));
      break;
    case VerdictStatus::kPass:
      out += fmt::format("      <system-out>{}</system-out>\n", XmlEscape("measured " + v.measured_text));
      break;
  }
  return out + "    </testcase>\n";
}

std::string Properties(const ScenarioResult& r) {
  std::string props;
  Property(&props, "seed", std::to_string(r.seed));
  Property(&props, "topology", r.topology);
  Property(&props, "run_id", r.run_id);
  for (const auto& [k, v] : r.versions) Property(&props, "version." + k, v);
  for (const auto& [group, values] : r.settings)
    for (const auto& [k, v] : values) Property(&props, group + "." + k, Scalar(v));
  if (!r.facts.infrastructure_error.empty()) Property(&props, "infrastructure_error", r.facts.infrastructure_error);
  for (const auto& s : r.facts.skipped_faults) Property(&props, "skipped_fault", s);
  return props;
}

std::string Suite(const ScenarioResult& r, Counts* total) {
  Counts c;
  std::string cases;
  for (const auto& v : r.verdicts) cases += TestCase(r, v, &c);
  total->tests += c.tests;
  total->failures += c.failures;
  total->errors += c.errors;
  total->skipped += c.skipped;
  return fmt::format(
      "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\" timestamp=\"{}\" "
      "file=\"{}\">\n"
      "    <properties>\n{}    </properties>\n{}  </testsuite>\n",
      XmlEscape(r.scenario.DisplayName()), c.tests, c.failures, c.errors, c.skipped, Seconds(r.wall_s),
      XmlEscape(r.started_at), XmlEscape(r.scenario.file), Properties(r), cases);
}

}  // namespace

std::string RenderJUnit(const std::vector<ScenarioResult>& results) {
  Counts total;
  std::string suites;
  double time = 0;
  for (const auto& r : results) {
    suites += Suite(r, &total);
    time += r.wall_s;
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites name=\"pgha-chaos\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{}\">\n{}</testsuites>\n",
      total.tests, total.failures, total.errors, Seconds(time), suites);
}

}  // namespace pgha
