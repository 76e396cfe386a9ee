// Real hosts (issue: containers, ssh, the Ansible playbook): system
// containers with systemd run a scenario; bare containers provisioned by
// vagrant/site.yml over ssh are then tested with --provider ssh, a dry run
// must change nothing, a wrong inventory must stop before anything, and
// nothing of ours may stay on the hosts or on this machine.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "integration/cli_helpers.h"

namespace pgha::itest {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const std::string kHostsOut = "/tmp/pgha-itest-hosts-results";

class HostsTest : public CleanMachineTest {
 protected:
  HostsTest() : CleanMachineTest(kHostsOut) {}

  // `ssh root@address script` with the run's key; stdout.
  std::string OnHost(const std::string& address, const std::string& script) {
    BoostProcessRunner runner;
    auto r = runner.Run(
        CommandSpec::Of({"ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o",
                         "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-i", key_, "root@" + address, script},
                        std::chrono::seconds(20)));
    return r.ok() ? r->out : "ssh failed: " + r.status().message();
  }
  // What of ours is on the cluster's hosts, and each patroni's main pid.
  std::string HostState() {
    std::string s;
    for (const auto& a : addresses_)
      s += a + ": " +
           OnHost(a,
                  "iptables -S | grep -c PGHA; tc qdisc show | grep -c netem; ls /var/lib/postgresql/15/pgha-ballast "
                  "2>/dev/null | wc -l; systemctl show -p MainPID --value patroni etcd");
    return s;
  }

  std::string key_;
  std::vector<std::string> addresses_;
};

TEST_F(HostsTest, ContainersWithSystemdRunAScenarioFreezeAHostAndLeaveNothing) {
  auto r =
      Cli({"run", PGHA_SOURCE_DIR "/scenarios/primary-kill.yaml", PGHA_SOURCE_DIR "/scenarios/primary-host-freeze.yaml",
           "--provider", "containers", "--output", kHostsOut, "--subnet", kSubnet, "--seed", "11"},
          std::chrono::seconds(400));
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err << r.out;
  const json kill = json::parse(ReadAll(kHostsOut + "/primary-kill/result.json"));
  ASSERT_FALSE(kill["measurements"]["failover_time_s"].is_null());
  EXPECT_LT(kill["measurements"]["failover_time_s"].get<double>(), 8.0);
  EXPECT_LE(kill["measurements"]["lost_keys"].size(), 2u) << "asynchronous: at most one per writer";
  EXPECT_NE(kill["versions"]["patroni"].get<std::string>().find("patroni 3.0.2"), std::string::npos)
      << "versions come from the image";
  const json freeze = json::parse(ReadAll(kHostsOut + "/primary-host-freeze/result.json"));
  ASSERT_FALSE(freeze["measurements"]["failover_time_s"].is_null()) << "a frozen container's primary was replaced";
  bool froze = false;
  for (const auto& s : freeze["steps"]) froze |= s["detail"].get<std::string>().find("froze host") == 0;
  EXPECT_TRUE(froze) << freeze["steps"].dump();
  EXPECT_TRUE(fs::exists(kHostsOut + "/primary-kill/logs/node1/patroni.log"));
  EXPECT_EQ(Join(Leftovers()), "");
}

TEST_F(HostsTest, ThePlaybookProvisionsBareContainersAndTheSshProviderTestsThem) {
  auto up = Cli({"up", "--provider", "containers", "--bare", "--subnet", kSubnet}, std::chrono::seconds(60));
  ASSERT_EQ(up.exit_code, 0) << up.err << up.out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(up.out, m, std::regex("inventory:\\s+(\\S+)"))) << up.out;
  const std::string inventory = m[1];
  key_ = fs::path(inventory).parent_path().string() + "/ssh/id_ed25519";
  for (int i = 10; i < 14; ++i) addresses_.push_back("10.213.7." + std::to_string(i));
  BoostProcessRunner runner;
  auto play = runner.Run(CommandSpec::Of({"env", "ANSIBLE_CONFIG=" PGHA_SOURCE_DIR "/vagrant/ansible.cfg",
                                          "ansible-playbook", "-i", inventory, PGHA_SOURCE_DIR "/vagrant/site.yml"},
                                         std::chrono::seconds(400)));
  ASSERT_TRUE(play.ok() && play->Succeeded())
      << (play.ok() ? play->out.substr(play->out.size() > 3000 ? play->out.size() - 3000 : 0) : "");
  const std::string before = HostState();

  auto dry = Cli({"run", PGHA_SOURCE_DIR "/scenarios/isolate-primary.yaml", "--provider", "ssh", "--inventory",
                  inventory, "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err << dry.out;
  EXPECT_NE(dry.out.find("iptables -w 5 -A PGHA_IN"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("iptables -w 5 -D PGHA_OUT"), std::string::npos) << dry.out;
  EXPECT_EQ(HostState(), before) << "a dry run ran nothing: same main pids, no chain, no qdisc, no ballast";

  auto run =
      Cli({"run", PGHA_SOURCE_DIR "/scenarios/primary-kill.yaml", PGHA_SOURCE_DIR "/scenarios/isolate-primary.yaml",
           "--provider", "ssh", "--inventory", inventory, "--output", kHostsOut, "--seed", "12"},
          std::chrono::seconds(300));
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 1) << run.err << run.out;
  for (const char* scenario : {"primary-kill@inventory", "isolate-primary@inventory"}) {
    const json res = json::parse(ReadAll(kHostsOut + "/" + scenario + "/result.json"));
    EXPECT_FALSE(res["measurements"]["failover_time_s"].is_null()) << scenario;
    EXPECT_LE(res["measurements"]["lost_keys"].size(), 2u) << scenario << ": at most one per writer (asynchronous)";
    EXPECT_EQ(res["settings"]["patroni"]["ttl"], "5s") << "read from the cluster's Patroni";
    EXPECT_TRUE(fs::exists(kHostsOut + "/" + scenario + "/logs/node1/patroni.log")) << "from journald";
  }
  // The user's own playbook as a step, under load, measured like any operation, its output kept.
  setenv("ANSIBLE_CONFIG", PGHA_SOURCE_DIR "/vagrant/ansible.cfg", 1);
  auto played = Cli({"run", PGHA_SOURCE_DIR "/scenarios/drills/playbook-restart.yaml", "--provider", "ssh",
                     "--inventory", inventory, "--output", kHostsOut + "/playbook", "--seed", "3"},
                    std::chrono::seconds(240));
  unsetenv("ANSIBLE_CONFIG");
  EXPECT_EQ(played.exit_code, 0) << played.err << played.out;
  {
    const json res = json::parse(ReadAll(kHostsOut + "/playbook/playbook-restart@inventory/result.json"));
    const json& windows = res["measurements"]["operations"]["windows"];
    ASSERT_EQ(windows.size(), 1u) << res["steps"];
    EXPECT_EQ(windows[0]["kind"], "ansible");
    EXPECT_GT(windows[0]["writes"]["ok"].get<int>(), 0);
    EXPECT_NE(res["steps"][2]["detail"].get<std::string>().find("node2 : ok=1 changed=1"), std::string::npos)
        << res["steps"][2];
    const std::string kept = ReadAll(kHostsOut + "/playbook/playbook-restart@inventory/logs/ansible-" +
                                     windows[0]["id"].get<std::string>() + ".log");
    EXPECT_NE(kept.find("PLAY RECAP"), std::string::npos) << kept;
  }
  const std::string after = HostState();
  for (const auto& a : addresses_)
    EXPECT_NE(after.find(a + ": 0\n0\n0\n"), std::string::npos) << "no chain, qdisc or ballast left:\n" << after;
  // A wrong inventory stops before anything is done, with one clear error.
  const std::string text = ReadAll(inventory);
  const std::vector<std::pair<std::string, std::pair<std::string, std::string>>> wrong = {
      {"unknown host", {"lb: {ansible_host: 10.213.7.13}", "lb: {ansible_host: no_such_host}"}},
      {"unreachable", {"lb: {ansible_host: 10.213.7.13}", "lb: {ansible_host: 10.213.7.99}"}},
      {"another cluster", {"patroni_scope: pgha-", "patroni_scope: prod-"}},
      {"missing key", {"ansible_ssh_private_key_file: ", "ansible_ssh_private_key_file: /nonexistent"}}};
  for (const auto& [what, edit] : wrong) {
    std::string bad = text;
    ASSERT_NE(bad.find(edit.first), std::string::npos) << what;
    bad.replace(bad.find(edit.first), edit.first.size(), edit.second);
    const std::string file = kHostsOut + "/wrong-inventory.yml";
    std::ofstream(file) << bad;
    auto r = Cli({"run", PGHA_SOURCE_DIR "/scenarios/primary-kill.yaml", "--provider", "ssh", "--inventory", file,
                  "--output", kHostsOut + "/wrong"});
    EXPECT_EQ(r.exit_code, 2) << what << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << what << ": one error line\n" << r.err;
    EXPECT_FALSE(fs::exists(kHostsOut + "/wrong")) << what << ": nothing written";
  }
  EXPECT_EQ(HostState(), after) << "nothing was done on the hosts";
  auto down = Cli({"down"});
  EXPECT_EQ(down.exit_code, 0) << down.err;
  EXPECT_EQ(Join(Leftovers()), "");
}

}  // namespace
}  // namespace pgha::itest
