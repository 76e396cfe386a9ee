// Write counts, lost and indeterminate writes, latency and throughput
// (definitions in measurements.h).
#include <algorithm>

#include "check/clock_offsets.h"
#include "check/measurements.h"
#include "check/op_index.h"
#include "elle/list_append_check.h"

namespace pgha {
namespace {

std::optional<double> Median(std::vector<double> v) {
  if (v.empty()) return std::nullopt;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

}  // namespace

void AnalyzeWrites(const History& h, const OpsByKind& ops, Measurements* m) {
  m->final_read_ok = h.final_read_ok;
  m->final_read_error = h.final_read_error;
  for (const Op* r : ops.reads) ++(r->outcome == Outcome::kOk ? m->reads_ok : m->reads_failed);
  static const std::set<int64_t> kNoKeys;
  const KeyIndex final_keys(h.final_read_ok ? h.final_keys : kNoKeys);
  for (const Op* w : ops.writes) {
    if (w->outcome == Outcome::kOk)
      ++m->writes_ok;
    else if (w->outcome == Outcome::kFail)
      ++m->writes_failed;
    else
      ++m->writes_info;
    if (!h.final_read_ok) continue;
    const bool present = final_keys.Contains(w->key);
    if (w->outcome == Outcome::kOk && !present) m->lost_keys.push_back(w->key);
    if (w->outcome == Outcome::kInfo) (present ? m->info_recovered_keys : m->info_absent_keys).push_back(w->key);
  }
  for (auto* v : {&m->lost_keys, &m->info_recovered_keys, &m->info_absent_keys}) std::sort(v->begin(), v->end());
}

void AnalyzeLatency(const OpsByKind& ops, Measurements* m) {
  std::vector<float> lat;  // seconds; a float holds a latency to well under a microsecond
  lat.reserve(ops.writes.size());
  int64_t first = -1, last = -1;
  for (const Op* op : ops.writes) {
    if (op->outcome != Outcome::kOk) continue;
    lat.push_back(static_cast<float>(SecondsOfNs(op->complete_ns - op->invoke_ns)));
    if (first < 0 || op->invoke_ns < first) first = op->invoke_ns;
    last = std::max(last, op->complete_ns);
  }
  if (lat.empty()) return;
  // Linear: each percentile by selection, the higher ones in what is above the lower.
  size_t from = 0;
  auto pct = [&](double p) {
    const size_t k = std::min(lat.size() - 1, static_cast<size_t>(p * static_cast<double>(lat.size() - 1) + 0.5));
    std::nth_element(lat.begin() + static_cast<std::ptrdiff_t>(from), lat.begin() + static_cast<std::ptrdiff_t>(k),
                     lat.end());
    from = k;
    return lat[k];
  };
  m->latency_p50_s = pct(0.50);
  m->latency_p95_s = pct(0.95);
  m->latency_p99_s = pct(0.99);
  if (last > first) m->throughput_per_s = static_cast<double>(lat.size()) / SecondsOfNs(last - first);
}

void AnalyzeFaultLatency(const History& h, const OpsByKind& ops, Measurements* m) {
  int64_t inject = -1, heal = INT64_MAX;
  for (const auto& j : h.journal) {
    if (j.action == JournalAction::kInject && inject < 0) inject = j.t_ns;
    if (j.action == JournalAction::kHeal && inject >= 0 && j.t_ns > inject) {
      heal = j.t_ns;
      break;
    }
  }
  if (inject < 0) return;
  std::vector<double> before, during;
  for (const Op* op : ops.writes) {
    if (op->outcome != Outcome::kOk) continue;
    const double s = SecondsOfNs(op->complete_ns - op->invoke_ns);
    if (op->invoke_ns < inject)
      before.push_back(s);
    else if (op->invoke_ns < heal)
      during.push_back(s);
  }
  m->latency_before_fault_p50_s = Median(std::move(before));
  m->latency_during_fault_p50_s = Median(std::move(during));
}

namespace {

Measurements AnalyzeOnRunClock(const History& h) {
  Measurements m;
  const OpsByKind ops = SortOps(h);
  AnalyzeFailover(h, ops, &m);
  AnalyzeWrites(h, ops, &m);
  AnalyzeSplitBrain(h, ops, &m);
  AnalyzeRecovery(h, &m);
  AnalyzeLatency(ops, &m);
  AnalyzeFaultLatency(h, ops, &m);
  AnalyzeReads(ops, &m);
  AnalyzeOperations(h, ops, &m);
  if (!h.txns.txns.empty()) m.txns = elle::CheckListAppend(h.txns);
  return m;
}

}  // namespace

Measurements Analyze(const History& h) {
  const ClockOffsets offsets(h.journal);
  if (offsets.empty()) return AnalyzeOnRunClock(h);
  // Servers that ran with a moved clock stamped their writes and log lines with it.
  Measurements m = AnalyzeOnRunClock(WithServerClocksCorrected(h, offsets, NodeOfAddress(h, SortOps(h))));
  m.moved_clocks = offsets.Describe();
  return m;
}

}  // namespace pgha
