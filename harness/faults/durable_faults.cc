#include "faults/durable_faults.h"

#include <fmt/format.h>
#include <signal.h>

#include <algorithm>

#include "cluster/service_control.h"
#include "core/text.h"
#include "durablefs/control_client.h"
#include "services/registry.h"

namespace pgha {
namespace {

// The durable file system's pids on the host: a power cut spares the "disk".
std::vector<int> DiskPids(FaultEnv& env, const HostPlan& h) {
  return LiveDaemonPids(env.manifest, DurableFsDaemon(h), env.provider.Shell(), h);
}

std::vector<int> OtherPids(FaultEnv& env, const HostPlan& h, const std::vector<int>& spare) {
  std::vector<int> out;
  for (const auto& p : env.provider.Shell().Processes(h))
    if (p.state != 'Z' && std::find(spare.begin(), spare.end(), p.pid) == spare.end()) out.push_back(p.pid);
  return out;
}

// Every service of the host started again, the DCS first.
Status PowerOn(FaultEnv& env, const std::string& name) {
  const HostPlan* h = env.plan.Find(name);
  if (!h) return Status::Ok();
  Status result;
  for (const Service* s : AllServices())
    if (h->Runs(s->Kind()) && !env.provider.Services().Running(*h, s->Kind(), env.manifest))
      if (Status st = env.restart(*h, s->Kind()); !st.ok() && result.ok()) result = st;
  return result;
}

// Everything on the hosts but their disks stopped at once (each host frozen
// in one pass), then SIGKILLed; waits (5 s) until it is gone.
Status KillHosts(FaultEnv& env, const std::vector<const HostPlan*>& hosts, std::string* detail) {
  std::map<std::string, std::vector<int>> spare;
  for (const HostPlan* h : hosts) spare[h->name] = DiskPids(env, *h);
  const TimePoint first = env.clock.Now();
  size_t stopped = 0;
  for (const HostPlan* h : hosts) {
    auto frozen = env.provider.Shell().Freeze(*h, spare[h->name]);
    if (!frozen.ok()) return frozen.status().WithContext("stopping " + h->name);
    stopped += frozen->size();
  }
  const double spread_ms = std::chrono::duration<double, std::milli>(env.clock.Now() - first).count();
  Deadline deadline(env.clock, std::chrono::seconds(5));
  for (const HostPlan* h : hosts)
    for (auto left = OtherPids(env, *h, spare[h->name]); !left.empty(); left = OtherPids(env, *h, spare[h->name])) {
      if (deadline.Expired()) return Failed(fmt::format("processes of {} outlived SIGKILL by 5 s", h->name));
      for (int pid : left) env.provider.Shell().Signal(*h, pid, SIGKILL);
      env.clock.SleepFor(std::chrono::milliseconds(10));
    }
  std::vector<std::string> names;
  for (const HostPlan* h : hosts) names.push_back(h->name);
  *detail += fmt::format("power cut on {} ({} processes stopped within {:.1f} ms, then SIGKILLed); ", Join(names),
                         stopped, spread_ms);
  return Status::Ok();
}

}  // namespace

Result<std::map<std::string, std::string>> DurableControl(const HostPlan& h, const ControlRequest& r) {
  auto reply = SendControl(DurableFsControl(h), r);
  if (!reply.ok()) return reply.status().WithContext("the durable file system of " + h.name);
  return reply;
}

double StatNumber(const std::map<std::string, std::string>& stats, const std::string& key) {
  auto it = stats.find(key);
  if (it == stats.end()) return 0;
  try {
    return std::stod(it->second);
  } catch (...) {
    return 0;
  }
}

std::string FsyncFigures(const std::map<std::string, std::string>& stats) {
  return fmt::format("fsync p50 {:.2f} ms, p99 {:.2f} ms ({:.0f} fsyncs)", StatNumber(stats, "fsync_p50_us") / 1000,
                     StatNumber(stats, "fsync_p99_us") / 1000, StatNumber(stats, "fsync_samples"));
}

std::string DurableFault::Misfit(const Topology& t, const FaultSpec& f, const std::vector<const HostSpec*>& c) const {
  if (c.empty() ||
      std::any_of(c.begin(), c.end(), [](const HostSpec* h) { return h->Runs("patroni") || h->Runs("etcd"); }))
    return "";
  return fmt::format("{} acts on a host's data, and {} runs neither PostgreSQL nor etcd in topology {}", Name(),
                     f.target.ToString(), t.name);
}

std::string DurableFault::WhyNot(FaultEnv& env, const ResolvedFault& f) const {
  if (std::string why = FaultType::WhyNot(env, f); !why.empty()) return why;
  if (!env.provider.RunsLocalPrograms())
    return fmt::format(
        "{} needs the durable file system under the hosts' data, which only a provider whose hosts "
        "run on this machine mounts (netns)",
        Name());
  for (const auto& name : f.hosts)
    if (env.plan.Find(name)->data_fs.empty())
      return fmt::format("{} has no durable file system under its data (it holds no PostgreSQL or etcd data)", name);
  return "";
}

Injection PowerCutFault::Inject(FaultEnv& env, const ResolvedFault& f) const {
  Injection in;
  std::vector<const HostPlan*> hosts;
  for (const auto& name : f.hosts) {
    hosts.push_back(env.plan.Find(name));
    in.undo.Add([name](FaultEnv& e) { return PowerOn(e, name); });
  }
  if (env.dry_run) {
    in.detail = fmt::format("would cut the power of {}{}", Join(f.hosts), tear_ ? ", tearing the last write" : "");
    return in;
  }
  std::map<std::string, std::string> before;
  for (const HostPlan* h : hosts)
    if (auto s = DurableControl(*h, {"mark", {}}); s.ok()) before[h->name] = FsyncFigures(*s);
  if (in.status = KillHosts(env, hosts, &in.detail); !in.status.ok()) return in;
  for (const HostPlan* h : hosts) {
    auto cut = DurableControl(*h, ControlRequest{"cut", tear_ ? std::map<std::string, std::string>{{"tear", "1"}}
                                                              : std::map<std::string, std::string>{}});
    if (!cut.ok()) return (in.status = cut.status(), in);
    std::string what = fmt::format("{} lost {:.0f} bytes of unsynced data in {:.0f} files", h->name,
                                   StatNumber(*cut, "dropped_bytes"), StatNumber(*cut, "dropped_files"));
    if (tear_)
      what += StatNumber(*cut, "torn_bytes") > 0
                  ? fmt::format(", the last write torn: {:.0f} of its {:.0f} bytes reached the disk",
                                StatNumber(*cut, "torn_bytes"), StatNumber(*cut, "torn_write_bytes"))
                  : ", no write to tear (the last one was synced, or within one sector)";
    what += "; before: " + before[h->name];
    in.detail += what + "; ";
    if (env.remark) env.remark({"note", f.spec.id, h->name, "", what});
  }
  return in;
}

// The host's network stays up (connections to it are refused at once), as
// after a kill of Patroni and PostgreSQL: the leader key expires.
std::optional<FailureClass> PowerCutFault::Predicts(const FaultSpec& f) const {
  if (f.target.kind == TargetKind::kPrimary) return FailureClass::kProcessKill;
  return std::nullopt;
}

}  // namespace pgha
