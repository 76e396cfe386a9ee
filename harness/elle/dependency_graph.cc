#include "elle/dependency_graph.h"

#include <algorithm>
#include <numeric>

namespace pgha::elle {
namespace {

bool InGraph(const ListAppendHistory& h, uint32_t txn) {
  return txn != kNoTxn && h.txns[txn].outcome != TxnOutcome::kFail;
}

// A read's edges go by its last element: wr from that element's writer,
// rw to the writer of the element after it in the order (or, after the
// order's last, to the acknowledged appends no read shows). A read ending
// on a branch off the order gets no rw edge. The acknowledged appends no
// read shows follow the order's last element (ww), as in Elle.
template <typename Emit>
void DataEdges(const ListAppendHistory& h, const ElementIndex& index, const VersionOrders& orders,
               const GraphOptions& options, Emit&& emit) {
  for (const KeyOrder& o : orders.keys)
    for (uint32_t i = 0; i + 1 < o.len; ++i)
      if (InGraph(h, o.writers[i]) && InGraph(h, o.writers[i + 1]) && o.writers[i] != o.writers[i + 1])
        emit(o.writers[i], o.writers[i + 1], kWW);
  std::vector<int> unobserved_used(orders.keys.size(), 0);
  for (size_t k = 0; k < orders.keys.size(); ++k) {
    const KeyOrder& o = orders.keys[k];
    if (o.len == 0 || !InGraph(h, o.writers[o.len - 1])) continue;
    for (uint32_t w : o.unobserved_writers)
      if (w != o.writers[o.len - 1] && unobserved_used[k]++ < options.max_unobserved_edges_per_key)
        emit(o.writers[o.len - 1], w, kWW);
  }
  for (const ReadRef& r : orders.reads) {
    const KeyOrder* o = orders.Find(r.key);
    const Mop& m = h.MopsOf(h.txns[r.txn])[r.mop];
    int64_t next = 0;
    if (m.read_len > 0) {
      const ElementRef* last = index.Find(r.key, h.ReadOf(m)[m.read_len - 1]);
      if (last == nullptr) continue;
      if (InGraph(h, last->txn) && last->txn != r.txn) emit(last->txn, r.txn, kWR);
      if (!r.prefix && last->pos < 0) continue;
      next = r.prefix ? m.read_len : last->pos + 1;
    }
    if (next < o->len) {
      if (InGraph(h, o->writers[next]) && o->writers[next] != r.txn) emit(r.txn, o->writers[next], kRW);
      continue;
    }
    int& used = unobserved_used[o - orders.keys.data()];
    for (uint32_t w : o->unobserved_writers)
      if (w != r.txn && used++ < options.max_unobserved_edges_per_key) emit(r.txn, w, kRW);
  }
}

template <typename Emit>
void ProcessEdges(const ListAppendHistory& h, Emit&& emit) {
  std::vector<std::pair<int32_t, uint32_t>> by_process;  // txns are in invocation order
  for (uint32_t t = 0; t < h.txns.size(); ++t)
    if (InGraph(h, t)) by_process.emplace_back(h.txns[t].process, t);
  std::stable_sort(by_process.begin(), by_process.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t i = 1; i < by_process.size(); ++i)
    if (by_process[i].first == by_process[i - 1].first) emit(by_process[i - 1].second, by_process[i].second, kProcess);
}

// Each transaction gets an edge from every one on the frontier when it is
// invoked; a completion retires the frontier's members that completed
// before its own invocation (they reach later ones through it).
template <typename Emit>
void RealtimeEdges(const ListAppendHistory& h, Emit&& emit) {
  struct Event {
    int64_t at;
    uint32_t txn;
    bool complete;
  };
  std::vector<Event> events;
  for (uint32_t t = 0; t < h.txns.size(); ++t) {
    if (!InGraph(h, t)) continue;
    events.push_back({h.txns[t].invoke_at, t, false});
    if (h.txns[t].complete_at != kNever) events.push_back({h.txns[t].complete_at, t, true});
  }
  // At one instant invocations first: real-time order is strict.
  std::sort(events.begin(), events.end(),
            [](const Event& a, const Event& b) { return a.at != b.at ? a.at < b.at : (!a.complete && b.complete); });
  std::vector<uint32_t> frontier;
  for (const Event& e : events) {
    if (!e.complete) {
      for (uint32_t f : frontier) emit(f, e.txn, kRealtime);
      continue;
    }
    const int64_t began = h.txns[e.txn].invoke_at;
    frontier.erase(
        std::remove_if(frontier.begin(), frontier.end(), [&](uint32_t f) { return h.txns[f].complete_at < began; }),
        frontier.end());
    frontier.push_back(e.txn);
  }
}

}  // namespace

DependencyGraph BuildDependencyGraph(const ListAppendHistory& h, const ElementIndex& index, const VersionOrders& orders,
                                     const GraphOptions& options) {
  DependencyGraph g;
  const size_t n = h.txns.size();
  std::vector<uint32_t> degree(n + 1, 0);
  auto all = [&](auto&& emit) {
    DataEdges(h, index, orders, options, emit);
    if (options.process_edges && !options.realtime_edges) ProcessEdges(h, emit);
    if (options.realtime_edges) RealtimeEdges(h, emit);
  };
  all([&](uint32_t from, uint32_t, uint8_t) { ++degree[from]; });
  g.offsets.assign(n + 1, 0);
  for (size_t i = 0; i < n; ++i) g.offsets[i + 1] = g.offsets[i] + degree[i];
  g.to.resize(g.offsets[n]);
  g.type.resize(g.offsets[n]);
  std::vector<uint32_t> fill(g.offsets.begin(), g.offsets.end() - 1);
  all([&](uint32_t from, uint32_t to, uint8_t type) {
    g.to[fill[from]] = to;
    g.type[fill[from]++] = type;
  });
  return g;
}

namespace {

constexpr uint32_t kUnseen = 0xffffffffu;

struct TarjanState {
  std::vector<uint32_t>& index;
  std::vector<uint32_t>& low;
  std::vector<uint32_t>& edge;
  std::vector<bool>& on_stack;
  std::vector<uint32_t>& stack;
  std::vector<uint32_t>& call;
};

// Tarjan's algorithm without recursion from `root`, following the edges
// `follow` accepts; `done` gets each component's members.
template <typename Follow, typename Done>
void Tarjan(const DependencyGraph& g, uint32_t root, TarjanState& t, uint32_t& next_index, Follow&& follow,
            Done&& done) {
  t.call.push_back(root);
  std::vector<uint32_t> members;
  while (!t.call.empty()) {
    const uint32_t v = t.call.back();
    if (t.index[v] == kUnseen) {
      t.index[v] = t.low[v] = next_index++;
      t.edge[v] = g.offsets[v];
      t.stack.push_back(v);
      t.on_stack[v] = true;
    }
    if (t.edge[v] < g.offsets[v + 1]) {
      const uint32_t e = t.edge[v]++;
      const uint32_t w = g.to[e];
      if (!follow(e, w)) continue;
      if (t.index[w] == kUnseen)
        t.call.push_back(w);
      else if (t.on_stack[w])
        t.low[v] = std::min(t.low[v], t.index[w]);
      continue;
    }
    t.call.pop_back();
    if (!t.call.empty()) t.low[t.call.back()] = std::min(t.low[t.call.back()], t.low[v]);
    if (t.low[v] != t.index[v]) continue;
    members.clear();
    uint32_t w;
    do {
      w = t.stack.back();
      t.stack.pop_back();
      t.on_stack[w] = false;
      members.push_back(w);
    } while (w != v);
    done(members);
  }
}

}  // namespace

Components StronglyConnected(const DependencyGraph& g) {
  const uint32_t n = g.Nodes();
  Components c;
  c.of.assign(n, kUnseen);
  std::vector<uint32_t> index(n, kUnseen), low(n, 0), edge(n, 0), stack, call;
  std::vector<bool> on_stack(n, false);
  TarjanState t{index, low, edge, on_stack, stack, call};
  uint32_t next_index = 0, next_component = 0;
  for (uint32_t root = 0; root < n; ++root) {
    if (index[root] != kUnseen) continue;
    Tarjan(
        g, root, t, next_index, [](uint32_t, uint32_t) { return true; },
        [&](const std::vector<uint32_t>& members) {
          for (uint32_t m : members) c.of[m] = next_component;
          ++next_component;
          if (members.size() > 1) c.cyclic.push_back(members);
        });
  }
  return c;
}

SubgraphComponents::SubgraphComponents(uint32_t nodes)
    : index_(nodes, kUnseen), low_(nodes, 0), edge_(nodes, 0), of_(nodes, kUnseen), on_stack_(nodes, false) {}

bool SubgraphComponents::Label(const DependencyGraph& g, const std::vector<uint32_t>& members,
                               const std::vector<uint32_t>& whole_of, uint32_t whole, uint8_t allowed) {
  for (uint32_t m : members) index_[m] = kUnseen;
  TarjanState t{index_, low_, edge_, on_stack_, stack_, call_};
  uint32_t next_index = 0, next_label = 0;
  bool cyclic = false;
  for (uint32_t root : members) {
    if (index_[root] != kUnseen) continue;
    Tarjan(
        g, root, t, next_index, [&](uint32_t e, uint32_t w) { return (g.type[e] & allowed) && whole_of[w] == whole; },
        [&](const std::vector<uint32_t>& component) {
          for (uint32_t m : component) of_[m] = next_label;
          ++next_label;
          cyclic = cyclic || component.size() > 1;
        });
  }
  return cyclic;
}

}  // namespace pgha::elle
