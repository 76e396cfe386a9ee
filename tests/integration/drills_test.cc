// Integration tests of the planned operations (operations/) on the real
// cluster: maintenance mode with the primary killed inside it.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_helpers.h"

namespace pgha {
namespace {
using namespace itest;
using nlohmann::json;

const std::string kDrillsOut = "/tmp/pgha-itest-drills";

class DrillsTest : public CleanMachineTest {
 protected:
  DrillsTest() : CleanMachineTest(kDrillsOut) {}
};

// Patroni 3.0.2 keeps its promise: paused, the killed primary's leader key
// expires and no replica takes it; the wait for a new primary inside the
// pause ends at once, saying why; after resume one replica is promoted and
// the end of the run finds nothing paused.
TEST_F(DrillsTest, APrimaryKilledInMaintenanceModeIsNotFailedOverUntilResume) {
  auto r = Cli({"run", PGHA_SOURCE_DIR "/scenarios/drills/maintenance-mode-kill.yaml", "--output", kDrillsOut,
                "--subnet", kSubnet, "--seed", "7"},
               std::chrono::seconds(240));
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  const json res = json::parse(ReadAll(kDrillsOut + "/maintenance-mode-kill/result.json"));
  const json& steps = res["steps"];
  ASSERT_GE(steps.size(), 8u);
  EXPECT_EQ(steps[2]["outcome"], "ok") << steps[2];  // pause
  EXPECT_EQ(steps[4]["outcome"], "skipped") << steps[4];
  EXPECT_NE(steps[4]["detail"].get<std::string>().find("maintenance mode (paused)"), std::string::npos) << steps[4];
  EXPECT_LT(steps[4]["end_s"].get<double>() - steps[4]["start_s"].get<double>(), 2.0) << "no waiting for nothing";
  EXPECT_EQ(steps[6]["outcome"], "ok") << steps[6];  // resume
  const json& ops = res["measurements"]["operations"];
  EXPECT_TRUE(ops["paused_observed"].get<bool>());
  EXPECT_EQ(ops["paused_failovers"], 0);
  ASSERT_EQ(ops["windows"].size(), 2u) << ops;
  EXPECT_EQ(ops["windows"][0]["kind"], "pause");
  EXPECT_EQ(ops["windows"][1]["kind"], "resume");
  // The new leader came after resume, not after ttl: the first acknowledged write after the kill too.
  const double resumed_at = steps[6]["start_s"];
  double elected = -1;
  for (const auto& p : res["measurements"]["failover_phases"])
    if (p["name"] == "new leader elected" && p["after_fault_s"].is_number()) elected = p["after_fault_s"];
  const double kill_at = steps[3]["start_s"];
  ASSERT_GT(elected, 0) << res["measurements"]["failover_phases"];
  EXPECT_GT(kill_at + elected, resumed_at - 0.5) << "a replica was promoted before resume";
  EXPECT_EQ(res["verdicts"][0]["metric"], "paused_failovers");
  EXPECT_EQ(res["verdicts"][0]["status"], "pass");
  EXPECT_EQ(itest::Join(Leftovers()), "");
}

// The other operations on one real cluster, each checked through Patroni
// itself: a configuration change that needs a restart, a reload, a
// replica taken out of the read-only endpoint by its tags, the restart of
// the members with a pending restart, the tags put back.
TEST_F(DrillsTest, EditConfigReloadTagsAndPendingRestartsActOnTheRealCluster) {
  const std::string scenario = kDrillsOut + "-operations.yaml";
  std::ofstream(scenario) << R"(name: operations
topology: compact
workload: {writers: 2, rate: 40/s}
steps:
  - wait: healthy
    timeout: 90s
  - hold: 2s
  - edit_config: {postgresql: {parameters: {max_connections: 110}}}
  - reload: all
  - tags: {target: node2, noloadbalance: true, nofailover: true}
  - hold: 2s
  - restart: {target: all, pending_restart: true}
    timeout: 120s
  - tags: {target: node2, noloadbalance: false, nofailover: false}
  - wait: healthy
    timeout: 60s
expect:
  lost_writes: 0
  leader_changes: 0
  operation_write_gap: "< 5s"
)";
  auto r =
      Cli({"run", scenario, "--output", kDrillsOut, "--subnet", kSubnet, "--seed", "5"}, std::chrono::seconds(300));
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  const json res = json::parse(ReadAll(kDrillsOut + "/operations/result.json"));
  const json& steps = res["steps"];
  ASSERT_EQ(steps.size(), 9u);
  for (const auto& st : steps) EXPECT_EQ(st["outcome"], "ok") << st;
  EXPECT_NE(steps[2]["detail"].get<std::string>().find("pending restart on node1, node2, node3"), std::string::npos)
      << steps[2];
  EXPECT_NE(steps[4]["detail"].get<std::string>().find("shown by Patroni on node2 and in the cluster's record"),
            std::string::npos)
      << steps[4];
  // Every member had the restart pending and was restarted, replicas first, the leader (no change) last.
  const std::string restarted = steps[6]["detail"];
  const std::string leader = res["final_read"]["primary"];
  EXPECT_EQ(restarted.find("no restart pending"), std::string::npos) << restarted;
  ASSERT_GE(restarted.size(), leader.size());
  EXPECT_EQ(restarted.substr(restarted.size() - leader.size()), leader) << restarted;
  const json& windows = res["measurements"]["operations"]["windows"];
  ASSERT_EQ(windows.size(), 7u) << windows;  // edit_config, reload, tags, three restarts, tags
  for (size_t i : {3, 4, 5}) EXPECT_EQ(windows[i]["kind"], "restart") << windows[i];
  EXPECT_EQ(windows[5]["target"], leader);
  EXPECT_EQ(itest::Join(Leftovers()), "");
}

}  // namespace
}  // namespace pgha
