#include "run/cluster_view.h"

#include <algorithm>

#include "core/text.h"

namespace pgha {
namespace {

std::vector<std::string> HostsRunning(const ClusterPlan& plan, const std::string& kind) {
  std::vector<std::string> out;
  for (const auto* h : plan.HostsRunning(kind)) out.push_back(h->name);
  return out;
}

}  // namespace

Result<std::vector<std::string>> TargetHosts(const TargetSpec& t, const ClusterPlan& plan, const ClusterView& view,
                                             std::mt19937_64& rng) {
  if (t.kind == TargetKind::kHost) return std::vector<std::string>{t.host};
  if (t.kind == TargetKind::kAll) return HostsRunning(plan, "patroni");
  if (t.kind == TargetKind::kVipHolder) {
    if (!view.vip_holders) return Unavailable("nobody looked at which host holds the VIP");
    if (view.vip_holders->size() != 1)
      return Unavailable(view.vip_holders->empty() ? "no host holds the VIP"
                                                   : "several hosts hold the VIP: " + Join(*view.vip_holders));
    return *view.vip_holders;
  }
  if (t.kind == TargetKind::kEtcdLeader) {
    if (!view.etcd_leader) return Unavailable("no etcd member says it is the leader");
    return std::vector<std::string>{*view.etcd_leader};
  }
  if (!view.members) return Unavailable("no Patroni member answers, so the target cannot be resolved");
  if (t.kind == TargetKind::kPrimary) {
    if (view.leader.empty()) return Unavailable("the cluster has no primary right now");
    return std::vector<std::string>{view.leader};
  }
  if (t.kind == TargetKind::kReplicas) {
    if (view.leader.empty()) return Unavailable("the cluster has no primary right now, so \"replicas\" means nothing");
    std::vector<std::string> others;
    for (const auto& h : HostsRunning(plan, "patroni"))
      if (h != view.leader) others.push_back(h);
    return others;
  }
  std::vector<std::string> candidates;
  for (const auto& m : *view.members)
    if (!m.IsLeader() && m.IsRunning() && (t.kind != TargetKind::kSyncStandby || m.role == "sync_standby"))
      candidates.push_back(m.name);
  if (candidates.empty())
    return Unavailable(t.kind == TargetKind::kSyncStandby ? "no member is a sync standby" : "no running replica");
  std::sort(candidates.begin(), candidates.end());
  return std::vector<std::string>{candidates[rng() % candidates.size()]};
}

std::vector<std::string> GuessTargetHosts(const TargetSpec& t, const ClusterPlan& plan) {
  const std::vector<std::string> patroni = HostsRunning(plan, "patroni");
  auto first = [&](const std::string& kind) {
    const auto hosts = HostsRunning(plan, kind);
    return hosts.empty() ? std::vector<std::string>{} : std::vector<std::string>{hosts.front()};
  };
  switch (t.kind) {
    case TargetKind::kHost: return {t.host};
    case TargetKind::kAll: return patroni;
    case TargetKind::kEtcdLeader: return first("etcd");
    case TargetKind::kVipHolder: return first("keepalived");
    case TargetKind::kPrimary: return first("patroni");
    case TargetKind::kReplicas:
      return patroni.size() > 1 ? std::vector<std::string>(patroni.begin() + 1, patroni.end())
                                : std::vector<std::string>{};
    default: return patroni.size() > 1 ? std::vector<std::string>{patroni.back()} : std::vector<std::string>{};
  }
}

}  // namespace pgha
