// ClusterProbe: one look at a running cluster: each DCS member's health,
// Patroni's /cluster, the leader's pg_stat_replication, each router's own
// report (through its service kind's probe), and where each endpoint
// actually routes a client. Each call has its own short timeout, so a
// frozen member costs at most that. Observe() holds no state; it is as
// thread-safe as the clients it is given. The judgement of a look is
// observe/health.h.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "client/http_client.h"
#include "client/sql_client.h"
#include "model/cluster_plan.h"
#include "model/patroni.h"
#include "services/service.h"

namespace pgha {

struct ReplicationRow {
  std::string application_name;
  std::string state;       // "streaming", "catchup", ...
  std::string sync_state;  // "async", "sync", "potential", "quorum"
  int64_t replay_lag_bytes = -1;
};

// Where a client of an endpoint landed.
struct EndpointRoute {
  EndpointPlan endpoint;
  bool reachable = false;
  bool in_recovery = false;
  std::string server_address;
  std::string error;
};

struct ClusterObservation {
  std::optional<std::vector<PatroniMember>> members;
  std::string members_error;
  std::optional<std::vector<ReplicationRow>> replication;  // from the leader
  std::string replication_error;
  std::vector<ServiceCheck> services;    // every probed service instance, DCS first, then routers
  std::vector<EndpointRoute> endpoints;  // when routes were checked
};

struct ProbeOptions {
  Duration call_timeout = std::chrono::milliseconds(800);
  bool check_routes = true;    // connect through every endpoint
  HostShell* shell = nullptr;  // for probes that look at a host (which one holds the VIP)
};

ClusterObservation Observe(const ClusterPlan& plan, const Secrets& secrets, HttpClient& http, SqlClient& sql,
                           const ProbeOptions& options);
nlohmann::json ObservationToJson(const ClusterObservation& obs);

}  // namespace pgha
