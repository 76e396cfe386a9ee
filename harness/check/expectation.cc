#include "check/expectation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <regex>
#include <set>

#include "check/metrics.h"
#include "core/text.h"
#include "core/units.h"
#include "core/yaml_reader.h"

namespace pgha {

bool Expectation::Holds(double v) const {
  constexpr double kEps = 1e-9;
  switch (comparison) {
    case Comparison::kLess: return v < threshold - kEps;
    case Comparison::kLessEqual: return v <= threshold + kEps;
    case Comparison::kEqual: return std::abs(v - threshold) <= kEps;
    case Comparison::kGreaterEqual: return v >= threshold - kEps;
    case Comparison::kGreater: return v > threshold + kEps;
  }
  return false;
}

bool Expectation::Worse(double a, double b) const {
  switch (comparison) {
    case Comparison::kLess:
    case Comparison::kLessEqual: return a > b;
    case Comparison::kGreater:
    case Comparison::kGreaterEqual: return a < b;
    case Comparison::kEqual: return std::abs(a - threshold) > std::abs(b - threshold);
  }
  return false;
}

std::string ComparisonText(Comparison c) {
  switch (c) {
    case Comparison::kLess: return "<";
    case Comparison::kLessEqual: return "<=";
    case Comparison::kEqual: return "=";
    case Comparison::kGreaterEqual: return ">=";
    case Comparison::kGreater: return ">";
  }
  return "?";
}

namespace {

Status UnknownMetric(const std::string& metric) {
  std::set<std::string> names;
  std::vector<std::string> all;
  for (const auto& m : Metrics()) {
    names.insert(m.name);
    all.push_back(m.name);
  }
  std::sort(all.begin(), all.end());
  const std::string close = ClosestMatch(metric, names);
  return InvalidInput(close.empty() ? fmt::format("unknown metric \"{}\"; metrics are {}", metric, Join(all))
                                    : fmt::format("unknown metric \"{}\"; did you mean \"{}\"?", metric, close));
}

// Strips a leading comparison ("<", "<=", ...) from `rest`.
Comparison TakeComparison(std::string* rest) {
  static const std::vector<std::pair<std::string, Comparison>> kOps = {
      {"<=", Comparison::kLessEqual}, {">=", Comparison::kGreaterEqual}, {"<", Comparison::kLess},
      {">", Comparison::kGreater},    {"==", Comparison::kEqual},        {"=", Comparison::kEqual}};
  while (!rest->empty() && (*rest)[0] == ' ') rest->erase(0, 1);
  Comparison c = Comparison::kEqual;
  for (const auto& [op, cmp] : kOps)
    if (rest->rfind(op, 0) == 0) {
      c = cmp;
      *rest = rest->substr(op.size());
      break;
    }
  while (!rest->empty() && (*rest)[0] == ' ') rest->erase(0, 1);
  return c;
}

// Takes a leading "pNN" or "median" (a percentile over the runs).
Status TakePercentile(std::string* rest, Expectation* e) {
  static const std::regex kP("^\\s*(p(\\d+(\\.\\d+)?)|median)\\s+");
  std::smatch m;
  if (!std::regex_search(*rest, m, kP)) return Status::Ok();
  e->aggregate = Aggregate::kPercentile;
  e->percentile = m[2].matched ? ParseNumber(m[2]).value_or(-1) : 50;
  if (e->percentile <= 0 || e->percentile > 100)
    return InvalidInput(fmt::format("a percentile is p1 to p100 (p95 < 6s), got {}", m[1].str()));
  *rest = m.suffix();
  return Status::Ok();
}

// Takes a trailing "in K of N" (a rate over the runs).
Status TakeRate(std::string* rest, Expectation* e) {
  static const std::regex kRate("\\s+in\\s+(\\d+)\\s+of\\s+(\\d+)\\s*$");
  std::smatch m;
  if (!std::regex_search(*rest, m, kRate)) return Status::Ok();
  if (e->aggregate == Aggregate::kPercentile)
    return InvalidInput("a target is either a percentile or a rate (\"in K of N\"), not both");
  e->aggregate = Aggregate::kRate;
  // Runs are at most kMaxTrials: a larger count (or one past an int) is refused, never converted.
  const auto k = ParseInt(m[1].str()), n = ParseInt(m[2].str());
  if (!k || !n || *n < 1 || *k > *n || *n > kMaxTrials)
    return InvalidInput(fmt::format("\"in {} of {}\" needs 1 <= N <= {} and K <= N, e.g. \"0 in 9 of 10\"",
                                    Shorten(m[1].str()), Shorten(m[2].str()), kMaxTrials));
  e->rate_k = *k;
  e->rate_n = *n;
  *rest = m.prefix();
  return Status::Ok();
}

}  // namespace

Result<Expectation> ParseExpectation(const std::string& metric, const std::string& text) {
  const Metric* info = FindMetric(metric);
  if (info == nullptr) return UnknownMetric(metric);
  // Longer is no target anyone writes; refusing it first keeps the
  // patterns below from recursing through a huge string.
  if (text.size() > kMaxTargetLength)
    return InvalidInput(
        fmt::format("a target is at most {} characters (\"p95 < 6s\", \"0 in 9 of 10\"), got {}: \"{}\"",
                    kMaxTargetLength, text.size(), Shorten(text)));
  Expectation e;
  e.metric = metric;
  e.text = text;
  std::string rest = text;
  if (Status s = TakePercentile(&rest, &e); !s.ok()) return s;
  if (Status s = TakeRate(&rest, &e); !s.ok()) return s;
  e.comparison = TakeComparison(&rest);
  if (info->kind == MetricKind::kDuration) {
    auto d = ParseDuration(rest);
    if (!d.ok())
      return InvalidInput(
          fmt::format("{} is a duration: write a comparison and a duration, e.g. \"< 10s\", 0s, "
                      "\"p95 < 6s\" or \"< 10s in 9 of 10\"; {}",
                      metric, d.status().message()));
    e.threshold = ToSeconds(*d);
  } else {
    // A count is a whole decimal number: no fraction, exponent or hexadecimal.
    const auto v = ParseInt64(rest);
    if (!v || *v < 0)
      return InvalidInput(
          fmt::format("{} is a count: write a whole number with an optional comparison, e.g. 0 or \"<= 3\", got \"{}\"",
                      metric, Shorten(text)));
    e.threshold = static_cast<double>(*v);
  }
  return e;
}

}  // namespace pgha
