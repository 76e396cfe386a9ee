#include <gtest/gtest.h>

#include "cluster/topology.h"
#include "fakes/healthy_cluster.h"
#include "observe/cluster_probe.h"

namespace pgha {
namespace {
using testing::FakeHttpClient;
using testing::FakeSqlClient;

ClusterPlan CompactPlan() {
  auto t = LoadTopology(PGHA_SOURCE_DIR "/fixtures/topologies/compact.yaml");
  return *MakePlan(t->topology, "abc123", "/tmp/w");
}

TEST(Health, AHealthyClusterIsHealthy) {
  auto plan = CompactPlan();
  FakeHttpClient http;
  FakeSqlClient sql;
  testing::AnswerHealthy(plan, "node2", &http, &sql);
  auto v = EvaluateHealth(plan, Observe(plan, Secrets{}, http, sql, ProbeOptions{}));
  EXPECT_TRUE(v.healthy) << v.waiting_for;
  EXPECT_EQ(v.leader, "node2");
  EXPECT_EQ(v.summary, "etcd 3/3, leader node2, streaming 2/2, haproxy routing");
}

TEST(Health, AReplicaThatDoesNotStreamIsNotHealthy) {
  auto plan = CompactPlan();
  FakeHttpClient http;
  FakeSqlClient sql;
  testing::AnswerHealthy(plan, "node1", &http, &sql);
  sql.rules.insert(sql.rules.begin(), {"10.77.0.10:5432", "pg_stat_replication", {}});
  sql.rules[0].outcome.rows = testing::Rows({"application_name", "state", "sync_state", "lag"}, {{"node2", "streaming", "async", "0"}, {"node3", "catchup", "async", "900"}});
  auto v = EvaluateHealth(plan, Observe(plan, Secrets{}, http, sql, ProbeOptions{}));
  EXPECT_FALSE(v.healthy);
  EXPECT_NE(v.waiting_for.find("node3 to stream from the leader"), std::string::npos) << v.waiting_for;
}

TEST(Health, TwoLeadersOrNoneAreNotHealthy) {
  auto plan = CompactPlan();
  ClusterObservation obs;
  obs.etcd_health = {{"node1", true}, {"node2", true}, {"node3", true}};
  obs.members = std::vector<PatroniMember>{{"node1", "leader", "running", "", 1, 0}, {"node2", "leader", "running", "", 2, 0}};
  EXPECT_NE(EvaluateHealth(plan, obs).waiting_for.find("a single leader (there are 2)"), std::string::npos);
  obs.members = std::vector<PatroniMember>{{"node1", "replica", "running", "", 1, 0}};
  EXPECT_NE(EvaluateHealth(plan, obs).waiting_for.find("a leader to be elected"), std::string::npos);
}

TEST(Health, HaproxyRoutingToTheWrongServerIsNotHealthy) {
  auto plan = CompactPlan();
  FakeHttpClient http;
  FakeSqlClient sql;
  testing::AnswerHealthy(plan, "node1", &http, &sql);
  http.Answer("10.77.0.13", kStatsPort, "/;csv", 200, "# pxname,svname,status\nprimary,node1,UP\nprimary,node2,UP\n");
  auto v = EvaluateHealth(plan, Observe(plan, Secrets{}, http, sql, ProbeOptions{}));
  EXPECT_FALSE(v.healthy);
  EXPECT_NE(v.waiting_for.find("HAProxy to mark node2 DOWN in the primary backend"), std::string::npos) << v.waiting_for;
}

TEST(Health, UnreachableEtcdAndPatroniAreReported) {
  auto plan = CompactPlan();
  FakeHttpClient http;
  FakeSqlClient sql;
  auto v = EvaluateHealth(plan, Observe(plan, Secrets{}, http, sql, ProbeOptions{}));
  EXPECT_FALSE(v.healthy);
  EXPECT_EQ(v.summary.rfind("etcd 0/3", 0), 0u);
  EXPECT_NE(v.waiting_for.find("Patroni's REST API"), std::string::npos);
}

}  // namespace
}  // namespace pgha
