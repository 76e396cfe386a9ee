#include "report/junit.h"

#include <fmt/format.h>

namespace pgha {
using nlohmann::json;

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

std::string Scalar(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

struct Counts {
  int tests = 0, failures = 0, errors = 0, skipped = 0;
};

std::string Suite(const json& r, Counts* total) {
  Counts c;
  std::string cases;
  const std::string file = r["scenario"].value("file", "");
  const json verdicts = r.value("verdicts", json::array());
  for (const auto& v : verdicts) {
    ++c.tests;
    const std::string status = v.value("status", "error");
    const std::string name = v.value("metric", "") + " " + v.value("target", "");
    cases += fmt::format("    <testcase classname=\"{}\" name=\"{}\">\n", XmlEscape(file), XmlEscape(name));
    const std::string measured = v.value("measured_text", "");
    const std::string reason = v.value("reason", "");
    if (status == "fail") {
      ++c.failures;
      cases += fmt::format("      <failure type=\"target missed\" message=\"{}\">{}</failure>\n", XmlEscape(reason),
                           XmlEscape(fmt::format("target {} {}, measured {}", v.value("metric", ""), v.value("target", ""), measured)));
    } else if (status == "error") {
      ++c.errors;
      cases += fmt::format("      <error type=\"infrastructure\" message=\"{}\"/>\n", XmlEscape(reason));
    } else if (status == "skipped") {
      ++c.skipped;
      cases += fmt::format("      <skipped message=\"{}\"/>\n", XmlEscape(reason));
    } else {
      cases += fmt::format("      <system-out>{}</system-out>\n", XmlEscape("measured " + measured));
    }
    cases += "    </testcase>\n";
  }
  std::string props;
  Property(&props, "seed", Scalar(r.value("seed", json(0))));
  Property(&props, "topology", r.value("topology", ""));
  Property(&props, "run_id", r.value("run_id", ""));
  const json versions = r.value("versions", json::object());
  const json settings = r.value("settings", json::object());
  for (const auto& [k, v] : versions.items()) Property(&props, "version." + k, Scalar(v));
  for (const auto& [group, values] : settings.items())
    for (const auto& [k, v] : values.items()) Property(&props, group + "." + k, Scalar(v));
  if (!r.value("infrastructure_error", "").empty()) Property(&props, "infrastructure_error", r.value("infrastructure_error", ""));
  const json skipped = r.value("skipped_faults", json::array());
  for (const auto& s : skipped) Property(&props, "skipped_fault", Scalar(s));
  total->tests += c.tests;
  total->failures += c.failures;
  total->errors += c.errors;
  total->skipped += c.skipped;
  return fmt::format(
      "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\" timestamp=\"{}\" file=\"{}\">\n"
      "    <properties>\n{}    </properties>\n{}  </testsuite>\n",
      XmlEscape(r["scenario"].value("name", "")), c.tests, c.failures, c.errors, c.skipped, Seconds(r.value("wall_s", 0.0)),
      XmlEscape(r.value("started_at", "")), XmlEscape(file), props, cases);
}

}  // namespace

std::string RenderJUnit(const std::vector<json>& results) {
  Counts total;
  std::string suites;
  double time = 0;
  for (const auto& r : results) {
    suites += Suite(r, &total);
    time += r.value("wall_s", 0.0);
  }
  return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<testsuites name=\"pgha-chaos\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{}\">\n{}</testsuites>\n",
                     total.tests, total.failures, total.errors, Seconds(time), suites);
}

}  // namespace pgha
