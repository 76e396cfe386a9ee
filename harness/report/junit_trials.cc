// RunMisses and TrialTestCases (report/junit.h): a trial set in JUnit, as
// Maven Surefire writes a test it ran again. A target judged over the set
// keeps its one test case; each run that missed it is added inside that
// case: <flakyFailure> when the set still met the target (dashboards count
// the case as flaky, not failed), <rerunFailure> when the set missed it.
// Each run also gets a test case of its own, "trial K of N", so readers
// that keep only the first of equal names (GitLab) see every run.
#include <fmt/format.h>

#include "report/junit.h"

namespace pgha {
namespace {

std::string RunLabel(const TrialSummary& t, size_t i) { return fmt::format("trial {} of {}", i + 1, t.runs.size()); }

// "failover_time < 10s (measured 12.10s); lost_writes 0 (measured 3)"
std::string MissedTargets(const TrialRun& run) {
  std::string out;
  for (const auto& v : run.verdicts) {
    if (v.status != VerdictStatus::kFail) continue;
    if (!out.empty()) out += "; ";
    out += fmt::format("{} {} (measured {})", v.expectation.metric, v.expectation.text, v.measured_text);
  }
  return out;
}

bool SetMissedATarget(const ScenarioResult& r) {
  for (const auto& v : r.verdicts)
    if (v.status == VerdictStatus::kFail) return true;
  return false;
}

std::string RunFigures(const TrialRun& run) {
  std::string out = fmt::format("seed {}, folder {}, {:.1f} s", run.seed, run.folder, run.wall_s);
  if (run.failover_time_s) out += fmt::format(", failover {:.2f} s", *run.failover_time_s);
  out += fmt::format(", lost writes {}, split brain {:.2f} s", run.lost_writes, run.split_brain_s);
  return out;
}

}  // namespace

std::string RunMisses(const ScenarioResult& r, size_t index) {
  if (!r.trials || index >= r.verdicts.size()) return "";
  const Verdict& set = r.verdicts[index];
  if (set.status != VerdictStatus::kPass && set.status != VerdictStatus::kFail) return "";
  const char* element = set.status == VerdictStatus::kPass ? "flakyFailure" : "rerunFailure";
  std::string out;
  for (size_t i = 0; i < r.trials->runs.size(); ++i) {
    const TrialRun& run = r.trials->runs[i];
    if (index >= run.verdicts.size() || run.verdicts[index].status != VerdictStatus::kFail) continue;
    const Verdict& v = run.verdicts[index];
    out += fmt::format("      <{0} type=\"target missed\" message=\"{1}\">{2}</{0}>\n", element,
                       XmlEscape(fmt::format("{}: measured {}", RunLabel(*r.trials, i), v.measured_text)),
                       XmlEscape(RunFigures(run)));
  }
  return out;
}

std::string TrialTestCases(const ScenarioResult& r, const std::string& cls, int* tests, int* failures, int* errors) {
  if (!r.trials) return "";
  const bool set_failed = SetMissedATarget(r);
  std::string out;
  for (size_t i = 0; i < r.trials->runs.size(); ++i) {
    const TrialRun& run = r.trials->runs[i];
    ++*tests;
    out += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3f}\">\n", XmlEscape(cls),
                       XmlEscape(RunLabel(*r.trials, i)), run.wall_s < 0 ? 0.0 : run.wall_s);
    const std::string missed = MissedTargets(run);
    if (run.exit_code == 3) {
      ++*errors;
      out += fmt::format("      <error type=\"infrastructure\" message=\"{}\"/>\n",
                         XmlEscape("the run broke: " + RunFigures(run)));
    } else if (missed.empty()) {
      out += fmt::format("      <system-out>{}</system-out>\n", XmlEscape(RunFigures(run) + "; every target met"));
    } else if (r.known_bug) {
      // A known bug's targets are the correct behaviour: a miss is its reproduction, judged by the bug's case.
      out += fmt::format("      <system-out>{}</system-out>\n",
                         XmlEscape(RunFigures(run) + "; reproduced " + r.known_bug->id + ": " + missed));
    } else if (set_failed) {
      ++*failures;
      out += fmt::format("      <failure type=\"target missed\" message=\"{}\">{}</failure>\n", XmlEscape(missed),
                         XmlEscape(RunFigures(run)));
    } else {
      // The set met its targets: this run is the flaky part.
      out += fmt::format("      <flakyFailure type=\"target missed\" message=\"{}\">{}</flakyFailure>\n",
                         XmlEscape(missed), XmlEscape(RunFigures(run)));
    }
    out += "    </testcase>\n";
  }
  return out;
}

}  // namespace pgha
