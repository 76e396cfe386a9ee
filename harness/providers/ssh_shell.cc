// SshShell and SshControl: commands, processes and services of an
// existing host, through systemd and signals over ssh.
#include <fmt/format.h>
#include <signal.h>

#include <sstream>

#include "core/text.h"
#include "providers/ssh_provider.h"

namespace pgha {
namespace {

std::vector<int> SshPidsIn(const std::string& text) {
  std::vector<int> pids;
  std::istringstream in(text);
  for (std::string w; in >> w;)
    if (auto pid = ParseInt(w); pid && *pid > 0) pids.push_back(*pid);
  return pids;
}

std::string UnitOf(const SshRemote& remote, const HostPlan& host, const std::string& kind) {
  const SshAccess* a = remote.Find(host.name);
  return a ? a->Unit(kind) : kind + ".service";
}

// The postmaster named by postmaster.pid, if it runs, and its children.
std::string PostgresPidsScript(const HostPlan& host) {
  return fmt::format(
      "p=$(head -n1 {}/postmaster.pid 2>/dev/null); [ -n \"$p\" ] && kill -0 \"$p\" 2>/dev/null || exit 0; "
      "echo $p $(ps -o pid= --ppid \"$p\")",
      ShellQuote(PostgresDataDir(host)));
}

// `systemctl start` of the service's unit: how a killed service comes back.
Status StartUnit(SshRemote& remote, const HostPlan& host, const std::string& kind) {
  auto r = remote.Run(host.name, "systemctl start " + ShellQuote(UnitOf(remote, host, kind)));
  if (!r.ok()) return r.status();
  if (!r->Succeeded()) return Failed(fmt::format("systemctl start {} on {}: {}", kind, host.name, Trim(r->err)));
  return Status::Ok();
}

}  // namespace

Result<CommandResult> SshShell::Exec(const HostPlan& host, const std::vector<std::string>& argv, Duration timeout) {
  return remote_.Run(host.name, ShellCommand(argv), timeout);
}

Status SshShell::StartDaemon(const HostPlan& host, const DaemonLaunch& daemon, Manifest&) {
  return StartUnit(remote_, host, daemon.label.substr(0, daemon.label.find('@')));
}

std::vector<ProcessInfo> SshShell::Processes(const HostPlan& host) {
  std::vector<ProcessInfo> out;
  auto r = remote_.Run(host.name, "cat /proc/[0-9]*/stat 2>/dev/null");
  if (!r.ok()) return out;
  for (const auto& line : Split(r->out, '\n')) {
    auto pid = ParseInt(line.substr(0, line.find(' ')));
    auto st = ParseProcStat(line);
    if (pid && st && st->state != 'Z') out.push_back({*pid, st->ppid, st->start_time, st->state});
  }
  return out;
}

bool SshShell::Alive(const HostPlan& host, int pid, uint64_t start_time) {
  for (const auto& p : Processes(host))
    if (p.pid == pid) return start_time == 0 || p.start_time == start_time;
  return false;
}

bool SshShell::Signal(const HostPlan& host, int pid, int sig) {
  auto r = remote_.Run(host.name, fmt::format("kill -s {} {}", SignalName(sig), pid));
  return r.ok() && r->Succeeded();
}

// Every cluster unit of the host at once: its sshd and systemd stay up.
Status SshShell::AllUnits(const HostPlan& host, const std::string& signal) {
  std::vector<std::string> units;
  for (const auto& s : host.services) units.push_back(UnitOf(remote_, host, s.kind));
  auto r = remote_.Run(host.name, "systemctl kill --signal=" + signal + " " + ShellCommand(units));
  if (!r.ok()) return r.status();
  if (!r->Succeeded()) return Failed(fmt::format("{} of the units on {}: {}", signal, host.name, Trim(r->err)));
  return Status::Ok();
}

Result<std::vector<int>> SshShell::Freeze(const HostPlan& host, const std::vector<int>&) {
  if (Status s = AllUnits(host, "SIGSTOP"); !s.ok()) return s;
  return std::vector<int>{};
}

Status SshShell::Thaw(const HostPlan& host, const std::vector<int>&) { return AllUnits(host, "SIGCONT"); }

Result<std::vector<int>> SshControl::Signal(const HostPlan& host, const std::string& kind, int sig, bool with_children,
                                            const Manifest&) {
  std::string script;
  if (kind == "postgres") {
    script = fmt::format(
        "p=$(head -n1 {}/postmaster.pid 2>/dev/null); [ -n \"$p\" ] && kill -0 \"$p\" 2>/dev/null || exit 0; "
        "c=$(ps -o pid= --ppid \"$p\"); echo $p $c; kill -s {} $p $c",
        ShellQuote(PostgresDataDir(host)), SignalName(sig));
  } else {
    const std::string unit = ShellQuote(UnitOf(remote_, host, kind));
    script = fmt::format(
        "p=$(systemctl show --property=MainPID --value {u}); [ \"$p\" != 0 ] || exit 0; echo $p; "
        "systemctl kill --kill-who={who} --signal=SIG{sig} {u}",
        fmt::arg("u", unit), fmt::arg("who", with_children ? "all" : "main"), fmt::arg("sig", SignalName(sig)));
  }
  auto r = remote_.Run(host.name, script);
  if (!r.ok()) return r.status();
  if (!r->Succeeded()) return Failed(fmt::format("signalling {} on {}: {}", kind, host.name, Trim(r->err)));
  if (remote_.dry_run()) return std::vector<int>{0};  // printed, not sent: as if it ran (0: no pid known)
  return SshPidsIn(r->out);
}

std::vector<int> SshControl::Pids(const HostPlan& host, const std::string& kind, const Manifest&) {
  const std::string script =
      kind == "postgres" ? PostgresPidsScript(host)
                         : "systemctl show --property=MainPID --value " + ShellQuote(UnitOf(remote_, host, kind));
  auto r = remote_.Run(host.name, script);
  if (!r.ok() || !r->Succeeded()) return {};
  auto pids = SshPidsIn(r->out);
  if (kind == "postgres" && pids.size() > 1) pids.resize(1);
  return pids;
}

Status SshControl::Start(const HostPlan& host, const DaemonLaunch& launch, Manifest&) {
  return StartUnit(remote_, host, launch.label.substr(0, launch.label.find('@')));
}

}  // namespace pgha
