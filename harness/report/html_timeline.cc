// The timeline of one scenario, to scale: x is seconds since the run began.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "report/html.h"
#include "report/junit.h"

namespace pgha {
namespace {

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

// A fault's label: its id, and what it measured of itself ("fault2: delay 200.7 ms, asked 200").
std::string FaultLabel(const std::string& id, const std::vector<FaultEffect>& effects) {
  std::string label = id;
  for (const auto& e : effects)
    if (e.fault_id == id)
      label += fmt::format(": {} {:.1f}, asked {:g}{}", e.quantity, e.p50, e.asked,
                           e.within() ? "" : " (outside tolerance)");
  return label;
}

// Fault windows: from inject to the next heal of the same id, or "all".
std::string TimelineFaultWindows(const History& h, const Layout& l, const std::vector<FaultEffect>& effects) {
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
    svg += fmt::format("<text x=\"{:.1f}\" y=\"11\">{}</text>\n", l.X(a) + 2, XmlEscape(FaultLabel(id, effects)));
  }
  return svg;
}

// Marks at most one per pixel column (ok writes, probes, latency) or per
// tenth of a pixel (failed, indeterminate and lost writes: the resolution
// the SVG is written at, so none of them is ever merged into another
// kind or hidden): the report's size does not grow with the run's length
// or rate. Columns are x positions, in tenths of a pixel.
class Columns {
 public:
  explicit Columns(const Layout& l, int per_pixel) : l_(l), per_pixel_(per_pixel) {}
  void Add(double t_s) { cols_.push_back(static_cast<int64_t>(l_.X(t_s) * per_pixel_)); }
  // The distinct columns, in order.
  std::vector<int64_t> Distinct() {
    std::sort(cols_.begin(), cols_.end());
    cols_.erase(std::unique(cols_.begin(), cols_.end()), cols_.end());
    return cols_;
  }
  double X(int64_t col) const { return static_cast<double>(col) / per_pixel_; }

 private:
  const Layout& l_;
  int per_pixel_;
  std::vector<int64_t> cols_;
};

// Per member: Patroni's role (runs of one role drawn as one bar), and the
// pixel columns in which it took direct writes.
std::string MemberRow(const History& h, const Layout& l, const std::string& name, int i) {
  const int y = l.rows_top + i * (2 * l.lane + 6);
  std::string svg =
      fmt::format("<text x=\"0\" y=\"{}\">{}</text><text x=\"0\" y=\"{}\" class=\"small\">writable</text>\n", y + 13,
                  XmlEscape(name), y + l.lane + 12);
  auto color_at = [&](const ObserverSample& o) -> std::string {
    for (const auto& m : o.members)
      if (m.name == name) return m.IsLeader() ? "#1a73e8" : m.IsRunning() ? "#8ab4f8" : "#c7ccd4";
    return "#c7ccd4";  // not listed: down
  };
  for (size_t k = 0; k + 1 < h.observer.size();) {
    if (!h.observer[k].reachable) {
      ++k;
      continue;
    }
    const std::string color = color_at(h.observer[k]);
    size_t end = k + 1;
    while (end + 1 < h.observer.size() && h.observer[end].reachable && color_at(h.observer[end]) == color) ++end;
    const double x0 = l.X(h.observer[k].t_ns / 1e9), x1 = l.X(h.observer[end].t_ns / 1e9);
    svg += fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.2f}\" height=\"{}\" fill=\"{}\"/>\n", x0, y,
                       x1 - x0 + 0.3, l.lane - 4, color);
    k = end;
  }
  Columns probes(l, 1);
  for (const auto& op : h.ops)
    if (op.type == OpType::kProbe && op.node == name && op.outcome == Outcome::kOk) probes.Add(op.invoke_ns / 1e9);
  for (int64_t c : probes.Distinct())
    svg += fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"2\" height=\"{}\" fill=\"#e37400\"/>\n", probes.X(c),
                       y + l.lane, l.lane - 6);
  return svg;
}

// Client writes at their completion, one row per outcome and a row of lost
// writes; then the latency of acknowledged writes, per pixel column the
// range from the fastest to the slowest.
std::string TimelineWrites(const History& h, const Layout& l) {
  std::string svg = fmt::format(
      "<text x=\"0\" y=\"{}\">writes</text><text x=\"72\" y=\"{}\" style=\"font-size:9px\">ok</text>"
      "<text x=\"72\" y=\"{}\" style=\"font-size:9px\">fail</text><text x=\"72\" y=\"{}\" "
      "style=\"font-size:9px\">info</text><text x=\"72\" y=\"{}\" style=\"font-size:9px\">lost</text>\n",
      l.writes_y + 17, l.writes_y + 7, l.writes_y + 17, l.writes_y + 27, l.writes_y + 37);
  Columns ok(l, 1), fail(l, 10), info(l, 10), lost(l, 10);
  std::map<int64_t, std::pair<double, double>> latency;  // pixel column: fastest, slowest
  double max_latency = 0.01;
  for (const auto& op : h.ops) {
    if (op.type != OpType::kWrite) continue;
    const double t = op.complete_ns / 1e9;
    if (op.outcome == Outcome::kFail) fail.Add(t);
    if (op.outcome == Outcome::kInfo) info.Add(t);
    if (op.outcome != Outcome::kOk) continue;
    ok.Add(t);
    if (h.final_read_ok && !h.final_keys.count(op.key)) lost.Add(t);
    const double lat = (op.complete_ns - op.invoke_ns) / 1e9;
    auto [it, fresh] = latency.try_emplace(static_cast<int64_t>(l.X(t)), lat, lat);
    if (!fresh) it->second = {std::min(it->second.first, lat), std::max(it->second.second, lat)};
    max_latency = std::max(max_latency, lat);
  }
  const std::pair<Columns*, const char*> rows[] = {
      {&ok, "#1e8e3e"}, {&fail, "#d93025"}, {&info, "#f9ab00"}, {&lost, "#7b1fa2"}};
  for (int row = 0; row < 4; ++row)
    for (int64_t c : rows[row].first->Distinct())
      svg += fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"1\" height=\"7\" fill=\"{}\"/>\n", rows[row].first->X(c),
                         l.writes_y + row * 10, rows[row].second);
  svg +=
      fmt::format("<text x=\"0\" y=\"{}\">latency</text><text x=\"0\" y=\"{}\" class=\"small\">max {:.0f} ms</text>\n",
                  l.latency_y + 12, l.latency_y + 26, max_latency * 1000);
  svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#e6e9ef\"/>\n", l.left,
                     l.latency_y, l.width, l.latency_h);
  auto y_of = [&](double lat) { return l.latency_y + l.latency_h - lat / max_latency * l.latency_h; };
  for (const auto& [col, range] : latency)
    svg += fmt::format("<rect x=\"{}\" y=\"{:.1f}\" width=\"1\" height=\"{:.1f}\" fill=\"#3b4456\"/>\n", col,
                       y_of(range.second) - 1, y_of(range.first) - y_of(range.second) + 2);
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
    "<span style=\"color:#e37400\">|</span> the member accepted a direct write; client writes where they ended, one "
    "mark per pixel column for acknowledged ones (<span style=\"color:#1e8e3e\">|</span> ok), every failed (<span "
    "style=\"color:#d93025\">|</span>), indeterminate (<span style=\"color:#f9ab00\">|</span>) and lost (<span "
    "style=\"color:#7b1fa2\">|</span>) write at its own place; latency: the fastest to the slowest acknowledged "
    "write of each pixel column; shaded: a fault was active.</p>\n";

}  // namespace

std::string RenderTimeline(const History& h, const std::vector<FaultEffect>& effects) {
  const std::vector<std::string> members = MembersOf(h);
  Layout l;
  l.end_s = std::max(1.0, h.end_ns / 1e9);
  l.writes_y = l.rows_top + static_cast<int>(members.size()) * (2 * l.lane + 6) + 8;
  l.latency_y = l.writes_y + 4 * 10 + 14;
  l.height = l.latency_y + l.latency_h + 28;
  std::string svg = fmt::format("<svg viewBox=\"0 0 {} {}\" width=\"100%\" role=\"img\" aria-label=\"timeline\">\n",
                                l.left + l.width + 10, l.height);
  svg += TimelineFaultWindows(h, l, effects);
  for (int i = 0; i < static_cast<int>(members.size()); ++i) svg += MemberRow(h, l, members[i], i);
  svg += TimelineWrites(h, l);
  svg += Axis(l);
  return svg + "</svg>\n" + kLegend;
}

}  // namespace pgha
