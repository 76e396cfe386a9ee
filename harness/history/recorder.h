// Recorder: the run's History being written, from several threads at once
// (writers, reader, probes, observer, runner). Times come from one Clock,
// in nanoseconds since the recorder was made; a server's wall-clock time is
// put on that scale with the wall-clock time read at the same moment.
// Thread-safe (one mutex;
// appends only).
#pragma once

#include <mutex>

#include "core/clock.h"
#include "history/history.h"

namespace pgha {

class Recorder {
 public:
  explicit Recorder(const Clock& clock) : clock_(clock), start_(clock.Now()), wall_start_(clock.WallNow()) {}
  int64_t NowNs() const { return std::chrono::duration_cast<std::chrono::nanoseconds>(clock_.Now() - start_).count(); }
  // A wall-clock time (nanoseconds since the Unix epoch, a server's
  // clock_timestamp() say) on the run's clock: the same scale as NowNs().
  int64_t WallToRunNs(int64_t epoch_ns) const { return epoch_ns - WallStartNs(); }
  void AddOp(const Op& op);
  void AddSample(const ObserverSample& s);
  void AddJournal(const JournalEntry& j);
  void AddEvent(const ClusterEvent& e);
  // One list-append transaction: its micro-operations (reads with their
  // lists), where it ran ("" unknown); `final_read` marks the read of every
  // list after the run.
  void AddTxn(elle::Txn txn, const std::vector<elle::Mop>& mops, const std::vector<std::vector<int64_t>>& reads,
              const std::string& server, const std::string& error = "", bool final_read = false);
  int64_t WallStartNs() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(wall_start_.time_since_epoch()).count();
  }
  std::optional<ObserverSample> LatestSample() const;
  // Everything so far; transactions in invocation order.
  History Snapshot() const;

  struct Counts {
    int64_t ok = 0, fail = 0, info = 0;
  };
  Counts WriteCounts() const;

 private:
  const Clock& clock_;
  TimePoint start_;
  std::chrono::system_clock::time_point wall_start_;
  mutable std::mutex mu_;
  History history_;
  Counts counts_;
};

}  // namespace pgha
