#include <gtest/gtest.h>

#include <filesystem>

#include "core/files.h"
#include "fakes/fake_netns.h"
#include "providers/netns_provider.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;
using testing::FakeClock;
using testing::FakeNetnsTable;
using testing::FakeProcessRunner;
using testing::FakeProcessTable;

// The netns provider's teardown, on fake processes and namespaces.

class TeardownTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("pgha-teardown-" + RandomHex(4));
    fs::create_directories(root_ / "runs" / "abc");
    manifest_ = std::move(*Manifest::Create((root_ / "m.json").string(), "abc", "netns"));
  }
  void TearDown() override { fs::remove_all(root_); }
  size_t Add(Resource r, bool created = true, int pid = 0, uint64_t start = 0) {
    size_t id = *manifest_->Record(r);
    if (created) manifest_->MarkCreated(id, pid, start);
    return id;
  }
  TeardownOptions Options() const { return {(root_ / "runs").string(), std::chrono::seconds(5)}; }
  TeardownReport Teardown() {
    NetnsProvider provider({runner_, table_, netns_, clock_});
    return provider.Teardown(*manifest_, Options());
  }

  fs::path root_;
  std::unique_ptr<Manifest> manifest_;
  FakeProcessTable table_;
  FakeProcessRunner runner_{&table_};
  FakeNetnsTable netns_{&table_};
  FakeClock clock_;
};

TEST_F(TeardownTest, KillsProcessesThenRemovesEverythingNewestFirst) {
  Add(Resource::Of(kDirectoryResource, (root_ / "runs" / "abc").string()));
  Add(Resource::Of("bridge", "pgcabcbr"));
  Add(Resource::Of("netns", "pgc-abc-node1"));
  Add(Resource::Of("veth", "pgcabcv0"));
  table_.Add(100, 55, "pgc-abc-node1");
  table_.Add(101, 56, "pgc-abc-node1");  // a postgres child, never recorded
  Add(Resource::Of(kProcessResource, "etcd@node1", "pgc-abc-node1"), true, 100, 55);

  auto report = Teardown();
  EXPECT_TRUE(report.ok()) << report.errors[0];
  EXPECT_FALSE(table_.Alive(100));
  EXPECT_FALSE(table_.Alive(101));
  EXPECT_EQ(report.processes_killed, 2);
  EXPECT_EQ(runner_.commands,
            (std::vector<std::string>{"ip link del pgcabcv0", "ip netns del pgc-abc-node1", "ip link del pgcabcbr"}));
  EXPECT_FALSE(fs::exists(root_ / "runs" / "abc"));
  EXPECT_TRUE(manifest_->AllRemoved());
}

TEST_F(TeardownTest, NeverSignalsARecycledPid) {
  table_.Add(200, 999);  // same pid, another process (different start time), outside our namespaces
  Add(Resource::Of(kProcessResource, "patroni@node1"), true, 200, 77);
  auto report = Teardown();
  EXPECT_TRUE(report.ok());
  EXPECT_TRUE(table_.Alive(200));
  EXPECT_TRUE(table_.signals.empty());
}

TEST_F(TeardownTest, AlreadyGoneCountsAsRemovedAndPlannedEntriesAreTried) {
  CommandResult gone;
  gone.exit_code = 1;
  gone.err = "Cannot find device \"pgcabcbr\"";
  runner_.scripted.push_back({"ip link del pgcabcbr", gone});
  Add(Resource::Of("bridge", "pgcabcbr"), /*created=*/false);
  auto report = Teardown();
  EXPECT_TRUE(report.ok());
  EXPECT_TRUE(manifest_->AllRemoved());
}

TEST_F(TeardownTest, FailuresStayInTheManifestForCleanup) {
  CommandResult busy;
  busy.exit_code = 1;
  busy.err = "Device or resource busy";
  runner_.scripted.push_back({"ip netns del", busy});
  Add(Resource::Of("netns", "pgc-abc-node1"));
  table_.Add(300, 1, "pgc-abc-node1");
  table_.immortal.insert(300);
  auto report = Teardown();
  EXPECT_FALSE(report.ok());
  ASSERT_EQ(report.errors.size(), 2u);
  EXPECT_NE(report.errors[0].find("still run"), std::string::npos);
  EXPECT_FALSE(manifest_->AllRemoved());
  EXPECT_GE(clock_.slept(), std::chrono::seconds(5));  // waited up to the deadline, no longer
  EXPECT_LT(clock_.slept(), std::chrono::seconds(6));
}

TEST_F(TeardownTest, RefusesDirectoriesOutsideTheAllowedRoot) {
  Add(Resource::Of(kDirectoryResource, "/etc"));
  Add(Resource::Of(kDirectoryResource, (root_ / "runs" / ".." / "..").string()));
  auto report = Teardown();
  EXPECT_EQ(report.errors.size(), 2u);
  EXPECT_TRUE(fs::exists("/etc"));
}

}  // namespace
}  // namespace pgha
