// Resolving a step's target to host names when the step runs: a fresh
// look at what the target needs, then the shared resolver (cluster_view.h).
#include <algorithm>

#include "core/text.h"
#include "run/cluster_view.h"
#include "run/steps.h"
#include "services/etcd.h"
#include "services/registry.h"

namespace pgha {
namespace {

ClusterView LookFor(StepContext& c, TargetKind kind) {
  ClusterView view;
  if (kind == TargetKind::kHost || kind == TargetKind::kAll) return view;
  const ProbeContext probe = c.session.probe(std::chrono::milliseconds(500));
  if (kind == TargetKind::kVipHolder) {
    const Service* keepalived = FindService("keepalived");
    view.vip_holders.emplace();
    for (const auto* h : c.session.plan().HostsRunning("keepalived"))
      if (keepalived->Probe(probe, *h).healthy) view.vip_holders->push_back(h->name);
    return view;
  }
  if (kind == TargetKind::kEtcdLeader) {
    view.etcd_leader = EtcdLeaderHost(probe);
    return view;
  }
  ObserverSample s = c.session.observer().SampleNow();
  if (s.reachable) view.members = s.members;
  view.leader = s.leader;
  return view;
}

}  // namespace

Result<std::vector<std::string>> ResolveTarget(StepContext& c, const TargetSpec& t) {
  return TargetHosts(t, c.session.plan(), LookFor(c, t.kind), c.rng);
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
