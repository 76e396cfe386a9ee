// isolate, partition, one_way, cut_etcd, packet_loss and latency: traffic
// blocks and delays through HostNetwork.
#include <fmt/format.h>

#include <set>

#include "core/text.h"
#include "core/units.h"
#include "faults/fault_injector.h"

namespace pgha {
namespace {

using Direction = TrafficBlock::Direction;

Status Block(FaultEnv& env, const std::string& host_name, TrafficBlock b, ActiveFault* a) {
  const HostPlan* host = env.plan.Find(host_name);
  if (!host) return Failed("unknown host " + host_name);
  auto id = env.provider.Network().Block(*host, b, fmt::format("{}:{}", host_name, a->fault.spec.id), env.manifest);
  if (!id.ok()) return id.status();
  a->rules.push_back(*id);
  return Status::Ok();
}

Status Partition(FaultEnv& env, const ResolvedFault& f, ActiveFault* a, std::string* detail) {
  for (size_t g = 0; g < f.groups.size(); ++g)
    for (const auto& host : f.groups[g])
      for (size_t o = 0; o < f.groups.size(); ++o) {
        if (o == g) continue;
        for (const auto& other : f.groups[o]) {
          const HostPlan* peer = env.plan.Find(other);
          if (!peer) return Failed("unknown host " + other);
          if (Status s = Block(env, host, {Direction::kIn, peer->address, 0, 1.0}, a); !s.ok()) return s;
          if (Status s = Block(env, host, {Direction::kOut, peer->address, 0, 1.0}, a); !s.ok()) return s;
        }
      }
  std::vector<std::string> groups;
  for (const auto& g : f.groups) groups.push_back("[" + Join(g, ",") + "]");
  *detail = "partitioned " + Join(groups, " ");
  return Status::Ok();
}

// The etcd client ports of the cluster (one, unless hosts differ).
std::set<int> EtcdClientPorts(const ClusterPlan& plan) {
  std::set<int> ports;
  for (const auto* e : plan.HostsRunning("etcd")) ports.insert(e->Port("etcd", "client"));
  return ports;
}

Status PerHost(FaultEnv& env, const ResolvedFault& f, ActiveFault* a, std::string* detail) {
  const auto& spec = f.spec;
  for (const auto& host : f.hosts) {
    Status s;
    switch (spec.kind) {
      case FaultKind::kIsolate:
        s = Block(env, host, {Direction::kIn, "", 0, 1.0}, a);
        if (s.ok()) s = Block(env, host, {Direction::kOut, "", 0, 1.0}, a);
        *detail += "isolated " + host + "; ";
        break;
      case FaultKind::kOneWay: {
        const HostPlan* to = env.plan.Find(f.to_host);
        s = to ? Block(env, host, {Direction::kOut, to->address, 0, 1.0}, a) : Failed("unknown host " + f.to_host);
        *detail += fmt::format("dropping traffic from {} to {}; ", host, f.to_host);
        break;
      }
      case FaultKind::kCutEtcd:
        for (int port : EtcdClientPorts(env.plan))
          if (s.ok()) s = Block(env, host, {Direction::kOut, "", port, 1.0}, a);
        *detail += fmt::format("{} cannot reach any etcd client port; ", host);
        break;
      case FaultKind::kPacketLoss:
        s = Block(env, host, {Direction::kIn, "", 0, spec.loss_percent / 100.0}, a);
        if (s.ok()) s = Block(env, host, {Direction::kOut, "", 0, spec.loss_percent / 100.0}, a);
        *detail += fmt::format("{}% packet loss on {}; ", spec.loss_percent, host);
        break;
      default: s = Failed("not a network fault");
    }
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status Delay(FaultEnv& env, const ResolvedFault& f, ActiveFault* a, std::string* detail) {
  for (const auto& host_name : f.hosts) {
    const HostPlan* host = env.plan.Find(host_name);
    if (!host) return Failed("unknown host " + host_name);
    a->delayed.push_back(host_name);
    if (Status s = env.provider.Network().Delay(*host, f.spec.latency, env.manifest); !s.ok())
      return s.WithContext("delay on " + host_name);
    *detail += fmt::format("{} delay on {}; ", FormatDuration(f.spec.latency), host_name);
  }
  return Status::Ok();
}

}  // namespace

std::string CheckNetworkFault(FaultEnv& env, const ResolvedFault& f) {
  if (f.spec.kind != FaultKind::kLatency) return "";
  const HostPlan* host = f.hosts.empty() ? nullptr : env.plan.Find(f.hosts[0]);
  if (!host) return "no host to delay";
  return env.provider.Network().WhyNoDelay(*host);
}

Result<std::string> InjectNetworkFault(FaultEnv& env, const ResolvedFault& f, ActiveFault* a) {
  std::string detail;
  Status s = f.spec.kind == FaultKind::kPartition ? Partition(env, f, a, &detail)
             : f.spec.kind == FaultKind::kLatency ? Delay(env, f, a, &detail)
                                                  : PerHost(env, f, a, &detail);
  if (!s.ok()) return s;
  return detail;
}

Status HealNetworkFault(FaultEnv& env, ActiveFault& a) {
  Status result;
  for (size_t id : a.rules)
    if (!env.provider.Network().Unblock(id, env.manifest).ok())
      result = Failed("cannot delete a network rule of " + a.fault.spec.id);
  for (const auto& host_name : a.delayed)
    if (const HostPlan* host = env.plan.Find(host_name)) env.provider.Network().Undelay(*host);
  a.rules.clear();
  a.delayed.clear();
  return result;
}

}  // namespace pgha
