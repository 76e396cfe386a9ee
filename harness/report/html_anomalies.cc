// The list-append section of a scenario in the HTML report: what the
// transactional checker (elle/list_append_check.h) judged, each anomaly
// with its explanation and its transactions drawn on the run's timeline
// (a bar from invocation to completion, coloured by outcome, and the
// faults' windows shaded), and the consistency models ruled out.
#include <fmt/format.h>

#include <algorithm>

#include "report/html.h"
#include "report/junit.h"

namespace pgha {
namespace {

constexpr double kWidth = 860, kLeft = 60, kRow = 16;

// The faults' windows from the journal: inject to heal, per fault id.
std::vector<std::pair<int64_t, int64_t>> FaultWindows(const History& h) {
  std::vector<std::pair<int64_t, int64_t>> out;
  for (const auto& j : h.journal) {
    if (j.action == JournalAction::kInject) out.emplace_back(j.t_ns, h.end_ns);
    if (j.action == JournalAction::kHeal)
      for (auto& w : out)
        if (w.second == h.end_ns) w.second = j.t_ns;
  }
  return out;
}

std::string TxnStrip(const History& h, const std::vector<uint32_t>& txns) {
  const double end = std::max<double>(1, static_cast<double>(h.end_ns));
  auto x = [&](int64_t ns) { return kLeft + (kWidth - kLeft - 10) * std::clamp(ns / end, 0.0, 1.0); };
  const double height = kRow * static_cast<double>(txns.size()) + 18;
  std::string svg = fmt::format("<svg width=\"{}\" height=\"{:.0f}\" role=\"img\">", kWidth, height);
  for (const auto& [from, to] : FaultWindows(h))
    svg += fmt::format("<rect x=\"{:.1f}\" y=\"0\" width=\"{:.1f}\" height=\"{:.0f}\" fill=\"#fde7e7\"/>", x(from),
                       std::max(1.0, x(to) - x(from)), height - 14);
  int row = 0;
  for (uint32_t t : txns) {
    if (t >= h.txns.txns.size()) continue;
    const elle::Txn& txn = h.txns.txns[t];
    const int64_t complete = txn.complete_at == elle::kNever ? h.end_ns : txn.complete_at;
    const char* colour = txn.outcome == elle::TxnOutcome::kOk     ? "#1e8e3e"
                         : txn.outcome == elle::TxnOutcome::kFail ? "#c5221f"
                                                                  : "#b06000";
    const double y = kRow * row++ + 2;
    svg += fmt::format(
        "<text x=\"0\" y=\"{:.0f}\">T{}</text><rect x=\"{:.1f}\" y=\"{:.0f}\" width=\"{:.1f}\" height=\"10\" "
        "fill=\"{}\"><title>{}</title></rect>",
        y + 9, txn.complete_index >= 0 ? txn.complete_index : txn.invoke_index, x(txn.invoke_at), y,
        std::max(2.0, x(complete) - x(txn.invoke_at)), colour, XmlEscape(elle::DescribeTxn(h.txns, t)));
  }
  svg += fmt::format(
      "<text x=\"{}\" y=\"{:.0f}\">0 s</text><text x=\"{}\" y=\"{:.0f}\" text-anchor=\"end\">{:.1f} s</text>", kLeft,
      height - 2, kWidth - 10, height - 2, SecondsOfNs(h.end_ns));
  return svg + "</svg>\n";
}

}  // namespace

std::string RenderAnomalies(const ScenarioResult& r, const std::string& folder) {
  if (!r.measurements.txns) return "";
  const elle::CheckResult& c = *r.measurements.txns;
  std::string out = "<h3>Transactions (list-append)</h3>\n";
  out += fmt::format(
      "<p>{} transactions: {} committed, {} failed, {} indeterminate · {} dependency edges · <a "
      "href=\"{}/history.elle.json\">history.elle.json</a> is the history in elle-cli's format</p>\n",
      c.txns, c.ok, c.failed, c.indeterminate, c.edges, XmlEscape(folder));
  if (!c.failure_reasons.empty()) {
    out += "<p class=\"small muted\">Why transactions failed or ended indeterminate: ";
    for (const auto& [why, n] : c.failure_reasons) out += fmt::format("{} × {}; ", n, XmlEscape(why));
    out += "</p>\n";
  }
  if (!c.input_error.empty()) return out + "<p class=\"error\">" + XmlEscape(c.input_error) + "</p>\n";
  if (c.valid)
    return out + "<p class=\"pass\">No anomaly: the history is strictly serializable as far as it shows.</p>\n";
  out += fmt::format(
      "<p class=\"fail\">Rules out: {}{}</p>\n", XmlEscape(fmt::format("{}", fmt::join(c.not_models, ", "))),
      c.also_not_models.empty() ? "" : XmlEscape(fmt::format(" (and so {})", fmt::join(c.also_not_models, ", "))));
  if (c.search_exhausted)
    out += "<p class=\"error\">The cycle search ran out of its budget: some cycles may be unreported.</p>\n";
  out += "<table><tr><th>Anomaly</th><th class=\"num\">Count</th></tr>\n";
  for (const auto& [type, n] : c.counts)
    out += fmt::format("<tr><td><code>{}</code></td><td class=\"num\">{}</td></tr>\n", XmlEscape(type), n);
  out += "</table>\n";
  for (const auto& [type, list] : c.anomalies) {
    int shown = 0;
    for (const auto& a : list) {
      if (shown++ == 3) break;  // every one is in result.json
      out += fmt::format("<h4><code>{}</code></h4>\n<pre class=\"small\" style=\"white-space:pre-wrap\">{}</pre>\n",
                         XmlEscape(type), XmlEscape(a.explanation));
      out += TxnStrip(r.history, a.txns);
    }
  }
  return out;
}

}  // namespace pgha
