// Recorder: the run's History being written, from several threads at once
// (writers, reader, probes, observer, runner). Times come from one Clock,
// in nanoseconds since the recorder was made. Thread-safe (one mutex;
// appends only).
#pragma once

#include <mutex>

#include "core/clock.h"
#include "history/history.h"

namespace pgha {

class Recorder {
 public:
  explicit Recorder(const Clock& clock) : clock_(clock), start_(clock.Now()) {}
  int64_t NowNs() const { return std::chrono::duration_cast<std::chrono::nanoseconds>(clock_.Now() - start_).count(); }
  void AddOp(const Op& op);
  void AddSample(const ObserverSample& s);
  void AddJournal(const JournalEntry& j);
  std::optional<ObserverSample> LatestSample() const;
  History Snapshot() const;

  struct Counts {
    int64_t ok = 0, fail = 0, info = 0;
  };
  Counts WriteCounts() const;

 private:
  const Clock& clock_;
  TimePoint start_;
  mutable std::mutex mu_;
  History history_;
  Counts counts_;
};

}  // namespace pgha
