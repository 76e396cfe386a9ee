#include <gtest/gtest.h>

#include <filesystem>

#include "cluster/manifest.h"
#include "core/files.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;

class ManifestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pgha-manifest-" + RandomHex(4));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path() const { return (dir_ / "m.json").string(); }
  fs::path dir_;
};

TEST_F(ManifestTest, EveryRecordIsOnDiskBeforeRecordReturns) {
  auto m = Manifest::Create(Path(), "abc123");
  ASSERT_TRUE(m.ok());
  auto id = (*m)->Record(Resource::Of(ResourceKind::kNetns, "pgc-abc123-node1"));
  ASSERT_TRUE(id.ok());
  auto reread = Manifest::Open(Path());
  ASSERT_TRUE(reread.ok());
  auto r = (*reread)->Snapshot();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].name, "pgc-abc123-node1");
  EXPECT_EQ(r[0].state, ResourceState::kPlanned);
  EXPECT_EQ((*reread)->run_id(), "abc123");
}

TEST_F(ManifestTest, StatesAndProcessIdentityRoundTrip) {
  auto m = Manifest::Create(Path(), "abc123");
  auto p = (*m)->Record(Resource::Of(ResourceKind::kProcess, "etcd@node1", "pgc-abc123-node1"));
  auto d = (*m)->Record(Resource::Of(ResourceKind::kDirectory, "/x/runs/abc123"));
  ASSERT_TRUE((*m)->MarkCreated(*p, 4242, 987654).ok());
  ASSERT_TRUE((*m)->MarkRemoved(*d).ok());
  EXPECT_FALSE((*m)->AllRemoved());
  auto r = (*Manifest::Open(Path()))->Snapshot();
  EXPECT_EQ(r[0].pid, 4242);
  EXPECT_EQ(r[0].start_time, 987654u);
  EXPECT_EQ(r[0].netns, "pgc-abc123-node1");
  EXPECT_EQ(r[0].state, ResourceState::kCreated);
  EXPECT_EQ(r[1].state, ResourceState::kRemoved);
  ASSERT_TRUE((*m)->MarkRemoved(*p).ok());
  EXPECT_TRUE((*m)->AllRemoved());
  ASSERT_TRUE((*m)->Delete().ok());
  EXPECT_FALSE(fs::exists(Path()));
}

TEST_F(ManifestTest, CreateRefusesToOverwriteAndOpenRejectsDamage) {
  ASSERT_TRUE(Manifest::Create(Path(), "a").ok());
  EXPECT_FALSE(Manifest::Create(Path(), "a").ok());
  ASSERT_TRUE(WriteFileAtomic(Path(), "{not json").ok());
  EXPECT_FALSE(Manifest::Open(Path()).ok());
  EXPECT_FALSE((*Manifest::Create((dir_ / "n.json").string(), "b"))->MarkCreated(7).ok());
}

}  // namespace
}  // namespace pgha
