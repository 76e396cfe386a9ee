// Patroni's member model: what GET /cluster says about each member, parsed
// into plain structs by a pure function. Shared by the observer (history
// samples), health judgement and the checker.
//
// The parser accepts the shapes Patroni 3.0.2 sends and returns a Failed
// status naming what was missing otherwise. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace pgha {

struct PatroniMember {
  std::string name;
  std::string role;   // "leader" (3.0.2 may say "master"), "replica", "sync_standby", "standby_leader"
  std::string state;  // "running", "streaming", "stopped", "starting", ...
  std::string host;
  int timeline = -1;       // -1: not reported
  int64_t lag_bytes = -1;  // replicas; -1: unknown or not reported
  bool IsLeader() const { return role == "leader" || role == "master"; }
  bool IsRunning() const { return state == "running" || state == "streaming"; }
};

Result<std::vector<PatroniMember>> ParsePatroniCluster(const std::string& body);
// Whether GET /cluster says the cluster is in maintenance mode ("pause": true).
bool ParsePatroniPaused(const std::string& body);

}  // namespace pgha
