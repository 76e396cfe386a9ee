// ExplainStep (cycle_search.h): why one transaction precedes another, from
// the elements that made the edge.
#include <fmt/format.h>

#include "elle/cycle_search.h"

namespace pgha::elle {
namespace {

int32_t PosOf(const ElementIndex& index, const Mop& m) {
  const ElementRef* e = index.Find(m.key, m.element);
  return e ? e->pos : -1;
}

std::string WriteWrite(const ListAppendHistory& h, const ElementIndex& index, uint32_t a, uint32_t b) {
  const Txn &ta = h.txns[a], &tb = h.txns[b];
  for (uint16_t i = 0; i < ta.mop_count; ++i) {
    const Mop& x = h.MopsOf(ta)[i];
    if (!x.append || PosOf(index, x) < 0) continue;
    for (uint16_t j = 0; j < tb.mop_count; ++j) {
      const Mop& y = h.MopsOf(tb)[j];
      if (!y.append || y.key != x.key) continue;
      if (PosOf(index, y) == PosOf(index, x) + 1)
        return fmt::format("{} < {} (ww): on key {}, {} appended {} right after {}'s {}", TxnName(h, a), TxnName(h, b),
                           h.KeyName(x.key), TxnName(h, b), y.element, TxnName(h, a), x.element);
      if (PosOf(index, y) < 0)
        return fmt::format(
            "{} < {} (ww): on key {}, {} appended {}, the last element any read shows; {}'s {} was acknowledged and "
            "no read shows it, so it came after",
            TxnName(h, a), TxnName(h, b), h.KeyName(x.key), TxnName(h, a), x.element, TxnName(h, b), y.element);
    }
  }
  return fmt::format("{} < {} (ww)", TxnName(h, a), TxnName(h, b));
}

std::string WriteRead(const ListAppendHistory& h, const ElementIndex& index, uint32_t a, uint32_t b) {
  const Txn& tb = h.txns[b];
  for (uint16_t j = 0; j < tb.mop_count; ++j) {
    const Mop& r = h.MopsOf(tb)[j];
    if (r.append || !r.read_known || r.read_len == 0) continue;
    const int64_t last = h.ReadOf(r)[r.read_len - 1];
    if (const ElementRef* e = index.Find(r.key, last); e && e->txn == a)
      return fmt::format("{} < {} (wr): {} read key {} as {}, whose last element {} {} appended", TxnName(h, a),
                         TxnName(h, b), TxnName(h, b), h.KeyName(r.key), DescribeList(h.ReadOf(r), r.read_len), last,
                         TxnName(h, a));
  }
  return fmt::format("{} < {} (wr)", TxnName(h, a), TxnName(h, b));
}

std::string ReadWrite(const ListAppendHistory& h, const ElementIndex& index, uint32_t a, uint32_t b) {
  const Txn &ta = h.txns[a], &tb = h.txns[b];
  for (uint16_t i = 0; i < ta.mop_count; ++i) {
    const Mop& r = h.MopsOf(ta)[i];
    if (r.append || !r.read_known) continue;
    for (uint16_t j = 0; j < tb.mop_count; ++j) {
      const Mop& y = h.MopsOf(tb)[j];
      if (!y.append || y.key != r.key) continue;
      const int32_t pos = PosOf(index, y);
      const std::string read = DescribeList(h.ReadOf(r), r.read_len);
      if (pos == static_cast<int32_t>(r.read_len))
        return fmt::format("{} < {} (rw): {} read key {} as {}, without {}, which {} appended next", TxnName(h, a),
                           TxnName(h, b), TxnName(h, a), h.KeyName(r.key), read, y.element, TxnName(h, b));
      if (pos < 0)
        return fmt::format(
            "{} < {} (rw): {} read key {} as {}, the longest version read, without {}, which {} appended and "
            "was acknowledged, so the append came after that version",
            TxnName(h, a), TxnName(h, b), TxnName(h, a), h.KeyName(r.key), read, y.element, TxnName(h, b));
    }
  }
  return fmt::format("{} < {} (rw)", TxnName(h, a), TxnName(h, b));
}

}  // namespace

std::string ExplainStep(const ListAppendHistory& h, const ElementIndex& index, uint32_t from, uint32_t to,
                        uint8_t type) {
  switch (type) {
    case kWW: return WriteWrite(h, index, from, to);
    case kWR: return WriteRead(h, index, from, to);
    case kRW: return ReadWrite(h, index, from, to);
    case kProcess:
      return fmt::format("{} < {} (process): both ran in process {}, {} first", TxnName(h, from), TxnName(h, to),
                         h.txns[from].process, TxnName(h, from));
    default:
      return fmt::format("{} < {} (realtime): {} completed before {} was invoked", TxnName(h, from), TxnName(h, to),
                         TxnName(h, from), TxnName(h, to));
  }
}

}  // namespace pgha::elle
