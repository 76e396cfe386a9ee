// The list-append workload and the Elle-class checker on the real cluster
// (scenarios/list-append/), driven through the CLI as a user would:
// - a primary kill with synchronous replication leaves the read-write
//   endpoint without any anomaly, and history.elle.json, checked again by
//   `check-history`, agrees (exit 0);
// - a split brain (Patroni frozen on the primary, no watchdog) forks the
//   lists: the fork is reported as incompatible-order with both branches,
//   in result.json, JUnit and `check-history --json` (exit 1).
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli_helpers.h"

namespace pgha {
namespace {
using namespace itest;
using nlohmann::json;

const std::string kListAppendOut = "/tmp/pgha-itest-list-append";

class ListAppendTest : public CleanMachineTest {
 protected:
  ListAppendTest() : CleanMachineTest(kListAppendOut) {}
  static json Anomalies(const std::string& scenario) {
    return json::parse(ReadAll(kListAppendOut + "/" + scenario + "/result.json"))["measurements"]["anomalies"];
  }
  static std::string ElleHistory(const std::string& scenario) {
    return kListAppendOut + "/" + scenario + "/history.elle.json";
  }
  // Runs scenarios/list-append/<scenario>.yaml; its exit code.
  static int RunScenario(const std::string& scenario, const std::string& seed) {
    auto r = Cli({"run", PGHA_SOURCE_DIR "/scenarios/list-append/" + scenario + ".yaml", "--output", kListAppendOut,
                  "--subnet", kSubnet, "--seed", seed},
                 std::chrono::seconds(300));
    if (r.exit_code != 0) ADD_FAILURE() << r.err << r.out;
    return r.exit_code;
  }
};

TEST_F(ListAppendTest, SyncPrimaryKillLeavesTheReadWriteEndpointWithoutAnomalies) {
  EXPECT_EQ(RunScenario("list-append-sync-primary-kill", "24"), 0);
  const json a = Anomalies("list-append-sync-primary-kill");
  ASSERT_TRUE(a.is_object()) << "result.json has no anomalies section";
  EXPECT_EQ(a["valid"], true) << a.dump(2);
  EXPECT_GT(a["ok"].get<int>(), 100) << "too few committed transactions to show anything";
  EXPECT_GT(a["edges"].get<int>(), a["ok"].get<int>());
  auto check = Cli({"check-history", ElleHistory("list-append-sync-primary-kill")});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("valid: no anomaly found"), std::string::npos) << check.out;
  EXPECT_EQ(itest::Join(Leftovers()), "");
}

TEST_F(ListAppendTest, ASplitBrainForkIsReportedWithBothBranches) {
  EXPECT_EQ(RunScenario("list-append-split-brain", "25"), 0);
  const json a = Anomalies("list-append-split-brain");
  ASSERT_TRUE(a.is_object());
  ASSERT_GT(a["counts"].value("incompatible-order", 0), 0) << a.dump(2);
  const std::string why = a["anomalies"]["incompatible-order"][0]["explanation"];
  EXPECT_NE(why.find("neither is a prefix of the other"), std::string::npos) << why;
  EXPECT_EQ(std::count(why.begin(), why.end(), '['), 2) << "both branches: " << why;
  EXPECT_NE(ReadAll(kListAppendOut + "/junit.xml").find("name=\"anomaly incompatible-order\""), std::string::npos);
  auto check = Cli({"check-history", "--json", ElleHistory("list-append-split-brain")});
  EXPECT_EQ(check.exit_code, 1) << check.err;
  const json j = json::parse(check.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << check.out;
  EXPECT_EQ(j["valid"], false);
  const auto types = j["anomaly_types"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(types.begin(), types.end(), "incompatible-order"), types.end()) << check.out;
  EXPECT_EQ(itest::Join(Leftovers()), "");
}

}  // namespace
}  // namespace pgha
