// result.json, history.jsonl and observer.jsonl of one scenario run.
// result.json format 1 is documented in docs/results.md.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "core/files.h"
#include "run/runner.h"
#include "scenario/units.h"

namespace pgha {
using nlohmann::json;

namespace {

json Optional(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json MeasurementsToJson(const Measurements& m) {
  json phases = json::array();
  for (const auto& p : m.phases) phases.push_back({{"name", p.name}, {"after_fault_s", Optional(p.after_fault_s)}});
  json split = json::array();
  for (const auto& iv : m.split_brain_intervals) split.push_back({{"start_s", iv.start_s}, {"end_s", iv.end_s}, {"nodes", iv.nodes}});
  return json{{"fault_injected", m.fault_injected},
              {"fault_at_s", m.fault_at_s},
              {"old_primary_server", m.old_primary_server},
              {"failover_time_s", Optional(m.failover_time_s)},
              {"writes_recovered_after_fault", m.recovered_writes},
              {"failover_phases", phases},
              {"writes", {{"ok", m.writes_ok}, {"fail", m.writes_failed}, {"info", m.writes_info}}},
              {"reads", {{"ok", m.reads_ok}, {"fail", m.reads_failed}}},
              {"final_read_ok", m.final_read_ok},
              {"final_read_error", m.final_read_error},
              {"lost_keys", m.lost_keys},
              {"info_recovered_keys", m.info_recovered_keys},
              {"info_absent_keys", m.info_absent_keys},
              {"split_brain_s", m.split_brain_s},
              {"split_brain_intervals", split},
              {"split_brain_writes", m.split_brain_writes},
              {"healed", m.healed},
              {"recovery_time_s", Optional(m.recovery_time_s)},
              {"leader_changes", m.leader_changes},
              {"throughput_per_s", m.throughput_per_s},
              {"write_latency_s", {{"p50", m.latency_p50_s}, {"p95", m.latency_p95_s}, {"p99", m.latency_p99_s}}}};
}

}  // namespace

json ResultToJson(const ScenarioResult& r) {
  const auto& s = r.scenario;
  json steps = json::array();
  for (const auto& st : r.steps)
    steps.push_back({{"step", st.description}, {"line", st.line}, {"start_s", st.start_s}, {"end_s", st.end_s},
                     {"outcome", st.outcome}, {"detail", st.detail}});
  json journal = json::array();
  for (const auto& j : r.history.journal)
    journal.push_back({{"t_s", j.t_ns / 1e9}, {"action", j.action}, {"id", j.fault_id}, {"kind", j.kind}, {"target", j.target}, {"detail", j.detail}});
  json verdicts = json::array();
  for (const auto& v : r.verdicts)
    verdicts.push_back({{"metric", v.expectation.metric}, {"target", v.expectation.text}, {"line", v.expectation.line},
                        {"status", VerdictName(v.status)}, {"measured", Optional(v.measured)}, {"measured_text", v.measured_text},
                        {"reason", v.reason}});
  const auto& p = s.topology.patroni;
  const auto& h = s.topology.haproxy;
  return json{{"format", 1},
              {"scenario", {{"name", s.name}, {"file", s.file}, {"description", s.description}}},
              {"seed", r.seed},
              {"run_id", r.run_id},
              {"started_at", r.started_at},
              {"wall_s", r.wall_s},
              {"bring_up_s", r.bring_up_s},
              {"interrupted", r.interrupted},
              {"exit_code", r.ExitCode()},
              {"versions", r.versions},
              {"topology", s.topology.name},
              {"settings",
               {{"patroni", {{"ttl", FormatDuration(p.ttl)}, {"loop_wait", FormatDuration(p.loop_wait)},
                             {"retry_timeout", FormatDuration(p.retry_timeout)}, {"maximum_lag_on_failover", p.maximum_lag_on_failover},
                             {"synchronous_mode", p.synchronous_mode}, {"synchronous_mode_strict", p.synchronous_mode_strict}}},
                {"haproxy", {{"check_interval", FormatDuration(h.check_interval)}, {"check_timeout", FormatDuration(h.check_timeout)},
                             {"fall", h.fall}, {"rise", h.rise}, {"shutdown_sessions", h.shutdown_sessions}}},
                {"workload", {{"writers", s.workload.writers}, {"rate_per_s", s.workload.rate}, {"readers", s.workload.readers},
                              {"op_timeout", FormatDuration(s.workload.op_timeout)},
                              {"probe_interval", FormatDuration(s.workload.probe_interval)},
                              {"observe_interval", FormatDuration(s.workload.observe_interval)}}}}},
              {"infrastructure_error", r.facts.infrastructure_error},
              {"skipped_faults", r.facts.skipped_faults},
              {"steps", steps},
              {"journal", journal},
              {"final_read", {{"ok", r.history.final_read_ok}, {"primary", r.history.final_primary},
                              {"error", r.history.final_read_error}, {"keys", r.history.final_keys.size()}}},
              {"measurements", MeasurementsToJson(r.measurements)},
              {"verdicts", verdicts}};
}

Status WriteResultFiles(const ScenarioResult& r) {
  std::error_code ec;
  std::filesystem::create_directories(r.output_dir, ec);
  if (ec) return Failed("cannot create " + r.output_dir + ": " + ec.message());
  if (Status s = WriteFileAtomic(r.output_dir + "/result.json", ResultToJson(r).dump(2) + "\n"); !s.ok()) return s;
  std::string ops;
  for (const auto& op : r.history.ops) ops += OpToJson(op).dump() + "\n";
  if (Status s = WriteFileAtomic(r.output_dir + "/history.jsonl", ops); !s.ok()) return s;
  std::string samples;
  for (const auto& o : r.history.observer) {
    json members = json::array();
    for (const auto& m : o.members)
      members.push_back({{"name", m.name}, {"role", m.role}, {"state", m.state}, {"timeline", m.timeline}, {"lag_bytes", m.lag_bytes}});
    samples += json{{"t_ns", o.t_ns}, {"reachable", o.reachable}, {"leader", o.leader}, {"members", members},
                    {"haproxy_reachable", o.haproxy_reachable}, {"haproxy_primary_up", o.haproxy_primary_up}}
                   .dump() +
               "\n";
  }
  if (Status s = WriteFileAtomic(r.output_dir + "/observer.jsonl", samples); !s.ok()) return s;
  std::string keys;
  for (int64_t k : r.history.final_keys) keys += std::to_string(k) + "\n";
  return WriteFileAtomic(r.output_dir + "/final_keys.txt", keys);
}

}  // namespace pgha
