// Expectation: one target of a scenario ("failover_time: < 10s"), parsed
// against the metric table: a duration metric needs a unit, a count takes
// none. Errors say what is accepted; the scenario loader adds file, line
// and column. Pure.
#pragma once

#include <string>

#include "core/status.h"

namespace pgha {

enum class Comparison { kLess, kLessEqual, kEqual, kGreaterEqual, kGreater };

struct Expectation {
  std::string metric;  // a name from check/metrics.h
  Comparison comparison = Comparison::kEqual;
  double threshold = 0;  // seconds for durations, a count otherwise
  std::string text;      // as written, e.g. "< 10s"
  int line = 0;
  bool Holds(double measured) const;
};

Result<Expectation> ParseExpectation(const std::string& metric, const std::string& text);
std::string ComparisonText(Comparison c);

}  // namespace pgha
