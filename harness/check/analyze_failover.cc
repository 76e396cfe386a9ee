// failover_time, heal_disruption, outages and failover phases (definitions
// in measurements.h).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "check/measurements.h"
#include "check/op_index.h"
#include "core/text.h"

namespace pgha {
namespace {

using Writes = std::vector<const Op*>;
using Steps = std::vector<const JournalEntry*>;

constexpr int64_t kMinFlowNs = 100000000;  // 100 ms
constexpr int kFlowIntervals = 4;

// One outage: the failures it holds, the acknowledged writes around it (as
// indexes into the acknowledged writes; `next` == size when none came).
struct Stretch {
  const Op* first_failure = nullptr;
  size_t prev = 0;  // index + 1 of the last acknowledged write before it (0: none)
  size_t next = 0;  // index of the first acknowledged write after it
};

// The acknowledged writes' index of the first one completed after t.
size_t FirstAckAfter(const Writes& acks, int64_t t) {
  return static_cast<size_t>(
      std::upper_bound(acks.begin(), acks.end(), t, [](int64_t v, const Op* w) { return v < w->complete_ns; }) -
      acks.begin());
}

// Writes must flow this long to end an outage: 100 ms, or four of the median
// intervals between the last kFlowSample + 1 acknowledged writes before the
// first step, if longer (a sample keeps this constant on long runs).
constexpr size_t kFlowSample = 10000;
int64_t FlowThreshold(const Writes& acks, int64_t first_step) {
  const size_t before = FirstAckAfter(acks, first_step - 1);  // acknowledged before the first step
  std::vector<int64_t> gaps;
  for (size_t i = before > kFlowSample ? before - kFlowSample : 1; i < before; ++i)
    gaps.push_back(acks[i]->complete_ns - acks[i - 1]->complete_ns);
  if (gaps.empty()) return kMinFlowNs;
  auto mid = gaps.begin() + static_cast<std::ptrdiff_t>(gaps.size() / 2);
  std::nth_element(gaps.begin(), mid, gaps.end());
  return std::max(kMinFlowNs, kFlowIntervals * *mid);
}

// Every failure (a write that failed or ended indeterminate, completed after
// the first step) opens a stretch from the last acknowledged write before it
// was sent to the first acknowledged write after that; stretches merge unless
// acknowledged writes flowed between them for at least `flow_ns`.
std::vector<Stretch> FindStretches(const Writes& writes, const Writes& acks, int64_t first_step, int64_t flow_ns) {
  Writes failures;
  for (const Op* w : writes)
    if (w->outcome != Outcome::kOk && w->complete_ns >= first_step) failures.push_back(w);
  std::sort(failures.begin(), failures.end(), [](const Op* a, const Op* b) { return a->invoke_ns < b->invoke_ns; });
  std::vector<Stretch> out;
  for (const Op* f : failures) {
    const size_t next = FirstAckAfter(acks, f->invoke_ns);
    if (!out.empty()) {
      Stretch& cur = out.back();
      // The writes acknowledged between cur's end and this failure: [cur.next, next).
      const bool flowed = next > cur.next + 1 && acks[next - 1]->complete_ns - acks[cur.next]->complete_ns >= flow_ns;
      if (cur.next >= acks.size() || !flowed) {
        cur.next = std::max(cur.next, next);
        continue;
      }
    }
    out.push_back({f, next, next});
  }
  return out;
}

// The step a stretch is attributed to: the latest fault or heal at or before
// its first failure was sent (the first fault when there is none).
const JournalEntry* CauseOf(const Steps& steps, const Op* first_failure) {
  const JournalEntry* cause = steps.front();
  for (const auto* s : steps)
    if (s->t_ns <= first_failure->invoke_ns) cause = s;
  return cause;
}

// The write gap an outage left, on the clients' clock and on the servers'
// (measurements.h); a disagreement beyond kGapAgreementS is reported.
void CrossCheckGap(const Op* prev, const Op* end, Outage* o, std::vector<std::string>* errors) {
  o->client_gap_s = SecondsOfNs(end->complete_ns - prev->complete_ns);
  o->gap_from = prev->server;
  o->gap_to = end->server;
  o->gap_from_latency_s = SecondsOfNs(prev->complete_ns - prev->invoke_ns);
  o->gap_to_latency_s = SecondsOfNs(end->complete_ns - end->invoke_ns);
  if (!prev->server_at_ns || !end->server_at_ns) return;
  o->server_gap_s = SecondsOfNs(*end->server_at_ns - *prev->server_at_ns);
  if (o->GapDisagrees())
    errors->push_back(fmt::format(
        "the write gap after {} {} measured {:.3f}s by the clients and {:.3f}s by the servers ({} to {}): they "
        "disagree by {:.0f} ms, more than the {:.0f} ms allowed beyond the two writes' latencies ({:.0f} and {:.0f} "
        "ms)",
        o->cause, o->fault_id, *o->client_gap_s, *o->server_gap_s, o->gap_from, o->gap_to,
        *o->GapDisagreementS() * 1000, kGapAgreementS * 1000, o->gap_from_latency_s * 1000,
        o->gap_to_latency_s * 1000));
}

// An outage and, on the run's clock, the step that caused it and its ends.
struct Found {
  Outage outage;
  int64_t cause_ns = 0, start_ns = 0, end_ns = 0;
};

Found ToOutage(const History& h, const Writes& acks, const Steps& steps, const Stretch& s, Measurements* m) {
  const JournalEntry* cause = CauseOf(steps, s.first_failure);
  Found f;
  Outage& o = f.outage;
  o.fault_id = cause->fault_id;
  o.cause = cause->action == JournalAction::kHeal ? "heal" : "fault";
  o.fault_at_s = SecondsOfNs(cause->t_ns);
  const int64_t start = std::max(cause->t_ns, s.prev > 0 ? acks[s.prev - 1]->complete_ns : cause->t_ns);
  o.recovered = s.next < acks.size();
  const int64_t end = o.recovered ? acks[s.next]->complete_ns : h.end_ns;
  o.start_s = SecondsOfNs(start);
  o.duration_s = SecondsOfNs(std::max<int64_t>(0, end - start));
  if (o.recovered && s.prev > 0) CrossCheckGap(acks[s.prev - 1], acks[s.next], &o, &m->measurement_errors);
  f.cause_ns = cause->t_ns;
  f.start_ns = start;
  f.end_ns = end;
  return f;
}

// The worst of the outages with the given cause (unrecovered first): index or -1.
int Worst(const std::vector<Outage>& outages, const std::string& cause) {
  int worst = -1;
  for (size_t i = 0; i < outages.size(); ++i) {
    const Outage& o = outages[i];
    if (o.cause != cause) continue;
    const Outage* w = worst < 0 ? nullptr : &outages[static_cast<size_t>(worst)];
    if (!w || (!o.recovered && w->recovered) || (o.recovered == w->recovered && o.duration_s > w->duration_s))
      worst = static_cast<int>(i);
  }
  return worst;
}

}  // namespace

std::optional<double> Outage::GapDisagreementS() const {
  if (!client_gap_s || !server_gap_s) return std::nullopt;
  return std::abs(*client_gap_s - *server_gap_s);
}

bool Outage::GapDisagrees() const {
  if (!client_gap_s || !server_gap_s) return false;
  const double ahead = *client_gap_s - *server_gap_s;  // the later acknowledgement took longer to arrive
  return ahead > gap_to_latency_s + kGapAgreementS || -ahead > gap_from_latency_s + kGapAgreementS;
}

std::string DescribeOutages(const Measurements& m) {
  std::string out;
  for (const auto& o : m.outages)
    out += fmt::format("{}{}{} at {:.1f}s: {:.2f}s{}", out.empty() ? "" : "; ", o.cause == "heal" ? "heal of " : "",
                       o.fault_id, o.fault_at_s, o.duration_s, o.recovered ? "" : " (never recovered)");
  return out;
}

std::string LastServerBefore(const std::vector<const Op*>& acks, int64_t t) {
  const size_t i = FirstAckAfter(acks, t);
  return i == 0 ? "" : acks[i - 1]->server;
}

void AnalyzeFailover(const History& h, const OpsByKind& ops, Measurements* m) {
  std::vector<const JournalEntry*> vip;
  for (const auto& j : h.journal)
    if (j.action == JournalAction::kVip) vip.push_back(&j);
  if (vip.size() >= 2 && !vip.front()->target.empty() && !vip.back()->target.empty()) {
    m->vip_before = vip.front()->target;
    m->vip_at_end = vip.back()->target;
    bool hit = false;  // a fault hit the host that held the VIP
    for (const auto& j : h.journal)
      for (const auto& host : Split(j.target, ','))
        hit = hit || (j.action == JournalAction::kInject && host == m->vip_before);
    m->vip_movement = m->vip_before != m->vip_at_end ? "moved" : hit ? "moved back" : "stayed";
  }
  Steps steps;
  for (const auto& j : h.journal)
    if (j.action == JournalAction::kInject || j.action == JournalAction::kHeal) steps.push_back(&j);
  std::stable_sort(steps.begin(), steps.end(), [](const auto* a, const auto* b) { return a->t_ns < b->t_ns; });
  if (steps.empty() || steps.front()->action != JournalAction::kInject) return;
  m->fault_injected = true;
  Writes acks;
  acks.reserve(ops.writes.size());
  for (const Op* w : ops.writes)
    if (w->outcome == Outcome::kOk) acks.push_back(w);
  const int64_t first = steps.front()->t_ns;
  const int64_t flow_ns = FlowThreshold(acks, first);
  m->flow_threshold_s = SecondsOfNs(flow_ns);
  std::vector<Found> found;
  for (const Stretch& s : FindStretches(ops.writes, acks, first, flow_ns)) {
    found.push_back(ToOutage(h, acks, steps, s, m));
    m->outages.push_back(found.back().outage);
  }
  m->recovered_writes = std::all_of(m->outages.begin(), m->outages.end(), [](const Outage& o) { return o.recovered; });
  if (m->outages.empty()) m->recovered_writes = acks.empty() || acks.back()->complete_ns >= first;
  if (const int heal = Worst(m->outages, "heal"); heal >= 0) m->heal_disruption_s = m->outages[heal].duration_s;
  const int worst = Worst(m->outages, "fault");
  if (worst < 0) {  // no write failed because of a fault
    m->fault_at_s = SecondsOfNs(first);
    m->old_primary_server = LastServerBefore(acks, first);
    m->failover_time_s = m->recovered_writes ? 0 : SecondsOfNs(h.end_ns - first);
    AnalyzeEtcdEvents(h, first, h.end_ns, m);
    return;
  }
  const Found& w = found[static_cast<size_t>(worst)];
  m->fault_at_s = w.outage.fault_at_s;
  m->old_primary_server = LastServerBefore(acks, w.start_ns);
  m->failover_time_s = w.outage.duration_s;
  AnalyzePhases(h, ops, w.cause_ns, SecondsOfNs(w.end_ns - w.cause_ns), m);
}

}  // namespace pgha
