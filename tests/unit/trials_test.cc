// Statistics, the target grammar over several runs, and their judgement,
// on worked examples written out here.
#include <gtest/gtest.h>

#include <cmath>

#include "check/expectation.h"
#include "check/stats.h"
#include "check/trials.h"
#include "result/trial_set.h"

namespace pgha {
namespace {

TEST(Stats, PercentilesInterpolateBetweenTheClosestRanks) {
  EXPECT_DOUBLE_EQ(Percentile({4, 1, 3, 2}, 50), 2.5);  // sorted 1 2 3 4: rank 1.5
  EXPECT_DOUBLE_EQ(Percentile({1, 2, 3, 4}, 0), 1);
  EXPECT_DOUBLE_EQ(Percentile({1, 2, 3, 4}, 100), 4);
  // Ten failovers: rank 0.95 * 9 = 8.55, between 5.4 and 5.5.
  const std::vector<double> ten = {4.7, 5.0, 4.9, 5.1, 5.5, 4.8, 5.2, 5.0, 5.4, 4.6};
  EXPECT_NEAR(Percentile(ten, 95), 5.4 + 0.55 * 0.1, 1e-12);
  EXPECT_DOUBLE_EQ(Percentile({7}, 95), 7);
  EXPECT_DOUBLE_EQ(Percentile({}, 95), 0);
  const Distribution d = Summarize(ten);
  EXPECT_EQ(d.n, 10);
  EXPECT_DOUBLE_EQ(d.min, 4.6);
  EXPECT_DOUBLE_EQ(d.median, 5.0);
  EXPECT_DOUBLE_EQ(d.max, 5.5);
  EXPECT_EQ(d.values.front(), 4.7) << "kept in run order";
}

TEST(Stats, WilsonIntervalsAreHonestAtTheEdges) {
  // 0 of 10: (0, 0.2775); 10 of 10: (0.7225, 1); 5 of 10: (0.2366, 0.7634); 3 of 3: (0.4385, 1).
  auto none = Wilson(0, 10);
  EXPECT_DOUBLE_EQ(none.low, 0);
  EXPECT_NEAR(none.high, 0.2775, 1e-4);
  auto all = Wilson(10, 10);
  EXPECT_NEAR(all.low, 0.7225, 1e-4);
  EXPECT_DOUBLE_EQ(all.high, 1);
  auto half = Wilson(5, 10);
  EXPECT_NEAR(half.low, 0.2366, 1e-4);
  EXPECT_NEAR(half.high, 0.7634, 1e-4);
  EXPECT_NEAR(Wilson(3, 3).low, 0.4385, 1e-4);
  EXPECT_EQ(Wilson(0, 0).n, 0);
}

TEST(TargetGrammar, PercentilesRatesAndTheWorstRun) {
  auto worst = ParseExpectation("failover_time", "< 8s");
  ASSERT_TRUE(worst.ok());
  EXPECT_EQ(worst->aggregate, Aggregate::kWorst);
  auto p95 = ParseExpectation("failover_time", "p95 < 6s");
  ASSERT_TRUE(p95.ok()) << p95.status().message();
  EXPECT_EQ(p95->aggregate, Aggregate::kPercentile);
  EXPECT_EQ(p95->percentile, 95);
  EXPECT_EQ(p95->comparison, Comparison::kLess);
  EXPECT_EQ(p95->threshold, 6);
  auto median = ParseExpectation("recovery_time", "median <= 30s");
  ASSERT_TRUE(median.ok());
  EXPECT_EQ(median->percentile, 50);
  auto rate = ParseExpectation("lost_writes", "0 in 10 of 10");
  ASSERT_TRUE(rate.ok()) << rate.status().message();
  EXPECT_EQ(rate->aggregate, Aggregate::kRate);
  EXPECT_EQ(rate->rate_k, 10);
  EXPECT_EQ(rate->rate_n, 10);
  EXPECT_EQ(rate->threshold, 0);
  auto timed_rate = ParseExpectation("failover_time", "< 10s in 9 of 10");
  ASSERT_TRUE(timed_rate.ok());
  EXPECT_EQ(timed_rate->threshold, 10);
  EXPECT_EQ(timed_rate->rate_k, 9);
}

TEST(TargetGrammar, MistakesSayWhatIsAccepted) {
  auto p0 = ParseExpectation("failover_time", "p0 < 6s");
  ASSERT_FALSE(p0.ok());
  EXPECT_NE(p0.status().message().find("p1 to p100"), std::string::npos) << p0.status().message();
  auto backwards = ParseExpectation("lost_writes", "0 in 11 of 10");
  ASSERT_FALSE(backwards.ok());
  EXPECT_NE(backwards.status().message().find("K <= N"), std::string::npos);
  auto both = ParseExpectation("failover_time", "p95 < 6s in 9 of 10");
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.status().message().find("either a percentile or a rate"), std::string::npos);
  auto no_unit = ParseExpectation("failover_time", "p95 < 6");
  ASSERT_FALSE(no_unit.ok());
  EXPECT_NE(no_unit.status().message().find("\"p95 < 6s\""), std::string::npos) << no_unit.status().message();
}

// Run verdicts as Judge makes them: one value per run.
std::vector<std::vector<Verdict>> Runs(const Expectation& e, const std::vector<std::optional<double>>& values) {
  std::vector<std::vector<Verdict>> runs;
  for (const auto& v : values) {
    Verdict x;
    x.expectation = e;
    x.measured = v;
    x.status = !v ? VerdictStatus::kFail : e.Holds(*v) ? VerdictStatus::kPass : VerdictStatus::kFail;
    runs.push_back({x});
  }
  return runs;
}

TEST(JudgeTrials, ThePercentileTheWorstRunAndTheRate) {
  const std::vector<std::optional<double>> ten = {4.7, 5.0, 4.9, 5.1, 5.5, 4.8, 5.2, 5.0, 6.4, 4.6};
  auto p95 = *ParseExpectation("failover_time", "p95 < 6s");  // p95 = 5.5 + 0.55 * 0.9 = 5.995
  auto v = JudgeTrials({p95}, Runs(p95, ten)).front();
  EXPECT_EQ(v.status, VerdictStatus::kPass) << v.measured_text;
  EXPECT_NEAR(*v.measured, 5.995, 1e-9);
  EXPECT_EQ(v.runs, 10);
  EXPECT_EQ(v.runs_met, 9);
  EXPECT_EQ(v.measured_text, "p95 5.99s");  // 5.995 in binary is just under
  auto worst = *ParseExpectation("failover_time", "< 6s");
  auto w = JudgeTrials({worst}, Runs(worst, ten)).front();
  EXPECT_EQ(w.status, VerdictStatus::kFail);
  EXPECT_EQ(w.measured_text, "worst 6.40s");
  EXPECT_EQ(w.reason, "9 of 10 runs met failover_time < 6s");
  auto nine = *ParseExpectation("failover_time", "< 6s in 9 of 10");
  EXPECT_EQ(JudgeTrials({nine}, Runs(nine, ten)).front().status, VerdictStatus::kPass);
  auto all = *ParseExpectation("failover_time", "< 6s in 10 of 10");
  EXPECT_EQ(JudgeTrials({all}, Runs(all, ten)).front().status, VerdictStatus::kFail);
}

TEST(JudgeTrials, ARunThatNeverRecoveredIsTheWorstAndAnErrorIsAnError) {
  auto p50 = *ParseExpectation("failover_time", "median < 6s");
  auto v = JudgeTrials({p50}, Runs(p50, {5.0, std::nullopt, std::nullopt})).front();
  EXPECT_EQ(v.status, VerdictStatus::kFail) << "two of three never recovered: the median is infinite";
  auto runs = Runs(p50, {5.0, 5.1});
  runs[1][0].status = VerdictStatus::kError;
  runs[1][0].reason = "the cluster did not come up";
  auto e = JudgeTrials({p50}, runs).front();
  EXPECT_EQ(e.status, VerdictStatus::kError);
  EXPECT_EQ(e.reason, "run 2: the cluster did not come up");
  auto skipped = Runs(p50, {5.0});
  skipped[0][0].status = VerdictStatus::kSkipped;
  EXPECT_EQ(JudgeTrials({p50}, skipped).front().status, VerdictStatus::kSkipped);
}

TEST(TrialSet, SeedsDifferAndTheWorstRunIsShown) {
  EXPECT_NE(TrialSeed(42, 0), TrialSeed(42, 1));
  EXPECT_NE(TrialSeed(42, 1), TrialSeed(43, 0));
  EXPECT_EQ(TrialSeed(42, 3), TrialSeed(42, 3));
  auto target = *ParseExpectation("lost_writes", "0 in 3 of 3");
  std::vector<ScenarioResult> runs(3);
  std::vector<std::string> folders;
  for (int i = 0; i < 3; ++i) {
    runs[i].expectations = {target};
    runs[i].measurements.fault_injected = true;
    runs[i].measurements.final_read_ok = true;
    runs[i].measurements.failover_time_s = 5.0 + i;
    if (i == 1) runs[i].measurements.lost_keys = {7, 8};
    runs[i].verdicts = Judge(runs[i].expectations, runs[i].measurements, runs[i].facts);
    folders.push_back("s/trial-" + std::to_string(i + 1));
  }
  auto set = CombineTrials(runs, folders, 4);
  ASSERT_TRUE(set.trials);
  EXPECT_EQ(set.trials->shown, 2) << "the longest failover";
  EXPECT_TRUE(set.trials->partial());
  EXPECT_EQ(set.verdicts.front().status, VerdictStatus::kFail);
  EXPECT_EQ(set.verdicts.front().measured_text, "2 of 3 runs");
  EXPECT_EQ(set.trials->stats.runs_with_lost_writes.successes, 1);
  EXPECT_EQ(set.trials->stats.metrics.at("failover_time").max, 7.0);
  EXPECT_EQ(set.facts.infrastructure_error, "partial: 3 of 4 runs");
  EXPECT_EQ(set.ExitCode(), 3) << "a partial set is not a verdict";
}

}  // namespace
}  // namespace pgha
