// How many times a benchmark on a real cluster repeats: `standard` (the
// figures in docs/testing.md) unless PGHA_BENCH_REPETITIONS names another count
// (tools/test.sh: 1 under CI, where the budget is short; medians of one run
// there, the full count by hand).
#pragma once

#include <cstdlib>

namespace pgha {

inline int BenchRepetitions(int standard) {
  const char* env = std::getenv("PGHA_BENCH_REPETITIONS");
  return env && std::atoi(env) > 0 ? std::atoi(env) : standard;
}

}  // namespace pgha
