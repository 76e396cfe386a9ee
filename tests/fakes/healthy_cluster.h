// Fills fake HTTP and SQL clients with the answers a healthy cluster gives
// for a plan: etcd healthy, `leader` leading, every other Patroni member a
// streaming replica, each HAProxy routing accordingly, and each endpoint
// landing on the right server.
#pragma once

#include <fmt/format.h>

#include "fakes/fakes.h"
#include "model/cluster_plan.h"
#include "services/targets.h"

namespace pgha::testing {

inline void AnswerHealthy(const ClusterPlan& plan, const std::string& leader, FakeHttpClient* http,
                          FakeSqlClient* sql) {
  for (const auto* e : plan.HostsRunning("etcd")) http->AnswerEtcd(e->address);
  std::string members;
  std::vector<std::vector<std::string>> replication;
  std::string csv = "# pxname,svname,status\n";
  std::string replica_address;
  for (const auto* n : plan.HostsRunning("patroni")) {
    const bool is_leader = n->name == leader;
    members += fmt::format(R"({}{{"name":"{}","role":"{}","state":"running","host":"{}","timeline":1,"lag":0}})",
                           members.empty() ? "" : ",", n->name, is_leader ? "leader" : "replica", n->address);
    if (!is_leader) {
      replication.push_back({n->name, "streaming", "async", "0"});
      replica_address = n->address;
    }
    csv += fmt::format("primary,{},{}\nreplicas,{},{}\n", n->name, is_leader ? "UP" : "DOWN", n->name,
                       is_leader ? "DOWN" : "UP");
  }
  for (const auto* n : plan.HostsRunning("patroni"))
    http->Answer(n->address, n->Port("patroni", "api"), "/cluster", 200, "{\"members\":[" + members + "]}");
  const HostPlan* lead = plan.Find(leader);
  sql->On(fmt::format("{}:{}", lead->address, lead->Port("patroni", "postgres")), "pg_stat_replication",
          Rows({"application_name", "state", "sync_state", "lag"}, replication));
  for (const auto* lb : plan.HostsRunning("haproxy"))
    http->Answer(lb->address, lb->Port("haproxy", "stats"), "/;csv", 200, csv);
  for (const auto& e : plan.endpoints) {
    const bool rw = e.role == EndpointRole::kReadWrite;
    sql->On(EndpointTarget(plan, e, Secrets{}).Where(), "pg_is_in_recovery",
            Rows({"rec", "addr"}, {{rw ? "f" : "t", rw ? lead->address : replica_address}}));
  }
}

}  // namespace pgha::testing
