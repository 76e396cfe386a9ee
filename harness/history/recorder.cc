#include "history/recorder.h"

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

std::optional<ObserverSample> Recorder::LatestSample() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (history_.observer.empty()) return std::nullopt;
  return history_.observer.back();
}

History Recorder::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return history_;
}

Recorder::Counts Recorder::WriteCounts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return counts_;
}

}  // namespace pgha
