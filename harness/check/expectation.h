// Expectation: one target of a scenario ("failover_time: < 10s"), parsed
// against the metric table: a duration metric needs a unit, a count takes
// none. Over several runs of a scenario (trials) a target says which runs
// it is about:
//   "< 8s"             every run (the worst run decides: the default)
//   "p95 < 6s"         the 95th percentile of the runs (p1 to p100; median is p50)
//   "0 in 10 of 10"    at least 10 of every 10 runs meet "0" (a rate)
// One run is a sample of one: the percentile is the value, the rate asks
// that run. Errors say what is accepted; the scenario loader adds file,
// line and column. Pure.
#pragma once

#include <cstddef>
#include <string>

#include "core/status.h"

namespace pgha {

enum class Comparison { kLess, kLessEqual, kEqual, kGreaterEqual, kGreater };
enum class Aggregate { kWorst, kPercentile, kRate };

struct Expectation {
  std::string metric;  // a name from check/metrics.h
  Comparison comparison = Comparison::kEqual;
  double threshold = 0;  // seconds for durations, a count otherwise
  std::string text;      // as written, e.g. "< 10s"
  int line = 0;
  Aggregate aggregate = Aggregate::kWorst;
  double percentile = 100;     // kPercentile: 95 for p95
  int rate_k = 1, rate_n = 1;  // kRate: "... in K of N"
  bool Holds(double measured) const;
  // Whether `a` is a worse run than `b` for this target (a higher time for "<").
  bool Worse(double a, double b) const;
};

// A target longer than this is refused (no one writes one; the parser's
// patterns must not meet a megabyte). Rates count at most kMaxTrials runs,
// the most `--trials` and a scenario's `trials` allow.
constexpr size_t kMaxTargetLength = 120;
constexpr int kMaxTrials = 1000;

Result<Expectation> ParseExpectation(const std::string& metric, const std::string& text);
std::string ComparisonText(Comparison c);

}  // namespace pgha
