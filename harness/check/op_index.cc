#include "check/op_index.h"

#include <iterator>

namespace pgha {

OpsByKind SortOps(const History& h) {
  OpsByKind ops;
  for (const auto& op : h.ops)
    (op.type == OpType::kWrite ? ops.writes : op.type == OpType::kRead ? ops.reads : ops.probes).push_back(&op);
  SortNearlySorted(ops.writes, [](const Op* a, const Op* b) { return a->complete_ns < b->complete_ns; });
  return ops;
}

KeyIndex::KeyIndex(const std::set<int64_t>& keys) {
  // Dense: non-negative keys, few writers, and no more bits than 64 per key.
  // The keys are sorted, so a writer's last key holds its highest number.
  constexpr int kMaxWriters = 4096;
  std::vector<int64_t> max_seq;
  const bool dense = !keys.empty() && *keys.begin() >= 0 && KeyWriter(*keys.rbegin()) < kMaxWriters;
  if (dense)
    for (int w = 0; w <= KeyWriter(*keys.rbegin()); ++w) {
      auto next = keys.lower_bound(LedgerKey(w + 1, 0));
      max_seq.push_back(next == keys.begin() || KeyWriter(*std::prev(next)) != w ? -1 : KeySeq(*std::prev(next)));
    }
  int64_t bits = 0;
  for (int64_t m : max_seq) bits += m + 1;
  if (dense && bits <= 64 * static_cast<int64_t>(keys.size()) + (1 << 20)) {
    bits_.resize(max_seq.size());
    for (size_t w = 0; w < max_seq.size(); ++w) bits_[w].assign(static_cast<size_t>(max_seq[w] + 64) / 64, 0);
    for (int64_t k : keys) {
      const auto s = static_cast<uint64_t>(KeySeq(k));
      bits_[static_cast<size_t>(KeyWriter(k))][s / 64] |= uint64_t{1} << (s % 64);
    }
    return;
  }
  sorted_.assign(keys.begin(), keys.end());
}

bool KeyIndex::Contains(int64_t key) const {
  if (bits_.empty()) return std::binary_search(sorted_.begin(), sorted_.end(), key);
  if (key < 0 || static_cast<size_t>(KeyWriter(key)) >= bits_.size()) return false;
  const auto& b = bits_[static_cast<size_t>(KeyWriter(key))];
  const auto s = static_cast<uint64_t>(KeySeq(key));
  return s / 64 < b.size() && (b[s / 64] >> (s % 64) & 1);
}

// The node of each server address: from the direct probes (each names the
// node it probed), else from Patroni's member list.
std::map<std::string, std::string> NodeOfAddress(const History& h, const OpsByKind& ops) {
  std::map<std::string, std::string> out;
  for (const Op* p : ops.probes)
    if (!p->server.empty()) out.emplace(p->server, p->node);
  for (const auto& s : h.observer)
    for (const auto& member : s.members)
      if (!member.host.empty()) out.emplace(member.host, member.name);
  return out;
}

}  // namespace pgha
