// io_throttle: the named processes of a host (or all of it) may read and
// write their data volume at most `rate` bytes (and `iops` operations) per
// second each way: a disk that stalls their fsyncs (etcd's WAL, PostgreSQL's
// WAL). A scenario with it gets its volumes on loop devices; heal journals
// how much went through the throttle and lifts it. Not meant to fail over.
#include <fmt/format.h>

#include "faults/limit_faults.h"

namespace pgha {
namespace {

class IoThrottle : public LimitFault {
 public:
  std::string Name() const override { return "io_throttle"; }
  std::string Summary() const override {
    return "processes (or a whole host) read and write their data volume at most `rate`/s or `iops` (a loop device)";
  }
  std::shared_ptr<const FaultParams> Read(FaultReadContext& r) const override {
    auto p = std::make_shared<LimitParams>();
    ReadLimitedProcesses(r, p.get());
    r.map.Size("rate", &p->limit.io_bytes_per_s);
    int64_t iops = 0;
    r.map.Int("iops", 1, 1000000, &iops);
    p->limit.io_ops_per_s = static_cast<uint64_t>(iops);
    if (!r.map.Has("rate") && !r.map.Has("iops"))
      r.map.ErrorAt(r.map.Node("fault").value_or(YAML::Node()),
                    "io_throttle needs rate (bytes per second each way, e.g. 64KiB) or iops (e.g. 10), or both");
    if (auto n = r.map.Node("rate"); n && p->limit.io_bytes_per_s > 0 && p->limit.io_bytes_per_s < 4096)
      r.map.ErrorAt(*n, "rate must be at least 4KiB (a second per page written)");
    return p;
  }
  bool NeedsBlockVolume(const FaultSpec&) const override { return true; }
};

}  // namespace

const FaultType* IoThrottleFault() {
  static const IoThrottle kType;
  return &kType;
}

}  // namespace pgha
