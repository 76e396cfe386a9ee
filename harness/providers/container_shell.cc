// ContainerShell: commands inside a container (nsenter into its PID 1's
// namespaces), daemons as systemd units, and the whole-host freeze
// through the container's freezer cgroup. Process listing and signals are
// the netns shell's: the container's network namespace is attached as
// /run/netns/<container>.
#include <fmt/format.h>

#include <filesystem>
#include <sstream>

#include "core/files.h"
#include "core/text.h"
#include "providers/containers_provider.h"
#include "providers/systemd_unit.h"

namespace pgha {
namespace {

// NSpid of /proc/<pid>/status: this machine's pid first, the innermost namespace's last.
std::vector<int> NsPids(int pid) {
  std::vector<int> out;
  auto status = ReadTextFile(fmt::format("/proc/{}/status", pid));
  if (!status.ok()) return out;
  std::istringstream in(*status);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("NSpid:", 0) != 0) continue;
    std::istringstream words(line.substr(6));
    for (std::string w; words >> w;)
      if (auto n = ParseInt(w)) out.push_back(*n);
  }
  return out;
}

std::string FreezerDir(const ContainersOptions& o, const std::string& scope) {
  return o.cgroup_root + "/freezer/pgha-" + scope;
}

}  // namespace

int ContainerShell::InitPid(const std::string& scope) {
  for (int pid : d_.netns.PidsIn(scope)) {
    const auto ns = NsPids(pid);
    if (ns.size() == 2 && ns[1] == 1) return pid;
  }
  return 0;
}

int ContainerShell::FromHostPid(const HostPlan& host, int pid_on_host) {
  for (int pid : d_.netns.PidsIn(host.scope)) {
    const auto ns = NsPids(pid);
    if (ns.size() == 2 && ns[1] == pid_on_host) return pid;
  }
  return 0;
}

Result<CommandResult> ContainerShell::Exec(const HostPlan& host, const std::vector<std::string>& argv,
                                           Duration timeout) {
  const int init = InitPid(host.scope);
  if (init == 0) return Unavailable(fmt::format("container {} ({}) is not running", host.scope, host.name));
  std::vector<std::string> full = {"/usr/bin/nsenter",
                                   "--target",
                                   std::to_string(init),
                                   "--mount",
                                   "--uts",
                                   "--ipc",
                                   "--net",
                                   "--pid",
                                   "--",
                                   "/usr/bin/env",
                                   "-i",
                                   "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                                   "LANG=C.UTF-8"};
  full.insert(full.end(), argv.begin(), argv.end());
  return d_.runner.Run(CommandSpec::Of(full, timeout));
}

// The unit goes into the container's /etc/systemd/system (through the
// overlay's merged root), systemctl starts it, and its MainPID becomes
// the pid the manifest records.
Status ContainerShell::StartDaemon(const HostPlan& host, const DaemonLaunch& daemon, Manifest& m) {
  auto id = m.Record(Resource::Of(kProcessResource, daemon.label, host.scope));
  if (!id.ok()) return id.status();
  const std::string unit = UnitName(daemon);
  const std::string path = PathsOf(host).root + "/etc/systemd/system/" + unit;
  if (Status s = WriteFileAtomic(path, RenderUnit(daemon)); !s.ok()) return s.WithContext(daemon.label);
  const auto second = std::chrono::seconds(15);
  for (const auto& argv :
       std::vector<std::vector<std::string>>{{"systemctl", "daemon-reload"}, {"systemctl", "start", unit}}) {
    auto r = Exec(host, argv, second);
    if (!r.ok()) return r.status().WithContext(daemon.label);
    if (!r->Succeeded())
      return Failed(
          fmt::format("{}: `{}` in container {} failed: {}", daemon.label, Join(argv, " "), host.scope, Trim(r->err)));
  }
  auto shown = Exec(host, {"systemctl", "show", "--property=MainPID", "--value", unit}, second);
  const int inner = shown.ok() ? ParseInt(Trim(shown->out)).value_or(0) : 0;
  const int pid = inner > 0 ? FromHostPid(host, inner) : 0;
  if (pid == 0) return Failed(fmt::format("{}: {} exited at once in container {}", daemon.label, unit, host.scope));
  auto st = d_.table.Stat(pid);
  return m.MarkCreated(*id, pid, st ? st->start_time : 0);
}

Status ContainerShell::SetFreezer(const HostPlan& host, const std::string& state) {
  const std::string dir = FreezerDir(o_, host.scope);
  if (Status s = WriteKernelFile(dir + "/freezer.state", state); !s.ok()) return s.WithContext(host.name);
  Deadline deadline(d_.clock, std::chrono::seconds(5));
  while (!deadline.Expired()) {
    auto now = ReadTextFile(dir + "/freezer.state");
    if (now.ok() && Trim(*now) == state) return Status::Ok();
    d_.clock.SleepFor(std::chrono::milliseconds(10));
  }
  return Timeout(fmt::format("the freezer of {} did not reach {} within 5 s", host.name, state));
}

// Everything in the container stops at once, systemd and sshd included.
// The emulated watchdog (the `spare` pids) does not run in containers.
Result<std::vector<int>> ContainerShell::Freeze(const HostPlan& host, const std::vector<int>& spare) {
  if (!spare.empty()) return Failed("the containers provider cannot spare processes from a whole-host freeze");
  std::vector<int> frozen;
  for (const auto& p : Processes(host)) frozen.push_back(p.pid);
  if (Status s = SetFreezer(host, "FROZEN"); !s.ok()) return s;
  return frozen;
}

Status ContainerShell::Thaw(const HostPlan& host, const std::vector<int>&) { return SetFreezer(host, "THAWED"); }

}  // namespace pgha
