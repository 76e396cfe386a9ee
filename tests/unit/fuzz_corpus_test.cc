// Every input the fuzzers start from (tests/fuzz/corpus/) and every finding
// they ever made (tests/fuzz/regressions/), replayed through the same
// checks as the fuzz targets (tests/fuzz/fuzz_inputs.h): each must load or
// be refused with a message naming a file, without a crash (this binary
// also runs under ASan+UBSan and TSan: tools/sanitize.sh).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fuzz/fuzz_inputs.h"

namespace pgha::fuzz {
namespace {
namespace fs = std::filesystem;

std::string ReadBytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Replays every file below tests/fuzz/<folder>/<kind>/; how many it replayed.
int Replay(const std::string& folder) {
  int replayed = 0;
  const fs::path root = fs::path(PGHA_SOURCE_DIR) / "tests" / "fuzz" / folder;
  for (const auto& kind_dir : fs::directory_iterator(root)) {
    auto kind = InputKindNamed(kind_dir.path().filename().string());
    if (!kind) {
      ADD_FAILURE() << kind_dir.path() << " is not one of scenario, suite, topology, results, validate, lint, history";
      continue;
    }
    for (const auto& file : fs::directory_iterator(kind_dir.path())) {
      if (!file.is_regular_file()) continue;
      EXPECT_EQ(CheckInput(*kind, ReadBytes(file.path())), "") << file.path();
      ++replayed;
    }
  }
  return replayed;
}

TEST(FuzzCorpus, EverySeedLoadsOrIsRefusedNamingTheFile) { EXPECT_GE(Replay("corpus"), 4); }

TEST(FuzzCorpus, EveryFindingOfTheFuzzersStaysFixed) { EXPECT_GE(Replay("regressions"), 2); }

TEST(FuzzCorpus, AShippedScenarioIsAcceptedAndGarbageIsRefusedNamingTheFile) {
  EXPECT_EQ(CheckInput(InputKind::kScenario, ReadBytes(PGHA_SOURCE_DIR "/scenarios/primary-kill.yaml")), "");
  EXPECT_EQ(CheckInput(InputKind::kScenario, "steps: [{kill: {}}\n"), "");
  EXPECT_EQ(CheckInput(InputKind::kResults, std::string("{\"format\": 1}\0\0", 15)), "");
}

}  // namespace
}  // namespace pgha::fuzz
