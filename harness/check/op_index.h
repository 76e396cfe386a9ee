// Helpers the analysis parts share to stay linear on long histories
// (internal to check/). Pure.
//   SortNearlySorted  an insertion sort that gives up for std::sort after
//                     8 moves per element: a recorded history is appended
//                     as operations end, so it is in completion order
//                     but for the few that raced to the recorder's lock
//   OpsByKind         the history's ops by kind, in one pass: writes in
//                     completion order, reads and probes as recorded
//   KeyIndex          membership in a set of keys in constant time: a bit
//                     per sequence number of each writer (history.h:
//                     LedgerKey) when the keys are that dense, else a
//                     sorted vector searched
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "history/history.h"

namespace pgha {

template <typename T, typename Less>
void SortNearlySorted(std::vector<T>& v, Less less) {
  size_t moves = 0;
  const size_t budget = 8 * v.size() + 64;
  for (size_t i = 1; i < v.size(); ++i) {
    T x = std::move(v[i]);
    size_t j = i;
    for (; j > 0 && less(x, v[j - 1]); --j) {
      v[j] = std::move(v[j - 1]);
      if (++moves > budget) {
        v[j - 1] = std::move(x);
        std::sort(v.begin(), v.end(), less);
        return;
      }
    }
    v[j] = std::move(x);
  }
}

struct OpsByKind {
  std::vector<const Op*> writes;  // in completion order
  std::vector<const Op*> reads, probes;
};
OpsByKind SortOps(const History& h);
// The node of each server address: from the direct probes (each names the
// node it probed), else from Patroni's member list.
std::map<std::string, std::string> NodeOfAddress(const History& h, const OpsByKind& ops);

class KeyIndex {
 public:
  explicit KeyIndex(const std::set<int64_t>& keys);
  bool Contains(int64_t key) const;

 private:
  std::vector<std::vector<uint64_t>> bits_;  // per writer; empty when the keys are not dense
  std::vector<int64_t> sorted_;              // otherwise
};

// The parts of Analyze, each filling its own fields (analyze_*.cc).
struct Measurements;
void AnalyzeFailover(const History& h, const OpsByKind& ops, Measurements* m);
void AnalyzeWrites(const History& h, const OpsByKind& ops, Measurements* m);
void AnalyzeSplitBrain(const History& h, const OpsByKind& ops, Measurements* m);
void AnalyzeRecovery(const History& h, Measurements* m);
void AnalyzeLatency(const OpsByKind& ops, Measurements* m);
void AnalyzeOperations(const History& h, const OpsByKind& ops, Measurements* m);  // analyze_operations.cc
void AnalyzeReads(const OpsByKind& ops, Measurements* m);  // after AnalyzeWrites (it reads lost_keys)
// The phases of the outage caused by the fault at t0 (analyze_phases.cc),
// whose first acknowledged write came `first_write_s` after it.
void AnalyzePhases(const History& h, const OpsByKind& ops, int64_t t0, double first_write_s, Measurements* m);
// etcd's elections and slow-disk warnings (its log) from t0 to `end`, after t0.
void AnalyzeEtcdEvents(const History& h, int64_t t0, int64_t end, Measurements* m);
// The server of the last acknowledged write completed at or before t ("" when
// none); `acks` holds the acknowledged writes in completion order.
std::string LastServerBefore(const std::vector<const Op*>& acks, int64_t t);

}  // namespace pgha
