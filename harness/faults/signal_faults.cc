#include "faults/signal_faults.h"

#include <fmt/format.h>
#include <signal.h>

#include <algorithm>

#include "cluster/service_control.h"
#include "core/text.h"
#include "services/registry.h"

namespace pgha {
namespace {

std::string PidList(const std::vector<int>& pids) {
  std::vector<std::string> s;
  for (int pid : pids) s.push_back(std::to_string(pid));
  return Join(s, " ");
}

const char* SignalName(int sig) { return sig == SIGKILL ? "SIGKILL" : sig == SIGTERM ? "SIGTERM" : "SIGSTOP"; }

bool KnownProcess(const std::string& name) {
  return name == "postgres" || name == "host" || FindService(name) != nullptr;
}

// SIGSTOP of a whole host: everything on it stops at once, but the
// emulated watchdog, which stands for hardware that a frozen OS cannot stop.
Status FreezeHost(FaultEnv& env, const HostPlan& host, Injection* in) {
  auto frozen = env.provider.Shell().Freeze(host, env.provider.Services().Pids(host, "watchdog", env.manifest));
  if (!frozen.ok()) return frozen.status().WithContext("freezing " + host.name);
  in->detail += fmt::format("froze host {} (pids {}); ", host.name, PidList(*frozen));
  const std::string name = host.name;
  const std::vector<int> pids = *frozen;
  in->undo.Add([name, pids](FaultEnv& e) {
    const HostPlan* h = e.plan.Find(name);
    return h ? e.provider.Shell().Thaw(*h, pids) : Status::Ok();
  });
  return Status::Ok();
}

// Waits (bounded) for the signalled daemon to exit, then starts it again.
Status RestartKilled(FaultEnv& env, const std::string& host_name, const std::string& kind) {
  const HostPlan* host = env.plan.Find(host_name);
  if (!host) return Status::Ok();
  Deadline gone(env.clock, std::chrono::seconds(15));
  while (!gone.Expired() && env.provider.Services().Running(*host, kind, env.manifest))
    env.clock.SleepFor(std::chrono::milliseconds(50));
  if (env.provider.Services().Running(*host, kind, env.manifest))
    return Failed(fmt::format("{} on {} did not exit within 15 s of the signal; not restarted", kind, host_name));
  return env.restart(*host, kind);
}

void SignalProcess(FaultEnv& env, const HostPlan& host, const std::string& process, int sig,
                   std::vector<std::pair<std::string, std::string>>* killed, Injection* in) {
  const Service* s = FindService(process);
  auto pids = env.provider.Services().Signal(host, process, sig, s && s->SignalsChildren(), env.manifest);
  if (!pids.ok()) {
    in->detail += fmt::format("{} {} on {} failed: {}; ", SignalName(sig), process, host.name, pids.status().message());
    return;
  }
  if (pids->empty()) {
    in->detail += fmt::format("{} {} on {}: not running; ", SignalName(sig), process, host.name);
    return;
  }
  in->detail += fmt::format("{} {} on {} (pids {}); ", SignalName(sig), process, host.name, PidList(*pids));
  if (sig == SIGSTOP) {
    const std::string name = host.name;
    in->undo.Add([name, process](FaultEnv& e) {
      const HostPlan* h = e.plan.Find(name);
      const Service* svc = FindService(process);
      if (h) e.provider.Services().Signal(*h, process, SIGCONT, svc && svc->SignalsChildren(), e.manifest);
      return Status::Ok();
    });
  } else if (process != "postgres") {  // Patroni brings PostgreSQL back itself
    killed->emplace_back(host.name, process);
  }
}

int Tier(const std::string& kind) {
  const Service* s = FindService(kind);
  return s ? static_cast<int>(s->Tier()) : 0;
}

}  // namespace

std::string ProcessParams::Describe() const { return Join(processes, "+"); }

std::shared_ptr<const FaultParams> ReadProcesses(FaultReadContext& r, const std::string& kind, bool whole_host) {
  auto p = std::make_shared<ProcessParams>();
  r.map.Require("processes");
  auto node = r.map.Node("processes");
  if (!node) return p;
  r.map.StringList("processes", &p->processes);
  if (p->processes.empty())
    r.map.ErrorAt(*node, "processes is empty: name what to signal, e.g. [patroni, postgres] or [host]");
  const auto kinds = r.topology.Kinds();
  for (const auto& name : p->processes)
    if (!KnownProcess(name))
      r.map.ErrorAt(*node, fmt::format("unknown process \"{}\"; use {}, postgres (or host, to pause a whole host)",
                                       name, ServiceKindList()));
    else if (name == "host" && !whole_host)
      r.map.ErrorAt(*node, fmt::format("a whole host can only be paused, not {}; use isolate to cut it off", kind));
    else if (name != "host" && !kinds.count(name == "postgres" ? "patroni" : name))
      r.lacks(*node, fmt::format("topology {} runs no {}", r.topology.name, name));
  return p;
}

std::string ProcessMisfit(const Topology& t, const FaultSpec& f, const std::vector<const HostSpec*>& candidates) {
  const auto* p = ParamsOf<ProcessParams>(f);
  return p ? ProcessesMisfit(p->processes, t, f, candidates) : "";
}

Injection SignalProcesses(FaultEnv& env, const ResolvedFault& f, int sig) {
  Injection in;
  const auto* p = ParamsOf<ProcessParams>(f.spec);
  std::vector<std::pair<std::string, std::string>> killed;  // host, service kind: restarted on heal
  for (const auto& host_name : f.hosts) {
    const HostPlan* host = env.plan.Find(host_name);
    if (!host) {
      in.status = Failed("unknown host " + host_name);
      break;
    }
    for (const auto& process : p ? p->processes : std::vector<std::string>{}) {
      if (process != "host") {
        SignalProcess(env, *host, process, sig, &killed, &in);
      } else if (Status s = FreezeHost(env, *host, &in); !s.ok()) {
        in.status = s;
        break;
      }
    }
  }
  if (!killed.empty())
    in.undo.Add([killed](FaultEnv& e) {
      auto order = killed;  // the DCS first: what is above it waits for its leader
      std::stable_sort(order.begin(), order.end(),
                       [](const auto& x, const auto& y) { return Tier(x.second) < Tier(y.second); });
      Status result;
      for (const auto& [host, kind] : order)
        if (Status s = RestartKilled(e, host, kind); !s.ok()) result = s;
      return result;
    });
  return in;
}

bool OnPrimary(const FaultSpec& f, const std::string& process) {
  const auto* p = ParamsOf<ProcessParams>(f);
  return f.target.kind == TargetKind::kPrimary && p &&
         std::find(p->processes.begin(), p->processes.end(), process) != p->processes.end();
}

}  // namespace pgha
