// Golden files of the JUnit and HTML output for a fixed result, with times
// and versions masked before the comparison. After an intended change of the
// output, regenerate them: PGHA_UPDATE_GOLDEN=1 build/tests/unit_tests
// --gtest_filter='Golden*', and review the diff of tests/golden/.
#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>

#include "core/files.h"
#include "fakes/sample_results.h"
#include "report/html.h"
#include "report/junit.h"

namespace pgha {
namespace {

std::string Mask(std::string text) {
  text = std::regex_replace(text, std::regex(R"(time="[0-9.]+")"), "time=\"T\"");
  text = std::regex_replace(text, std::regex(R"(timestamp="[^"]*")"), "timestamp=\"T\"");
  text = std::regex_replace(text, std::regex(R"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z)"), "DATE");
  text = std::regex_replace(text, std::regex(R"(value="(patroni|etcd Version:|postgres|HAProxy version) [^"]*")"),
                            "value=\"VERSION\"");
  text = std::regex_replace(text, std::regex(R"(<td>(patroni|etcd Version:|postgres|HAProxy version) [^<]*</td>)"),
                            "<td>VERSION</td>");
  return text;
}

void CompareWithGolden(const std::string& name, const std::string& output) {
  const std::string path = std::string(PGHA_SOURCE_DIR "/tests/golden/") + name;
  const std::string masked = Mask(output);
  if (std::getenv("PGHA_UPDATE_GOLDEN")) {
    ASSERT_TRUE(WriteFileAtomic(path, masked).ok());
    return;
  }
  auto golden = ReadTextFile(path);
  ASSERT_TRUE(golden.ok()) << path << " is missing: run with PGHA_UPDATE_GOLDEN=1 to create it";
  EXPECT_EQ(masked, *golden) << "the output differs from " << path
                             << "; if the change is intended, regenerate with PGHA_UPDATE_GOLDEN=1 and review the diff";
}

TEST(Golden, JUnit) {
  nlohmann::json second = testing::Doc();
  second["scenario"]["name"] = "primary-kill";
  second["wall_s"] = 33.5;
  CompareWithGolden("junit.xml", RenderJUnit({testing::Typed(testing::Doc()), testing::Typed(second)}));
}

TEST(Golden, Html) {
  const ScenarioResult page = testing::Page();
  CompareWithGolden("report.html", RenderHtml({{&page, "split-brain"}}));
}

TEST(Golden, MaskingHidesOnlyTimesAndVersions) {
  EXPECT_EQ(Mask(R"(<testsuite name="x" time="41.937" timestamp="2026-11-24T11:00:00Z">)"),
            R"(<testsuite name="x" time="T" timestamp="T">)");
  EXPECT_EQ(Mask(R"(<property name="version.patroni" value="patroni 3.0.2"/>)"),
            R"(<property name="version.patroni" value="VERSION"/>)");
  EXPECT_EQ(Mask("failures=\"1\""), "failures=\"1\"");
}

}  // namespace
}  // namespace pgha
