// A known bug's verdict and Patroni's effective settings through the
// reports: result.json keeps them, JUnit carries the verdict as a test case
// (and a miss that reproduces the bug where expected is no failure), the
// HTML report shows both, and the JUnit stays valid against the schema.
#include <gtest/gtest.h>

#include <filesystem>

#include "app/present.h"
#include "core/files.h"
#include "core/process.h"
#include "report/html.h"
#include "report/junit.h"
#include "result/result_json.h"

namespace pgha {
namespace {

namespace fs = std::filesystem;

ScenarioResult StaleRace(const std::string& patroni, VerdictStatus status) {
  ScenarioResult r;
  r.scenario = {"patroni-2779-stale-primary-race", "scenarios/known-bugs/patroni-2779-stale-primary-race.yaml", "", ""};
  r.versions["patroni"] = patroni;
  r.settings["patroni"]["ttl"] = "5s";
  Verdict v;
  v.expectation = *ParseExpectation("timeline_regressions", "0");
  v.status = status;
  v.measured_text = status == VerdictStatus::kFail ? "1" : "0";
  r.verdicts = {v};
  KnownBug b;
  b.id = "patroni#2779";
  b.title = "a stale primary wins the leader race back";
  b.source = "https://github.com/zalando/patroni/issues/2779";
  b.affects = "< 3.1.0";
  b.fixed_in = PatroniVersion{3, 1, 0};
  r.known_bug = b;
  PatroniSettings written;
  r.effective = EffectiveFor(written, patroni);
  r.effective->logs_read = true;
  return r;
}

TEST(KnownBugReports, ReproducedWhereAffectedIsAPassingCaseWithTheVerdict) {
  const ScenarioResult r = StaleRace("patroni 3.0.2", VerdictStatus::kFail);
  EXPECT_EQ(r.ExitCode(), 0);
  const std::string xml = RenderJUnit(std::vector<ScenarioResult>{r});
  EXPECT_NE(xml.find("tests=\"2\" failures=\"0\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("name=\"known bug patroni#2779\""), std::string::npos);
  EXPECT_NE(xml.find("reproduced on 3.0.2 (affected; fixed in 3.1.0)"), std::string::npos);
  EXPECT_NE(xml.find("missed, which reproduces patroni#2779"), std::string::npos);
  EXPECT_NE(xml.find("<property name=\"effective.patroni.ttl\" value=\"5s\"/>"), std::string::npos);
  const std::string html = RenderHtml({{&r, "."}});
  EXPECT_NE(html.find("Known bug patroni#2779"), std::string::npos);
  EXPECT_NE(html.find("Patroni 3.0.2: written and effective settings"), std::string::npos);
}

TEST(KnownBugReports, ReproducedWhereFixedIsAFailureToReport) {
  const ScenarioResult r = StaleRace("patroni 3.2.0", VerdictStatus::kFail);
  EXPECT_EQ(r.ExitCode(), 1);
  const std::string xml = RenderJUnit(std::vector<ScenarioResult>{r});
  EXPECT_NE(xml.find("<failure type=\"known bug\" message=\"reproduced on 3.2.0, which should not be affected"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<failure type=\"target missed\""), std::string::npos) << "the miss is a failure too";
  // 3.2.0 raises ttl 5s to 20s: the written and the effective value side by side.
  EXPECT_NE(xml.find("<property name=\"effective.patroni.ttl\" value=\"20s\"/>"), std::string::npos);
  const std::string html = RenderHtml({{&r, "."}});
  EXPECT_NE(html.find("<td>5s</td><td class=\"fail\">20s</td>"), std::string::npos) << "written 5s, runs as 20s";
}

TEST(KnownBugReports, ResultJsonKeepsTheBugAndTheSettingsAndTheJUnitValidates) {
  const ScenarioResult r = StaleRace("patroni 3.2.0", VerdictStatus::kPass);
  auto back = ResultFromJson(ResultToJson(r));
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_TRUE(back->known_bug && back->effective);
  EXPECT_EQ(back->known_bug->fixed_in->ToString(), "3.1.0");
  EXPECT_EQ(back->BugVerdict()->text, "not reproduced on 3.2.0 (fixed in 3.1.0)");
  EXPECT_EQ(back->effective->applied.at("ttl"), "20s");
  ASSERT_EQ(back->effective->predicted.size(), 2u);
  EXPECT_EQ(back->effective->Confirmation(), r.effective->Confirmation());
  EXPECT_EQ(RenderJUnit(std::vector<ScenarioResult>{*back}), RenderJUnit(std::vector<ScenarioResult>{r}));

  const std::string dir = (fs::temp_directory_path() / ("pgha-bug-junit-" + RandomHex(4))).string();
  fs::create_directories(dir);
  ASSERT_TRUE(WriteFileAtomic(dir + "/junit.xml", RenderJUnit(std::vector<ScenarioResult>{
                                                      r, StaleRace("patroni 3.0.2", VerdictStatus::kPass)}))
                  .ok());
  BoostProcessRunner runner;
  auto lint = runner.Run(CommandSpec::Of(
      {"/usr/bin/xmllint", "--noout", "--schema", PGHA_SOURCE_DIR "/tests/schemas/junit-10.xsd", dir + "/junit.xml"}));
  fs::remove_all(dir);
  ASSERT_TRUE(lint.ok());
  EXPECT_EQ(lint->exit_code, 0) << lint->err;
}

}  // namespace
}  // namespace pgha

namespace pgha {
namespace {

// The overwrite of the leader key and what kept the cluster from recovering
// are kept in result.json (so `report` shows them again) and shown on the
// console and in the HTML report.
TEST(LeadershipReports, AnOverwriteAndWhyTheClusterDidNotRecoverSurviveResultJson) {
  ScenarioResult r = StaleRace("patroni 3.0.2", VerdictStatus::kFail);
  r.facts.false_failovers_counted = true;
  r.facts.failover_expected_by = "isolate cut";
  r.measurements.leader_key_overwrites = {{34.41, "node3", "node1"}};
  r.measurements.not_recovered_because = "node1 (replica, stopped, timeline -1) not running";
  auto back = ResultFromJson(ResultToJson(r));
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->measurements.leader_key_overwrites.size(), 1u);
  EXPECT_EQ(back->measurements.leader_key_overwrites[0].from, "node3");
  EXPECT_EQ(back->measurements.not_recovered_because, r.measurements.not_recovered_because);
  const std::string said = "the leader key went from node3 to node1 at 34.41s without expiring";
  EXPECT_NE(VerdictsText(*back).find(said), std::string::npos) << VerdictsText(*back);
  EXPECT_NE(RenderHtml({{&*back, "."}}).find(said), std::string::npos);
}

}  // namespace
}  // namespace pgha
