// The seeds' shapes as topologies: a VIP over keepalived hosts, PgBouncer,
// dedicated etcd, TLS, the emulated watchdog, and the plan made from them.
#include <gtest/gtest.h>

#include "client/sql_client.h"
#include "model/cluster_plan.h"
#include "scenario/topology_loader.h"

namespace pgha {
namespace {

const std::string kTopologies = PGHA_SOURCE_DIR "/fixtures/topologies/";

Topology LoadShape(const std::string& name) {
  auto t = LoadTopology(kTopologies + name + ".yaml");
  EXPECT_TRUE(t.ok()) << name << ": " << t.status().message();
  return t.ok() ? t->topology : Topology{};
}

std::string TopologyShapesErrorOf(const std::string& yaml) {
  auto t = ParseTopology(yaml, "topo.yaml");
  EXPECT_FALSE(t.ok()) << yaml;
  return t.ok() ? "" : t.status().message();
}

const char* kVip = R"(name: vip
hosts:
  - {name: pg1, roles: [etcd, patroni]}
  - {name: pg2, roles: [etcd, patroni]}
  - {name: pg3, roles: [etcd, patroni]}
  - {name: lb1, roles: [haproxy, keepalived]}
  - {name: lb2, roles: [haproxy, keepalived]}
vip:
  address: 110
)";

TEST(TopologyShapes, EverySeedTopologyLoadsWithTheEntryPointItsSeedUses) {
  const Topology s0 = LoadShape("seed-000-colocated");
  EXPECT_EQ(s0.Endpoint(EndpointRole::kReadWrite)->via, EndpointVia::kMultiHost);
  EXPECT_EQ(s0.Endpoint(EndpointRole::kReadWrite)->service, "patroni");
  const Topology s1 = LoadShape("seed-001-haproxy-vip");
  EXPECT_EQ(s1.HostsRunning("keepalived").size(), 3u);
  EXPECT_EQ(s1.vip.host_number, 110);
  EXPECT_EQ(s1.Endpoint(EndpointRole::kReadWrite)->via, EndpointVia::kVip);
  EXPECT_EQ(s1.Endpoint(EndpointRole::kReadWrite)->port, 5000);
  EXPECT_TRUE(s1.tls.etcd && s1.tls.patroni_api && !s1.tls.postgres);
  const Topology s2 = LoadShape("seed-002-dedicated-etcd");
  EXPECT_EQ(s2.HostsRunning("etcd").size(), 3u);
  EXPECT_FALSE(s2.hosts[0].Runs("patroni")) << "etcd hosts of their own";
  EXPECT_EQ(s2.Endpoint(EndpointRole::kReadWrite)->service, "pgbouncer");
  EXPECT_EQ(s2.Endpoint(EndpointRole::kReadWrite)->port_name, "pgbouncer");
  EXPECT_TRUE(s2.patroni.synchronous_mode);
  const Topology s3 = LoadShape("seed-003-containers");
  EXPECT_EQ(s3.Endpoint(EndpointRole::kReadWrite)->host, "lb");
  const Topology s4 = LoadShape("seed-004-tls");
  EXPECT_TRUE(s4.tls.postgres);
  EXPECT_TRUE(s4.Endpoint(EndpointRole::kReadWrite)->tls) << "clients verify the server with tls.postgres";
}

TEST(TopologyShapes, TheVipIsTheDefaultEntryPointAndPlansToAnAddressOfTheSubnet) {
  auto t = ParseTopology(std::string(kVip) + "subnet: 10.78.0.0/24\n", "topo.yaml");
  ASSERT_TRUE(t.ok()) << t.status().message();
  const EndpointSpec* rw = t->topology.Endpoint(EndpointRole::kReadWrite);
  ASSERT_NE(rw, nullptr);
  EXPECT_EQ(rw->via, EndpointVia::kVip);
  EXPECT_EQ(rw->service, "haproxy");
  EXPECT_EQ(t->topology.Endpoint(EndpointRole::kReadOnly)->port, 5001);
  auto plan = MakePlan(t->topology, "abc123", "/w", "netns");
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(plan->vip, "10.78.0.110") << "the VIP follows the subnet";
  EXPECT_EQ(plan->Endpoint(EndpointRole::kReadWrite)->Where(), "10.78.0.110:5000");
  EXPECT_EQ(plan->Endpoint(EndpointRole::kReadWrite)->Describe(), "read-write 10.78.0.110:5000 (VIP over haproxy)");
}

TEST(TopologyShapes, AMultiHostEndpointListsEveryHostOfItsServiceInOrder) {
  auto plan = MakePlan(LoadShape("seed-002-dedicated-etcd"), "abc123", "/w", "netns");
  ASSERT_TRUE(plan.ok());
  const EndpointPlan* rw = plan->Endpoint(EndpointRole::kReadWrite);
  EXPECT_EQ(rw->Where(), "10.77.0.13:6432,10.77.0.14:6432,10.77.0.15:6432");
  EXPECT_EQ(rw->TargetSessionAttrs(), "read-write");
  EXPECT_EQ(plan->Endpoint(EndpointRole::kReadOnly)->TargetSessionAttrs(), "prefer-standby");
}

TEST(TopologyShapes, TheWatchdogFollowsFromTheSettingAndIsNoRole) {
  Topology t = LoadShape("compact");
  t.patroni.watchdog = "emulated";
  auto plan = MakePlan(t, "abc123", "/w", "netns");
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->HostsRunning("watchdog").size(), 3u) << "one per Patroni host";
  EXPECT_FALSE(plan->Find("lb")->Runs("watchdog"));
  EXPECT_NE(TopologyShapesErrorOf("name: x\nhosts:\n  - {name: a, roles: [etcd, patroni, watchdog]}\n")
                .find("topo.yaml:3:22: \"watchdog\" is not a role a host names"),
            std::string::npos)
      << TopologyShapesErrorOf("name: x\nhosts:\n  - {name: a, roles: [etcd, patroni, watchdog]}\n");
}

TEST(TopologyShapes, PartsThatDoNotFitTogetherNameTheFix) {
  std::string no_vip = kVip;
  no_vip.resize(no_vip.find("vip:"));
  EXPECT_NE(TopologyShapesErrorOf(no_vip).find("hosts run keepalived but there is no vip: block"), std::string::npos);
  std::string on_a_host = kVip;
  on_a_host.replace(on_a_host.find("110"), 3, "12");
  EXPECT_NE(TopologyShapesErrorOf(on_a_host).find("the VIP .12 is a host's address"), std::string::npos)
      << TopologyShapesErrorOf(on_a_host);
  std::string outside = kVip;
  outside.replace(outside.find("110"), 3, "10.99.0.5");
  EXPECT_NE(TopologyShapesErrorOf(outside).find("topo.yaml:9:12: vip.address \"10.99.0.5\" must be a host number"),
            std::string::npos)
      << TopologyShapesErrorOf(outside);
  const std::string tight_watchdog = std::string(kVip) + "patroni: {watchdog: emulated, watchdog_safety_margin: 5s}\n";
  EXPECT_NE(TopologyShapesErrorOf(tight_watchdog).find("the watchdog timeout would be 0s"), std::string::npos)
      << TopologyShapesErrorOf(tight_watchdog);
  const std::string bad_backend =
      "name: x\nhosts:\n  - {name: a, roles: [etcd, patroni, pgbouncer]}\npgbouncer: {backend: router}\n";
  EXPECT_NE(TopologyShapesErrorOf(bad_backend).find("pgbouncer.backend: router needs a host with the haproxy role"),
            std::string::npos);
  const std::string plain = std::string(kVip) +
                            "tls: {postgres: true}\nendpoints:\n  read_write: {via: vip, port: "
                            "5000, tls: false}\n";
  EXPECT_NE(TopologyShapesErrorOf(plain).find("PostgreSQL accepts TLS connections only"), std::string::npos)
      << TopologyShapesErrorOf(plain);
  const std::string unknown_tls = std::string(kVip) + "tls: {postgress: true}\n";
  EXPECT_NE(TopologyShapesErrorOf(unknown_tls).find("did you mean \"postgres\""), std::string::npos)
      << TopologyShapesErrorOf(unknown_tls);
}

TEST(TopologyShapes, SettingsUnderTestNameEveryPartTheTopologyHas) {
  const auto s1 = DescribeTopologySettings(LoadShape("seed-001-haproxy-vip"));
  EXPECT_EQ(s1.at("vip").at("advert_int"), "100ms");
  EXPECT_EQ(s1.at("tls").at("etcd"), true);
  EXPECT_FALSE(s1.count("pgbouncer"));
  const auto s2 = DescribeTopologySettings(LoadShape("seed-002-dedicated-etcd"));
  EXPECT_EQ(s2.at("pgbouncer").at("server_login_retry"), "15s");
  const auto compact = DescribeTopologySettings(LoadShape("compact"));
  EXPECT_EQ(compact.size(), 2u) << "patroni and haproxy only, as in every earlier result";
  EXPECT_FALSE(compact.at("patroni").count("watchdog"));
}

TEST(TopologyShapes, AHostListIsTriedHostByHostAsAClientWithConnectTimeoutWould) {
  PgTarget t;
  t.host = "10.0.0.1,10.0.0.2";
  t.ports = "6432,6433";
  t.target_session_attrs = "read-write";
  auto rw = HostAttempts(t);
  ASSERT_EQ(rw.size(), 2u);
  EXPECT_EQ(rw[1].host, "10.0.0.2");
  EXPECT_EQ(rw[1].port, 6433);
  EXPECT_EQ(rw[1].target_session_attrs, "read-write");
  EXPECT_TRUE(rw[1].ports.empty());
  t.target_session_attrs = "prefer-standby";
  auto ro = HostAttempts(t);
  ASSERT_EQ(ro.size(), 4u) << "standbys first, then any";
  EXPECT_EQ(ro[0].target_session_attrs, "standby");
  EXPECT_EQ(ro[3].target_session_attrs, "any");
  PgTarget one;
  one.host = "10.0.0.9";
  EXPECT_EQ(HostAttempts(one).size(), 1u);
}

}  // namespace
}  // namespace pgha
