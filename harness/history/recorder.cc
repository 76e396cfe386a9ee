#include "history/recorder.h"

#include <algorithm>

namespace pgha {

void Recorder::AddOp(const Op& op) {
  std::lock_guard<std::mutex> lock(mu_);
  history_.ops.push_back(op);
  if (op.type == OpType::kWrite) {
    if (op.outcome == Outcome::kOk)
      ++counts_.ok;
    else if (op.outcome == Outcome::kFail)
      ++counts_.fail;
    else
      ++counts_.info;
  }
}

void Recorder::AddSample(const ObserverSample& s) {
  std::lock_guard<std::mutex> lock(mu_);
  history_.observer.push_back(s);
}

void Recorder::AddJournal(const JournalEntry& j) {
  std::lock_guard<std::mutex> lock(mu_);
  history_.journal.push_back(j);
}

void Recorder::AddEvent(const ClusterEvent& e) {
  std::lock_guard<std::mutex> lock(mu_);
  history_.events.push_back(e);
}

void Recorder::AddTxn(elle::Txn txn, const std::vector<elle::Mop>& mops, const std::vector<std::vector<int64_t>>& reads,
                      const std::string& server, const std::string& error, bool final_read) {
  std::lock_guard<std::mutex> lock(mu_);
  elle::ListAppendHistory& h = history_.txns;
  txn.mop_begin = static_cast<uint32_t>(h.mops.size());
  txn.mop_count = static_cast<uint16_t>(mops.size());
  for (size_t i = 0; i < mops.size(); ++i) {
    elle::Mop m = mops[i];
    if (!m.append && m.read_known && i < reads.size()) {
      m.read_begin = static_cast<uint32_t>(h.read_elements.size());
      m.read_len = static_cast<uint32_t>(reads[i].size());
      h.read_elements.insert(h.read_elements.end(), reads[i].begin(), reads[i].end());
    }
    h.mops.push_back(m);
  }
  auto index_of = [](std::vector<std::string>& table, const std::string& text) {
    auto it = std::find(table.begin(), table.end(), text);
    if (it == table.end()) table.push_back(text);
    return static_cast<int32_t>(std::find(table.begin(), table.end(), text) - table.begin());
  };
  if (!server.empty()) txn.server = index_of(h.servers, server);
  if (!error.empty()) txn.error = index_of(h.errors, error);
  if (final_read) h.final_read_txn = static_cast<int64_t>(h.txns.size());
  h.txns.push_back(txn);
}

std::optional<ObserverSample> Recorder::LatestSample() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (history_.observer.empty()) return std::nullopt;
  return history_.observer.back();
}

History Recorder::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  History h = history_;
  elle::SortByInvocation(h.txns);
  elle::AssignEventIndexes(h.txns);
  return h;
}

Recorder::Counts Recorder::WriteCounts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return counts_;
}

}  // namespace pgha
