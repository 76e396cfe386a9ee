#include "elle/cycle_search.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>

namespace pgha::elle {
namespace {

constexpr int kStartsPerShape = 32;

enum class Shape { kG0, kG1c, kGSingle, kGNonadjacent, kG2 };

const char* ShapeName(Shape s) {
  switch (s) {
    case Shape::kG0: return "G0";
    case Shape::kG1c: return "G1c";
    case Shape::kGSingle: return "G-single-item";
    case Shape::kGNonadjacent: return "G-nonadjacent-item";
    case Shape::kG2: return "G2-item";
  }
  return "?";
}

uint8_t StartType(Shape s) { return s == Shape::kG0 ? kWW : s == Shape::kG1c ? kWR : kRW; }
uint8_t PathTypes(Shape s) {
  switch (s) {
    case Shape::kG0: return kWW;
    case Shape::kG1c:
    case Shape::kGSingle: return kWW | kWR;
    default: return kDataEdges;
  }
}

// States: node * 8 + flags. Flag 1: the last edge was rw; flag 2: a
// second rw edge was taken (the start edge is the first); flag 4: an edge
// of the variant's kind (process, realtime) was taken.
struct Step {
  uint32_t from, to;
  uint8_t type;
};

class Bfs {
 public:
  Bfs(const DependencyGraph& g, const SubgraphComponents& sub, int64_t& budget) : g_(g), sub_(sub), budget_(budget) {}
  bool exhausted() const { return budget_ < 0; }

  // A simple path from b back to a closing the start edge a->b that makes
  // a cycle of `shape` using at least one edge of kind `variant` (0: data
  // edges only), or empty.
  std::vector<Step> Close(Shape shape, uint8_t variant, uint32_t a, uint32_t b) {
    const uint8_t allowed = PathTypes(shape) | variant;
    const uint32_t start = b * 8 + (shape == Shape::kGNonadjacent ? 1 : 0);
    ++stamp_;
    Visit(start, kNone, 0);
    std::deque<uint32_t> queue{start};
    while (!queue.empty()) {
      const uint32_t s = queue.front();
      queue.pop_front();
      const uint32_t v = s / 8, flags = s % 8;
      if (v == a) {
        if (Goal(shape, variant, flags)) return Path(s, a, b, StartType(shape));
        continue;  // a ends the cycle; passing through it would not be simple
      }
      for (uint32_t e = g_.offsets[v]; e < g_.offsets[v + 1]; ++e) {
        if (--budget_ < 0) return {};
        const uint8_t t = g_.type[e];
        const uint32_t w = g_.to[e];
        if (!(t & allowed) || w == b || sub_.Of(w) != sub_.Of(a)) continue;
        uint32_t next = flags | (t == variant ? 4 : 0);
        if (shape == Shape::kGNonadjacent) {
          if (t == kRW && (flags & 1)) continue;
          next = t == kRW ? (next | 3) : (next & ~1u);
        } else if (shape == Shape::kG2 && t == kRW) {
          next |= 2;
        }
        const uint32_t ns = w * 8 + next;
        if (Seen(ns)) continue;
        Visit(ns, s, t);
        queue.push_back(ns);
      }
    }
    return {};
  }

 private:
  static constexpr uint32_t kNone = 0xffffffffu;
  static bool Goal(Shape shape, uint8_t variant, uint32_t flags) {
    if (variant != 0 && !(flags & 4)) return false;
    if (shape == Shape::kGNonadjacent) return (flags & 3) == 2;  // a second rw, and not arriving over one
    if (shape == Shape::kG2) return (flags & 2) != 0;
    return true;
  }
  void Grow(uint32_t s) {
    if (s >= seen_.size()) {
      const size_t n = static_cast<size_t>(g_.Nodes()) * 8;
      seen_.assign(n, 0);
      parent_.assign(n, kNone);
      via_.assign(n, 0);
    }
  }
  bool Seen(uint32_t s) {
    Grow(s);
    return seen_[s] == stamp_;
  }
  void Visit(uint32_t s, uint32_t parent, uint8_t via) {
    Grow(s);
    seen_[s] = stamp_;
    parent_[s] = parent;
    via_[s] = via;
  }
  std::vector<Step> Path(uint32_t goal, uint32_t a, uint32_t b, uint8_t start_type) {
    std::vector<Step> back;
    for (uint32_t s = goal; parent_[s] != kNone; s = parent_[s]) back.push_back({parent_[s] / 8, s / 8, via_[s]});
    std::vector<Step> cycle{{a, b, start_type}};
    cycle.insert(cycle.end(), back.rbegin(), back.rend());
    return cycle;
  }

  const DependencyGraph& g_;
  const SubgraphComponents& sub_;
  int64_t& budget_;
  uint32_t stamp_ = 0;
  std::vector<uint32_t> seen_, parent_;
  std::vector<uint8_t> via_;
};

bool Simple(const std::vector<Step>& cycle) {
  std::vector<uint32_t> nodes;
  for (const Step& s : cycle) nodes.push_back(s.from);
  std::sort(nodes.begin(), nodes.end());
  return std::adjacent_find(nodes.begin(), nodes.end()) == nodes.end();
}

// Elle's cycle types in the order it searches them (by depth in its graph
// of implied anomalies), and that graph: a G0 is also a G1c; a G-single a
// G-nonadjacent, and that a G2-item; each a -process, and that a -realtime.
struct CycleType {
  Shape shape;
  uint8_t variant;  // 0, kProcess or kRealtime
};
constexpr CycleType kSearchOrder[] = {
    {Shape::kG0, 0},
    {Shape::kGSingle, 0},
    {Shape::kG1c, 0},
    {Shape::kG0, kProcess},
    {Shape::kGNonadjacent, 0},
    {Shape::kGSingle, kProcess},
    {Shape::kG0, kRealtime},
    {Shape::kG1c, kProcess},
    {Shape::kG2, 0},
    {Shape::kGNonadjacent, kProcess},
    {Shape::kGSingle, kRealtime},
    {Shape::kG1c, kRealtime},
    {Shape::kG2, kProcess},
    {Shape::kGNonadjacent, kRealtime},
    {Shape::kG2, kRealtime},
};

int VariantRank(uint8_t v) { return v == 0 ? 0 : v == kProcess ? 1 : 2; }
bool ShapeImplies(Shape found, Shape other) {
  if (found == other) return true;
  if (found == Shape::kG0) return other == Shape::kG1c;
  if (found == Shape::kGSingle) return other == Shape::kGNonadjacent || other == Shape::kG2;
  return found == Shape::kGNonadjacent && other == Shape::kG2;
}
bool Implies(const CycleType& found, const CycleType& other) {
  return VariantRank(other.variant) >= VariantRank(found.variant) && ShapeImplies(found.shape, other.shape);
}
std::string TypeName(const CycleType& t) {
  return std::string(ShapeName(t.shape)) + (t.variant == kProcess    ? "-process"
                                            : t.variant == kRealtime ? "-realtime"
                                                                     : "");
}

std::string Explain(const ListAppendHistory& h, const ElementIndex& index, const std::vector<Step>& cycle) {
  std::string out = "Let:";
  for (const Step& s : cycle) {
    const Txn& t = h.txns[s.from];
    const bool on = t.server >= 0 && static_cast<size_t>(t.server) < h.servers.size();
    out += fmt::format("\n  {} = {} ({}, process {}{}{})", TxnName(h, s.from), DescribeTxn(h, s.from),
                       OutcomeWord(t.outcome), t.process, on ? ", on " + h.servers[t.server] : "",
                       t.timeline >= 0 ? fmt::format(" timeline {}", t.timeline) : "");
  }
  out += "\nThen:";
  for (const Step& s : cycle) out += "\n  " + ExplainStep(h, index, s.from, s.to, s.type);
  return out + fmt::format("\n  so {} < {}: a cycle", TxnName(h, cycle.front().from), TxnName(h, cycle.front().from));
}

}  // namespace

class CycleSearcher::Impl {
 public:
  Impl(const ListAppendHistory& h, const ElementIndex& index, const DependencyGraph& g, const Components& c,
       int64_t budget)
      : h_(h), index_(index), g_(g), c_(c), budget_(budget), sub_(g.Nodes()), bfs_(g, sub_, budget_) {}

  void Search(uint32_t component, const std::vector<uint32_t>& members, const Report& report) {
    uint8_t present = 0;
    for (uint32_t v : members)
      for (uint32_t e = g_.offsets[v]; e < g_.offsets[v + 1]; ++e)
        if (c_.of[g_.to[e]] == component) present |= g_.type[e];
    std::vector<CycleType> found;
    uint8_t labelled = 0;
    bool labelled_cyclic = false;
    for (const CycleType& type : kSearchOrder) {
      if (bfs_.exhausted()) return;
      const uint8_t start = StartType(type.shape);
      if (!(present & start) || (type.variant != 0 && !(present & type.variant))) continue;
      if (std::any_of(found.begin(), found.end(), [&](const CycleType& f) { return Implies(f, type); })) continue;
      const uint8_t allowed = PathTypes(type.shape) | start | type.variant;
      if (allowed != labelled) {
        labelled = allowed;
        labelled_cyclic = sub_.Label(g_, members, c_.of, component, allowed);
      }
      if (!labelled_cyclic) continue;
      if (SearchType(type, component, members, report)) found.push_back(type);
    }
    if (found.empty() && !bfs_.exhausted()) Unexplained(members, present, report);
  }

  bool exhausted() const { return bfs_.exhausted(); }

 private:
  bool SearchType(const CycleType& type, uint32_t component, const std::vector<uint32_t>& members,
                  const Report& report) {
    const uint8_t start = StartType(type.shape);
    int tries = 0;
    for (size_t m = 0; m < members.size() && tries < kStartsPerShape; ++m) {
      const uint32_t a = members[m];
      std::vector<Step> cycle;
      for (uint32_t e = g_.offsets[a]; e < g_.offsets[a + 1] && tries < kStartsPerShape && cycle.empty(); ++e) {
        const uint32_t b = g_.to[e];
        if (g_.type[e] != start || c_.of[b] != component || sub_.Of(b) != sub_.Of(a)) continue;
        ++tries;
        cycle = bfs_.Close(type.shape, type.variant, a, b);
        if (!cycle.empty() && !Simple(cycle)) cycle.clear();
      }
      if (cycle.empty()) continue;
      std::vector<uint32_t> txns;
      for (const Step& s : cycle) txns.push_back(s.from);
      report(TypeName(type), Explain(h_, index_, cycle), std::move(txns));
      return true;
    }
    return false;
  }

  // A component is a cycle by definition; the bounded search named none.
  void Unexplained(const std::vector<uint32_t>& members, uint8_t present, const Report& report) {
    std::vector<uint32_t> txns(members.begin(), members.begin() + std::min<size_t>(members.size(), 20));
    report("cycle-search-timeout",
           fmt::format("{} transactions depend on each other in a cycle (over {} edges), but the bounded search "
                       "named none of its shapes; one of them is {}",
                       members.size(),
                       (present & kRealtime)  ? "real-time and data"
                       : (present & kProcess) ? "process and data"
                                              : "data",
                       TxnName(h_, members.front())),
           std::move(txns));
  }

  const ListAppendHistory& h_;
  const ElementIndex& index_;
  const DependencyGraph& g_;
  const Components& c_;
  int64_t budget_;
  SubgraphComponents sub_;
  Bfs bfs_;
};

CycleSearcher::CycleSearcher(const ListAppendHistory& h, const ElementIndex& index, const DependencyGraph& g,
                             const Components& c, int64_t budget)
    : impl_(new Impl(h, index, g, c, budget)) {}
CycleSearcher::~CycleSearcher() { delete impl_; }
void CycleSearcher::Search(uint32_t component, const std::vector<uint32_t>& members, const Report& report) {
  impl_->Search(component, members, report);
}
bool CycleSearcher::exhausted() const { return impl_->exhausted(); }

}  // namespace pgha::elle
