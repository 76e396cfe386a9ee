#include "report/sweep_html.h"

#include <fmt/format.h>

#include <algorithm>

#include "report/junit.h"

namespace pgha {
namespace {

std::string Value(const SweepRow& r, const std::string& axis) {
  for (const auto& [k, v] : r.settings)
    if (k == axis) return v;
  return "";
}

std::string Table(const SweepResult& s) {
  std::string out = "<table><tr>";
  for (const auto& a : s.axes) out += "<th>" + XmlEscape(a) + "</th>";
  out +=
      "<th>Runs</th><th>Failover min / median / p95 / max</th><th>Runs losing writes</th><th>Runs with two "
      "primaries</th><th>False failovers (runs)</th><th>Control: leader changes, failed "
      "writes</th><th>Frontier</th></tr>\n";
  for (const auto& r : s.rows) {
    out += "<tr>";
    for (const auto& a : s.axes) out += "<td>" + XmlEscape(Value(r, a)) + "</td>";
    if (!r.skipped.empty()) {
      out += fmt::format("<td colspan=\"7\" class=\"skipped\">skipped: {}</td></tr>\n", XmlEscape(r.skipped));
      continue;
    }
    const auto& d = r.failover;
    out += fmt::format(
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{} of {}</td><td class=\"{}\">{}</td><td>{}</td></tr>\n",
        r.runs,
        (d.n ? fmt::format("{:.2f} / {:.2f} / {:.2f} / {:.2f} s", d.min, d.median, d.p95, d.max) : "-") +
            (r.unrecovered_runs ? fmt::format("; never came back in {} run(s)", r.unrecovered_runs) : ""),
        r.lost_runs, r.split_runs, r.false_failover_runs, r.false_failover_judged, r.CleanControl() ? "pass" : "fail",
        r.control_leader_changes ? fmt::format("{}, {}", *r.control_leader_changes, *r.control_failed_writes)
                                 : "not run",
        r.frontier ? "<b>&#9733; frontier</b>" : "");
    if (!r.runs_as.empty())  // what the Patroni that ran changed of the point's settings
      out += fmt::format("<tr><td colspan=\"{}\" class=\"skipped\">{}</td></tr>\n", s.axes.size() + 7,
                         XmlEscape(r.runs_as));
  }
  return out + "</table>\n";
}

// Failover time against one setting: a column per value.
std::string Plot(const SweepResult& s, const std::string& axis) {
  std::vector<std::string> values;
  double top = 1;
  for (const auto& r : s.rows) {
    const std::string v = Value(r, axis);
    if (std::find(values.begin(), values.end(), v) == values.end()) values.push_back(v);
    if (r.failover.n) top = std::max(top, r.failover.max);
  }
  top *= 1.1;
  const int left = 50, width = 600, height = 200, col = width / static_cast<int>(std::max<size_t>(1, values.size()));
  auto y = [&](double v) { return 10 + height - static_cast<int>(v / top * height); };
  std::string svg = fmt::format(
      "<h3>Failover time against {}</h3>\n<svg width=\"{}\" height=\"{}\" role=\"img\">\n"
      "<line x1=\"{}\" y1=\"10\" x2=\"{}\" y2=\"{}\" stroke=\"#9aa3b2\"/>"
      "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#9aa3b2\"/>\n"
      "<text x=\"4\" y=\"16\">{:.0f}s</text><text x=\"4\" y=\"{}\">0</text>\n",
      XmlEscape(axis), left + width + 20, height + 40, left, left, height + 10, left, height + 10, left + width,
      height + 10, top, height + 10);
  for (size_t i = 0; i < values.size(); ++i)
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", left + col * i + col / 2,
                       height + 28, XmlEscape(values[i]));
  // Each column's combinations side by side around its centre.
  std::vector<int> count(values.size(), 0), seen(values.size(), 0);
  for (const auto& r : s.rows)
    if (r.skipped.empty()) ++count[std::find(values.begin(), values.end(), Value(r, axis)) - values.begin()];
  for (const auto& r : s.rows) {
    if (!r.skipped.empty()) continue;
    const size_t i = std::find(values.begin(), values.end(), Value(r, axis)) - values.begin();
    const int x = left + col * static_cast<int>(i) + col / 2 + (2 * seen[i]++ - (count[i] - 1)) * 7;
    if (r.failover.n == 0) {  // writes never came back
      svg += fmt::format(
          "<text x=\"{}\" y=\"20\" text-anchor=\"middle\" fill=\"#c5221f\"><title>{}: never came "
          "back</title>&#215;</text>\n",
          x, XmlEscape(r.label));
      continue;
    }
    const char* colour = r.CleanControl() ? "#1e8e3e" : "#c5221f";
    svg += fmt::format(
        "<g><title>{}: median {:.2f}s, {}-{:.2f}s</title><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" "
        "stroke=\"{}\"/><circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{}\"/>{}</g>\n",
        XmlEscape(r.label), r.failover.median, fmt::format("{:.2f}", r.failover.min), r.failover.max, x,
        y(r.failover.min), x, y(r.failover.max), colour, x, y(r.failover.median), colour,
        r.frontier ? fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"8\" fill=\"none\" stroke=\"#1d2330\"/>", x,
                                 y(r.failover.median))
                   : "");
  }
  return svg + "</svg>\n";
}

}  // namespace

std::string RenderSweepHtml(const SweepResult& s) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>pgha-chaos sweep</title><style>"
      "body{font:14px/1.45 sans-serif;color:#1d2330;margin:24px auto;max-width:1080px;padding:0 16px}"
      "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid "
      "#e6e9ef}th{background:#f4f6f9}td.num{text-align:right}.pass{color:#0b6b2f}.fail{color:#b3261e}"
      ".skipped{color:#5b6475}svg text{font:11px sans-serif;fill:#3b4456}</style></head><body>\n";
  out += fmt::format(
      "<h1>Sweep of {}{}</h1>\n<p>{} combinations of {}; {} trials each; a {:.0f} s no-fault control "
      "per combination. The frontier: with a clean control, no other combination is faster and loses "
      "writes in fewer runs.</p>\n",
      XmlEscape(s.scenario), s.partial ? " (partial)" : "", s.rows.size(),
      XmlEscape(fmt::format("{}", fmt::join(s.axes, ", "))), s.trials, s.control_s);
  out += Table(s);
  for (const auto& a : s.axes) out += Plot(s, a);
  return out +
         "<p class=\"skipped\">Dots: median failover; whiskers: the fastest to the slowest run; green: a clean "
         "control; ringed: the frontier; a red cross at the top: writes never came back.</p>\n</body></html>\n";
}

}  // namespace pgha
