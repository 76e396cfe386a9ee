// RenderOperations (report/html.h): one row per planned operation, what
// clients saw in its window against the steady state before.
#include <fmt/format.h>

#include "report/html.h"
#include "report/junit.h"

namespace pgha {
namespace {

std::string Ms(const std::optional<double>& v) { return v ? fmt::format("{:.0f} ms", *v) : "-"; }

}  // namespace

std::string RenderOperations(const Measurements& m) {
  if (m.operations.empty()) return "";
  std::string out = fmt::format(
      "<h3>Planned operations, as clients saw them</h3>\n<p class=\"small muted\">Each window runs from the operation "
      "to the next step that acts (a fault, heal or operation) or the end of the steps. Steady state before the first "
      "fault or operation: write p99 {}, max {}.{}</p>\n<table><tr><th>At</th><th>Operation</th><th>On</th><th>Write "
      "gap</th><th>Writes ok / failed / info</th><th>p99</th><th>max</th><th>Refused as read-only</th><th>Reads "
      "failed</th><th>Reads off promise</th></tr>\n",
      Ms(m.steady_latency_p99_ms), Ms(m.steady_latency_max_ms),
      m.paused_observed ? fmt::format(" New leaders while paused: {}.", m.paused_failovers) : "");
  for (const auto& w : m.operations)
    out += fmt::format(
        "<tr><td>{:.2f}s</td><td title=\"{}\">{}</td><td>{}</td><td class=\"{}\">{:.3f}s{}</td><td>{} / {} / "
        "{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td><td class=\"{}\">{}</td></tr>\n",
        w.start_s, XmlEscape(w.detail), XmlEscape(w.kind), XmlEscape(w.target), w.writes_resumed ? "" : "fail",
        w.write_gap_s, w.writes_resumed ? "" : " (not resumed)", w.writes_ok, w.writes_failed, w.writes_info,
        Ms(w.latency_p99_ms), Ms(w.latency_max_ms), w.read_only_refusals ? "fail" : "",
        w.read_only_refusals ? fmt::format("{} over {:.3f}s", w.read_only_refusals, w.stale_window_s) : "0",
        w.reads_failed, w.reads_off_promise ? "fail" : "",
        w.reads_off_promise ? fmt::format("{} over {:.3f}s", w.reads_off_promise, w.off_promise_window_s) : "0");
  return out + "</table>\n";
}

void OperationProperties(const Measurements& m, std::string* props) {
  for (const auto& w : m.operations) {
    const std::string at = "operation." + w.id + ".";
    Property(props, at + "kind", w.kind);
    Property(props, at + "write_gap_s", fmt::format("{:.3f}", w.write_gap_s));
    Property(props, at + "writes",
             fmt::format("{} ok, {} failed, {} info", w.writes_ok, w.writes_failed, w.writes_info));
    if (w.latency_p99_ms) Property(props, at + "latency_p99_ms", fmt::format("{:.1f}", *w.latency_p99_ms));
    if (w.read_only_refusals)
      Property(props, at + "read_only_refusals",
               fmt::format("{} over {:.3f}s", w.read_only_refusals, w.stale_window_s));
  }
}

}  // namespace pgha
