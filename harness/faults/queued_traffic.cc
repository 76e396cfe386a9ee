#include "faults/queued_traffic.h"

#include <fmt/format.h>

#include <functional>

#include "faults/helper_daemon.h"
#include "faults/traffic.h"

namespace pgha {

std::string TrafficScope::Describe() const {
  std::string s;
  if (direction != "out") s += ", " + direction;
  if (has_peer) s += " to " + peer.ToString();
  if (port) s += fmt::format(" port {}", port);
  return s;
}

void ReadTrafficScope(FaultReadContext& r, TrafficScope* out) {
  r.map.Name("direction", &out->direction);
  if (out->direction != "out" && out->direction != "in" && out->direction != "both")
    r.map.ErrorAt(*r.map.Node("direction"), "direction is out (the host's outgoing traffic), in or both");
  out->has_peer = ReadOptionalTarget(r, "peer", &out->peer);
  r.map.Int("port", 1, 65535, &out->port);
}

Status ResolvePeer(const TargetResolver& resolve, const TrafficScope& scope, ResolvedFault* f) {
  if (!scope.has_peer) return Status::Ok();
  auto peer = resolve(scope.peer);
  if (!peer.ok()) return peer.status();
  f->peers = {(*peer)[0]};
  return Status::Ok();
}

Result<int> StartPacketEngine(FaultEnv& env, const HostPlan& host, const ResolvedFault& f, const TrafficScope& scope,
                              const std::vector<std::string>& engine_args, Injection* in) {
  const int queue = 7000 + static_cast<int>(std::hash<std::string>{}(f.spec.id) % 1000);
  std::vector<std::string> argv = {env.Helper(),          "packet-engine", "--queue",
                                   std::to_string(queue), "--mark",        std::to_string(kDuplicateMark)};
  argv.insert(argv.end(), engine_args.begin(), engine_args.end());
  const std::string label = fmt::format("packet-engine@{}:{}", host.name, f.spec.id);
  DaemonLaunch launch{label,    argv,
                      "",       {{"PATH", "/usr/sbin:/usr/bin:/sbin:/bin"}},
                      host.dir, fmt::format("{}/packet-engine-{}.log", host.dir, f.spec.id)};
  in->undo.Add([label, name = host.name](FaultEnv& e) { return StopDaemon(e, name, label); });
  if (Status s = env.provider.Shell().StartDaemon(host, launch, env.manifest); !s.ok()) return s;
  if (Status s = WaitReady(env, host, label, launch.log_file); !s.ok()) return s;
  const HostPlan* peer = f.peers.empty() ? nullptr : env.plan.Find(f.peers[0]);
  for (auto d : {TrafficBlock::Direction::kOut, TrafficBlock::Direction::kIn}) {
    if (scope.direction != "both" && (d == TrafficBlock::Direction::kOut) != (scope.direction == "out")) continue;
    TrafficBlock rule;
    rule.direction = d;
    rule.peer = peer ? peer->address : "";
    rule.tcp_port = scope.port;
    rule.queue = queue;
    rule.skip_mark = static_cast<int>(kDuplicateMark);
    if (Status s = BlockTraffic(env, host.name, rule, f.spec.id, in); !s.ok()) return s;
  }
  return queue;
}

}  // namespace pgha
