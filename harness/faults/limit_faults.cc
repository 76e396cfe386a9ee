#include "faults/limit_faults.h"

#include <fmt/format.h>

#include <algorithm>

#include "cluster/service_control.h"
#include "core/text.h"
#include "services/registry.h"

namespace pgha {
namespace {

std::string MiB(uint64_t bytes) { return fmt::format("{:.0f} MiB", static_cast<double>(bytes) / (1 << 20)); }

// The pids a limit holds on a host: the named services' (postgres: the
// postmaster and its children), or every process but the emulated watchdog.
std::vector<int> LimitedPids(FaultEnv& env, const HostPlan& host, const std::vector<std::string>& processes) {
  std::vector<int> pids;
  for (const auto& name : processes) {
    if (name == "host") {
      const auto spare = env.provider.Services().Pids(host, "watchdog", env.manifest);
      for (const auto& p : env.provider.Shell().Processes(host))
        if (!std::count(spare.begin(), spare.end(), p.pid)) pids.push_back(p.pid);
      continue;
    }
    for (int pid : env.provider.Services().Pids(host, name, env.manifest)) pids.push_back(pid);
  }
  return pids;
}

// The limit on one host: block I/O on its data volume.
ResourceLimit OnHost(const ResourceLimit& limit, const HostPlan& host) {
  ResourceLimit l = limit;
  if (l.io()) l.io_path = DataVolumeDir(host);
  return l;
}

}  // namespace

std::string LimitParams::Describe() const {
  std::vector<std::string> parts;
  if (limit.cpu_cores > 0) parts.push_back(fmt::format("cpu {:g}%", limit.cpu_cores * 100));
  if (limit.memory_bytes > 0) parts.push_back("memory " + MiB(limit.memory_bytes));
  if (limit.io_bytes_per_s > 0) parts.push_back(fmt::format("io {} KiB/s", limit.io_bytes_per_s / 1024));
  if (limit.io_ops_per_s > 0) parts.push_back(fmt::format("io {} ops/s", limit.io_ops_per_s));
  return Join(processes, "+") + " " + Join(parts, " ");
}

void ReadLimitedProcesses(FaultReadContext& r, LimitParams* p) {
  p->processes = {"host"};
  auto node = r.map.Node("processes");
  if (!node) return;
  r.map.StringList("processes", &p->processes);
  if (p->processes.empty()) r.map.ErrorAt(*node, "processes is empty: name what to limit, e.g. [patroni], or [host]");
  const auto kinds = r.topology.Kinds();
  for (const auto& name : p->processes)
    if (name != "host" && name != "postgres" && !FindService(name))
      r.map.ErrorAt(*node, fmt::format("unknown process \"{}\"; use {}, postgres, or host (every process of it)", name,
                                       ServiceKindList()));
    else if (name != "host" && !kinds.count(name == "postgres" ? "patroni" : name))
      r.lacks(*node, fmt::format("topology {} runs no {}", r.topology.name, name));
}

std::string LimitFault::Misfit(const Topology& t, const FaultSpec& f,
                               const std::vector<const HostSpec*>& candidates) const {
  const auto* p = ParamsOf<LimitParams>(f);
  return p ? ProcessesMisfit(p->processes, t, f, candidates) : "";
}

std::string LimitFault::WhyNot(FaultEnv& env, const ResolvedFault& f) const {
  const auto* p = ParamsOf<LimitParams>(f.spec);
  for (const auto& name : f.hosts) {
    const HostPlan* host = env.plan.Find(name);
    if (!host) return "unknown host " + name;
    if (p)
      if (std::string why = env.provider.Resources().WhyNoLimit(*host, OnHost(p->limit, *host)); !why.empty())
        return why;
  }
  return "";
}

std::string DescribeUsage(const ResourceLimit& limit, const LimitUsage& u) {
  std::vector<std::string> parts;
  if (limit.cpu_cores > 0)
    parts.push_back(fmt::format("used {:.2f} s of CPU; throttled in {} of {} periods, waiting {:.1f} s in all",
                                u.cpu_seconds, u.throttled_periods, u.periods, u.throttled_s));
  if (limit.memory_bytes > 0)
    parts.push_back(fmt::format(
        "charged at most {} of the {} allowed; met the limit {} times (reclaim); {}", MiB(u.memory_peak_bytes),
        MiB(limit.memory_bytes), u.memory_limit_hits,
        u.oom_kills > 0 ? fmt::format("OOM-killed {} processes", u.oom_kills) : std::string("no OOM kill")));
  if (limit.io())
    parts.push_back(fmt::format("read and wrote {:.1f} MiB through the throttle", u.io_bytes / 1048576.0));
  return Join(parts, "; ");
}

Injection LimitFault::Inject(FaultEnv& env, const ResolvedFault& f) const {
  const auto* p = ParamsOf<LimitParams>(f.spec);
  if (!p) return {Failed("no limit read for " + f.spec.id), "", {}, {}};
  return ForEachHost(env, f, [&](const HostPlan& host, Injection* in) {
    const auto pids = LimitedPids(env, host, p->processes);
    if (pids.empty()) {
      in->detail += fmt::format("{} on {}: not running; ", Join(p->processes, "+"), host.name);
      return Status::Ok();
    }
    const std::string label = fmt::format("{}-{}", f.spec.id, host.name);
    auto id = env.provider.Resources().Limit(host, pids, OnHost(p->limit, host), label, env.manifest);
    if (!id.ok()) return id.status();
    in->detail += fmt::format("{} on {} ({} processes); ", p->Describe(), host.name, pids.size());
    const ResourceLimit limit = p->limit;
    const std::string fault_id = f.spec.id, host_name = host.name, process = Join(p->processes, "+");
    const size_t limit_id = *id;
    in->undo.Add([=](FaultEnv& e) {
      auto usage = e.provider.Resources().Usage(limit_id, e.manifest);
      if (usage.ok() && e.remark) e.remark({"note", fault_id, host_name, process, DescribeUsage(limit, *usage)});
      return e.provider.Resources().Unlimit(limit_id, e.manifest);
    });
    return Status::Ok();
  });
}

}  // namespace pgha
