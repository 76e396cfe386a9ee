// ClockOffsets: the wall-clock offsets a run's clock faults gave each
// server process, from the journal's "clock" entries (a process on a host
// runs `detail` seconds off from that moment on), and a history with the
// servers' own stamps put back on the run's clock: each write's server
// time (PostgreSQL's clock_timestamp()) and each line a service logged
// with its own time, less the offset its process ran with then. A process
// reads its clock file about once a second, so within a second of a change
// a stamp may still carry the previous offset. Pure.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "history/history.h"

namespace pgha {

class ClockOffsets {
 public:
  explicit ClockOffsets(const std::vector<JournalEntry>& journal);
  bool empty() const { return changes_.empty(); }
  // How far (ns) `process` on `host` ran ahead of the real time at run time t_ns (behind: negative).
  int64_t OffsetNs(const std::string& host, const std::string& process, int64_t t_ns) const;
  // A stamp of that process's clock put back on the run's clock.
  int64_t Correct(const std::string& host, const std::string& process, int64_t stamped_ns) const;
  // "node1 postgres: -300s" for every process that ran off at some point.
  std::vector<std::string> Describe() const;

 private:
  // (host, process) -> (from t_ns, offset ns), in time order
  std::map<std::pair<std::string, std::string>, std::vector<std::pair<int64_t, int64_t>>> changes_;
};

// `h` with every server stamp corrected (above); `node_of_address` maps a write's server to its host.
History WithServerClocksCorrected(const History& h, const ClockOffsets& offsets,
                                  const std::map<std::string, std::string>& node_of_address);

}  // namespace pgha
