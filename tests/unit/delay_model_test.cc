// The packet engine's pure parts: the delays a model draws, what a probe
// of it should show, and the held packets released in due order.
#include <gtest/gtest.h>

#include "netem/delay_model.h"

namespace pgha {
namespace {

TEST(DelayModel, DrawsAroundTheDelayNeverBelowZero) {
  DelayModel m;
  m.delay_ms = 100;
  m.jitter_ms = 20;
  std::mt19937_64 rng(7);
  double lo = 1e9, hi = 0;
  for (int i = 0; i < 10000; ++i) {
    const double d = m.SampleMs(rng);
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  EXPECT_GE(lo, 80);
  EXPECT_LE(hi, 120) << "uniform: +-jitter";
  m.distribution = DelayDistribution::kNormal;
  m.jitter_ms = 200;
  for (int i = 0; i < 10000; ++i) EXPECT_GE(m.SampleMs(rng), 0);
}

TEST(DelayModel, WhatAProbeShouldShowCountsReorderingAndTheTail) {
  DelayModel steady;
  steady.delay_ms = 200;
  EXPECT_DOUBLE_EQ(steady.Expected().median_ms, 200);
  EXPECT_DOUBLE_EQ(steady.Expected().stddev_ms, 0);
  DelayModel reordered = steady;
  reordered.reorder_percent = 60;
  EXPECT_DOUBLE_EQ(reordered.Expected().median_ms, 0) << "most packets skip the delay";
  DelayModel tail;
  tail.delay_ms = 100;
  tail.jitter_ms = 50;
  tail.distribution = DelayDistribution::kPareto;
  const auto t = tail.Expected();
  EXPECT_NEAR(t.median_ms, 100 + 50 * (std::sqrt(2.0) - 1), 2) << "X - 1 of Pareto(2, 1) has median sqrt(2) - 1";
  EXPECT_GT(t.stddev_ms, 50);
  EXPECT_EQ(tail.Expected().median_ms, t.median_ms) << "the same model, the same figures";
}

TEST(DelaySchedule, ReleasesInDueOrderKeepsArrivalOrderOnTiesAndIsBounded) {
  DelaySchedule s(3);
  EXPECT_TRUE(s.Hold(1, 300, false));
  EXPECT_TRUE(s.Hold(2, 100, true));
  EXPECT_TRUE(s.Hold(3, 100, false));
  EXPECT_FALSE(s.Hold(4, 50, false)) << "full: the engine lets it pass at once";
  EXPECT_EQ(s.NextDue(), 100);
  auto due = s.TakeDue(150);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].packet_id, 2u);
  EXPECT_TRUE(due[0].duplicate);
  EXPECT_EQ(due[1].packet_id, 3u) << "equal due times: arrival order";
  EXPECT_TRUE(s.TakeDue(299).empty());
  EXPECT_EQ(s.TakeAll().size(), 1u);
  EXPECT_FALSE(s.NextDue().has_value());
}

TEST(DelayModel, NamesAndDescription) {
  EXPECT_EQ(DistributionFromName("pareto"), DelayDistribution::kPareto);
  EXPECT_FALSE(DistributionFromName("zipf").has_value());
  DelayModel m;
  m.delay_ms = 30;
  m.jitter_ms = 30;
  m.distribution = DelayDistribution::kNormal;
  m.reorder_percent = 20;
  EXPECT_EQ(m.Describe(), "30ms +-30ms normal, 20% reordered");
}

}  // namespace
}  // namespace pgha
