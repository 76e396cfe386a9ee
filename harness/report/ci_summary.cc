// RenderMarkdownSummary (report/ci_summary.h): a run as a CI job summary.
#include "report/ci_summary.h"

#include <fmt/format.h>

#include <algorithm>

#include "report/key_figures.h"

namespace pgha {
namespace {

std::string Heading(const std::string& verdict) {
  if (verdict == "fail") return "❌ FAIL";
  if (verdict == "error") return "⚠️ ERROR";
  if (verdict == "interrupted") return "⏹️ INTERRUPTED";
  if (verdict == "skipped") return "⏭️ SKIPPED";
  return "✅ PASS";
}

std::string SummaryRow(const ScenarioResult& r) {
  std::string name = r.scenario.DisplayName();
  if (r.trials) name += fmt::format(" ({} trials, worst run shown)", r.trials->runs.size());
  if (const auto bug = r.BugVerdict()) name += ": known bug " + r.known_bug->id + " " + bug->text;
  const KeyFigures k = KeyFiguresOf(r);
  return fmt::format("| {} | {} | {} | {} | {} | {} |\n", Heading(r.OverallVerdict()), MarkdownCell(name),
                     MarkdownCell(k.failover), MarkdownCell(k.lost_writes), MarkdownCell(k.split_brain),
                     MarkdownCell(k.targets));
}

// One line per reason a scenario did not pass, with the target's file and line.
std::vector<std::string> Reasons(const ScenarioResult& r) {
  std::vector<std::string> out;
  const std::string who = "- **" + MarkdownCell(r.scenario.DisplayName()) + "**";
  if (!r.facts.not_applicable.empty()) out.push_back(who + ": skipped: " + MarkdownCell(r.facts.not_applicable));
  if (!r.facts.infrastructure_error.empty())
    out.push_back(who + ": the run broke: " + MarkdownCell(r.facts.infrastructure_error));
  for (const auto& s : r.facts.skipped_faults) out.push_back(who + ": fault skipped: " + MarkdownCell(s));
  if (auto bug = r.BugVerdict(); bug && !bug->expected)
    out.push_back(who + ": known bug " + MarkdownCell(r.known_bug->id + ": " + bug->text));
  const bool bug_expected = r.BugVerdict() && r.BugVerdict()->expected;
  for (const auto& v : r.verdicts) {
    if (v.status != VerdictStatus::kFail || bug_expected) continue;
    out.push_back(fmt::format("{}: `{} {}` measured {}: {} (`{}:{}`)", who, MarkdownCell(v.expectation.metric),
                              MarkdownCell(v.expectation.text), MarkdownCell(v.measured_text), MarkdownCell(v.reason),
                              MarkdownCell(r.scenario.file), v.expectation.line));
  }
  return out;
}

std::string Title(const std::vector<const ScenarioResult*>& sorted) {
  size_t missed = 0, broken = 0, skipped = 0;
  for (const ScenarioResult* r : sorted) {
    const std::string v = r->OverallVerdict();
    missed += v == "fail";
    broken += v == "error" || v == "interrupted";
    skipped += v == "skipped";
  }
  const std::string worst = sorted.empty() ? "skipped" : sorted.front()->OverallVerdict();
  std::string what = fmt::format("{} scenario{}", sorted.size(), sorted.size() == 1 ? "" : "s");
  if (missed) what += fmt::format(", {} failed", missed);
  if (broken) what += fmt::format(", {} could not be judged (the run broke)", broken);
  if (skipped) what += fmt::format(", {} skipped", skipped);
  if (!missed && !broken) what += skipped == sorted.size() ? "" : ", every one passed";
  return fmt::format("## pgha-chaos: {}\n\n{}\n\n", Heading(worst), what);
}

std::string Artefacts(const SummaryOptions& o) {
  std::string out = "\n### Artefacts\n\n";
  out += fmt::format(
      "In `{}`: `report.html` (the acceptance report), `junit.xml`, and each scenario's folder "
      "(`result.json`, the history, the cluster's logs).\n",
      MarkdownCell(o.results_dir.empty() ? "." : o.results_dir));
  if (!o.artifacts_url.empty()) out += fmt::format("\n[The CI run's artefacts]({})\n", o.artifacts_url);
  return out;
}

}  // namespace

std::string MarkdownCell(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t')
      out += ' ';
    else if (c == '|')
      out += "\\|";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '`')
      out += '\'';
    else if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f)
      out += c;
  }
  return out;
}

std::string FitMarkdown(const std::string& head, const std::vector<std::string>& lines, const std::string& tail,
                        size_t max_bytes, const std::string& where_all_is) {
  constexpr size_t kNoteRoom = 200;
  const size_t fixed = head.size() + tail.size() + kNoteRoom + where_all_is.size();
  std::string body;
  size_t left_out = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (fixed + body.size() + lines[i].size() > max_bytes) {
      left_out = lines.size() - i;  // whole lines, in order
      break;
    }
    body += lines[i];
  }
  std::string note;
  if (left_out > 0)
    note = fmt::format("\n*{} line{} left out to stay under {} bytes (GitHub's limit for a step summary); {}.*\n",
                       left_out, left_out == 1 ? "" : "s", max_bytes, where_all_is);
  std::string out = head + body + note + tail;
  if (out.size() > max_bytes) {  // a limit below the fixed parts: cut, never exceed, never inside a character
    out.resize(max_bytes);
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
    if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
  }
  return out;
}

std::string RenderMarkdownSummary(const std::vector<const ScenarioResult*>& results, const SummaryOptions& o) {
  std::vector<const ScenarioResult*> sorted = results;
  std::stable_sort(sorted.begin(), sorted.end(), [](const ScenarioResult* a, const ScenarioResult* b) {
    return VerdictRank(a->OverallVerdict()) < VerdictRank(b->OverallVerdict());
  });
  const std::string head = Title(sorted) +
                           "| verdict | scenario | failover | lost writes | split brain | targets met |\n"
                           "|---|---|---|---|---|---|\n";
  std::vector<std::string> lines;
  for (const ScenarioResult* r : sorted) lines.push_back(SummaryRow(*r));
  bool reasons_heading = false;
  for (const ScenarioResult* r : sorted)
    for (auto& line : Reasons(*r)) {
      if (!reasons_heading) lines.push_back("\n### What missed, and why\n\n");
      reasons_heading = true;
      lines.push_back(line + "\n");
    }
  return FitMarkdown(head, lines, Artefacts(o), o.max_bytes, "report.html and junit.xml have everything");
}

}  // namespace pgha
