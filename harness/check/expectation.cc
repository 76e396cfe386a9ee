#include "check/expectation.h"

#include <fmt/format.h>

#include <cmath>
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

}  // namespace

Result<Expectation> ParseExpectation(const std::string& metric, const std::string& text) {
  const Metric* info = FindMetric(metric);
  if (info == nullptr) return UnknownMetric(metric);
  Expectation e;
  e.metric = metric;
  e.text = text;
  std::string rest = text;
  e.comparison = TakeComparison(&rest);
  if (info->kind == MetricKind::kDuration) {
    auto d = ParseDuration(rest);
    if (!d.ok())
      return InvalidInput(fmt::format("{} is a duration: write a comparison and a duration, e.g. \"< 10s\" or 0s; {}",
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
