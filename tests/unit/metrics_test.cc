#include <gtest/gtest.h>

#include "check/metrics.h"
#include "check/verdict.h"
#include "core/files.h"

namespace pgha {
namespace {

// The one metric table is what docs/scenarios.md shows, row for row: the
// docs cannot drift from what the parser and the checker accept.
TEST(Metrics, TheDocsShowTheMetricTableAsItIs) {
  auto docs = ReadTextFile(PGHA_SOURCE_DIR "/docs/scenarios.md");
  ASSERT_TRUE(docs.ok());
  EXPECT_NE(docs->find(MetricsMarkdown()), std::string::npos)
      << "docs/scenarios.md's metric table differs from check/metrics.cc; paste this:\n"
      << MetricsMarkdown();
}

TEST(Metrics, EveryMetricParsesAndIsJudged) {
  Measurements m;
  m.fault_injected = true;
  m.failover_time_s = 1;
  m.final_read_ok = true;
  m.healed = true;
  m.recovery_time_s = 2;
  m.reads.judged = 10;
  m.reads.p99_ms = 40;
  m.latency_during_fault_p50_s = 0.2;
  m.txns = elle::CheckResult{};
  m.paused_observed = true;
  m.operations.push_back(OperationWindow{});
  m.steady_latency_p99_ms = 5;
  m.leader_key_watched = true;
  for (const auto& metric : Metrics()) {
    const std::string target = metric.kind == MetricKind::kDuration ? "< 100s" : "<= 100";
    auto e = ParseExpectation(metric.name, target);
    ASSERT_TRUE(e.ok()) << metric.name << ": " << e.status().message();
    auto v = Judge({*e}, m, RunFacts{});
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].status, VerdictStatus::kPass) << metric.name << ": " << v[0].reason;
    EXPECT_FALSE(v[0].measured_text.empty()) << metric.name;
    EXPECT_FALSE(ParseExpectation(metric.name, metric.kind == MetricKind::kDuration ? "3" : "3s").ok())
        << metric.name << ": the wrong kind of unit is an error";
  }
  EXPECT_EQ(FindMetric("nope"), nullptr);
  EXPECT_NE(ParseExpectation("failover_tim", "< 1s").status().message().find("did you mean \"failover_time\""),
            std::string::npos);
}

// anomalies: the total, a target per type (anomalies.<type>), skipped
// without list-append transactions.
TEST(Metrics, AnomaliesCountPerType) {
  Measurements m;
  auto judge = [&](const std::string& metric, const std::string& target) {
    auto e = ParseExpectation(metric, target);
    EXPECT_TRUE(e.ok()) << metric << ": " << e.status().message();
    return Judge({*e}, m, RunFacts{})[0];
  };
  EXPECT_EQ(judge("anomalies", "0").status, VerdictStatus::kSkipped);
  m.txns = elle::CheckResult{};
  m.txns->counts = {{"G-single-item-realtime", 3}, {"incompatible-order", 1}};
  const Verdict all = judge("anomalies", "0");
  EXPECT_EQ(all.status, VerdictStatus::kFail);
  EXPECT_EQ(all.measured_text, "4 (3 G-single-item-realtime, 1 incompatible-order)");
  EXPECT_EQ(judge("anomalies.G1c", "0").status, VerdictStatus::kPass);
  EXPECT_EQ(judge("anomalies.incompatible-order", "0").status, VerdictStatus::kFail);
  EXPECT_EQ(judge("anomalies.G-single-item-realtime", "<= 3").status, VerdictStatus::kPass);
  EXPECT_EQ(FindMetric("anomalies.G9"), nullptr);
}

}  // namespace
}  // namespace pgha
