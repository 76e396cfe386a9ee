#include "check/metrics.h"

#include <fmt/format.h>

#include "elle/list_append_check.h"

namespace pgha {
namespace {

std::string Seconds(double s) { return fmt::format("{:.2f}s", s); }

Reading Value(double v, std::string text) { return MeasuredValue(v, std::move(text)); }
Reading Count(int64_t v) { return Value(static_cast<double>(v), std::to_string(v)); }

// The measurement error of an outage with this cause ("" when none): the
// write gap it left disagrees on the two clocks.
std::string GapError(const Measurements& m, const std::string& cause) {
  for (const auto& o : m.outages)
    if (o.cause == cause && o.GapDisagrees())
      for (const auto& e : m.measurement_errors)
        if (e.find("after " + cause + " " + o.fault_id + " ") != std::string::npos) return e;
  return "";
}

Reading FailoverTime(const Measurements& m, const RunFacts& facts) {
  if (!m.fault_injected)
    return {
        std::nullopt, "", VerdictStatus::kSkipped,
        facts.skipped_faults.empty() ? "no fault was injected" : "every fault was skipped: " + facts.skipped_faults[0]};
  const double t = m.failover_time_s.value_or(0);
  if (const std::string e = GapError(m, "fault"); !e.empty())
    return {t, Seconds(t), VerdictStatus::kError, "measurement error: " + e};
  if (!m.recovered_writes)
    return {t, fmt::format("no acknowledged write after the outage ({} to the end of the run)", Seconds(t)),
            VerdictStatus::kFail, "writes never recovered after the fault"};
  return Value(t, Seconds(t));
}

Reading HealDisruption(const Measurements& m, const RunFacts&) {
  if (!m.healed) return {std::nullopt, "", VerdictStatus::kSkipped, "nothing was healed"};
  if (const std::string e = GapError(m, "heal"); !e.empty())
    return {m.heal_disruption_s, "", VerdictStatus::kError, "measurement error: " + e};
  for (const auto& o : m.outages)
    if (o.cause == "heal" && !o.recovered)
      return {o.duration_s,
              fmt::format("no acknowledged write after the heal of {} ({} to the end of the run)", o.fault_id,
                          Seconds(o.duration_s)),
              VerdictStatus::kFail, "writes never recovered after a heal"};
  const double t = m.heal_disruption_s.value_or(0);
  return Value(t, Seconds(t));
}

Reading LostWrites(const Measurements& m, const RunFacts&) {
  if (!m.final_read_ok)
    return {std::nullopt, "", VerdictStatus::kError, "the final read-back failed: " + m.final_read_error};
  return Count(static_cast<int64_t>(m.lost_keys.size()));
}

Reading RecoveryTime(const Measurements& m, const RunFacts&) {
  if (!m.healed) return {std::nullopt, "", VerdictStatus::kSkipped, "nothing was healed"};
  if (!m.recovery_time_s)
    return {std::nullopt, "not recovered before the run ended", VerdictStatus::kFail,
            m.not_recovered_because.empty()
                ? "the cluster did not recover after the heal"
                : "the cluster did not recover after the heal; at the run's end: " + m.not_recovered_because};
  return Value(*m.recovery_time_s, Seconds(*m.recovery_time_s));
}

Reading FalseFailovers(const Measurements& m, const RunFacts& facts) {
  if (!facts.false_failovers_counted)
    return {std::nullopt, "", VerdictStatus::kSkipped, "the result predates the counting of false failovers"};
  if (!facts.failover_expected_by.empty())
    return {std::nullopt, "", VerdictStatus::kSkipped,
            "a failover is expected after " + facts.failover_expected_by + ": only runs without one count false ones"};
  return Count(m.leadership_losses);
}

Reading NoTxns() {
  return {std::nullopt, "", VerdictStatus::kSkipped,
          "the run has no list-append transactions (workload: {model: list-append})"};
}

Reading AnomaliesOfType(const Measurements& m, const RunFacts&, const std::string& type) {
  if (!m.txns) return NoTxns();
  if (!m.txns->input_error.empty()) return {std::nullopt, "", VerdictStatus::kError, m.txns->input_error};
  auto it = m.txns->counts.find(type);
  return Count(it == m.txns->counts.end() ? 0 : it->second);
}

Reading Anomalies(const Measurements& m, const RunFacts&) {
  if (!m.txns) return NoTxns();
  if (!m.txns->input_error.empty()) return {std::nullopt, "", VerdictStatus::kError, m.txns->input_error};
  int64_t n = 0;
  std::string by_type;
  for (const auto& [type, count] : m.txns->counts) {
    n += count;
    by_type += fmt::format("{}{} {}", by_type.empty() ? "" : ", ", count, type);
  }
  return Value(static_cast<double>(n), n == 0 ? "0" : fmt::format("{} ({})", n, by_type));
}

Reading NoReadJudged() {
  return {std::nullopt, "", VerdictStatus::kSkipped,
          "no read said what it saw (the topology has no read-only endpoint, or workload.readers is 0)"};
}

Reading ReadStalenessP99(const Measurements& m, const RunFacts&) {
  if (m.reads.judged == 0) return NoReadJudged();
  return Value(m.reads.p99_ms / 1000, fmt::format("{:.0f}ms ({} writes) at p99, {:.0f}ms at most", m.reads.p99_ms,
                                                  m.reads.p99_writes, m.reads.max_ms));
}

Reading StalePrimaryReads(const Measurements& m, const RunFacts&) {
  if (m.reads.judged == 0) return NoReadJudged();
  return Count(m.reads.stale_primary_reads);
}

}  // namespace

Reading MeasuredValue(double v, std::string text) { return {v, std::move(text), std::nullopt, ""}; }

const std::vector<Metric>& Metrics() {
  static const std::vector<Metric> kMetrics = [] {
    std::vector<Metric> all = CoreMetrics();
    const std::vector<Metric> ops = OperationMetrics();
    all.insert(all.end() - 1, ops.begin(), ops.end());  // before anomalies, the table's last
    return all;
  }();
  return kMetrics;
}

std::vector<Metric> CoreMetrics() {
  return {
      {"failover_time", MetricKind::kDuration,
       "the worst outage caused by a fault or planned operation: from that step (or the last acknowledged write "
       "after it, if later) to the first acknowledged write after the outage; every outage is listed in "
       "`result.json`",
       FailoverTime},
      {"heal_disruption", MetricKind::kDuration,
       "the worst outage caused by a heal (a VIP moving back, a member rejoining), measured as failover_time is; 0 "
       "when a heal disturbed no write",
       HealDisruption},
      {"lost_writes", MetricKind::kCount, "acknowledged writes whose key is missing from the final primary",
       LostWrites},
      {"split_brain", MetricKind::kDuration,
       "time with two or more nodes writable, from every acknowledgement: direct write probes and client writes by "
       "the server that ran them",
       [](const Measurements& m, const RunFacts&) { return Value(m.split_brain_s, Seconds(m.split_brain_s)); }},
      {"split_brain_writes", MetricKind::kCount, "writes acknowledged by one node while another was writable",
       [](const Measurements& m, const RunFacts&) { return Count(m.split_brain_writes); }},
      {"recovery_time", MetricKind::kDuration,
       "from the last heal to the start of the final stretch in which every member runs on the leader's timeline, "
       "replicas at most 1 MiB behind (a reinitialize that starts after the heal counts)",
       RecoveryTime},
      {"failed_writes", MetricKind::kCount, "writes that failed or ended indeterminate",
       [](const Measurements& m, const RunFacts&) { return Count(m.writes_failed + m.writes_info); }},
      {"leader_changes", MetricKind::kCount, "times Patroni's leader changed",
       [](const Measurements& m, const RunFacts&) { return Count(m.leader_changes); }},
      {"false_failovers", MetricKind::kCount,
       "times the cluster lost or changed its leader (the etcd watch: the leader key deleted, expired or taken by "
       "another member) in a run where no step is meant to fail over (only slow-node and clock faults, or none); "
       "skipped where a step is",
       FalseFailovers},
      {"timeline_changes", MetricKind::kCount,
       "times the leader's timeline changed (a promotion starts a new one; a restart in place does not)",
       [](const Measurements& m, const RunFacts&) { return Count(m.timeline_changes); }},
      {"timeline_regressions", MetricKind::kCount,
       "times the leader's timeline fell below the highest a leader had before: a stale primary took the leader key "
       "back from one promoted after it (patroni#2779)",
       [](const Measurements& m, const RunFacts&) { return Count(m.timeline_regressions); }},
      {"leader_key_overwrites", MetricKind::kCount,
       "times the etcd watch saw the leader key written with another member's name while a member held it, "
       "without expiring first: a Patroni wrote a key it did not hold (before 3.0.3, patroni PR #2689); skipped "
       "where the watch saw nothing",
       [](const Measurements& m, const RunFacts&) -> Reading {
         if (!m.leader_key_watched)
           return {std::nullopt, "", VerdictStatus::kSkipped, "the etcd watch saw nothing of the leader key"};
         return Count(static_cast<int64_t>(m.leader_key_overwrites.size()));
       }},
      {"read_staleness", MetricKind::kDuration,
       "the run's 99th percentile of read staleness: how long before it was sent a read's oldest missed "
       "acknowledged write was acknowledged (0 when it missed none); p50, max and the count in writes are in "
       "`result.json`",
       ReadStalenessP99},
      {"stale_primary_reads", MetricKind::kCount,
       "reads that missed an acknowledged write, served by a former primary while another server took the writes",
       StalePrimaryReads},
      {"write_latency_during_fault", MetricKind::kDuration,
       "median latency of acknowledged writes sent while the first fault was active (to the heal after it); "
       "result.json has the median before it too",
       [](const Measurements& m, const RunFacts& facts) -> Reading {
         if (!m.fault_injected || !m.latency_during_fault_p50_s)
           return {std::nullopt, "", VerdictStatus::kSkipped,
                   facts.skipped_faults.empty() ? "no write was acknowledged during a fault"
                                                : "every fault was skipped: " + facts.skipped_faults[0]};
         return Value(*m.latency_during_fault_p50_s, fmt::format("{:.3f}s", *m.latency_during_fault_p50_s));
       }},
      {"write_latency_p99", MetricKind::kDuration, "99th percentile latency of acknowledged writes",
       [](const Measurements& m, const RunFacts&) {
         return Value(m.latency_p99_s, fmt::format("{:.3f}s", m.latency_p99_s));
       }},
      {"anomalies", MetricKind::kCount,
       "isolation anomalies in the list-append transactions (workload.model: list-append), as Jepsen's Elle names "
       "them; a target per type as `anomalies: {G-single-item-realtime: 0}` (or `anomalies.G1c: 0`); each with its "
       "explanation in the reports",
       Anomalies},
  };
}

namespace {

// "anomalies.<type>" for every type the checker names: one metric each, made once.
const std::vector<Metric>& AnomalyTypeMetrics() {
  static const std::vector<Metric> kFamily = [] {
    std::vector<Metric> out;
    for (const auto& type : elle::AnomalyTypes())
      out.push_back({"anomalies." + type, MetricKind::kCount, "list-append anomalies of type " + type,
                     [type](const Measurements& m, const RunFacts& facts) { return AnomaliesOfType(m, facts, type); }});
    return out;
  }();
  return kFamily;
}

}  // namespace

const Metric* FindMetric(const std::string& name) {
  for (const auto& m : Metrics())
    if (m.name == name) return &m;
  for (const auto& m : AnomalyTypeMetrics())
    if (m.name == name) return &m;
  return nullptr;
}

Reading ReadMetric(const Metric& metric, const Measurements& m, const RunFacts& facts) { return metric.read(m, facts); }

std::string MetricKindName(MetricKind k) { return k == MetricKind::kDuration ? "duration" : "count"; }

std::string MetricsMarkdown() {
  std::string out = "| metric | kind | meaning |\n|---|---|---|\n";
  for (const auto& m : Metrics()) out += fmt::format("| `{}` | {} | {} |\n", m.name, MetricKindName(m.kind), m.meaning);
  return out;
}

}  // namespace pgha
