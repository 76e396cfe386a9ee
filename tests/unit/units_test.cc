#include <gtest/gtest.h>

#include "core/units.h"

namespace pgha {
namespace {
using namespace std::chrono_literals;

TEST(Units, ParsesDurationsInEveryUnit) {
  EXPECT_EQ(*ParseDuration("500ms"), 500ms);
  EXPECT_EQ(*ParseDuration("10s"), 10s);
  EXPECT_EQ(*ParseDuration("2m"), 120s);
  EXPECT_EQ(*ParseDuration("1h"), 3600s);
  EXPECT_EQ(*ParseDuration("1.5s"), 1500ms);
  EXPECT_EQ(*ParseDuration("250us"), 250us);
  EXPECT_EQ(*ParseDuration("0s"), 0s);
}

TEST(Units, RejectsBadDurationsWithAHint) {
  for (const char* bad : {"10 sec", "-1s", "5x", "10", "s", "", "1.2.3s", "ten s", "10S"}) {
    auto d = ParseDuration(bad);
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_EQ(d.status().code(), StatusCode::kInvalidInput);
    EXPECT_NE(d.status().message().find("e.g. 500ms"), std::string::npos) << d.status().message();
  }
  EXPECT_NE(ParseDuration("5x").status().message().find("unknown unit \"x\""), std::string::npos);
}

TEST(Units, FormatsTheShortestExactForm) {
  EXPECT_EQ(FormatDuration(10s), "10s");
  EXPECT_EQ(FormatDuration(500ms), "500ms");
  EXPECT_EQ(FormatDuration(0s), "0s");
  EXPECT_EQ(FormatDuration(1500ms), "1500ms");
}

TEST(Units, WholeSecondsForPatroni) {
  EXPECT_EQ(*WholeSeconds(10s, "ttl"), 10);
  auto bad = WholeSeconds(1500ms, "patroni.ttl");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("whole number of seconds"), std::string::npos);
}

TEST(Units, ParsesSizes) {
  EXPECT_EQ(*ParseSize("1MB"), 1000000u);
  EXPECT_EQ(*ParseSize("1MiB"), 1048576u);
  EXPECT_EQ(*ParseSize("64kB"), 64000u);
  EXPECT_FALSE(ParseSize("12 MB").ok());
  EXPECT_FALSE(ParseSize("12parsecs").ok());
}

}  // namespace
}  // namespace pgha

namespace pgha {
namespace {

TEST(Units, ParsesPlainNumbersStrictly) {
  EXPECT_EQ(ParseNumber("12"), 12.0);
  EXPECT_EQ(ParseNumber("0.5"), 0.5);
  EXPECT_FALSE(ParseNumber(""));
  EXPECT_FALSE(ParseNumber("12s"));
  EXPECT_FALSE(ParseNumber(" 12"));
  EXPECT_FALSE(ParseNumber("x"));
}

}  // namespace
}  // namespace pgha
