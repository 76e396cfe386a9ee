#include <gtest/gtest.h>

#include "fakes/healthy_cluster.h"
#include "observe/cluster_probe.h"
#include "observe/health.h"
#include "scenario/topology_loader.h"

namespace pgha {
namespace {
using testing::FakeHttpClient;
using testing::FakeSqlClient;

ClusterPlan CompactPlan() {
  auto t = LoadTopology(PGHA_SOURCE_DIR "/fixtures/topologies/compact.yaml");
  return *MakePlan(t->topology, "abc123", "/tmp/w", "netns");
}

// A compact cluster whose fakes answer as a healthy one led by `leader`;
// tests then break one thing and judge.
class HealthTest : public ::testing::Test {
 protected:
  void Healthy(const std::string& leader) { testing::AnswerHealthy(plan_, leader, &http_, &sql_); }
  HealthVerdict Judge() { return EvaluateHealth(plan_, Observe(plan_, Secrets{}, http_, sql_, ProbeOptions{})); }
  ClusterPlan plan_ = CompactPlan();
  FakeHttpClient http_;
  FakeSqlClient sql_;
};

TEST_F(HealthTest, AHealthyClusterIsHealthy) {
  Healthy("node2");
  auto v = Judge();
  EXPECT_TRUE(v.healthy) << v.waiting_for;
  EXPECT_EQ(v.leader, "node2");
  EXPECT_EQ(v.summary, "etcd 3/3, leader node2, streaming 2/2, haproxy routing");
}

TEST_F(HealthTest, AReplicaThatDoesNotStreamIsNotHealthy) {
  Healthy("node1");
  sql_.rules.insert(sql_.rules.begin(), {"10.77.0.10:5432", "pg_stat_replication", {}});
  sql_.rules[0].outcome.rows =
      testing::Rows({"application_name", "state", "sync_state", "lag"},
                    {{"node2", "streaming", "async", "0"}, {"node3", "catchup", "async", "900"}});
  auto v = Judge();
  EXPECT_FALSE(v.healthy);
  EXPECT_NE(v.waiting_for.find("node3 to stream from the leader"), std::string::npos) << v.waiting_for;
}

TEST(Health, TwoLeadersOrNoneAreNotHealthy) {
  auto plan = CompactPlan();
  ClusterObservation obs;
  for (const char* h : {"node1", "node2", "node3"}) obs.services.push_back({"etcd", h, true, true, "", {}});
  obs.members =
      std::vector<PatroniMember>{{"node1", "leader", "running", "", 1, 0}, {"node2", "leader", "running", "", 2, 0}};
  EXPECT_NE(EvaluateHealth(plan, obs).waiting_for.find("a single leader (there are 2)"), std::string::npos);
  obs.members = std::vector<PatroniMember>{{"node1", "replica", "running", "", 1, 0}};
  EXPECT_NE(EvaluateHealth(plan, obs).waiting_for.find("a leader to be elected"), std::string::npos);
}

TEST_F(HealthTest, HaproxyRoutingToTheWrongServerIsNotHealthy) {
  Healthy("node1");
  http_.Answer("10.77.0.13", 7000, "/;csv", 200, "# pxname,svname,status\nprimary,node1,UP\nprimary,node2,UP\n");
  auto v = Judge();
  EXPECT_FALSE(v.healthy);
  EXPECT_NE(v.waiting_for.find("HAProxy to mark node2 DOWN in the primary backend"), std::string::npos)
      << v.waiting_for;
}

TEST_F(HealthTest, UnreachableEtcdAndPatroniAreReported) {
  auto v = Judge();
  EXPECT_FALSE(v.healthy);
  EXPECT_EQ(v.summary.rfind("etcd 0/3", 0), 0u);
  EXPECT_NE(v.waiting_for.find("Patroni's REST API"), std::string::npos);
}

TEST_F(HealthTest, TwoLoadBalancersAreBothJudgedAndAnEndpointThatMissesTheLeaderIsReported) {
  auto t = LoadTopology(PGHA_SOURCE_DIR "/fixtures/topologies/compact.yaml")->topology;
  t.hosts.push_back({"lb2", {{"haproxy", {{"primary", 5000}, {"replicas", 5001}, {"stats", 7000}}}}});
  plan_ = *MakePlan(t, "abc123", "/tmp/w", "netns");
  Healthy("node1");
  EXPECT_TRUE(Judge().healthy) << Judge().waiting_for;
  http_.Answer("10.77.0.14", 7000, "/;csv", 200, "# pxname,svname,status\nprimary,node1,DOWN\nprimary,node2,UP\n");
  auto v = Judge();
  EXPECT_FALSE(v.healthy);
  EXPECT_NE(v.waiting_for.find("HAProxy to mark node2 DOWN in the primary backend"), std::string::npos)
      << v.waiting_for;
  sql_.rules.insert(sql_.rules.begin(), {"10.77.0.13:5000", "pg_is_in_recovery", {}});
  sql_.rules[0].outcome.rows = testing::Rows({"rec", "addr"}, {{"f", "10.77.0.11"}});
  EXPECT_NE(Judge().waiting_for.find("the read-write endpoint 10.77.0.13:5000 to reach the leader"), std::string::npos)
      << Judge().waiting_for;
}

}  // namespace
}  // namespace pgha

namespace pgha {
namespace {

// synchronous_mode: whole only once Patroni has named a synchronous standby.
TEST(Health, SynchronousModeWaitsForASyncStandby) {
  auto plan = CompactPlan();
  plan.settings["patroni"]["synchronous_mode"] = true;
  ClusterObservation obs;
  for (const char* h : {"node1", "node2", "node3"}) obs.services.push_back({"etcd", h, true, true, "", {}});
  obs.members = std::vector<PatroniMember>{{"node1", "leader", "running", "", 1, 0},
                                           {"node2", "replica", "running", "", 1, 0},
                                           {"node3", "replica", "running", "", 1, 0}};
  obs.replication = std::vector<ReplicationRow>{{"node2", "streaming", "async", 0}, {"node3", "streaming", "async", 0}};
  auto v = EvaluateHealth(plan, obs);
  EXPECT_NE(v.waiting_for.find("Patroni to name a synchronous standby"), std::string::npos) << v.waiting_for;
  (*obs.members)[2].role = "sync_standby";
  v = EvaluateHealth(plan, obs);
  EXPECT_EQ(v.waiting_for.find("synchronous standby"), std::string::npos) << v.waiting_for;
  EXPECT_NE(v.summary.find("sync standby node3"), std::string::npos) << v.summary;
}

}  // namespace
}  // namespace pgha
