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
  e->percentile = m[2].matched ? std::stod(m[2]) : 50;
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
  e->rate_k = std::stoi(m[1]);
  e->rate_n = std::stoi(m[2]);
  if (e->rate_n < 1 || e->rate_k > e->rate_n)
    return InvalidInput(
        fmt::format("\"in {} of {}\" needs 1 <= N and K <= N, e.g. \"0 in 9 of 10\"", e->rate_k, e->rate_n));
  *rest = m.prefix();
  return Status::Ok();
}

}  // namespace

Result<Expectation> ParseExpectation(const std::string& metric, const std::string& text) {
  const Metric* info = FindMetric(metric);
  if (info == nullptr) return UnknownMetric(metric);
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
    const double v = ParseNumber(rest).value_or(-1);
    if (v < 0)
      return InvalidInput(fmt::format(
          "{} is a count: write a number with an optional comparison, e.g. 0 or \"<= 3\", got \"{}\"", metric, text));
    e.threshold = v;
  }
  return e;
}

}  // namespace pgha
