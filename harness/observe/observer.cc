#include "observe/observer.h"

#include "core/cancel.h"
#include "services/registry.h"
#include "services/targets.h"

namespace pgha {

void Observer::Start() { thread_ = std::thread(&Observer::Loop, this); }

void Observer::Stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

// The router hosts behind the read-write endpoint: its host, or every
// host the VIP may be on (the first that answers speaks for them).
void Observer::SampleRouter(ObserverSample* s) {
  const EndpointPlan* e = probe_.plan.Endpoint(EndpointRole::kReadWrite);
  const Service* router = e ? FindService(e->service) : nullptr;
  if (!router || router->Tier() != ServiceTier::kRouter || router->EndpointPorts().empty()) return;
  std::vector<const HostPlan*> hosts;
  if (e->via == EndpointVia::kVip)
    hosts = probe_.plan.HostsRunning("keepalived");
  else if (e->via == EndpointVia::kHost && !e->servers.empty())
    if (const HostPlan* h = probe_.plan.Find(e->servers[0].host)) hosts.push_back(h);
  for (const HostPlan* host : hosts) {
    const ServiceCheck c = router->Probe(probe_, *host);
    if (!c.answered) continue;
    s->router_reachable = true;
    for (const auto& b : c.backends)
      if (b.role == EndpointRole::kReadWrite && b.up) s->router_write_targets.push_back(b.server);
    return;
  }
}

ObserverSample Observer::SampleNow() {
  ObserverSample s;
  const auto nodes = probe_.plan.HostsRunning("patroni");
  for (size_t i = 0; i < nodes.size() && !s.reachable; ++i) {
    const size_t n = (preferred_.load() + i) % nodes.size();
    auto r = probe_.http.Get(PatroniApi(probe_.plan, *nodes[n]), "/cluster", probe_.call_timeout);
    if (!r.ok() || r->status != 200) continue;
    auto members = ParsePatroniCluster(r->body);
    if (!members.ok()) continue;
    s.reachable = true;
    s.paused = ParsePatroniPaused(r->body);
    s.members = *members;
    for (const auto& m : s.members)
      if (m.IsLeader()) s.leader = m.name;
    preferred_.store(n);
  }
  SampleRouter(&s);
  s.t_ns = rec_.NowNs();
  return s;
}

void Observer::Loop() {
  TimePoint next = clock_.Now();
  while (!stop_.load() && !CancelRequested()) {
    rec_.AddSample(SampleNow());
    next += interval_;
    while (!stop_.load() && !CancelRequested() && clock_.Now() < next) clock_.SleepFor(std::chrono::milliseconds(10));
  }
}

}  // namespace pgha
