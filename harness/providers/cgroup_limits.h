// CgroupLimits: HostResources for hosts whose processes are this
// machine's (netns, containers), through cgroup v1 (this machine mounts
// cpu, cpuacct and memory as v1 hierarchies). A limit is one group per
// controller it needs, made as a child of the group the first process is
// in now (so a container's processes stay below the container's group),
// named pgha-limit-<run>-<label>; the manifest records the group (kind
// "limit-cgroup", args: the group directories) before any exists.
//
//   cpu      cpu.cfs_quota_us over a 100 ms cpu.cfs_period_us; usage from
//            cpuacct.usage and cpu.stat (nr_periods, nr_throttled,
//            throttled_time)
//   blkio    blkio.throttle.{read,write}_{bps,iops}_device on the block
//            device that holds the limit's io_path (its st_dev); usage
//            from blkio.throttle.io_service_bytes. cgroup v1 charges
//            writeback to the root group, so buffered writes pass: what
//            is throttled is what the processes submit themselves (reads,
//            fsync and O_DSYNC writes: PostgreSQL's WAL, etcd's WAL)
//   memory   memory.limit_in_bytes; this kernel refuses to move charges
//            (memory.move_charge_at_immigrate), so the limit bounds what
//            the processes charge after they are moved (their page cache,
//            new allocations), not what they already hold; usage from
//            memory.max_usage_in_bytes, memory.failcnt and oom_kill in
//            memory.oom_control
//
// Unlimit and teardown (RemoveLimitGroup) move every process still in a
// group back to its parent, then remove it. cgroup v2 alone (no v1
// hierarchy) is not supported: WhyNoLimit says so. Not thread-safe.
#pragma once

#include <string>

#include "cluster/provider.h"

namespace pgha {

struct CgroupOptions {
  std::string root = "/sys/fs/cgroup";
};

class CgroupLimits : public HostResources {
 public:
  explicit CgroupLimits(CgroupOptions o = {}) : o_(std::move(o)) {}
  std::string WhyNoLimit(const HostPlan& host, const ResourceLimit& limit) override;
  Result<size_t> Limit(const HostPlan& host, const std::vector<int>& pids, const ResourceLimit& limit,
                       const std::string& label, Manifest& m) override;
  Result<LimitUsage> Usage(size_t id, const Manifest& m) override;
  Status Unlimit(size_t id, Manifest& m) override;

 private:
  CgroupOptions o_;
};

inline constexpr const char* kLimitGroupResource = "limit-cgroup";

// Removes a recorded limit group (every process in it moved to the parent
// first); "" when done or already gone, else why not.
std::string RemoveLimitGroup(const Resource& r);

}  // namespace pgha
