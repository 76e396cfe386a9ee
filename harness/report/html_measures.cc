// The failover phases, the outages with the write gap measured on the
// clients' and on the servers' clocks, the reads judged, and leadership.
#include <fmt/format.h>

#include "core/text.h"
#include "report/html.h"
#include "report/junit.h"

namespace pgha {
namespace {

std::string Secs(const std::optional<double>& s) { return s ? fmt::format("{:.3f} s", *s) : "-"; }

std::string Outages(const Measurements& m) {
  std::string out =
      "<p>Outages (failover_time is the worst), and the gap each ended in the acknowledged writes, measured twice: "
      "on the clients' clock and on the servers' (their <code>clock_timestamp()</code>). An outage caused by a heal "
      "counts towards heal_disruption, not failover_time.</p>\n<table><tr><th>Caused by</th><th>Step at</th>"
      "<th>Outage from</th><th>Writes back after</th><th>Write gap, clients</th><th>Write gap, servers</th>"
      "<th>From → to</th></tr>\n";
  for (const auto& o : m.outages) {
    out += fmt::format(
        "<tr><td>{}{}</td><td class=\"num\">{:.2f} s</td><td class=\"num\">{:.2f} s</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num{}\">{}</td><td>{} → {}</td></tr>\n",
        o.cause == "heal" ? "heal of " : "fault ", XmlEscape(o.fault_id), o.fault_at_s, o.start_s,
        o.recovered ? fmt::format("{:.2f} s", o.duration_s) : "never", Secs(o.client_gap_s),
        o.GapDisagrees() ? " error" : "", Secs(o.server_gap_s), XmlEscape(o.gap_from), XmlEscape(o.gap_to));
  }
  out += "</table>\n";
  for (const auto& e : m.measurement_errors) out += "<p class=\"error\">Measurement error: " + XmlEscape(e) + "</p>\n";
  return out;
}

}  // namespace

std::string RenderPhases(const Measurements& m) {
  if (!m.fault_injected) return "";
  std::string out =
      "<h3>Failover phases</h3>\n<table><tr><th>Phase</th><th>After the fault</th><th>Measured from</th></tr>\n";
  for (const auto& p : m.phases)
    out += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"small\">{}</td></tr>\n", XmlEscape(p.name),
                       p.after_fault_s ? fmt::format("{:.3f} s", *p.after_fault_s) : "not seen", XmlEscape(p.source));
  for (const auto& e : m.etcd_elections)
    out += fmt::format(
        "<tr><td>etcd elected {} (restarting the leader key's lease)</td><td class=\"num\">{:.3f} s</td><td "
        "class=\"small\">etcd log</td></tr>\n",
        XmlEscape(e.leader), e.after_fault_s);
  if (m.etcd_slow_disk > 0)
    out += fmt::format("<tr><td colspan=\"3\">etcd warned of a slow disk {} time(s)</td></tr>\n", m.etcd_slow_disk);
  for (const auto& d : m.phase_disorder)
    out += "<tr><td colspan=\"3\" class=\"error\">Out of causal order: " + XmlEscape(d) + "</td></tr>\n";
  out += fmt::format(
      "</table><p class=\"small muted\">The fault that caused the outage was injected at {:.2f} s; the old primary "
      "answered as {}.</p>\n",
      m.fault_at_s, XmlEscape(m.old_primary_server));
  if (!m.vip_movement.empty())
    out += fmt::format("<p>The VIP was on {} before the first fault and on {} at the end: it {}.</p>\n",
                       XmlEscape(m.vip_before), XmlEscape(m.vip_at_end), XmlEscape(m.vip_movement));
  return m.outages.empty() ? out : out + Outages(m);
}

std::string RenderReads(const Measurements& m) {
  const ReadStaleness& r = m.reads;
  std::string out = fmt::format("<h3>Reads</h3>\n<p>{} acknowledged, {} failed", m.reads_ok, m.reads_failed);
  if (r.judged == 0) return out + "; none said what it saw, so none was judged.</p>\n";
  out += fmt::format(
      "; {} judged against the writes acknowledged before each was sent.</p>\n<table><tr><th>Staleness</th><th>p50"
      "</th><th>p99</th><th>max</th></tr><tr><td>behind, in time</td><td class=\"num\">{:.0f} ms</td><td "
      "class=\"num\">{:.0f} ms</td><td class=\"num\">{:.0f} ms</td></tr><tr><td>behind, in writes</td><td "
      "class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr></table>\n",
      r.judged, r.p50_ms, r.p99_ms, r.max_ms, r.p50_writes, r.p99_writes, r.max_writes);
  if (r.stale_primary_reads == 0) return out + "<p>No read was served by a deposed primary.</p>\n";
  out += fmt::format(
      "<p class=\"fail\">{} reads were served by a deposed primary after another server took the writes{}:</p>\n"
      "<table><tr><th>Sent at</th><th>Server</th><th>Behind</th></tr>\n",
      r.stale_primary_reads,
      r.stale_primary_reads > static_cast<int64_t>(r.stale_primary_examples.size())
          ? fmt::format(" (the first {})", r.stale_primary_examples.size())
          : "");
  for (const auto& e : r.stale_primary_examples)
    out +=
        fmt::format("<tr><td class=\"num\">{:.2f} s</td><td>{}</td><td class=\"num\">{:.0f} ms, {} writes</td></tr>\n",
                    e.at_s, XmlEscape(e.server), e.behind_ms, e.behind_writes);
  return out + "</table>\n";
}

std::string RenderLeadership(const ScenarioResult& r) {
  const auto& m = r.measurements;
  if (!r.facts.false_failovers_counted) return "";
  std::string out =
      fmt::format("<h3>Leadership</h3>\n<p>Lost or changed {} time(s): {}</p>\n", m.leadership_losses,
                  r.facts.failover_expected_by.empty()
                      ? fmt::format("<b class=\"{}\">{} false failover(s)</b> (no step was meant to fail over)",
                                    m.leadership_losses ? "fail" : "pass", m.leadership_losses)
                      : "a failover was expected after " + XmlEscape(r.facts.failover_expected_by));
  for (const auto& o : m.leader_key_overwrites)
    out += fmt::format("<p><b class=\"fail\">{}</b></p>\n", XmlEscape(DescribeOverwrite(o)));
  for (const auto& j : r.history.journal)
    if (j.action == JournalAction::kNote)
      out += fmt::format("<p class=\"small\">{} on {}{}: {}</p>\n", XmlEscape(j.fault_id),
                         XmlEscape(j.target.empty() ? "the run" : j.target),
                         j.kind.empty() ? "" : " (" + XmlEscape(j.kind) + ")", XmlEscape(j.detail));
  if (!m.moved_clocks.empty())
    out += "<p class=\"small\">Clocks moved: " + XmlEscape(Join(m.moved_clocks, "; ")) +
           " (their stamps were put back on the run's clock before the analysis)</p>\n";
  return out;
}

}  // namespace pgha
