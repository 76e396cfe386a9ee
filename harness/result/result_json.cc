#include "result/result_json.h"

#include "elle/elle_json.h"

#include <fmt/format.h>

namespace pgha {

nlohmann::json OptionalNumber(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
std::optional<double> OptionalNumberFrom(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_number()) return std::nullopt;
  return j[key].get<double>();
}

using nlohmann::json;
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(LeaderKeyOverwrite, at_s, from, to)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Interval, start_s, end_s, nodes)

namespace {

json VerdictToJson(const Verdict& v) {
  return {{"metric", v.expectation.metric},
          {"target", v.expectation.text},
          {"line", v.expectation.line},
          {"status", VerdictName(v.status)},
          {"measured", OptionalNumber(v.measured)},
          {"measured_text", v.measured_text},
          {"reason", v.reason}};
}

// The verdict as saved; its expectation re-parsed when the metric is still known.
Verdict VerdictFromJson(const json& j, std::vector<Expectation>* expectations) {
  Verdict v;
  auto e = ParseExpectation(j.value("metric", ""), j.value("target", ""));
  if (e.ok()) {
    e->line = j.value("line", 0);
    expectations->push_back(*e);
    v.expectation = *e;
  } else {
    v.expectation.metric = j.value("metric", "");
    v.expectation.text = j.value("target", "");
    v.expectation.line = j.value("line", 0);
  }
  v.status = VerdictFromName(j.value("status", "error")).value_or(VerdictStatus::kError);
  v.measured = OptionalNumberFrom(j, "measured");
  v.measured_text = j.value("measured_text", "");
  v.reason = j.value("reason", "");
  return v;
}

json StepsToJson(const std::vector<StepRecord>& steps) {
  json out = json::array();
  for (const auto& st : steps)
    out.push_back({{"step", st.description},
                   {"line", st.line},
                   {"start_s", st.start_s},
                   {"end_s", st.end_s},
                   {"outcome", StepOutcomeName(st.outcome)},
                   {"detail", st.detail}});
  return out;
}

StepRecord StepFromJson(const json& j) {
  StepRecord s{j.value("step", ""),   j.value("line", 0),  j.value("start_s", 0.0),
               j.value("end_s", 0.0), StepOutcome::kError, j.value("detail", "")};
  for (auto o : {StepOutcome::kOk, StepOutcome::kTimeout, StepOutcome::kSkipped, StepOutcome::kError})
    if (StepOutcomeName(o) == j.value("outcome", "")) s.outcome = o;
  return s;
}

json ReadsToJson(const Measurements& m) {
  const ReadStaleness& r = m.reads;
  json examples = json::array();
  for (const auto& e : r.stale_primary_examples)
    examples.push_back(
        {{"at_s", e.at_s}, {"server", e.server}, {"behind_ms", e.behind_ms}, {"behind_writes", e.behind_writes}});
  return {{"ok", m.reads_ok},
          {"fail", m.reads_failed},
          {"judged", r.judged},
          {"staleness_ms", {{"p50", r.p50_ms}, {"p99", r.p99_ms}, {"max", r.max_ms}}},
          {"staleness_writes", {{"p50", r.p50_writes}, {"p99", r.p99_writes}, {"max", r.max_writes}}},
          {"stale_primary_reads", r.stale_primary_reads},
          {"stale_primary_examples", examples}};
}

void ReadsFromJson(const json& j, ReadStaleness* r) {
  r->judged = j.value("judged", int64_t{0});
  const json ms = j.value("staleness_ms", json::object()), n = j.value("staleness_writes", json::object());
  r->p50_ms = ms.value("p50", 0.0);
  r->p99_ms = ms.value("p99", 0.0);
  r->max_ms = ms.value("max", 0.0);
  r->p50_writes = n.value("p50", int64_t{0});
  r->p99_writes = n.value("p99", int64_t{0});
  r->max_writes = n.value("max", int64_t{0});
  r->stale_primary_reads = j.value("stale_primary_reads", int64_t{0});
  for (const auto& e : j.value("stale_primary_examples", json::array()))
    r->stale_primary_examples.push_back(
        {e.value("at_s", 0.0), e.value("server", ""), e.value("behind_ms", 0.0), e.value("behind_writes", int64_t{0})});
}

}  // namespace

json FaultEffectsToJson(const std::vector<FaultEffect>& effects) {
  json out = json::array();
  for (const auto& e : effects)
    out.push_back({{"fault_id", e.fault_id},
                   {"quantity", e.quantity},
                   {"path", e.path},
                   {"asked", e.asked},
                   {"before", e.before},
                   {"p50", e.p50},
                   {"p99", e.p99},
                   {"samples", e.samples},
                   {"tolerance", e.tolerance},
                   {"engine", e.engine},
                   {"within", e.within()}});
  return out;
}

std::vector<FaultEffect> FaultEffectsFromJson(const json& a) {
  std::vector<FaultEffect> out;
  for (const auto& e : a) {
    FaultEffect f;
    f.fault_id = e.value("fault_id", "");
    f.quantity = e.value("quantity", "");
    f.path = e.value("path", "");
    f.asked = e.value("asked", 0.0);
    f.before = e.value("before", 0.0);
    f.p50 = e.value("p50", 0.0);
    f.p99 = e.value("p99", 0.0);
    f.samples = e.value("samples", 0);
    f.tolerance = e.value("tolerance", 0.0);
    f.engine = e.value("engine", "");
    out.push_back(f);
  }
  return out;
}

json MeasurementsToJson(const Measurements& m) {
  json phases = json::array();
  for (const auto& p : m.phases)
    phases.push_back({{"name", p.name}, {"after_fault_s", OptionalNumber(p.after_fault_s)}, {"source", p.source}});
  json elections = json::array();
  for (const auto& e : m.etcd_elections)
    elections.push_back({{"after_fault_s", e.after_fault_s}, {"leader", e.leader}});
  json outages = json::array();
  for (const auto& o : m.outages)
    outages.push_back({{"fault_id", o.fault_id},
                       {"caused_by", o.cause},
                       {"fault_at_s", o.fault_at_s},
                       {"start_s", o.start_s},
                       {"duration_s", o.duration_s},
                       {"recovered", o.recovered},
                       {"write_gap",
                        {{"client_s", OptionalNumber(o.client_gap_s)},
                         {"server_s", OptionalNumber(o.server_gap_s)},
                         {"from", o.gap_from},
                         {"to", o.gap_to},
                         {"from_latency_s", o.gap_from_latency_s},
                         {"to_latency_s", o.gap_to_latency_s}}}});
  return json{{"fault_injected", m.fault_injected},
              {"fault_at_s", m.fault_at_s},
              {"old_primary_server", m.old_primary_server},
              {"failover_time_s", OptionalNumber(m.failover_time_s)},
              {"writes_recovered_after_fault", m.recovered_writes},
              {"failover_phases", phases},
              {"phase_disorder", m.phase_disorder},
              {"etcd", {{"elections", elections}, {"slow_disk_warnings", m.etcd_slow_disk}}},
              {"outages", outages},
              {"outage_flow_threshold_s", m.flow_threshold_s},
              {"heal_disruption_s", OptionalNumber(m.heal_disruption_s)},
              {"vip", {{"before_first_fault", m.vip_before}, {"at_end", m.vip_at_end}, {"movement", m.vip_movement}}},
              {"writes", {{"ok", m.writes_ok}, {"fail", m.writes_failed}, {"info", m.writes_info}}},
              {"reads", ReadsToJson(m)},
              {"anomalies", m.txns ? elle::CheckResultSummaryJson(*m.txns) : json(nullptr)},
              {"measurement_errors", m.measurement_errors},
              {"final_read_ok", m.final_read_ok},
              {"final_read_error", m.final_read_error},
              {"lost_keys", m.lost_keys},
              {"info_recovered_keys", m.info_recovered_keys},
              {"info_absent_keys", m.info_absent_keys},
              {"split_brain_s", m.split_brain_s},
              {"split_brain_intervals", m.split_brain_intervals},
              {"split_brain_writes", m.split_brain_writes},
              {"healed", m.healed},
              {"recovery_time_s", OptionalNumber(m.recovery_time_s)},
              {"not_recovered_because", m.not_recovered_because},
              {"leader_changes", m.leader_changes},
              {"timeline_changes", m.timeline_changes},
              {"timeline_regressions", m.timeline_regressions},
              {"leader_key_watched", m.leader_key_watched},
              {"leader_key_overwrites", m.leader_key_overwrites},
              {"leadership_losses", m.leadership_losses},
              {"moved_clocks", m.moved_clocks},
              {"operations", OperationsToJson(m)},
              {"throughput_per_s", m.throughput_per_s},
              {"write_latency_s",
               {{"p50", m.latency_p50_s},
                {"p95", m.latency_p95_s},
                {"p99", m.latency_p99_s},
                {"before_fault_p50", OptionalNumber(m.latency_before_fault_p50_s)},
                {"during_fault_p50", OptionalNumber(m.latency_during_fault_p50_s)}}}};
}

Measurements MeasurementsFromJson(const json& j) {
  Measurements m;
  m.fault_injected = j.value("fault_injected", false);
  m.fault_at_s = j.value("fault_at_s", 0.0);
  m.old_primary_server = j.value("old_primary_server", "");
  m.failover_time_s = OptionalNumberFrom(j, "failover_time_s");
  m.recovered_writes = j.value("writes_recovered_after_fault", true);
  for (const auto& p : j.value("failover_phases", json::array()))
    m.phases.push_back({p.value("name", ""), OptionalNumberFrom(p, "after_fault_s"), p.value("source", "")});
  m.phase_disorder = j.value("phase_disorder", std::vector<std::string>{});
  const json etcd = j.value("etcd", json::object());
  for (const auto& e : etcd.value("elections", json::array()))
    m.etcd_elections.push_back({e.value("after_fault_s", 0.0), e.value("leader", "")});
  m.etcd_slow_disk = etcd.value("slow_disk_warnings", 0);
  if (j.contains("operations")) OperationsFromJson(j["operations"], &m);
  for (const auto& o : j.value("outages", json::array())) {
    Outage out;
    out.fault_id = o.value("fault_id", "");
    out.cause = o.value("caused_by", "fault");
    out.fault_at_s = o.value("fault_at_s", 0.0);
    out.start_s = o.value("start_s", out.fault_at_s);
    out.duration_s = o.value("duration_s", 0.0);
    out.recovered = o.value("recovered", true);
    const json gap = o.value("write_gap", json::object());
    out.client_gap_s = OptionalNumberFrom(gap, "client_s");
    out.server_gap_s = OptionalNumberFrom(gap, "server_s");
    out.gap_from = gap.value("from", "");
    out.gap_to = gap.value("to", "");
    out.gap_from_latency_s = gap.value("from_latency_s", 0.0);
    out.gap_to_latency_s = gap.value("to_latency_s", 0.0);
    m.outages.push_back(out);
  }
  m.flow_threshold_s = j.value("outage_flow_threshold_s", 0.0);
  m.heal_disruption_s = OptionalNumberFrom(j, "heal_disruption_s");
  const json vip = j.value("vip", json::object());
  m.vip_before = vip.value("before_first_fault", "");
  m.vip_at_end = vip.value("at_end", "");
  m.vip_movement = vip.value("movement", "");
  m.measurement_errors = j.value("measurement_errors", std::vector<std::string>{});
  if (j.contains("anomalies") && j["anomalies"].is_object()) m.txns = elle::CheckResultFromSummaryJson(j["anomalies"]);
  const json writes = j.value("writes", json::object()), reads = j.value("reads", json::object());
  m.writes_ok = writes.value("ok", int64_t{0});
  m.writes_failed = writes.value("fail", int64_t{0});
  m.writes_info = writes.value("info", int64_t{0});
  m.reads_ok = reads.value("ok", int64_t{0});
  m.reads_failed = reads.value("fail", int64_t{0});
  ReadsFromJson(reads, &m.reads);
  m.final_read_ok = j.value("final_read_ok", false);
  m.final_read_error = j.value("final_read_error", "");
  m.lost_keys = j.value("lost_keys", std::vector<int64_t>{});
  m.info_recovered_keys = j.value("info_recovered_keys", std::vector<int64_t>{});
  m.info_absent_keys = j.value("info_absent_keys", std::vector<int64_t>{});
  m.split_brain_s = j.value("split_brain_s", 0.0);
  m.split_brain_intervals = j.value("split_brain_intervals", std::vector<Interval>{});
  m.split_brain_writes = j.value("split_brain_writes", int64_t{0});
  m.healed = j.value("healed", false);
  m.recovery_time_s = OptionalNumberFrom(j, "recovery_time_s");
  m.not_recovered_because = j.value("not_recovered_because", "");
  m.leader_changes = j.value("leader_changes", 0);
  m.timeline_changes = j.value("timeline_changes", 0);
  m.timeline_regressions = j.value("timeline_regressions", 0);
  m.leader_key_watched = j.value("leader_key_watched", false);
  m.leader_key_overwrites = j.value("leader_key_overwrites", std::vector<LeaderKeyOverwrite>{});
  m.leadership_losses = j.value("leadership_losses", 0);
  m.moved_clocks = j.value("moved_clocks", std::vector<std::string>{});
  m.throughput_per_s = j.value("throughput_per_s", 0.0);
  const json lat = j.value("write_latency_s", json::object());
  m.latency_p50_s = lat.value("p50", 0.0);
  m.latency_p95_s = lat.value("p95", 0.0);
  m.latency_p99_s = lat.value("p99", 0.0);
  m.latency_before_fault_p50_s = OptionalNumberFrom(lat, "before_fault_p50");
  m.latency_during_fault_p50_s = OptionalNumberFrom(lat, "during_fault_p50");
  return m;
}

namespace {

json ResultBodyToJson(const ScenarioResult& r, const json& journal, const json& verdicts);

Window WindowFromJson(const json& j) {
  Window w;
  const std::string name = j.value("failure", "");
  for (auto c : {FailureClass::kProcessKill, FailureClass::kHostLoss, FailureClass::kHostLossEtcdLeader,
                 FailureClass::kEtcdCut, FailureClass::kGracefulStop})
    if (FailureClassName(c) == name) w.failure = c;
  w.low_s = j.value("low_s", 0.0);
  w.high_s = j.value("high_s", 0.0);
  w.terms = j.value("terms", std::vector<std::string>{});
  return w;
}

}  // namespace

json ResultToJson(const ScenarioResult& r) {
  json journal = json::array(), verdicts = json::array();
  for (const auto& e : r.history.journal) journal.push_back(JournalToJson(e));
  for (const auto& v : r.verdicts) verdicts.push_back(VerdictToJson(v));
  json out = ResultBodyToJson(r, journal, verdicts);
  if (r.prediction)
    out["prediction"] = {{"failure", FailureClassName(r.prediction->failure)},
                         {"low_s", r.prediction->low_s},
                         {"high_s", r.prediction->high_s},
                         {"terms", r.prediction->terms}};
  if (r.effective) out["effective_settings"] = EffectiveToJson(*r.effective);
  if (r.known_bug) out["known_bug"] = KnownBugToJson(r);
  return out;
}

namespace {
json ResultBodyToJson(const ScenarioResult& r, const json& journal, const json& verdicts) {
  return json{{"format", 1},
              {"scenario",
               {{"name", r.scenario.name},
                {"file", r.scenario.file},
                {"description", r.scenario.description},
                {"on_topology", r.scenario.on_topology}}},
              {"seed", r.seed},
              {"run_id", r.run_id},
              {"started_at", r.started_at},
              {"wall_s", r.wall_s},
              {"bring_up_s", r.bring_up_s},
              {"interrupted", r.interrupted},
              {"exit_code", r.ExitCode()},
              {"versions", r.versions},
              {"topology", r.topology},
              {"settings", r.settings},
              {"infrastructure_error", r.facts.infrastructure_error},
              {"skipped_faults", r.facts.skipped_faults},
              {"fault_effects", FaultEffectsToJson(r.facts.fault_effects)},
              {"not_applicable", r.facts.not_applicable},
              {"failover_expected_by", r.facts.failover_expected_by},
              {"steps", StepsToJson(r.steps)},
              {"journal", journal},
              {"final_read",
               {{"ok", r.history.final_read_ok},
                {"primary", r.history.final_primary},
                {"error", r.history.final_read_error},
                {"keys", r.history.final_keys.size()}}},
              {"end_ns", r.history.end_ns},
              {"measurements", MeasurementsToJson(r.measurements)},
              {"members", r.history.members},
              {"logs", r.logs},
              {"verdicts", verdicts}};
}
}  // namespace

Result<ScenarioResult> ResultFromJson(const json& j) {
  try {
    if (!j.is_object() || j.value("format", 0) != 1) return InvalidInput("not a format 1 result");
    ScenarioResult r;
    const json scenario = j.value("scenario", json::object());
    r.scenario = {scenario.value("name", ""), scenario.value("file", ""), scenario.value("description", ""),
                  scenario.value("on_topology", "")};
    r.seed = j.value("seed", uint64_t{0});
    r.run_id = j.value("run_id", "");
    r.started_at = j.value("started_at", "");
    r.wall_s = j.value("wall_s", 0.0);
    r.bring_up_s = j.value("bring_up_s", 0.0);
    r.interrupted = j.value("interrupted", false);
    r.versions = j.value("versions", std::map<std::string, std::string>{});
    r.topology = j.value("topology", "");
    r.settings = j.value("settings", SettingsUnderTest{});
    r.facts.infrastructure_error = j.value("infrastructure_error", "");
    r.facts.skipped_faults = j.value("skipped_faults", std::vector<std::string>{});
    r.facts.fault_effects = FaultEffectsFromJson(j.value("fault_effects", json::array()));
    r.facts.not_applicable = j.value("not_applicable", "");
    // A result written before false failovers were counted cannot tell them.
    r.facts.false_failovers_counted = j.contains("failover_expected_by");
    r.facts.failover_expected_by = j.value("failover_expected_by", "");
    for (const auto& s : j.value("steps", json::array())) r.steps.push_back(StepFromJson(s));
    for (const auto& e : j.value("journal", json::array())) r.history.journal.push_back(JournalFromJson(e));
    const json final_read = j.value("final_read", json::object());
    r.history.final_read_ok = final_read.value("ok", false);
    r.history.final_primary = final_read.value("primary", "");
    r.history.final_read_error = final_read.value("error", "");
    r.history.end_ns = j.value("end_ns", int64_t{0});
    r.history.members = j.value("members", std::vector<std::string>{});
    r.logs = j.value("logs", std::vector<std::string>{});
    r.measurements = MeasurementsFromJson(j.value("measurements", json::object()));
    for (const auto& v : j.value("verdicts", json::array())) r.verdicts.push_back(VerdictFromJson(v, &r.expectations));
    if (j.contains("prediction") && j["prediction"].is_object()) r.prediction = WindowFromJson(j["prediction"]);
    if (j.contains("effective_settings") && j["effective_settings"].is_object())
      r.effective = EffectiveFromJson(j["effective_settings"]);
    if (j.contains("known_bug")) r.known_bug = KnownBugFromJson(j["known_bug"]);
    return r;
  } catch (const json::exception& e) {
    return InvalidInput(std::string("a field has the wrong type: ") + e.what());
  }
}

}  // namespace pgha
