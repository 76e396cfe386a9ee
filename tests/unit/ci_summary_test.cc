// The CI job summary and GitHub annotations, read as CI readers read them:
// the Markdown through cmark-gfm (GitHub's own parser, Debian's package),
// the annotations line by line as the runner parses workflow commands.
#include <gtest/gtest.h>

#include <filesystem>

#include "app/ci_outputs.h"
#include "check/expectation.h"
#include "check/verdict.h"
#include "core/files.h"
#include "core/process.h"
#include "core/text.h"
#include "report/ci_summary.h"
#include "report/reporter.h"
#include "report/sweep_summary.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;

// A judged run of `name`: failover 4.8 s; `split_brain_s` of two primaries
// against the target "split_brain 0s" written on line 31.
ScenarioResult JudgedRun(const std::string& name, double split_brain_s) {
  ScenarioResult r;
  r.scenario.name = name;
  r.scenario.file = "scenarios/" + name + ".yaml";
  auto sb = *ParseExpectation("split_brain", "0s");
  sb.line = 31;
  auto fo = *ParseExpectation("failover_time", "< 10s");
  fo.line = 30;
  r.expectations = {fo, sb};
  r.measurements.fault_injected = true;
  r.measurements.final_read_ok = true;
  r.measurements.recovered_writes = true;
  r.measurements.failover_time_s = 4.8;
  r.measurements.split_brain_s = split_brain_s;
  r.verdicts = Judge(r.expectations, r.measurements, r.facts);
  return r;
}

ScenarioResult SkippedRun(const std::string& name) {
  ScenarioResult r = JudgedRun(name, 0);
  r.facts.not_applicable = "the topology has no PgBouncer";
  for (auto& v : r.verdicts) v.status = VerdictStatus::kSkipped;
  return r;
}

std::string Html(const std::string& markdown) {
  const std::string dir = (fs::temp_directory_path() / ("pgha-md-" + RandomHex(4))).string();
  fs::create_directories(dir);
  EXPECT_TRUE(WriteFileAtomic(dir + "/s.md", markdown).ok());
  BoostProcessRunner runner;
  auto html = runner.Run(CommandSpec::Of({"/usr/bin/cmark-gfm", "-e", "table", dir + "/s.md"}));
  fs::remove_all(dir);
  EXPECT_TRUE(html.ok());
  return html.ok() ? html->out : "";
}

// The first cell of each body row of the first table.
std::vector<std::string> FirstCells(const std::string& html) {
  std::vector<std::string> cells;
  const size_t body = html.find("<tbody>"), end = html.find("</tbody>");
  for (size_t at = html.find("<tr>\n<td>", body); at != std::string::npos && at < end;
       at = html.find("<tr>\n<td>", at + 1)) {
    const size_t from = at + 9;
    cells.push_back(html.substr(from, html.find("</td>", from) - from));
  }
  return cells;
}

TEST(CiSummary, TheVerdictTableComesFirstWithFailuresFirstAndRendersAsAGithubTable) {
  const ScenarioResult pass = JudgedRun("primary-kill", 0), skipped = SkippedRun("pgbouncer-during-failover"),
                       fail = JudgedRun("split-brain", 9.96);
  const std::string md = RenderMarkdownSummary({&pass, &skipped, &fail}, {"pgha-results/x", "", 1 << 20});
  EXPECT_EQ(md.rfind("## pgha-chaos: ❌ FAIL", 0), 0u) << md;
  const std::string html = Html(md);
  EXPECT_LT(html.find("<table>"), html.find("<ul>")) << "the table before the reasons\n" << html;
  EXPECT_EQ(FirstCells(html), (std::vector<std::string>{"❌ FAIL", "⏭️ SKIPPED", "✅ PASS"})) << html;
  EXPECT_NE(html.find("<td>9.96s (0s ✗)</td>"), std::string::npos) << "measured against the target\n" << html;
  EXPECT_NE(html.find("<td>4.80s (&lt; 10s ✓)</td>"), std::string::npos) << html;
  EXPECT_NE(md.find("(`scenarios/split-brain.yaml:31`)"), std::string::npos) << "the target's file and line\n" << md;
  EXPECT_NE(md.find("skipped: the topology has no PgBouncer"), std::string::npos);
  EXPECT_NE(md.find("In `pgha-results/x`: `report.html`"), std::string::npos);
}

TEST(CiSummary, AHostileScenarioNameStaysInsideItsCell) {
  ScenarioResult r = JudgedRun("x", 1.0);
  r.scenario.name = "a|b\n| evil | row |<script>alert(1)</script>`";
  const std::string html = Html(RenderMarkdownSummary({&r}, {}));
  const size_t row = html.find("<tbody>");
  const std::string body = html.substr(row, html.find("</tbody>") - row);
  EXPECT_EQ(body.find("<script>"), std::string::npos) << html;
  size_t cells = 0;
  for (size_t at = body.find("<td>"); at != std::string::npos; at = body.find("<td>", at + 1)) ++cells;
  EXPECT_EQ(cells, 6u) << "one row of six cells\n" << html;
}

TEST(CiSummary, ASuiteTooLargeIsCutToTheLimitInWholeLinesWithANote) {
  std::vector<ScenarioResult> runs;
  for (int i = 0; i < 3000; ++i) {
    runs.push_back(JudgedRun("scenario-" + std::to_string(i), 2.0));
    runs.back().verdicts[1].reason = std::string(400, 'r');
  }
  std::vector<const ScenarioResult*> all;
  for (const auto& r : runs) all.push_back(&r);
  for (size_t limit : {size_t{1} << 20, size_t{20000}}) {
    const std::string md = RenderMarkdownSummary(all, {"out", "", limit});
    EXPECT_LE(md.size(), limit);
    EXPECT_GT(md.size(), limit - 1000) << "filled, not emptied";
    EXPECT_NE(md.find("left out to stay under " + std::to_string(limit) + " bytes"), std::string::npos);
    EXPECT_NE(md.find("### Artefacts"), std::string::npos) << "where the rest is, always";
  }
}

TEST(CiSummary, TheReporterAppendsToAStepSummaryWithinWhatIsLeftOfTheLimit) {
  const std::string dir = (fs::temp_directory_path() / ("pgha-sum-" + RandomHex(4))).string();
  fs::create_directories(dir);
  const std::string path = dir + "/step_summary.md";
  ASSERT_TRUE(WriteFileAtomic(path, "# an earlier command's summary\n" + std::string(3000, 'x') + "\n").ok());
  MarkdownSummaryReporter rep(path, {"out", "", 8000});
  for (int i = 0; i < 200; ++i)
    ASSERT_TRUE(
        rep.ScenarioDone(std::make_shared<const ScenarioResult>(JudgedRun("s" + std::to_string(i), 1)), "f").ok());
  ASSERT_TRUE(rep.Finish(dir).ok());
  const std::string text = *ReadTextFile(path);
  EXPECT_EQ(text.rfind("# an earlier command's summary", 0), 0u) << "appended, not replaced";
  EXPECT_LE(text.size(), 8000u);
  EXPECT_NE(text.find("## pgha-chaos: ❌ FAIL"), std::string::npos);
  // A step summary already full: nothing appended, and the run's outcome is not the summary's to change.
  MarkdownSummaryReporter full(path, {"out", "", text.size() + 500});
  ASSERT_TRUE(full.ScenarioDone(std::make_shared<const ScenarioResult>(JudgedRun("late", 1)), "f").ok());
  EXPECT_TRUE(full.Finish(dir).ok());
  EXPECT_EQ(*ReadTextFile(path), text);
  fs::remove_all(dir);
}

TEST(CiSummary, ASummaryFileThatCannotBeWrittenIsRefusedBeforeAnythingStarts) {
  CiOutputOptions o;
  o.summary = "/nonexistent-pgha/summary.md";
  EXPECT_NE(CheckCiOutputs(o).message().find("the folder /nonexistent-pgha does not exist"), std::string::npos);
  o.summary = fs::temp_directory_path().string();
  EXPECT_NE(CheckCiOutputs(o).message().find("is a folder"), std::string::npos);
  o.summary = "";
  o.annotations = "gitlab";
  EXPECT_FALSE(CheckCiOutputs(o).ok());
  const std::string fresh = (fs::temp_directory_path() / ("pgha-new-" + RandomHex(4) + ".md")).string();
  o = {fresh, "github"};
  EXPECT_TRUE(CheckCiOutputs(o).ok());
  EXPECT_FALSE(fs::exists(fresh)) << "checking makes no file";
}

TEST(GithubAnnotations, TheMostImportantFirstAtMostTenOfAKindAndTheRestCounted) {
  std::vector<ScenarioResult> runs;
  for (int i = 0; i < 14; ++i) {
    runs.push_back(JudgedRun("slow-" + std::to_string(i), 0));
    runs.back().measurements.failover_time_s = 12;
    runs.back().verdicts = Judge(runs.back().expectations, runs.back().measurements, runs.back().facts);
  }
  runs.push_back(JudgedRun("split, brain: two", 3.5));  // last in, first out
  runs.back().verdicts[1].reason = "two primaries\nfor 3.5s 100%";
  std::vector<const ScenarioResult*> all;
  for (const auto& r : runs) all.push_back(&r);
  const auto lines = Split(RenderGithubAnnotations(all), '\n');
  ASSERT_GE(lines.size(), 11u);
  EXPECT_EQ(lines[0],
            "::error file=scenarios/split%2C brain%3A two.yaml,line=31,title=split%2C brain%3A two%3A split_brain "
            "0s::measured 3.50s: two primaries%0Afor 3.5s 100%25");
  size_t errors = 0;
  for (const auto& l : lines) errors += l.rfind("::error ", 0) == 0;
  EXPECT_EQ(errors, 10u);
  EXPECT_EQ(lines[10].rfind("::notice title=pgha-chaos::5 more error(s) and 0 more warning(s)", 0), 0u) << lines[10];
  EXPECT_EQ(RenderGithubAnnotations({}), "");
}

SweepRow SweepRowOf(const std::string& label, std::vector<double> failovers, int lost_runs, bool frontier) {
  SweepRow r;
  r.label = label;
  r.runs = static_cast<int>(failovers.size());
  r.failover = Summarize(failovers);
  r.lost_runs = lost_runs;
  r.frontier = frontier;
  r.false_failover_judged = 1;
  r.control_leader_changes = 0;
  r.control_failed_writes = 0;
  return r;
}

// A sweep's table: the fastest combination first, skipped ones last, a hostile label kept in its cell.
TEST(SweepSummary, CombinationsComeFastestFirstInAGithubTable) {
  SweepResult s;
  s.scenario = "scenarios/primary-kill.yaml";
  s.trials = 2;
  s.control_s = 60;
  SweepRow skipped;
  skipped.label = "ttl=3s";
  skipped.skipped = "Patroni 3.2.0 raises ttl under 20s";
  s.rows = {SweepRowOf("ttl=30s | <b>x</b>", {23.1, 24.0}, 0, false), skipped,
            SweepRowOf("ttl=5s", {4.9, 5.3}, 1, true)};
  s.rows[0].control_leader_changes = 2;
  const std::string md = RenderSweepMarkdown(s, {"pgha-results/sweep-x", "", 1 << 20});
  EXPECT_EQ(md.rfind("## pgha-chaos sweep of scenarios/primary-kill.yaml", 0), 0u) << md;
  EXPECT_NE(md.find("3 combination(s), 1 skipped, 2 run(s) each, a 60 s no-fault control each."), std::string::npos);
  const std::string html = Html(md);
  EXPECT_EQ(FirstCells(html), (std::vector<std::string>{"ttl=5s", "ttl=30s | &lt;b&gt;x&lt;/b&gt;", "ttl=3s"})) << html;
  EXPECT_NE(html.find("<td>5.10 / 5.28 / 5.30 s</td>\n<td>1 of 2</td>"), std::string::npos) << html;
  EXPECT_NE(html.find("<td>★ frontier</td>"), std::string::npos) << html;
  EXPECT_NE(html.find("<td>2 leader change(s), 0 failed write(s)</td>"), std::string::npos) << html;
  EXPECT_NE(html.find("<td>skipped: Patroni 3.2.0 raises ttl under 20s</td>"), std::string::npos) << html;
  EXPECT_NE(md.find("`pgha-results/sweep-x/sweep.html`"), std::string::npos) << md;
  for (int i = 0; i < 2000; ++i) s.rows.push_back(SweepRowOf("ttl=" + std::to_string(i) + "s", {5}, 0, false));
  const std::string cut = RenderSweepMarkdown(s, {"pgha-results/sweep-x", "", 20000});
  EXPECT_LE(cut.size(), 20000u);
  EXPECT_NE(cut.find("left out to stay under 20000 bytes"), std::string::npos);
  EXPECT_NE(cut.find("sweep.html and sweep.json have everything"), std::string::npos);
}

}  // namespace
}  // namespace pgha
