// The durable file system's control channel (pure): one line in, one line
// out, over a Unix socket beside the mount. A request is a verb and
// key=value words; a reply is "ok key=value ..." or "error <why>".
//   stats                  what the file system has seen (DiskStats) since the last mark
//   mark                   starts a new stats window
//   cut [tear=1]           a power cut: every cached byte dropped (torn: a prefix of the last write kept)
//   sync                   every cached byte written and synced
//   lie on=1|0             fsync answers success and persists nothing
//   latency ms=M [jitter_ms=J distribution=uniform|normal|pareto ops=read,write,fsync] | latency off
//   errors share=S [ops=read,write,fsync] | errors off
// DiskFaults is what the last three switched on; the file system reads it
// on every operation.
#pragma once

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"
#include "netem/delay_model.h"

namespace pgha {

struct ControlRequest {
  std::string verb;
  std::map<std::string, std::string> args;
  std::string Format() const;  // the line sent
};

Result<ControlRequest> ParseControlRequest(const std::string& line);

// A reply's words ("ok" replies only); an "error" reply is a Failed status.
Result<std::map<std::string, std::string>> ParseControlReply(const std::string& line);
std::string FormatReply(const std::map<std::string, std::string>& words);

enum class DiskOp { kRead, kWrite, kFsync };

struct DiskFaults {
  bool fsync_lies = false;
  bool delayed = false;
  DelayModel delay;
  std::set<DiskOp> delay_ops;
  double error_share = 0;  // 0..1 of the operations in error_ops answer EIO
  std::set<DiskOp> error_ops;

  // Applies a lie, latency or errors request; other verbs are not faults.
  Status Apply(const ControlRequest& r);
  double DelayMs(DiskOp op, std::mt19937_64& rng) const;  // 0 when not delayed
  bool Fails(DiskOp op, std::mt19937_64& rng) const;
};

// Latencies of one kind of operation, in microseconds, bounded.
class LatencySamples {
 public:
  void Add(double us);
  double Percentile(double p) const;  // 0 when empty
  size_t count() const { return total_; }
  void Clear();

 private:
  std::vector<double> kept_;  // the first kMax of the window
  size_t total_ = 0;
  static constexpr size_t kMax = 200000;
};

}  // namespace pgha
