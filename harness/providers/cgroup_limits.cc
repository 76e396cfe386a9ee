#include "providers/cgroup_limits.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

#include "core/files.h"
#include "core/text.h"

namespace pgha {
namespace fs = std::filesystem;
namespace {

constexpr int64_t kPeriodUs = 100000;  // the CPU quota's period: 100 ms

std::vector<std::string> ControllersFor(const ResourceLimit& l) {
  std::vector<std::string> c;
  if (l.cpu_cores > 0) c.insert(c.end(), {"cpu", "cpuacct"});
  if (l.memory_bytes > 0) c.push_back("memory");
  if (l.io()) c.push_back("blkio");
  return c;
}

// "7:3": the block device that holds `path`; "" when it is none (tmpfs: major 0).
std::string BlockDeviceOf(const std::string& path) {
  struct stat st {};
  if (path.empty() || ::stat(path.c_str(), &st) != 0 || major(st.st_dev) == 0) return "";
  return fmt::format("{}:{}", major(st.st_dev), minor(st.st_dev));
}

// The group `pid` is in for `controller`, as a directory under root; "" when unknown.
std::string GroupOf(const std::string& root, int pid, const std::string& controller) {
  auto text = ReadTextFile(fmt::format("/proc/{}/cgroup", pid));
  if (!text.ok()) return "";
  for (const auto& line : Split(*text, '\n')) {
    auto fields = Split(line, ':');
    if (fields.size() < 3) continue;
    for (const auto& c : Split(fields[1], ','))
      if (c == controller) return root + "/" + controller + (fields[2] == "/" ? "" : fields[2]);
  }
  return "";
}

std::string SafeName(const std::string& s) {
  std::string out;
  for (char c : s) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-') ? c : '-';
  return out;
}

Status SetLimits(const std::string& controller, const std::string& dir, const ResourceLimit& l) {
  if (controller == "cpu") {
    if (Status s = WriteKernelFile(dir + "/cpu.cfs_period_us", std::to_string(kPeriodUs)); !s.ok()) return s;
    const int64_t quota = std::max<int64_t>(1000, static_cast<int64_t>(l.cpu_cores * kPeriodUs));
    return WriteKernelFile(dir + "/cpu.cfs_quota_us", std::to_string(quota));
  }
  if (controller == "memory") return WriteKernelFile(dir + "/memory.limit_in_bytes", std::to_string(l.memory_bytes));
  if (controller != "blkio") return Status::Ok();
  const std::string device = BlockDeviceOf(l.io_path);
  for (const char* way : {"read", "write"}) {
    if (l.io_bytes_per_s > 0)
      if (Status s = WriteKernelFile(fmt::format("{}/blkio.throttle.{}_bps_device", dir, way),
                                     fmt::format("{} {}", device, l.io_bytes_per_s));
          !s.ok())
        return s;
    if (l.io_ops_per_s > 0)
      if (Status s = WriteKernelFile(fmt::format("{}/blkio.throttle.{}_iops_device", dir, way),
                                     fmt::format("{} {}", device, l.io_ops_per_s));
          !s.ok())
        return s;
  }
  return Status::Ok();
}

// Moves every pid to `dir`; a pid that exited meanwhile is no error.
Status MovePids(const std::vector<int>& pids, const std::string& dir) {
  for (int pid : pids) {
    Status s = WriteKernelFile(dir + "/cgroup.procs", std::to_string(pid));
    if (!s.ok() && fs::exists(fmt::format("/proc/{}", pid))) return s;
  }
  return Status::Ok();
}

std::vector<int> PidsIn(const std::string& dir) {
  std::vector<int> pids;
  auto text = ReadTextFile(dir + "/cgroup.procs");
  for (const auto& line : Split(text.ok() ? *text : "", '\n'))
    if (auto pid = ParseInt(Trim(line))) pids.push_back(*pid);
  return pids;
}

int64_t ReadNumber(const std::string& path) {
  auto text = ReadTextFile(path);
  auto n = text.ok() ? ParseInt64(Trim(*text)) : std::nullopt;
  return n.value_or(0);
}

// "name value" lines (cpu.stat, memory.oom_control): the value of `key`, 0 when absent.
int64_t StatField(const std::string& path, const std::string& key) {
  auto text = ReadTextFile(path);
  for (const auto& line : Split(text.ok() ? *text : "", '\n')) {
    auto words = Split(Trim(line), ' ');
    if (words.size() == 2 && words[0] == key) return ParseInt64(words[1]).value_or(0);
  }
  return 0;
}

const Resource* Find(const std::vector<Resource>& all, size_t id) {
  return id < all.size() && all[id].kind == kLimitGroupResource ? &all[id] : nullptr;
}

}  // namespace

std::string CgroupLimits::WhyNoLimit(const HostPlan& host, const ResourceLimit& limit) {
  if (limit.io() && BlockDeviceOf(limit.io_path).empty())
    return fmt::format(
        "{} on {} is on no block device (a tmpfs, or not there): io_throttle needs the data volume on "
        "a loop device (data_device: loop; a scenario with io_throttle gets one)",
        limit.io_path, host.name);
  for (const auto& c : ControllersFor(limit))
    if (!fs::exists(o_.root + "/" + c + "/cgroup.procs"))
      return fmt::format(
          "this machine has no cgroup v1 {} hierarchy at {}/{} (pgha-chaos limits processes "
          "through cgroup v1; a machine with cgroup v2 alone is not supported yet)",
          c, o_.root, c);
  return "";
}

Result<size_t> CgroupLimits::Limit(const HostPlan& host, const std::vector<int>& pids, const ResourceLimit& limit,
                                   const std::string& label, Manifest& m) {
  if (pids.empty()) return Failed("no process to limit on " + host.name);
  Resource r = Resource::Of(kLimitGroupResource, label, host.scope);
  for (const auto& c : ControllersFor(limit)) {
    const std::string parent = GroupOf(o_.root, pids.front(), c);
    if (parent.empty())
      return Failed(fmt::format("cannot tell the {} cgroup of pid {} on {}", c, pids.front(), host.name));
    r.args.push_back(c);
    r.args.push_back(parent + "/pgha-limit-" + SafeName(m.run_id() + "-" + label));
  }
  auto id = m.Record(r);
  if (!id.ok()) return id.status();
  for (size_t i = 0; i + 1 < r.args.size(); i += 2) {
    const std::string& dir = r.args[i + 1];
    std::error_code ec;
    if (!fs::create_directory(dir, ec) && ec)
      return Failed(fmt::format("cannot create the cgroup {}: {}", dir, ec.message()));
    if (Status s = SetLimits(r.args[i], dir, limit); !s.ok()) return s.WithContext("limiting " + label);
    if (Status s = MovePids(pids, dir); !s.ok()) return s.WithContext("moving " + label + "'s processes");
  }
  if (Status s = m.MarkCreated(*id); !s.ok()) return s;
  return *id;
}

Result<LimitUsage> CgroupLimits::Usage(size_t id, const Manifest& m) {
  const auto all = m.Snapshot();
  const Resource* r = Find(all, id);
  if (!r) return Failed(fmt::format("no limit group {} in the manifest", id));
  LimitUsage u;
  for (size_t i = 0; i + 1 < r->args.size(); i += 2) {
    const std::string& c = r->args[i];
    const std::string& dir = r->args[i + 1];
    if (c == "cpuacct") u.cpu_seconds = static_cast<double>(ReadNumber(dir + "/cpuacct.usage")) / 1e9;
    if (c == "cpu") {
      u.periods = StatField(dir + "/cpu.stat", "nr_periods");
      u.throttled_periods = StatField(dir + "/cpu.stat", "nr_throttled");
      u.throttled_s = static_cast<double>(StatField(dir + "/cpu.stat", "throttled_time")) / 1e9;
    }
    if (c == "blkio") u.io_bytes = static_cast<uint64_t>(StatField(dir + "/blkio.throttle.io_service_bytes", "Total"));
    if (c == "memory") {
      u.memory_peak_bytes = static_cast<uint64_t>(ReadNumber(dir + "/memory.max_usage_in_bytes"));
      u.memory_limit_hits = ReadNumber(dir + "/memory.failcnt");
      u.oom_kills = StatField(dir + "/memory.oom_control", "oom_kill");
    }
  }
  return u;
}

Status CgroupLimits::Unlimit(size_t id, Manifest& m) {
  const auto all = m.Snapshot();
  const Resource* r = Find(all, id);
  if (!r || r->state == ResourceState::kRemoved) return Status::Ok();
  if (std::string error = RemoveLimitGroup(*r); !error.empty()) return Failed(error);
  return m.MarkRemoved(id);
}

std::string RemoveLimitGroup(const Resource& r) {
  for (size_t i = 0; i + 1 < r.args.size(); i += 2) {
    const fs::path dir = r.args[i + 1];
    if (dir.filename().string().rfind("pgha-limit-", 0) != 0)
      return "refusing to remove " + dir.string() + ": not a pgha-chaos limit group";
    for (int attempt = 0; fs::exists(dir) && attempt < 40; ++attempt) {
      (void)MovePids(PidsIn(dir), dir.parent_path().string());  // a process forking meanwhile: the next attempt
      if (::rmdir(dir.c_str()) == 0 || errno == ENOENT) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (fs::exists(dir)) return fmt::format("cannot remove the cgroup {}: {}", dir.string(), std::strerror(errno));
  }
  return "";
}

}  // namespace pgha
