// The transactional checker (elle/list_append_check.h) on synthetic
// strictly serializable list-append histories (fakes/synthetic_txns.h):
//   BM_CheckListAppend/N   N transactions: seconds per check (targets:
//                          10^5 in at most 5 s, 10^6 in at most 60 s on 2
//                          cores), counters txns_per_s, history_B_per_txn
//                          (the history held) and state_B_per_txn (the
//                          most the check allocated beyond it: flat in N
//                          means memory linear in the history), and
//                          anomalies (must be 0: the histories are valid)
//   BM_CheckReplicaReads/N the same with half the clients reading an
//                          asynchronous replica 100 commits behind: every
//                          stale read closes a real-time cycle, so the
//                          cycle search works on large components
//                          (bounded: counter search_exhausted says if it
//                          ran out of budget)
// Allocation is counted by replacing operator new in this program only.
// tools/test.sh runs it and prints the medians.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "elle/list_append_check.h"
#include "fakes/synthetic_txns.h"

namespace {
std::atomic<int64_t> g_live{0}, g_peak{0};
void Count(void* p) {
  if (p == nullptr) return;
  const int64_t now =
      g_live.fetch_add(static_cast<int64_t>(malloc_usable_size(p))) + static_cast<int64_t>(malloc_usable_size(p));
  int64_t peak = g_peak.load();
  while (now > peak && !g_peak.compare_exchange_weak(peak, now)) {}
}
}  // namespace

void* operator new(size_t n) {
  void* p = std::malloc(n ? n : 1);
  if (p == nullptr) throw std::bad_alloc();
  Count(p);
  return p;
}
void operator delete(void* p) noexcept {
  if (p) g_live.fetch_sub(static_cast<int64_t>(malloc_usable_size(p)));
  std::free(p);
}
void operator delete(void* p, size_t) noexcept { operator delete(p); }

namespace pgha {
namespace {

int64_t HistoryBytes(const elle::ListAppendHistory& h) {
  return static_cast<int64_t>(h.txns.capacity() * sizeof(elle::Txn) + h.mops.capacity() * sizeof(elle::Mop) +
                              h.read_elements.capacity() * sizeof(int64_t));
}

void Check(benchmark::State& state, const elle::ListAppendHistory& h, bool valid) {
  int64_t anomalies = 0, state_bytes = 0;
  bool exhausted = false;
  for (auto _ : state) {
    const int64_t before = g_live.load();
    g_peak.store(before);
    elle::CheckResult r = elle::CheckListAppend(h);
    state_bytes = std::max(state_bytes, g_peak.load() - before);
    anomalies = 0;
    for (const auto& [type, n] : r.counts) anomalies += n;
    exhausted = r.search_exhausted;
    benchmark::DoNotOptimize(r);
  }
  const double n = static_cast<double>(h.txns.size());
  state.counters["txns_per_s"] = benchmark::Counter(n, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["history_B_per_txn"] = static_cast<double>(HistoryBytes(h)) / n;
  state.counters["state_B_per_txn"] = static_cast<double>(state_bytes) / n;
  state.counters["anomalies"] = static_cast<double>(anomalies);
  state.counters["search_exhausted"] = exhausted ? 1 : 0;
  if (valid && anomalies != 0) state.SkipWithError("a valid history was reported with anomalies");
  if (!valid && anomalies == 0) state.SkipWithError("stale replica reads were not reported");
}

void BM_CheckListAppend(benchmark::State& state) { Check(state, testing::SyntheticTxns(state.range(0)), true); }
void BM_CheckReplicaReads(benchmark::State& state) {
  Check(state, testing::SyntheticTxns(state.range(0), 8, 1, 100), false);
}
BENCHMARK(BM_CheckListAppend)
    ->Arg(100'000)
    ->Iterations(1)
    ->Repetitions(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_CheckListAppend)
    ->Arg(1'000'000)
    ->Iterations(1)
    ->Repetitions(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_CheckReplicaReads)
    ->Arg(100'000)
    ->Iterations(1)
    ->Repetitions(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_CheckReplicaReads)
    ->Arg(1'000'000)
    ->Iterations(1)
    ->Repetitions(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace pgha

BENCHMARK_MAIN();
