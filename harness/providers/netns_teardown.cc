// NetnsProvider::Teardown: removes everything a manifest records, newest
// first, whatever state each entry is in (a "planned" entry may or may not
// exist: removal is idempotent and "already gone" counts as success).
//
// Processes go first: every recorded pid that is still the same process
// (start time matches) gets SIGKILL, then every pid left inside one of the
// run's own namespaces (all of them were started by the harness), and we
// wait, under a deadline, until none is left. Then mounts, iptables rules,
// links, namespaces and folders. Folders are only removed below the
// allowed root, a guard against a damaged manifest. Errors are collected,
// not thrown; what failed stays in the manifest so `cleanup` can retry.
#include <fmt/format.h>
#include <signal.h>

#include <filesystem>
#include <mutex>
#include <set>

#include "core/shared_objects.h"
#include "core/text.h"
#include "providers/cgroup_limits.h"
#include "providers/host_setup.h"
#include "providers/netns_teardown.h"

namespace pgha {
namespace fs = std::filesystem;

namespace {

// True when the command's error says the thing is already gone.
bool IsAlreadyGone(const CommandResult& r) {
  for (const char* gone :
       {"Cannot find device", "No such file", "does not exist", "not mounted", "Bad rule", "no target"})
    if (r.err.find(gone) != std::string::npos) return true;
  return false;
}

std::string RemoveWith(ProcessRunner& runner, const std::vector<std::string>& argv) {
  auto r = runner.Run(CommandSpec::Of(argv, std::chrono::seconds(10)));
  if (!r.ok()) return r.status().message();
  if (r->Succeeded() || IsAlreadyGone(*r)) return "";
  return fmt::format("`{}` failed: {}", Join(argv, " "), r->timed_out ? "timed out" : r->err);
}

bool NetnsSameLive(ProcessTable& table, int pid, std::optional<uint64_t> start_time) {
  auto st = table.Stat(pid);
  if (!st || st->state == 'Z' || st->state == 'X') return false;
  return !start_time || st->start_time == *start_time;
}

class NetnsTeardown {
 public:
  NetnsTeardown(NetnsDeps d, Manifest& m, const TeardownOptions& o, const TeardownHooks& hooks)
      : d_(d), m_(m), o_(o), hooks_(hooks), resources_(m.Snapshot()) {}

  TeardownReport Run() {
    if (hooks_.before_processes) hooks_.before_processes(resources_);
    KillProcesses();
    for (size_t i = resources_.size(); i-- > 0;) RemoveOne(i);
    return report_;
  }

 private:
  // Kills what is left in the run's namespaces; returns how many were left.
  int Sweep(const std::vector<std::string>& namespaces) {
    int left = 0;
    for (const auto& ns : namespaces)
      for (int pid : d_.netns.PidsIn(ns)) {
        auto st = d_.table.Stat(pid);
        if (!st || st->state == 'Z') {
          d_.table.Reap(pid);
          continue;
        }
        ++left;
        if (d_.table.Signal(pid, SIGKILL)) killed_.insert(pid);
      }
    for (int pid : killed_) d_.table.Reap(pid);
    return left;
  }

  void KillProcesses() {
    for (size_t i = resources_.size(); i-- > 0;) {
      const auto& r = resources_[i];
      if (r.kind != kProcessResource || r.state == ResourceState::kRemoved || r.pid <= 0) continue;
      if (NetnsSameLive(d_.table, r.pid, r.start_time) && d_.table.Signal(r.pid, SIGKILL)) killed_.insert(r.pid);
    }
    std::vector<std::string> namespaces;
    for (const auto& r : resources_)
      if (r.kind == "netns" && r.state != ResourceState::kRemoved) namespaces.push_back(r.name);
    Deadline deadline(d_.clock, o_.process_exit_deadline);
    while (Sweep(namespaces) > 0 && !deadline.Expired()) d_.clock.SleepFor(std::chrono::milliseconds(20));
    // Recorded processes outside namespaces must be gone too.
    for (int pid : killed_)
      while (NetnsSameLive(d_.table, pid, std::nullopt) && !deadline.Expired()) {
        d_.table.Reap(pid);
        d_.clock.SleepFor(std::chrono::milliseconds(20));
      }
    report_.processes_killed = static_cast<int>(killed_.size());
    int still_running = 0;
    for (const auto& ns : namespaces) still_running += static_cast<int>(d_.netns.PidsIn(ns).size());
    if (still_running > 0)
      report_.errors.push_back(
          fmt::format("{} processes still run in the run's namespaces after SIGKILL", still_running));
    for (size_t i = 0; i < resources_.size(); ++i) {
      const auto& r = resources_[i];
      if (r.kind != kProcessResource || r.state == ResourceState::kRemoved) continue;
      if (r.pid > 0 && NetnsSameLive(d_.table, r.pid, r.start_time)) {
        report_.errors.push_back(fmt::format("process {} (pid {}) survived SIGKILL", r.name, r.pid));
        continue;
      }
      m_.MarkRemoved(i);
      ++report_.removed;
    }
  }

  std::string Remove(const Resource& r) {
    if (hooks_.remove)
      if (auto error = hooks_.remove(r)) return *error;
    if (r.kind == kLimitGroupResource) return RemoveLimitGroup(r);
    if (r.kind == kLoopResource) return RemoveLoopDevices(d_.runner, r.name);
    if (r.kind == kSharedObjectsResource) return RemoveSharedObjects(r.name);
    if (r.kind == "mount") return RemoveWith(d_.runner, {"umount", "-l", r.name});
    if (r.kind == "iptables") {
      if (!r.scope.empty() && !fs::exists("/run/netns/" + r.scope)) return "";  // gone with its namespace
      std::vector<std::string> argv{"/usr/bin/nsenter", "--net=/run/netns/" + r.scope, "iptables", "-w", "5", "-D"};
      argv.insert(argv.end(), r.args.begin(), r.args.end());
      return RemoveWith(d_.runner, argv);
    }
    if (r.kind == "qdisc") {
      if (r.args.empty() || (!r.scope.empty() && !fs::exists("/run/netns/" + r.scope))) return "";
      return RemoveWith(d_.runner, {"/usr/bin/nsenter", "--net=/run/netns/" + r.scope, "tc", "qdisc", "del", "dev",
                                    r.args[0], "root"});
    }
    if (r.kind == "veth" || r.kind == "bridge") return RemoveWith(d_.runner, {"ip", "link", "del", r.name});
    if (r.kind == "netns") {
      std::lock_guard<std::mutex> one_at_a_time(NamespaceCommandLock());
      return RemoveWith(d_.runner, {"ip", "netns", "del", r.name});
    }
    if (r.kind == kDirectoryResource) return RemoveRecordedDirectory(r.name, o_.allowed_root);
    if (r.kind == kFileResource) return RemoveRecordedFile(r.name, o_.allowed_root);
    return "the netns provider does not know resources of kind " + r.kind;
  }

  void RemoveOne(size_t i) {
    const auto& r = resources_[i];
    if (r.state == ResourceState::kRemoved || r.kind == kProcessResource) return;
    const std::string error = Remove(r);
    if (error.empty()) {
      m_.MarkRemoved(i);
      ++report_.removed;
    } else {
      report_.errors.push_back(fmt::format("{} {}: {}", r.kind, r.name, error));
    }
  }

  NetnsDeps d_;
  Manifest& m_;
  const TeardownOptions& o_;
  const TeardownHooks& hooks_;
  std::vector<Resource> resources_;
  std::set<int> killed_;
  TeardownReport report_;
};

}  // namespace

TeardownReport TeardownRecorded(NetnsDeps d, Manifest& m, const TeardownOptions& options, const TeardownHooks& hooks) {
  return NetnsTeardown(d, m, options, hooks).Run();
}

TeardownReport NetnsProvider::Teardown(Manifest& m, const TeardownOptions& options) {
  return TeardownRecorded(d_, m, options, {});
}

}  // namespace pgha
