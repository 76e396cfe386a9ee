// The durability faults on the fake provider, each talking to a real
// DurableState over its control socket (no kernel mount): power_loss kills
// every process of its targets but their disk and drops the unsynced data,
// then heal powers them on; torn_write keeps a prefix of the last write;
// fsync_lies, disk_errors and disk_latency switch the disk and heal says
// what it did; what cannot run here is skipped with the reason; and a
// scenario that uses them gets the durable file system under its hosts.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "core/text.h"
#include "durablefs/control_server.h"
#include "fakes/fault_kind_fixture.h"
#include "faults/registry.h"
#include "scenario/scenario.h"

namespace pgha {
namespace {
using namespace testing;

class DurableFaultsTest : public FaultKindFixture {
 protected:
  void SetUp() override {
    FaultKindFixture::SetUp();
    provider_.local_programs = true;
    for (auto& h : plan_.hosts) h.data_fs = h.Runs("patroni") ? "pgha" : "";
    const HostPlan& node1 = plan_.hosts[0];
    std::filesystem::create_directories(node1.dir);
    auto disk = *manifest_->Record(Resource::Of(kProcessResource, DurableFsDaemon(node1), "fake-abc123-node1"));
    manifest_->MarkCreated(disk, 500, 500);
    provider_.AddProcess("node1", 500);
    provider_.AddProcess("node1", 100);
    provider_.AddProcess("node1", 101);
    auto listener = ListenControl(DurableFsControl(node1));
    ASSERT_TRUE(listener.ok()) << listener.status().message();
    listener_ = *listener;
    server_ = std::thread(ServeControl, listener_, std::ref(state_), std::cref(stop_));
    file_ = open((dir_ / "data").c_str(), O_CREAT | O_RDWR, 0600);
  }
  void TearDown() override {
    stop_ = true;
    server_.join();
    close(listener_);
    close(file_);
    FaultKindFixture::TearDown();
  }
  bool Noted(const std::string& part) const {
    for (const auto& n : notes_)
      if (n.find(part) != std::string::npos) return true;
    return false;
  }
  FileKey Key() {
    struct stat st {};
    fstat(file_, &st);
    return st.st_ino;
  }
  void WriteData(const std::string& text, off_t at = 0) {
    ASSERT_EQ(state_.Write(file_, Key(), text.data(), text.size(), at, false), static_cast<ssize_t>(text.size()));
  }
  std::string OnDisk() {
    char buf[64] = {};
    const ssize_t n = pread(file_, buf, sizeof(buf), 0);
    return std::string(buf, n > 0 ? static_cast<size_t>(n) : 0);
  }

  DurableState state_;
  std::atomic<bool> stop_{false};
  int listener_ = -1, file_ = -1;
  std::thread server_;
};

TEST_F(DurableFaultsTest, PowerLossKillsAllButTheDiskDropsUnsyncedDataAndHealPowersOn) {
  WriteData("synced");
  ASSERT_EQ(state_.Fsync(file_, Key()), 0);
  WriteData("lost!!", 6);
  auto inj = Injector();
  std::vector<FaultEffect> effects;
  auto in = inj.Inject(Fault("fault: power_loss\ntarget: node1\n"), &effects);
  ASSERT_TRUE(in.ok()) << in.status().message();
  EXPECT_NE(in->find("power cut on node1 (2 processes stopped within"), std::string::npos) << *in;
  EXPECT_NE(in->find("lost 6 bytes of unsynced data in 1 files"), std::string::npos) << *in;
  EXPECT_TRUE(Noted("note node1 : node1 lost 6 bytes")) << Join(notes_, "\n");
  ASSERT_EQ(provider_.Processes(plan_.hosts[0]).size(), 1u);  // the disk itself
  EXPECT_EQ(provider_.Processes(plan_.hosts[0])[0].pid, 500);
  EXPECT_EQ(OnDisk(), "synced");
  EXPECT_TRUE(inj.Heal("f").ok());
  EXPECT_NE(std::find(restarted_.begin(), restarted_.end(), "etcd@node1"), restarted_.end()) << Join(restarted_);
  EXPECT_NE(std::find(restarted_.begin(), restarted_.end(), "patroni@node1"), restarted_.end()) << Join(restarted_);
  EXPECT_LT(std::find(restarted_.begin(), restarted_.end(), "etcd@node1"),
            std::find(restarted_.begin(), restarted_.end(), "patroni@node1"));  // the DCS first
}

TEST_F(DurableFaultsTest, ATornWriteLeavesAPrefixOfTheLastWriteOnDisk) {
  WriteData(std::string(1024, 'x'));
  auto inj = Injector();
  std::vector<FaultEffect> effects;
  auto in = inj.Inject(Fault("fault: torn_write\ntarget: node1\n"), &effects);
  ASSERT_TRUE(in.ok()) << in.status().message();
  EXPECT_NE(in->find("the last write torn: 512 of its 1024 bytes"), std::string::npos) << *in;
  struct stat st {};
  fstat(file_, &st);
  EXPECT_EQ(st.st_size, 512);
}

TEST_F(DurableFaultsTest, AnFsyncThatLiesPersistsNothingAndHealSaysHowOften) {
  auto inj = Injector();
  std::vector<FaultEffect> effects;
  auto in = inj.Inject(Fault("fault: fsync_lies\ntarget: node1\n"), &effects);
  ASSERT_TRUE(in.ok()) << in.status().message();
  WriteData("never");
  EXPECT_EQ(state_.Fsync(file_, Key()), 0);
  EXPECT_EQ(OnDisk(), "");
  ASSERT_TRUE(inj.Heal("f").ok());
  EXPECT_TRUE(Noted("1 fsyncs answered without persisting; 5 bytes unsynced at heal")) << Join(notes_, "\n");
  EXPECT_EQ(state_.Fsync(file_, Key()), 0);
  EXPECT_EQ(OnDisk(), "never");
}

TEST_F(DurableFaultsTest, AFailedFsyncDropsTheFilesDataAsLinuxDoes) {
  auto inj = Injector();
  std::vector<FaultEffect> effects;
  auto in = inj.Inject(Fault("fault: disk_errors\ntarget: node1\nops: [fsync]\n"), &effects);
  ASSERT_TRUE(in.ok()) << in.status().message();
  WriteData("doomed");
  EXPECT_EQ(state_.Fsync(file_, Key()), -EIO);
  ASSERT_TRUE(inj.Heal("f").ok());
  EXPECT_TRUE(Noted("1 operations failed with EIO; 6 bytes of unsynced data dropped")) << Join(notes_, "\n");
  EXPECT_EQ(state_.Fsync(file_, Key()), 0);
  EXPECT_EQ(OnDisk(), "");
}

TEST_F(DurableFaultsTest, DiskLatencyWithoutFsyncsToTimeSaysItWasNotMeasured) {
  auto inj = Injector();
  std::vector<FaultEffect> effects;
  auto in = inj.Inject(Fault("fault: disk_latency\ntarget: node1\ndelay: 50ms\nops: [fsync]\n"), &effects);
  ASSERT_TRUE(in.ok()) << in.status().message();
  EXPECT_NE(in->find("latency distribution=uniform jitter_ms=0 ms=50 ops=fsync"), std::string::npos) << *in;
  EXPECT_NE(in->find("not measured, 0 fsyncs in 1.5 s"), std::string::npos) << *in;
  EXPECT_TRUE(effects.empty());
  ASSERT_TRUE(inj.Heal("f").ok());
  EXPECT_TRUE(Noted("while delayed: fsync p50")) << Join(notes_, "\n");
}

TEST_F(DurableFaultsTest, WithoutTheLayerTheFaultIsSkippedWithTheReason) {
  const FaultType* t = FindFaultType("power_loss");
  auto env = Env();
  plan_.hosts[0].data_fs.clear();
  EXPECT_NE(t->WhyNot(env, Fault("fault: power_loss\ntarget: node1\n")).find("node1 has no durable file system"),
            std::string::npos);
  provider_.local_programs = false;
  EXPECT_NE(t->WhyNot(env, Fault("fault: power_loss\ntarget: node1\n")).find("(netns)"), std::string::npos);
}

TEST_F(DurableFaultsTest, AScenarioWithADurabilityFaultGetsTheLayerAndTakesATargetList) {
  const std::string yaml =
      "name: s\ndescription: d\ntopology: compact\npatroni:\n  synchronous_mode: true\nsteps:\n"
      "  - fault: power_loss\n    target: [primary, sync_standby]\nexpect:\n  lost_writes: 0\n";
  auto s = ParseScenario(yaml, "s.yaml", PGHA_SOURCE_DIR "/fixtures");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->scenario.topology.data_fs, "pgha");
  EXPECT_EQ(s->scenario.topology.data_volume, 512ull << 20);
  EXPECT_EQ(s->scenario.steps[0].fault.Describe(), "power_loss on primary+sync_standby");
  auto plan = MakePlan(s->scenario.topology, "abc123", dir_.string(), "fake");
  ASSERT_TRUE(plan.ok());
  for (const auto& h : plan->hosts) EXPECT_EQ(h.data_fs, h.Runs("patroni") || h.Runs("etcd") ? "pgha" : "") << h.name;
  std::string wrong = yaml;
  wrong.replace(wrong.find("sync_standby]"), 12, "nosuch");
  auto bad = ParseScenario(wrong, "s.yaml", PGHA_SOURCE_DIR "/fixtures");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("s.yaml:8"), std::string::npos) << bad.status().message();
}

}  // namespace
}  // namespace pgha
