// Patroni's rules by version (model/patroni_rules.h), the known-bug
// verdicts (check/known_bug.h), and their use by lint, the predictor and
// sweeps: worked examples from Patroni's config.py written out here.
#include <gtest/gtest.h>

#include "check/known_bug.h"
#include "check/predict.h"
#include "report/sweep_html.h"
#include "result/result.h"
#include "scenario/scenario.h"
#include "scenario/sweep.h"

namespace pgha {
namespace {

using std::chrono::seconds;

PatroniSettings VersionsReference() { return PatroniSettings{}; }  // ttl 5s, loop_wait 1s, retry_timeout 2s

std::string Applied(const EffectivePatroni& e, const std::string& setting) {
  for (const auto& a : e.adjustments)
    if (a.setting == setting) return a.applied;
  return "";
}

TEST(PatroniRules, VersionsParseFromWhatPatroniPrints) {
  EXPECT_EQ(ParsePatroniVersion("patroni 3.0.2")->ToString(), "3.0.2");
  EXPECT_EQ(ParsePatroniVersion("4.0.1rc1")->ToString(), "4.0.1");
  EXPECT_EQ(ParsePatroniVersion("3.2")->ToString(), "3.2.0");
  EXPECT_FALSE(ParsePatroniVersion("patroni"));
  EXPECT_FALSE(ParsePatroniVersion(""));
  EXPECT_LT(*ParsePatroniVersion("3.0.2"), *ParsePatroniVersion("3.1.0"));
  EXPECT_LT(*ParsePatroniVersion("3.9.9"), *ParsePatroniVersion("3.10.0"));
}

TEST(PatroniRules, ThreeZeroTwoRunsTheReferenceSettingsAsWritten) {
  const EffectivePatroni e = ApplyPatroniRules(VersionsReference(), {3, 0, 2});
  EXPECT_FALSE(e.Adjusted());
  EXPECT_EQ(e.applied.ttl, seconds(5));
  EXPECT_EQ(e.applied.retry_timeout, seconds(2));
  const EffectivePatroni just_before = ApplyPatroniRules(VersionsReference(), {3, 1, 2});
  EXPECT_FALSE(just_before.Adjusted());
}

TEST(PatroniRules, FromThreeTwoZeroTheMinimumsAreRaisedAndTheRuleHolds) {
  // ttl 5 -> 20 and retry_timeout 2 -> 3; then 1 + 2*3 <= 20 holds.
  const EffectivePatroni e = ApplyPatroniRules(VersionsReference(), {3, 2, 0});
  EXPECT_EQ(e.applied.ttl, seconds(20));
  EXPECT_EQ(e.applied.retry_timeout, seconds(3));
  EXPECT_EQ(e.applied.loop_wait, seconds(1));
  EXPECT_EQ(Applied(e, "ttl"), "20s");
  ASSERT_EQ(e.adjustments.size(), 2u);
  EXPECT_EQ(e.adjustments[0].log_line, "retry_timeout=2 can't be smaller than 3, adjusting...");
  EXPECT_EQ(e.adjustments[1].log_line, "ttl=5 can't be smaller than 20, adjusting...");
  EXPECT_NE(e.Describe().find("ttl 20s (written 5s"), std::string::npos);
}

TEST(PatroniRules, TheRuleLowersLoopWaitFirstThenRetryTimeout) {
  PatroniSettings p;
  p.ttl = seconds(30);
  p.loop_wait = seconds(10);
  p.retry_timeout = seconds(12);  // 10 + 24 > 30: loop_wait 30 - 24 = 6
  EffectivePatroni e = ApplyPatroniRules(p, {4, 0, 1});
  EXPECT_EQ(e.applied.loop_wait, seconds(6));
  EXPECT_EQ(e.applied.retry_timeout, seconds(12));
  p.retry_timeout = seconds(20);  // 1 + 40 > 30: loop_wait 1, retry_timeout (30 - 1) // 2 = 14
  e = ApplyPatroniRules(p, {4, 0, 1});
  EXPECT_EQ(e.applied.loop_wait, seconds(1));
  EXPECT_EQ(e.applied.retry_timeout, seconds(14));
  EXPECT_EQ(Applied(e, "retry_timeout"), "14s");
  // 3.0.2 leaves the broken rule as it is.
  EXPECT_EQ(ApplyPatroniRules(p, {3, 0, 2}).applied.retry_timeout, seconds(20));
}

TEST(PatroniRules, AWatchdogWhoseTimeoutIsUnderLoopWaitIsOff) {
  PatroniSettings p = VersionsReference();
  p.watchdog = "emulated";
  p.watchdog_safety_margin = 5;  // ttl 5 - 5 = 0 < loop_wait 1
  EffectivePatroni e = ApplyPatroniRules(p, {3, 0, 2});
  EXPECT_EQ(e.applied.watchdog, "off");
  EXPECT_FALSE(e.watchdog_timeout_s);
  p.watchdog_safety_margin = -1;  // ttl/2 = 2 >= 1
  e = ApplyPatroniRules(p, {3, 0, 2});
  EXPECT_EQ(e.applied.watchdog, "emulated");
  EXPECT_EQ(e.watchdog_timeout_s, 2);
  // With the 3.2.0 clamp ttl is 20: a safety margin of 5 leaves 15.
  p.watchdog_safety_margin = 5;
  EXPECT_EQ(ApplyPatroniRules(p, {3, 2, 0}).watchdog_timeout_s, 15);
}

TEST(PatroniRules, TheLogConfirmsWhatRan) {
  const std::string log =
      "2026-12-07 12:00:00,001 WARNING: retry_timeout=2 can't be smaller than 3, adjusting...\n"
      "2026-12-07 12:00:00,002 WARNING: ttl=5 can't be smaller than 20, adjusting...\n"
      "2026-12-07 12:00:10,002 WARNING: ttl=5 can't be smaller than 20, adjusting...\n"
      "2026-12-07 12:00:20,000 WARNING: Violated the rule \"loop_wait + 2*retry_timeout <= ttl\", where ttl=20 "
      "and retry_timeout=9. Adjusting loop_wait from 5 to 2\n"
      "2026-12-07 12:00:21,000 INFO: no action. I am (node1), the leader with the lock\n";
  const auto found = ParseAdjustmentLog(log);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[1].setting, "ttl");
  EXPECT_EQ(found[1].applied, "20s");
  EXPECT_EQ(found[2].setting, "loop_wait");
  EXPECT_EQ(found[2].written, "5s");
  EXPECT_EQ(found[2].applied, "2s");
  EXPECT_TRUE(ParseAdjustmentLog("INFO: no action\n").empty());

  EffectiveSettings e = EffectiveFor(VersionsReference(), "patroni 3.2.0");
  e.logs_read = true;
  EXPECT_NE(e.Confirmation().find("differs"), std::string::npos) << "predicted but nothing logged";
  e.logged = ParseAdjustmentLog(log.substr(0, log.find("2026-12-07 12:00:10")));
  EXPECT_EQ(e.Confirmation(), "confirmed by Patroni's own warnings in its log");
  EffectiveSettings old = EffectiveFor(VersionsReference(), "patroni 3.0.2");
  old.logs_read = true;
  EXPECT_NE(old.Confirmation().find("no adjustment"), std::string::npos);
}

TEST(PatroniRules, LintPredictsWithWhatTheVersionRuns) {
  PredictInputs in;
  in.wal_retrieve_retry_interval_s = 1;
  const Window as_written = PredictWindow(in, FailureClass::kProcessKill);
  for (const auto& f : Lint(in)) EXPECT_EQ(f.what.find("not the"), std::string::npos) << f.what;
  PredictInputs same = in;
  ApplyPatroniVersion(&same, {3, 0, 2});
  EXPECT_DOUBLE_EQ(PredictWindow(same, FailureClass::kProcessKill).high_s, as_written.high_s);
  EXPECT_TRUE(same.patroni_adjustments.empty());

  ApplyPatroniVersion(&in, {3, 2, 0});
  const Window clamped = PredictWindow(in, FailureClass::kProcessKill);
  EXPECT_DOUBLE_EQ(clamped.low_s - as_written.low_s, 15.0) << "the key is left 15 s later: ttl 20 against 5";
  const auto found = Lint(in);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found.front().what, "Patroni 3.2.0 runs retry_timeout 3s, not the 2s written");
  EXPECT_EQ(found[1].what, "Patroni 3.2.0 runs ttl 20s, not the 5s written");
  bool slow = false;
  for (const auto& f : found) slow |= f.what.find("over the 10s target") != std::string::npos;
  EXPECT_TRUE(slow) << "ttl 20 cannot fail over in 10 s";
}

KnownBug Bug2779() {
  KnownBug b;
  b.id = "patroni#2779";
  b.affects = "< 3.1.0";
  b.fixed_in = PatroniVersion{3, 1, 0};
  return b;
}

TEST(KnownBugs, TheVerdictReadsAgainstTheVersionThatRan) {
  const KnownBug b = Bug2779();
  auto v = JudgeKnownBug(b, "patroni 3.0.2", 1, 1);
  EXPECT_EQ(v.text, "reproduced on 3.0.2 (affected; fixed in 3.1.0)");
  EXPECT_TRUE(v.expected);
  v = JudgeKnownBug(b, "patroni 4.0.1", 1, 0);
  EXPECT_EQ(v.text, "not reproduced on 4.0.1 (fixed in 3.1.0)");
  EXPECT_TRUE(v.expected);
  v = JudgeKnownBug(b, "patroni 4.0.1", 3, 1);
  EXPECT_EQ(v.outcome, KnownBugOutcome::kReproducedFixed);
  EXPECT_NE(v.text.find("report it"), std::string::npos);
  EXPECT_FALSE(v.expected);
  v = JudgeKnownBug(b, "patroni 3.0.2", 3, 0);
  EXPECT_EQ(v.outcome, KnownBugOutcome::kNotReproducedAffected);
  EXPECT_NE(v.text.find("in 3 runs"), std::string::npos);
  EXPECT_FALSE(v.expected);
  EXPECT_EQ(JudgeKnownBug(b, "", 1, 1).outcome, KnownBugOutcome::kNoVersion);
}

TEST(KnownBugs, AffectsTakesBoundsAndRefusesWhatIsNot) {
  auto bounds = ParseAffects(">= 3.0.0, < 3.1.1");
  ASSERT_TRUE(bounds.ok());
  KnownBug b;
  b.affects = ">= 3.0.0, < 3.1.1";
  EXPECT_FALSE(b.Affects({2, 1, 7}));
  EXPECT_TRUE(b.Affects({3, 1, 0}));
  EXPECT_FALSE(b.Affects({3, 1, 1}));
  EXPECT_TRUE(ParseAffects("all")->empty());
  EXPECT_FALSE(ParseAffects("3.1.0").ok());
  EXPECT_FALSE(ParseAffects("< x").ok());
}

TEST(KnownBugs, TheExitCodeFollowsTheVerdictNotTheMissedTarget) {
  ScenarioResult r;
  r.known_bug = Bug2779();
  r.versions["patroni"] = "patroni 3.0.2";
  Verdict missed;
  missed.status = VerdictStatus::kFail;
  r.verdicts = {missed};
  EXPECT_EQ(r.TargetExitCode(), 1);
  EXPECT_EQ(r.ExitCode(), 0) << "reproduced on an affected version is the expected verdict";
  r.verdicts[0].status = VerdictStatus::kPass;
  EXPECT_EQ(r.ExitCode(), 1) << "not reproduced on an affected version does not pass quietly";
  r.versions["patroni"] = "patroni 3.1.0";
  EXPECT_EQ(r.ExitCode(), 0);
  r.verdicts[0].status = VerdictStatus::kFail;
  EXPECT_EQ(r.ExitCode(), 1) << "reproduced where it is fixed";
  r.versions["patroni"] = "patroni 3.0.2";
  r.verdicts[0].status = VerdictStatus::kSkipped;  // its fault could not be injected here
  EXPECT_FALSE(r.BugVerdict()) << "nothing judged is no verdict, and never 'not reproduced'";
  EXPECT_EQ(r.ExitCode(), 0);
  EXPECT_TRUE(r.Skipped());
}

TEST(KnownBugs, AScenarioNeedsTargetsAndAValidBlock) {
  const std::string head = "name: k\nsteps:\n  - hold: 1s\n";
  auto ok = ParseScenario(head +
                              "known_bug: {id: x#1, title: t, source: s, affects: \"< 3.1.0\", fixed_in: 3.1.0}\n"
                              "expect:\n  lost_writes: 0\n",
                          "k.yaml", PGHA_SOURCE_DIR "/fixtures");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  ASSERT_TRUE(ok->scenario.known_bug);
  EXPECT_EQ(ok->scenario.known_bug->fixed_in->ToString(), "3.1.0");
  auto no_targets = ParseScenario(head + "known_bug: {id: x#1, title: t, source: s, affects: all}\n", "k.yaml",
                                  PGHA_SOURCE_DIR "/fixtures");
  ASSERT_FALSE(no_targets.ok());
  EXPECT_NE(no_targets.status().message().find("needs targets"), std::string::npos);
  auto bad =
      ParseScenario(head + "known_bug: {id: x#1, title: t, source: s, affects: soon}\nexpect:\n  lost_writes: 0\n",
                    "k.yaml", PGHA_SOURCE_DIR "/fixtures");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("k.yaml:4"), std::string::npos) << bad.status().message();
}

TEST(SweepVersions, APointAVersionClampsRunsAsAppliedAndTwinsAreSkipped) {
  auto base = ParseScenario("name: s\nsteps:\n  - hold: 1s\n", "s.yaml", PGHA_SOURCE_DIR "/fixtures");
  ASSERT_TRUE(base.ok()) << base.status().message();
  auto axis = ParseSweepAxis("patroni.ttl=5s,10s,20s,30s");
  ASSERT_TRUE(axis.ok());
  auto points = ExpandGrid(base->scenario, {*axis});
  ASSERT_TRUE(points.ok());
  auto on_302 = *points;
  ApplyPatroniVersionToGrid(&on_302, {3, 0, 2});
  for (const auto& p : on_302) EXPECT_TRUE(p.runs_as.empty() && p.skipped.empty()) << p.Label();
  ApplyPatroniVersionToGrid(&*points, {3, 2, 0});
  // Every ttl under 20 runs as 20 (with retry_timeout 3): 5s runs, 10s and 20s are its twins.
  EXPECT_EQ((*points)[0].scenario.topology.patroni.ttl, seconds(20));
  EXPECT_TRUE((*points)[0].skipped.empty());
  EXPECT_NE((*points)[0].runs_as.find("ttl 20s"), std::string::npos);
  EXPECT_NE((*points)[1].skipped.find("the same as ttl=5s"), std::string::npos) << (*points)[1].skipped;
  EXPECT_NE((*points)[2].skipped.find("the same as ttl=5s"), std::string::npos) << (*points)[2].skipped;
  EXPECT_TRUE((*points)[3].skipped.empty());
  EXPECT_EQ((*points)[3].scenario.topology.patroni.ttl, seconds(30));
  // The sweep's report says what ran under the point's own settings.
  SweepResult s;
  s.axes = {"patroni.ttl"};
  SweepRow row;
  row.settings = (*points)[0].settings;
  row.runs_as = (*points)[0].runs_as;
  s.rows = {row};
  EXPECT_NE(RenderSweepHtml(s).find("<tr><td colspan=\"8\" class=\"skipped\">Patroni 3.2.0 runs"), std::string::npos);
}

}  // namespace
}  // namespace pgha
