// NetnsShell: commands and daemons inside a host's network namespace.
#include <fmt/format.h>
#include <signal.h>

#include <algorithm>

#include "providers/netns_provider.h"

namespace pgha {
namespace {

// `argv` as `user` (setpriv; nothing when "").
std::vector<std::string> AsUser(const std::string& user, const std::vector<std::string>& argv) {
  std::vector<std::string> out;
  if (!user.empty()) out = {"/usr/bin/setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--"};
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

// nsenter and setpriv exec without forking: the pid that Spawn returns is
// the daemon's own.
std::vector<std::string> OnHost(const HostPlan& host, const std::vector<std::string>& argv) {
  std::vector<std::string> out = {"/usr/bin/nsenter", "--net=/run/netns/" + host.scope};
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

// A daemon also gets a mount namespace of its own with a private /dev/shm:
// the POSIX shared memory PostgreSQL makes there (its dynamic shared
// memory) goes with the daemon's last process, also when that is SIGKILLed
// (a kill fault, a teardown), instead of staying in the machine's memory.
// unshare and sh exec without forking too.
std::vector<std::string> DaemonOnHost(const HostPlan& host, const std::string& user,
                                      const std::vector<std::string>& argv) {
  std::vector<std::string> out = {"/usr/bin/unshare",
                                  "--mount",
                                  "--propagation",
                                  "private",
                                  "/bin/sh",
                                  "-c",
                                  "mount -t tmpfs -o mode=1777,size=512m pgha-shm /dev/shm && exec \"$@\"",
                                  "sh"};
  for (auto& word : AsUser(user, argv)) out.push_back(std::move(word));
  return OnHost(host, out);
}

}  // namespace

Result<CommandResult> NetnsShell::Exec(const HostPlan& host, const std::vector<std::string>& argv, Duration timeout) {
  return d_.runner.Run(CommandSpec::Of(OnHost(host, argv), timeout));
}

Status NetnsShell::StartDaemon(const HostPlan& host, const DaemonLaunch& daemon, Manifest& m) {
  auto id = m.Record(Resource::Of(kProcessResource, daemon.label, host.scope));
  if (!id.ok()) return id.status();
  DaemonSpec spec;
  spec.argv = daemon.shares_mounts ? OnHost(host, AsUser(daemon.user, daemon.argv))
                                   : DaemonOnHost(host, daemon.user, daemon.argv);
  spec.env = daemon.env;
  spec.working_dir = daemon.working_dir;
  spec.log_path = daemon.log_file;
  auto pid = d_.runner.Spawn(spec);
  if (!pid.ok()) return pid.status().WithContext(daemon.label);
  auto st = d_.table.Stat(*pid);
  return m.MarkCreated(*id, *pid, st ? st->start_time : 0);
}

std::vector<ProcessInfo> NetnsShell::Processes(const HostPlan& host) {
  std::vector<ProcessInfo> out;
  for (int pid : d_.netns.PidsIn(host.scope)) {
    auto st = d_.table.Stat(pid);
    if (!st) continue;
    if (st->state == 'Z' || st->state == 'X') {
      d_.table.Reap(pid);  // our own child that exited: collect it, it is not running
      continue;
    }
    out.push_back({pid, st->ppid, st->start_time, st->state});
  }
  return out;
}

// By pid and start time: right after StartDaemon the daemon may still be
// nsenter, in the root namespace, for a moment.
bool NetnsShell::Alive(const HostPlan&, int pid, uint64_t start_time) {
  auto st = d_.table.Stat(pid);
  if (!st) return false;
  if (st->state == 'Z' || st->state == 'X') {
    d_.table.Reap(pid);
    return false;
  }
  return st->start_time == start_time;
}

bool NetnsShell::Signal(const HostPlan& host, int pid, int signal_number) {
  const auto pids = d_.netns.PidsIn(host.scope);
  if (std::find(pids.begin(), pids.end(), pid) == pids.end()) return false;  // never a pid that is not the host's
  return d_.table.Signal(pid, signal_number);
}

Result<std::vector<int>> NetnsShell::Freeze(const HostPlan& host, const std::vector<int>& spare) {
  std::vector<int> frozen;
  for (const auto& p : Processes(host))
    if (std::find(spare.begin(), spare.end(), p.pid) == spare.end() && d_.table.Signal(p.pid, SIGSTOP))
      frozen.push_back(p.pid);
  return frozen;
}

Status NetnsShell::Thaw(const HostPlan& host, const std::vector<int>& frozen) {
  const auto pids = d_.netns.PidsIn(host.scope);
  for (int pid : frozen)
    if (std::find(pids.begin(), pids.end(), pid) != pids.end()) d_.table.Signal(pid, SIGCONT);
  return Status::Ok();
}

}  // namespace pgha
