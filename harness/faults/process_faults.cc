// kill, stop and pause: signals to a host's processes, through HostShell.
#include <fmt/format.h>
#include <signal.h>

#include <algorithm>

#include "core/text.h"
#include "faults/fault_injector.h"
#include "services/registry.h"

namespace pgha {
namespace {

bool Alive(const std::vector<ProcessInfo>& live, int pid) {
  return std::any_of(live.begin(), live.end(), [&](const ProcessInfo& p) { return p.pid == pid; });
}

// The postmaster of the host's data directory and its children.
std::vector<int> PostgresPids(FaultEnv& env, const HostPlan& host) {
  std::vector<int> pids;
  auto text = env.provider.Files().ReadFile(host, PostgresDataDir(host) + "/postmaster.pid");
  if (!text.ok()) return pids;
  const int postmaster = ParseInt(text->substr(0, text->find('\n'))).value_or(0);
  if (postmaster <= 1) return pids;
  // The postmaster must be one of the host's own processes.
  const auto live = env.provider.Shell().Processes(host);
  if (!Alive(live, postmaster)) return pids;
  pids.push_back(postmaster);
  for (const auto& p : live)
    if (p.ppid == postmaster) pids.push_back(p.pid);
  std::sort(pids.begin() + 1, pids.end());
  return pids;
}

// A daemon and, for kinds whose children outlive it (keepalived), its children.
std::vector<int> PidsOf(FaultEnv& env, const HostPlan& host, const std::string& process) {
  if (process == "postgres") return PostgresPids(env, host);
  auto pids = LiveDaemonPids(env.manifest, process + "@" + host.name, env.provider.Shell(), host);
  const Service* s = FindService(process);
  if (pids.empty() || !s || !s->SignalsChildren()) return pids;
  const std::vector<int> daemons = pids;
  for (const auto& p : env.provider.Shell().Processes(host))
    if (std::find(daemons.begin(), daemons.end(), p.ppid) != daemons.end()) pids.push_back(p.pid);
  return pids;
}

std::string PidList(const std::vector<int>& pids) {
  std::vector<std::string> s;
  for (int pid : pids) s.push_back(std::to_string(pid));
  return Join(s, " ");
}

// SIGSTOP of a whole host: everything on it stops at once, but the
// emulated watchdog, which stands for hardware that a frozen OS cannot stop.
Status FreezeHost(FaultEnv& env, const HostPlan& host, ActiveFault* a, std::string* detail) {
  auto frozen = env.provider.Shell().Freeze(
      host, LiveDaemonPids(env.manifest, "watchdog@" + host.name, env.provider.Shell(), host));
  if (!frozen.ok()) return frozen.status().WithContext("freezing " + host.name);
  a->frozen.emplace_back(host.name, *frozen);
  *detail += fmt::format("SIGSTOP host on {} (pids {}); ", host.name, PidList(*frozen));
  return Status::Ok();
}

void SignalProcess(FaultEnv& env, const HostPlan& host, const std::string& process, int sig, const char* signame,
                   ActiveFault* a, std::string* detail) {
  auto pids = PidsOf(env, host, process);
  if (pids.empty()) {
    *detail += fmt::format("{} {} on {}: not running; ", signame, process, host.name);
    return;
  }
  for (int pid : pids) env.provider.Shell().Signal(host, pid, sig);
  *detail += fmt::format("{} {} on {} (pids {}); ", signame, process, host.name, PidList(pids));
  if (sig == SIGSTOP) {
    for (int pid : pids) a->paused.emplace_back(host.name, pid);
  } else if (process != "postgres") {
    a->killed.emplace_back(host.name, process);
    for (int pid : pids) a->signalled.emplace_back(host.name, pid);
  }
}

// Waits (bounded) for the signalled daemons to exit, then starts them again.
Status RestartKilled(FaultEnv& env, ActiveFault& a) {
  Status result;
  Deadline gone(env.clock, std::chrono::seconds(15));
  for (const auto& [host_name, pid] : a.signalled) {
    const HostPlan* host = env.plan.Find(host_name);
    while (host && !gone.Expired() && Alive(env.provider.Shell().Processes(*host), pid))
      env.clock.SleepFor(std::chrono::milliseconds(50));
  }
  for (const auto& [host_name, kind] : a.killed) {
    const HostPlan* host = env.plan.Find(host_name);
    if (!host) continue;
    if (!PidsOf(env, *host, kind).empty()) {
      result = Failed(fmt::format("{} on {} did not exit within 15 s of the signal; not restarted", kind, host_name));
      continue;
    }
    if (Status s = env.restart(*host, kind); !s.ok()) result = s;
  }
  return result;
}

}  // namespace

Result<std::string> InjectProcessFault(FaultEnv& env, const ResolvedFault& f, ActiveFault* a) {
  const int sig = f.spec.kind == FaultKind::kKill ? SIGKILL : f.spec.kind == FaultKind::kStop ? SIGTERM : SIGSTOP;
  const char* signame = sig == SIGKILL ? "SIGKILL" : sig == SIGTERM ? "SIGTERM" : "SIGSTOP";
  std::string detail;
  for (const auto& host_name : f.hosts) {
    const HostPlan* host = env.plan.Find(host_name);
    if (!host) return Failed("unknown host " + host_name);
    for (const auto& process : f.spec.processes) {
      if (process == "host") {
        if (Status s = FreezeHost(env, *host, a, &detail); !s.ok()) return s;
        continue;
      }
      SignalProcess(env, *host, process, sig, signame, a, &detail);
    }
  }
  return detail;
}

Status HealProcessFault(FaultEnv& env, ActiveFault& a) {
  Status result;
  for (const auto& [host_name, pid] : a.paused)
    if (const HostPlan* host = env.plan.Find(host_name)) env.provider.Shell().Signal(*host, pid, SIGCONT);
  for (const auto& [host_name, pids] : a.frozen)
    if (const HostPlan* host = env.plan.Find(host_name))
      if (Status s = env.provider.Shell().Thaw(*host, pids); !s.ok()) result = s;
  a.paused.clear();
  a.frozen.clear();
  if (!a.killed.empty())
    if (Status s = RestartKilled(env, a); !s.ok()) result = s;
  a.killed.clear();
  a.signalled.clear();
  return result;
}

}  // namespace pgha
