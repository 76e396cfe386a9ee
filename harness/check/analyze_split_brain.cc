// split_brain and split_brain_writes (definitions in measurements.h).
#include <algorithm>
#include <map>

#include "check/measurements.h"
#include "check/op_index.h"

namespace pgha {
namespace {

double Sec(int64_t ns) { return static_cast<double>(ns) / 1e9; }

struct Span {
  int64_t start, end;
  std::string node;
};

// Writable intervals per node from consecutive accepted probes.
std::vector<Span> WritableSpans(const OpsByKind& ops) {
  std::map<std::string, std::vector<const Op*>> probes;
  for (const Op* op : ops.probes) probes[op->node].push_back(op);
  std::vector<Span> spans;
  for (auto& [node, ops] : probes) {
    std::sort(ops.begin(), ops.end(), [](const Op* a, const Op* b) { return a->invoke_ns < b->invoke_ns; });
    const Op* first = nullptr;
    const Op* last = nullptr;
    for (const Op* op : ops) {
      if (op->outcome == Outcome::kOk) {
        if (!first) first = op;
        last = op;
      } else if (first) {
        spans.push_back({first->invoke_ns, last->complete_ns, node});
        first = last = nullptr;
      }
    }
    if (first) spans.push_back({first->invoke_ns, last->complete_ns, node});
  }
  return spans;
}

// Sweep: the intervals with two or more distinct nodes writable.
std::vector<Interval> Overlaps(const std::vector<Span>& spans) {
  std::vector<std::pair<int64_t, int>> events;
  for (size_t i = 0; i < spans.size(); ++i) {
    events.push_back({spans[i].start, static_cast<int>(i) + 1});
    events.push_back({spans[i].end, -static_cast<int>(i) - 1});
  }
  std::sort(events.begin(), events.end());
  std::vector<Interval> out;
  std::map<std::string, int> open;
  int64_t since = 0;
  for (const auto& [t, e] : events) {
    const Span& s = spans[std::abs(e) - 1];
    const bool was_split = open.size() >= 2;
    if (e > 0)
      ++open[s.node];
    else if (--open[s.node] == 0)
      open.erase(s.node);
    const bool is_split = open.size() >= 2;
    if (!was_split && is_split) since = t;
    if (was_split && !is_split) {
      Interval iv{Sec(since), Sec(t), {}};
      for (const auto& sp : spans)
        if (sp.start < t && sp.end > since) iv.nodes.push_back(sp.node);
      std::sort(iv.nodes.begin(), iv.nodes.end());
      iv.nodes.erase(std::unique(iv.nodes.begin(), iv.nodes.end()), iv.nodes.end());
      out.push_back(iv);
    }
  }
  return out;
}

// Acknowledged writes served by one node while another node was writable.
bool During(const Op& op, const std::string& node, const std::vector<Interval>& intervals) {
  for (const auto& iv : intervals)
    if (Sec(op.complete_ns) >= iv.start_s && Sec(op.invoke_ns) <= iv.end_s &&
        std::find(iv.nodes.begin(), iv.nodes.end(), node) != iv.nodes.end())
      return true;
  return false;
}

int64_t SplitWrites(const OpsByKind& ops, const std::vector<Interval>& intervals) {
  if (intervals.empty()) return 0;
  std::map<std::string, std::string> node_of_address;
  for (const Op* p : ops.probes)
    if (!p->server.empty()) node_of_address[p->server] = p->node;
  int64_t count = 0;
  for (const Op* p : ops.probes)
    if (p->outcome == Outcome::kOk && During(*p, p->node, intervals)) ++count;
  static const std::string kNone;
  const std::string* last_server = &kNone;  // the look-up of the last write's server, kept: it rarely changes
  const std::string* last_node = &kNone;
  for (const Op* w : ops.writes) {
    if (w->outcome != Outcome::kOk) continue;
    if (w->server != *last_server) {
      auto it = node_of_address.find(w->server);
      last_server = &w->server;
      last_node = it == node_of_address.end() ? &kNone : &it->second;
    }
    if (!last_node->empty() && During(*w, *last_node, intervals)) ++count;
  }
  return count;
}

}  // namespace

void AnalyzeSplitBrain(const OpsByKind& ops, Measurements* m) {
  m->split_brain_intervals = Overlaps(WritableSpans(ops));
  for (const auto& iv : m->split_brain_intervals) m->split_brain_s += iv.end_s - iv.start_s;
  m->split_brain_writes = SplitWrites(ops, m->split_brain_intervals);
}

}  // namespace pgha
