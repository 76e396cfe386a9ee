// kill, stop and pause: signals to a host's processes, through HostShell.
#include <fmt/format.h>
#include <signal.h>

#include <algorithm>

#include "cluster/service_control.h"
#include "core/text.h"
#include "faults/fault_injector.h"
#include "services/registry.h"

namespace pgha {
namespace {

std::string PidList(const std::vector<int>& pids) {
  std::vector<std::string> s;
  for (int pid : pids) s.push_back(std::to_string(pid));
  return Join(s, " ");
}

// SIGSTOP of a whole host: everything on it stops at once, but the
// emulated watchdog, which stands for hardware that a frozen OS cannot stop.
Status FreezeHost(FaultEnv& env, const HostPlan& host, ActiveFault* a, std::string* detail) {
  auto frozen = env.provider.Shell().Freeze(host, env.provider.Services().Pids(host, "watchdog", env.manifest));
  if (!frozen.ok()) return frozen.status().WithContext("freezing " + host.name);
  a->frozen.emplace_back(host.name, *frozen);
  *detail += fmt::format("froze host {} (pids {}); ", host.name, PidList(*frozen));
  return Status::Ok();
}

void SignalProcess(FaultEnv& env, const HostPlan& host, const std::string& process, int sig, const char* signame,
                   ActiveFault* a, std::string* detail) {
  const Service* s = FindService(process);
  auto pids = env.provider.Services().Signal(host, process, sig, s && s->SignalsChildren(), env.manifest);
  if (!pids.ok()) {
    *detail += fmt::format("{} {} on {} failed: {}; ", signame, process, host.name, pids.status().message());
    return;
  }
  if (pids->empty()) {
    *detail += fmt::format("{} {} on {}: not running; ", signame, process, host.name);
    return;
  }
  *detail += fmt::format("{} {} on {} (pids {}); ", signame, process, host.name, PidList(*pids));
  if (sig == SIGSTOP) {
    a->paused.emplace_back(host.name, process);
  } else if (process != "postgres") {
    a->killed.emplace_back(host.name, process);
  }
}

// Waits (bounded) for the signalled daemons to exit, then starts them again.
Status RestartKilled(FaultEnv& env, ActiveFault& a) {
  Status result;
  Deadline gone(env.clock, std::chrono::seconds(15));
  for (const auto& [host_name, kind] : a.killed) {
    const HostPlan* host = env.plan.Find(host_name);
    while (host && !gone.Expired() && env.provider.Services().Running(*host, kind, env.manifest))
      env.clock.SleepFor(std::chrono::milliseconds(50));
  }
  // The DCS first: what is above it waits for its leader (FaultEnv::restart).
  auto tier = [](const std::string& kind) {
    const Service* s = FindService(kind);
    return s ? static_cast<int>(s->Tier()) : 0;
  };
  std::stable_sort(a.killed.begin(), a.killed.end(),
                   [&](const auto& x, const auto& y) { return tier(x.second) < tier(y.second); });
  for (const auto& [host_name, kind] : a.killed) {
    const HostPlan* host = env.plan.Find(host_name);
    if (!host) continue;
    if (env.provider.Services().Running(*host, kind, env.manifest)) {
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
  for (const auto& [host_name, kind] : a.paused)
    if (const HostPlan* host = env.plan.Find(host_name)) {
      const Service* s = FindService(kind);
      env.provider.Services().Signal(*host, kind, SIGCONT, s && s->SignalsChildren(), env.manifest);
    }
  for (const auto& [host_name, pids] : a.frozen)
    if (const HostPlan* host = env.plan.Find(host_name))
      if (Status s = env.provider.Shell().Thaw(*host, pids); !s.ok()) result = s;
  a.paused.clear();
  a.frozen.clear();
  if (!a.killed.empty())
    if (Status s = RestartKilled(env, a); !s.ok()) result = s;
  a.killed.clear();
  return result;
}

}  // namespace pgha
