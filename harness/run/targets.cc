// Resolving a step's target to host names when the step runs.
#include <algorithm>

#include "core/text.h"
#include "run/steps.h"
#include "services/etcd.h"
#include "services/registry.h"

namespace pgha {
namespace {

std::vector<std::string> PatroniHosts(StepContext& c) {
  std::vector<std::string> all;
  for (const auto* n : c.session.plan().HostsRunning("patroni")) all.push_back(n->name);
  return all;
}

}  // namespace

Result<std::vector<std::string>> ResolveTarget(StepContext& c, const TargetSpec& t) {
  if (t.kind == TargetKind::kHost) return std::vector<std::string>{t.host};
  if (t.kind == TargetKind::kAll) return PatroniHosts(c);
  if (t.kind == TargetKind::kVipHolder) {
    const Service* keepalived = FindService("keepalived");
    const ProbeContext probe = c.session.probe(std::chrono::milliseconds(500));
    std::vector<std::string> holders;
    for (const auto* h : c.session.plan().HostsRunning("keepalived"))
      if (keepalived->Probe(probe, *h).healthy) holders.push_back(h->name);
    if (holders.size() != 1)
      return Unavailable(holders.empty() ? "no host holds the VIP" : "several hosts hold the VIP: " + Join(holders));
    return holders;
  }
  if (t.kind == TargetKind::kEtcdLeader) {
    auto leader = EtcdLeaderHost(c.session.probe(std::chrono::milliseconds(500)));
    if (!leader) return Unavailable("no etcd member says it is the leader");
    return std::vector<std::string>{*leader};
  }
  ObserverSample s = c.session.observer().SampleNow();
  if (!s.reachable) return Unavailable("no Patroni member answers, so the target cannot be resolved");
  if (t.kind == TargetKind::kPrimary) {
    if (s.leader.empty()) return Unavailable("the cluster has no primary right now");
    return std::vector<std::string>{s.leader};
  }
  if (t.kind == TargetKind::kReplicas) {
    if (s.leader.empty()) return Unavailable("the cluster has no primary right now, so \"replicas\" means nothing");
    std::vector<std::string> others;
    for (const auto& h : PatroniHosts(c))
      if (h != s.leader) others.push_back(h);
    return others;
  }
  std::vector<std::string> candidates;
  for (const auto& m : s.members)
    if (!m.IsLeader() && m.IsRunning() && (t.kind != TargetKind::kSyncStandby || m.role == "sync_standby"))
      candidates.push_back(m.name);
  if (candidates.empty())
    return Unavailable(t.kind == TargetKind::kSyncStandby ? "no member is a sync standby" : "no running replica");
  std::sort(candidates.begin(), candidates.end());
  return std::vector<std::string>{candidates[c.rng() % candidates.size()]};
}

void JournalVipHolder(StepContext& c, const std::string& when) {
  if (c.session.plan().HostsRunning("keepalived").empty()) return;
  TargetSpec holder;
  holder.kind = TargetKind::kVipHolder;
  auto hosts = ResolveTarget(c, holder);
  c.Journal(JournalAction::kVip, "", "vip", hosts.ok() ? (*hosts)[0] : "",
            when + (hosts.ok() ? "" : ": " + hosts.status().message()));
}

}  // namespace pgha
