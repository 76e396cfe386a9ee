#include <gtest/gtest.h>

#include <filesystem>

#include "cluster/fixtures.h"
#include "core/files.h"
#include "faults/fault_injector.h"
#include "fakes/fakes.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;
using namespace testing;

class FaultInjectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pgha-faults-" + RandomHex(4));
    auto t = LoadTopology(PGHA_SOURCE_DIR "/fixtures/topologies/compact.yaml")->topology;
    plan_ = *MakePlan(t, "abc123", dir_.string());
    manifest_ = std::move(*Manifest::Create((dir_ / "m.json").string(), "abc123"));
    // node1 runs patroni (pid 100) and a postmaster (200) with two children.
    auto p = *manifest_->Record(Resource::Of(ResourceKind::kProcess, "patroni@node1", "pgc-abc123-node1"));
    manifest_->MarkCreated(p, 100, 1);
    table_.Add(100, 1, "pgc-abc123-node1");
    table_.Add(200, 2, "pgc-abc123-node1");
    table_.Add(201, 3, "pgc-abc123-node1", 200);
    table_.Add(202, 4, "pgc-abc123-node1", 200);
    table_.Add(300, 5, "pgc-abc123-node1");  // etcd, not recorded under that name here
    fs::create_directories(PatroniDataDir(plan_.nodes[0]));
    WriteFileAtomic(PatroniDataDir(plan_.nodes[0]) + "/postmaster.pid", "200\n/data\n");
  }
  void TearDown() override { fs::remove_all(dir_); }

  FaultInjector Injector() {
    FaultEnv env{plan_, *manifest_, runner_, table_, http_, clock_, [this](const NodePlan& n, const std::string& d) {
                   restarted_.push_back(d + "@" + n.host);
                   return Status::Ok();
                 }};
    return FaultInjector(env);
  }
  ResolvedFault Fault(FaultKind kind, std::vector<std::string> processes = {}, std::vector<std::string> hosts = {"node1"}) {
    ResolvedFault f;
    f.spec.kind = kind;
    f.spec.id = "f";
    f.spec.processes = std::move(processes);
    f.hosts = std::move(hosts);
    return f;
  }

  fs::path dir_;
  ClusterPlan plan_;
  std::unique_ptr<Manifest> manifest_;
  FakeProcessTable table_;
  FakeProcessRunner runner_{&table_};
  FakeHttpClient http_;
  FakeClock clock_;
  std::vector<std::string> restarted_;
};

TEST_F(FaultInjectorTest, KillHitsRecordedPatroniAndThePostmasterTreeAndHealRestartsPatroni) {
  auto inj = Injector();
  auto done = inj.Inject(Fault(FaultKind::kKill, {"patroni", "postgres"}));
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_FALSE(table_.Alive(100));
  EXPECT_FALSE(table_.Alive(200));
  EXPECT_FALSE(table_.Alive(201));
  EXPECT_FALSE(table_.Alive(202));
  EXPECT_TRUE(table_.Alive(300)) << "etcd was not named";
  EXPECT_NE(done->find("SIGKILL postgres on node1 (pids 200 201 202)"), std::string::npos) << *done;
  ASSERT_TRUE(inj.Heal("f").ok());
  EXPECT_EQ(restarted_, (std::vector<std::string>{"patroni@node1"})) << "Patroni brings PostgreSQL back itself";
  ASSERT_TRUE(inj.Heal("f").ok()) << "heal is idempotent";
  EXPECT_EQ(restarted_.size(), 1u);
}

TEST_F(FaultInjectorTest, AStoppedDaemonThatHasExitedIsRestartedOnHeal) {
  auto inj = Injector();
  ASSERT_TRUE(inj.Inject(Fault(FaultKind::kStop, {"patroni"})).ok());
  EXPECT_TRUE(table_.Alive(100)) << "SIGTERM leaves it shutting down";
  table_.Remove(100);  // it has exited by the time heal runs
  ASSERT_TRUE(inj.Heal("f").ok());
  EXPECT_EQ(restarted_, (std::vector<std::string>{"patroni@node1"}));
  EXPECT_LT(clock_.slept(), std::chrono::milliseconds(100)) << "no waiting for a process that is gone";
}

TEST_F(FaultInjectorTest, HealReportsADaemonThatWillNotExit) {
  auto inj = Injector();
  ASSERT_TRUE(inj.Inject(Fault(FaultKind::kStop, {"patroni"})).ok());
  Status s = inj.Heal("f");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("did not exit within 15 s"), std::string::npos);
  EXPECT_TRUE(restarted_.empty());
  EXPECT_GE(clock_.slept(), std::chrono::seconds(15));
}

TEST_F(FaultInjectorTest, PauseStopsAndHealContinuesTheSamePids) {
  auto inj = Injector();
  ASSERT_TRUE(inj.Inject(Fault(FaultKind::kPause, {"host"})).ok());
  int stopped = 0;
  for (auto [pid, sig] : table_.signals) stopped += sig == SIGSTOP ? 1 : 0;
  EXPECT_EQ(stopped, 5);
  ASSERT_TRUE(inj.HealAll().ok());
  int continued = 0;
  for (auto [pid, sig] : table_.signals) continued += sig == SIGCONT ? 1 : 0;
  EXPECT_EQ(continued, 5);
  EXPECT_TRUE(restarted_.empty());
  EXPECT_TRUE(inj.ActiveIds().empty());
}

TEST_F(FaultInjectorTest, NetworkRulesAreRecordedBeforeTheyAreAddedAndHealDeletesThem) {
  auto inj = Injector();
  int checked = 0;
  runner_.on_run = [&](const std::string& line) {
    if (line.find("iptables -w 5 -I") == std::string::npos) return;
    auto m = Manifest::Open(manifest_->path());
    bool recorded = false;
    for (const auto& r : (*m)->Snapshot()) recorded |= r.kind == ResourceKind::kIptablesRule && r.state == ResourceState::kPlanned;
    EXPECT_TRUE(recorded) << line;
    ++checked;
  };
  ASSERT_TRUE(inj.Inject(Fault(FaultKind::kIsolate)).ok());
  EXPECT_EQ(checked, 2);
  EXPECT_EQ(runner_.commands[0], "[pgc-abc123-node1] iptables -w 5 -I INPUT -i eth0 -j DROP");
  EXPECT_EQ(runner_.commands[1], "[pgc-abc123-node1] iptables -w 5 -I OUTPUT -o eth0 -j DROP");
  ASSERT_TRUE(inj.Heal("f").ok());
  EXPECT_EQ(runner_.commands[2], "[pgc-abc123-node1] iptables -w 5 -D INPUT -i eth0 -j DROP");
  EXPECT_EQ(runner_.commands[3], "[pgc-abc123-node1] iptables -w 5 -D OUTPUT -o eth0 -j DROP");
  for (const auto& r : manifest_->Snapshot()) {
    if (r.kind == ResourceKind::kIptablesRule) {
      EXPECT_EQ(r.state, ResourceState::kRemoved);
    }
  }
}

TEST_F(FaultInjectorTest, PartitionDropsTrafficBetweenGroupsOnly) {
  auto inj = Injector();
  ResolvedFault f = Fault(FaultKind::kPartition, {}, {});
  f.groups = {{"node1", "node2"}, {"node3"}};
  ASSERT_TRUE(inj.Inject(f).ok());
  // node1 and node2 each drop node3 both ways; node3 drops both of them.
  EXPECT_EQ(runner_.commands.size(), 8u);
  EXPECT_EQ(runner_.commands[0], "[pgc-abc123-node1] iptables -w 5 -I INPUT -s 10.77.0.12 -j DROP");
  for (const auto& c : runner_.commands) {
    EXPECT_EQ(c.find("10.77.0.13"), std::string::npos) << "the load balancer is in no group: " << c;
    EXPECT_FALSE(c.find("[pgc-abc123-node1]") != std::string::npos && c.find("10.77.0.11") != std::string::npos) << c;
  }
}

TEST_F(FaultInjectorTest, PacketLossAndEtcdCut) {
  auto inj = Injector();
  ResolvedFault loss = Fault(FaultKind::kPacketLoss);
  loss.spec.loss_percent = 30;
  ASSERT_TRUE(inj.Inject(loss).ok());
  EXPECT_NE(runner_.commands[0].find("-m statistic --mode random --probability 0.3000 -j DROP"), std::string::npos) << runner_.commands[0];
  ResolvedFault cut = Fault(FaultKind::kCutEtcd);
  cut.spec.id = "g";
  ASSERT_TRUE(inj.Inject(cut).ok());
  EXPECT_EQ(runner_.commands.back(), "[pgc-abc123-node1] iptables -w 5 -I OUTPUT -p tcp --dport 2379 -j DROP");
}

TEST_F(FaultInjectorTest, LatencyIsSkippedWhereNetemIsMissingWithTheKernelsWords) {
  CommandResult no_netem;
  no_netem.exit_code = 2;
  no_netem.err = "Error: Specified qdisc kind is unknown.\n";
  runner_.scripted.push_back({"[pgc-abc123-node1] tc qdisc add", no_netem});
  auto inj = Injector();
  ResolvedFault f = Fault(FaultKind::kLatency);
  f.spec.latency = std::chrono::milliseconds(100);
  const std::string why = inj.Check(f);
  EXPECT_NE(why.find("Specified qdisc kind is unknown"), std::string::npos) << why;
  EXPECT_NE(why.find("sch_netem"), std::string::npos);
  EXPECT_NE(inj.Check(Fault(FaultKind::kDiskFull)), "");
  EXPECT_EQ(inj.Check(Fault(FaultKind::kKill, {"patroni"})), "");
}

TEST_F(FaultInjectorTest, DiskLossRemovesTheDataDirectoryAndHealReinitializes) {
  auto inj = Injector();
  http_.Answer("10.77.0.10", 8008, "/reinitialize", 200, "ok", "POST");
  ASSERT_TRUE(inj.Inject(Fault(FaultKind::kDiskLoss)).ok());
  EXPECT_FALSE(fs::exists(PatroniDataDir(plan_.nodes[0])));
  ASSERT_TRUE(inj.Heal("f").ok());
  EXPECT_EQ(http_.requests.back(), "POST 10.77.0.10:8008/reinitialize");
}

}  // namespace
}  // namespace pgha
