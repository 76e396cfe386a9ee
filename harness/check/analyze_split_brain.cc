// split_brain and split_brain_writes (definitions in measurements.h).
#include <algorithm>
#include <map>

#include "check/measurements.h"
#include "check/op_index.h"

namespace pgha {
namespace {

struct Span {
  int64_t start, end;
  std::string node;
};

// One node's evidence being gathered into a span.
struct Open {
  bool open = false;
  int64_t start = 0, end = 0;
};

// Writable intervals per node: acknowledged probes and client writes in
// completion order (both lists are), ended by a probe of the node that was
// refused or failed, or a client write that the node refused. One merge of
// the two lists: linear.
std::vector<Span> WritableSpans(const std::map<std::string, std::string>& node_of, const OpsByKind& ops) {
  std::map<std::string, Open> open;  // by node; references stay valid
  std::vector<Span> spans;
  auto close = [&](const std::string& node, Open& o) {
    if (o.open) spans.push_back({o.start, o.end, node});
    o.open = false;
  };
  auto take = [](Open& o, const Op& op) {
    if (!o.open) o = {true, op.invoke_ns, op.complete_ns};
    o.start = std::min(o.start, op.invoke_ns);
    o.end = std::max(o.end, op.complete_ns);
  };
  std::vector<const Op*> probes = ops.probes;
  SortNearlySorted(probes, [](const Op* a, const Op* b) { return a->complete_ns < b->complete_ns; });
  static const std::string kNone;
  // The last write's server and where its node's evidence goes, kept: it rarely changes.
  const std::string* last_server = &kNone;
  const std::string* last_node = &kNone;
  Open* last_open = nullptr;
  size_t pi = 0;
  for (size_t wi = 0; wi < ops.writes.size() || pi < probes.size();) {
    const bool probe =
        wi == ops.writes.size() || (pi < probes.size() && probes[pi]->complete_ns <= ops.writes[wi]->complete_ns);
    const Op& op = probe ? *probes[pi++] : *ops.writes[wi++];
    if (probe) {
      Open& o = open[op.node];
      op.outcome == Outcome::kOk ? take(o, op) : close(op.node, o);
      continue;
    }
    if (op.outcome == Outcome::kInfo) continue;
    if (op.server != *last_server) {
      auto it = node_of.find(op.server);
      last_server = &op.server.str();
      last_node = it == node_of.end() ? &kNone : &it->second;
      last_open = last_node->empty() ? nullptr : &open[*last_node];
    }
    if (!last_open) continue;
    op.outcome == Outcome::kOk ? take(*last_open, op) : close(*last_node, *last_open);  // kFail: the server refused it
  }
  for (auto& [node, o] : open)
    if (o.open) spans.push_back({o.start, o.end, node});
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
      Interval iv{SecondsOfNs(since), SecondsOfNs(t), {}};
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
    if (SecondsOfNs(op.complete_ns) >= iv.start_s && SecondsOfNs(op.invoke_ns) <= iv.end_s &&
        std::find(iv.nodes.begin(), iv.nodes.end(), node) != iv.nodes.end())
      return true;
  return false;
}

int64_t SplitWrites(const std::map<std::string, std::string>& node_of_address, const OpsByKind& ops,
                    const std::vector<Interval>& intervals) {
  if (intervals.empty()) return 0;
  int64_t count = 0;
  for (const Op* p : ops.probes)
    if (p->outcome == Outcome::kOk && During(*p, p->node, intervals)) ++count;
  // Most writes fall outside every interval: those are passed over by two comparisons.
  double lo = intervals.front().start_s, hi = intervals.front().end_s;
  for (const auto& iv : intervals) {
    lo = std::min(lo, iv.start_s);
    hi = std::max(hi, iv.end_s);
  }
  static const std::string kNone;
  const std::string* last_server = &kNone;  // the look-up of the last write's server, kept: it rarely changes
  const std::string* last_node = &kNone;
  for (const Op* w : ops.writes) {
    if (w->outcome != Outcome::kOk || SecondsOfNs(w->complete_ns) < lo || SecondsOfNs(w->invoke_ns) > hi) continue;
    if (w->server != *last_server) {
      auto it = node_of_address.find(w->server);
      last_server = &w->server.str();
      last_node = it == node_of_address.end() ? &kNone : &it->second;
    }
    if (!last_node->empty() && During(*w, *last_node, intervals)) ++count;
  }
  return count;
}

}  // namespace

void AnalyzeSplitBrain(const History& h, const OpsByKind& ops, Measurements* m) {
  const auto node_of = NodeOfAddress(h, ops);  // once, for both passes
  m->split_brain_intervals = Overlaps(WritableSpans(node_of, ops));
  for (const auto& iv : m->split_brain_intervals) m->split_brain_s += iv.end_s - iv.start_s;
  m->split_brain_writes = SplitWrites(node_of, ops, m->split_brain_intervals);
}

}  // namespace pgha
