// Sharding a run and merging the shares: the choice of each share, its
// balance by recorded durations, and a merge of saved shares that reports
// the same JUnit bytes as the whole run's folder; bad merges refused first.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "core/files.h"
#include "result/shard.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

TEST(Shard, TheFormIsIOfN) {
  EXPECT_EQ(ParseShard("2/3")->index, 2);
  EXPECT_EQ(ParseShard("2/3")->count, 3);
  for (const char* bad : {"0/2", "3/2", "1/0", "2", "a/b", "1/2/3", "-1/2", "1/1001"})
    EXPECT_NE(ParseShard(bad).status().message().find("give it as I/N"), std::string::npos) << bad;
}

TEST(Shard, EveryScenarioIsInExactlyOneShareWithOrWithoutDurations) {
  const std::vector<std::string> folders = {"a", "b", "c", "d", "e", "f", "g"};
  const std::map<std::string, double> durations = {{"a", 300}, {"b", 20}, {"c", 25},
                                                   {"d", 30},  {"e", 40}, {"f", 35}};  // g: unrecorded, the median
  for (const auto& d : {std::map<std::string, double>{}, durations}) {
    std::vector<int> seen(folders.size(), 0);
    for (int i = 1; i <= 3; ++i)
      for (size_t k : ShardIndices(folders, d, {i, 3})) ++seen[k];
    EXPECT_EQ(seen, std::vector<int>(folders.size(), 1));
  }
  EXPECT_EQ(ShardIndices(folders, {}, {2, 3}), (std::vector<size_t>{1, 4})) << "every third, from the second";
  // Longest first onto the least loaded: a (300) alone; the six short ones shared by the other two.
  EXPECT_EQ(ShardIndices(folders, durations, {1, 3}), (std::vector<size_t>{0}));
  double two = 0, three = 0;
  for (size_t k : ShardIndices(folders, durations, {2, 3}))
    two += durations.count(folders[k]) ? durations.at(folders[k]) : 30;
  for (size_t k : ShardIndices(folders, durations, {3, 3}))
    three += durations.count(folders[k]) ? durations.at(folders[k]) : 30;
  EXPECT_LE(std::abs(two - three), 10) << two << " against " << three;
}

// A whole run of three scenarios (copies of the saved primary-kill run) and
// its two shares as `run --shard` writes them.
struct Shares {
  fs::path root;
  std::string whole, one, two;
};

Shares MakeShares() {
  Shares s;
  s.root = fs::temp_directory_path() / ("pgha-shard-" + RandomHex(4));
  s.whole = (s.root / "whole").string();
  s.one = (s.root / "one").string();
  s.two = (s.root / "two").string();
  const std::vector<std::string> all = {"primary-kill", "primary-kill-2", "primary-kill-3"};
  const std::string saved = PGHA_SOURCE_DIR "/tests/golden/format1-run/primary-kill";
  for (const auto& dir : {s.whole, s.one, s.two}) fs::create_directories(dir);
  for (const auto& f : all) fs::copy(saved, s.whole + "/" + f, fs::copy_options::recursive);
  EXPECT_TRUE(WriteFileAtomic(s.whole + "/run.json", json{{"format", 1}, {"scenarios", all}}.dump()).ok());
  auto share = [&](const std::string& dir, int index, const std::vector<std::string>& mine) {
    for (const auto& f : mine) fs::copy(saved, dir + "/" + f, fs::copy_options::recursive);
    const json run = {{"format", 1}, {"scenarios", mine}, {"shard", {{"index", index}, {"count", 2}, {"all", all}}}};
    EXPECT_TRUE(WriteFileAtomic(dir + "/run.json", run.dump()).ok());
  };
  share(s.one, 1, {"primary-kill", "primary-kill-3"});
  share(s.two, 2, {"primary-kill-2"});
  return s;
}

TEST(Merge, TheSharesMergedReportAsTheWholeRun) {
  const Shares s = MakeShares();
  GlobalOptions g;
  ReportCommandOptions report;
  report.dir = s.whole;
  const int whole = RunReport(g, report);
  MergeCommandOptions m;
  m.dirs = {s.two, s.one};  // in any order
  m.output = (s.root / "merged").string();
  EXPECT_EQ(RunMerge(g, m), whole);
  EXPECT_EQ(*ReadTextFile(m.output + "/junit.xml"), *ReadTextFile(s.whole + "/junit.xml"));
  const json run = json::parse(*ReadTextFile(m.output + "/run.json"));
  EXPECT_EQ(run["scenarios"], json({"primary-kill", "primary-kill-2", "primary-kill-3"})) << "the list's order";
  fs::remove_all(s.root);
}

TEST(Merge, AMissingShareASecondCopyOrAFullFolderIsRefusedBeforeAnythingIsWritten) {
  const Shares s = MakeShares();
  GlobalOptions g;
  MergeCommandOptions m;
  m.output = (s.root / "merged").string();
  m.dirs = {s.one};
  EXPECT_EQ(RunMerge(g, m), 2);
  m.dirs = {s.one, s.one};
  EXPECT_EQ(RunMerge(g, m), 2);
  m.dirs = {s.one, s.whole};
  EXPECT_EQ(RunMerge(g, m), 2) << "a share and a whole run";
  EXPECT_FALSE(fs::exists(m.output)) << "nothing written";
  m.dirs = {s.one, s.two};
  m.output = s.whole;
  EXPECT_EQ(RunMerge(g, m), 2) << "into a folder that holds something";
  auto missing = MergeOrder({*ReadShareRecord(s.one)});
  EXPECT_EQ(missing.status().message(), "share 2/2 is missing: give the results folders of all 2 shares");
  fs::remove_all(s.root);
}

}  // namespace
}  // namespace pgha
