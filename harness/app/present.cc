#include "app/present.h"

#include <fmt/format.h>

#include "check/metrics.h"
#include "core/text.h"
#include "services/registry.h"
#include "services/targets.h"

namespace pgha {

std::string ConnectionsText(const RunningCluster& c) {
  const auto& p = c.plan;
  std::string out;
  for (const auto& e : p.endpoints)
    out += fmt::format("  {:<22} {}\n", EndpointRoleName(e.role) + " (" + EndpointViaName(e.via) + "):",
                       EndpointTarget(p, e, c.secrets).ConnInfo());
  if (!p.vip.empty()) out += fmt::format("  {:<22} {} (keepalived)\n", "VIP:", p.vip);
  for (const auto& h : p.hosts)
    if (h.Runs("haproxy"))
      out += fmt::format("  {:<22} http://{}:{}/\n", "HAProxy stats (" + h.name + "):", h.address,
                         h.Port("haproxy", "stats"));
  for (const auto* n : p.HostsRunning("patroni"))
    out += fmt::format("  {:<22} {}   (Patroni API {})\n", n->name + (n->name == c.health.leader ? " (leader)" : ""),
                       PostgresOn(p, *n, c.secrets).ConnInfo(), PatroniApi(p, *n).Url("/"));
  if (p.tls.links.any())
    out += fmt::format("  {:<22} {} (client certificate {}, key {})\n", "TLS CA:", p.tls.CaFile(), p.tls.ClientCert(),
                       p.tls.ClientKey());
  out += fmt::format("  password file:         export PGPASSFILE={}/pgpass\n", p.run_dir);
  out += fmt::format("  logs:                  {}/<host>/*.log\n", p.run_dir);
  return out;
}

namespace {

std::string MemberRow(const HostPlan& n, const ClusterObservation& obs) {
  const PatroniMember* m = nullptr;
  if (obs.members)
    for (const auto& x : *obs.members)
      if (x.name == n.name) m = &x;
  std::string streaming = "-";
  if (m && !m->IsLeader() && obs.replication) {
    streaming = "no";
    for (const auto& r : *obs.replication)
      if (r.application_name == n.name) streaming = r.state + (r.sync_state == "async" ? "" : "/" + r.sync_state);
  }
  return fmt::format("{:<8} {:<12} {:<13} {:<10} {:>3} {:>10} {}\n", n.name, n.address, m ? m->role : "?",
                     m ? m->state : "unreachable", m && m->timeline >= 0 ? std::to_string(m->timeline) : "-",
                     m && m->lag_bytes >= 0 ? std::to_string(m->lag_bytes) : "-", streaming);
}

std::string RouteText(const EndpointRoute& r) {
  if (!r.reachable) return "unreachable (" + r.error + ")";
  return fmt::format("{} ({})", r.server_address, r.in_recovery ? "replica" : "primary");
}

}  // namespace

std::string StatusText(const ClusterPlan& plan, const ClusterObservation& obs, const HealthVerdict& health) {
  std::string out = fmt::format("run {} (topology {}, subnet {}, {} provider): {}\n", plan.run_id, plan.topology_name,
                                plan.subnet, plan.provider, health.healthy ? "healthy" : "NOT healthy");
  out += fmt::format("{:<8} {:<12} {:<13} {:<10} {:>3} {:>10} {}\n", "MEMBER", "ADDRESS", "ROLE", "STATE", "TL", "LAG",
                     "STREAMING");
  for (const auto* n : plan.HostsRunning("patroni")) out += MemberRow(*n, obs);
  for (const auto& c : obs.services)
    if (const Service* s = FindService(c.kind)) out += s->StatusLine(c) + "\n";
  for (const auto& r : obs.endpoints) out += fmt::format("{} -> {}\n", r.endpoint.Describe(), RouteText(r));
  if (!health.healthy) out += "waiting for: " + health.waiting_for + "\n";
  return out;
}

namespace {

// etcd's own elections in the worst outage: each one restarts the leader key's lease.
std::string EtcdText(const Measurements& m) {
  if (m.etcd_elections.empty() && m.etcd_slow_disk == 0) return "";
  std::vector<std::string> won;
  for (const auto& e : m.etcd_elections) won.push_back(fmt::format("{} {:.3f}s", e.leader, e.after_fault_s));
  std::string out = "  etcd (its log): ";
  out += won.empty() ? "no election" : "elected " + Join(won);
  if (m.etcd_slow_disk > 0) out += fmt::format("; {} slow-disk warning(s)", m.etcd_slow_disk);
  return out + (won.empty() ? "\n" : "; every election restarts the leader key's lease\n");
}

std::string PhasesText(const Measurements& m) {
  std::vector<std::string> phases;
  for (const auto& p : m.phases)
    phases.push_back(fmt::format("{} {}{}", p.name, p.after_fault_s ? fmt::format("{:.3f}s", *p.after_fault_s) : "-",
                                 p.source.empty() || !p.after_fault_s ? "" : " (" + p.source + ")"));
  if (phases.empty()) return "  failover phases after the fault: none (the writes saw no outage)\n" + EtcdText(m);
  std::string out = fmt::format("  failover phases after the fault{}: {}\n",
                                m.outages.size() > 1 ? " (the worst outage)" : "", Join(phases));
  out += EtcdText(m);
  std::vector<std::string> gaps;
  const bool heal_caused = m.heal_disruption_s.has_value();  // set when a heal caused an outage
  for (const auto& o : m.outages) {
    const std::string step = (o.cause == "heal" ? "heal of " : "") + o.fault_id;
    if (o.client_gap_s)
      gaps.push_back(fmt::format("{} clients {:.3f}s, servers {}", step, *o.client_gap_s,
                                 o.server_gap_s ? fmt::format("{:.3f}s", *o.server_gap_s) : "-"));
  }
  if (m.outages.size() > 1 || heal_caused) out += "  outages: " + DescribeOutages(m) + "\n";
  if (heal_caused)
    out +=
        fmt::format("  heal disruption: {:.2f}s (the worst outage a heal caused)\n", m.heal_disruption_s.value_or(0));
  if (!m.vip_movement.empty())
    out += fmt::format("  VIP: on {} before the first fault, on {} at the end ({})\n", m.vip_before, m.vip_at_end,
                       m.vip_movement);
  if (!gaps.empty()) out += "  write gap: " + Join(gaps) + "\n";
  for (const auto& e : m.measurement_errors) out += "  MEASUREMENT ERROR: " + e + "\n";
  for (const auto& d : m.phase_disorder) out += "  phases out of causal order: " + d + "\n";
  return out;
}

std::string ReadsText(const ReadStaleness& r) {
  if (r.judged == 0) return "";
  return fmt::format(
      "  reads judged: {}, staleness p50 {:.0f}ms / p99 {:.0f}ms / max {:.0f}ms ({} / {} / {} writes), from a "
      "deposed primary: {}\n",
      r.judged, r.p50_ms, r.p99_ms, r.max_ms, r.p50_writes, r.p99_writes, r.max_writes, r.stale_primary_reads);
}

// One line per planned operation: its window, write gap, failures and
// added latency, and how long clients were refused as read-only.
std::string OperationsText(const Measurements& m) {
  if (m.operations.empty()) return "";
  std::string out =
      fmt::format("  operations (what clients saw from each to the next step that acts; steady state: write p99 {}):\n",
                  m.steady_latency_p99_ms ? fmt::format("{:.0f}ms", *m.steady_latency_p99_ms) : "-");
  for (const auto& w : m.operations)
    out += fmt::format(
        "    {:>7.2f}s {} {}{}: write gap {:.3f}s{}, writes {} ok {} failed {} info, p99 {} max {}{}{}\n", w.start_s,
        w.kind, w.target, w.id.empty() ? "" : " (" + w.id + ")", w.write_gap_s,
        w.writes_resumed ? "" : " (no acknowledged write after it)", w.writes_ok, w.writes_failed, w.writes_info,
        w.latency_p99_ms ? fmt::format("{:.0f}ms", *w.latency_p99_ms) : "-",
        w.latency_max_ms ? fmt::format("{:.0f}ms", *w.latency_max_ms) : "-",
        w.read_only_refusals
            ? fmt::format(", {} writes refused as read-only over {:.3f}s", w.read_only_refusals, w.stale_window_s)
            : "",
        w.reads_off_promise
            ? fmt::format(", {} reads off promise over {:.3f}s", w.reads_off_promise, w.off_promise_window_s)
            : "");
  if (m.paused_failovers) out += fmt::format("  new leaders while paused: {}\n", m.paused_failovers);
  return out;
}

}  // namespace

namespace {

// A trial set: each metric's distribution, the rates, where the runs are.
std::string TrialsText(const ScenarioResult& r) {
  const TrialSummary& t = *r.trials;
  std::string out = fmt::format("  {} runs{}; each metric over the runs (min / median / p95 / max):\n", t.runs.size(),
                                t.partial() ? fmt::format(" of {} planned (partial)", t.planned) : "");
  for (const auto& [name, d] : t.stats.metrics) {
    if (d.n == 0) continue;
    const Metric* m = FindMetric(name);
    const bool duration = m && m->kind == MetricKind::kDuration;
    auto v = [&](double x) { return duration ? fmt::format("{:.2f}s", x) : fmt::format("{:g}", x); };
    out +=
        fmt::format("    {:<16} {} / {} / {} / {}  ({} runs)\n", name, v(d.min), v(d.median), v(d.p95), v(d.max), d.n);
  }
  for (const auto& [what, rate] :
       {std::pair{"lost writes", t.stats.runs_with_lost_writes},
        {"two primaries", t.stats.runs_with_split_brain},
        {r.facts.failover_expected_by.empty() ? "false failovers" : "a leader lost or changed",
         t.stats.runs_losing_leadership}})
    out += fmt::format("  runs with {}: {} of {} (95% interval {:.0f}% to {:.0f}%)\n", what, rate.successes, rate.n,
                       rate.low * 100, rate.high * 100);
  return out + fmt::format("  runs: {}/trial-1 ... trial-{}, trials.json; shown in the report: {}\n", r.output_dir,
                           t.runs.size(), t.runs.at(static_cast<size_t>(t.shown)).folder);
}

}  // namespace

// The settings' predicted window beside the measurement (check/predict.h).
// "ttl 20s (written 5s: minimum 20s from 3.2.0)", or that all ran as written.
std::string EffectiveText(const EffectiveSettings& e) {
  return e.predicted.empty() ? "every setting runs as written" : DescribeAdjustments(e.predicted);
}

std::string PredictionText(const ScenarioResult& r) {
  if (!r.prediction) return "";
  const auto inside = r.InsidePrediction();
  std::string why;
  const auto& elections = r.measurements.etcd_elections;
  if (inside && !*inside && !elections.empty())
    why = fmt::format(
        " (etcd elected its last leader {:.2f}s after the fault, and the leader key's lease restarts "
        "then)",
        elections.back().after_fault_s);
  return fmt::format("  predicted failover ({}): {:.2f} to {:.2f}s from the settings; measured {}{}\n",
                     FailureClassName(r.prediction->failure), r.prediction->low_s, r.prediction->high_s,
                     !inside   ? "nothing to compare"
                     : *inside ? "inside"
                               : "OUTSIDE it: the model or the cluster is wrong, and both are worth knowing",
                     why);
}

// Losses of leadership (false failovers where nothing was meant to fail
// over), what faults remarked at heal, and the clocks they moved.
std::string LeadershipText(const ScenarioResult& r) {
  const auto& m = r.measurements;
  if (!r.facts.false_failovers_counted) return "";
  std::string out =
      fmt::format("  leadership: lost or changed {} time(s); {}\n", m.leadership_losses,
                  r.facts.failover_expected_by.empty()
                      ? fmt::format("false failovers: {} (no step was meant to fail over)", m.leadership_losses)
                      : "a failover was expected after " + r.facts.failover_expected_by);
  for (const auto& o : m.leader_key_overwrites) out += fmt::format("  {}\n", DescribeOverwrite(o));
  for (const auto& j : r.history.journal)
    if (j.action == JournalAction::kNote)
      out += fmt::format("  {} on {}{}: {}\n", j.fault_id, j.target.empty() ? "the run" : j.target,
                         j.kind.empty() ? "" : " (" + j.kind + ")", j.detail);
  if (!m.moved_clocks.empty())
    out += fmt::format("  clocks moved: {} (their stamps put back on the run's clock)\n", Join(m.moved_clocks, "; "));
  return out;
}

std::string VerdictsText(const ScenarioResult& r) {
  const std::string overall = ToUpper(r.OverallVerdict());
  std::string out = fmt::format("\nscenario {} ({}): {}  [seed {}, wall {:.1f}s]\n", r.scenario.DisplayName(),
                                r.scenario.file, overall, r.seed, r.wall_s);
  if (!r.facts.not_applicable.empty()) return out + fmt::format("  skipped: {}\n", r.facts.not_applicable);
  if (!r.facts.infrastructure_error.empty()) out += fmt::format("  error: {}\n", r.facts.infrastructure_error);
  for (const auto& s : r.facts.skipped_faults) out += fmt::format("  skipped fault: {}\n", s);
  for (const auto& e : r.facts.fault_effects)
    out += fmt::format("  fault {} measured {}: asked {:g}, p50 {:.1f}, p99 {:.1f} over {} samples on {} ({}){}\n",
                       e.fault_id, e.quantity, e.asked, e.p50, e.p99, e.samples, e.path, e.engine,
                       e.within() ? "" : ": OUTSIDE the tolerance, a measurement error");
  out += fmt::format("  {:<34} {:<44} {}\n", "TARGET", "MEASURED", "VERDICT");
  for (const auto& v : r.verdicts)
    out += fmt::format("  {:<34} {:<44} {}\n", v.expectation.metric + " " + v.expectation.text,
                       v.measured_text.empty() ? "-" : v.measured_text, VerdictName(v.status));
  if (const auto bug = r.BugVerdict())
    out += fmt::format("  known bug {}: {}{}\n", r.known_bug->id, bug->text, bug->expected ? "" : " [UNEXPECTED]");
  if (r.effective)
    out += fmt::format("  Patroni {}: {}; {}\n", r.effective->patroni_version, EffectiveText(*r.effective),
                       r.effective->Confirmation());
  out += PredictionText(r);
  if (r.trials) return out + TrialsText(r);
  const auto& m = r.measurements;
  out += fmt::format("  writes: {} ok, {} failed, {} indeterminate ({} of those found after the run); lost: {}\n",
                     m.writes_ok, m.writes_failed, m.writes_info, m.info_recovered_keys.size(), m.lost_keys.size());
  if (r.rates.known) out += "  workload: " + DescribeRates(r.rates) + "\n";
  if (!r.rates.warning.empty()) out += "  WARNING: " + r.rates.warning + "\n";
  out += LeadershipText(r);
  if (m.fault_injected) out += PhasesText(m);
  out += ReadsText(m.reads);
  out += OperationsText(m);
  if (m.split_brain_s > 0)
    out += fmt::format("  split brain: {:.2f}s in {} interval(s), {} writes acknowledged by a second primary\n",
                       m.split_brain_s, m.split_brain_intervals.size(), m.split_brain_writes);
  return out + fmt::format("  results: {}/result.json, history.jsonl, observer.jsonl, logs/\n", r.output_dir);
}

std::string BaselineText(const BaselineComparison& b) {
  std::string out = fmt::format("\nagainst the baseline {}: {} regression(s)\n", b.baseline_dir, b.Regressions());
  for (const auto& s : b.scenarios) {
    if (!s.in_baseline) {
      out += fmt::format("  {:<24} not in the baseline\n", s.name);
      continue;
    }
    for (const auto& c : s.compared)
      out += fmt::format("  {:<24} {:<10} {:<34} {} -> {}  {}\n", s.name, c.regression ? "REGRESSION" : "ok", c.what,
                         c.baseline, c.now, c.why);
  }
  return out;
}

}  // namespace pgha
