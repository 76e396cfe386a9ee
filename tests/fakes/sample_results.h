// Fixed results for report tests: one result.json document (every verdict
// status, strings that need escaping) and one scenario with a small history
// for the HTML report, both read into typed results through the one
// from-JSON path. Deterministic, so golden files can be compared.
#pragma once

#include <nlohmann/json.hpp>

#include "result/result_json.h"

namespace pgha::testing {
using nlohmann::json;

inline json Doc() {
  return json{
      {"format", 1},
      {"scenario", {{"name", "split-brain"}, {"file", "scenarios/split-brain.yaml"}}},
      {"seed", 12},
      {"run_id", "abc123"},
      {"started_at", "2026-11-24T11:00:00Z"},
      {"wall_s", 41.93712},
      {"topology", "compact"},
      {"versions", {{"patroni", "patroni 3.0.2"}, {"etcd", "etcd Version: 3.4.23"}}},
      {"settings", {{"patroni", {{"ttl", "10s"}}}, {"haproxy", {{"fall", 2}}}}},
      {"infrastructure_error", ""},
      {"skipped_faults", {"latency: no sch_netem"}},
      {"verdicts",
       {{{"metric", "split_brain"},
         {"target", "0s"},
         {"status", "fail"},
         {"measured_text", "10.00s"},
         {"reason", "split_brain = 0s expected, measured 10.00s"}},
        {{"metric", "lost_writes"}, {"target", "0"}, {"status", "pass"}, {"measured_text", "0"}, {"reason", ""}},
        {{"metric", "failover_time"},
         {"target", "< 10s"},
         {"status", "skipped"},
         {"measured_text", ""},
         {"reason", "every fault was skipped: latency <netem> & \"tc\""}},
        {{"metric", "recovery_time"},
         {"target", "< 60s"},
         {"status", "error"},
         {"measured_text", ""},
         {"reason", "the final read-back failed: \x01 boom"}}}}};
}

// Doc() (or a variant of it) as the typed result the reporters take.
inline ScenarioResult Typed(const json& doc) { return *ResultFromJson(doc); }

inline ScenarioResult Page() {
  ScenarioResult s =
      Typed(json{{"format", 1},
                 {"scenario",
                  {{"name", "split<brain>"},
                   {"file", "scenarios/split-brain.yaml"},
                   {"description", "<script>alert(1)</script> & co"}}},
                 {"seed", 12},
                 {"run_id", "abc"},
                 {"started_at", "2026-11-24T11:00:00Z"},
                 {"wall_s", 40.0},
                 {"bring_up_s", 5.0},
                 {"exit_code", 1},
                 {"infrastructure_error", ""},
                 {"skipped_faults", json::array()},
                 {"versions", {{"patroni", "patroni 3.0.2"}}},
                 {"settings", {{"patroni", {{"ttl", "10s"}}}}},
                 {"steps",
                  {{{"step", "pause patroni on primary"},
                    {"start_s", 10.0},
                    {"end_s", 10.1},
                    {"outcome", "ok"},
                    {"detail", "SIGSTOP <pid 42>"}}}},
                 {"verdicts",
                  {{{"metric", "split_brain"},
                    {"target", "0s"},
                    {"status", "fail"},
                    {"measured_text", "10.00s"},
                    {"reason", "x"}}}},
                 {"measurements",
                  {{"fault_injected", true},
                   {"fault_at_s", 10.0},
                   {"old_primary_server", "10.77.0.10"},
                   {"failover_phases", {{{"name", "new leader elected"}, {"after_fault_s", 2.5}}}},
                   {"writes", {{"ok", 10}, {"fail", 2}, {"info", 1}}},
                   {"lost_keys", {7, 9}},
                   {"info_recovered_keys", json::array()},
                   {"info_absent_keys", {3}},
                   {"split_brain_intervals", {{{"start_s", 12.0}, {"end_s", 22.0}, {"nodes", {"node1", "node2"}}}}},
                   {"split_brain_writes", 5},
                   {"throughput_per_s", 20.0},
                   {"write_latency_s", {{"p50", 0.001}, {"p95", 0.002}, {"p99", 0.003}}}}}});
  s.history.members = {"node1", "node2"};
  s.history.end_ns = 40'000'000'000;
  ObserverSample o;
  o.t_ns = 5'000'000'000;
  o.reachable = true;
  o.leader = "node1";
  o.members = {{"node1", "leader", "running", "", 1, 0}, {"node2", "replica", "running", "", 1, 0}};
  s.history.observer = {o, o};
  s.history.observer[1].t_ns = 6'000'000'000;
  for (auto [outcome, t] : {std::pair{Outcome::kOk, 8}, {Outcome::kFail, 12}, {Outcome::kInfo, 13}}) {
    Op w;
    w.type = OpType::kWrite;
    w.outcome = outcome;
    w.invoke_ns = t * int64_t{1'000'000'000};
    w.complete_ns = w.invoke_ns + 4'000'000;
    s.history.ops.push_back(w);
  }
  Op probe;
  probe.type = OpType::kProbe;
  probe.node = "node1";
  probe.invoke_ns = 15'000'000'000;
  probe.complete_ns = 15'002'000'000;
  s.history.ops.push_back(probe);
  s.history.journal = {{10'000'000'000, JournalAction::kInject, "freeze", "pause", "node1", ""},
                       {30'000'000'000, JournalAction::kHeal, "freeze", "heal", "", ""}};
  return s;
}

}  // namespace pgha::testing
