#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "scenario/topology_loader.h"
#include "services/registry.h"

namespace pgha {
namespace {

// The content of the one file a service renders for a host.
std::string Rendered(const std::string& kind, const ClusterPlan& plan, int host, const Topology& t, const Secrets& s) {
  auto files = FindService(kind)->Render({plan, plan.hosts[host], t, s, PGHA_SOURCE_DIR "/fixtures"});
  EXPECT_TRUE(files.ok()) << files.status().message();
  return files.ok() && files->size() == 1 ? (*files)[0].content : "";
}

TEST(Fixtures, RenderTheShippedTemplates) {
  auto t = LoadTopology(PGHA_SOURCE_DIR "/fixtures/topologies/compact.yaml")->topology;
  t.patroni.synchronous_mode = true;
  t.patroni.postgresql_parameters["work_mem"] = "8MB";
  t.haproxy.check_interval = std::chrono::milliseconds(250);
  auto plan = *MakePlan(t, "abc123", "/w", "netns");
  Secrets s{"supersecret", "replsecret", "rewindsecret"};
  const std::string patroni = Rendered("patroni", plan, 1, t, s);
  EXPECT_NE(patroni.find("name: node2"), std::string::npos);
  EXPECT_NE(patroni.find("listen: 10.77.0.11:8008"), std::string::npos);
  EXPECT_NE(patroni.find("hosts: 10.77.0.10:2379,10.77.0.11:2379,10.77.0.12:2379"), std::string::npos);
  EXPECT_NE(patroni.find("ttl: 5\n"), std::string::npos);
  EXPECT_NE(patroni.find("synchronous_mode: true"), std::string::npos);
  EXPECT_NE(patroni.find("work_mem: \"8MB\""), std::string::npos);
  EXPECT_NE(patroni.find("password: \"supersecret\""), std::string::npos);
  auto yaml = YAML::Load(patroni);  // it is valid YAML
  EXPECT_EQ(yaml["bootstrap"]["dcs"]["loop_wait"].as<int>(), 1);
  const std::string haproxy = Rendered("haproxy", plan, 3, t, s);
  EXPECT_NE(haproxy.find("inter 250ms fastinter 250ms downinter 250ms fall 2 rise 1 on-marked-down shutdown-sessions"),
            std::string::npos)
      << haproxy;
  EXPECT_NE(haproxy.find("server node3 10.77.0.12:5432 maxconn 200 check port 8008"), std::string::npos);
  const std::string etcd = Rendered("etcd", plan, 0, t, s);
  EXPECT_NE(
      etcd.find(
          "initial-cluster: node1=http://10.77.0.10:2380,node2=http://10.77.0.11:2380,node3=http://10.77.0.12:2380"),
      std::string::npos);
}

TEST(Fixtures, PortsComeFromThePlan) {
  auto t = LoadTopology(PGHA_SOURCE_DIR "/fixtures/topologies/compact.yaml")->topology;
  t.hosts[0].services[1].ports["postgres"] = 6543;  // node1's PostgreSQL elsewhere
  t.hosts[3].services[0].ports["primary"] = 6000;
  auto plan = *MakePlan(t, "abc123", "/w", "netns");
  const std::string haproxy = Rendered("haproxy", plan, 3, t, Secrets{});
  EXPECT_NE(haproxy.find("bind 10.77.0.13:6000"), std::string::npos) << haproxy;
  EXPECT_NE(haproxy.find("server node1 10.77.0.10:6543 maxconn 200 check port 8008"), std::string::npos);
  EXPECT_NE(Rendered("patroni", plan, 0, t, Secrets{}).find("listen: 10.77.0.10:6543"), std::string::npos);
}

TEST(Services, TheRegistryListsEveryKindByTier) {
  EXPECT_EQ(ServiceKindList(), "etcd, patroni, haproxy, pgbouncer, keepalived") << "the watchdog is not a role";
  EXPECT_EQ(FindService("pgpool"), nullptr);
  EXPECT_EQ(FindService("haproxy")->EndpointPorts().at(EndpointRole::kReadWrite), "primary");
  EXPECT_EQ(VersionsFor({"patroni"}).size(), 2u) << "PostgreSQL and Patroni";
  const auto patroni = FindService("patroni");
  auto plan =
      *MakePlan(LoadTopology(PGHA_SOURCE_DIR "/fixtures/topologies/compact.yaml")->topology, "abc123", "/w", "netns");
  const DaemonLaunch launch = patroni->Launch(plan, plan.hosts[0]);
  EXPECT_EQ(launch.label, "patroni@node1");
  EXPECT_EQ(launch.user, "postgres");
  EXPECT_EQ(launch.log_file, "/w/runs/abc123/node1/patroni.log");
}

}  // namespace
}  // namespace pgha
