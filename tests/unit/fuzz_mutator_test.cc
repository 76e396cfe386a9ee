// The fuzz targets' grammar: their dictionaries hold every key the shipped
// files use (so a new key is fuzzed from the day it ships), and the line
// mutations (tests/fuzz/line_mutator.h) reach values, keys and structure,
// deterministically and within the size libFuzzer allows.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "fuzz/line_mutator.h"

namespace pgha::fuzz {
namespace {
namespace fs = std::filesystem;

std::string ReadText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> Dictionary(const std::string& target) {
  return ReadDictionary(ReadText(fs::path(PGHA_SOURCE_DIR) / "tests/fuzz/dict" / (target + ".dict")));
}

// Every `key:` at the start of a line (after indentation, a list dash or a brace) of the files in `dir`.
std::set<std::string> ShippedKeys(const fs::path& dir) {
  static const std::regex kKey(R"(^\s*-?\s*\{?([a-z_0-9]+):)");
  std::set<std::string> keys;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.path().extension() != ".yaml" ||
        (dir.filename() != "suites" && e.path().parent_path().filename() == "suites"))
      continue;
    std::istringstream lines(ReadText(e.path()));
    for (std::string line; std::getline(lines, line);)
      if (std::smatch m; std::regex_search(line, m, kKey)) keys.insert(m[1]);
  }
  return keys;
}

TEST(FuzzDictionary, ReadsQuotedWordsWithEscapesAndSkipsTheRest) {
  const auto words =
      ReadDictionary("# a comment\n\"steps\"\nkw1=\"a\\\"b\"\n\"\\x41\\\\\"\nnot quoted\n\"\"\n\"bad\\q\"\n");
  EXPECT_EQ(words, (std::vector<std::string>{"steps", "a\"b", "A\\"}));
}

TEST(FuzzDictionary, HoldsEveryKeyOfTheShippedFilesOfItsKind) {
  const fs::path src(PGHA_SOURCE_DIR);
  const std::vector<std::pair<std::string, fs::path>> kinds = {{"scenario", src / "scenarios"},
                                                               {"suite", src / "scenarios/suites"},
                                                               {"topology", src / "fixtures/topologies"},
                                                               {"validate", src / "fixtures/topologies"}};
  for (const auto& [target, dir] : kinds) {
    const auto words = Dictionary(target);
    const std::set<std::string> known(words.begin(), words.end());
    const auto keys = ShippedKeys(dir);
    EXPECT_GE(keys.size(), 5u) << dir;
    for (const auto& key : keys) EXPECT_TRUE(known.count(key)) << key << " is missing from " << target << ".dict";
  }
  for (const std::string target : {"results", "lint"}) EXPECT_GE(Dictionary(target).size(), 30u) << target;
  EXPECT_GE(Dictionary("history").size(), 20u);
}

TEST(FuzzMutator, SameSeedSameOutputAndManySeedsManyOutputs) {
  const std::string input = "name: x\nsteps:\n  - fault: {kill: primary}\n  - hold: 5s\n";
  const std::vector<std::string> words = {"writers", "rate", "heal"};
  EXPECT_EQ(MutateLines(input, 7, words, 4096), MutateLines(input, 7, words, 4096));
  std::set<std::string> outputs;
  for (uint32_t seed = 0; seed < 200; ++seed) outputs.insert(MutateLines(input, seed, words, 4096));
  EXPECT_GT(outputs.size(), 50u);
  EXPECT_FALSE(outputs.count(input)) << "every mutation changes something";
}

TEST(FuzzMutator, ReachesValuesKeysAndStructure) {
  const std::string input = "name: x\nworkload:\n  writers: 4\n";
  const std::vector<std::string> words = {"rate"};
  bool boundary_value = false, dictionary_key = false, line_dropped = false, reindented = false;
  for (uint32_t seed = 0; seed < 500; ++seed) {
    const std::string out = MutateLines(input, seed, words, 4096);
    for (const auto& v : BoundaryValues()) boundary_value |= out.find(": " + v + "\n") != std::string::npos;
    dictionary_key |= out.find("rate:") != std::string::npos;
    line_dropped |= std::count(out.begin(), out.end(), '\n') == 2;
    reindented |= out.find("    writers") != std::string::npos || out.find("\nwriters") != std::string::npos;
  }
  EXPECT_TRUE(boundary_value);
  EXPECT_TRUE(dictionary_key);
  EXPECT_TRUE(line_dropped);
  EXPECT_TRUE(reindented);
}

TEST(FuzzMutator, NeverExceedsTheSizeLibFuzzerAllowsAndHandlesEmptyInput) {
  std::string long_line(200, 'a');
  long_line.append(": b\n");
  for (uint32_t seed = 0; seed < 100; ++seed) {
    EXPECT_LE(MutateLines(long_line, seed, {"k"}, 64).size(), 64u);
    EXPECT_FALSE(MutateLines("", seed, {}, 4096).empty());
  }
}

}  // namespace
}  // namespace pgha::fuzz
