#include <gtest/gtest.h>

#include <filesystem>

#include "cluster/teardown.h"
#include "core/files.h"
#include "fakes/fakes.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;
using testing::FakeClock;
using testing::FakeProcessRunner;
using testing::FakeProcessTable;

class TeardownTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("pgha-teardown-" + RandomHex(4));
    fs::create_directories(root_ / "runs" / "abc");
    manifest_ = std::move(*Manifest::Create((root_ / "m.json").string(), "abc"));
  }
  void TearDown() override { fs::remove_all(root_); }
  size_t Add(Resource r, bool created = true, int pid = 0, uint64_t start = 0) {
    size_t id = *manifest_->Record(r);
    if (created) manifest_->MarkCreated(id, pid, start);
    return id;
  }
  TeardownOptions Options() const { return {(root_ / "runs").string(), std::chrono::seconds(5)}; }

  fs::path root_;
  std::unique_ptr<Manifest> manifest_;
  FakeProcessTable table_;
  FakeProcessRunner runner_{&table_};
  FakeClock clock_;
};

TEST_F(TeardownTest, KillsProcessesThenRemovesEverythingNewestFirst) {
  Add(Resource::Of(ResourceKind::kDirectory, (root_ / "runs" / "abc").string()));
  Add(Resource::Of(ResourceKind::kBridge, "pgcabcbr"));
  Add(Resource::Of(ResourceKind::kNetns, "pgc-abc-node1"));
  Add(Resource::Of(ResourceKind::kVeth, "pgcabcv0"));
  table_.Add(100, 55, "pgc-abc-node1");
  table_.Add(101, 56, "pgc-abc-node1");  // a postgres child, never recorded
  Add(Resource::Of(ResourceKind::kProcess, "etcd@node1", "pgc-abc-node1"), true, 100, 55);

  auto report = Teardown(*manifest_, runner_, table_, clock_, Options());
  EXPECT_TRUE(report.ok()) << report.errors[0];
  EXPECT_FALSE(table_.Alive(100));
  EXPECT_FALSE(table_.Alive(101));
  EXPECT_EQ(report.processes_killed, 2);
  EXPECT_EQ(runner_.commands, (std::vector<std::string>{"ip link del pgcabcv0", "ip netns del pgc-abc-node1", "ip link del pgcabcbr"}));
  EXPECT_FALSE(fs::exists(root_ / "runs" / "abc"));
  EXPECT_TRUE(manifest_->AllRemoved());
}

TEST_F(TeardownTest, NeverSignalsARecycledPid) {
  table_.Add(200, 999);  // same pid, another process (different start time), outside our namespaces
  Add(Resource::Of(ResourceKind::kProcess, "patroni@node1"), true, 200, 77);
  auto report = Teardown(*manifest_, runner_, table_, clock_, Options());
  EXPECT_TRUE(report.ok());
  EXPECT_TRUE(table_.Alive(200));
  EXPECT_TRUE(table_.signals.empty());
}

TEST_F(TeardownTest, AlreadyGoneCountsAsRemovedAndPlannedEntriesAreTried) {
  CommandResult gone;
  gone.exit_code = 1;
  gone.err = "Cannot find device \"pgcabcbr\"";
  runner_.scripted.push_back({"ip link del pgcabcbr", gone});
  Add(Resource::Of(ResourceKind::kBridge, "pgcabcbr"), /*created=*/false);
  auto report = Teardown(*manifest_, runner_, table_, clock_, Options());
  EXPECT_TRUE(report.ok());
  EXPECT_TRUE(manifest_->AllRemoved());
}

TEST_F(TeardownTest, FailuresStayInTheManifestForCleanup) {
  CommandResult busy;
  busy.exit_code = 1;
  busy.err = "Device or resource busy";
  runner_.scripted.push_back({"ip netns del", busy});
  Add(Resource::Of(ResourceKind::kNetns, "pgc-abc-node1"));
  table_.Add(300, 1, "pgc-abc-node1");
  table_.immortal.insert(300);
  auto report = Teardown(*manifest_, runner_, table_, clock_, Options());
  EXPECT_FALSE(report.ok());
  ASSERT_EQ(report.errors.size(), 2u);
  EXPECT_NE(report.errors[0].find("still run"), std::string::npos);
  EXPECT_FALSE(manifest_->AllRemoved());
  EXPECT_GE(clock_.slept(), std::chrono::seconds(5));  // waited up to the deadline, no longer
  EXPECT_LT(clock_.slept(), std::chrono::seconds(6));
}

TEST_F(TeardownTest, RefusesDirectoriesOutsideTheAllowedRoot) {
  Add(Resource::Of(ResourceKind::kDirectory, "/etc"));
  Add(Resource::Of(ResourceKind::kDirectory, (root_ / "runs" / ".." / "..").string()));
  auto report = Teardown(*manifest_, runner_, table_, clock_, Options());
  EXPECT_EQ(report.errors.size(), 2u);
  EXPECT_TRUE(fs::exists("/etc"));
}

}  // namespace
}  // namespace pgha
