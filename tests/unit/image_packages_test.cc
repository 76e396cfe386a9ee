// The user's .deb folder as a container image key (providers/image_packages.h):
// the key agrees with the one tools/build-image.sh computes with sha256sum,
// and a folder that cannot be baked is refused with the fix.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/process.h"
#include "providers/image_packages.h"

namespace pgha {
namespace {

namespace fs = std::filesystem;

class PackageFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pgha-debs-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& bytes) { std::ofstream(dir_ / name) << bytes; }
  fs::path dir_;
};

TEST_F(PackageFolder, TheKeyIsTheOneTheBuildScriptComputes) {
  Write("patroni_3.0.2-1_all.deb", "not really a package, but bytes to hash");
  Write("etcd-server_3.4.23_amd64.deb", std::string(100000, 'x'));
  Write("README", "not a package: left out");
  auto set = ReadPackageSet(dir_.string());
  ASSERT_TRUE(set.ok()) << set.status().message();
  ASSERT_EQ(set->debs.size(), 2u);
  EXPECT_EQ(set->debs[0].name, "etcd-server_3.4.23_amd64.deb") << "byte order of the names";
  // The script's pipeline, run here as it runs there.
  BoostProcessRunner runner;
  auto out = runner.Run(CommandSpec::Of(
      {"/bin/sh", "-c",
       "cd '" + dir_.string() +
           "' && for f in etcd-server_3.4.23_amd64.deb patroni_3.0.2-1_all.deb; do sha256sum -- \"$f\"; done | "
           "sha256sum | cut -c1-16"}));
  ASSERT_TRUE(out.ok() && out->Succeeded());
  EXPECT_EQ(set->key + "\n", out->out);
  EXPECT_EQ(PackageImageDir("/images", *set), "/images/debian12-pkg-" + set->key);
  Write("patroni_3.0.2-1_all.deb", "another build");
  EXPECT_NE(ReadPackageSet(dir_.string())->key, set->key) << "another file, another image";
}

TEST_F(PackageFolder, AFolderThatCannotBeBakedIsRefusedWithTheFix) {
  auto empty = ReadPackageSet(dir_.string());
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("no .deb file"), std::string::npos);
  auto missing = ReadPackageSet((dir_ / "nope").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("no such folder"), std::string::npos);
  Write("my patroni.deb", "x");
  auto spaced = ReadPackageSet(dir_.string());
  ASSERT_FALSE(spaced.ok());
  EXPECT_NE(spaced.status().message().find("rename it"), std::string::npos);
}

TEST(BakedPackages, TheImagesListBecomesVersionsWithHashes) {
  const auto v = BakedPackageVersions(
      "patroni 4.0.1-1 abcd patroni_4.0.1-1_all.deb\netcd-server 3.5.0 ef01 etcd-server_3.5.0_amd64.deb\n");
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v.at("package.patroni"), "4.0.1-1 sha256 abcd (patroni_4.0.1-1_all.deb)");
  EXPECT_TRUE(BakedPackageVersions("").empty());
}

}  // namespace
}  // namespace pgha
