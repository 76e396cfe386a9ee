// partition: hosts cut into sides that cannot reach each other, both ways.
//   groups: [[primary, node2], [node3]]   the sides, as targets
//   shape: bridge, target: X   the other hosts in two halves, X reaches both
//   shape: ring                each host reaches only its two neighbours
//                              (overlapping majorities; needs 4 hosts)
//   shape: majority|minority, target: X   X on the larger or smaller side
// Shapes take the hosts that run etcd or Patroni (the ones that elect), in
// name order; X's side is filled with the hosts after X, wrapping around.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/text.h"
#include "faults/path_probe.h"
#include "faults/traffic.h"

namespace pgha {
namespace {

struct PartitionParams : FaultParams {
  std::string shape = "groups";
  std::vector<std::vector<TargetSpec>> groups;
  std::string Describe() const override {
    if (shape != "groups") return shape;
    std::vector<std::string> sides;
    for (const auto& g : groups) {
      std::vector<std::string> names;
      for (const auto& t : g) names.push_back(t.ToString());
      sides.push_back("[" + Join(names, ",") + "]");
    }
    return Join(sides, " ");
  }
  std::vector<TargetSpec> OtherTargets() const override {
    std::vector<TargetSpec> all;
    for (const auto& g : groups) all.insert(all.end(), g.begin(), g.end());
    return all;
  }
};

const std::vector<std::string> kShapes = {"bridge", "ring", "majority", "minority"};

void ReadGroups(FaultReadContext& r, PartitionParams* p) {
  auto g = r.map.Node("groups");
  if (!g->IsSequence() || g->size() < 2)
    return r.map.ErrorAt(*g,
                         "groups must be a list of at least two lists of targets, e.g. [[primary, node2], [node3]]");
  std::set<std::string> seen;
  for (const auto& group : *g) {
    if (!group.IsSequence() || group.size() == 0) {
      r.map.ErrorAt(group, "each group is a non-empty list of targets");
      continue;
    }
    std::vector<TargetSpec> members;
    for (const auto& t : group) {
      TargetSpec spec;
      if (!r.target(t, &spec, true)) continue;
      if (!seen.insert(spec.ToString()).second)
        r.map.ErrorAt(
            t, fmt::format("{} is in two partition groups: a host is on one side of a partition", spec.ToString()));
      members.push_back(spec);
    }
    p->groups.push_back(members);
  }
}

// The hosts that elect, in name order.
std::vector<std::string> Electors(const ClusterPlan& plan) {
  std::vector<std::string> out;
  for (const auto& h : plan.hosts)
    if (h.Runs("etcd") || h.Runs("patroni")) out.push_back(h.name);
  std::sort(out.begin(), out.end());
  return out;
}

// `hosts` rotated so that `first` leads.
std::vector<std::string> From(std::vector<std::string> hosts, const std::string& first) {
  auto it = std::find(hosts.begin(), hosts.end(), first);
  if (it != hosts.end()) std::rotate(hosts.begin(), it, hosts.end());
  return hosts;
}

Status ShapeSides(const std::string& shape, const std::vector<std::string>& electors, const std::string& x,
                  ResolvedFault* out) {
  const size_t n = electors.size();
  if (shape == "ring") {
    if (n < 4) return Failed(fmt::format("a ring needs at least 4 hosts that elect; this cluster has {}", n));
    for (size_t i = 0; i < n; ++i)
      for (size_t j = i + 2; j < n; ++j)
        if (!(i == 0 && j == n - 1)) out->groups.push_back({electors[i], electors[j]});
    return Status::Ok();
  }
  if (std::find(electors.begin(), electors.end(), x) == electors.end())
    return Failed(fmt::format("{} runs neither etcd nor Patroni, so it is on no side of a {} partition", x, shape));
  if (n < 3)
    return Failed(fmt::format("a {} partition needs at least 3 hosts that elect; this cluster has {}", shape, n));
  std::vector<std::string> order = From(electors, x);
  if (shape == "bridge") {
    const size_t half = (n - 1) / 2;
    out->groups.push_back(std::vector<std::string>(order.begin() + 1, order.begin() + 1 + half));
    out->groups.push_back(std::vector<std::string>(order.begin() + 1 + half, order.end()));
    out->hosts = {x};  // the bridge, cut from neither side
    return Status::Ok();
  }
  const size_t mine = shape == "majority" ? n / 2 + 1 : (n + 1) / 2 - 1;
  out->groups.push_back(std::vector<std::string>(order.begin(), order.begin() + std::max<size_t>(mine, 1)));
  out->groups.push_back(std::vector<std::string>(order.begin() + std::max<size_t>(mine, 1), order.end()));
  return Status::Ok();
}

class Partition : public FaultType {
 public:
  std::string Name() const override { return "partition"; }
  std::string Summary() const override {
    return "hosts in sides that cannot reach each other: groups, or shape bridge|ring|majority|minority";
  }
  TargetUse Targets() const override { return TargetUse::kOwn; }
  std::shared_ptr<const FaultParams> Read(FaultReadContext& r) const override;
  Status Resolve(const TargetResolver& resolve, const ClusterPlan& plan, const FaultSpec& f,
                 ResolvedFault* out) const override;
  Injection Inject(FaultEnv& env, const ResolvedFault& f) const override;
  std::optional<FailureClass> Predicts(const FaultSpec& f) const override {
    const auto* p = ParamsOf<PartitionParams>(f);
    if (p && (p->shape == "groups" || (p->shape == "minority" && f.target.kind == TargetKind::kPrimary)))
      return FailureClass::kHostLoss;
    return std::nullopt;
  }
};

std::shared_ptr<const FaultParams> Partition::Read(FaultReadContext& r) const {
  auto p = std::make_shared<PartitionParams>();
  r.map.Name("shape", &p->shape);
  const bool shaped = r.map.Has("shape");
  if (shaped && std::find(kShapes.begin(), kShapes.end(), p->shape) == kShapes.end())
    r.map.ErrorAt(*r.map.Node("shape"),
                  fmt::format("unknown shape \"{}\"; use {} (or groups: without a shape)", p->shape, Join(kShapes)));
  if (shaped == r.map.Has("groups")) {
    r.map.ErrorAt(r.map.Node(shaped ? "shape" : "fault").value_or(YAML::Node()),
                  shaped ? "a partition has groups or a shape, not both"
                         : "a partition needs groups: [[...], [...]] or a shape: bridge, ring, majority or minority");
    return p;
  }
  if (!shaped) {
    ReadGroups(r, p.get());
    if (auto t = r.map.Node("target")) r.map.ErrorAt(*t, "a partition by groups names its hosts in groups, not target");
    return p;
  }
  const bool centred = p->shape != "ring";
  if (centred != r.map.Has("target"))
    r.map.ErrorAt(*r.map.Node("shape"), centred
                                            ? fmt::format("shape {} needs a target: the host it forms around", p->shape)
                                            : "shape ring takes no target: every host is in it");
  return p;
}

Status Partition::Resolve(const TargetResolver& resolve, const ClusterPlan& plan, const FaultSpec& f,
                          ResolvedFault* out) const {
  out->spec = f;
  const auto* p = ParamsOf<PartitionParams>(f);
  if (!p) return Failed("partition without its parameters");
  if (p->shape == "groups") {
    std::set<std::string> seen;
    for (const auto& group : p->groups) {
      std::vector<std::string> hosts;
      for (const auto& t : group) {
        auto h = resolve(t);
        if (!h.ok()) return h.status();
        hosts.insert(hosts.end(), h->begin(), h->end());
      }
      for (const auto& h : hosts)
        if (!seen.insert(h).second)
          return Failed(
              fmt::format("{} is in two groups of the partition (targets resolve to hosts when the step runs)", h));
      out->groups.push_back(hosts);
    }
    return Status::Ok();
  }
  std::string x;
  if (f.has_target) {
    auto h = resolve(f.target);
    if (!h.ok()) return h.status();
    x = (*h)[0];
  }
  return ShapeSides(p->shape, Electors(plan), x, out);
}

Injection Partition::Inject(FaultEnv& env, const ResolvedFault& f) const {
  Injection in;
  const auto* p = ParamsOf<PartitionParams>(f.spec);
  const bool ring = p && p->shape == "ring";
  // A ring's "groups" are the pairs it cuts; otherwise every pair across two sides is cut.
  std::vector<std::pair<std::string, std::string>> pairs;
  for (size_t g = 0; g < f.groups.size(); ++g) {
    if (ring && f.groups[g].size() == 2) pairs.emplace_back(f.groups[g][0], f.groups[g][1]);
    for (size_t o = g + 1; !ring && o < f.groups.size(); ++o)
      for (const auto& a : f.groups[g])
        for (const auto& b : f.groups[o]) pairs.emplace_back(a, b);
  }
  for (const auto& [a, b] : pairs)
    if (Status s = CutBetween(env, a, b, f.spec.id, &in); !s.ok()) {
      in.status = s;
      return in;
    }
  if (!pairs.empty() && env.plan.Find(pairs[0].first) && env.plan.Find(pairs[0].second))
    MeasureCut(env, f.spec.id, *env.plan.Find(pairs[0].first), *env.plan.Find(pairs[0].second), 0, &in);
  std::vector<std::string> sides;
  for (const auto& g : f.groups) sides.push_back("[" + Join(g, ",") + "]");
  std::string what = "partitioned " + Join(sides, " ");
  if (ring) what = "ring: cut " + Join(sides, " ");
  if (p && p->shape == "bridge" && !f.hosts.empty()) what += fmt::format(", {} bridging both", f.hosts[0]);
  in.detail = what + "; " + in.detail;
  return in;
}

}  // namespace

const FaultType* PartitionFault() {
  static const Partition kType;
  return &kType;
}

}  // namespace pgha
