// failover_time, outages and failover phases (definitions in measurements.h).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "check/measurements.h"
#include "check/op_index.h"

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

// The first write (in completion order) that completed at t or later.
Writes::const_iterator CompletedFrom(const Writes& writes, int64_t t) {
  return std::lower_bound(writes.begin(), writes.end(), t, [](const Op* w, int64_t v) { return w->complete_ns < v; });
}

// The server of the last acknowledged write that completed before t ("" when none).
std::string LastServerBefore(const Writes& writes, int64_t t) {
  for (auto it = CompletedFrom(writes, t); it != writes.begin();)
    if ((*--it)->outcome == Outcome::kOk) return (*it)->server;
  return "";
}

OutageFound MeasureOutage(const Writes& writes, const JournalEntry* anchor, std::optional<int64_t> next_inject) {
  OutageFound o;
  o.t0 = anchor->t_ns;
  o.anchor = anchor;
  o.old_server = LastServerBefore(writes, o.t0);
  const Op* first_new_server = nullptr;
  std::optional<int64_t> last_failure_invoke;
  for (auto it = CompletedFrom(writes, o.t0); it != writes.end(); ++it) {
    const Op* w = *it;
    const bool before_next = !next_inject || w->invoke_ns < *next_inject;
    if (w->outcome != Outcome::kOk && before_next)
      last_failure_invoke = std::max(last_failure_invoke.value_or(0), w->invoke_ns);
    if (w->outcome == Outcome::kOk && !first_new_server && !w->server.empty() && w->server != o.old_server)
      first_new_server = w;
  }
  if (first_new_server) {
    o.end = first_new_server;
  } else if (last_failure_invoke) {
    // A write invoked after that failure also completed after it.
    for (auto it = CompletedFrom(writes, *last_failure_invoke); it != writes.end(); ++it)
      if ((*it)->outcome == Outcome::kOk && (*it)->invoke_ns > *last_failure_invoke) {
        o.end = *it;
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
    for (auto it = CompletedFrom(writes, from); it != writes.end(); ++it) {
      const Op* w = *it;
      if (w->invoke_ns >= min_invoke && w->outcome != Outcome::kOk && (!failure || w->invoke_ns < failure->invoke_ns))
        failure = w;
    }
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
  m->old_primary_server = LastServerBefore(writes, first);
  const bool any_ok_after =
      std::any_of(CompletedFrom(writes, first), writes.end(), [](const Op* w) { return w->outcome == Outcome::kOk; });
  m->failover_time_s = 0;
  m->recovered_writes = any_ok_after || writes.empty();
  if (!m->recovered_writes) m->failover_time_s = Sec(h.end_ns - first);
}

// The write gap an outage ends, on the clients' clock and on the servers'
// (measurements.h); a disagreement beyond kGapAgreementS is reported.
void CrossCheckGap(const Writes& writes, const Op* end, Outage* o, std::vector<std::string>* errors) {
  auto it = std::lower_bound(writes.begin(), writes.end(), end,
                             [](const Op* a, const Op* b) { return a->complete_ns < b->complete_ns; });
  const Op* prev = nullptr;
  for (; it != writes.begin();) {
    --it;
    if (*it != end && (*it)->outcome == Outcome::kOk) {
      prev = *it;
      break;
    }
  }
  if (!prev) return;
  o->client_gap_s = Sec(end->complete_ns - prev->complete_ns);
  o->gap_from = prev->server;
  o->gap_to = end->server;
  if (!prev->server_at_ns || !end->server_at_ns) return;
  o->server_gap_s = Sec(*end->server_at_ns - *prev->server_at_ns);
  if (o->GapDisagrees())
    errors->push_back(fmt::format(
        "the write gap after fault {} measured {:.3f}s by the clients and {:.3f}s by the servers ({} to {}): they "
        "disagree by {:.0f} ms, more than the {:.0f} ms allowed",
        o->fault_id, *o->client_gap_s, *o->server_gap_s, o->gap_from, o->gap_to, *o->GapDisagreementS() * 1000,
        kGapAgreementS * 1000));
}

}  // namespace

std::optional<double> Outage::GapDisagreementS() const {
  if (!client_gap_s || !server_gap_s) return std::nullopt;
  return std::abs(*client_gap_s - *server_gap_s);
}

bool Outage::GapDisagrees() const { return GapDisagreementS().value_or(0) > kGapAgreementS; }

void AnalyzeFailover(const History& h, const OpsByKind& ops, Measurements* m) {
  Injects injects;
  for (const auto& j : h.journal)
    if (j.action == JournalAction::kInject) injects.push_back(&j);
  if (injects.empty()) return;
  m->fault_injected = true;
  const Writes& writes = ops.writes;
  const std::vector<OutageFound> found = FindOutages(writes, injects);
  if (found.empty()) return NoOutage(h, writes, injects.front()->t_ns, m);
  for (const auto& f : found) {
    Outage o;
    o.fault_id = f.anchor->fault_id;
    o.fault_at_s = Sec(f.t0);
    o.duration_s = Sec((f.end ? f.end->complete_ns : h.end_ns) - f.t0);
    o.recovered = f.end != nullptr;
    m->outages.push_back(o);
    if (f.end) CrossCheckGap(writes, f.end, &m->outages.back(), &m->measurement_errors);
  }
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
  AnalyzePhases(h, ops, found[worst].t0, m);
}

}  // namespace pgha
