#include "observe/observer.h"

#include "core/cancel.h"

namespace pgha {

void Observer::Start() { thread_ = std::thread(&Observer::Loop, this); }

void Observer::Stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

ObserverSample Observer::SampleNow() {
  ObserverSample s;
  const auto nodes = plan_.PatroniNodes();
  for (size_t i = 0; i < nodes.size() && !s.reachable; ++i) {
    const size_t n = (preferred_.load() + i) % nodes.size();
    auto r = http_.Get(nodes[n]->address, kPatroniPort, "/cluster", call_timeout_);
    if (!r.ok() || r->status != 200) continue;
    auto members = ParsePatroniCluster(r->body);
    if (!members.ok()) continue;
    s.reachable = true;
    s.members = *members;
    for (const auto& m : s.members)
      if (m.IsLeader()) s.leader = m.name;
    preferred_.store(n);
  }
  if (const NodePlan* lb = plan_.Haproxy()) {
    auto r = http_.Get(lb->address, kStatsPort, "/;csv", call_timeout_);
    if (r.ok() && r->status == 200) {
      auto servers = ParseHaproxyCsv(r->body);
      if (servers.ok()) {
        s.haproxy_reachable = true;
        for (const auto& sv : *servers)
          if (sv.backend == "primary" && sv.Up()) s.haproxy_primary_up.push_back(sv.server);
      }
    }
  }
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
