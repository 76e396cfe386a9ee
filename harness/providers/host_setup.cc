#include "providers/host_setup.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cluster/preflight.h"
#include "core/cancel.h"
#include "core/text.h"
#include "providers/netns_provider.h"

namespace pgha {

std::mutex& NamespaceCommandLock() {
  static std::mutex lock;
  return lock;
}

Status RunIp(ProcessRunner& runner, const std::vector<std::string>& args, const std::string& netns) {
  std::vector<std::string> argv{"ip"};
  if (!netns.empty()) argv.insert(argv.end(), {"-n", netns});
  argv.insert(argv.end(), args.begin(), args.end());
  const bool namespaces = !args.empty() && args[0] == "netns";
  std::unique_lock<std::mutex> one_at_a_time(NamespaceCommandLock(), std::defer_lock);
  if (namespaces) one_at_a_time.lock();
  auto r = runner.Run(CommandSpec::Of(argv, namespaces ? std::chrono::seconds(30) : std::chrono::seconds(10)));
  if (!r.ok()) return r.status().WithContext(Join(argv, " "));
  if (!r->Succeeded())
    return Failed(fmt::format("`{}` failed: {}", Join(argv, " "), r->timed_out ? "timed out" : r->err));
  return Status::Ok();
}

Status CreateBridge(ProcessRunner& runner, const ClusterPlan& plan, Manifest& m) {
  const std::string bridge = BridgeName(plan.run_id);
  auto id = m.Record(Resource::Of("bridge", bridge));
  if (!id.ok()) return id.status();
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"link", "add", bridge, "type", "bridge"},
           {"addr", "add", fmt::format("{}/{}", plan.gateway, plan.prefix), "dev", bridge},
           {"link", "set", bridge, "up"}})
    if (Status s = RunIp(runner, args); !s.ok()) return s;
  return m.MarkCreated(*id);
}

namespace {

Status Run(ProcessRunner& runner, const std::vector<std::string>& argv, std::string* out = nullptr) {
  auto res = runner.Run(CommandSpec::Of(argv, std::chrono::seconds(60)));
  if (!res.ok()) return res.status().WithContext(Join(argv, " "));
  if (!res->Succeeded()) return Failed(fmt::format("`{}` failed: {}", Join(argv, " "), Trim(res->err)));
  if (out) *out = Trim(res->out);
  return Status::Ok();
}

// ext4 on a loop device over a sparse file in the host's folder.
Status MountLoopVolume(ProcessRunner& runner, const HostPlan& h, const std::string& dir, Manifest& m) {
  const std::string image = h.dir + "/data-volume.img";
  auto loop = m.Record(Resource::Of(kLoopResource, image));
  if (!loop.ok()) return loop.status();
  if (Status s = Run(runner, {"truncate", "-s", std::to_string(h.data_volume), image}); !s.ok()) return s;
  std::string device;
  if (Status s = Run(runner, {"losetup", "--find", "--show", image}, &device); !s.ok()) return s;
  if (Status s = m.MarkCreated(*loop); !s.ok()) return s;
  if (Status s = Run(runner, {"mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=1", device}); !s.ok()) return s;
  Resource r = Resource::Of("mount", dir);
  r.args = {"ext4", device};
  auto id = m.Record(r);
  if (!id.ok()) return id.status();
  if (Status s = Run(runner, {"mount", "-t", "ext4", device, dir}); !s.ok()) return s;
  return m.MarkCreated(*id);
}

}  // namespace

std::string RemoveLoopDevices(ProcessRunner& runner, const std::string& image) {
  std::string listed;
  if (Status s = Run(runner, {"losetup", "-j", image}, &listed); !s.ok()) return s.message();
  for (const auto& line : Split(listed, '\n'))  // "/dev/loop3: []: (/path/data-volume.img)"
    if (const auto colon = line.find(':'); colon != std::string::npos)
      if (Status s = Run(runner, {"losetup", "-d", line.substr(0, colon)}); !s.ok()) return s.message();
  return "";
}

Status MountDataVolume(ProcessRunner& runner, const HostPlan& h, Manifest& m) {
  const std::string dir = VolumeMountDir(h);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (h.data_device == "loop") return MountLoopVolume(runner, h, dir, m);
  Resource r = Resource::Of("mount", dir);
  r.args = {"tmpfs", fmt::format("size={}", h.data_volume)};
  auto id = m.Record(r);
  if (!id.ok()) return id.status();
  auto res = runner.Run(
      CommandSpec::Of({"mount", "-t", "tmpfs", "-o", fmt::format("size={},mode=0700", h.data_volume), "tmpfs", dir}));
  if (!res.ok()) return res.status();
  if (!res->Succeeded()) return Failed(fmt::format("cannot mount a tmpfs on {}: {}", dir, res->err));
  return m.MarkCreated(*id);
}

Status CheckDataVolumesFitMemory(const ClusterPlan& plan) {
  uint64_t largest = 0;
  for (const auto& h : plan.hosts) largest = std::max<uint64_t>(largest, h.data_volume);
  if (largest == 0) return Status::Ok();
  std::ifstream in("/proc/meminfo");
  std::stringstream text;
  text << in.rdbuf();
  const auto available = MemAvailableBytes(text.str());
  return available ? CheckDataVolumeFits(largest, *available) : Status::Ok();
}

Status CheckCancel() {
  if (CancelRequested()) return Cancelled(fmt::format("interrupted by signal {}", CancelSignal()));
  return Status::Ok();
}

}  // namespace pgha
