#include "report/junit.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "check/metrics.h"

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

void Property(std::string* out, const std::string& name, const std::string& value) {
  *out += fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", XmlEscape(name), XmlEscape(value));
}

namespace {

std::string Seconds(double s) { return fmt::format("{:.3f}", s < 0 ? 0.0 : s); }

std::string Scalar(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

struct Counts {
  int tests = 0, failures = 0, errors = 0, skipped = 0;
};

// Over several runs the measurement is the aggregate with its distribution.
std::string Measured(const Verdict& v) {
  if (v.runs <= 1) return v.measured_text;
  const Metric* m = FindMetric(v.expectation.metric);
  return DescribeTrialVerdict(v, m && m->kind == MetricKind::kDuration);
}

// The outages behind failover_time and heal_disruption, named by cause,
// where there was more than one or a heal caused one.
std::string OutagesNote(const ScenarioResult& r, const Verdict& v) {
  const std::string& metric = v.expectation.metric;
  const bool heal = r.measurements.heal_disruption_s.has_value();  // set when a heal caused an outage
  if (v.runs > 1 || (metric != "failover_time" && metric != "heal_disruption") ||
      (r.measurements.outages.size() < 2 && !heal))
    return "";
  return "; outages: " + DescribeOutages(r.measurements);
}

std::string TestCase(const ScenarioResult& r, size_t index, const std::string& cls, Counts* c) {
  const Verdict& v = r.verdicts[index];
  ++c->tests;
  const std::string name = v.expectation.metric + " " + v.expectation.text;
  std::string out = fmt::format("    <testcase classname=\"{}\" name=\"{}\">\n", XmlEscape(cls), XmlEscape(name));
  // A known bug reproduced where it is expected: the miss is the verdict's, not a failure.
  const auto bug = r.BugVerdict();
  if (v.status == VerdictStatus::kFail && bug && bug->expected)
    return out + fmt::format("      <system-out>{}</system-out>\n    </testcase>\n",
                             XmlEscape(fmt::format("missed, which reproduces {} ({}): measured {}", r.known_bug->id,
                                                   bug->text, Measured(v))));
  switch (v.status) {
    case VerdictStatus::kFail:
      ++c->failures;
      out += fmt::format("      <failure type=\"target missed\" message=\"{}\">{}</failure>\n", XmlEscape(v.reason),
                         XmlEscape(fmt::format("target {} {}, measured {}{}", v.expectation.metric, v.expectation.text,
                                               Measured(v), OutagesNote(r, v))));
      out += RunMisses(r, index);
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
      out +=
          fmt::format("      <system-out>{}</system-out>\n", XmlEscape("measured " + Measured(v) + OutagesNote(r, v)));
      out += RunMisses(r, index);
      break;
  }
  return out + "    </testcase>\n";
}

std::string RateText(const RateEstimate& e) {
  return fmt::format("{} of {} (95% interval {:.2f} to {:.2f})", e.successes, e.n, e.low, e.high);
}

// A trial set's runs, each metric's distribution and the rates.
void TrialProperties(const TrialSummary& t, std::string* props) {
  Property(props, "trials", std::to_string(t.runs.size()));
  if (t.partial()) Property(props, "trials.planned", std::to_string(t.planned));
  Property(props, "trials.shown_run", t.runs[static_cast<size_t>(t.shown)].folder);
  for (const auto& [name, d] : t.stats.metrics)
    Property(props, "distribution." + name,
             fmt::format("n {} min {:g} median {:g} p95 {:g} max {:g}", d.n, d.min, d.median, d.p95, d.max));
  Property(props, "trials.runs_with_lost_writes", RateText(t.stats.runs_with_lost_writes));
  Property(props, "trials.runs_with_split_brain", RateText(t.stats.runs_with_split_brain));
  Property(props, "trials.runs_losing_leadership", RateText(t.stats.runs_losing_leadership));
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
  if (r.facts.false_failovers_counted)
    Property(&props, "leadership_losses", std::to_string(r.measurements.leadership_losses));
  if (r.facts.false_failovers_counted)
    Property(&props, "false_failovers",
             r.facts.failover_expected_by.empty()
                 ? std::to_string(r.measurements.leadership_losses)
                 : "not counted: a failover was expected after " + r.facts.failover_expected_by);
  for (const auto& c : r.measurements.moved_clocks) Property(&props, "moved_clock", c);
  if (r.trials) TrialProperties(*r.trials, &props);
  EffectiveProperties(r, &props);
  OperationProperties(r.measurements, &props);
  if (r.prediction) {
    Property(&props, "prediction",
             fmt::format("{} {:.2f}-{:.2f}s", FailureClassName(r.prediction->failure), r.prediction->low_s,
                         r.prediction->high_s));
    if (auto inside = r.InsidePrediction()) Property(&props, "prediction.measured_inside", *inside ? "yes" : "no");
  }
  return props;
}

// A scenario's suite: its name and its cases' classname, distinct in the file.
struct SuiteNames {
  std::string cls, suite;
};

std::string Suite(const ScenarioResult& r, const SuiteNames& names, Counts* total) {
  Counts c;
  std::string cases;
  for (size_t i = 0; i < r.verdicts.size(); ++i) cases += TestCase(r, i, names.cls, &c);
  cases += TrialTestCases(r, names.cls, &c.tests, &c.failures, &c.errors);
  cases += AnomalyTestCases(r, names.cls, &c.tests, &c.failures);
  cases += KnownBugTestCase(r, names.cls, &c.tests, &c.failures);
  total->tests += c.tests;
  total->failures += c.failures;
  total->errors += c.errors;
  total->skipped += c.skipped;
  return fmt::format(
      "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\" timestamp=\"{}\" "
      "file=\"{}\">\n"
      "    <properties>\n{}    </properties>\n{}{}  </testsuite>\n",
      XmlEscape(names.suite), c.tests, c.failures, c.errors, c.skipped, Seconds(r.wall_s), XmlEscape(r.started_at),
      XmlEscape(r.scenario.file), Properties(r), cases,
      r.rates.warning.empty()
          ? ""
          : fmt::format("    <system-err>{}</system-err>\n", XmlEscape("WARNING: " + r.rates.warning)));
}

// Each comparison with the baseline a test case; a regression a failure.
std::string BaselineSuite(const BaselineComparison& b, Counts* total) {
  Counts c;
  std::string cases;
  const std::string cls = "baseline " + b.baseline_dir;
  for (const auto& s : b.scenarios) {
    if (!s.in_baseline) {
      ++c.tests;
      ++c.skipped;
      cases += fmt::format(
          "    <testcase classname=\"{}\" name=\"{}\">\n      <skipped message=\"not in the baseline\"/>\n"
          "    </testcase>\n",
          XmlEscape(cls), XmlEscape(s.name));
      continue;
    }
    for (const auto& x : s.compared) {
      ++c.tests;
      const std::string text = fmt::format("baseline {}, now {}: {}", x.baseline, x.now, x.why);
      cases += fmt::format("    <testcase classname=\"{}\" name=\"{}\">\n", XmlEscape(cls),
                           XmlEscape("regression: " + x.what + " of " + s.name));
      if (x.regression) {
        ++c.failures;
        cases += fmt::format("      <failure type=\"regression\" message=\"{}\">{}</failure>\n", XmlEscape(x.why),
                             XmlEscape(text));
      } else {
        cases += fmt::format("      <system-out>{}</system-out>\n", XmlEscape(text));
      }
      cases += "    </testcase>\n";
    }
  }
  total->tests += c.tests;
  total->failures += c.failures;
  total->skipped += c.skipped;
  return fmt::format(
      "  <testsuite name=\"regressions against {}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" "
      "time=\"0.000\">\n{}  </testsuite>\n",
      XmlEscape(b.baseline_dir), c.tests, c.failures, c.skipped, cases);
}

// The same scenario twice in one run (listed twice, or in two suites):
// the later one's classname (and its suite's name, when that repeats too)
// carries " #2", since readers such as GitLab keep only the first of test
// cases with equal names. Counted per classname and per suite name.
SuiteNames NamesOf(const ScenarioResult& r, std::map<std::string, int>* seen) {
  auto numbered = [](const std::string& name, int occurrence) {
    return occurrence < 2 ? name : fmt::format("{} #{}", name, occurrence);
  };
  return {numbered(r.scenario.CaseClass(), ++(*seen)["class " + r.scenario.CaseClass()]),
          numbered(r.scenario.DisplayName(), ++(*seen)["name " + r.scenario.DisplayName()])};
}

}  // namespace

std::string RenderJUnit(const std::vector<const ScenarioResult*>& results, const BaselineComparison* baseline) {
  Counts total;
  std::string suites;
  double time = 0;
  std::map<std::string, int> seen;  // classnames and suite names -> occurrences so far
  for (const ScenarioResult* r : results) {
    suites += Suite(*r, NamesOf(*r, &seen), &total);
    time += r->wall_s;
  }
  if (baseline) suites += BaselineSuite(*baseline, &total);
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites name=\"pgha-chaos\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{}\">\n{}</testsuites>\n",
      total.tests, total.failures, total.errors, Seconds(time), suites);
}

std::string RenderJUnit(const std::vector<ScenarioResult>& results, const BaselineComparison* baseline) {
  std::vector<const ScenarioResult*> all;
  for (const auto& r : results) all.push_back(&r);
  return RenderJUnit(all, baseline);
}

}  // namespace pgha
