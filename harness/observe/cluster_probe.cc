#include "observe/cluster_probe.h"

#include <fmt/format.h>

#include "core/text.h"
#include "services/registry.h"
#include "services/targets.h"

namespace pgha {
using nlohmann::json;

namespace {

void ProbeServices(const ProbeContext& c, ServiceTier tier, ClusterObservation* obs) {
  for (const Service* s : AllServices()) {
    if (s->Tier() != tier) continue;
    for (const auto* h : c.plan.HostsRunning(s->Kind())) obs->services.push_back(s->Probe(c, *h));
  }
}

// Any member can answer /cluster; the first that does wins.
void ProbeMembers(const ProbeContext& c, ClusterObservation* obs) {
  for (const auto* n : c.plan.HostsRunning("patroni")) {
    auto r = c.http.Get(PatroniApi(c.plan, *n), "/cluster", c.call_timeout);
    if (!r.ok()) {
      obs->members_error = r.status().message();
      continue;
    }
    auto members = ParsePatroniCluster(r->body);
    if (!members.ok()) {
      obs->members_error = members.status().message();
      continue;
    }
    obs->members = *members;
    obs->members_error.clear();
    return;
  }
}

void ProbeReplication(const ProbeContext& c, ClusterObservation* obs) {
  if (!obs->members) return;
  const HostPlan* leader = nullptr;
  for (const auto& m : *obs->members)
    if (m.IsLeader()) leader = c.plan.Find(m.name);
  if (!leader) return;
  auto out = c.sql.QueryOnce(PostgresOn(c.plan, *leader, c.secrets),
                             "SELECT application_name, state, sync_state, "
                             "coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), -1)::bigint AS lag "
                             "FROM pg_stat_replication",
                             c.call_timeout);
  if (!out.status.ok()) {
    obs->replication_error = out.status.message();
    return;
  }
  std::vector<ReplicationRow> rows;
  for (size_t i = 0; i < out.rows.rows.size(); ++i)
    rows.push_back({out.rows.Cell(i, "application_name").value_or(""), out.rows.Cell(i, "state").value_or(""),
                    out.rows.Cell(i, "sync_state").value_or(""),
                    ParseInt64(out.rows.Cell(i, "lag").value_or("")).value_or(-1)});
  obs->replication = rows;
}

EndpointRoute ProbeRoute(const ProbeContext& c, const EndpointPlan& e) {
  EndpointRoute route;
  route.endpoint = e;
  auto out = c.sql.QueryOnce(EndpointTarget(c.plan, e, c.secrets),
                             "SELECT pg_is_in_recovery() AS rec, host(inet_server_addr()) AS addr", c.call_timeout);
  route.reachable = out.status.ok() && !out.rows.rows.empty();
  if (route.reachable) {
    route.in_recovery = out.rows.Cell(0, "rec").value_or("") == "t";
    route.server_address = out.rows.Cell(0, "addr").value_or("");
  } else {
    route.error = out.status.ok() ? "no row" : out.status.message();
  }
  return route;
}

}  // namespace

ClusterObservation Observe(const ClusterPlan& plan, const Secrets& secrets, HttpClient& http, SqlClient& sql,
                           const ProbeOptions& opt) {
  ClusterObservation obs;
  const ProbeContext c{plan, secrets, http, sql, opt.call_timeout, opt.shell};
  ProbeServices(c, ServiceTier::kDcs, &obs);
  ProbeMembers(c, &obs);
  ProbeReplication(c, &obs);
  ProbeServices(c, ServiceTier::kRouter, &obs);
  if (opt.check_routes)
    for (const auto& e : plan.endpoints) obs.endpoints.push_back(ProbeRoute(c, e));
  return obs;
}

json ObservationToJson(const ClusterObservation& obs) {
  json j;
  j["members"] = json::array();
  if (obs.members)
    for (const auto& m : *obs.members)
      j["members"].push_back({{"name", m.name},
                              {"role", m.role},
                              {"state", m.state},
                              {"host", m.host},
                              {"timeline", m.timeline},
                              {"lag_bytes", m.lag_bytes}});
  if (!obs.members_error.empty()) j["members_error"] = obs.members_error;
  j["replication"] = json::array();
  if (obs.replication)
    for (const auto& r : *obs.replication)
      j["replication"].push_back({{"application_name", r.application_name},
                                  {"state", r.state},
                                  {"sync_state", r.sync_state},
                                  {"replay_lag_bytes", r.replay_lag_bytes}});
  j["services"] = json::array();
  for (const auto& s : obs.services) {
    json backends = json::array();
    for (const auto& b : s.backends)
      backends.push_back({{"role", EndpointRoleName(b.role)},
                          {"backend", b.backend},
                          {"server", b.server},
                          {"status", b.status},
                          {"up", b.up}});
    j["services"].push_back({{"kind", s.kind},
                             {"host", s.host},
                             {"answered", s.answered},
                             {"healthy", s.healthy},
                             {"error", s.error},
                             {"backends", backends}});
  }
  j["endpoints"] = json::array();
  for (const auto& r : obs.endpoints)
    j["endpoints"].push_back({{"role", EndpointRoleName(r.endpoint.role)},
                              {"via", EndpointViaName(r.endpoint.via)},
                              {"where", r.endpoint.Where()},
                              {"service", r.endpoint.service},
                              {"reachable", r.reachable},
                              {"in_recovery", r.in_recovery},
                              {"server_address", r.server_address},
                              {"error", r.error}});
  return j;
}

}  // namespace pgha
