// The Ansible inventory the ssh provider reads: groups give services,
// variables follow Ansible's precedence, mistakes name file:line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "scenario/inventory_loader.h"

namespace pgha {
namespace {

class InventoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("pgha-inv-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "id_test") << "not a real key";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  // No name server is ever asked: db1.example resolves, nothing else does.
  Result<Inventory> Parse(const std::string& text) {
    return ParseInventory(text, (dir_ / "prod.yml").string(),
                          [](const std::string& name) { return name == "db1.example" ? "10.1.2.31" : ""; });
  }

  std::filesystem::path dir_;
  const std::string head_ =
      "all:\n"
      "  vars:\n"
      "    ansible_user: admin\n"
      "    ansible_ssh_private_key_file: id_test\n"
      "    patroni_scope: main\n"
      "    postgres_superuser_password: s3cret\n";
};

TEST_F(InventoryTest, GroupsAreServicesAndHostVariablesWinOverGroupVariables) {
  auto inv = Parse(head_ +
                   "  children:\n"
                   "    etcd:\n"
                   "      hosts:\n"
                   "        pg1: {ansible_host: 10.1.2.11}\n"
                   "        pg2: {ansible_host: 10.1.2.12}\n"
                   "        pg3: {ansible_host: 10.1.2.13, ansible_port: 2222}\n"
                   "    patroni:\n"
                   "      vars: {ansible_user: postgres-admin, pgha_interface: ens3}\n"
                   "      hosts: {pg1: , pg2: , pg3: {ansible_user: root}}\n"
                   "    haproxy:\n"
                   "      hosts: {lb1: {ansible_host: 10.1.2.21, pgha_ports: {haproxy: {primary: 6000}}}}\n"
                   "    monitoring:\n"
                   "      hosts: {pg1: }\n");
  ASSERT_TRUE(inv.ok()) << inv.status().message();
  EXPECT_EQ(inv->scope, "main");
  EXPECT_EQ(inv->topology.name, "prod");
  ASSERT_EQ(inv->topology.hosts.size(), 4u) << "pg1..3 and lb1: a group that is no service kind gives nothing";
  EXPECT_TRUE(inv->topology.hosts[0].Runs("etcd"));
  EXPECT_TRUE(inv->topology.hosts[0].Runs("patroni"));
  EXPECT_EQ(inv->topology.hosts[3].Service("haproxy")->Port("primary"), 6000);
  EXPECT_EQ(inv->topology.hosts[3].Service("haproxy")->Port("replicas"), 5001);
  const SshAccess* pg1 = inv->Find("pg1");
  EXPECT_EQ(pg1->address, "10.1.2.11");
  EXPECT_EQ(pg1->user, "postgres-admin") << "the patroni group's vars over all's";
  EXPECT_EQ(pg1->interface, "ens3");
  EXPECT_EQ(pg1->key_file, (dir_ / "id_test").string()) << "relative to the inventory";
  EXPECT_EQ(inv->Find("pg3")->user, "root") << "host vars over group vars";
  EXPECT_EQ(inv->Find("pg3")->port, 2222);
  EXPECT_EQ(pg1->Unit("patroni"), "patroni.service");
  EXPECT_EQ(pg1->data_dir, "/var/lib/postgresql/15/main");
  EXPECT_EQ(inv->topology.subnet, "10.1.2.0/24");
  ASSERT_NE(inv->topology.Endpoint(EndpointRole::kReadWrite), nullptr);
  EXPECT_EQ(inv->topology.Endpoint(EndpointRole::kReadWrite)->host, "lb1") << "the router serves clients";
}

TEST_F(InventoryTest, UnitsSudoSshOptionsAndTheDataDirectoryComeFromVariables) {
  auto inv =
      Parse(head_ +
            "    ansible_become: true\n"
            "    ansible_ssh_common_args: -o StrictHostKeyChecking=accept-new\n"
            "    vip: 10.1.2.100\n"
            "  hosts:\n"
            "    a: {ansible_host: 10.1.2.11, postgresql_data_dir: /srv/pg, pgha_units: {patroni: pat.service}}\n"
            "  children:\n"
            "    etcd: {hosts: {a: }}\n"
            "    patroni: {hosts: {a: }}\n"
            "    haproxy: {hosts: {lb: {ansible_host: 10.1.2.21}}}\n"
            "    keepalived: {hosts: {lb: }}\n");
  ASSERT_TRUE(inv.ok()) << inv.status().message();
  const SshAccess* a = inv->Find("a");
  EXPECT_TRUE(a->become);
  EXPECT_EQ(a->ssh_options, (std::vector<std::string>{"-o", "StrictHostKeyChecking=accept-new"}));
  EXPECT_EQ(a->Unit("patroni"), "pat.service");
  EXPECT_EQ(a->Unit("etcd"), "etcd.service");
  EXPECT_EQ(a->data_dir, "/srv/pg");
  EXPECT_EQ(inv->topology.vip.host_number, 100);
  EXPECT_EQ(inv->topology.Endpoint(EndpointRole::kReadWrite)->via, EndpointVia::kVip);
}

TEST_F(InventoryTest, MistakesNameTheLineAndTheFix) {
  auto unknown = Parse(head_ +
                       "  hosts:\n    a: {ansible_host: 10.1.2.11, pgha_interfce: eth1}\n"
                       "  children:\n    etcd: {hosts: {a: }}\n    patroni: {hosts: {a: }}\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("prod.yml:8:"), std::string::npos) << unknown.status().message();
  EXPECT_NE(unknown.status().message().find("did you mean pgha_interface?"), std::string::npos);

  auto unresolvable =
      Parse(head_ +
            "  children:\n    etcd: {hosts: {a: {ansible_host: db2.example}, b: {ansible_host: db_3}}}\n"
            "    patroni: {hosts: {a: , c: {ansible_host: db1.example}}}\n");
  ASSERT_FALSE(unresolvable.ok());
  const std::string why = unresolvable.status().message();
  EXPECT_NE(why.find("unknown host \"db2.example\" (it does not resolve"), std::string::npos) << why;
  EXPECT_NE(why.find("unknown host \"db_3\" (neither an IPv4 address nor a host name"), std::string::npos) << why;
  EXPECT_EQ(why.find("db1.example"), std::string::npos) << "it resolved: " << why;

  auto no_key = Parse(
      "all:\n  vars: {ansible_ssh_private_key_file: /nonexistent/key, patroni_scope: x, postgres_superuser_password: "
      "y}\n"
      "  children:\n    etcd: {hosts: {a: {ansible_host: 10.1.2.11}}}\n    patroni: {hosts: {a: }}\n");
  ASSERT_FALSE(no_key.ok());
  EXPECT_NE(no_key.status().message().find("prod.yml:2:"), std::string::npos) << no_key.status().message();
  EXPECT_NE(no_key.status().message().find("/nonexistent/key is missing"), std::string::npos);

  auto no_scope = Parse(
      "all:\n  vars: {ansible_ssh_private_key_file: id_test, postgres_superuser_password: y}\n"
      "  children:\n    etcd: {hosts: {a: {ansible_host: 10.1.2.11}}}\n    patroni: {hosts: {a: }}\n");
  ASSERT_FALSE(no_scope.ok());
  EXPECT_NE(no_scope.status().message().find("set patroni_scope"), std::string::npos);

  auto no_etcd = Parse(head_ + "  children:\n    patroni: {hosts: {a: {ansible_host: 10.1.2.11}}}\n");
  ASSERT_FALSE(no_etcd.ok());
  EXPECT_NE(no_etcd.status().message().find("etcd"), std::string::npos) << no_etcd.status().message();
}

TEST_F(InventoryTest, ABareUpsInventoryReadsBackAsTheSameHostsAndGroups) {
  ClusterPlan plan;
  plan.run_id = "abc123";
  plan.run_dir = dir_.string();
  plan.topology_name = "compact";
  plan.prefix = 24;
  for (const auto& [name, kinds, addr] : {std::tuple{"node1", std::vector<std::string>{"etcd", "patroni"}, "10.9.0.10"},
                                          {"node2", {"etcd", "patroni"}, "10.9.0.11"},
                                          {"lb", {"haproxy"}, "10.9.0.12"}}) {
    HostPlan h;
    h.name = name;
    h.address = addr;
    h.interface = "host0";
    for (const auto& k : kinds) h.services.push_back({k, {}});
    plan.hosts.push_back(h);
  }
  const Secrets secrets{"su-pass", "repl-pass", "rewind-pass"};
  auto inv = ParseInventory(RenderInventory(plan, secrets, (dir_ / "id_test").string()), (dir_ / "i.yml").string());
  ASSERT_TRUE(inv.ok()) << inv.status().message();
  EXPECT_EQ(inv->scope, "pgha-abc123");
  EXPECT_EQ(inv->superuser_password, "su-pass");
  ASSERT_EQ(inv->access.size(), 3u);
  EXPECT_EQ(inv->Find("lb")->address, "10.9.0.12");
  EXPECT_EQ(inv->Find("node1")->interface, "host0");
  EXPECT_TRUE(inv->topology.hosts[1].Runs("patroni"));
  EXPECT_TRUE(inv->topology.hosts[2].Runs("haproxy"));
  EXPECT_FALSE(inv->topology.hosts[2].Runs("etcd"));
}

}  // namespace
}  // namespace pgha
