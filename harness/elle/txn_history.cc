#include "elle/txn_history.h"

#include <fmt/format.h>

#include <algorithm>

namespace pgha::elle {

std::string ListAppendHistory::KeyName(int64_t key) const {
  if (key < 0 && static_cast<size_t>(-key - 1) < key_names.size()) return key_names[-key - 1];
  return std::to_string(key);
}

void SortByInvocation(ListAppendHistory& h) {
  const int64_t final_at = h.final_read_txn >= 0 ? h.txns[h.final_read_txn].invoke_at : -1;
  std::stable_sort(h.txns.begin(), h.txns.end(), [](const Txn& a, const Txn& b) { return a.invoke_at < b.invoke_at; });
  if (h.final_read_txn < 0) return;
  for (size_t i = h.txns.size(); i-- > 0;)
    if (h.txns[i].process == kFinalReadProcess && h.txns[i].invoke_at == final_at) {
      h.final_read_txn = static_cast<int64_t>(i);
      return;
    }
}

std::vector<TxnEvent> EventOrder(const ListAppendHistory& h) {
  std::vector<TxnEvent> events;
  events.reserve(h.txns.size() * 2);
  for (uint32_t t = 0; t < h.txns.size(); ++t) {
    events.push_back({h.txns[t].invoke_at, t, false});
    events.push_back({h.txns[t].complete_at, t, true});
  }
  std::stable_sort(events.begin(), events.end(), [](const TxnEvent& a, const TxnEvent& b) {
    return a.at != b.at ? a.at < b.at : (!a.complete && b.complete);
  });
  return events;
}

void AssignEventIndexes(ListAppendHistory& h) {
  const std::vector<TxnEvent> events = EventOrder(h);
  for (size_t i = 0; i < events.size(); ++i)
    (events[i].complete ? h.txns[events[i].txn].complete_index : h.txns[events[i].txn].invoke_index) =
        static_cast<int64_t>(i);
}

std::string OutcomeWord(TxnOutcome o) {
  switch (o) {
    case TxnOutcome::kOk: return "ok";
    case TxnOutcome::kFail: return "fail";
    case TxnOutcome::kInfo: return "info";
  }
  return "?";
}

std::string DescribeList(const int64_t* elements, uint32_t len) {
  constexpr uint32_t kShown = 12;
  std::string out = "[";
  for (uint32_t i = 0; i < len; ++i) {
    if (len > kShown && i == kShown / 2) {
      out += "... ";
      i = len - kShown / 2;
    }
    out += std::to_string(elements[i]);
    if (i + 1 < len) out += ' ';
  }
  return out + "]";
}

std::string DescribeTxn(const ListAppendHistory& h, uint32_t txn) {
  const Txn& t = h.txns[txn];
  std::string out = "[";
  for (uint16_t i = 0; i < t.mop_count; ++i) {
    const Mop& m = h.MopsOf(t)[i];
    if (i > 0) out += ' ';
    if (m.append)
      out += fmt::format("[append {} {}]", h.KeyName(m.key), m.element);
    else if (m.read_known)
      out += fmt::format("[r {} {}]", h.KeyName(m.key), DescribeList(h.ReadOf(m), m.read_len));
    else
      out += fmt::format("[r {} nil]", h.KeyName(m.key));
  }
  return out + "]";
}

}  // namespace pgha::elle
