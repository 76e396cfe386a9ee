// ClusterProbe: one look at a running cluster (etcd health per member,
// Patroni's /cluster, the leader's pg_stat_replication, HAProxy's backend
// states, and where ports 5000/5001 actually route), and EvaluateHealth,
// the pure judgement of whether that look is "healthy":
//   every etcd member healthy; exactly one Patroni leader, running; every
//   other member a running replica on the leader's timeline and streaming
//   from it (pg_stat_replication, since Patroni 3.0.2 says only "running");
//   HAProxy's primary backend UP on the leader alone and its replica
//   backend UP on every replica; a connection through 5000 lands on a
//   server out of recovery and one through 5001 on a server in recovery.
// Each call has its own short timeout, so a frozen member costs at most
// that. Observe() is not thread-safe only in that it uses the clients it
// is given; it holds no state.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cluster/cluster_plan.h"
#include "observe/cluster_view.h"
#include "observe/http_client.h"
#include "workload/sql_client.h"

namespace pgha {

struct ReplicationRow {
  std::string application_name;
  std::string state;       // "streaming", "catchup", ...
  std::string sync_state;  // "async", "sync", "potential", "quorum"
  int64_t replay_lag_bytes = -1;
};

struct PortRoute {
  bool reachable = false;
  bool in_recovery = false;
  std::string server_address;
  std::string error;
};

struct ClusterObservation {
  std::vector<std::pair<std::string, bool>> etcd_health;  // host, healthy
  std::optional<std::vector<PatroniMember>> members;
  std::string members_error;
  std::optional<std::vector<ReplicationRow>> replication;  // from the leader
  std::string replication_error;
  std::optional<std::vector<HaproxyServer>> haproxy;
  std::string haproxy_error;
  std::optional<PortRoute> primary_port;
  std::optional<PortRoute> replica_port;
};

struct HealthVerdict {
  bool healthy = false;
  std::string summary;      // one line: "etcd 3/3, leader node1, streaming 2/2, haproxy ok"
  std::string waiting_for;  // what is missing, when not healthy
  std::string leader;       // host name, when exactly one
};

struct ProbeOptions {
  Duration call_timeout = std::chrono::milliseconds(800);
  bool check_ports = true;  // connect through HAProxy 5000/5001
};

ClusterObservation Observe(const ClusterPlan& plan, const Secrets& secrets, HttpClient& http, SqlClient& sql,
                           const ProbeOptions& options);
HealthVerdict EvaluateHealth(const ClusterPlan& plan, const ClusterObservation& obs);
nlohmann::json ObservationToJson(const ClusterObservation& obs);

PgTarget TargetFor(const std::string& host, int port, const Secrets& secrets);

}  // namespace pgha
