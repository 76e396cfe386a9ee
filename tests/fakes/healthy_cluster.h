// Fills fake HTTP and SQL clients with the answers a healthy cluster gives
// for a plan: etcd healthy, `leader` leading, every other Patroni member a
// streaming replica, HAProxy routing accordingly.
#pragma once

#include <fmt/format.h>

#include "cluster/cluster_plan.h"
#include "fakes/fakes.h"

namespace pgha::testing {

inline void AnswerHealthy(const ClusterPlan& plan, const std::string& leader, FakeHttpClient* http, FakeSqlClient* sql) {
  for (const auto* e : plan.EtcdNodes()) http->AnswerEtcd(e->address);
  std::string members;
  std::vector<std::vector<std::string>> replication;
  std::string csv = "# pxname,svname,status\n";
  for (const auto* n : plan.PatroniNodes()) {
    const bool is_leader = n->host == leader;
    members += fmt::format(R"({}{{"name":"{}","role":"{}","state":"running","host":"{}","timeline":1,"lag":0}})",
                           members.empty() ? "" : ",", n->host, is_leader ? "leader" : "replica", n->address);
    if (!is_leader) replication.push_back({n->host, "streaming", "async", "0"});
    csv += fmt::format("primary,{},{}\nreplicas,{},{}\n", n->host, is_leader ? "UP" : "DOWN", n->host, is_leader ? "DOWN" : "UP");
  }
  for (const auto* n : plan.PatroniNodes())
    http->Answer(n->address, kPatroniPort, "/cluster", 200, "{\"members\":[" + members + "]}");
  const NodePlan* lead = plan.Find(leader);
  sql->On(lead->address + ":5432", "pg_stat_replication", Rows({"application_name", "state", "sync_state", "lag"}, replication));
  if (const NodePlan* lb = plan.Haproxy()) {
    http->Answer(lb->address, kStatsPort, "/;csv", 200, csv);
    sql->On(lb->address + ":5000", "pg_is_in_recovery", Rows({"rec", "addr"}, {{"f", lead->address}}));
    std::string replica_address;
    for (const auto* n : plan.PatroniNodes())
      if (n->host != leader) replica_address = n->address;
    sql->On(lb->address + ":5001", "pg_is_in_recovery", Rows({"rec", "addr"}, {{"t", replica_address}}));
  }
}

}  // namespace pgha::testing
