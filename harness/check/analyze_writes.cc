// Write counts, lost and indeterminate writes, latency and throughput
// (definitions in measurements.h).
#include <algorithm>

#include "check/measurements.h"

namespace pgha {
namespace {
double Sec(int64_t ns) { return static_cast<double>(ns) / 1e9; }
}  // namespace

void AnalyzeWrites(const History& h, Measurements* m) {
  m->final_read_ok = h.final_read_ok;
  m->final_read_error = h.final_read_error;
  for (const auto& op : h.ops) {
    if (op.type == OpType::kWrite) {
      if (op.outcome == Outcome::kOk)
        ++m->writes_ok;
      else if (op.outcome == Outcome::kFail)
        ++m->writes_failed;
      else
        ++m->writes_info;
    } else if (op.type == OpType::kRead) {
      if (op.outcome == Outcome::kOk)
        ++m->reads_ok;
      else
        ++m->reads_failed;
    }
    if (op.type != OpType::kWrite || !h.final_read_ok) continue;
    const bool present = h.final_keys.count(op.key) > 0;
    if (op.outcome == Outcome::kOk && !present) m->lost_keys.push_back(op.key);
    if (op.outcome == Outcome::kInfo) (present ? m->info_recovered_keys : m->info_absent_keys).push_back(op.key);
  }
  for (auto* v : {&m->lost_keys, &m->info_recovered_keys, &m->info_absent_keys}) std::sort(v->begin(), v->end());
}

void AnalyzeLatency(const History& h, Measurements* m) {
  std::vector<double> lat;
  int64_t first = -1, last = -1;
  for (const auto& op : h.ops) {
    if (op.type != OpType::kWrite || op.outcome != Outcome::kOk) continue;
    lat.push_back(Sec(op.complete_ns - op.invoke_ns));
    if (first < 0 || op.invoke_ns < first) first = op.invoke_ns;
    last = std::max(last, op.complete_ns);
  }
  if (lat.empty()) return;
  std::sort(lat.begin(), lat.end());
  auto pct = [&](double p) { return lat[std::min(lat.size() - 1, static_cast<size_t>(p * (lat.size() - 1) + 0.5))]; };
  m->latency_p50_s = pct(0.50);
  m->latency_p95_s = pct(0.95);
  m->latency_p99_s = pct(0.99);
  if (last > first) m->throughput_per_s = static_cast<double>(lat.size()) / Sec(last - first);
}

Measurements Analyze(const History& h) {
  Measurements m;
  AnalyzeFailover(h, &m);
  AnalyzeWrites(h, &m);
  AnalyzeSplitBrain(h, &m);
  AnalyzeRecovery(h, &m);
  AnalyzeLatency(h, &m);
  return m;
}

}  // namespace pgha
