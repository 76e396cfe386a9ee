// The workload's asked against achieved rates, and the shortfall warning.
#include <gtest/gtest.h>

#include "check/workload_rates.h"

namespace pgha {
namespace {

constexpr int64_t kRatesMs = 1000000;

// `writers` writers, each sending its next write when the last one is
// acknowledged after `latency_ms`, for 20 s; a fault at 10 s.
History LatencyBound(int writers, double latency_ms) {
  History h;
  const auto latency = static_cast<int64_t>(latency_ms * kRatesMs);
  for (int w = 0; w < writers; ++w)
    for (int64_t t = 0; t + latency <= 20000 * kRatesMs; t += latency) {
      Op op;
      op.process = w;
      op.invoke_ns = t;
      op.complete_ns = t + latency;
      h.ops.push_back(op);
    }
  h.journal = {{10000 * kRatesMs, JournalAction::kInject, "f", "kill", "node1", ""}};
  return h;
}

SettingGroup Asked(nlohmann::json rate, int writers) {
  return {{"writers", writers}, {"rate_per_s", std::move(rate)}, {"readers", 0}};
}

TEST(WorkloadRates, FourWritersAtOneMillisecondCannotSendFiveThousandAndSaySo) {
  const WorkloadRates r = CheckWorkloadRates(LatencyBound(4, 1.2), Asked(5000, 4));
  EXPECT_NEAR(r.window_s, 10.0, 0.01);  // up to the fault
  EXPECT_NEAR(r.achieved_writes_per_s, 3333, 2);
  EXPECT_NEAR(r.write_p50_s, 0.0012, 1e-9);
  EXPECT_NE(r.warning.find("writes/s of the 5000/s asked (33% short)"), std::string::npos) << r.warning;
  EXPECT_NE(r.warning.find("latency-bound: 4 writer(s)"), std::string::npos) << r.warning;
  EXPECT_NE(r.warning.find("at most 3333/s"), std::string::npos) << r.warning;
}

TEST(WorkloadRates, ARateReachedOrAskedAsMaxGivesNoWarning) {
  EXPECT_EQ(CheckWorkloadRates(LatencyBound(4, 1.0), Asked(4000, 4)).warning, "");
  const WorkloadRates max = CheckWorkloadRates(LatencyBound(4, 1.2), Asked("max", 4));
  EXPECT_EQ(max.warning, "");
  EXPECT_FALSE(max.asked_writes_per_s);
  EXPECT_NE(DescribeRates(max).find("of max asked"), std::string::npos);
}

TEST(WorkloadRates, WithoutTheWorkloadSettingsNothingIsSaid) {
  const WorkloadRates r = CheckWorkloadRates(LatencyBound(4, 1.2), {});
  EXPECT_FALSE(r.known);
  EXPECT_EQ(r.warning, "");
  EXPECT_EQ(DescribeRates(r), "");
}

}  // namespace
}  // namespace pgha
