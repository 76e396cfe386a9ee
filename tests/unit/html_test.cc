#include <gtest/gtest.h>

#include "fakes/sample_results.h"
#include "report/html.h"

namespace pgha {
namespace {
using nlohmann::json;
using testing::Page;

std::string Render() {
  static const ScenarioResult page = Page();
  return RenderHtml({{&page, "split-brain"}});
}

TEST(Html, SelfContainedAndEveryOutsideStringEscaped) {
  const std::string html = Render();
  EXPECT_EQ(html.find("<script"), std::string::npos) << "no scripts, and the description's script is escaped";
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"), std::string::npos);
  EXPECT_NE(html.find("split&lt;brain&gt;"), std::string::npos);
  EXPECT_NE(html.find("SIGSTOP &lt;pid 42&gt;"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos) << "nothing fetched";
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
}

TEST(Html, VerdictsPhasesLostKeysAndSplitBrainAreThere) {
  const std::string html = Render();
  EXPECT_NE(html.find("1 scenarios · 0 of 1 targets met"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"fail\">fail</td>"), std::string::npos);
  EXPECT_NE(html.find("new leader elected</td><td class=\"num\">2.500 s"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"keys\">7, 9</span>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\">10.00 s</td><td>node1, node2</td>"), std::string::npos);
  EXPECT_NE(html.find("href=\"split-brain/logs/node1/patroni.log\""), std::string::npos);
  EXPECT_NE(html.find(">freeze</text>"), std::string::npos) << "the fault window is labelled";
  EXPECT_NE(html.find("title=\"time with two or more nodes writable, from every acknowledgement: direct write probes "
                      "and client writes by the server that ran them\">split_brain 0s"),
            std::string::npos)
      << "each target says what its metric means, from the metric table";
  EXPECT_EQ(html, Render()) << "deterministic";
}

TEST(Html, EtcdsElectionsStandBesideThePhases) {
  ScenarioResult page = Page();
  page.measurements.etcd_elections = {{1.43, "node2"}, {3.96, "<node3>"}};
  page.measurements.etcd_slow_disk = 2;
  const std::string html = RenderHtml({{&page, "split-brain"}});
  EXPECT_NE(html.find("<td>etcd elected node2 (restarting the leader key's lease)</td><td class=\"num\">1.430 s</td>"),
            std::string::npos);
  EXPECT_NE(html.find("etcd elected &lt;node3&gt;"), std::string::npos);
  EXPECT_NE(html.find("etcd warned of a slow disk 2 time(s)"), std::string::npos);
  EXPECT_EQ(Render().find("etcd elected"), std::string::npos) << "no election, no row";
}

// A suite's first screen: one row per scenario, failures and skipped ones
// first, each against its targets; the per-target table after it.
TEST(Html, TheFirstTableIsOneRowPerScenarioWithFailuresFirst) {
  ScenarioResult passing = Page(), skipped = Page(), failing = Page();
  passing.scenario.name = "passing";
  for (auto& v : passing.verdicts) v.status = VerdictStatus::kPass;
  skipped.scenario.name = "skipped";
  skipped.facts.not_applicable = "no VIP";
  failing.scenario.name = "failing";
  const std::string html = RenderHtml({{&passing, "p"}, {&skipped, "s"}, {&failing, "f"}});
  const size_t overview = html.find("<table class=\"overview\">");
  const size_t f = html.find(">failing</a>", overview), s = html.find(">skipped</a>", overview),
               p = html.find(">passing</a>", overview);
  ASSERT_NE(p, std::string::npos) << html.substr(0, 3000);
  EXPECT_LT(f, s);
  EXPECT_LT(s, p);
  EXPECT_LT(p, html.find("Every target")) << "the per-target table follows";
  EXPECT_NE(html.find("<a href=\"#s2\">failing</a>"), std::string::npos) << "linked to its own section";
  EXPECT_NE(html.find("<td class=\"num\">10.00s (0s ✗)</td>", overview), std::string::npos)
      << "split brain against its target";
}

}  // namespace
}  // namespace pgha
