// cut_etcd: Patroni on a host cannot reach any etcd client port; PostgreSQL
// and the rest of the host's traffic stay reachable.
#include <fmt/format.h>

#include <set>

#include "faults/traffic.h"

namespace pgha {
namespace {

class CutEtcd : public FaultType {
 public:
  std::string Name() const override { return "cut_etcd"; }
  std::string Summary() const override { return "a host cannot reach etcd's client ports; the rest stays reachable"; }
  std::shared_ptr<const FaultParams> Read(FaultReadContext&) const override { return std::make_shared<FaultParams>(); }
  Injection Inject(FaultEnv& env, const ResolvedFault& f) const override {
    Injection in;
    std::set<int> ports;  // one, unless hosts differ
    for (const auto* e : env.plan.HostsRunning("etcd")) ports.insert(e->Port("etcd", "client"));
    for (const auto& host : f.hosts) {
      for (int port : ports) {
        TrafficBlock block;
        block.direction = TrafficBlock::Direction::kOut;
        block.tcp_port = port;
        if (Status s = BlockTraffic(env, host, block, f.spec.id, &in); !s.ok()) {
          in.status = s;
          return in;
        }
      }
      in.detail += fmt::format("{} cannot reach any etcd client port; ", host);
    }
    return in;
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
