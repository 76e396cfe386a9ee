#include "faults/traffic.h"

#include <fmt/format.h>

namespace pgha {

Status BlockTraffic(FaultEnv& env, const std::string& host_name, const TrafficBlock& block, const std::string& fault_id,
                    Injection* in) {
  const HostPlan* host = env.plan.Find(host_name);
  if (!host) return Failed("unknown host " + host_name);
  auto id = env.provider.Network().Block(*host, block, fmt::format("{}:{}", host_name, fault_id), env.manifest);
  if (!id.ok()) return id.status();
  const size_t rule = *id;
  in->undo.Add([rule, fault_id](FaultEnv& e) {
    if (!e.provider.Network().Unblock(rule, e.manifest).ok())
      return Failed("cannot delete a network rule of " + fault_id);
    return Status::Ok();
  });
  return Status::Ok();
}

Status BlockAll(FaultEnv& env, const std::string& host_name, const std::vector<TrafficBlock>& blocks,
                const std::string& fault_id, Injection* in) {
  for (const auto& b : blocks)
    if (Status s = BlockTraffic(env, host_name, b, fault_id, in); !s.ok()) return s;
  return Status::Ok();
}

Status CutBetween(FaultEnv& env, const std::string& a, const std::string& b, const std::string& fault_id,
                  Injection* in) {
  using Direction = TrafficBlock::Direction;
  const HostPlan* ha = env.plan.Find(a);
  const HostPlan* hb = env.plan.Find(b);
  if (!ha || !hb) return Failed("unknown host " + (ha ? b : a));
  for (const auto& [host, peer] : {std::pair{a, hb->address}, std::pair{b, ha->address}})
    for (Direction d : {Direction::kIn, Direction::kOut}) {
      TrafficBlock block;
      block.direction = d;
      block.peer = peer;
      if (Status s = BlockTraffic(env, host, block, fault_id, in); !s.ok()) return s;
    }
  return Status::Ok();
}

bool ReadOptionalTarget(FaultReadContext& r, const std::string& key, TargetSpec* out) {
  auto node = r.map.Node(key);
  if (!node) return false;
  return r.target(*node, out, false);
}

}  // namespace pgha
