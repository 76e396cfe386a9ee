// failover_time, outages and failover phases (definitions in measurements.h).
#include <algorithm>
#include <limits>

#include "check/measurements.h"

namespace pgha {
namespace {

double Sec(int64_t ns) { return static_cast<double>(ns) / 1e9; }

// One outage: anchored at fault time t0, ending at `end` (nullptr when the
// writes never came back).
struct OutageFound {
  int64_t t0 = 0;
  std::string old_server;
  const Op* end = nullptr;
  const JournalEntry* anchor = nullptr;
};

using Writes = std::vector<const Op*>;
using Injects = std::vector<const JournalEntry*>;

std::optional<int64_t> NextInjectAfter(const Injects& injects, int64_t t) {
  for (const auto* j : injects)
    if (j->t_ns > t) return j->t_ns;
  return std::nullopt;
}

OutageFound MeasureOutage(const Writes& writes, const JournalEntry* anchor, std::optional<int64_t> next_inject) {
  OutageFound o;
  o.t0 = anchor->t_ns;
  o.anchor = anchor;
  for (const Op* w : writes)
    if (w->outcome == Outcome::kOk && w->complete_ns < o.t0) o.old_server = w->server;
  const Op* first_new_server = nullptr;
  std::optional<int64_t> last_failure_invoke;
  for (const Op* w : writes) {
    if (w->complete_ns < o.t0) continue;
    const bool before_next = !next_inject || w->invoke_ns < *next_inject;
    if (w->outcome != Outcome::kOk && before_next)
      last_failure_invoke = std::max(last_failure_invoke.value_or(0), w->invoke_ns);
    if (w->outcome == Outcome::kOk && !first_new_server && !w->server.empty() && w->server != o.old_server)
      first_new_server = w;
  }
  if (first_new_server) {
    o.end = first_new_server;
  } else if (last_failure_invoke) {
    for (const Op* w : writes)
      if (w->outcome == Outcome::kOk && w->invoke_ns > *last_failure_invoke) {
        o.end = w;
        break;
      }
  }
  return o;
}

// Outages, one per fault that caused one: the first write that failed after
// `from` is anchored at the latest fault injected before it was invoked.
// Failures that belong to a fault already measured (a heal going wrong, say)
// are not a new outage. Each pass adds an outage or moves min_invoke to a
// later fault, so the loop ends after at most twice as many passes as faults.
std::vector<OutageFound> FindOutages(const Writes& writes, const Injects& injects) {
  std::vector<OutageFound> found;
  int64_t from = injects.front()->t_ns;
  int64_t min_invoke = std::numeric_limits<int64_t>::min();
  for (;;) {
    const Op* failure = nullptr;
    for (const Op* w : writes)
      if (w->complete_ns >= from && w->invoke_ns >= min_invoke && w->outcome != Outcome::kOk &&
          (!failure || w->invoke_ns < failure->invoke_ns))
        failure = w;
    if (!failure) break;
    const JournalEntry* anchor = injects.front();
    for (const auto* j : injects)
      if (j->t_ns <= failure->invoke_ns) anchor = j;
    if (std::any_of(found.begin(), found.end(), [&](const OutageFound& o) { return o.anchor == anchor; })) {
      auto next = NextInjectAfter(injects, failure->invoke_ns);
      if (!next) break;
      min_invoke = *next;
      continue;
    }
    found.push_back(MeasureOutage(writes, anchor, NextInjectAfter(injects, anchor->t_ns)));
    if (!found.back().end) break;
    from = std::max(found.back().end->complete_ns, anchor->t_ns) + 1;
  }
  return found;
}

// No write failed after the first fault: no outage.
void NoOutage(const History& h, const Writes& writes, int64_t first, Measurements* m) {
  m->fault_at_s = Sec(first);
  for (const Op* w : writes)
    if (w->outcome == Outcome::kOk && w->complete_ns < first) m->old_primary_server = w->server;
  const bool any_ok_after = std::any_of(
      writes.begin(), writes.end(), [&](const Op* w) { return w->outcome == Outcome::kOk && w->complete_ns >= first; });
  m->failover_time_s = 0;
  m->recovered_writes = any_ok_after || writes.empty();
  if (!m->recovered_writes) m->failover_time_s = Sec(h.end_ns - first);
}

void Phases(const History& h, int64_t t0, Measurements* m) {
  std::string old_leader;
  for (const auto& s : h.observer)
    if (s.t_ns < t0 && !s.leader.empty()) old_leader = s.leader;
  std::optional<int64_t> key_gone, elected, switched;
  std::string new_leader;
  for (const auto& s : h.observer) {
    if (s.t_ns < t0 || !s.reachable) continue;
    if (!key_gone && s.leader != old_leader) key_gone = s.t_ns;
    if (!elected && !s.leader.empty() && s.leader != old_leader) {
      elected = s.t_ns;
      new_leader = s.leader;
    }
    if (elected && !switched && s.router_reachable && s.router_write_targets.size() == 1 &&
        s.router_write_targets[0] == new_leader)
      switched = s.t_ns;
  }
  std::optional<int64_t> promoted;
  if (!new_leader.empty())
    for (const auto& op : h.ops)
      if (op.type == OpType::kProbe && op.node == new_leader && op.outcome == Outcome::kOk && op.invoke_ns >= t0 &&
          (!promoted || op.complete_ns < *promoted))
        promoted = op.complete_ns;
  auto rel = [&](std::optional<int64_t> t) -> std::optional<double> {
    if (!t) return std::nullopt;
    return Sec(*t - t0);
  };
  m->phases = {{"leader key gone", rel(key_gone)},
               {"new leader elected", rel(elected)},
               {"new primary accepts writes", rel(promoted)},
               {"HAProxy routes to it", rel(switched)},
               {"first acknowledged write", m->failover_time_s}};
}

}  // namespace

void AnalyzeFailover(const History& h, Measurements* m) {
  Injects injects;
  for (const auto& j : h.journal)
    if (j.action == JournalAction::kInject) injects.push_back(&j);
  if (injects.empty()) return;
  m->fault_injected = true;
  Writes writes;
  for (const auto& op : h.ops)
    if (op.type == OpType::kWrite) writes.push_back(&op);
  std::sort(writes.begin(), writes.end(), [](const Op* a, const Op* b) { return a->complete_ns < b->complete_ns; });
  const std::vector<OutageFound> found = FindOutages(writes, injects);
  if (found.empty()) return NoOutage(h, writes, injects.front()->t_ns, m);
  for (const auto& f : found)
    m->outages.push_back(
        {f.anchor->fault_id, Sec(f.t0), Sec((f.end ? f.end->complete_ns : h.end_ns) - f.t0), f.end != nullptr});
  // failover_time is the worst outage; the phases are read for that one.
  size_t worst = 0;
  for (size_t i = 1; i < m->outages.size(); ++i)
    if (!m->outages[i].recovered ||
        (m->outages[worst].recovered && m->outages[i].duration_s > m->outages[worst].duration_s))
      worst = i;
  m->fault_at_s = Sec(found[worst].t0);
  m->old_primary_server = found[worst].old_server;
  m->recovered_writes = found[worst].end != nullptr;
  m->failover_time_s = m->outages[worst].duration_s;
  Phases(h, found[worst].t0, m);
}

}  // namespace pgha
