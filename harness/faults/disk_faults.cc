// disk_loss and disk_full: a host's data directory removed, or its data
// volume filled, through HostFiles.
#include <fmt/format.h>

#include "faults/fault_injector.h"
#include "services/targets.h"

namespace pgha {

std::string CheckDiskFault(FaultEnv& env, const ResolvedFault& f) {
  if (f.spec.kind != FaultKind::kDiskFull) return "";
  for (const auto& host : f.hosts) {
    const HostPlan* h = env.plan.Find(host);
    if (!h || (h->data_volume == 0 && h->data_dir.empty()))
      return host + " has no data volume of a set size (add data_volume to the scenario)";
  }
  return "";
}

Result<std::string> InjectDiskFault(FaultEnv& env, const ResolvedFault& f, ActiveFault* a) {
  std::string detail;
  for (const auto& host_name : f.hosts) {
    const HostPlan* host = env.plan.Find(host_name);
    if (!host) return Failed("unknown host " + host_name);
    if (f.spec.kind == FaultKind::kDiskLoss) {
      a->reinitialize.push_back(host_name);
      auto removed = env.provider.Files().RemoveTree(*host, PostgresDataDir(*host));
      if (!removed.ok()) return removed.status().WithContext("removing the data directory of " + host_name);
      detail += fmt::format("removed {} files of {}'s data directory; ", *removed, host_name);
    } else {
      const std::string ballast = DataVolumeDir(*host) + "/pgha-ballast";
      a->ballast.emplace_back(host_name, ballast);
      auto filled = env.provider.Files().FillFilesystem(*host, ballast, env.manifest);
      if (!filled.ok()) return filled.status();
      detail += fmt::format("filled {}'s data volume with {} MiB; ", host_name, *filled / (1024 * 1024));
    }
  }
  return detail;
}

Status HealDiskFault(FaultEnv& env, ActiveFault& a) {
  Status result;
  for (const auto& [host_name, file] : a.ballast)
    if (const HostPlan* host = env.plan.Find(host_name))
      if (Status s = env.provider.Files().RemoveFile(*host, file); !s.ok()) result = s;
  for (const auto& host_name : a.reinitialize) {
    const HostPlan* host = env.plan.Find(host_name);
    if (!host) continue;
    auto r = env.http.Request("POST", PatroniApi(env.plan, *host), "/reinitialize", R"({"force": true})",
                              std::chrono::seconds(5));
    if (!r.ok() || r->status >= 300) result = Failed("Patroni refused to reinitialize " + host_name);
  }
  a.ballast.clear();
  a.reinitialize.clear();
  return result;
}

}  // namespace pgha
