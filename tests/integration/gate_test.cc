// The CI gate on the real cluster: `pgha-chaos run --suite
// scenarios/suites/ci-gate.yaml` must meet every target of every scenario
// with the reference settings (exit 0), write one combined JUnit file with
// a test case per target and no failure or error, and leave nothing
// behind, on the netns provider (and its primary-kill passes a closer
// look: gate_primary_kill.h); on system containers the same for
// ci-gate-containers.yaml, one scenario per fault path of that provider. A failure here is either a regression of the
// harness or a real change of behaviour of the cluster; the verdict tables are printed, and for a
// missed scenario its members' Patroni lines about the leader key. One exception, run again:
// Patroni 3.0.2's overwrite of the leader key (JudgedResult below).
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

const std::string kGateOut = "/tmp/pgha-itest-gate";

int CountOf(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// Patroni 3.0.2 may write the leader key over the new primary's after a
// partition heals (its etcd3 client puts the key without a compare once its
// own lease expired: patroni PR #2689, fixed in 3.0.3; docs/findings.md).
// A gate scenario whose result shows that overwrite is run once more on a
// fresh cluster and must pass then; the miss and its evidence are printed.
// Returns the result to judge and the failures its first run left in the
// combined JUnit file.
nlohmann::json JudgedResult(const std::string& provider, const std::string& folder, int* excused_failures) {
  auto res = nlohmann::json::parse(ReadAll(kGateOut + "/" + folder + "/result.json"));
  if (res["exit_code"] == 0) return res;
  std::cout << LeaderKeyEvidence(kGateOut + "/" + folder);
  if (!MetPatroni302Overwrite(res)) return res;
  for (const auto& v : res["verdicts"]) *excused_failures += v["status"] == "fail";
  std::cout << folder << " met Patroni 3.0.2's overwrite of the leader key; running it once more\n";
  const std::string again = kGateOut + "-again";
  fs::remove_all(again);
  // The file as the suite named it: absolute, or relative to the source tree.
  const fs::path file = fs::path(PGHA_SOURCE_DIR) / res["scenario"]["file"].get<std::string>();
  const auto r = Cli({"run", file.string(), "--output", again, "--subnet", kSubnet, "--provider", provider},
                     std::chrono::seconds(300));
  const auto run = nlohmann::json::parse(ReadAll(again + "/run.json"));
  const auto rerun =
      nlohmann::json::parse(ReadAll(again + "/" + run["scenarios"][0].get<std::string>() + "/result.json"));
  std::cout << r.out;
  if (rerun["exit_code"] != 0) std::cout << LeaderKeyEvidence(again + "/" + run["scenarios"][0].get<std::string>());
  return rerun;
}

// A gate suite on a provider; every target must hold. Returns its console output and exit code.
CliRun RunGate(const std::string& provider, const std::string& suite, size_t scenarios) {
  EXPECT_EQ(itest::Join(Leftovers()), "") << "the machine was not clean before the test";
  fs::remove_all(kGateOut);
  auto r = Cli({"run", "--suite", PGHA_SOURCE_DIR "/scenarios/suites/" + suite, "--output", kGateOut, "--subnet",
                kSubnet, "--provider", provider},
               std::chrono::seconds(1100));
  auto run = nlohmann::json::parse(ReadAll(kGateOut + "/run.json"));
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
  const std::string junit = ReadAll(kGateOut + "/junit.xml");
  EXPECT_EQ(CountOf(junit, "<testcase "), expectations);
  EXPECT_EQ(CountOf(junit, "<failure"), excused);
  EXPECT_EQ(CountOf(junit, "<error"), 0);
  EXPECT_TRUE(fs::exists(kGateOut + "/report.html"));
  EXPECT_EQ(itest::Join(Leftovers()), "");
  if (!Leftovers().empty()) Cli({"cleanup"});
  return r;
}

// And its primary-kill looked at closely (gate_primary_kill.h).
TEST(CiGate, EveryTargetOfTheGateHoldsOnTheReferenceSettings) {
  if (geteuid() != 0) GTEST_SKIP() << "integration tests need root (network namespaces)";
  const CliRun r = RunGate("netns", "ci-gate.yaml", 12);
  CheckGatePrimaryKill(kGateOut, r.out, r.exit_code);
}

// The same verdicts with every host a system container (systemd, units),
// for each way the provider injects and heals the gate's faults.
TEST(CiGate, EveryTargetHoldsWithTheHostsAsSystemContainers) {
  if (geteuid() != 0) GTEST_SKIP() << "integration tests need root (network namespaces)";
  RunGate("containers", "ci-gate-containers.yaml", 7);
}

}  // namespace
}  // namespace pgha
