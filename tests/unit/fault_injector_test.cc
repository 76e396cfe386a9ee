#include <gtest/gtest.h>

#include <filesystem>

#include "core/files.h"
#include "fakes/fake_provider.h"
#include "fakes/fakes.h"
#include "fakes/fault_env.h"
#include "fakes/fault_kind_fixture.h"
#include "fakes/fault_spec.h"
#include "faults/fault_injector.h"
#include "scenario/topology_loader.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;
using namespace testing;
using Direction = TrafficBlock::Direction;

// The fault injector against a provider whose hosts live in memory.
class FaultInjectorTest : public FaultKindFixture {
 protected:
  void SetUp() override {
    FaultKindFixture::SetUp();
    topology_.data_volume = 512ull << 20;
    plan_ = *MakePlan(topology_, "abc123", dir_.string(), "fake");
    for (auto& h : plan_.hosts) h.data_volume = 0;
    provider_.Place(&plan_);
    // node1 runs patroni (pid 100) and a postmaster (200) with two children.
    auto p = *manifest_->Record(Resource::Of(kProcessResource, "patroni@node1", "fake-abc123-node1"));
    manifest_->MarkCreated(p, 100, 100);
    provider_.AddProcess("node1", 100);
    provider_.AddProcess("node1", 200);
    provider_.AddProcess("node1", 201, 200);
    provider_.AddProcess("node1", 202, 200);
    provider_.AddProcess("node1", 300);  // etcd, not recorded under that name here
    provider_.files[{"node1", PostgresDataDir(plan_.hosts[0]) + "/postmaster.pid"}] = "200\n/data\n";
  }

  bool Alive(int pid) {
    for (const auto& p : provider_.Processes(plan_.hosts[0]))
      if (p.pid == pid) return true;
    return false;
  }
};

TEST_F(FaultInjectorTest, KillHitsRecordedPatroniAndThePostmasterTreeAndHealRestartsPatroni) {
  auto inj = Injector();
  auto done = inj.Inject(Fault("fault: kill\nprocesses: [patroni, postgres]"));
  ASSERT_TRUE(done.ok()) << done.status().message();
  for (int pid : {100, 200, 201, 202}) EXPECT_FALSE(Alive(pid)) << pid;
  EXPECT_TRUE(Alive(300)) << "etcd was not named";
  EXPECT_NE(done->find("SIGKILL postgres on node1 (pids 200 201 202)"), std::string::npos) << *done;
  ASSERT_TRUE(inj.Heal("f").ok());
  EXPECT_EQ(restarted_, (std::vector<std::string>{"patroni@node1"})) << "Patroni brings PostgreSQL back itself";
  ASSERT_TRUE(inj.Heal("f").ok()) << "heal is idempotent";
  EXPECT_EQ(restarted_.size(), 1u);
}

TEST_F(FaultInjectorTest, AStoppedDaemonThatHasExitedIsRestartedOnHeal) {
  auto inj = Injector();
  ASSERT_TRUE(inj.Inject(Fault("fault: stop\nprocesses: [patroni]")).ok());
  EXPECT_FALSE(Alive(100)) << "it exits on SIGTERM";
  ASSERT_TRUE(inj.Heal("f").ok());
  EXPECT_EQ(restarted_, (std::vector<std::string>{"patroni@node1"}));
  EXPECT_LT(clock_.slept(), std::chrono::milliseconds(100)) << "no waiting for a process that is gone";
}

TEST_F(FaultInjectorTest, HealReportsADaemonThatWillNotExit) {
  provider_.stubborn.insert(100);
  auto inj = Injector();
  ASSERT_TRUE(inj.Inject(Fault("fault: stop\nprocesses: [patroni]")).ok());
  Status s = inj.Heal("f");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("did not exit within 15 s"), std::string::npos);
  EXPECT_TRUE(restarted_.empty());
  EXPECT_GE(clock_.slept(), std::chrono::seconds(15));
}

TEST_F(FaultInjectorTest, PausingAHostFreezesItAndHealThawsTheSameProcesses) {
  auto inj = Injector();
  auto done = inj.Inject(Fault("fault: pause\nprocesses: [host]"));
  ASSERT_TRUE(done.ok());
  EXPECT_NE(done->find("froze host node1 (pids 100 200 201 202 300)"), std::string::npos) << *done;
  for (const auto& p : provider_.Processes(plan_.hosts[0])) EXPECT_EQ(p.state, 'T');
  ASSERT_TRUE(inj.HealAll().ok());
  for (const auto& p : provider_.Processes(plan_.hosts[0])) EXPECT_EQ(p.state, 'S');
  EXPECT_TRUE(restarted_.empty());
  EXPECT_TRUE(inj.ActiveIds().empty());
}

TEST_F(FaultInjectorTest, PausingProcessesStopsAndContinuesThem) {
  auto inj = Injector();
  ASSERT_TRUE(inj.Inject(Fault("fault: pause\nprocesses: [patroni]")).ok());
  EXPECT_EQ(provider_.signals, (std::vector<std::pair<int, int>>{{100, SIGSTOP}}));
  ASSERT_TRUE(inj.HealAll().ok());
  EXPECT_EQ(provider_.signals.back(), (std::pair<int, int>{100, SIGCONT}));
}

TEST_F(FaultInjectorTest, IsolationIsRecordedInTheManifestAndHealRemovesIt) {
  auto inj = Injector();
  ASSERT_TRUE(inj.Inject(Fault("fault: isolate")).ok());
  ASSERT_EQ(provider_.rules.size(), 2u);
  EXPECT_EQ(provider_.rules[0].block.direction, Direction::kIn);
  EXPECT_EQ(provider_.rules[1].block.direction, Direction::kOut);
  EXPECT_EQ(provider_.rules[0].block.peer, "");
  int recorded = 0;
  for (const auto& r : manifest_->Snapshot()) recorded += r.kind == "rule" && r.name == "node1:f";
  EXPECT_EQ(recorded, 2);
  ASSERT_TRUE(inj.Heal("f").ok());
  EXPECT_TRUE(provider_.rules.empty());
  for (const auto& r : manifest_->Snapshot()) {
    if (r.kind == "rule") {
      EXPECT_EQ(r.state, ResourceState::kRemoved);
    }
  }
}

TEST_F(FaultInjectorTest, PartitionDropsTrafficBetweenGroupsOnly) {
  auto inj = Injector();
  ResolvedFault f = Fault("fault: partition\ngroups: [[node1, node2], [node3]]");
  f.hosts.clear();
  f.groups = {{"node1", "node2"}, {"node3"}};
  auto done = inj.Inject(f);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->rfind("partitioned [node1,node2] [node3]; ", 0), 0u) << *done;
  // node1 and node2 each drop node3 both ways; node3 drops both of them.
  ASSERT_EQ(provider_.rules.size(), 8u);
  EXPECT_EQ(provider_.rules[0].host, "node1");
  EXPECT_EQ(provider_.rules[0].block.peer, "10.77.0.12");
  for (const auto& r : provider_.rules) {
    EXPECT_NE(r.block.peer, "10.77.0.13") << "the load balancer is in no group";
    EXPECT_FALSE(r.host == "node1" && r.block.peer == "10.77.0.11") << "node1 and node2 are on the same side";
  }
}

TEST_F(FaultInjectorTest, PacketLossAndEtcdCut) {
  auto inj = Injector();
  ResolvedFault loss = Fault("fault: packet_loss\nloss: 30%");
  ASSERT_TRUE(inj.Inject(loss).ok());
  ASSERT_EQ(provider_.rules.size(), 2u);
  EXPECT_DOUBLE_EQ(provider_.rules[0].block.probability, 0.3);
  EXPECT_DOUBLE_EQ(provider_.rules[1].block.probability, 0.3);
  ResolvedFault cut = Fault("fault: cut_etcd", "g");
  ASSERT_TRUE(inj.Inject(cut).ok());
  EXPECT_EQ(provider_.rules.back().block.direction, Direction::kOut);
  EXPECT_EQ(provider_.rules.back().block.tcp_port, 2379) << "the etcd client port from the plan";
}

TEST_F(FaultInjectorTest, LatencyIsSkippedWhereTheHostCannotDelayWithTheProvidersWords) {
  provider_.no_delay =
      "tc netem is not available on this machine (Error: Specified qdisc kind is unknown.): the kernel lacks sch_netem";
  auto inj = Injector();
  ResolvedFault f = Fault("fault: latency\ndelay: 100ms");
  const std::string why = inj.Check(f);
  EXPECT_NE(why.find("Specified qdisc kind is unknown"), std::string::npos) << why;
  EXPECT_NE(inj.Check(Fault("fault: disk_full")), "") << "no data volume";
  EXPECT_EQ(inj.Check(Fault("fault: kill\nprocesses: [patroni]")), "");
  provider_.no_delay = "";
  ASSERT_TRUE(inj.Inject(f).ok());
  EXPECT_EQ(provider_.delayed, (std::set<std::string>{"node1"}));
  ASSERT_TRUE(inj.HealAll().ok());
  EXPECT_TRUE(provider_.delayed.empty());
}

TEST_F(FaultInjectorTest, DiskLossRemovesTheDataDirectoryAndHealReinitializes) {
  auto inj = Injector();
  http_.Answer("10.77.0.10", 8008, "/reinitialize", 200, "ok", "POST");
  auto done = inj.Inject(Fault("fault: disk_loss"));
  ASSERT_TRUE(done.ok());
  EXPECT_NE(done->find("removed 1 files of node1's data directory"), std::string::npos) << *done;
  EXPECT_FALSE(provider_.ReadFile(plan_.hosts[0], PostgresDataDir(plan_.hosts[0]) + "/postmaster.pid").ok());
  ASSERT_TRUE(inj.Heal("f").ok());
  EXPECT_EQ(http_.requests.back(), "POST 10.77.0.10:8008/reinitialize");
}

TEST_F(FaultInjectorTest, DiskFullFillsTheVolumeAndHealRemovesTheBallast) {
  plan_.hosts[0].data_volume = 512ull << 20;
  auto inj = Injector();
  auto done = inj.Inject(Fault("fault: disk_full"));
  ASSERT_TRUE(done.ok());
  EXPECT_NE(done->find("filled node1's data volume with 512 MiB"), std::string::npos) << *done;
  const std::string ballast = DataVolumeDir(plan_.hosts[0]) + "/pgha-ballast";
  EXPECT_TRUE(provider_.ReadFile(plan_.hosts[0], ballast).ok());
  ASSERT_TRUE(inj.Heal("f").ok());
  EXPECT_FALSE(provider_.ReadFile(plan_.hosts[0], ballast).ok());
}

}  // namespace
}  // namespace pgha
