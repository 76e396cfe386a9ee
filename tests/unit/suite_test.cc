#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "scenario/suite.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;

const std::string kSuiteFixtures = PGHA_SOURCE_DIR "/fixtures";
const std::string kSuiteScenarios = PGHA_SOURCE_DIR "/scenarios";

// A scratch folder with a scenario and suites/ beside it, as shipped.
class SuiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pgha-suite-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "suites");
    Write("kill.yaml", "name: kill\ndescription: a kill\nsteps:\n  - hold: 1s\nexpect:\n  lost_writes: 0\n");
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& rel, const std::string& text) {
    fs::create_directories((dir_ / rel).parent_path());
    std::ofstream(dir_ / rel) << text;
    return (dir_ / rel).string();
  }
  fs::path dir_;
};

TEST_F(SuiteTest, LoadsScenariosRelativeToTheSuiteAndAppliesTheOverride) {
  const std::string file =
      Write("suites/s.yaml",
            "name: s\ndescription: d\nscenarios: [../kill.yaml, ../kill.yaml]\n"
            "override:\n  patroni:\n    synchronous_mode: true\n  workload:\n    writers: 8\n    rate: 1500/s\n");
  auto s = LoadSuite(file, kSuiteFixtures);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->name, "s");
  ASSERT_EQ(s->scenarios.size(), 2u);
  for (const auto& sc : s->scenarios) {
    EXPECT_TRUE(sc.topology.patroni.synchronous_mode);
    EXPECT_EQ(sc.workload.writers, 8);
    EXPECT_DOUBLE_EQ(sc.workload.rate, 1500);
    EXPECT_EQ(sc.topology.patroni.ttl, std::chrono::seconds(5));  // untouched: the topology's
    EXPECT_EQ(sc.file, (dir_ / "kill.yaml").string());            // resolved against the suite's folder
  }
  EXPECT_EQ(s->overridden, (std::vector<std::string>{"patroni.synchronous_mode", "workload.writers", "workload.rate"}));
  EXPECT_TRUE(LooksLikeSuite(file));
  EXPECT_FALSE(LooksLikeSuite((dir_ / "kill.yaml").string()));
}

TEST_F(SuiteTest, ErrorsNameTheSuiteFileLineAndFix) {
  auto missing = LoadSuite(Write("suites/m.yaml", "name: m\nscenarios:\n  - ../nope.yaml\n"), kSuiteFixtures);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("m.yaml:3:5: scenario file \"../nope.yaml\" does not exist"),
            std::string::npos)
      << missing.status().message();
  auto typo =
      LoadSuite(Write("suites/t.yaml", "name: t\nscenarios: [../kill.yaml]\noverride:\n  patroni:\n    tll: 5s\n"),
                kSuiteFixtures);
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.status().message().find("t.yaml:5:5: unknown key \"tll\""), std::string::npos)
      << typo.status().message();
  EXPECT_NE(typo.status().message().find("did you mean \"ttl\""), std::string::npos);
  auto empty = LoadSuite(Write("suites/e.yaml", "name: e\nscenarios: []\n"), kSuiteFixtures);
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("non-empty list"), std::string::npos);
  Write("bad.yaml", "name: bad\nsteps:\n  - hold: 1 sec\n");
  auto broken = LoadSuite(Write("suites/b.yaml", "name: b\nscenarios: [../bad.yaml]\n"), kSuiteFixtures);
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("bad.yaml:3:11"), std::string::npos) << broken.status().message();
}

TEST_F(SuiteTest, TheCatalogListsScenariosThenSuitesAndFlagsBrokenFiles) {
  Write("suites/good.yaml", "name: good\ndescription: both\nscenarios: [../kill.yaml]\n");
  Write("zz-broken.yaml", "name: broken\nsteps: 3\n");
  Write("more/kill-again.yaml", "name: kill-again\nsteps:\n  - hold: 1s\n");  // a sub-folder's scenario
  Write("a/b/c/too-deep.yaml", "name: deep\n");
  auto entries = ListCatalog(dir_.string(), kSuiteFixtures);
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].name, "kill");
  EXPECT_EQ(entries[0].description, "a kill");
  EXPECT_NE(entries[1].file.find("more/kill-again.yaml"), std::string::npos);
  EXPECT_FALSE(entries[2].error.empty());
  EXPECT_TRUE(entries[3].is_suite);
  EXPECT_EQ(entries[3].scenario_count, 1);
}

TEST(ShippedSuites, EveryShippedSuiteLoadsAndTheGateHoldsTheCoreFaults) {
  for (const char* f : {"ci-gate.yaml", "ci-gate-containers.yaml", "full.yaml", "async-heavy.yaml",
                        "durability-matrix.yaml", "list-append.yaml"}) {
    auto s = LoadSuite(kSuiteScenarios + "/suites/" + f, kSuiteFixtures);
    ASSERT_TRUE(s.ok()) << f << ": " << s.status().message();
    EXPECT_TRUE(s->warnings.empty()) << f;
  }
  auto gate = LoadSuite(kSuiteScenarios + "/suites/ci-gate.yaml", kSuiteFixtures);
  std::vector<std::string> names;
  for (const auto& sc : gate->scenarios) names.push_back(sc.name);
  for (const char* core : {"primary-kill", "switchover", "sync-primary-kill", "etcd-quorum-loss", "partition-minority"})
    EXPECT_NE(std::find(names.begin(), names.end(), core), names.end()) << core;
  // The containers' gate is a part of the gate.
  auto containers = LoadSuite(kSuiteScenarios + "/suites/ci-gate-containers.yaml", kSuiteFixtures);
  ASSERT_TRUE(containers.ok()) << containers.status().message();
  for (const auto& sc : containers->scenarios)
    EXPECT_NE(std::find(names.begin(), names.end(), sc.name), names.end()) << sc.name;
  auto heavy = LoadSuite(kSuiteScenarios + "/suites/async-heavy.yaml", kSuiteFixtures);
  for (const auto& sc : heavy->scenarios) EXPECT_FALSE(sc.topology.patroni.synchronous_mode) << sc.name;
  // Every shipped scenario is in full.yaml.
  auto full = LoadSuite(kSuiteScenarios + "/suites/full.yaml", kSuiteFixtures);
  int shipped = 0;
  for (const auto& e : fs::recursive_directory_iterator(kSuiteScenarios))
    shipped += e.path().extension() == ".yaml" && e.path().parent_path().filename() != "suites";
  EXPECT_EQ(static_cast<int>(full->scenarios.size()), shipped);
}

}  // namespace
}  // namespace pgha
