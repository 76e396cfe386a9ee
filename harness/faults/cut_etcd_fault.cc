// cut_etcd: Patroni on a host cannot reach any etcd client port; PostgreSQL
// and the rest of the host's traffic stay reachable.
#include <fmt/format.h>

#include <algorithm>

#include "faults/path_probe.h"
#include "faults/traffic.h"

namespace pgha {
namespace {

class CutEtcd : public FaultType {
 public:
  std::string Name() const override { return "cut_etcd"; }
  std::string Summary() const override { return "a host cannot reach etcd's client ports; the rest stays reachable"; }
  std::shared_ptr<const FaultParams> Read(FaultReadContext&) const override { return std::make_shared<FaultParams>(); }
  Injection Inject(FaultEnv& env, const ResolvedFault& f) const override {
    std::vector<TrafficBlock> blocks;  // one, unless the etcd hosts' client ports differ
    for (const auto* e : env.plan.HostsRunning("etcd")) {
      const int port = e->Port("etcd", "client");
      if (std::none_of(blocks.begin(), blocks.end(), [&](const TrafficBlock& b) { return b.tcp_port == port; }))
        blocks.push_back({TrafficBlock::Direction::kOut, "", port});
    }
    return ForEachHost(env, f, [&](const HostPlan& host, Injection* in) {
      in->detail += fmt::format("{} cannot reach any etcd client port; ", host.name);
      Status s = BlockAll(env, host.name, blocks, f.spec.id, in);
      for (const auto* e : env.plan.HostsRunning("etcd"))
        if (s.ok() && e->name != host.name) {
          MeasureCut(env, f.spec.id, host, *e, e->Port("etcd", "client"), in);
          break;
        }
      return s;
    });
  }

  std::optional<FailureClass> Predicts(const FaultSpec& f) const override {
    if (f.target.kind == TargetKind::kPrimary) return FailureClass::kEtcdCut;
    return std::nullopt;
  }
};

}  // namespace

const FaultType* CutEtcdFault() {
  static const CutEtcd kType;
  return &kType;
}

}  // namespace pgha
