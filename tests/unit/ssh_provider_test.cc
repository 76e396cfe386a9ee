// The ssh provider's commands, on a fake process runner: what each fault
// sends, that a dry run sends nothing, and what teardown undoes.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>

#include "fakes/fakes.h"
#include "providers/ssh_provider.h"
#include "providers/systemd_unit.h"

namespace pgha {
namespace {

using testing::FakeClock;
using testing::FakeHttpClient;
using testing::FakeProcessRunner;
using testing::FakeProcessTable;

Inventory TwoHosts() {
  Inventory inv;
  inv.scope = "main";
  inv.superuser_password = "pw";
  for (const auto& [name, addr] : {std::pair{"pg1", "10.1.2.11"}, {"lb", "10.1.2.21"}}) {
    SshAccess a;
    a.host = name;
    a.address = addr;
    a.key_file = "/keys/id";
    a.units["patroni"] = "patroni@15-main.service";
    inv.access.push_back(a);
  }
  return inv;
}

HostPlan Pg1() {
  HostPlan h;
  h.name = "pg1";
  h.address = "10.1.2.11";
  h.interface = "ens3";
  h.data_dir = "/srv/pg/main";
  h.services = {{"etcd", {{"client", 2379}}}, {"patroni", {{"api", 8008}, {"postgres", 5432}}}};
  return h;
}

class SshProviderTest : public ::testing::Test {
 protected:
  SshProviderTest() : runner_(&table_) {}
  std::string Remote(size_t i) const {  // the script part of the i-th ssh command
    const std::string& line = runner_.commands.at(i);
    return line.substr(line.find(" -- ") + 4);
  }
  void SetUp() override {
    manifest_path_ = std::filesystem::temp_directory_path() / ("pgha-ssh-" + std::to_string(getpid()) + ".json");
    std::filesystem::remove(manifest_path_);
    auto m = Manifest::Create(manifest_path_.string(), "r1", "ssh");
    ASSERT_TRUE(m.ok());
    manifest_ = std::move(*m);
  }
  void TearDown() override { std::filesystem::remove(manifest_path_); }

  FakeProcessTable table_;
  FakeProcessRunner runner_;
  FakeClock clock_;
  FakeHttpClient http_;
  std::filesystem::path manifest_path_;
  std::unique_ptr<Manifest> manifest_;
};

TEST_F(SshProviderTest, AKillIsSystemctlKillOfTheUnitAndPostgresIsItsPostmaster) {
  SshProvider p({runner_, clock_, http_}, TwoHosts(), false, nullptr);
  runner_.scripted.push_back({"ssh", {0, false, "4242\n", ""}});
  auto pids = p.Services().Signal(Pg1(), "patroni", SIGKILL, false, *manifest_);
  ASSERT_TRUE(pids.ok());
  EXPECT_EQ(*pids, std::vector<int>{4242});
  EXPECT_NE(runner_.commands[0].find("-i /keys/id -p 22 root@10.1.2.11 --"), std::string::npos) << runner_.commands[0];
  EXPECT_NE(Remote(0).find("systemctl kill --kill-who=main --signal=SIGKILL patroni@15-main.service"),
            std::string::npos)
      << Remote(0);
  p.Services().Signal(Pg1(), "postgres", SIGSTOP, false, *manifest_);
  EXPECT_NE(Remote(1).find("head -n1 /srv/pg/main/postmaster.pid"), std::string::npos) << Remote(1);
  EXPECT_NE(Remote(1).find("kill -s STOP $p $c"), std::string::npos) << Remote(1);
}

TEST_F(SshProviderTest, BlocksLiveInOurChainsWhichLetOurOwnSshThrough) {
  SshProvider p({runner_, clock_, http_}, TwoHosts(), false, nullptr);
  runner_.scripted.push_back({"ssh", {0, false, "10.1.2.1\n", ""}});
  auto id = p.Network().Block(Pg1(), {TrafficBlock::Direction::kIn, "", 0, 1.0}, "pg1:cut", *manifest_);
  ASSERT_TRUE(id.ok()) << id.status().message();
  ASSERT_EQ(runner_.commands.size(), 3u);
  EXPECT_NE(Remote(1).find("-A PGHA_IN -s 10.1.2.1 -p tcp --dport 22 -j RETURN"), std::string::npos) << Remote(1);
  EXPECT_EQ(Remote(2), "iptables -w 5 -A PGHA_IN -i ens3 -j DROP");
  p.Network().Block(Pg1(), {TrafficBlock::Direction::kOut, "10.1.2.12", 0, 1.0}, "pg1:cut", *manifest_);
  EXPECT_EQ(runner_.commands.size(), 4u) << "the chains are made once per host";
  EXPECT_EQ(Remote(3), "iptables -w 5 -A PGHA_OUT -d 10.1.2.12 -j DROP");
  // Teardown removes the rules and the chains, reaching the host from the manifest alone.
  manifest_->Record(AccessResource(TwoHosts().access[0]));
  SshProvider later({runner_, clock_, http_}, std::nullopt, false, nullptr);
  auto report = later.Teardown(*manifest_, {"/nowhere"});
  EXPECT_TRUE(report.ok()) << report.errors.front();
  std::string all;
  for (size_t i = 4; i < runner_.commands.size(); ++i) all += Remote(i) + "\n";
  EXPECT_NE(all.find("iptables -w 5 -D PGHA_OUT -d 10.1.2.12 -j DROP"), std::string::npos) << all;
  EXPECT_NE(all.find("iptables -w 5 -X PGHA_IN"), std::string::npos) << all;
  EXPECT_TRUE(manifest_->AllRemoved());
}

TEST_F(SshProviderTest, ADryRunPrintsEveryCommandAndRunsNone) {
  std::vector<std::string> printed;
  SshProvider p({runner_, clock_, http_}, TwoHosts(), true, [&](const std::string& l) { printed.push_back(l); });
  p.Services().Signal(Pg1(), "patroni", SIGKILL, false, *manifest_);
  p.Network().Block(Pg1(), {TrafficBlock::Direction::kIn, "", 0, 1.0}, "pg1:cut", *manifest_);
  p.Files().FillFilesystem(Pg1(), "/srv/pg/pgha-ballast", *manifest_);
  EXPECT_TRUE(runner_.commands.empty()) << runner_.commands.front();
  ASSERT_EQ(printed.size(), 5u);
  EXPECT_EQ(printed[0].rfind("pg1 (root@10.1.2.11): ", 0), 0u) << printed[0];
  EXPECT_NE(printed[3].find("iptables -w 5 -A PGHA_IN -i ens3 -j DROP"), std::string::npos);
  EXPECT_NE(printed[4].find("fallocate"), std::string::npos);
}

TEST_F(SshProviderTest, BecomeRunsTheWholeScriptUnderSudo) {
  SshAccess a = TwoHosts().access[0];
  a.become = true;
  a.user = "admin";
  a.ssh_options = {"-o", "StrictHostKeyChecking=accept-new"};
  const auto argv = SshArgv(a, "echo 'x' && id");
  EXPECT_EQ(argv.back(), "sudo -n sh -c 'echo '\\''x'\\'' && id'");
  EXPECT_EQ(argv[argv.size() - 3], "admin@10.1.2.11");
  EXPECT_EQ(argv[argv.size() - 4], "StrictHostKeyChecking=accept-new");
  EXPECT_EQ(ShellCommand({"tc", "qdisc", "add", "dev", "eth 0"}), "tc qdisc add dev 'eth 0'");
}

TEST(SystemdUnit, ADaemonBecomesAUnitNamedAfterItsKind) {
  DaemonLaunch d{"patroni@node1", {"/usr/bin/patroni", "/run dir/patroni.yml", "50%"},
                 "postgres",      {{"PATH", "/usr/bin"}, {"HOME", "/var/lib/postgresql"}},
                 "/srv/node1",    "/srv/node1/patroni.log"};
  EXPECT_EQ(UnitName(d), "patroni.service");
  const std::string unit = RenderUnit(d);
  EXPECT_NE(unit.find("ExecStart=\"/usr/bin/patroni\" \"/run dir/patroni.yml\" \"50%%\"\n"), std::string::npos) << unit;
  EXPECT_NE(unit.find("User=postgres\n"), std::string::npos);
  EXPECT_NE(unit.find("Environment=\"HOME=/var/lib/postgresql\"\n"), std::string::npos);
  EXPECT_NE(unit.find("StandardOutput=append:/srv/node1/patroni.log\n"), std::string::npos);
  EXPECT_NE(unit.find("KillMode=process\nRestart=no\n"), std::string::npos);
}

}  // namespace
}  // namespace pgha
