// A synthetic list-append history of a strictly serializable database, for
// the transactional checker's benchmark and tests: `processes` clients,
// each running transactions back to back (1 to 4 micro-operations, half
// appends, half reads, over 10 active keys that retire after 32 appends,
// as Jepsen's generator does); each transaction takes effect at one
// instant between its invocation and completion, and reads see exactly
// what took effect before. About 1 % fail (no effect) and 0.5 % end
// indeterminate (effect or not, at random). So the checker must find
// nothing. With `lag` > 0 the upper half of the processes are readers of
// an asynchronous replica: read-only transactions that see the database
// as it was `lag` commits earlier (a consistent but stale snapshot), so
// only real-time anomalies may be found. Deterministic for a seed.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "elle/txn_history.h"

namespace pgha::testing {

inline elle::ListAppendHistory SyntheticTxns(int64_t count, int processes = 8, uint64_t seed = 1, int64_t lag = 0) {
  using elle::Mop;
  using elle::Txn;
  using elle::TxnOutcome;
  std::mt19937_64 rng(seed);
  struct Planned {
    int64_t invoke, commit, complete;
    int process;
  };
  std::vector<Planned> plan;
  plan.reserve(static_cast<size_t>(count));
  std::vector<int64_t> clock(processes, 0);
  for (int64_t i = 0; i < count; ++i) {
    const int p = static_cast<int>(i % processes);
    const int64_t start = clock[p] + static_cast<int64_t>(rng() % 1000);
    const int64_t length = 1000 + static_cast<int64_t>(rng() % 9000);
    plan.push_back({start, start + static_cast<int64_t>(rng() % static_cast<uint64_t>(length)), start + length, p});
    clock[p] = start + length;
  }
  std::vector<size_t> by_commit(plan.size());
  for (size_t i = 0; i < by_commit.size(); ++i) by_commit[i] = i;
  std::sort(by_commit.begin(), by_commit.end(), [&](size_t a, size_t b) { return plan[a].commit < plan[b].commit; });
  elle::ListAppendHistory h;
  h.txns.resize(plan.size());
  std::vector<int64_t> active(10);
  for (int k = 0; k < 10; ++k) active[k] = k;
  int64_t next_key = 10, next_element = 1;
  std::map<int64_t, std::vector<int64_t>> store;
  std::map<int64_t, std::vector<int64_t>> added_at;  // per key: the commit each element took effect in
  std::map<int64_t, int> appends;
  int64_t seq = 0;
  for (size_t n : by_commit) {
    ++seq;
    const bool replica = lag > 0 && plan[n].process >= processes / 2;
    Txn& t = h.txns[n];
    t.invoke_at = plan[n].invoke;
    t.complete_at = plan[n].complete;
    t.process = plan[n].process;
    const uint64_t dice = rng() % 1000;
    t.outcome = dice < 10 ? TxnOutcome::kFail : dice < 15 ? TxnOutcome::kInfo : TxnOutcome::kOk;
    const bool applies = t.outcome == TxnOutcome::kOk || (t.outcome == TxnOutcome::kInfo && rng() % 2);
    if (t.outcome == TxnOutcome::kInfo) t.complete_at = elle::kNever;
    t.mop_begin = static_cast<uint32_t>(h.mops.size());
    t.mop_count = static_cast<uint16_t>(1 + rng() % 4);
    std::map<int64_t, std::vector<int64_t>> mine;  // this transaction's view, applied at the end
    for (int i = 0; i < t.mop_count; ++i) {
      Mop m;
      const size_t slot = rng() % active.size();
      m.key = active[slot];
      if (!mine.count(m.key)) mine[m.key] = store[m.key];
      if (replica) {
        if (t.outcome == TxnOutcome::kOk) {
          const auto& at = added_at[m.key];
          const auto seen = std::upper_bound(at.begin(), at.end(), seq - lag) - at.begin();
          m.read_known = true;
          m.read_begin = static_cast<uint32_t>(h.read_elements.size());
          m.read_len = static_cast<uint32_t>(seen);
          h.read_elements.insert(h.read_elements.end(), store[m.key].begin(), store[m.key].begin() + seen);
        }
      } else if (rng() % 2) {
        m.append = true;
        m.element = next_element++;
        mine[m.key].push_back(m.element);
        if (++appends[m.key] >= 32) active[slot] = next_key++;
      } else if (t.outcome == TxnOutcome::kOk) {
        m.read_known = true;
        m.read_begin = static_cast<uint32_t>(h.read_elements.size());
        m.read_len = static_cast<uint32_t>(mine[m.key].size());
        h.read_elements.insert(h.read_elements.end(), mine[m.key].begin(), mine[m.key].end());
      }
      h.mops.push_back(m);
    }
    if (applies && !replica)
      for (auto& [key, list] : mine) {
        added_at[key].resize(list.size(), seq);
        store[key] = list;
      }
  }
  for (uint32_t i = 0; i < h.txns.size(); ++i) h.txns[i].invoke_index = i;
  return h;
}

}  // namespace pgha::testing
