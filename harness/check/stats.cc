#include "check/stats.h"

#include <algorithm>
#include <cmath>

namespace pgha {

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double rank = std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(values.size() - 1);
  const auto lower = static_cast<size_t>(std::floor(rank));
  const size_t upper = std::min(lower + 1, values.size() - 1);
  return values[lower] + (rank - static_cast<double>(lower)) * (values[upper] - values[lower]);
}

Distribution Summarize(const std::vector<double>& values) {
  Distribution d;
  d.n = static_cast<int>(values.size());
  d.values = values;
  if (values.empty()) return d;
  d.min = *std::min_element(values.begin(), values.end());
  d.max = *std::max_element(values.begin(), values.end());
  d.median = Percentile(values, 50);
  d.p95 = Percentile(values, 95);
  return d;
}

RateEstimate Wilson(int successes, int n, double z) {
  RateEstimate r;
  r.successes = successes;
  r.n = n;
  if (n <= 0) return r;
  const double nn = n, phat = successes / nn, z2 = z * z;
  const double centre = (phat + z2 / (2 * nn)) / (1 + z2 / nn);
  const double half = z * std::sqrt(phat * (1 - phat) / nn + z2 / (4 * nn * nn)) / (1 + z2 / nn);
  r.low = std::max(0.0, centre - half);
  r.high = std::min(1.0, centre + half);
  return r;
}

}  // namespace pgha
