// A sweep's grid, its skipped combinations, the control, the frontier, and
// the comparison with a baseline, on worked examples.
#include <gtest/gtest.h>

#include "check/compare.h"
#include "result/sweep_result.h"
#include "scenario/sweep.h"

namespace pgha {
namespace {

TEST(SweepGrid, EveryCombinationInOrderAndTheBrokenOnesSkipped) {
  auto ttl = ParseSweepAxis("patroni.ttl=5s,10s,30s");
  auto loop = ParseSweepAxis("patroni.loop_wait=1s, 3s,10s");
  ASSERT_TRUE(ttl.ok() && loop.ok());
  Scenario base;
  base.name = "primary-kill";
  auto grid = ExpandGrid(base, {*ttl, *loop});
  ASSERT_TRUE(grid.ok()) << grid.status().message();
  ASSERT_EQ(grid->size(), 9u);
  EXPECT_EQ((*grid)[1].Label(), "ttl=5s loop_wait=3s");
  EXPECT_EQ((*grid)[1].scenario.topology.patroni.loop_wait, std::chrono::seconds(3));
  EXPECT_EQ((*grid)[1].scenario.topology.patroni.ttl, std::chrono::seconds(5));
  // retry_timeout stays 2s: 3 + 4 > 5, 10 + 4 > 5, 10 + 4 > 10 break the rule.
  std::vector<std::string> skipped;
  for (const auto& p : *grid)
    if (!p.skipped.empty()) skipped.push_back(p.Label());
  EXPECT_EQ(skipped,
            (std::vector<std::string>{"ttl=5s loop_wait=3s", "ttl=5s loop_wait=10s", "ttl=10s loop_wait=10s"}));
}

TEST(SweepGrid, MistakesNameTheFlag) {
  EXPECT_FALSE(ParseSweepAxis("ttl=5s").ok());
  EXPECT_FALSE(ParseSweepAxis("patroni.ttl=").ok());
  Scenario base;
  auto typo = ExpandGrid(base, {*ParseSweepAxis("patroni.tll=5s")});
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.status().message().find("ttl"), std::string::npos) << typo.status().message();
  auto unit = ExpandGrid(base, {*ParseSweepAxis("patroni.ttl=5")});
  EXPECT_FALSE(unit.ok());
}

TEST(SweepGrid, TheControlHoldsWithoutAFault) {
  Scenario base;
  base.name = "primary-kill";
  const Scenario c = ControlScenario(base, std::chrono::seconds(60));
  EXPECT_EQ(c.name, "primary-kill-control");
  ASSERT_EQ(c.steps.size(), 2u);
  EXPECT_EQ(c.steps[1].kind, StepKind::kHold);
  EXPECT_EQ(c.steps[1].duration, std::chrono::seconds(60));
  ASSERT_EQ(c.expectations.size(), 2u);
  EXPECT_EQ(c.expectations[0].metric, "leader_changes");
}

SweepRow Row(const std::string& label, double median, int lost, int leader_changes) {
  SweepRow r;
  r.label = label;
  r.failover = Summarize({median});
  r.lost_runs = lost;
  r.control_leader_changes = leader_changes;
  r.control_failed_writes = 0;
  return r;
}

TEST(SweepFrontier, FastestWithACleanControlAndFewestLosses) {
  SweepResult s;
  s.rows = {Row("a", 5.0, 1, 0), Row("b", 6.0, 0, 0), Row("c", 7.0, 0, 0), Row("d", 4.0, 0, 2)};
  s.rows.push_back(Row("e", 3.0, 0, 0));
  s.rows.back().skipped = "breaks the rule";
  MarkFrontier(&s);
  EXPECT_TRUE(s.rows[0].frontier) << "fastest clean one";
  EXPECT_TRUE(s.rows[1].frontier) << "slower but loses nothing";
  EXPECT_FALSE(s.rows[2].frontier) << "b is faster and loses no more";
  EXPECT_FALSE(s.rows[3].frontier) << "its control had false failovers";
  EXPECT_FALSE(s.rows[4].frontier) << "skipped";
}

TEST(SweepFrontier, AFasterPointThatFailsOverFalselyUnderAGrayFaultDoesNotBeatASlowerSteadyOne) {
  // A ttl sweep of a slow-node scenario: ttl 3 fails over (falsely) in 2 of 3 runs, ttl 10 in none.
  SweepResult s;
  s.rows = {Row("ttl=3s", 0.0, 0, 0), Row("ttl=10s", 0.0, 0, 0), Row("ttl=20s", 0.0, 0, 0)};
  s.rows[0].false_failover_judged = 4;  // three runs and the control
  s.rows[0].false_failover_runs = 2;
  s.rows[1].false_failover_judged = s.rows[2].false_failover_judged = 4;
  s.rows[2].failover = Summarize({0.5});
  MarkFrontier(&s);
  EXPECT_DOUBLE_EQ(s.rows[0].FalseFailoverRate(), 0.5);
  EXPECT_FALSE(s.rows[0].frontier) << "as fast, but false failovers in half its runs";
  EXPECT_TRUE(s.rows[1].frontier);
  EXPECT_FALSE(s.rows[2].frontier) << "no fewer false failovers and slower";
}

TEST(Compare, WorseBeyondTheNoiseNewLossesAndTargetsThatWentBad) {
  Sample base, now;
  base.runs = now.runs = 5;
  base.failover_s = {4.8, 5.0, 5.1, 5.2, 5.6};  // median 5.1, spread 0.8
  now.failover_s = {5.3, 5.5, 5.6, 5.8, 6.0};   // median 5.6: within 0.8 of noise
  auto same = CompareSamples(base, now, Tolerance{});
  EXPECT_FALSE(same[0].regression) << same[0].why;
  now.failover_s = {9.0, 9.5, 9.6, 9.8, 10.1};  // median 9.6: 4.5 s worse
  now.lost_runs = 1;
  Verdict was, is;
  was.expectation.metric = is.expectation.metric = "failover_time";
  was.expectation.text = is.expectation.text = "< 8s";
  was.status = VerdictStatus::kPass;
  is.status = VerdictStatus::kFail;
  base.verdicts = {was};
  now.verdicts = {is};
  auto worse = CompareSamples(base, now, Tolerance{});
  EXPECT_TRUE(worse[0].regression);
  EXPECT_EQ(worse[0].why, "worse by 4.50s, more than the noise 1.02s");  // 20 % of 5.1 over the 0.8 spread
  bool lost = false, target = false;
  for (const auto& c : worse) {
    lost |= c.what == "lost_writes" && c.regression;
    target |= c.what == "target failover_time < 8s" && c.regression;
  }
  EXPECT_TRUE(lost);
  EXPECT_TRUE(target);
  EXPECT_TRUE(ParseTolerance("10%").ok());
  EXPECT_DOUBLE_EQ(ParseTolerance("1.5s")->For(100), 1.5);
  EXPECT_FALSE(ParseTolerance("fast").ok());
}

}  // namespace
}  // namespace pgha
