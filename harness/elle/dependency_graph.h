// The list-append checker's dependency graph (list_append_check.h): one
// node per transaction (failed ones have no edges), edges ww, wr, rw from
// the version orders, process edges, and real-time edges to each
// transaction from the frontier of those completed before it was invoked.
// Stored as compressed rows (5 bytes an edge), built in two passes so no
// edge list is held twice; strongly connected components by an iterative
// Tarjan. Pure.
#pragma once

#include <cstdint>
#include <vector>

#include "elle/version_orders.h"

namespace pgha::elle {

enum EdgeType : uint8_t { kWW = 1, kWR = 2, kRW = 4, kProcess = 8, kRealtime = 16 };
inline constexpr uint8_t kDataEdges = kWW | kWR | kRW;

struct DependencyGraph {
  std::vector<uint32_t> offsets;  // node n's edges are [offsets[n], offsets[n+1])
  std::vector<uint32_t> to;
  std::vector<uint8_t> type;
  uint32_t Nodes() const { return offsets.empty() ? 0 : static_cast<uint32_t>(offsets.size() - 1); }
  uint64_t Edges() const { return to.size(); }
};

// Process edges only without real-time ones (as Elle: a process runs one
// transaction at a time, so real time already orders them).
struct GraphOptions {
  bool process_edges = true;
  bool realtime_edges = true;
  int max_unobserved_edges_per_key = 4096;
};

DependencyGraph BuildDependencyGraph(const ListAppendHistory& h, const ElementIndex& index, const VersionOrders& orders,
                                     const GraphOptions& options);

// Strongly connected components: each node's component, and the
// components of two or more nodes (each a list of nodes).
struct Components {
  std::vector<uint32_t> of;
  std::vector<std::vector<uint32_t>> cyclic;
};
Components StronglyConnected(const DependencyGraph& g);

// The strongly connected components of one component's subgraph over
// edges of some kinds only (a cycle of G0 needs one over ww edges). Its
// arrays are made once for the whole graph and reset per use for the
// members only, so many small components cost their own size.
class SubgraphComponents {
 public:
  explicit SubgraphComponents(uint32_t nodes);
  // Labels `members` (component `whole` of `whole_of`) by the subgraph's
  // components over `allowed` edges; false when that subgraph has no cycle.
  bool Label(const DependencyGraph& g, const std::vector<uint32_t>& members, const std::vector<uint32_t>& whole_of,
             uint32_t whole, uint8_t allowed);
  uint32_t Of(uint32_t node) const { return of_[node]; }

 private:
  std::vector<uint32_t> index_, low_, edge_, of_, stack_, call_;
  std::vector<bool> on_stack_;
};

}  // namespace pgha::elle
