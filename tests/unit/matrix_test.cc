// A scenario on another topology than its own (run --topology, a suite's
// topologies): what the topology lacks makes it not applicable, never a
// half-run; the runner skips it without starting anything; a run over
// several topologies gets a comparison table in its HTML report.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/files.h"
#include "fakes/fake_provider.h"
#include "fakes/fakes.h"
#include "report/html.h"
#include "report/junit.h"
#include "run/runner.h"
#include "scenario/suite.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;
using namespace testing;

const std::string kMatrixFixtures = PGHA_SOURCE_DIR "/fixtures";
const std::string kScenarios = PGHA_SOURCE_DIR "/scenarios/";

Scenario On(const std::string& scenario, const std::string& topology) {
  ScenarioLoadOptions o;
  o.topology = topology;
  auto s = LoadScenario(kScenarios + scenario, kMatrixFixtures, o);
  EXPECT_TRUE(s.ok()) << s.status().message();
  return s.ok() ? s->scenario : Scenario{};
}

TEST(Matrix, AScenarioTakesTheTopologyItIsGivenAndSaysWhatThatTopologyLacks) {
  const Scenario pk = On("primary-kill.yaml", "seed-001-haproxy-vip");
  EXPECT_TRUE(pk.retargeted);
  EXPECT_EQ(pk.topology.name, "seed-001-haproxy-vip");
  EXPECT_TRUE(pk.incompatible.empty());
  const Scenario vip = On("vip-failover.yaml", "compact");
  ASSERT_EQ(vip.incompatible.size(), 2u);
  EXPECT_EQ(vip.incompatible[0], "target vip_holder needs a VIP, and topology compact has none");
  EXPECT_EQ(vip.incompatible[1], "topology compact runs no keepalived");
  const Scenario named = On("etcd-leader-kill.yaml", "seed-002-dedicated-etcd");
  EXPECT_TRUE(named.incompatible.empty()) << "etcd_leader resolves on any topology";
}

TEST(Matrix, OnItsOwnTopologyWhatTheTopologyLacksIsStillAnError) {
  auto s = ParseScenario("name: x\nsteps:\n  - fault: kill\n    target: primary\n    processes: [pgbouncer]\n",
                         "x.yaml", kMatrixFixtures);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("x.yaml:5:16: topology compact runs no pgbouncer"), std::string::npos)
      << s.status().message();
}

TEST(Matrix, ASuiteWithTopologiesRunsEveryScenarioOnEach) {
  auto suite = LoadSuite(kScenarios + "suites/seed-matrix.yaml", kMatrixFixtures);
  ASSERT_TRUE(suite.ok()) << suite.status().message();
  EXPECT_EQ(suite->scenarios.size(), 25u) << "5 scenarios x 5 topologies";
  int not_applicable = 0;
  for (const auto& s : suite->scenarios) not_applicable += !s.incompatible.empty();
  EXPECT_EQ(not_applicable, 3) << "vip-failover needs a VIP: only seeds 001 and 004 have one";
  auto forced = LoadSuite(kScenarios + "suites/seed-matrix.yaml", kMatrixFixtures, "seed-000-colocated");
  ASSERT_TRUE(forced.ok());
  EXPECT_EQ(forced->scenarios.size(), 5u) << "--topology wins over the suite's list";
}

TEST(Matrix, TheRunnerSkipsANotApplicableScenarioWithoutStartingAnything) {
  FakeProvider provider;
  FakeClock clock;
  FakeHttpClient http;
  FakeSqlClient sql;
  RunOptions o;
  o.workdir = (fs::temp_directory_path() / ("pgha-matrix-" + RandomHex(4))).string();
  o.fixtures_dir = kMatrixFixtures;
  o.skip_preflight = true;
  const Scenario vip = On("vip-failover.yaml", "compact");
  const ScenarioResult r = Runner({provider, clock, http, sql, nullptr}).Run(vip, o);
  EXPECT_TRUE(provider.hosts.empty());
  EXPECT_TRUE(provider.started.empty());
  EXPECT_EQ(r.ExitCode(), 0);
  ASSERT_EQ(r.verdicts.size(), vip.expectations.size());
  for (const auto& v : r.verdicts) {
    EXPECT_EQ(v.status, VerdictStatus::kSkipped);
    EXPECT_NE(v.reason.find("not run on topology compact: target vip_holder needs a VIP"), std::string::npos);
  }
  EXPECT_EQ(r.scenario.DisplayName(), "vip-failover on compact");
  const std::string junit = RenderJUnit({r});
  EXPECT_NE(junit.find("<testsuite name=\"vip-failover on compact\""), std::string::npos);
  EXPECT_NE(junit.find("<skipped message=\"not run on topology compact"), std::string::npos) << junit;
  fs::remove_all(o.workdir);
}

TEST(Matrix, TheHtmlReportComparesTopologiesWhenARunHasSeveral) {
  ScenarioResult a, b, c;
  a.scenario = {"primary-kill", "p.yaml", "", "seed-000-colocated"};
  a.topology = "seed-000-colocated";
  a.measurements.failover_time_s = 5.12;
  b.scenario = {"primary-kill", "p.yaml", "", "seed-002-dedicated-etcd"};
  b.topology = "seed-002-dedicated-etcd";
  b.measurements.lost_keys = {7, 9};
  c.scenario = {"vip-failover", "v.yaml", "", "seed-000-colocated"};
  c.topology = "seed-000-colocated";
  c.facts.not_applicable = "not run on topology seed-000-colocated: no VIP";
  const std::string html = RenderHtml({{&a, "a"}, {&b, "b"}, {&c, "c"}});
  const auto table = html.find("<h2>Topologies compared</h2>");
  ASSERT_NE(table, std::string::npos);
  EXPECT_NE(html.find("<th>seed-000-colocated</th><th>seed-002-dedicated-etcd</th>", table), std::string::npos);
  EXPECT_NE(html.find("5.12 s</a><br><span class=\"small\">lost 0", table), std::string::npos);
  EXPECT_NE(html.find("no outage</a><br><span class=\"small\">lost 2", table), std::string::npos);
  EXPECT_NE(html.find("title=\"not run on topology seed-000-colocated: no VIP\">n/a</td>", table), std::string::npos);
  EXPECT_NE(html.find("<td class=\"muted\">-</td>", table), std::string::npos) << "vip-failover never ran on seed 002";
  EXPECT_EQ(RenderHtml({{&a, "a"}}).find("Topologies compared"), std::string::npos) << "one topology, no table";
}

}  // namespace
}  // namespace pgha
