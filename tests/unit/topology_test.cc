#include <gtest/gtest.h>

#include "scenario/topology_loader.h"

namespace pgha {
namespace {
using namespace std::chrono_literals;

const char* kCompact = R"(name: compact
subnet: 10.77.0.0/24
hosts:
  - name: node1
    roles: [etcd, patroni]
  - name: node2
    roles: [etcd, patroni]
  - name: node3
    roles: [etcd, patroni]
  - name: lb
    roles: [haproxy]
patroni:
  ttl: 10s
  loop_wait: 1s
  retry_timeout: 4s
haproxy:
  check_interval: 500ms
)";

std::string TopologyErrorOf(const std::string& yaml) {
  auto t = ParseTopology(yaml, "topo.yaml");
  EXPECT_FALSE(t.ok());
  return t.ok() ? "" : t.status().message();
}

TEST(Topology, LoadsTheCompactShape) {
  auto t = ParseTopology(kCompact, "topo.yaml");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->topology.name, "compact");
  EXPECT_EQ(t->topology.hosts.size(), 4u);
  EXPECT_EQ(t->topology.HostsRunning("etcd").size(), 3u);
  EXPECT_EQ(t->topology.HostsRunning("haproxy").size(), 1u);
  // Each service with its kind's default ports; the router serves both endpoints.
  EXPECT_EQ(t->topology.hosts[0].Service("etcd")->Port("client"), 2379);
  EXPECT_EQ(t->topology.hosts[0].Service("patroni")->Port("api"), 8008);
  const EndpointSpec* rw = t->topology.Endpoint(EndpointRole::kReadWrite);
  ASSERT_NE(rw, nullptr);
  EXPECT_EQ(rw->host, "lb");
  EXPECT_EQ(rw->service, "haproxy");
  EXPECT_EQ(rw->port, 5000);
  EXPECT_EQ(t->topology.Endpoint(EndpointRole::kReadOnly)->port, 5001);
  EXPECT_EQ(t->topology.patroni.ttl, 10s);
  EXPECT_EQ(t->topology.haproxy.check_interval, 500ms);
  EXPECT_TRUE(t->warnings.empty());
}

TEST(Topology, TheShippedFixtureLoads) {
  auto t = LoadTopology(PGHA_SOURCE_DIR "/fixtures/topologies/compact.yaml");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->topology.hosts.size(), 4u);
}

TEST(Topology, UnknownKeyNamesLineColumnAndSuggestsTheFix) {
  auto e = TopologyErrorOf(std::string(kCompact).replace(std::string(kCompact).find("  loop_wait"), 11, "  loop_wiat"));
  EXPECT_NE(e.find("topo.yaml:14:3: unknown key \"loop_wiat\" in patroni; did you mean \"loop_wait\"?"),
            std::string::npos)
      << e;
}

TEST(Topology, BadUnitIsAnErrorAtItsValue) {
  std::string yaml = std::string(kCompact);
  yaml.replace(yaml.find("ttl: 10s"), 8, "ttl: 10 sec");
  auto e = TopologyErrorOf(yaml);
  EXPECT_NE(e.find("topo.yaml:13:8: patroni.ttl: bad duration \"10 sec\""), std::string::npos) << e;
}

TEST(Topology, ALoopDataDeviceIsReadAndNeedsItsSize) {
  const std::string base = std::string(kCompact);
  EXPECT_NE(TopologyErrorOf(base + "data_device: disk\n").find("data_device must be tmpfs or loop"), std::string::npos);
  EXPECT_NE(TopologyErrorOf(base + "data_device: loop\n").find("data_device: loop needs data_volume"),
            std::string::npos);
  auto t = ParseTopology(base + "data_device: loop\ndata_volume: 256MiB\n", "topo.yaml");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->topology.data_device, "loop");
}

TEST(Topology, FractionalPatroniSecondsAreRejected) {
  std::string yaml = std::string(kCompact);
  yaml.replace(yaml.find("ttl: 10s"), 8, "ttl: 2500ms");
  EXPECT_NE(TopologyErrorOf(yaml).find("whole number of seconds"), std::string::npos);
}

TEST(Topology, WrongTypesAndRolesAreErrors) {
  std::string yaml = std::string(kCompact);
  yaml.replace(yaml.find("[haproxy]"), 9, "[haproxy, pgpool]");
  EXPECT_NE(TopologyErrorOf(yaml).find("unknown role \"pgpool\""), std::string::npos);
  std::string dup = std::string(kCompact);
  dup.replace(dup.find("name: node2"), 11, "name: node1");
  EXPECT_NE(TopologyErrorOf(dup).find("host name \"node1\" is used twice"), std::string::npos);
  std::string bad_name = std::string(kCompact);
  bad_name.replace(bad_name.find("name: lb"), 8, "name: Load_Balancer");
  EXPECT_NE(TopologyErrorOf(bad_name).find("1 to 8 lower-case"), std::string::npos);
}

TEST(Topology, SyntaxErrorsCarryThePosition) {
  auto e = TopologyErrorOf("name: x\nhosts: [\n");
  EXPECT_NE(e.find("topo.yaml:"), std::string::npos);
  EXPECT_NE(e.find("YAML syntax error"), std::string::npos);
}

TEST(Topology, SemanticChecks) {
  EXPECT_NE(TopologyErrorOf("name: x\nhosts:\n  - name: a\n    roles: [patroni]\n").find("no host has the etcd role"),
            std::string::npos);
  EXPECT_NE(TopologyErrorOf("name: x\nsubnet: 10.77.0.5/24\nhosts:\n  - name: a\n    roles: [etcd, patroni]\n")
                .find("did you mean 10.77.0.0/24"),
            std::string::npos);
  EXPECT_NE(TopologyErrorOf("name: x\nsubnet: 10.0.0.0/8\nhosts:\n  - name: a\n    roles: [etcd, patroni]\n")
                .find("between /16 and /28"),
            std::string::npos);
}

TEST(Topology, WarnsWhenPatroniTimingRuleIsBroken) {
  std::string yaml = std::string(kCompact);
  yaml.replace(yaml.find("retry_timeout: 4s"), 17, "retry_timeout: 5s");
  auto t = ParseTopology(yaml, "topo.yaml");
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->warnings.size(), 1u);
  EXPECT_NE(t->warnings[0].find("loop_wait + 2*retry_timeout <= ttl (1s + 2*5s > 10s)"), std::string::npos)
      << t->warnings[0];
}

TEST(Topology, SeveralLoadBalancersPortsAndEndpointsAreData) {
  std::string yaml = kCompact;
  const std::string lb = "  - name: lb\n    roles: [haproxy]\n";
  yaml.replace(yaml.find(lb), lb.size(),
               "  - name: lb1\n    roles: [haproxy]\n"
               "  - name: lb2\n    services:\n      haproxy: {ports: {primary: 6000, replicas: 6001}}\n");
  yaml += "tls:\n  postgres: true\nendpoints:\n  read_write: {host: lb2, port: 6000, tls: true}\n";
  auto t = ParseTopology(yaml, "topo.yaml");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->topology.HostsRunning("haproxy").size(), 2u);
  const EndpointSpec* rw = t->topology.Endpoint(EndpointRole::kReadWrite);
  EXPECT_EQ(rw->host, "lb2");
  EXPECT_EQ(rw->port, 6000);
  EXPECT_TRUE(rw->tls);
  EXPECT_EQ(t->topology.Endpoint(EndpointRole::kReadOnly)->host, "lb1") << "the first router serves what is not named";
  EXPECT_EQ(t->topology.hosts[4].Service("haproxy")->Port("stats"), 7000) << "ports not named keep their defaults";
}

TEST(Topology, EndpointAndPortMistakesNameTheFix) {
  std::string bad_port = std::string(kCompact) + "endpoints:\n  read_write: {host: lb, port: 5999}\n";
  EXPECT_NE(TopologyErrorOf(bad_port).find("no service on lb serves read-write clients on port 5999"),
            std::string::npos)
      << TopologyErrorOf(bad_port);
  std::string bad_host = std::string(kCompact) + "endpoints:\n  read_write: {host: lb9}\n";
  EXPECT_NE(TopologyErrorOf(bad_host).find("endpoint host \"lb9\" is not a host of this topology"), std::string::npos);
  std::string bad_name = kCompact;
  bad_name.replace(bad_name.find("roles: [haproxy]"), 16, "services: {haproxy: {ports: {primray: 6000}}}");
  EXPECT_NE(TopologyErrorOf(bad_name).find("haproxy has no port \"primray\"; its ports are primary, replicas, stats"),
            std::string::npos)
      << TopologyErrorOf(bad_name);
  std::string plain_tls = std::string(kCompact) + "endpoints:\n  read_write: {host: lb, tls: true}\n";
  EXPECT_NE(TopologyErrorOf(plain_tls).find("topo.yaml:19:31: an endpoint with tls needs `tls: {postgres: true}`"),
            std::string::npos)
      << TopologyErrorOf(plain_tls);
}

TEST(Topology, WithoutARouterClientsUseAMultiHostString) {
  auto t = ParseTopology(
      "name: x\nhosts:\n  - name: a\n    roles: [etcd, patroni]\n  - name: b\n    roles: [etcd, "
      "patroni]\n  - name: c\n    roles: [etcd, patroni]\n",
      "topo.yaml");
  ASSERT_TRUE(t.ok()) << t.status().message();
  const EndpointSpec* rw = t->topology.Endpoint(EndpointRole::kReadWrite);
  ASSERT_NE(rw, nullptr);
  EXPECT_EQ(rw->via, EndpointVia::kMultiHost);
  EXPECT_EQ(rw->service, "patroni");
  EXPECT_EQ(rw->port_name, "postgres");
  EXPECT_EQ(t->topology.Endpoint(EndpointRole::kReadOnly)->via, EndpointVia::kMultiHost);
}

TEST(Topology, MissingFileIsAClearError) {
  auto t = LoadTopology("/nonexistent/topo.yaml");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("/nonexistent/topo.yaml"), std::string::npos);
}

}  // namespace
}  // namespace pgha
