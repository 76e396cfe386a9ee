#include "observe/cluster_probe.h"

#include <fmt/format.h>

#include <algorithm>

namespace pgha {
using nlohmann::json;

PgTarget TargetFor(const std::string& host, int port, const Secrets& secrets) {
  PgTarget t;
  t.host = host;
  t.port = port;
  t.password = secrets.superuser_password;
  t.application_name = "pgha-chaos-observer";
  return t;
}

ClusterObservation Observe(const ClusterPlan& plan, const Secrets& secrets, HttpClient& http, SqlClient& sql,
                           const ProbeOptions& opt) {
  ClusterObservation obs;
  for (const auto* e : plan.EtcdNodes()) {
    auto r = http.Get(e->address, kEtcdClientPort, "/health", opt.call_timeout);
    obs.etcd_health.emplace_back(e->host, r.ok() && r->status == 200 && ParseEtcdHealthy(r->body));
  }
  // Any member can answer /cluster; the first that does wins.
  for (const auto* n : plan.PatroniNodes()) {
    auto r = http.Get(n->address, kPatroniPort, "/cluster", opt.call_timeout);
    if (!r.ok()) {
      obs.members_error = r.status().message();
      continue;
    }
    auto members = ParsePatroniCluster(r->body);
    if (!members.ok()) {
      obs.members_error = members.status().message();
      continue;
    }
    obs.members = *members;
    obs.members_error.clear();
    break;
  }
  if (obs.members) {
    const PatroniMember* leader = nullptr;
    for (const auto& m : *obs.members)
      if (m.IsLeader()) leader = &m;
    const NodePlan* leader_node = leader ? plan.Find(leader->name) : nullptr;
    if (leader_node) {
      auto out = sql.QueryOnce(TargetFor(leader_node->address, kPostgresPort, secrets),
                               "SELECT application_name, state, sync_state, "
                               "coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), -1)::bigint AS lag "
                               "FROM pg_stat_replication",
                               opt.call_timeout);
      if (out.status.ok()) {
        std::vector<ReplicationRow> rows;
        for (size_t i = 0; i < out.rows.rows.size(); ++i)
          rows.push_back({out.rows.Cell(i, "application_name").value_or(""), out.rows.Cell(i, "state").value_or(""),
                          out.rows.Cell(i, "sync_state").value_or(""), std::stoll(out.rows.Cell(i, "lag").value_or("-1"))});
        obs.replication = rows;
      } else {
        obs.replication_error = out.status.message();
      }
    }
  }
  if (const NodePlan* lb = plan.Haproxy()) {
    auto r = http.Get(lb->address, kStatsPort, "/;csv", opt.call_timeout);
    if (!r.ok()) obs.haproxy_error = r.status().message();
    else if (r->status != 200) obs.haproxy_error = fmt::format("stats page answered HTTP {}", r->status);
    else {
      auto servers = ParseHaproxyCsv(r->body);
      if (servers.ok()) obs.haproxy = *servers;
      else obs.haproxy_error = servers.status().message();
    }
    if (opt.check_ports) {
      for (auto [port, slot] : {std::pair{kPrimaryPort, &obs.primary_port}, {kReplicaPort, &obs.replica_port}}) {
        PortRoute route;
        auto out = sql.QueryOnce(TargetFor(lb->address, port, secrets),
                                 "SELECT pg_is_in_recovery() AS rec, host(inet_server_addr()) AS addr", opt.call_timeout);
        route.reachable = out.status.ok() && !out.rows.rows.empty();
        if (route.reachable) {
          route.in_recovery = out.rows.Cell(0, "rec").value_or("") == "t";
          route.server_address = out.rows.Cell(0, "addr").value_or("");
        } else {
          route.error = out.status.ok() ? "no row" : out.status.message();
        }
        *slot = route;
      }
    }
  }
  return obs;
}

HealthVerdict EvaluateHealth(const ClusterPlan& plan, const ClusterObservation& obs) {
  HealthVerdict v;
  std::vector<std::string> missing;
  std::vector<std::string> parts;

  int etcd_ok = 0;
  for (const auto& [host, ok] : obs.etcd_health) etcd_ok += ok ? 1 : 0;
  parts.push_back(fmt::format("etcd {}/{}", etcd_ok, obs.etcd_health.size()));
  if (etcd_ok != static_cast<int>(obs.etcd_health.size())) missing.push_back("etcd members to report healthy");

  const auto patroni_nodes = plan.PatroniNodes();
  const PatroniMember* leader = nullptr;
  int leaders = 0;
  if (!obs.members) {
    missing.push_back("Patroni's REST API" + (obs.members_error.empty() ? "" : " (" + obs.members_error + ")"));
  } else {
    for (const auto& m : *obs.members)
      if (m.IsLeader()) {
        ++leaders;
        leader = &m;
      }
    if (leaders != 1) {
      missing.push_back(leaders == 0 ? "a leader to be elected" : fmt::format("a single leader (there are {})", leaders));
      leader = nullptr;
    } else if (!leader->IsRunning()) {
      missing.push_back(fmt::format("leader {} to be running (it is {})", leader->name, leader->state));
    }
  }
  if (leader) {
    v.leader = leader->name;
    parts.push_back("leader " + leader->name);
  }

  int streaming = 0;
  const int replicas_expected = static_cast<int>(patroni_nodes.size()) - 1;
  if (leader) {
    for (const auto* n : patroni_nodes) {
      if (n->host == leader->name) continue;
      auto it = std::find_if(obs.members->begin(), obs.members->end(), [&](const auto& m) { return m.name == n->host; });
      bool member_ok = it != obs.members->end() && it->IsRunning() && !it->IsLeader() &&
                       (it->timeline < 0 || leader->timeline < 0 || it->timeline == leader->timeline);
      bool streams = false;
      if (obs.replication)
        for (const auto& r : *obs.replication)
          if (r.application_name == n->host && r.state == "streaming") streams = true;
      if (member_ok && streams) ++streaming;
      else if (it == obs.members->end()) missing.push_back(n->host + " to join the cluster");
      else if (!member_ok) missing.push_back(fmt::format("{} to run as a replica on the leader's timeline (now {} {}, timeline {})", n->host, it->role, it->state, it->timeline));
      else missing.push_back(n->host + " to stream from the leader");
    }
    parts.push_back(fmt::format("streaming {}/{}", streaming, replicas_expected));
  }

  if (const NodePlan* lb = plan.Haproxy()) {
    bool routes_ok = false;
    if (!obs.haproxy) {
      missing.push_back("HAProxy's stats page" + (obs.haproxy_error.empty() ? "" : " (" + obs.haproxy_error + ")"));
    } else if (leader) {
      routes_ok = true;
      for (const auto& s : *obs.haproxy) {
        const bool is_leader = s.server == leader->name;
        if (s.backend == "primary" && s.Up() != is_leader) {
          routes_ok = false;
          missing.push_back(fmt::format("HAProxy to mark {} {} in the primary backend", s.server, is_leader ? "UP" : "DOWN"));
        }
        if (s.backend == "replicas" && s.Up() == is_leader) {
          routes_ok = false;
          missing.push_back(fmt::format("HAProxy to mark {} {} in the replicas backend", s.server, is_leader ? "DOWN" : "UP"));
        }
      }
    }
    const NodePlan* leader_node = leader ? plan.Find(leader->name) : nullptr;
    if (obs.primary_port) {
      if (!obs.primary_port->reachable || obs.primary_port->in_recovery ||
          (leader_node && obs.primary_port->server_address != leader_node->address)) {
        routes_ok = false;
        missing.push_back(fmt::format("port {} on {} to reach the leader", kPrimaryPort, lb->host));
      }
    }
    if (obs.replica_port && replicas_expected > 0 && (!obs.replica_port->reachable || !obs.replica_port->in_recovery)) {
      routes_ok = false;
      missing.push_back(fmt::format("port {} on {} to reach a replica", kReplicaPort, lb->host));
    }
    parts.push_back(routes_ok ? "haproxy routing" : "haproxy not routing");
  }

  for (const auto& p : parts) v.summary += (v.summary.empty() ? "" : ", ") + p;
  v.healthy = missing.empty();
  for (const auto& m : missing) v.waiting_for += (v.waiting_for.empty() ? "" : "; ") + m;
  return v;
}

json ObservationToJson(const ClusterObservation& obs) {
  json j;
  j["etcd"] = json::array();
  for (const auto& [host, ok] : obs.etcd_health) j["etcd"].push_back({{"host", host}, {"healthy", ok}});
  j["members"] = json::array();
  if (obs.members)
    for (const auto& m : *obs.members)
      j["members"].push_back({{"name", m.name}, {"role", m.role}, {"state", m.state}, {"host", m.host},
                              {"timeline", m.timeline}, {"lag_bytes", m.lag_bytes}});
  if (!obs.members_error.empty()) j["members_error"] = obs.members_error;
  j["replication"] = json::array();
  if (obs.replication)
    for (const auto& r : *obs.replication)
      j["replication"].push_back({{"application_name", r.application_name}, {"state", r.state},
                                  {"sync_state", r.sync_state}, {"replay_lag_bytes", r.replay_lag_bytes}});
  j["haproxy"] = json::array();
  if (obs.haproxy)
    for (const auto& s : *obs.haproxy) j["haproxy"].push_back({{"backend", s.backend}, {"server", s.server}, {"status", s.status}});
  if (!obs.haproxy_error.empty()) j["haproxy_error"] = obs.haproxy_error;
  for (auto [name, route] : {std::pair{"primary_port", &obs.primary_port}, {"replica_port", &obs.replica_port}})
    if (*route)
      j[name] = {{"reachable", (*route)->reachable}, {"in_recovery", (*route)->in_recovery},
                 {"server_address", (*route)->server_address}, {"error", (*route)->error}};
  return j;
}

}  // namespace pgha
