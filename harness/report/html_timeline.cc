// The timeline of one scenario, to scale: x is seconds since the run began.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "report/html.h"
#include "report/junit.h"

namespace pgha {
namespace {

std::string E(const std::string& s) { return XmlEscape(s); }

struct Layout {
  double end_s = 1;
  int left = 110, width = 940, lane = 18;
  int rows_top = 24, writes_y = 0, latency_y = 0, latency_h = 60, height = 0;
  double X(double t) const { return left + t / end_s * width; }
};

std::vector<std::string> MembersOf(const History& h) {
  std::vector<std::string> members = h.members;
  if (members.empty())
    for (const auto& o : h.observer)
      for (const auto& m : o.members)
        if (std::find(members.begin(), members.end(), m.name) == members.end()) members.push_back(m.name);
  std::sort(members.begin(), members.end());
  return members;
}

// Fault windows: from inject to the next heal of the same id, or "all".
std::string FaultWindows(const History& h, const Layout& l) {
  std::map<std::string, double> open;
  std::vector<std::tuple<double, double, std::string>> windows;
  for (const auto& j : h.journal) {
    const double t = j.t_ns / 1e9;
    if (j.action == JournalAction::kInject) open[j.fault_id] = t;
    if (j.action != JournalAction::kHeal) continue;
    for (auto it = open.begin(); it != open.end();) {
      if (j.fault_id == "all" || it->first == j.fault_id) {
        windows.emplace_back(it->second, t, it->first);
        it = open.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (const auto& [id, t] : open) windows.emplace_back(t, l.end_s, id);
  std::string svg;
  for (const auto& [a, b, id] : windows) {
    svg += fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"#fde7e4\"/>\n", l.X(a), 14,
                       std::max(1.0, l.X(b) - l.X(a)), l.height - 40);
    svg += fmt::format("<text x=\"{:.1f}\" y=\"11\">{}</text>\n", l.X(a) + 2, E(id));
  }
  return svg;
}

// Per member: Patroni's role, and whether it took direct writes.
std::string MemberRow(const History& h, const Layout& l, const std::string& name, int i) {
  const int y = l.rows_top + i * (2 * l.lane + 6);
  std::string svg =
      fmt::format("<text x=\"0\" y=\"{}\">{}</text><text x=\"0\" y=\"{}\" class=\"small\">writable</text>\n", y + 13,
                  E(name), y + l.lane + 12);
  for (size_t k = 0; k + 1 < h.observer.size(); ++k) {
    const auto& o = h.observer[k];
    if (!o.reachable) continue;
    std::string color = "#c7ccd4";  // not listed: down
    for (const auto& m : o.members)
      if (m.name == name) color = m.IsLeader() ? "#1a73e8" : m.IsRunning() ? "#8ab4f8" : "#c7ccd4";
    svg += fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.2f}\" height=\"{}\" fill=\"{}\"/>\n", l.X(o.t_ns / 1e9),
                       y, l.X(h.observer[k + 1].t_ns / 1e9) - l.X(o.t_ns / 1e9) + 0.3, l.lane - 4, color);
  }
  for (const auto& op : h.ops)
    if (op.type == OpType::kProbe && op.node == name && op.outcome == Outcome::kOk)
      svg += fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"2\" height=\"{}\" fill=\"#e37400\"/>\n",
                         l.X(op.invoke_ns / 1e9), y + l.lane, l.lane - 6);
  return svg;
}

// Every client write as a mark at its completion, one row per outcome; then
// the latency of acknowledged writes.
std::string Writes(const History& h, const Layout& l) {
  std::vector<std::pair<double, double>> latency;
  double max_latency = 0.01;
  std::string svg = fmt::format(
      "<text x=\"0\" y=\"{}\">writes</text><text x=\"72\" y=\"{}\" style=\"font-size:9px\">ok</text>"
      "<text x=\"72\" y=\"{}\" style=\"font-size:9px\">fail</text><text x=\"72\" y=\"{}\" "
      "style=\"font-size:9px\">info</text>\n",
      l.writes_y + 17, l.writes_y + 7, l.writes_y + 17, l.writes_y + 27);
  for (const auto& op : h.ops) {
    if (op.type != OpType::kWrite) continue;
    const int row = op.outcome == Outcome::kOk ? 0 : op.outcome == Outcome::kFail ? 1 : 2;
    const char* color = row == 0 ? "#1e8e3e" : row == 1 ? "#d93025" : "#f9ab00";
    svg += fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"1\" height=\"7\" fill=\"{}\"/>\n",
                       l.X(op.complete_ns / 1e9), l.writes_y + row * 10, color);
    if (op.outcome != Outcome::kOk) continue;
    const double lat = (op.complete_ns - op.invoke_ns) / 1e9;
    latency.emplace_back(op.complete_ns / 1e9, lat);
    max_latency = std::max(max_latency, lat);
  }
  svg +=
      fmt::format("<text x=\"0\" y=\"{}\">latency</text><text x=\"0\" y=\"{}\" class=\"small\">max {:.0f} ms</text>\n",
                  l.latency_y + 12, l.latency_y + 26, max_latency * 1000);
  svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#e6e9ef\"/>\n", l.left,
                     l.latency_y, l.width, l.latency_h);
  for (const auto& [t, lat] : latency)
    svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"1.2\" fill=\"#3b4456\"/>\n", l.X(t),
                       l.latency_y + l.latency_h - lat / max_latency * l.latency_h);
  return svg;
}

std::string Axis(const Layout& l) {
  std::string svg;
  const double step = l.end_s > 120 ? 20 : l.end_s > 40 ? 10 : 5;
  for (double t = 0; t <= l.end_s; t += step)
    svg += fmt::format(
        "<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#9aa3b2\"/><text x=\"{0:.1f}\" y=\"{3}\" "
        "text-anchor=\"middle\">{4:.0f}s</text>\n",
        l.X(t), l.height - 22, l.height - 17, l.height - 5, t);
  return svg;
}

const char* kLegend =
    "<p class=\"small muted\">Role per member from Patroni (<span style=\"color:#1a73e8\">■</span> primary, "
    "<span style=\"color:#8ab4f8\">■</span> replica, <span style=\"color:#c7ccd4\">■</span> down or not listed); "
    "<span style=\"color:#e37400\">|</span> a direct write the member accepted; every client write as a mark when it "
    "ended "
    "(<span style=\"color:#1e8e3e\">|</span> ok, <span style=\"color:#d93025\">|</span> failed, <span "
    "style=\"color:#f9ab00\">|</span> "
    "indeterminate); shaded: a fault was active.</p>\n";

}  // namespace

std::string RenderTimeline(const History& h) {
  const std::vector<std::string> members = MembersOf(h);
  Layout l;
  l.end_s = std::max(1.0, h.end_ns / 1e9);
  l.writes_y = l.rows_top + static_cast<int>(members.size()) * (2 * l.lane + 6) + 8;
  l.latency_y = l.writes_y + 3 * 10 + 14;
  l.height = l.latency_y + l.latency_h + 28;
  std::string svg = fmt::format("<svg viewBox=\"0 0 {} {}\" width=\"100%\" role=\"img\" aria-label=\"timeline\">\n",
                                l.left + l.width + 10, l.height);
  svg += FaultWindows(h, l);
  for (int i = 0; i < static_cast<int>(members.size()); ++i) svg += MemberRow(h, l, members[i], i);
  svg += Writes(h, l);
  svg += Axis(l);
  return svg + "</svg>\n" + kLegend;
}

}  // namespace pgha
