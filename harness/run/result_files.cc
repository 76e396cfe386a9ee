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

}  // namespace

json MeasurementsToJson(const Measurements& m) {
  json phases = json::array();
  for (const auto& p : m.phases) phases.push_back({{"name", p.name}, {"after_fault_s", Optional(p.after_fault_s)}});
  json outages = json::array();
  for (const auto& o : m.outages)
    outages.push_back({{"fault_id", o.fault_id}, {"fault_at_s", o.fault_at_s}, {"duration_s", o.duration_s}, {"recovered", o.recovered}});
  json split = json::array();
  for (const auto& iv : m.split_brain_intervals) split.push_back({{"start_s", iv.start_s}, {"end_s", iv.end_s}, {"nodes", iv.nodes}});
  return json{{"fault_injected", m.fault_injected},
              {"fault_at_s", m.fault_at_s},
              {"old_primary_server", m.old_primary_server},
              {"failover_time_s", Optional(m.failover_time_s)},
              {"writes_recovered_after_fault", m.recovered_writes},
              {"failover_phases", phases},
              {"outages", outages},
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
              {"timeline_changes", m.timeline_changes},
              {"throughput_per_s", m.throughput_per_s},
              {"write_latency_s", {{"p50", m.latency_p50_s}, {"p95", m.latency_p95_s}, {"p99", m.latency_p99_s}}}};
}

json VerdictsToJson(const std::vector<Verdict>& verdicts) {
  json out = json::array();
  for (const auto& v : verdicts)
    out.push_back({{"metric", v.expectation.metric}, {"target", v.expectation.text}, {"line", v.expectation.line},
                   {"status", VerdictName(v.status)}, {"measured", Optional(v.measured)}, {"measured_text", v.measured_text},
                   {"reason", v.reason}});
  return out;
}

json ResultToJson(const ScenarioResult& r) {
  const auto& s = r.scenario;
  json steps = json::array();
  for (const auto& st : r.steps)
    steps.push_back({{"step", st.description}, {"line", st.line}, {"start_s", st.start_s}, {"end_s", st.end_s},
                     {"outcome", st.outcome}, {"detail", st.detail}});
  json journal = json::array();
  for (const auto& j : r.history.journal)
    journal.push_back({{"t_ns", j.t_ns}, {"t_s", j.t_ns / 1e9}, {"action", j.action}, {"id", j.fault_id}, {"kind", j.kind}, {"target", j.target}, {"detail", j.detail}});
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
              {"end_ns", r.history.end_ns},
              {"measurements", MeasurementsToJson(r.measurements)},
              {"members", r.history.members},
              {"verdicts", VerdictsToJson(r.verdicts)}};
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

Result<json> LoadResultJson(const std::string& dir) {
  auto text = ReadTextFile(dir + "/result.json");
  if (!text.ok()) return InvalidInput(dir + ": no result.json (is it a folder written by `pgha-chaos run`?)");
  auto j = json::parse(*text, nullptr, false);
  if (j.is_discarded() || j.value("format", 0) != 1) return InvalidInput(dir + "/result.json is not a format 1 result");
  return j;
}

Result<History> LoadHistory(const std::string& dir, const json& result) {
  History h;
  try {
    std::ifstream ops(dir + "/history.jsonl");
    std::string line;
    while (std::getline(ops, line))
      if (!line.empty()) h.ops.push_back(OpFromJson(json::parse(line)));
    std::ifstream obs(dir + "/observer.jsonl");
    while (std::getline(obs, line)) {
      if (line.empty()) continue;
      auto j = json::parse(line);
      ObserverSample s;
      s.t_ns = j.value("t_ns", int64_t{0});
      s.reachable = j.value("reachable", false);
      s.leader = j.value("leader", "");
      s.haproxy_reachable = j.value("haproxy_reachable", false);
      s.haproxy_primary_up = j.value("haproxy_primary_up", std::vector<std::string>{});
      const json members = j.value("members", json::array());
      for (const auto& m : members)
        s.members.push_back({m.value("name", ""), m.value("role", ""), m.value("state", ""), "", m.value("timeline", -1),
                             m.value("lag_bytes", int64_t{-1})});
      h.observer.push_back(s);
    }
    std::ifstream keys(dir + "/final_keys.txt");
    while (std::getline(keys, line))
      if (!line.empty()) h.final_keys.insert(std::stoll(line));
    for (const auto& j : result.at("journal"))
      h.journal.push_back({j.value("t_ns", int64_t{0}), j.value("action", ""), j.value("id", ""), j.value("kind", ""),
                           j.value("target", ""), j.value("detail", "")});
    const auto& fr = result.at("final_read");
    h.final_read_ok = fr.value("ok", false);
    h.final_primary = fr.value("primary", "");
    h.final_read_error = fr.value("error", "");
    h.members = result.value("members", std::vector<std::string>{});
    h.end_ns = result.value("end_ns", int64_t{0});
  } catch (const std::exception& e) {
    return InvalidInput(fmt::format("{}: the saved run is damaged: {}", dir, e.what()));
  }
  return h;
}

json Recompute(const json& result, const History& h) {
  std::vector<Expectation> expectations;
  for (const auto& v : result.at("verdicts")) {
    auto e = ParseExpectation(v.value("metric", ""), v.value("target", ""));
    if (!e.ok()) continue;
    e->line = v.value("line", 0);
    expectations.push_back(*e);
  }
  RunFacts facts;
  facts.infrastructure_error = result.value("infrastructure_error", "");
  facts.skipped_faults = result.value("skipped_faults", std::vector<std::string>{});
  ScenarioResult r;
  r.interrupted = result.value("interrupted", false);
  r.facts = facts;
  r.measurements = Analyze(h);
  r.verdicts = Judge(expectations, r.measurements, facts);
  json out = result;
  out["measurements"] = MeasurementsToJson(r.measurements);
  out["verdicts"] = VerdictsToJson(r.verdicts);
  out["exit_code"] = r.ExitCode();
  return out;
}

}  // namespace pgha
