// Network shapes that cannot work are refused before anything starts
// (issue 18; scenario/topology_network.h), each naming the topology file
// and what to change; the shipped topologies still load.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "scenario/topology_loader.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;

// compact, with `hosts` and `extra` (top-level YAML) of the test's own.
const char* kCompactHosts = R"(hosts:
  - {name: node1, roles: [etcd, patroni]}
  - {name: node2, roles: [etcd, patroni]}
  - {name: node3, roles: [etcd, patroni]}
  - {name: lb, roles: [haproxy]}
)";

class NetworkShapeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "pgha-shape-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
  }
  void TearDown() override { fs::remove_all(dir_); }
  // The refusal of a topology (its loading, then its validation), "" when it is accepted.
  std::string Refusal(const std::string& subnet, const std::string& hosts, const std::string& extra = "") {
    const std::string path = dir_ + "/shape.yaml";
    std::ofstream(path) << "name: shape\nsubnet: " << subnet << "\n" << hosts << extra;
    auto loaded = LoadTopology(path);
    if (!loaded.ok()) return loaded.status().message();
    std::vector<std::string> warnings;
    Status s = ValidateTopology(loaded->topology, &warnings);
    return s.ok() ? "" : s.message();
  }

  std::string dir_;
};

TEST_F(NetworkShapeTest, TheCompactShapeIsAccepted) { EXPECT_EQ(Refusal("10.77.0.0/24", kCompactHosts), ""); }

TEST_F(NetworkShapeTest, SubnetsNoBridgeCanServeAreRefusedByKind) {
  for (const auto& [subnet, kind] : std::vector<std::pair<std::string, std::string>>{{"127.0.5.0/24", "loopback"},
                                                                                     {"224.1.0.0/24", "multicast"},
                                                                                     {"169.254.3.0/24", "link-local"},
                                                                                     {"0.0.7.0/24", "this network"},
                                                                                     {"250.0.0.0/24", "reserved"}}) {
    const std::string why = Refusal(subnet, kCompactHosts);
    EXPECT_NE(
        why.find("shape.yaml: subnet " + subnet + " is " + std::string(kind == "this network" ? "\"" : "") + kind),
        std::string::npos)
        << why;
    EXPECT_NE(why.find("use a private one"), std::string::npos) << why;
  }
}

TEST_F(NetworkShapeTest, AVipOnTheNetworkOrTheProvidersOwnAddressIsRefusedAtItsLine) {
  const std::string hosts = R"(hosts:
  - {name: node1, roles: [etcd, patroni, haproxy, keepalived]}
  - {name: node2, roles: [etcd, patroni, haproxy, keepalived]}
  - {name: node3, roles: [etcd, patroni]}
)";
  EXPECT_EQ(Refusal("10.77.0.0/24", hosts, "vip: {address: 100}\n"), "");
  const std::string network = Refusal("10.77.0.0/24", hosts, "vip: {address: 10.77.0.0}\n");
  EXPECT_NE(network.find(":7:"), std::string::npos) << network;
  EXPECT_NE(network.find("the subnet's network address"), std::string::npos) << network;
  EXPECT_EQ(network.find("there is no vip: block"), std::string::npos) << "not the false message: " << network;
  const std::string bridge = Refusal("10.77.0.0/24", hosts, "vip: {address: 1}\n");
  EXPECT_NE(bridge.find("the provider's own address (the bridge)"), std::string::npos) << bridge;
}

TEST_F(NetworkShapeTest, TwoListenersOnOnePortOfOneHostAreRefusedNamingBoth) {
  const std::string same_router_ports = std::string(kCompactHosts).substr(0, std::string(kCompactHosts).rfind("  -")) +
                                        "  - {name: lb, services: {haproxy: {ports: {replicas: 5000}}}}\n";
  const std::string router = Refusal("10.77.0.0/24", same_router_ports);
  EXPECT_NE(router.find("host lb: haproxy primary and haproxy replicas both listen on port 5000"), std::string::npos)
      << router;
  const std::string on_postgres = R"(hosts:
  - {name: node1, roles: [etcd, patroni], services: {haproxy: {ports: {primary: 5432}}}}
  - {name: node2, roles: [etcd, patroni]}
  - {name: node3, roles: [etcd, patroni]}
)";
  const std::string pg = Refusal("10.77.0.0/24", on_postgres);
  EXPECT_NE(pg.find("host node1: "), std::string::npos) << pg;
  EXPECT_NE(pg.find("both listen on port 5432"), std::string::npos) << pg;
  const std::string etcd_ports = R"(hosts:
  - {name: node1, roles: [patroni], services: {etcd: {ports: {peer: 2379}}}}
  - {name: node2, roles: [etcd, patroni]}
  - {name: node3, roles: [etcd, patroni]}
  - {name: lb, roles: [haproxy]}
)";
  const std::string etcd = Refusal("10.77.0.0/24", etcd_ports);
  EXPECT_NE(etcd.find("etcd client and etcd peer both listen on port 2379"), std::string::npos) << etcd;
}

TEST_F(NetworkShapeTest, AnEndpointOnAPortThatServesNoSuchClientIsRefused) {
  const std::string stats = Refusal("10.77.0.0/24", kCompactHosts, R"(endpoints:
  read_write: {via: host, host: lb, port: 7000}
)");
  EXPECT_NE(stats.find("the read-write endpoint on lb:7000 is haproxy's stats port"), std::string::npos) << stats;
  EXPECT_NE(stats.find("use its primary port (5000)"), std::string::npos) << stats;
  const std::string replicas = Refusal("10.77.0.0/24", kCompactHosts, R"(endpoints:
  read_write: {via: host, host: lb, port: 5001}
)");
  EXPECT_NE(replicas.find("is haproxy's replicas port"), std::string::npos) << replicas;
  EXPECT_EQ(Refusal("10.77.0.0/24", kCompactHosts, R"(endpoints:
  read_write: {via: host, host: lb, port: 5000}
  read_only: {via: host, host: lb, port: 5001}
)"),
            "");
}

}  // namespace
}  // namespace pgha
