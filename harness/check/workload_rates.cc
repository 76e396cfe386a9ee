// Asked against achieved workload rates (definitions in workload_rates.h).
#include "check/workload_rates.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace pgha {
namespace {

constexpr double kReadsPerReaderPerS = 5;  // one read every 200 ms

template <typename T>
T Setting(const SettingGroup& g, const char* key, T fallback) {
  auto it = g.find(key);
  if (it == g.end() || !it->second.is_number()) return fallback;
  return it->second.get<T>();
}

// The stretch measured: from the first client operation to the first
// fault (or the last operation when no fault came; *fault false).
std::pair<int64_t, int64_t> SteadyStretch(const History& h, bool* fault) {
  int64_t from = -1, to = -1;
  for (const auto& op : h.ops) {
    if (op.type == OpType::kProbe) continue;
    if (from < 0 || op.invoke_ns < from) from = op.invoke_ns;
    to = std::max(to, op.invoke_ns);
  }
  for (const auto& j : h.journal)
    if (j.action == JournalAction::kInject && j.t_ns > from) {
      *fault = j.t_ns < to;
      to = std::min(to, j.t_ns);
      break;
    }
  return {from, to};
}

std::string Cause(const WorkloadRates& r) {
  if (r.write_p50_s <= 0) return "no write was acknowledged";
  const double bound = r.writers / r.write_p50_s;
  if (bound < *r.asked_writes_per_s * (1 - kRateShortfall))
    return fmt::format(
        "latency-bound: {} writer(s) that each wait for their write, at a p50 latency of {:.2f} ms, send at most "
        "{:.0f}/s; ask for more writers (workload.writers)",
        r.writers, r.write_p50_s * 1000, bound);
  return fmt::format(
      "the writers could not keep pace although {} writer(s) at a p50 of {:.2f} ms allow {:.0f}/s "
      "(the machine or the harness was busy)",
      r.writers, r.write_p50_s * 1000, bound);
}

}  // namespace

WorkloadRates CheckWorkloadRates(const History& h, const SettingGroup& workload) {
  WorkloadRates r;
  r.writers = Setting(workload, "writers", 0);
  const auto rate = workload.find("rate_per_s");
  r.known = rate != workload.end();
  if (r.known && rate->second.is_number()) r.asked_writes_per_s = rate->second.get<double>();
  r.asked_reads_per_s = Setting(workload, "readers", 0) * kReadsPerReaderPerS;
  const auto [from, to] = SteadyStretch(h, &r.before_fault);
  if (from < 0 || to <= from) return r;
  r.window_s = SecondsOfNs(to - from);
  int64_t writes = 0, reads = 0;
  std::vector<int64_t> latencies;
  for (const auto& op : h.ops) {
    if (op.invoke_ns < from || op.invoke_ns >= to || op.type == OpType::kProbe) continue;
    ++(op.type == OpType::kWrite ? writes : reads);
    if (op.type == OpType::kWrite && op.outcome == Outcome::kOk) latencies.push_back(op.complete_ns - op.invoke_ns);
  }
  r.achieved_writes_per_s = static_cast<double>(writes) / r.window_s;
  r.achieved_reads_per_s = static_cast<double>(reads) / r.window_s;
  if (!latencies.empty()) {
    auto mid = latencies.begin() + static_cast<std::ptrdiff_t>(latencies.size() / 2);
    std::nth_element(latencies.begin(), mid, latencies.end());
    r.write_p50_s = SecondsOfNs(*mid);
  }
  // Under a second of steady writing says too little to warn about.
  if (r.asked_writes_per_s && r.window_s >= 1 && r.achieved_writes_per_s < *r.asked_writes_per_s * (1 - kRateShortfall))
    r.warning = fmt::format("the workload sent {:.0f} writes/s of the {:.0f}/s asked ({:.0f}% short) {}: {}",
                            r.achieved_writes_per_s, *r.asked_writes_per_s,
                            100 * (1 - r.achieved_writes_per_s / *r.asked_writes_per_s),
                            r.before_fault ? "before the first fault" : "over the run", Cause(r));
  return r;
}

std::string DescribeRates(const WorkloadRates& r) {
  if (!r.known) return "";
  return fmt::format("writes {:.1f}/s of {} asked, reads {:.1f}/s of {:.1f}/s ({} {:.1f} s{})", r.achieved_writes_per_s,
                     r.asked_writes_per_s ? fmt::format("{:.1f}/s", *r.asked_writes_per_s) : std::string("max"),
                     r.achieved_reads_per_s, r.asked_reads_per_s, r.before_fault ? "the" : "over", r.window_s,
                     r.before_fault ? " before the first fault" : " of the run");
}

}  // namespace pgha
