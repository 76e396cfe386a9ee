// Read staleness and stale reads from a deposed primary (definitions in
// measurements.h).
#include <algorithm>
#include <map>

#include "check/measurements.h"
#include "check/op_index.h"

namespace pgha {
namespace {

// One writer's acknowledged writes that are present at the end, in
// sequence order; a writer is serial, so completion times rise with it.
struct WriterAcks {
  std::vector<uint32_t> seq;
  std::vector<int64_t> complete_ns;
};

// The primary of record at a time: the server of the latest acknowledged
// write completed before it (lost or not), and when each server first
// acknowledged one.
class PrimaryOfRecord {
 public:
  explicit PrimaryOfRecord(const std::vector<const Op*>& writes_by_completion) {
    for (const Op* w : writes_by_completion) {
      if (w->outcome != Outcome::kOk || w->server.empty()) continue;
      if (!at_.empty() && servers_.back() == w->server) continue;
      at_.push_back(w->complete_ns);
      servers_.push_back(w->server);
      first_.emplace(w->server, w->complete_ns);
    }
  }
  // "" before any acknowledged write.
  const std::string& At(int64_t t) const {
    static const std::string kNone;
    auto it = std::lower_bound(at_.begin(), at_.end(), t);
    return it == at_.begin() ? kNone : servers_[static_cast<size_t>(it - at_.begin()) - 1];
  }
  bool WasPrimaryBefore(const std::string& server, int64_t t) const {
    auto it = first_.find(server);
    return it != first_.end() && it->second < t;
  }

 private:
  std::vector<int64_t> at_;  // where the primary of record changed
  std::vector<std::string> servers_;
  std::map<std::string, int64_t> first_;
};

template <typename T>
T SortedPercentile(const std::vector<T>& sorted, double p) {
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5))];
}

}  // namespace

void AnalyzeReads(const OpsByKind& ops, Measurements* m) {
  size_t writers = 0;
  for (const Op* r : ops.reads)
    if (r->outcome == Outcome::kOk) writers = std::max(writers, r->seen.size());
  if (writers == 0) return;
  // The acknowledged writes present at the end, per writer and in completion order.
  const std::vector<int64_t>& lost = m->lost_keys;  // sorted by AnalyzeWrites
  std::vector<WriterAcks> by_writer(writers);
  for (auto& acks : by_writer) {
    acks.seq.reserve(ops.writes.size() / writers + 16);
    acks.complete_ns.reserve(ops.writes.size() / writers + 16);
  }
  const PrimaryOfRecord primary(ops.writes);
  for (const Op* w : ops.writes) {
    if (w->outcome != Outcome::kOk || w->key < 0 || static_cast<size_t>(KeyWriter(w->key)) >= writers) continue;
    if (!lost.empty() && std::binary_search(lost.begin(), lost.end(), w->key)) continue;
    auto& acks = by_writer[static_cast<size_t>(KeyWriter(w->key))];
    acks.seq.push_back(static_cast<uint32_t>(KeySeq(w->key)));
    acks.complete_ns.push_back(w->complete_ns);
  }
  std::vector<double> behind_ms;
  std::vector<int64_t> behind_writes;
  for (const Op* read : ops.reads) {
    const Op& r = *read;
    if (r.outcome != Outcome::kOk || r.seen.size() != writers) continue;
    int64_t missed = 0;
    std::optional<int64_t> oldest;
    for (size_t w = 0; w < writers; ++w) {
      const auto& acks = by_writer[w];
      const auto from = std::upper_bound(acks.seq.begin(), acks.seq.end(), r.seen[w]) - acks.seq.begin();
      const auto to =
          std::lower_bound(acks.complete_ns.begin(), acks.complete_ns.end(), r.invoke_ns) - acks.complete_ns.begin();
      if (to <= from) continue;
      missed += to - from;
      const int64_t first = acks.complete_ns[static_cast<size_t>(from)];
      oldest = std::min(oldest.value_or(first), first);
    }
    const double ms = oldest ? static_cast<double>(r.invoke_ns - *oldest) / 1e6 : 0;
    behind_ms.push_back(ms);
    behind_writes.push_back(missed);
    const std::string& current = primary.At(r.invoke_ns);
    if (missed > 0 && !r.server.empty() && !current.empty() && r.server != current &&
        primary.WasPrimaryBefore(r.server, r.invoke_ns)) {
      ++m->reads.stale_primary_reads;
      if (m->reads.stale_primary_examples.size() < 20)
        m->reads.stale_primary_examples.push_back({static_cast<double>(r.invoke_ns) / 1e9, r.server, ms, missed});
    }
  }
  if (behind_ms.empty()) return;
  std::sort(behind_ms.begin(), behind_ms.end());
  std::sort(behind_writes.begin(), behind_writes.end());
  auto& s = m->reads;
  s.judged = static_cast<int64_t>(behind_ms.size());
  s.p50_ms = SortedPercentile(behind_ms, 0.50);
  s.p99_ms = SortedPercentile(behind_ms, 0.99);
  s.max_ms = behind_ms.back();
  s.p50_writes = SortedPercentile(behind_writes, 0.50);
  s.p99_writes = SortedPercentile(behind_writes, 0.99);
  s.max_writes = behind_writes.back();
}

}  // namespace pgha
