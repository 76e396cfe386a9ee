#include <gtest/gtest.h>

#include <filesystem>

#include "scenario/scenario.h"

namespace pgha {
namespace {
using namespace std::chrono_literals;

const std::string kScenarioFixtures = PGHA_SOURCE_DIR "/fixtures";

const char* kGood = R"(name: t
topology: compact
patroni:
  ttl: 5s
  retry_timeout: 2s
workload:
  writers: 3
  rate: 100/s
steps:
  - wait: healthy
    timeout: 30s
  - hold: 2s
  - fault: kill
    target: primary
    processes: [patroni, postgres]
    id: k
  - fault: partition
    groups: [[primary, node2], [node3]]
  - fault: packet_loss
    target: node3
    loss: 30%
  - heal: k
  - switchover: any
  - failover: node2
  - heal: all
expect:
  failover_time: "< 10s"
  lost_writes: 0
  split_brain: 0s
  recovery_time: "<= 60s"
)";

std::string ScenarioErrorOf(const std::string& yaml) {
  auto s = ParseScenario(yaml, "s.yaml", kScenarioFixtures);
  EXPECT_FALSE(s.ok());
  return s.ok() ? "" : s.status().message();
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(Scenario, LoadsStepsOverridesAndExpectations) {
  auto s = ParseScenario(kGood, "s.yaml", kScenarioFixtures);
  ASSERT_TRUE(s.ok()) << s.status().message();
  const auto& sc = s->scenario;
  EXPECT_EQ(sc.topology.patroni.ttl, 5s);
  EXPECT_EQ(sc.topology.patroni.loop_wait, 1s) << "not overridden: from the topology";
  EXPECT_EQ(sc.workload.writers, 3);
  EXPECT_DOUBLE_EQ(sc.workload.rate, 100);
  ASSERT_EQ(sc.steps.size(), 9u);
  EXPECT_EQ(sc.steps[0].kind, StepKind::kWait);
  EXPECT_EQ(sc.steps[0].timeout, 30s);
  EXPECT_EQ(sc.steps[2].fault.kind, "kill");
  EXPECT_EQ(sc.steps[2].Describe(), "kill patroni+postgres on primary");
  EXPECT_EQ(sc.steps[3].Describe(), "partition [primary,node2] [node3]");
  ASSERT_EQ(sc.steps[3].fault.params->OtherTargets().size(), 3u);
  EXPECT_EQ(sc.steps[3].fault.params->OtherTargets()[1].host, "node2");
  EXPECT_EQ(sc.steps[4].Describe(), "packet_loss 30% on node3");
  EXPECT_EQ(sc.steps[5].heal, "k");
  EXPECT_EQ(sc.steps[7].target.host, "node2");
  ASSERT_EQ(sc.expectations.size(), 4u);
  EXPECT_EQ(sc.expectations[0].metric, "failover_time");
  EXPECT_EQ(sc.expectations[0].comparison, Comparison::kLess);
  EXPECT_DOUBLE_EQ(sc.expectations[0].threshold, 10);
  EXPECT_TRUE(s->warnings.empty());
}

TEST(Scenario, EveryShippedScenarioValidatesWithADescriptionAndTargets) {
  int count = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(PGHA_SOURCE_DIR "/scenarios")) {
    if (e.path().extension() != ".yaml" || e.path().parent_path().filename() == "suites") continue;
    ++count;
    auto s = LoadScenario(e.path().string(), kScenarioFixtures);
    ASSERT_TRUE(s.ok()) << e.path() << ": " << s.status().message();
    EXPECT_FALSE(s->scenario.description.empty()) << e.path();
    EXPECT_FALSE(s->scenario.expectations.empty()) << e.path();
    EXPECT_TRUE(s->warnings.empty()) << e.path() << ": " << s->warnings[0];
  }
  EXPECT_GE(count, 20);
}

TEST(Scenario, ReplicasIsSeveralHostsAndOnlyWhereSeveralMakeSense) {
  auto ok = ParseScenario(Replace(kGood, "groups: [[primary, node2], [node3]]", "groups: [[primary], [replicas]]"),
                          "s.yaml", kScenarioFixtures);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->scenario.steps[3].fault.params->OtherTargets()[1].kind, TargetKind::kReplicas);
  EXPECT_NE(
      ScenarioErrorOf(Replace(kGood, "failover: node2", "failover: replicas")).find("\"replicas\" is several members"),
      std::string::npos);
}

TEST(Scenario, BadUnitsAndTypesNameLineAndColumn) {
  EXPECT_NE(ScenarioErrorOf(Replace(kGood, "hold: 2s", "hold: 2 sec"))
                .find("s.yaml:12:11: steps[1].hold: bad duration \"2 sec\""),
            std::string::npos)
      << ScenarioErrorOf(Replace(kGood, "hold: 2s", "hold: 2 sec"));
  EXPECT_NE(ScenarioErrorOf(Replace(kGood, "timeout: 30s", "timeout: -1s")).find("s.yaml:11:14:"), std::string::npos);
  EXPECT_NE(ScenarioErrorOf(Replace(kGood, "rate: 100/s", "rate: 5x")).find("s.yaml:8:9: workload.rate"),
            std::string::npos);
  EXPECT_NE(ScenarioErrorOf(Replace(kGood, "loss: 30%", "loss: 130%")).find("at most 100"), std::string::npos);
  EXPECT_NE(ScenarioErrorOf(Replace(kGood, "writers: 3", "writers: three")).find("must be a whole number"),
            std::string::npos);
}

TEST(Scenario, RateMaxMeansUnpacedWritersAndIsShownSo) {
  auto max = ParseScenario(Replace(kGood, "rate: 100/s", "rate: max"), "s.yaml", kScenarioFixtures);
  ASSERT_TRUE(max.ok()) << max.status().message();
  EXPECT_TRUE(max->scenario.workload.unpaced);
  EXPECT_EQ(DescribeWorkload(max->scenario.workload).at("rate_per_s"), "max");
  auto paced = ParseScenario(kGood, "s.yaml", kScenarioFixtures);
  ASSERT_TRUE(paced.ok());
  EXPECT_FALSE(paced->scenario.workload.unpaced);
  EXPECT_NE(ScenarioErrorOf(Replace(kGood, "rate: 100/s", "rate: 6000/s")).find("or max"), std::string::npos);
}

TEST(Scenario, UnknownKeysAndNamesSuggestTheFix) {
  EXPECT_NE(ScenarioErrorOf(Replace(kGood, "    timeout: 30s", "    timout: 30s"))
                .find("unknown key \"timout\" in steps[0]; did you mean \"timeout\"?"),
            std::string::npos);
  EXPECT_NE(ScenarioErrorOf(Replace(kGood, "fault: kill", "fault: kil")).find("unknown fault \"kil\""),
            std::string::npos);
  EXPECT_NE(ScenarioErrorOf(Replace(kGood, "target: node3", "target: node9")).find("unknown target \"node9\""),
            std::string::npos);
  EXPECT_NE(ScenarioErrorOf(Replace(kGood, "lost_writes: 0", "lost_write: 0")).find("did you mean \"lost_writes\"?"),
            std::string::npos);
  EXPECT_NE(ScenarioErrorOf(Replace(kGood, "wait: healthy", "wait: happy")).find("wait for one of"), std::string::npos);
  EXPECT_NE(ScenarioErrorOf(Replace(kGood, "heal: k", "heal: nope")).find("no earlier fault step has as its id"),
            std::string::npos);
}

TEST(Scenario, MetricsWithTheWrongKindOfUnit) {
  EXPECT_NE(ScenarioErrorOf(Replace(kGood, "lost_writes: 0", "lost_writes: 0s")).find("lost_writes is a count"),
            std::string::npos);
  EXPECT_NE(ScenarioErrorOf(Replace(kGood, "failover_time: \"< 10s\"", "failover_time: 10"))
                .find("failover_time is a duration"),
            std::string::npos);
}

TEST(Scenario, FaultFieldsMustFitTheFault) {
  EXPECT_NE(ScenarioErrorOf(Replace(kGood, "    loss: 30%", "    loss: 30%\n    processes: [etcd]"))
                .find("unknown key \"processes\" in steps[4]"),
            std::string::npos);
  EXPECT_NE(
      ScenarioErrorOf(Replace(kGood, "    processes: [patroni, postgres]\n", "")).find("needs the key \"processes\""),
      std::string::npos);
  EXPECT_NE(
      ScenarioErrorOf(Replace(kGood, "  - hold: 2s", "  - hold: 2s\n    fault: kill")).find("a step has one action"),
      std::string::npos);
}

TEST(Scenario, WarnsOnPatroniTimingRule) {
  auto s = ParseScenario(Replace(kGood, "retry_timeout: 2s", "retry_timeout: 3s"), "s.yaml", kScenarioFixtures);
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->warnings.size(), 1u);
  EXPECT_NE(s->warnings[0].find("1s + 2*3s > 5s"), std::string::npos) << s->warnings[0];
}

TEST(Scenario, ExpectationComparisons) {
  auto e = ParseExpectation("failover_time", "<= 6s");
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->Holds(6.0));
  EXPECT_FALSE(e->Holds(6.001));
  auto zero = ParseExpectation("lost_writes", "0");
  ASSERT_TRUE(zero.ok());
  EXPECT_TRUE(zero->Holds(0));
  EXPECT_FALSE(zero->Holds(1));
  auto sb = ParseExpectation("split_brain", "0s");
  ASSERT_TRUE(sb.ok());
  EXPECT_FALSE(sb->Holds(0.1));
}

}  // namespace
}  // namespace pgha

namespace pgha {
namespace {

TEST(Scenario, DiskFullNeedsADataVolumeOfASetSize) {
  const std::string yaml = "name: t\nsteps:\n  - fault: disk_full\n    target: primary\n";
  auto s = ParseScenario(yaml, "s.yaml", kScenarioFixtures);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("add data_volume: 512MiB"), std::string::npos) << s.status().message();
  auto with = ParseScenario("data_volume: 512MiB\n" + yaml, "s.yaml", kScenarioFixtures);
  ASSERT_TRUE(with.ok()) << with.status().message();
  EXPECT_EQ(with->scenario.topology.data_volume, 512u * 1024 * 1024);
  auto small = ParseScenario("data_volume: 10MB\n" + yaml, "s.yaml", kScenarioFixtures);
  ASSERT_FALSE(small.ok());
  EXPECT_NE(small.status().message().find("at least 256MiB"), std::string::npos) << small.status().message();
}

}  // namespace
}  // namespace pgha
