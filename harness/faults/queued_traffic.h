// What the faults run by the packet engine share (internal to faults/):
// the traffic they act on (`direction: out|in|both`, `peer:`, `port:`),
// and starting the engine on a host with its NFQUEUE rules, the engine
// first (recorded in the manifest, ready before any rule exists), undone
// in reverse: rules deleted, then the engine stopped.
#pragma once

#include <string>
#include <vector>

#include "faults/fault_type.h"

namespace pgha {

inline constexpr uint32_t kDuplicateMark = 0x70ea;  // the engine's own copies; its rules skip them

struct TrafficScope {
  std::string direction = "out";
  bool has_peer = false;
  TargetSpec peer;
  int port = 0;
  bool Plain() const { return direction == "out" && !has_peer && port == 0; }  // what a root qdisc can do
  std::string Describe() const;                                                // ", in to replica port 5432"
};

void ReadTrafficScope(FaultReadContext& r, TrafficScope* out);
// The peer resolved into f->peers (nothing without one).
Status ResolvePeer(const TargetResolver& resolve, const TrafficScope& scope, ResolvedFault* f);
// Starts `pgha-chaos packet-engine --queue N <engine_args>` on the host, then queues its traffic to it.
// Returns the queue number.
Result<int> StartPacketEngine(FaultEnv& env, const HostPlan& host, const ResolvedFault& f, const TrafficScope& scope,
                              const std::vector<std::string>& engine_args, Injection* in);

}  // namespace pgha
