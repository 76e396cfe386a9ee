// The list-append checker's cycle search (list_append_check.h): per
// strongly connected component, for each of Elle's shapes (G0, G1c,
// G-single-item, G-nonadjacent-item, G2-item), a breadth-first search from
// one edge of the shape's kind back to its start, first over data edges,
// then with process edges, then with real-time ones; the first cycle found
// of a shape is reported with the variant its edges make it (-process,
// -realtime) and an explanation of every step. Bounded: at most
// kStartsPerShape starting edges per shape and component, and a budget of
// edge visits in all (exhausted() says it ran out). A shape is searched
// only where the component's subgraph over that shape's edges has a cycle
// at all (its own strongly connected components), and only inside those.
// Pure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "elle/dependency_graph.h"

namespace pgha::elle {

// Searches the cyclic components of one graph, one after another; its
// arrays are made once, sized by the graph.
class CycleSearcher {
 public:
  CycleSearcher(const ListAppendHistory& h, const ElementIndex& index, const DependencyGraph& g, const Components& c,
                int64_t budget);
  ~CycleSearcher();
  // Reports (via `report`) the cycles of one component; a component whose
  // bounded search named no shape is reported as cycle-search-timeout.
  void Search(uint32_t component, const std::vector<uint32_t>& members, const Report& report);
  bool exhausted() const;

 private:
  class Impl;
  Impl* impl_;
};

// One step of a cycle in words: "T3 < T5 because T5 read key 1 as [1 2],
// whose last element 2 T3 appended".
std::string ExplainStep(const ListAppendHistory& h, const ElementIndex& index, uint32_t from, uint32_t to,
                        uint8_t type);

}  // namespace pgha::elle
