// The evidence of a results folder: which files are hashed, and every kind
// of difference --verify names; the acceptance page carries the hashes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/files.h"
#include "report/acceptance_html.h"
#include "result/evidence.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;

class EvidenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("pgha-evidence-" + RandomHex(4))).string();
    fs::copy(PGHA_SOURCE_DIR "/tests/golden/format1-run", dir_, fs::copy_options::recursive);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

TEST_F(EvidenceTest, TheRunsFilesAreHashedAndTheDerivedReportsAreNot) {
  auto files = HashResults(dir_);
  ASSERT_TRUE(files.ok()) << files.status().message();
  std::vector<std::string> paths;
  for (const auto& f : *files) paths.push_back(f.path);
  EXPECT_NE(std::find(paths.begin(), paths.end(), "run.json"), paths.end());
  EXPECT_NE(std::find(paths.begin(), paths.end(), "primary-kill/history.jsonl"), paths.end());
  EXPECT_EQ(std::find(paths.begin(), paths.end(), "junit.xml"), paths.end()) << "report rewrites it";
  EXPECT_TRUE(std::is_sorted(paths.begin(), paths.end()));
  EXPECT_EQ(files->front().sha256.size(), 64u);
  const std::string listing = EvidenceText(*files);
  EXPECT_TRUE(VerifyEvidence(dir_, listing)->ok());
}

TEST_F(EvidenceTest, AChangedAMissingAndAnAddedFileAreEachNamed) {
  const std::string listing = EvidenceText(*HashResults(dir_));
  std::ofstream(dir_ + "/primary-kill/history.jsonl", std::ios::app) << "x";
  fs::remove(dir_ + "/primary-kill/observer.jsonl");
  std::ofstream(dir_ + "/primary-kill/extra.txt") << "new";
  auto check = VerifyEvidence(dir_, listing);
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check->changed, std::vector<std::string>{"primary-kill/history.jsonl"});
  EXPECT_EQ(check->missing, std::vector<std::string>{"primary-kill/observer.jsonl"});
  EXPECT_EQ(check->added, std::vector<std::string>{"primary-kill/extra.txt"});
  EXPECT_FALSE(check->ok());
  EXPECT_NE(VerifyEvidence(dir_, "abc  run.json\n").status().message().find("evidence.sha256:1: not a"),
            std::string::npos);
}

TEST_F(EvidenceTest, TheAcceptancePageCarriesEveryHashAndSignOffFields) {
  const auto files = *HashResults(dir_);
  ScenarioResult r;
  r.scenario.name = "primary-kill<1>";
  r.run_id = "abc123";
  const std::string html = RenderAcceptance({{&r}, files, dir_, "pgha-chaos 0.1.0"});
  for (const auto& f : files) EXPECT_NE(html.find(f.sha256), std::string::npos) << f.path;
  EXPECT_NE(html.find("primary-kill&lt;1&gt;"), std::string::npos) << "escaped";
  EXPECT_NE(html.find("<h2>Sign-off</h2>"), std::string::npos);
  EXPECT_NE(html.find("abc123"), std::string::npos);
}

}  // namespace
}  // namespace pgha
