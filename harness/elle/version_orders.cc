#include "elle/version_orders.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

namespace pgha::elle {
namespace {

bool Before(const ElementRef& a, const ElementRef& b) { return a.key != b.key ? a.key < b.key : a.element < b.element; }

bool Acknowledged(const ListAppendHistory& h, uint32_t txn) {
  return txn != kNoTxn && h.txns[txn].outcome == TxnOutcome::kOk;
}

// Whether `prefix` (len n) is the first n elements of `full`.
bool IsPrefix(const int64_t* prefix, uint32_t n, const int64_t* full, uint32_t full_len) {
  return n <= full_len && std::equal(prefix, prefix + n, full);
}

std::string ReadText(const ListAppendHistory& h, const ReadRef& r) {
  const Mop& m = h.MopsOf(h.txns[r.txn])[r.mop];
  return DescribeList(h.ReadOf(m), m.read_len);
}

}  // namespace

std::string TxnName(const ListAppendHistory& h, uint32_t txn) {
  const Txn& t = h.txns[txn];
  return fmt::format("T{}", t.complete_index >= 0 ? t.complete_index : t.invoke_index >= 0 ? t.invoke_index : txn);
}

ElementIndex::ElementIndex(const ListAppendHistory& h) {
  for (uint32_t t = 0; t < h.txns.size(); ++t)
    for (uint16_t i = 0; i < h.txns[t].mop_count; ++i)
      if (const Mop& m = h.MopsOf(h.txns[t])[i]; m.append) refs_.push_back({m.key, m.element, t, i, -1});
  std::sort(refs_.begin(), refs_.end(), Before);
  for (size_t i = 1; i < refs_.size() && duplicate_.empty(); ++i)
    if (!Before(refs_[i - 1], refs_[i]))
      duplicate_ = fmt::format("{} and {} both append {} to key {}", TxnName(h, refs_[i - 1].txn),
                               TxnName(h, refs_[i].txn), refs_[i].element, h.KeyName(refs_[i].key));
}

const ElementRef* ElementIndex::Find(int64_t key, int64_t element) const {
  ElementRef probe{key, element};
  auto it = std::lower_bound(refs_.begin(), refs_.end(), probe, Before);
  return it != refs_.end() && it->key == key && it->element == element ? &*it : nullptr;
}

ElementRef* ElementIndex::FindMutable(int64_t key, int64_t element) {
  return const_cast<ElementRef*>(Find(key, element));
}

const KeyOrder* VersionOrders::Find(int64_t key) const {
  auto it = std::lower_bound(keys.begin(), keys.end(), key, [](const KeyOrder& o, int64_t k) { return o.key < k; });
  return it != keys.end() && it->key == key ? &*it : nullptr;
}

namespace {

// The key's order from its reads [begin, end): the longest read, every
// other checked to be a prefix of it.
KeyOrder OrderOfKey(const ListAppendHistory& h, ReadRef* begin, ReadRef* end, ElementIndex& index,
                    const Report& report) {
  KeyOrder o;
  o.key = begin->key;
  const Mop* longest = nullptr;
  for (const ReadRef* r = begin; r != end; ++r) {
    const Mop& m = h.MopsOf(h.txns[r->txn])[r->mop];
    if (longest == nullptr || m.read_len > longest->read_len) {
      longest = &m;
      o.longest_txn = r->txn;
      o.longest_mop = r->mop;
    }
  }
  o.len = longest->read_len;
  const int64_t* full = h.ReadOf(*longest);
  for (ReadRef* r = begin; r != end; ++r) {
    const Mop& m = h.MopsOf(h.txns[r->txn])[r->mop];
    if (IsPrefix(h.ReadOf(m), m.read_len, full, o.len)) continue;
    r->prefix = false;
    for (uint32_t i = 0; i < m.read_len; ++i)
      if (ElementRef* e = index.FindMutable(o.key, h.ReadOf(m)[i])) e->observed = true;
    if (!o.compatible) continue;
    o.compatible = false;
    report("incompatible-order",
           fmt::format("key {} has no single order of versions: {} read {} and {} read {}; neither is a prefix of "
                       "the other (two histories forked)",
                       h.KeyName(o.key), TxnName(h, r->txn), ReadText(h, *r), TxnName(h, o.longest_txn),
                       DescribeList(full, o.len)),
           {r->txn, o.longest_txn});
  }
  o.writers.resize(o.len, kNoTxn);
  for (uint32_t i = 0; i < o.len; ++i)
    if (ElementRef* e = index.FindMutable(o.key, full[i])) {
      if (e->pos < 0) e->pos = static_cast<int32_t>(i);
      e->observed = true;
      o.writers[i] = e->txn;
    }
  return o;
}

}  // namespace

VersionOrders BuildVersionOrders(const ListAppendHistory& h, ElementIndex& index, const Report& report) {
  VersionOrders v;
  for (uint32_t t = 0; t < h.txns.size(); ++t) {
    if (h.txns[t].outcome != TxnOutcome::kOk) continue;
    for (uint16_t i = 0; i < h.txns[t].mop_count; ++i)
      if (const Mop& m = h.MopsOf(h.txns[t])[i]; !m.append && m.read_known) v.reads.push_back({m.key, t, i});
  }
  std::stable_sort(v.reads.begin(), v.reads.end(), [](const ReadRef& a, const ReadRef& b) { return a.key < b.key; });
  for (size_t i = 0; i < v.reads.size();) {
    size_t j = i;
    while (j < v.reads.size() && v.reads[j].key == v.reads[i].key) ++j;
    v.keys.push_back(OrderOfKey(h, &v.reads[i], v.reads.data() + j, index, report));
    i = j;
  }
  // Acknowledged appends that no read shows follow the longest read; on a
  // forked key they may as well be on the other branch: no inference.
  for (const ElementRef& e : index.refs())
    if (!e.observed && Acknowledged(h, e.txn))
      if (auto* o = const_cast<KeyOrder*>(v.Find(e.key)); o != nullptr && o->compatible)
        o->unobserved_writers.push_back(e.txn);
  return v;
}

}  // namespace pgha::elle
