// one_way: traffic from `target` to `to` is dropped, not the way back.
#include <fmt/format.h>

#include "faults/path_probe.h"
#include "faults/traffic.h"

namespace pgha {
namespace {

struct OneWayParams : FaultParams {
  TargetSpec to;
  std::string Describe() const override { return "to " + to.ToString(); }
  std::vector<TargetSpec> OtherTargets() const override { return {to}; }
};

std::string HostOf(const TargetSpec& t) { return t.kind == TargetKind::kHost ? t.host : ""; }

class OneWay : public FaultType {
 public:
  std::string Name() const override { return "one_way"; }
  std::string Summary() const override { return "traffic from target to `to` is dropped, not back"; }
  std::shared_ptr<const FaultParams> Read(FaultReadContext& r) const override {
    auto p = std::make_shared<OneWayParams>();
    r.map.Require("to");
    if (!ReadOptionalTarget(r, "to", &p->to)) return p;
    const TargetSpec& from = r.target_read;
    const bool several = from.kind == TargetKind::kReplicas || from.kind == TargetKind::kReplica;
    if (from.kind == p->to.kind && HostOf(from) == HostOf(p->to) && !several)
      r.map.ErrorAt(*r.map.Node("to"),
                    fmt::format("one_way from {} to itself cuts nothing: name another host in `to`", from.ToString()));
    return p;
  }
  Status Resolve(const TargetResolver& resolve, const ClusterPlan& plan, const FaultSpec& f,
                 ResolvedFault* out) const override {
    if (Status s = FaultType::Resolve(resolve, plan, f, out); !s.ok()) return s;
    const auto* p = ParamsOf<OneWayParams>(f);
    if (!p) return Failed("one_way without its parameters");
    auto to = resolve(p->to);
    if (!to.ok()) return to.status();
    out->peers = {(*to)[0]};
    return Status::Ok();
  }
  Injection Inject(FaultEnv& env, const ResolvedFault& f) const override {
    const HostPlan* to = f.peers.empty() ? nullptr : env.plan.Find(f.peers[0]);
    if (!to) return {Failed("one_way has no host to cut traffic to"), "", {}, {}};
    return ForEachHost(env, f, [&](const HostPlan& host, Injection* in) {
      in->detail += fmt::format("dropping traffic from {} to {}; ", host.name, to->name);
      Status s = BlockAll(env, host.name, {{TrafficBlock::Direction::kOut, to->address}}, f.spec.id, in);
      if (s.ok()) MeasureCut(env, f.spec.id, host, *to, 0, in);
      return s;
    });
  }
};

}  // namespace

const FaultType* OneWayFault() {
  static const OneWay kType;
  return &kType;
}

}  // namespace pgha
