// Statistics of repeated runs (trials), pure:
//   Percentile  linear interpolation between the closest ranks (the R-7
//               rule, numpy's default): p50 of {1,2,3,4} is 2.5, p95 of ten
//               sorted values is v[8] + 0.55 * (v[9] - v[8]);
//   Summarize   n, min, median, p95, max of a sample (the values kept in
//               run order for strip plots);
//   Wilson      the 95 % Wilson score interval of k successes in n runs,
//               which stays inside [0, 1] and is honest for small n and for
//               0 or n successes (3 of 3 gives 0.44 to 1, not 1 to 1).
#pragma once

#include <vector>

namespace pgha {

// `p` from 0 to 100; the sample need not be sorted; an empty one gives 0.
double Percentile(std::vector<double> values, double p);

struct Distribution {
  int n = 0;
  double min = 0, median = 0, p95 = 0, max = 0;
  std::vector<double> values;  // in run order
};
Distribution Summarize(const std::vector<double>& values);

struct RateEstimate {
  int successes = 0;
  int n = 0;
  double low = 0, high = 0;  // the 95 % interval of the true rate
};
RateEstimate Wilson(int successes, int n, double z = 1.959963984540054);

}  // namespace pgha
