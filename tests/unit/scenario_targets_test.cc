// Steps whose target cannot do what they ask on the topology (issue 18;
// scenario/scenario_targets.h): refused at their line on the scenario's own
// topology, marking the scenario not applicable on another.
#include <gtest/gtest.h>

#include "scenario/scenario.h"

namespace pgha {
namespace {

const std::string kScenarioTargetsFixtures = PGHA_SOURCE_DIR "/fixtures";

// The refusal of a compact scenario with these steps, "" when it loads.
std::string TargetRefusal(const std::string& steps, const std::string& extra = "") {
  auto s = ParseScenario("name: x\n" + extra + "steps:\n" + steps, "targets.yaml", kScenarioTargetsFixtures);
  return s.ok() ? "" : s.status().message();
}

TEST(ScenarioTargets, AKillOfAServiceTheTargetRunsNoneOfIsRefusedAtItsLine) {
  EXPECT_EQ(TargetRefusal("  - fault: kill\n    target: primary\n    processes: [patroni, postgres]\n"), "");
  EXPECT_EQ(TargetRefusal("  - fault: kill\n    target: lb\n    processes: [haproxy]\n"), "");
  const std::string on_lb = TargetRefusal("  - fault: kill\n    target: lb\n    processes: [patroni]\n");
  EXPECT_NE(on_lb.find("targets.yaml:3:1: lb runs no patroni in topology compact"), std::string::npos) << on_lb;
  const std::string haproxy = TargetRefusal("  - fault: stop\n    target: primary\n    processes: [haproxy]\n");
  EXPECT_NE(haproxy.find("primary runs no haproxy in topology compact"), std::string::npos) << haproxy;
}

TEST(ScenarioTargets, DiskLossOfAHostWithoutPostgresqlIsRefused) {
  const std::string why = TargetRefusal("  - fault: disk_loss\n    target: lb\n");
  EXPECT_NE(why.find("disk_loss removes PostgreSQL's data directory, and lb runs no PostgreSQL"), std::string::npos)
      << why;
  EXPECT_EQ(TargetRefusal("  - fault: disk_loss\n    target: replica\n"), "");
}

TEST(ScenarioTargets, PlannedOperationsOnTheLeaderThatPatroniRefusesAreRefused) {
  EXPECT_NE(TargetRefusal("  - switchover: primary\n").find("a switchover to the primary changes nothing"),
            std::string::npos);
  EXPECT_NE(TargetRefusal("  - failover: primary\n").find("a failover to the primary changes nothing"),
            std::string::npos);
  EXPECT_NE(TargetRefusal("  - reinitialize: primary\n").find("Patroni does not reinitialize the leader"),
            std::string::npos);
  EXPECT_EQ(TargetRefusal("  - switchover: replica\n"), "");
  EXPECT_EQ(TargetRefusal("  - reinitialize: replica\n"), "");
}

TEST(ScenarioTargets, SyncStandbyNeedsSynchronousMode) {
  const std::string kill = "  - fault: kill\n    target: sync_standby\n    processes: [postgres]\n";
  EXPECT_NE(TargetRefusal(kill).find("target sync_standby needs patroni.synchronous_mode: true"), std::string::npos);
  EXPECT_EQ(TargetRefusal(kill, "patroni: {synchronous_mode: true}\n"), "");
}

TEST(ScenarioTargets, OnAnotherTopologyTheScenarioIsNotApplicableInstead) {
  ScenarioLoadOptions o;
  o.topology = "seed-002-dedicated-etcd";
  auto s = ParseScenario("name: x\nsteps:\n  - fault: kill\n    target: etcd_leader\n    processes: [patroni]\n",
                         "targets.yaml", kScenarioTargetsFixtures, o);
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->scenario.incompatible.size(), 1u);
  EXPECT_NE(s->scenario.incompatible[0].find("etcd_leader runs no patroni"), std::string::npos);
}

}  // namespace
}  // namespace pgha
