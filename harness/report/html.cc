#include "report/html.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "report/junit.h"

namespace pgha {
using nlohmann::json;

namespace {

std::string E(const std::string& s) { return XmlEscape(s); }
std::string Num(const json& v, const char* fmt_spec = "{:.2f}") {
  return v.is_number() ? fmt::format(fmt::runtime(fmt_spec), v.get<double>()) : std::string("–");
}

const char* kStyle = R"(
body{font:14px/1.45 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d2330;margin:24px auto;max-width:1080px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:2px solid #dde2ea;padding-bottom:4px}
h3{font-size:14px;margin:18px 0 6px;color:#3b4456}
table{border-collapse:collapse;width:100%;margin:6px 0 10px}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e6e9ef;vertical-align:top}
th{background:#f4f6f9;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
.pass{color:#0b6b2f;font-weight:600}.fail{color:#b3261e;font-weight:600}.error{color:#8a4b00;font-weight:600}.skipped{color:#5b6475;font-weight:600}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:700;color:#fff}
.b-pass{background:#1e8e3e}.b-fail{background:#c5221f}.b-error{background:#b06000}.b-skipped{background:#6b7280}
.muted{color:#5b6475}.small{font-size:12px}code{font-size:12px;background:#f4f6f9;padding:1px 4px;border-radius:3px}
.keys{font-family:monospace;font-size:12px;word-break:break-all}
svg text{font:11px sans-serif;fill:#3b4456}
@media print{body{margin:0;max-width:none}h2{break-before:page}table,svg{break-inside:avoid}}
)";

std::string Badge(const std::string& status) {
  return fmt::format("<span class=\"badge b-{0}\">{1}</span>", E(status), E(status == "pass" ? "PASS" : status == "fail" ? "FAIL" : status == "error" ? "ERROR" : "SKIPPED"));
}

std::string Overall(const json& r) {
  const int code = r.value("exit_code", 3);
  return code == 0 ? "pass" : code == 1 ? "fail" : "error";
}

// The timeline, to scale: x is seconds since the run began.
std::string Timeline(const HtmlScenario& s) {
  const History& h = s.history;
  const double end_s = std::max(1.0, h.end_ns / 1e9);
  const int left = 110, width = 940, lane = 18;
  std::vector<std::string> members = h.members;
  if (members.empty())
    for (const auto& o : h.observer)
      for (const auto& m : o.members)
        if (std::find(members.begin(), members.end(), m.name) == members.end()) members.push_back(m.name);
  std::sort(members.begin(), members.end());
  const int rows_top = 24;
  const int member_rows = static_cast<int>(members.size());
  const int writes_y = rows_top + member_rows * (2 * lane + 6) + 8;
  const int latency_y = writes_y + 3 * 10 + 14;
  const int latency_h = 60;
  const int height = latency_y + latency_h + 28;
  auto X = [&](double t) { return left + t / end_s * width; };
  std::string svg = fmt::format("<svg viewBox=\"0 0 {} {}\" width=\"100%\" role=\"img\" aria-label=\"timeline\">\n", left + width + 10, height);
  // Fault windows: from inject to the next heal of the same id, or "all".
  std::map<std::string, double> open;
  std::vector<std::tuple<double, double, std::string>> windows;
  for (const auto& j : h.journal) {
    const double t = j.t_ns / 1e9;
    if (j.action == "inject") open[j.fault_id] = t;
    if (j.action == "heal") {
      for (auto it = open.begin(); it != open.end();) {
        if (j.fault_id == "all" || it->first == j.fault_id) {
          windows.emplace_back(it->second, t, it->first);
          it = open.erase(it);
        } else {
          ++it;
        }
      }
    }
  }
  for (const auto& [id, t] : open) windows.emplace_back(t, end_s, id);
  for (const auto& [a, b, id] : windows) {
    svg += fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"#fde7e4\"/>\n", X(a), 14, std::max(1.0, X(b) - X(a)), height - 40);
    svg += fmt::format("<text x=\"{:.1f}\" y=\"11\">{}</text>\n", X(a) + 2, E(id));
  }
  // Per member: Patroni's role, and whether it took direct writes.
  for (int i = 0; i < member_rows; ++i) {
    const std::string& name = members[i];
    const int y = rows_top + i * (2 * lane + 6);
    svg += fmt::format("<text x=\"0\" y=\"{}\">{}</text><text x=\"0\" y=\"{}\" class=\"small\">writable</text>\n", y + 13, E(name), y + lane + 12);
    for (size_t k = 0; k + 1 < h.observer.size(); ++k) {
      const auto& o = h.observer[k];
      if (!o.reachable) continue;
      std::string color = "#c7ccd4";  // not listed: down
      for (const auto& m : o.members)
        if (m.name == name) color = m.IsLeader() ? "#1a73e8" : m.IsRunning() ? "#8ab4f8" : "#c7ccd4";
      svg += fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.2f}\" height=\"{}\" fill=\"{}\"/>\n", X(o.t_ns / 1e9), y, X(h.observer[k + 1].t_ns / 1e9) - X(o.t_ns / 1e9) + 0.3, lane - 4, color);
    }
    for (const auto& op : h.ops)
      if (op.type == OpType::kProbe && op.node == name && op.outcome == Outcome::kOk)
        svg += fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"2\" height=\"{}\" fill=\"#e37400\"/>\n", X(op.invoke_ns / 1e9), y + lane, lane - 6);
  }
  // Every client write as a mark at its completion, one row per outcome.
  std::vector<std::pair<double, double>> latency;
  double max_latency = 0.01;
  svg += fmt::format("<text x=\"0\" y=\"{}\">writes</text><text x=\"72\" y=\"{}\" style=\"font-size:9px\">ok</text>"
                     "<text x=\"72\" y=\"{}\" style=\"font-size:9px\">fail</text><text x=\"72\" y=\"{}\" style=\"font-size:9px\">info</text>\n",
                     writes_y + 17, writes_y + 7, writes_y + 17, writes_y + 27);
  for (const auto& op : h.ops) {
    if (op.type != OpType::kWrite) continue;
    const int row = op.outcome == Outcome::kOk ? 0 : op.outcome == Outcome::kFail ? 1 : 2;
    const char* color = row == 0 ? "#1e8e3e" : row == 1 ? "#d93025" : "#f9ab00";
    svg += fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"1\" height=\"7\" fill=\"{}\"/>\n", X(op.complete_ns / 1e9), writes_y + row * 10, color);
    if (op.outcome == Outcome::kOk) {
      const double l = (op.complete_ns - op.invoke_ns) / 1e9;
      latency.emplace_back(op.complete_ns / 1e9, l);
      max_latency = std::max(max_latency, l);
    }
  }
  // Latency of acknowledged writes.
  svg += fmt::format("<text x=\"0\" y=\"{}\">latency</text><text x=\"0\" y=\"{}\" class=\"small\">max {:.0f} ms</text>\n", latency_y + 12, latency_y + 26, max_latency * 1000);
  svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#e6e9ef\"/>\n", left, latency_y, width, latency_h);
  for (const auto& [t, l] : latency)
    svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"1.2\" fill=\"#3b4456\"/>\n", X(t), latency_y + latency_h - l / max_latency * latency_h);
  // Axis.
  const double step = end_s > 120 ? 20 : end_s > 40 ? 10 : 5;
  for (double t = 0; t <= end_s; t += step)
    svg += fmt::format("<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#9aa3b2\"/><text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\">{4:.0f}s</text>\n",
                       X(t), height - 22, height - 17, height - 5, t);
  svg += "</svg>\n";
  svg += "<p class=\"small muted\">Role per member from Patroni (<span style=\"color:#1a73e8\">■</span> primary, "
         "<span style=\"color:#8ab4f8\">■</span> replica, <span style=\"color:#c7ccd4\">■</span> down or not listed); "
         "<span style=\"color:#e37400\">|</span> a direct write the member accepted; every client write as a mark when it ended "
         "(<span style=\"color:#1e8e3e\">|</span> ok, <span style=\"color:#d93025\">|</span> failed, <span style=\"color:#f9ab00\">|</span> "
         "indeterminate); shaded: a fault was active.</p>\n";
  return svg;
}

std::string Keys(const json& keys) {
  if (!keys.is_array() || keys.empty()) return "<span class=\"muted\">none</span>";
  std::string out;
  size_t shown = 0;
  for (const auto& k : keys) {
    if (shown++ == 200) break;
    out += (out.empty() ? "" : ", ") + k.dump();
  }
  if (keys.size() > 200) out += fmt::format(" … and {} more (result.json has them all)", keys.size() - 200);
  return "<span class=\"keys\">" + out + "</span>";
}

std::string Scenario(const HtmlScenario& s, int index) {
  const json& r = s.result;
  const json& m = r["measurements"];
  std::string out = fmt::format("<h2 id=\"s{}\">{} {}</h2>\n<p>{}</p>\n<p class=\"small muted\">{} · seed {} · run {} · started {} · {:.1f} s wall · bring-up {:.1f} s</p>\n",
                                index, E(r["scenario"].value("name", "")), Badge(Overall(r)), E(r["scenario"].value("description", "")),
                                E(r["scenario"].value("file", "")), r.value("seed", json(0)).dump(), E(r.value("run_id", "")),
                                E(r.value("started_at", "")), r.value("wall_s", 0.0), r.value("bring_up_s", 0.0));
  if (!r.value("infrastructure_error", "").empty()) out += "<p class=\"error\">Error: " + E(r.value("infrastructure_error", "")) + "</p>\n";
  for (const auto& f : r.value("skipped_faults", json::array())) out += "<p class=\"skipped\">Skipped fault: " + E(f.get<std::string>()) + "</p>\n";
  out += "<table><tr><th>Target</th><th>Measured</th><th>Verdict</th><th>Why</th></tr>\n";
  for (const auto& v : r["verdicts"])
    out += fmt::format("<tr><td>{} {}</td><td class=\"num\">{}</td><td class=\"{}\">{}</td><td class=\"small\">{}</td></tr>\n", E(v.value("metric", "")),
                       E(v.value("target", "")), E(v.value("measured_text", "")), E(v.value("status", "")), E(v.value("status", "")), E(v.value("reason", "")));
  out += "</table>\n<h3>Timeline</h3>\n" + Timeline(s);
  if (m.value("fault_injected", false)) {
    out += "<h3>Failover phases</h3>\n<table><tr><th>Phase</th><th>After the fault</th></tr>\n";
    for (const auto& p : m["failover_phases"])
      out += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td></tr>\n", E(p.value("name", "")), p["after_fault_s"].is_number() ? Num(p["after_fault_s"]) + " s" : "not seen");
    out += fmt::format("</table><p class=\"small muted\">The fault that caused the outage was injected at {:.2f} s; the old primary answered as {}.</p>\n",
                       m.value("fault_at_s", 0.0), E(m.value("old_primary_server", "")));
    const json outages = m.value("outages", json::array());
    if (outages.size() > 1) {
      out += "<p>Outages (failover_time is the worst):</p>\n<table><tr><th>Fault</th><th>Injected at</th><th>Writes back after</th></tr>\n";
      for (const auto& o : outages)
        out += fmt::format("<tr><td>{}</td><td class=\"num\">{:.2f} s</td><td class=\"num\">{}</td></tr>\n", E(o.value("fault_id", "")),
                           o.value("fault_at_s", 0.0), o.value("recovered", true) ? fmt::format("{:.2f} s", o.value("duration_s", 0.0)) : "never");
      out += "</table>\n";
    }
  }
  const json& w = m["writes"];
  out += fmt::format("<h3>Writes</h3>\n<table><tr><th>Acknowledged</th><th>Failed</th><th>Indeterminate</th><th>Lost</th><th>Throughput</th><th>Latency p50 / p95 / p99</th></tr>"
                     "<tr><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num {}\">{}</td><td class=\"num\">{:.1f}/s</td><td class=\"num\">{:.1f} / {:.1f} / {:.1f} ms</td></tr></table>\n",
                     w.value("ok", 0), w.value("fail", 0), w.value("info", 0), m["lost_keys"].empty() ? "" : "fail", m["lost_keys"].size(),
                     m.value("throughput_per_s", 0.0), m["write_latency_s"].value("p50", 0.0) * 1000, m["write_latency_s"].value("p95", 0.0) * 1000,
                     m["write_latency_s"].value("p99", 0.0) * 1000);
  out += "<p>Lost (acknowledged, absent from the final primary): " + Keys(m["lost_keys"]) + "</p>\n";
  out += "<p>Indeterminate and found afterwards: " + Keys(m["info_recovered_keys"]) + "<br>Indeterminate and absent (no anomaly): " + Keys(m["info_absent_keys"]) + "</p>\n";
  out += "<h3>Split brain</h3>\n";
  if (m["split_brain_intervals"].empty()) out += "<p>No moment with two members accepting direct writes.</p>\n";
  else {
    out += "<table><tr><th>From</th><th>To</th><th>Length</th><th>Writable members</th></tr>\n";
    for (const auto& iv : m["split_brain_intervals"]) {
      std::string nodes;
      for (const auto& n : iv["nodes"]) nodes += (nodes.empty() ? "" : ", ") + n.get<std::string>();
      out += fmt::format("<tr><td class=\"num\">{:.2f} s</td><td class=\"num\">{:.2f} s</td><td class=\"num\">{:.2f} s</td><td>{}</td></tr>\n", iv.value("start_s", 0.0),
                         iv.value("end_s", 0.0), iv.value("end_s", 0.0) - iv.value("start_s", 0.0), E(nodes));
    }
    out += fmt::format("</table><p>{} writes were acknowledged by one member while another was writable.</p>\n", m.value("split_brain_writes", 0));
  }
  out += "<h3>Steps</h3>\n<table><tr><th>#</th><th>Step</th><th>From</th><th>To</th><th>Outcome</th><th>Detail</th></tr>\n";
  int n = 0;
  for (const auto& st : r["steps"])
    out += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"num\">{:.1f}</td><td class=\"num\">{:.1f}</td><td class=\"{}\">{}</td><td class=\"small\">{}</td></tr>\n", ++n,
                       E(st.value("step", "")), st.value("start_s", 0.0), st.value("end_s", 0.0), st.value("outcome", "") == "ok" ? "pass" : "error",
                       E(st.value("outcome", "")), E(st.value("detail", "")));
  out += "</table>\n<h3>Environment and settings under test</h3>\n<table>\n";
  const json versions = r.value("versions", json::object());
  const json settings = r.value("settings", json::object());
  for (const auto& [k, v] : versions.items()) out += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", E(k), E(v.is_string() ? v.get<std::string>() : v.dump()));
  for (const auto& [group, values] : settings.items())
    for (const auto& [k, v] : values.items())
      out += fmt::format("<tr><th>{}.{}</th><td>{}</td></tr>\n", E(group), E(k), E(v.is_string() ? v.get<std::string>() : v.dump()));
  out += "</table>\n<h3>Node logs</h3>\n<p>";
  for (const auto& host : s.history.members)
    for (const char* d : {"patroni", "etcd"})
      out += fmt::format("<a href=\"{0}/logs/{1}/{2}.log\">{1}/{2}.log</a> · ", E(s.folder), E(host), d);
  out += fmt::format("<a href=\"{0}/result.json\">result.json</a> · <a href=\"{0}/history.jsonl\">history.jsonl</a></p>\n", E(s.folder));
  return out;
}

}  // namespace

std::string RenderHtml(const std::vector<HtmlScenario>& scenarios) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>pgha-chaos report</title>\n<style>";
  out += kStyle;
  out += "</style></head><body>\n<h1>PostgreSQL HA acceptance report</h1>\n";
  int pass = 0, total = 0;
  std::string rows;
  int i = 0;
  for (const auto& s : scenarios) {
    const json& r = s.result;
    for (const auto& v : r["verdicts"]) {
      ++total;
      pass += v.value("status", "") == "pass";
      rows += fmt::format("<tr><td><a href=\"#s{}\">{}</a></td><td>{} {}</td><td class=\"num\">{}</td><td class=\"{}\">{}</td></tr>\n", i,
                          E(r["scenario"].value("name", "")), E(v.value("metric", "")), E(v.value("target", "")), E(v.value("measured_text", "")),
                          E(v.value("status", "")), E(v.value("status", "")));
    }
    ++i;
  }
  std::string started = scenarios.empty() ? "" : scenarios.front().result.value("started_at", "");
  out += fmt::format("<p class=\"muted\">{} scenarios · {} of {} targets met · started {}</p>\n", scenarios.size(), pass, total, E(started));
  out += "<table><tr><th>Scenario</th><th>Target</th><th>Measured</th><th>Verdict</th></tr>\n" + rows + "</table>\n";
  i = 0;
  for (const auto& s : scenarios) out += Scenario(s, i++);
  out += "<p class=\"small muted\">Written by pgha-chaos. Definitions of every measurement: docs/scenarios.md and harness/check/checker.h.</p>\n</body></html>\n";
  return out;
}

}  // namespace pgha
