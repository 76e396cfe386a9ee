// ContainersProvider::Teardown: the plug pulled first (SIGKILL of each
// container's PID 1 ends its whole PID namespace at once, and its
// systemd-nspawn exits after it; an orderly poweroff took 8 s for compact,
// Patroni waiting on an etcd that was stopping too), then the netns provider's teardown with the kinds only
// containers have: the container itself (SIGKILL if it outlived the stop)
// and its cgroups (removed deepest first: nspawn made payload/ and
// supervisor/ inside).
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <filesystem>

#include "core/files.h"
#include "core/text.h"
#include "providers/containers_provider.h"
#include "providers/netns_teardown.h"

namespace pgha {
namespace fs = std::filesystem;

namespace {

bool SameLive(ProcessTable& table, const Resource& r) {
  auto st = table.Stat(r.pid);
  if (!st || st->state == 'Z' || st->state == 'X') {
    table.Reap(r.pid);
    return false;
  }
  return st->start_time == r.start_time;
}

void StopContainers(NetnsDeps d, const std::vector<Resource>& resources) {
  std::vector<Resource> running;
  for (const auto& r : resources)
    if (r.kind == "container" && r.state != ResourceState::kRemoved && r.pid > 0 && SameLive(d.table, r)) {
      if (int init = ContainerInitOf(r.pid); init > 0) d.table.Signal(init, SIGKILL);
      running.push_back(r);
    }
  Deadline deadline(d.clock, std::chrono::seconds(10));
  for (const auto& r : running)
    while (SameLive(d.table, r) && !deadline.Expired()) d.clock.SleepFor(std::chrono::milliseconds(20));
}

std::string RemoveContainer(NetnsDeps d, const Resource& r) {
  if (r.pid <= 0 || !SameLive(d.table, r)) return "";
  d.table.Signal(r.pid, SIGKILL);
  Deadline deadline(d.clock, std::chrono::seconds(5));
  while (SameLive(d.table, r) && !deadline.Expired()) d.clock.SleepFor(std::chrono::milliseconds(20));
  return SameLive(d.table, r) ? fmt::format("systemd-nspawn (pid {}) survived SIGKILL", r.pid) : "";
}

// Deepest first; a cgroup that still holds processes (ours: nothing else
// is ever moved into it) gets them killed, within a deadline.
std::string RemoveCgroup(NetnsDeps d, const std::string& dir) {
  if (dir.find("/pgha-") == std::string::npos) return "refusing to remove " + dir + ": not a pgha-chaos cgroup";
  Deadline deadline(d.clock, std::chrono::seconds(5));
  while (true) {
    std::error_code ec;
    if (!fs::exists(dir, ec)) return "";
    std::vector<std::string> dirs = {dir};
    for (const auto& e : fs::recursive_directory_iterator(dir, ec))
      if (e.is_directory(ec)) dirs.push_back(e.path().string());
    std::string error;
    for (auto it = dirs.rbegin(); it != dirs.rend(); ++it) {
      if (::rmdir(it->c_str()) == 0 || errno == ENOENT) continue;
      error = fmt::format("cannot remove cgroup {}: {}", *it, std::strerror(errno));
      auto procs = ReadTextFile(*it + "/cgroup.procs");
      for (const auto& line : Split(procs.ok() ? *procs : "", '\n'))
        if (auto pid = ParseInt(Trim(line))) d.table.Signal(*pid, SIGKILL);
    }
    if (error.empty() || deadline.Expired()) return error;
    d.clock.SleepFor(std::chrono::milliseconds(50));
  }
}

}  // namespace

TeardownReport ContainersProvider::Teardown(Manifest& m, const TeardownOptions& options) {
  NetnsDeps d = d_;
  TeardownHooks hooks;
  hooks.before_processes = [d](const std::vector<Resource>& resources) { StopContainers(d, resources); };
  hooks.remove = [d](const Resource& r) -> std::optional<std::string> {
    if (r.kind == "container") return RemoveContainer(d, r);
    if (r.kind == "cgroup") return RemoveCgroup(d, r.name);
    return std::nullopt;
  };
  return TeardownRecorded(d_, m, options, hooks);
}

}  // namespace pgha
