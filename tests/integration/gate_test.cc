// The CI gate on the real cluster: `pgha-chaos run --suite
// scenarios/suites/ci-gate.yaml` must meet every target of every scenario
// with the reference settings (exit 0), write one combined JUnit file with
// a test case per target and no failure or error, and leave nothing
// behind, on the netns provider (and its primary-kill passes a closer
// look: gate_primary_kill.h); on system containers the same for
// ci-gate-containers.yaml, one scenario per fault path of that provider. A failure here is either a regression of the
// harness or a real change of behaviour of the cluster; the verdict tables are printed, and for a
// missed scenario its members' Patroni lines about the leader key. One exception, run again:
// a miss through one of two of Patroni's own races (PatroniRace below).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli_helpers.h"
#include "gate_evidence.h"
#include "gate_primary_kill.h"

namespace pgha {
namespace {
using namespace itest;
namespace fs = std::filesystem;

// Each provider's gate keeps its own folder, so that a failure's logs
// outlive the other gate.
std::string GateOut(const std::string& provider) { return "/tmp/pgha-itest-gate-" + provider; }

int CountOf(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// Why a missed gate scenario may run once more, or "": two of Patroni's own
// races (docs/findings.md). Patroni 3.0.2 may write the leader key over the
// new primary's after a partition heals (its etcd3 client puts the key
// without a compare once its own lease expired: patroni PR #2689, fixed in
// 3.0.3), whatever that misses; and a Patroni that runs demote('offline')
// twice at once may leave its member never rejoining (patroni PR #3372,
// issue #3649), which may miss recovery_time and nothing else.
std::string PatroniRace(const nlohmann::json& res, const std::string& folder) {
  if (MetPatroni302Overwrite(res)) return "Patroni 3.0.2's overwrite of the leader key";
  bool only_recovery = true;
  for (const auto& v : res["verdicts"])
    if (v["status"] != "pass") only_recovery &= v["metric"] == "recovery_time";
  if (only_recovery && MetConcurrentOfflineDemote(folder)) return "Patroni's concurrent offline demotes";
  return "";
}

// The result to judge for one scenario folder of a gate run: a scenario that
// missed its targets through one of PatroniRace's races is run once more on
// a fresh cluster and must pass then; the miss, its evidence and the rerun
// are printed, and *excused_failures counts the failures its first run left
// in the combined JUnit file. Anything else, or the race twice, still fails.
nlohmann::json JudgedResult(const std::string& provider, const std::string& folder, int* excused_failures) {
  const std::string out = GateOut(provider);
  auto res = nlohmann::json::parse(ReadAll(out + "/" + folder + "/result.json"));
  if (res["exit_code"] == 0) return res;
  std::cout << LeaderKeyEvidence(out + "/" + folder);
  const std::string race = PatroniRace(res, out + "/" + folder);
  if (race.empty()) return res;
  for (const auto& v : res["verdicts"]) *excused_failures += v["status"] == "fail";
  std::cout << folder << " met " << race << "; running it once more\n";
  const std::string again = out + "-again";
  fs::remove_all(again);
  // The file as the suite named it: absolute, or relative to the source tree.
  const fs::path file = fs::path(PGHA_SOURCE_DIR) / res["scenario"]["file"].get<std::string>();
  const auto r = Cli({"run", file.string(), "--output", again, "--subnet", kSubnet, "--provider", provider},
                     std::chrono::seconds(300));
  const auto run = nlohmann::json::parse(ReadAll(again + "/run.json"));
  const std::string rerun_folder = again + "/" + run["scenarios"][0].get<std::string>();
  const auto rerun = nlohmann::json::parse(ReadAll(rerun_folder + "/result.json"));
  std::cout << r.out;
  if (rerun["exit_code"] != 0) std::cout << LeaderKeyEvidence(rerun_folder);
  return rerun;
}

// A gate suite on a provider; every target must hold. Returns its console output and exit code.
CliRun RunGate(const std::string& provider, const std::string& suite, size_t scenarios) {
  EXPECT_EQ(itest::Join(Leftovers()), "") << "the machine was not clean before the test";
  const std::string out = GateOut(provider);
  fs::remove_all(out);
  auto r = Cli({"run", "--suite", PGHA_SOURCE_DIR "/scenarios/suites/" + suite, "--output", out, "--subnet", kSubnet,
                "--provider", provider},
               std::chrono::seconds(1100));
  auto run = nlohmann::json::parse(ReadAll(out + "/run.json"));
  const auto folders = run["scenarios"].get<std::vector<std::string>>();
  EXPECT_EQ(folders.size(), scenarios);
  int expectations = 0, excused = 0;
  for (const auto& f : folders) {
    const auto res = JudgedResult(provider, f, &excused);
    EXPECT_EQ(res["exit_code"], 0) << f;
    for (const auto& v : res["verdicts"]) {
      ++expectations;
      EXPECT_EQ(v["status"], "pass") << f << ": " << v.dump();
    }
  }
  EXPECT_TRUE(r.exit_code == 0 || (r.exit_code == 1 && excused > 0))
      << r.out << r.err.substr(r.err.size() > 4000 ? r.err.size() - 4000 : 0);
  const std::string junit = ReadAll(out + "/junit.xml");
  EXPECT_EQ(CountOf(junit, "<testcase "), expectations);
  EXPECT_EQ(CountOf(junit, "<failure"), excused);
  EXPECT_EQ(CountOf(junit, "<error"), 0);
  EXPECT_TRUE(fs::exists(out + "/report.html"));
  EXPECT_EQ(itest::Join(Leftovers()), "");
  if (!Leftovers().empty()) Cli({"cleanup"});
  return r;
}

// And its primary-kill looked at closely (gate_primary_kill.h).
TEST(CiGate, EveryTargetOfTheGateHoldsOnTheReferenceSettings) {
  if (geteuid() != 0) GTEST_SKIP() << "integration tests need root (network namespaces)";
  const CliRun r = RunGate("netns", "ci-gate.yaml", 12);
  CheckGatePrimaryKill(GateOut("netns"), r.out, r.exit_code);
}

// The same verdicts with every host a system container (systemd, units),
// for each way the provider injects and heals the gate's faults.
TEST(CiGate, EveryTargetHoldsWithTheHostsAsSystemContainers) {
  if (geteuid() != 0) GTEST_SKIP() << "integration tests need root (network namespaces)";
  RunGate("containers", "ci-gate-containers.yaml", 7);
}

}  // namespace
}  // namespace pgha
