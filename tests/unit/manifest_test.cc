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
  auto m = Manifest::Create(Path(), "abc123", "netns");
  ASSERT_TRUE(m.ok());
  auto id = (*m)->Record(Resource::Of("netns", "pgc-abc123-node1"));
  ASSERT_TRUE(id.ok());
  auto reread = Manifest::Open(Path());
  ASSERT_TRUE(reread.ok());
  auto r = (*reread)->Snapshot();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].name, "pgc-abc123-node1");
  EXPECT_EQ(r[0].state, ResourceState::kPlanned);
  EXPECT_EQ((*reread)->run_id(), "abc123");
  EXPECT_EQ((*reread)->provider(), "netns");
}

TEST_F(ManifestTest, StatesAndProcessIdentityRoundTrip) {
  auto m = Manifest::Create(Path(), "abc123", "netns");
  auto p = (*m)->Record(Resource::Of(kProcessResource, "etcd@node1", "pgc-abc123-node1"));
  auto d = (*m)->Record(Resource::Of(kDirectoryResource, "/x/runs/abc123"));
  ASSERT_TRUE((*m)->MarkCreated(*p, 4242, 987654).ok());
  ASSERT_TRUE((*m)->MarkRemoved(*d).ok());
  EXPECT_FALSE((*m)->AllRemoved());
  auto r = (*Manifest::Open(Path()))->Snapshot();
  EXPECT_EQ(r[0].pid, 4242);
  EXPECT_EQ(r[0].start_time, 987654u);
  EXPECT_EQ(r[0].scope, "pgc-abc123-node1");
  EXPECT_EQ(r[0].state, ResourceState::kCreated);
  EXPECT_EQ(r[1].state, ResourceState::kRemoved);
  ASSERT_TRUE((*m)->MarkRemoved(*p).ok());
  EXPECT_TRUE((*m)->AllRemoved());
  ASSERT_TRUE((*m)->Delete().ok());
  EXPECT_FALSE(fs::exists(Path()));
}

TEST_F(ManifestTest, CreateRefusesToOverwriteAndOpenRejectsDamage) {
  ASSERT_TRUE(Manifest::Create(Path(), "a", "netns").ok());
  EXPECT_FALSE(Manifest::Create(Path(), "a", "netns").ok());
  ASSERT_TRUE(WriteFileAtomic(Path(), "{not json").ok());
  EXPECT_FALSE(Manifest::Open(Path()).ok());
  EXPECT_FALSE((*Manifest::Create((dir_ / "n.json").string(), "b", "netns"))->MarkCreated(7).ok());
}

TEST_F(ManifestTest, AManifestFromBeforeProvidersWereNamedIsTheNetnsProvidersAndKeepsItsScopes) {
  const std::string old = R"({"format":1,"run_id":"old","resources":[
    {"kind":"process","name":"etcd@node1","netns":"pgc-old-node1","args":[],
     "pid":7,"start_time":9,"state":"created"}]})";
  ASSERT_TRUE(WriteFileAtomic(Path(), old).ok());
  auto m = Manifest::Open(Path());
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ((*m)->provider(), "netns");
  EXPECT_EQ((*m)->Snapshot()[0].scope, "pgc-old-node1");
  ASSERT_TRUE(WriteFileAtomic(Path(), R"({"run_id":"x","resources":[{"kind":7,"state":"created"}]})").ok());
  EXPECT_FALSE(Manifest::Open(Path()).ok()) << "a field of the wrong type is damage, not a crash";
}

}  // namespace
}  // namespace pgha
