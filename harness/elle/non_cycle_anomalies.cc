// FindNonCycleAnomalies (version_orders.h): the anomalies a single
// transaction, or a pair reading one version, shows without a graph.
#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "elle/version_orders.h"

namespace pgha::elle {
namespace {

const Mop& MopOf(const ListAppendHistory& h, uint32_t txn, uint16_t mop) { return h.MopsOf(h.txns[txn])[mop]; }

// Whether `txn` appends to `key` again after its mop `after`.
bool AppendsAgainAfter(const ListAppendHistory& h, uint32_t txn, uint16_t after, int64_t key) {
  const Txn& t = h.txns[txn];
  for (uint16_t i = after + 1; i < t.mop_count; ++i)
    if (const Mop& m = h.MopsOf(t)[i]; m.append && m.key == key) return true;
  return false;
}

void AbortedReads(const ListAppendHistory& h, const ElementIndex& index, const ReadRef& r, const Report& report) {
  const Mop& m = MopOf(h, r.txn, r.mop);
  for (uint32_t i = 0; i < m.read_len; ++i) {
    const ElementRef* e = index.Find(m.key, h.ReadOf(m)[i]);
    if (e == nullptr || h.txns[e->txn].outcome != TxnOutcome::kFail) continue;
    report(
        "G1a",
        fmt::format("{} read key {} as {}, which holds {}, appended by {}, which failed (aborted)", TxnName(h, r.txn),
                    h.KeyName(m.key), DescribeList(h.ReadOf(m), m.read_len), e->element, TxnName(h, e->txn)),
        {e->txn, r.txn});
  }
}

void Duplicates(const ListAppendHistory& h, const ReadRef& r, const Report& report) {
  const Mop& m = MopOf(h, r.txn, r.mop);
  std::vector<int64_t> sorted(h.ReadOf(m), h.ReadOf(m) + m.read_len);
  std::sort(sorted.begin(), sorted.end());
  auto dup = std::adjacent_find(sorted.begin(), sorted.end());
  if (dup == sorted.end()) return;
  report("duplicate-elements",
         fmt::format("{} read key {} as {}: {} appears more than once, though it was appended once", TxnName(h, r.txn),
                     h.KeyName(m.key), DescribeList(h.ReadOf(m), m.read_len), *dup),
         {r.txn});
}

void IntermediateRead(const ListAppendHistory& h, const ElementIndex& index, const ReadRef& r, const Report& report) {
  const Mop& m = MopOf(h, r.txn, r.mop);
  if (m.read_len == 0) return;
  const ElementRef* e = index.Find(m.key, h.ReadOf(m)[m.read_len - 1]);
  if (e == nullptr || e->txn == r.txn || !AppendsAgainAfter(h, e->txn, e->mop, m.key)) return;
  report("G1b",
         fmt::format("{} read key {} as {}, ending in {}; {} appended {} and then more to key {}, so {} saw an "
                     "intermediate state of it",
                     TxnName(h, r.txn), h.KeyName(m.key), DescribeList(h.ReadOf(m), m.read_len), e->element,
                     TxnName(h, e->txn), e->element, h.KeyName(m.key), TxnName(h, r.txn)),
         {e->txn, r.txn});
}

// Per key in the order: a failed transaction's element followed by an
// element of one that committed (or may have).
void DirtyUpdate(const ListAppendHistory& h, const KeyOrder& o, const Report& report) {
  uint32_t failed = kNoTxn;
  for (uint32_t i = 0; i < o.len; ++i) {
    const uint32_t w = o.writers[i];
    if (w == kNoTxn) continue;
    if (h.txns[w].outcome == TxnOutcome::kFail) {
      if (failed == kNoTxn) failed = w;
    } else if (failed != kNoTxn) {
      report("dirty-update",
             fmt::format("key {}: {} appended after the element of {}, which failed; a committed write built "
                         "on an aborted one ({} read it so: {})",
                         h.KeyName(o.key), TxnName(h, w), TxnName(h, failed), TxnName(h, o.longest_txn),
                         DescribeList(h.ReadOf(MopOf(h, o.longest_txn, o.longest_mop)), o.len)),
             {failed, w});
      return;
    }
  }
}

// A read that shows an element its own transaction appends only later.
void FutureRead(const ListAppendHistory& h, uint32_t txn, uint16_t read, const Report& report) {
  const Txn& t = h.txns[txn];
  const Mop& r = h.MopsOf(t)[read];
  for (uint16_t j = read + 1; j < t.mop_count; ++j) {
    const Mop& a = h.MopsOf(t)[j];
    if (!a.append || a.key != r.key ||
        std::find(h.ReadOf(r), h.ReadOf(r) + r.read_len, a.element) == h.ReadOf(r) + r.read_len)
      continue;
    report("future-read",
           fmt::format("{} read key {} as {}, which holds {}: an element the transaction itself appends only "
                       "after that read",
                       TxnName(h, txn), h.KeyName(r.key), DescribeList(h.ReadOf(r), r.read_len), a.element),
           {txn});
    return;
  }
}

// A transaction's reads against its own earlier reads and appends.
void Internal(const ListAppendHistory& h, uint32_t txn, const Report& report) {
  struct State {
    int64_t key;
    bool known;  // `list` is the whole value, else only its end
    std::vector<int64_t> list;
  };
  std::vector<State> states;
  const Txn& t = h.txns[txn];
  for (uint16_t i = 0; i < t.mop_count; ++i) {
    const Mop& m = h.MopsOf(t)[i];
    auto it = std::find_if(states.begin(), states.end(), [&](const State& s) { return s.key == m.key; });
    if (m.append) {
      if (it == states.end()) it = states.insert(states.end(), State{m.key, false, {}});
      it->list.push_back(m.element);
      continue;
    }
    if (!m.read_known) continue;
    const int64_t* got = h.ReadOf(m);
    FutureRead(h, txn, i, report);
    if (it != states.end()) {
      const auto& want = it->list;
      const bool fits = it->known ? m.read_len == want.size() && std::equal(want.begin(), want.end(), got)
                                  : m.read_len >= want.size() &&
                                        std::equal(want.begin(), want.end(), got + (m.read_len - want.size()));
      if (!fits)
        report("internal",
               fmt::format("{} read key {} as {}, but its own earlier operations say it {} {}", TxnName(h, txn),
                           h.KeyName(m.key), DescribeList(got, m.read_len), it->known ? "was" : "ends in",
                           DescribeList(want.data(), static_cast<uint32_t>(want.size()))),
               {txn});
    } else {
      it = states.insert(states.end(), State{m.key, true, {}});
    }
    it->known = true;
    it->list.assign(got, got + m.read_len);
  }
}

struct ReadThenAppend {
  int64_t key;
  uint32_t len;
  int64_t last;  // the version's last element (-1 for the empty list)
  uint32_t txn;
};

// Two committed transactions read one version of a key and both appended to it.
void LostUpdates(const ListAppendHistory& h, const Report& report) {
  std::vector<ReadThenAppend> rmw;
  for (uint32_t t = 0; t < h.txns.size(); ++t) {
    if (h.txns[t].outcome != TxnOutcome::kOk) continue;
    const Mop* mops = h.MopsOf(h.txns[t]);
    for (uint16_t i = 0; i < h.txns[t].mop_count; ++i) {
      const Mop& r = mops[i];
      if (r.append || !r.read_known) continue;
      bool before_own = true, appends_after = false;
      for (uint16_t j = 0; j < h.txns[t].mop_count; ++j)
        if (mops[j].append && mops[j].key == r.key) {
          if (j < i) before_own = false;
          if (j > i) appends_after = true;
        }
      if (before_own && appends_after)
        rmw.push_back({r.key, r.read_len, r.read_len ? h.ReadOf(r)[r.read_len - 1] : -1, t});
    }
  }
  std::sort(rmw.begin(), rmw.end(), [](const ReadThenAppend& a, const ReadThenAppend& b) {
    return std::tie(a.key, a.len, a.last, a.txn) < std::tie(b.key, b.len, b.last, b.txn);
  });
  for (size_t i = 0; i < rmw.size();) {
    size_t j = i + 1;
    while (j < rmw.size() && rmw[j].key == rmw[i].key && rmw[j].len == rmw[i].len && rmw[j].last == rmw[i].last) ++j;
    if (j - i >= 2 && rmw[i].txn != rmw[i + 1].txn) {
      std::vector<uint32_t> txns;
      std::string names;
      for (size_t k = i; k < j; ++k) {
        txns.push_back(rmw[k].txn);
        names += (k > i ? (k + 1 == j ? " and " : ", ") : "") + TxnName(h, rmw[k].txn);
      }
      report("lost-update",
             fmt::format("{} each read the same version of key {} (length {}) and each appended to it: all "
                         "committed, so one's read-modify-write overwrote the others' basis",
                         names, h.KeyName(rmw[i].key), rmw[i].len),
             std::move(txns));
    }
    i = j;
  }
}

// Acknowledged appends absent from the final read of their key.
void LostAppends(const ListAppendHistory& h, const ElementIndex& index, const Report& report) {
  if (h.final_read_txn < 0) return;
  const uint32_t fin = static_cast<uint32_t>(h.final_read_txn);
  const Txn& f = h.txns[fin];
  if (f.outcome != TxnOutcome::kOk) return;
  for (uint16_t i = 0; i < f.mop_count; ++i) {
    const Mop& r = h.MopsOf(f)[i];
    if (r.append || !r.read_known) continue;
    std::unordered_set<int64_t> seen(h.ReadOf(r), h.ReadOf(r) + r.read_len);
    ElementRef probe{r.key, std::numeric_limits<int64_t>::min()};
    auto it = std::lower_bound(index.refs().begin(), index.refs().end(), probe,
                               [](const ElementRef& a, const ElementRef& b) { return a.key < b.key; });
    for (; it != index.refs().end() && it->key == r.key; ++it)
      if (h.txns[it->txn].outcome == TxnOutcome::kOk && it->txn != fin && !seen.count(it->element))
        report("lost-append",
               fmt::format("{} appended {} to key {} and was acknowledged, but the final read of key {} ({}) "
                           "does not hold it",
                           TxnName(h, it->txn), it->element, h.KeyName(r.key), h.KeyName(r.key),
                           DescribeList(h.ReadOf(r), r.read_len)),
               {it->txn, fin});
  }
}

}  // namespace

void FindNonCycleAnomalies(const ListAppendHistory& h, const ElementIndex& index, const VersionOrders& orders,
                           const Report& report) {
  for (const KeyOrder& o : orders.keys) {
    DirtyUpdate(h, o, report);
    if (!o.compatible) continue;  // every read is checked below
    const ReadRef longest{o.key, o.longest_txn, o.longest_mop};
    AbortedReads(h, index, longest, report);
    Duplicates(h, longest, report);
  }
  for (const ReadRef& r : orders.reads) {
    const KeyOrder* o = orders.Find(r.key);
    if (o != nullptr && !o->compatible) {
      AbortedReads(h, index, r, report);
      Duplicates(h, r, report);
    }
    IntermediateRead(h, index, r, report);
  }
  for (uint32_t t = 0; t < h.txns.size(); ++t)
    if (h.txns[t].outcome == TxnOutcome::kOk) Internal(h, t, report);
  LostUpdates(h, report);
  LostAppends(h, index, report);
}

}  // namespace pgha::elle
