// What the harness reads back from a running cluster, parsed into plain
// structs by pure functions: Patroni's GET /cluster, HAProxy's stats CSV
// (GET /;csv on the stats port) and etcd's GET /health.
//
// Parsers accept the shapes Patroni 3.0.2, HAProxy 2.6 and etcd 3.4 send
// and return a Failed status naming what was missing otherwise.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace pgha {

struct PatroniMember {
  std::string name;
  std::string role;      // "leader", "replica", "sync_standby", "standby_leader"
  std::string state;     // "running", "streaming", "stopped", "starting", ...
  std::string host;
  int timeline = -1;     // -1: not reported
  int64_t lag_bytes = -1;  // replicas; -1: unknown or not reported
  bool IsLeader() const { return role == "leader" || role == "master"; }
  bool IsRunning() const { return state == "running" || state == "streaming"; }
};

struct HaproxyServer {
  std::string backend;  // "primary", "replicas"
  std::string server;   // host name in the topology
  std::string status;   // "UP", "DOWN", "UP 1/2", "DOWN 1/2", "MAINT", "no check"
  bool Up() const { return status == "UP" || status.rfind("UP ", 0) == 0 || status == "no check"; }
};

Result<std::vector<PatroniMember>> ParsePatroniCluster(const std::string& body);
Result<std::vector<HaproxyServer>> ParseHaproxyCsv(const std::string& body);
bool ParseEtcdHealthy(const std::string& body);
// The leader's member id from POST /v3/maintenance/status; nullopt when the
// member knows no leader (or the answer is not etcd's).
std::optional<std::string> ParseEtcdLeader(const std::string& body);

}  // namespace pgha
