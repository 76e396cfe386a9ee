#include <gtest/gtest.h>

#include <filesystem>

#include "cluster/workdir.h"
#include "core/cancel.h"
#include "core/files.h"
#include "deploy/deployer.h"
#include "fakes/fake_netns.h"
#include "fakes/healthy_cluster.h"
#include "providers/netns_provider.h"
#include "scenario/topology_loader.h"
#include "services/registry.h"
#include "unit/provider_fixture.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;
using namespace testing;

TEST_F(ProviderTest, UpBuildsNetworkStartsDaemonsAndWaitsForHealth) {
  AnswerHealthy();
  auto cluster = Up();
  ASSERT_TRUE(cluster.ok()) << cluster.status().message();
  EXPECT_EQ(cluster->health.leader, "node1");
  // The bridge first, then per host a namespace and a veth with its address.
  EXPECT_EQ(runner_.commands[0], "ip link add pgcabc123br type bridge");
  EXPECT_EQ(runner_.commands[1], "ip addr add 10.77.0.1/24 dev pgcabc123br");
  EXPECT_NE(std::find(runner_.commands.begin(), runner_.commands.end(), "ip netns add pgc-abc123-lb"),
            runner_.commands.end());
  EXPECT_NE(std::find(runner_.commands.begin(), runner_.commands.end(),
                      "ip -n pgc-abc123-node2 addr add 10.77.0.11/24 dev eth0"),
            runner_.commands.end());
  for (const auto& c : runner_.commands) EXPECT_EQ(c.find("route add"), std::string::npos) << "no routes: " << c;
  // etcd x3, patroni x3 (as postgres), haproxy x1, each in its own namespace.
  ASSERT_EQ(runner_.spawned.size(), 7u);
  EXPECT_TRUE(RunsIn(runner_.spawned[0], "/usr/bin/etcd", "pgc-abc123-node1"));
  EXPECT_TRUE(RunsIn(runner_.spawned[3], "/usr/bin/patroni", "pgc-abc123-node1"));
  // In a mount namespace of its own with a private /dev/shm (PostgreSQL's
  // shared memory goes with the daemon), as postgres.
  const auto& patroni = runner_.spawned[3].argv;
  ASSERT_GE(patroni.size(), 14u);
  EXPECT_EQ(std::vector<std::string>(patroni.begin() + 2, patroni.begin() + 6),
            (std::vector<std::string>{"/usr/bin/unshare", "--mount", "--propagation", "private"}));
  EXPECT_NE(patroni[8].find("mount -t tmpfs"), std::string::npos) << patroni[8];
  EXPECT_NE(patroni[8].find(" /dev/shm && exec \"$@\""), std::string::npos) << patroni[8];
  EXPECT_EQ(patroni[10], "/usr/bin/setpriv");
  EXPECT_EQ(patroni[11], "--reuid=postgres");
  EXPECT_TRUE(RunsIn(runner_.spawned[6], "/usr/sbin/haproxy", "pgc-abc123-lb"));
  // Configs and the plan are on disk; the secrets file is private.
  EXPECT_TRUE(fs::exists(workdir_ + "/runs/abc123/node1/patroni.yml"));
  EXPECT_TRUE(fs::exists(workdir_ + "/runs/abc123/lb/haproxy.cfg"));
  EXPECT_EQ(fs::status(workdir_ + "/runs/abc123/secrets.json").permissions() & fs::perms::others_read, fs::perms::none);
  EXPECT_EQ(*ReadCurrentRun(workdir_), "abc123");
  auto manifest = Manifest::Open(ManifestPath(workdir_, "abc123"));
  for (const auto& r : (*manifest)->Snapshot()) EXPECT_EQ(r.state, ResourceState::kCreated) << r.name;
}

TEST_F(ProviderTest, EveryResourceIsInTheManifestBeforeItIsCreated) {
  AnswerHealthy();
  int checked = 0;
  runner_.on_run = [&](const std::string& line) {
    std::string created;
    if (line.rfind("ip netns add ", 0) == 0)
      created = line.substr(13);
    else if (line.rfind("ip link add ", 0) == 0)
      created = line.substr(12, line.find(' ', 12) - 12);
    if (created.empty()) return;
    auto m = Manifest::Open(ManifestPath(workdir_, "abc123"));
    ASSERT_TRUE(m.ok());
    bool found = false;
    for (const auto& r : (*m)->Snapshot()) found |= r.name == created;
    EXPECT_TRUE(found) << created << " created before it was recorded";
    ++checked;
  };
  ASSERT_TRUE(Up().ok());
  EXPECT_EQ(checked, 9);  // 1 bridge + 4 namespaces + 4 veths
}

TEST_F(ProviderTest, ADeadlineLeavesNothingBehindAndQuotesTheLogs) {
  // etcd answers, Patroni never does: the cluster never gets healthy.
  for (const char* a : {"10.77.0.10", "10.77.0.11", "10.77.0.12"}) http_.AnswerEtcd(a);
  auto cluster = Up();
  ASSERT_FALSE(cluster.ok());
  EXPECT_EQ(cluster.status().code(), StatusCode::kTimeout);
  EXPECT_NE(cluster.status().message().find("not healthy after 10s"), std::string::npos) << cluster.status().message();
  EXPECT_EQ(table_.Count(), 0u) << "every spawned daemon was killed";
  EXPECT_FALSE(fs::exists(workdir_ + "/runs/abc123"));
  EXPECT_FALSE(fs::exists(ManifestPath(workdir_, "abc123")));
  EXPECT_FALSE(ReadCurrentRun(workdir_));
  EXPECT_NE(std::find(runner_.commands.begin(), runner_.commands.end(), "ip netns del pgc-abc123-node3"),
            runner_.commands.end());
  EXPECT_NE(std::find(runner_.commands.begin(), runner_.commands.end(), "ip link del pgcabc123br"),
            runner_.commands.end());
  EXPECT_LE(clock_.slept(), std::chrono::seconds(11));
}

TEST_F(ProviderTest, AFailedCommandMidwayTearsDownWhatWasMade) {
  CommandResult fail;
  fail.exit_code = 2;
  fail.err = "RTNETLINK answers: File exists";
  runner_.scripted.push_back({"ip netns add pgc-abc123-node3", fail});
  auto cluster = Up();
  ASSERT_FALSE(cluster.ok());
  EXPECT_NE(cluster.status().message().find("RTNETLINK answers: File exists"), std::string::npos);
  EXPECT_TRUE(runner_.spawned.empty());
  EXPECT_NE(std::find(runner_.commands.begin(), runner_.commands.end(), "ip netns del pgc-abc123-node1"),
            runner_.commands.end());
  EXPECT_FALSE(fs::exists(ManifestPath(workdir_, "abc123")));
}

TEST_F(ProviderTest, ADaemonThatDiesFailsFastWithItsLog) {
  // Patroni on node2 exits right after start: its pid vanishes when health is first polled.
  bool killed = false;
  struct KillingHttp : FakeHttpClient {
    FakeProcessTable* table;
    bool* killed;
    Result<HttpResponse> Request(const std::string& m, const HttpTarget& h, const std::string& path,
                                 const std::string& b, Duration t) override {
      if (!*killed && path == "/cluster") {
        table->Remove(4004);  // the second patroni spawned
        *killed = true;
      }
      return FakeHttpClient::Request(m, h, path, b, t);
    }
  } http;
  http.table = &table_;
  http.killed = &killed;
  for (const char* a : {"10.77.0.10", "10.77.0.11", "10.77.0.12"}) http.AnswerEtcd(a);
  auto cluster = Up(http);
  ASSERT_FALSE(cluster.ok());
  EXPECT_NE(cluster.status().message().find("patroni@node2 exited during start-up"), std::string::npos)
      << cluster.status().message();
  EXPECT_LT(clock_.slept(), std::chrono::seconds(1));
  EXPECT_EQ(table_.Count(), 0u);
}

TEST_F(ProviderTest, ADaemonNotYetInItsNamespaceIsAliveNotDead) {
  // Right after Spawn the daemon is nsenter, still in the root namespace:
  // bring-up must judge it by pid and start time, not by namespace.
  AnswerHealthy();
  runner_.spawn_before_setns = true;
  auto cluster = Up();
  ASSERT_TRUE(cluster.ok()) << cluster.status().message();
  EXPECT_EQ(runner_.spawned.size(), 7u);
}

TEST_F(ProviderTest, CtrlCTearsDown) {
  runner_.on_run = [&](const std::string& line) {
    if (line == "ip netns add pgc-abc123-node2") RequestCancel(2);
  };
  auto cluster = Up();
  ASSERT_FALSE(cluster.ok());
  EXPECT_EQ(cluster.status().code(), StatusCode::kCancelled);
  EXPECT_NE(std::find(runner_.commands.begin(), runner_.commands.end(), "ip netns del pgc-abc123-node2"),
            runner_.commands.end());
  EXPECT_FALSE(fs::exists(workdir_ + "/runs/abc123"));
}

TEST_F(ProviderTest, RefusesASecondClusterAndDownRemovesTheFirst) {
  AnswerHealthy();
  ASSERT_TRUE(Up().ok());
  options_.run_id = "def456";
  auto second = Up();
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("already up"), std::string::npos);
  auto report = Down("abc123");
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(table_.Count(), 0u);
  EXPECT_FALSE(fs::exists(workdir_ + "/runs/abc123"));
  EXPECT_FALSE(ReadCurrentRun(workdir_));
}

}  // namespace
}  // namespace pgha

namespace pgha {
namespace {

TEST_F(ProviderTest, PatroniStartsOnlyOnceEtcdIsHealthy) {
  AnswerHealthy();
  size_t spawned_when_etcd_first_asked = 0;
  struct CountingHttp : FakeHttpClient {
    FakeProcessRunner* runner;
    size_t* seen;
    Result<HttpResponse> Request(const std::string& m, const HttpTarget& h, const std::string& path,
                                 const std::string& b, Duration t) override {
      if (path == "/v3/maintenance/status" && *seen == 0) *seen = runner->spawned.size();
      return FakeHttpClient::Request(m, h, path, b, t);
    }
  } http;
  http.runner = &runner_;
  http.seen = &spawned_when_etcd_first_asked;
  http.responses = http_.responses;
  ASSERT_TRUE(Up(http).ok());
  EXPECT_EQ(spawned_when_etcd_first_asked, 3u) << "only the three etcd members run while etcd is checked";
}

TEST_F(ProviderTest, EtcdThatNeverGetsHealthyTimesOutWithItsLogs) {
  // Two members agree, the third follows another leader: no start.
  http_.AnswerEtcd("10.77.0.10", "7");
  http_.AnswerEtcd("10.77.0.11", "7");
  http_.AnswerEtcd("10.77.0.12", "9");
  auto cluster = Up();
  ASSERT_FALSE(cluster.ok());
  EXPECT_NE(cluster.status().message().find("etcd had no leader after 10s"), std::string::npos)
      << cluster.status().message();
  EXPECT_EQ(runner_.spawned.size(), 3u);
  EXPECT_EQ(table_.Count(), 0u);
}

}  // namespace
}  // namespace pgha

namespace pgha {
namespace {

TEST_F(ProviderTest, ADataVolumeIsRecordedBeforeItIsMountedAndHoldsTheDataDirectory) {
  topology_.data_volume = 512ull * 1024 * 1024;
  AnswerHealthy();
  int mounts = 0;
  runner_.on_run = [&](const std::string& line) {
    if (line.rfind("mount -t tmpfs", 0) != 0) return;
    ++mounts;
    auto m = Manifest::Open(ManifestPath(workdir_, "abc123"));
    bool recorded = false;
    for (const auto& r : (*m)->Snapshot()) recorded |= r.kind == "mount" && line.find(r.name) != std::string::npos;
    EXPECT_TRUE(recorded) << line;
    EXPECT_NE(line.find("size=536870912"), std::string::npos) << line;
  };
  auto cluster = Up();
  ASSERT_TRUE(cluster.ok()) << cluster.status().message();
  EXPECT_EQ(mounts, 3) << "one per Patroni node, none for the load balancer";
  auto yml = ReadTextFile(workdir_ + "/runs/abc123/node1/patroni.yml");
  EXPECT_NE(yml->find("data_dir: " + workdir_ + "/runs/abc123/node1/volume/pgdata"), std::string::npos);
  auto report = Down("abc123");
  ASSERT_TRUE(report.ok());
  EXPECT_NE(std::find(runner_.commands.begin(), runner_.commands.end(),
                      "umount -l " + workdir_ + "/runs/abc123/node1/volume"),
            runner_.commands.end());
}

}  // namespace
}  // namespace pgha

namespace pgha {
namespace {

// The netns provider's traffic blocks: iptables inside the host's namespace,
// each recorded in the manifest before the command runs.
TEST_F(ProviderTest, BlocksAreIptablesRulesInTheHostsNamespaceRecordedFirst) {
  auto plan = *MakePlan(topology_, "abc123", workdir_, "netns");
  NetnsProvider provider(Deps(), NetnsOptions{false, ""});
  provider.Place(&plan);
  fs::create_directories(workdir_);
  auto m = std::move(*Manifest::Create(workdir_ + "/m.json", "abc123", "netns"));
  int checked = 0;
  runner_.on_run = [&](const std::string& line) {
    if (line.find("iptables -w 5 -I") == std::string::npos) return;
    bool planned = false;
    for (const auto& r : (*Manifest::Open(workdir_ + "/m.json"))->Snapshot())
      planned |= r.kind == "iptables" && r.state == ResourceState::kPlanned;
    EXPECT_TRUE(planned) << line;
    ++checked;
  };
  using D = TrafficBlock::Direction;
  auto in = provider.Network().Block(plan.hosts[0], {D::kIn, "", 0, 1.0}, "node1:f", *m);
  auto peer = provider.Network().Block(plan.hosts[0], {D::kOut, "10.77.0.12", 0, 1.0}, "node1:f", *m);
  auto etcd = provider.Network().Block(plan.hosts[0], {D::kOut, "", 2379, 1.0}, "node1:f", *m);
  auto loss = provider.Network().Block(plan.hosts[0], {D::kIn, "", 0, 0.3}, "node1:f", *m);
  ASSERT_TRUE(in.ok() && peer.ok() && etcd.ok() && loss.ok());
  EXPECT_EQ(checked, 4);
  const std::string ns = "/usr/bin/nsenter --net=/run/netns/pgc-abc123-node1 ";
  EXPECT_EQ(runner_.commands[0], ns + "iptables -w 5 -I INPUT -i eth0 -j DROP");
  EXPECT_EQ(runner_.commands[1], ns + "iptables -w 5 -I OUTPUT -d 10.77.0.12 -j DROP");
  EXPECT_EQ(runner_.commands[2], ns + "iptables -w 5 -I OUTPUT -p tcp --dport 2379 -j DROP");
  EXPECT_EQ(runner_.commands[3],
            ns + "iptables -w 5 -I INPUT -i eth0 -m statistic --mode random --probability 0.3000 -j DROP");
  ASSERT_TRUE(provider.Network().Unblock(*in, *m).ok());
  EXPECT_EQ(m->Snapshot()[*in].state, ResourceState::kRemoved);
}

TEST_F(ProviderTest, DelayIsUnavailableWithTheKernelsWordsWhereNetemIsMissing) {
  auto plan = *MakePlan(topology_, "abc123", workdir_, "netns");
  NetnsProvider provider(Deps(), NetnsOptions{false, ""});
  provider.Place(&plan);
  CommandResult no_netem;
  no_netem.exit_code = 2;
  no_netem.err = "Error: Specified qdisc kind is unknown.\n";
  runner_.scripted.push_back({"/usr/bin/nsenter --net=/run/netns/pgc-abc123-node2 tc qdisc add", no_netem});
  const TrafficShape netem{"netem", {"delay", "1ms"}};
  const std::string why = provider.Network().WhyNoShape(plan.hosts[1], netem);
  EXPECT_NE(why.find("Specified qdisc kind is unknown"), std::string::npos) << why;
  EXPECT_NE(why.find("sch_netem"), std::string::npos);
  EXPECT_EQ(provider.Network().WhyNoShape(plan.hosts[0], netem), "") << "node1's probe succeeded and was removed";
}

TEST_F(ProviderTest, ProcessesSignalsAndFreezeStayInsideTheHostsNamespace) {
  auto plan = *MakePlan(topology_, "abc123", workdir_, "netns");
  NetnsProvider provider(Deps(), NetnsOptions{false, ""});
  provider.Place(&plan);
  table_.Add(10, 1, "pgc-abc123-node1");
  table_.Add(11, 2, "pgc-abc123-node1", 10);
  table_.Add(20, 3, "pgc-abc123-node2");
  table_.Add(30, 4);  // not ours at all
  auto procs = provider.Shell().Processes(plan.hosts[0]);
  ASSERT_EQ(procs.size(), 2u);
  EXPECT_EQ(procs[1].ppid, 10);
  EXPECT_FALSE(provider.Shell().Signal(plan.hosts[0], 20, SIGKILL)) << "node2's process is not node1's";
  EXPECT_FALSE(provider.Shell().Signal(plan.hosts[0], 30, SIGKILL));
  EXPECT_TRUE(table_.Alive(20));
  EXPECT_TRUE(table_.Alive(30));
  auto spared = provider.Shell().Freeze(plan.hosts[0], {11});
  ASSERT_TRUE(spared.ok());
  EXPECT_EQ(*spared, (std::vector<int>{10})) << "a spared pid (the watchdog) is not stopped";
  ASSERT_TRUE(provider.Shell().Thaw(plan.hosts[0], *spared).ok());
  table_.signals.clear();
  auto frozen = provider.Shell().Freeze(plan.hosts[0], {});
  ASSERT_TRUE(frozen.ok());
  EXPECT_EQ(*frozen, (std::vector<int>{10, 11}));
  ASSERT_TRUE(provider.Shell().Thaw(plan.hosts[0], *frozen).ok());
  EXPECT_EQ(table_.signals,
            (std::vector<std::pair<int, int>>{{10, SIGSTOP}, {11, SIGSTOP}, {10, SIGCONT}, {11, SIGCONT}}));
}

}  // namespace
}  // namespace pgha
