// JUnit of trial sets as CI readers take it: a case per run with its own
// name, Surefire's flakyFailure and rerunFailure where runs disagree, no
// two cases of one (classname, name), and still valid against the schema.
#include <gtest/gtest.h>

#include <filesystem>

#include <fmt/format.h>

#include "check/expectation.h"
#include "check/verdict.h"
#include "core/files.h"
#include "core/process.h"
#include "report/junit.h"
#include "result/trial_set.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;

// Three runs of one scenario with failovers of `failovers` seconds; run
// `losing` (or none, -1) lost two writes.
ScenarioResult TrialSetOf(const std::string& name, const std::vector<std::string>& targets,
                          const std::vector<double>& failovers, int losing) {
  std::vector<ScenarioResult> runs(failovers.size());
  std::vector<std::string> folders;
  for (size_t i = 0; i < runs.size(); ++i) {
    ScenarioResult& r = runs[i];
    r.scenario.name = name;
    r.scenario.file = "scenarios/" + name + ".yaml";
    for (size_t t = 0; t + 1 < targets.size(); t += 2)
      r.expectations.push_back(*ParseExpectation(targets[t], targets[t + 1]));
    r.measurements.fault_injected = true;
    r.measurements.final_read_ok = true;
    r.measurements.recovered_writes = true;
    r.measurements.failover_time_s = failovers[i];
    if (static_cast<int>(i) == losing) r.measurements.lost_keys = {7, 8};
    r.seed = 100 + i;
    r.wall_s = 30;
    r.verdicts = Judge(r.expectations, r.measurements, r.facts);
    folders.push_back(name + "/trial-" + std::to_string(i + 1));
  }
  return CombineTrials(runs, folders, static_cast<int>(runs.size()));
}

size_t Occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(JUnitTrials, RunsThatDisagreeAreFlakyWhenTheSetPassesAndRerunFailuresWhenItFails) {
  // Lost writes in one run of three, where the target allows it: the set passes, that run is flaky.
  const ScenarioResult flaky = TrialSetOf("primary-kill", {"lost_writes", "0 in 2 of 3"}, {5, 5.2, 5.1}, 1);
  // Failovers of 5, 7 and 8 s against "< 6s": the set fails, two runs missed it.
  const ScenarioResult failing = TrialSetOf("switchover", {"failover_time", "< 6s"}, {5, 7, 8}, -1);
  const std::string xml = RenderJUnit(std::vector<const ScenarioResult*>{&flaky, &failing});
  EXPECT_EQ(Occurrences(xml, "<flakyFailure "), 2u) << "in the target's case and in the run's own case\n" << xml;
  EXPECT_NE(xml.find("<flakyFailure type=\"target missed\" message=\"trial 2 of 3: measured 2\">"), std::string::npos);
  EXPECT_NE(xml.find("<flakyFailure type=\"target missed\" message=\"lost_writes 0 in 2 of 3 (measured 2)\">"),
            std::string::npos);
  EXPECT_EQ(Occurrences(xml, "<rerunFailure "), 2u) << xml;
  EXPECT_NE(xml.find("<rerunFailure type=\"target missed\" message=\"trial 3 of 3: measured 8.00s\">"),
            std::string::npos)
      << xml;
  for (int k = 1; k <= 3; ++k)
    EXPECT_EQ(Occurrences(xml, fmt::format("name=\"trial {} of 3\"", k)), 2u) << "one per set";
  EXPECT_NE(xml.find("<testsuite name=\"switchover\" tests=\"4\" failures=\"3\""), std::string::npos)
      << "the set's miss and its two runs that missed\n"
      << xml;
  EXPECT_NE(xml.find("<testsuite name=\"primary-kill\" tests=\"4\" failures=\"0\""), std::string::npos) << xml;
}

TEST(JUnitTrials, TheSameScenarioTwiceGetsDistinctNamesAndEveryCaseNameIsUnique) {
  const ScenarioResult a = TrialSetOf("primary-kill", {"lost_writes", "0 in 2 of 3"}, {5, 5.2, 5.1}, 1);
  const ScenarioResult b = TrialSetOf("primary-kill", {"failover_time", "< 6s"}, {5, 7, 8}, -1);
  const std::string xml = RenderJUnit(std::vector<const ScenarioResult*>{&a, &b});
  EXPECT_NE(xml.find("<testsuite name=\"primary-kill #2\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("classname=\"scenarios/primary-kill.yaml #2\" name=\"trial 1 of 3\""), std::string::npos);

  const std::string dir = (fs::temp_directory_path() / ("pgha-junit-trials-" + RandomHex(4))).string();
  fs::create_directories(dir);
  ASSERT_TRUE(WriteFileAtomic(dir + "/junit.xml", xml).ok());
  BoostProcessRunner runner;
  auto lint = runner.Run(CommandSpec::Of(
      {"/usr/bin/xmllint", "--noout", "--schema", PGHA_SOURCE_DIR "/tests/schemas/junit-10.xsd", dir + "/junit.xml"}));
  ASSERT_TRUE(lint.ok());
  EXPECT_EQ(lint->exit_code, 0) << lint->err;
  // junitparser (Debian's python3-junitparser) as a CI reader: every (classname, name) once.
  auto read = runner.Run(CommandSpec::Of({"/usr/bin/python3", "-c",
                                          "import sys, junitparser\n"
                                          "x = junitparser.JUnitXml.fromfile(sys.argv[1])\n"
                                          "keys = [(c.classname, c.name) for s in x for c in s]\n"
                                          "print(len(keys), len(set(keys)))\n",
                                          dir + "/junit.xml"}));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->out, "8 8\n") << read->err;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace pgha
