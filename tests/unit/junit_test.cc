#include <gtest/gtest.h>

#include <filesystem>

#include "core/files.h"
#include "core/process.h"
#include "fakes/sample_results.h"
#include "report/junit.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;
using testing::Doc;

TEST(JUnit, OneSuitePerScenarioOneCasePerTarget) {
  const std::string xml = RenderJUnit({testing::Typed(Doc())});
  EXPECT_NE(xml.find("<testsuites name=\"pgha-chaos\" tests=\"4\" failures=\"1\" errors=\"1\" time=\"41.937\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(
      xml.find("<testsuite name=\"split-brain\" tests=\"4\" failures=\"1\" errors=\"1\" skipped=\"1\" time=\"41.937\""),
      std::string::npos);
  EXPECT_NE(xml.find("<testcase classname=\"scenarios/split-brain.yaml\" name=\"failover_time &lt; 10s\">"),
            std::string::npos);
  EXPECT_NE(xml.find("<failure type=\"target missed\" message=\"split_brain = 0s expected, measured 10.00s\">"),
            std::string::npos);
  EXPECT_NE(xml.find("<skipped message=\"every fault was skipped: latency &lt;netem&gt; &amp; &quot;tc&quot;\"/>"),
            std::string::npos);
  EXPECT_NE(xml.find("<error type=\"infrastructure\" message=\"the final read-back failed:  boom\"/>"),
            std::string::npos)
      << "control characters are dropped";
  EXPECT_NE(xml.find("<property name=\"seed\" value=\"12\"/>"), std::string::npos);
  EXPECT_NE(xml.find("<property name=\"version.patroni\" value=\"patroni 3.0.2\"/>"), std::string::npos);
  EXPECT_NE(xml.find("<property name=\"patroni.ttl\" value=\"10s\"/>"), std::string::npos);
  EXPECT_EQ(xml, RenderJUnit({testing::Typed(Doc())})) << "deterministic";
}

// The real checks a CI system makes: the schema, and a JUnit reader.
TEST(JUnit, ValidatesAgainstTheSchemaAndJunitparserReadsTheSameCounts) {
  const std::string dir = (fs::temp_directory_path() / ("pgha-junit-" + RandomHex(4))).string();
  fs::create_directories(dir);
  json second = Doc();
  second["scenario"]["name"] = "primary-kill";
  ASSERT_TRUE(WriteFileAtomic(dir + "/junit.xml", RenderJUnit({testing::Typed(Doc()), testing::Typed(second)})).ok());
  BoostProcessRunner runner;
  auto lint = runner.Run(CommandSpec::Of(
      {"/usr/bin/xmllint", "--noout", "--schema", PGHA_SOURCE_DIR "/tests/schemas/junit-10.xsd", dir + "/junit.xml"}));
  ASSERT_TRUE(lint.ok());
  EXPECT_EQ(lint->exit_code, 0) << lint->err;
  auto read = runner.Run(CommandSpec::Of(
      {"/usr/bin/python3", "-c",
       "import sys, junitparser\n"
       "x = junitparser.JUnitXml.fromfile(sys.argv[1])\n"
       "suites = list(x)\n"
       "cases = [c for s in suites for c in s]\n"
       "res = [type(r).__name__ for c in cases for r in c.result]\n"
       "print(len(suites), len(cases), res.count('Failure'), res.count('Error'), res.count('Skipped'))\n",
       dir + "/junit.xml"}));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->exit_code, 0) << read->err;
  EXPECT_EQ(read->out, "2 8 2 2 2\n") << read->err;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace pgha
