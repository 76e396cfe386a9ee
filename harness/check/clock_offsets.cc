#include "check/clock_offsets.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/units.h"

namespace pgha {
namespace {

// The process whose clock stamped a cluster event ("" for the watch: our own clock).
std::string StampedBy(const ClusterEvent& e) {
  if (e.source == "postgresql log") return "postgres";
  if (e.source == "patroni log") return "patroni";
  if (e.source == "haproxy log") return "haproxy";
  return "";
}

}  // namespace

ClockOffsets::ClockOffsets(const std::vector<JournalEntry>& journal) {
  for (const auto& j : journal) {
    if (j.action != JournalAction::kClock) continue;
    auto seconds = ParseNumber(!j.detail.empty() && j.detail[0] == '+' ? j.detail.substr(1) : j.detail);
    if (!seconds) continue;
    changes_[{j.target, j.kind}].emplace_back(j.t_ns, static_cast<int64_t>(std::llround(*seconds * 1e9)));
  }
  for (auto& [key, list] : changes_)
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
}

int64_t ClockOffsets::OffsetNs(const std::string& host, const std::string& process, int64_t t_ns) const {
  auto it = changes_.find({host, process});
  if (it == changes_.end()) return 0;
  int64_t offset = 0;
  for (const auto& [from, ns] : it->second) {
    if (from > t_ns) break;
    offset = ns;
  }
  return offset;
}

int64_t ClockOffsets::Correct(const std::string& host, const std::string& process, int64_t stamped_ns) const {
  auto it = changes_.find({host, process});
  if (it == changes_.end()) return stamped_ns;
  // The latest change whose offset puts the stamp at or after it: a clock
  // rolled back stamps the same times twice, and the later is the likelier.
  for (auto c = it->second.rbegin(); c != it->second.rend(); ++c)
    if (stamped_ns - c->second >= c->first) return stamped_ns - c->second;
  return stamped_ns;  // before the first change: the real time
}

std::vector<std::string> ClockOffsets::Describe() const {
  std::vector<std::string> out;
  for (const auto& [key, list] : changes_) {
    std::vector<std::string> offsets;
    for (const auto& [from, ns] : list)
      if (ns != 0) {
        const std::string s = fmt::format("{:+g}s", static_cast<double>(ns) / 1e9);
        if (std::find(offsets.begin(), offsets.end(), s) == offsets.end()) offsets.push_back(s);
      }
    if (!offsets.empty()) out.push_back(fmt::format("{} {}: {}", key.first, key.second, fmt::join(offsets, ", ")));
  }
  return out;
}

History WithServerClocksCorrected(const History& h, const ClockOffsets& offsets,
                                  const std::map<std::string, std::string>& node_of_address) {
  History out = h;
  for (auto& op : out.ops) {
    if (!op.server_at_ns) continue;
    auto node = node_of_address.find(std::string(op.server));
    if (node != node_of_address.end()) op.server_at_ns = offsets.Correct(node->second, "postgres", *op.server_at_ns);
  }
  for (auto& e : out.events) {
    const std::string process = StampedBy(e);
    if (!process.empty() && !e.host.empty()) e.t_ns = offsets.Correct(e.host, process, e.t_ns);
  }
  std::stable_sort(out.events.begin(), out.events.end(),
                   [](const ClusterEvent& a, const ClusterEvent& b) { return a.t_ns < b.t_ns; });
  return out;
}

}  // namespace pgha
