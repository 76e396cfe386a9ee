// The failover phases of the worst outage, from events where there are
// some, and their causal order (definitions in measurements.h).
#include <fmt/format.h>

#include "check/measurements.h"
#include "check/op_index.h"

namespace pgha {
namespace {

constexpr int64_t kOrderSlackNs = 10000000;  // 10 ms

struct Seen {
  std::optional<int64_t> t;
  std::string source;
  void Take(int64_t at, const std::string& from) {
    if (!t) {
      t = at;
      source = from;
    }
  }
};

// The first event of a kind (about `subject`, when given) at t0 or later.
const ClusterEvent* FirstEvent(const History& h, int64_t t0, const char* kind, const std::string& subject = "") {
  for (const auto& e : h.events)
    if (e.t_ns >= t0 && e.kind == kind && (subject.empty() || e.subject == subject)) return &e;
  return nullptr;
}

// Leader key gone and new leader elected: the etcd watch, else the observer.
std::string LeaderPhases(const History& h, int64_t t0, const std::string& old_leader, Seen* gone, Seen* elected) {
  std::string new_leader;
  for (const auto& e : h.events) {
    if (e.t_ns < t0 || e.source != "etcd watch") continue;
    if (e.kind == kEventLeaderKeyGone || (e.kind == kEventLeaderKeySet && e.subject != old_leader))
      gone->Take(e.t_ns, e.source);
    if (e.kind == kEventLeaderKeySet && e.subject != old_leader && !elected->t) {
      elected->Take(e.t_ns, e.source);
      new_leader = e.subject;
    }
  }
  for (const auto& s : h.observer) {
    if (s.t_ns < t0 || !s.reachable) continue;
    if (s.leader != old_leader) gone->Take(s.t_ns, "observer");
    if (!s.leader.empty() && s.leader != old_leader && !elected->t) {
      elected->Take(s.t_ns, "observer");
      new_leader = s.leader;
    }
  }
  return new_leader;
}

void CheckOrder(const std::vector<FailoverPhase>& p, const std::vector<std::pair<int, int>>& pairs,
                std::vector<std::string>* out) {
  for (auto [a, b] : pairs) {
    if (!p[a].after_fault_s || !p[b].after_fault_s) continue;
    if (*p[a].after_fault_s * 1e9 > *p[b].after_fault_s * 1e9 + kOrderSlackNs)
      out->push_back(fmt::format("\"{}\" ({}, {:.3f}s) came after \"{}\" ({}, {:.3f}s)", p[a].name, p[a].source,
                                 *p[a].after_fault_s, p[b].name, p[b].source, *p[b].after_fault_s));
  }
}

}  // namespace

void AnalyzeEtcdEvents(const History& h, int64_t t0, int64_t end, Measurements* m) {
  for (const auto& e : h.events) {
    if (e.t_ns < t0 || e.t_ns > end || e.source != "etcd log") continue;
    if (e.kind == kEventEtcdLeader) m->etcd_elections.push_back({static_cast<double>(e.t_ns - t0) / 1e9, e.subject});
    if (e.kind == kEventEtcdSlowDisk) ++m->etcd_slow_disk;
  }
}

void AnalyzePhases(const History& h, const OpsByKind& ops, int64_t t0, double first_write_s, Measurements* m) {
  std::string old_leader;
  for (const auto& s : h.observer)
    if (s.t_ns < t0 && !s.leader.empty()) old_leader = s.leader;
  Seen gone, elected, promoted, ready, routed;
  const std::string new_leader = LeaderPhases(h, t0, old_leader, &gone, &elected);
  if (!new_leader.empty()) {
    if (const auto* e = FirstEvent(h, t0, kEventNewTimeline, new_leader)) promoted.Take(e->t_ns, e->source);
    if (const auto* e = FirstEvent(h, t0, kEventAcceptsWrites, new_leader)) ready.Take(e->t_ns, e->source);
    if (const auto* e = FirstEvent(h, t0, kEventRoutedUp, new_leader)) routed.Take(e->t_ns, e->source);
    std::optional<int64_t> probe;
    for (const Op* op : ops.probes)
      if (op->node == new_leader && op->outcome == Outcome::kOk && op->invoke_ns >= t0 &&
          (!probe || op->complete_ns < *probe))
        probe = op->complete_ns;
    if (probe) promoted.Take(*probe, "probe");
    for (const auto& s : h.observer)
      if (elected.t && s.t_ns >= *elected.t && s.router_reachable && s.router_write_targets.size() == 1 &&
          s.router_write_targets[0] == new_leader)
        routed.Take(s.t_ns, "observer");
  }
  auto rel = [&](const Seen& s) -> std::optional<double> {
    if (!s.t) return std::nullopt;
    return static_cast<double>(*s.t - t0) / 1e9;
  };
  m->phases = {
      {"leader key gone", rel(gone), gone.source},          {"new leader elected", rel(elected), elected.source},
      {"promoted", rel(promoted), promoted.source},         {"accepts writes", rel(ready), ready.source},
      {"HAProxy routes to it", rel(routed), routed.source}, {"first acknowledged write", first_write_s, "writes"}};
  // Up to the new leader, else the outage's end.
  AnalyzeEtcdEvents(h, t0, elected.t.value_or(t0 + static_cast<int64_t>(first_write_s * 1e9)), m);
  CheckOrder(m->phases, {{0, 1}, {1, 2}, {2, 3}, {3, 5}, {2, 5}, {1, 4}, {4, 5}}, &m->phase_disorder);
}

}  // namespace pgha
