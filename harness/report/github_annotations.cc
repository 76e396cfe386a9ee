// RenderGithubAnnotations (report/ci_summary.h): missed targets as GitHub
// workflow commands, the most important first, within GitHub's limits.
#include <fmt/format.h>

#include <algorithm>

#include "report/ci_summary.h"

namespace pgha {
namespace {

struct Annotation {
  int rank = 0;       // 0 two primaries, 1 lost data, 2 a broken run or a known bug, 3 other misses, 4 skips
  bool error = true;  // else a warning
  std::string file;
  int line = 0;
  std::string title;
  std::string message;
};

// Workflow command escaping: the message's %, CR and LF; a property's also : and ,.
std::string Escaped(const std::string& text, bool property) {
  std::string out;
  for (char c : text) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else if (property && c == ':')
      out += "%3A";
    else if (property && c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

int RankOf(const std::string& metric) {
  if (metric == "split_brain") return 0;
  if (metric == "lost_writes" || metric.rfind("anomalies", 0) == 0 || metric.rfind("lost_", 0) == 0) return 1;
  return 3;
}

void Collect(const ScenarioResult& r, std::vector<Annotation>* out) {
  const std::string who = r.scenario.DisplayName();
  const std::string file = r.scenario.file;
  if (!r.facts.not_applicable.empty()) out->push_back({4, false, file, 0, who + " skipped", r.facts.not_applicable});
  if (!r.facts.infrastructure_error.empty())
    out->push_back({2, true, file, 0, who + ": the run broke", r.facts.infrastructure_error});
  for (const auto& s : r.facts.skipped_faults) out->push_back({4, false, file, 0, who + ": a fault was skipped", s});
  const auto bug = r.BugVerdict();
  if (bug && !bug->expected) out->push_back({2, true, file, 0, who + ": known bug " + r.known_bug->id, bug->text});
  if (bug && bug->expected) return;  // its misses are the reproduction, as expected
  for (const auto& v : r.verdicts) {
    if (v.status != VerdictStatus::kFail) continue;
    out->push_back({RankOf(v.expectation.metric), true, file, v.expectation.line,
                    fmt::format("{}: {} {}", who, v.expectation.metric, v.expectation.text),
                    fmt::format("measured {}: {}", v.measured_text, v.reason)});
  }
}

std::string Command(const Annotation& a) {
  std::string props = "file=" + Escaped(a.file, true);
  if (a.line > 0) props += fmt::format(",line={}", a.line);
  props += ",title=" + Escaped(a.title, true);
  return fmt::format("::{} {}::{}\n", a.error ? "error" : "warning", props, Escaped(a.message, false));
}

}  // namespace

std::string RenderGithubAnnotations(const std::vector<const ScenarioResult*>& results, size_t per_kind) {
  std::vector<Annotation> all;
  for (const ScenarioResult* r : results) Collect(*r, &all);
  std::stable_sort(all.begin(), all.end(), [](const Annotation& a, const Annotation& b) { return a.rank < b.rank; });
  std::string out;
  size_t errors = 0, warnings = 0, errors_left = 0, warnings_left = 0;
  for (const auto& a : all) {
    size_t& shown = a.error ? errors : warnings;
    if (shown >= per_kind) {
      ++(a.error ? errors_left : warnings_left);
      continue;
    }
    ++shown;
    out += Command(a);
  }
  if (errors_left + warnings_left > 0)
    out += fmt::format(
        "::notice title=pgha-chaos::{} more error(s) and {} more warning(s) not annotated (GitHub shows at most {} of "
        "each a step); junit.xml and report.html list them all\n",
        errors_left, warnings_left, per_kind);
  return out;
}

}  // namespace pgha
