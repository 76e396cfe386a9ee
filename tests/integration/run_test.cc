// Integration tests of `pgha-chaos run` on the real cluster: the shipped
// scenarios measured end to end, Ctrl-C in the middle of a run, and bad
// scenarios rejected before anything starts.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli_helpers.h"
#include "cluster/workdir.h"

namespace pgha {
namespace {
using namespace itest;
namespace fs = std::filesystem;
using nlohmann::json;

const std::string kRunOut = "/tmp/pgha-itest-results";

class RunTest : public CleanMachineTest {
 protected:
  RunTest() : CleanMachineTest(kRunOut) {}
  static json Result(const std::string& scenario) {
    return json::parse(ReadAll(kRunOut + "/" + scenario + "/result.json"));
  }
  static json Verdict(const json& result, const std::string& metric) {
    for (const auto& v : result["verdicts"])
      if (v["metric"] == metric) return v;
    return json();
  }
};

TEST_F(RunTest, SplitBrainIsMeasuredAndFailsItsTarget) {
  auto r = Cli(
      {"run", PGHA_SOURCE_DIR "/scenarios/split-brain.yaml", "--output", kRunOut, "--subnet", kSubnet, "--seed", "12"},
      std::chrono::seconds(300));
  EXPECT_EQ(r.exit_code, 1) << r.err << r.out;
  auto res = Result("split-brain");
  const auto& m = res["measurements"];
  const double window = m["split_brain_s"];
  EXPECT_GT(window, 8.0) << "the frozen primary keeps taking direct writes for the 10 s hold";
  EXPECT_LT(window, 20.0);
  ASSERT_GE(m["split_brain_intervals"].size(), 1u);
  EXPECT_EQ(m["split_brain_intervals"][0]["nodes"].size(), 2u);
  EXPECT_GT(m["split_brain_writes"].get<int>(), 0);
  EXPECT_EQ(Verdict(res, "split_brain")["status"], "fail");
  EXPECT_EQ(Verdict(res, "recovery_time")["status"], "pass");
  EXPECT_EQ(itest::Join(Leftovers()), "");
}

TEST_F(RunTest, CtrlCInTheMiddleOfARunHealsTearsDownAndExits130) {
  const std::string log = "/tmp/pgha-itest-run-sigint.log";
  pid_t pid = CliInBackground(
      {"run", PGHA_SOURCE_DIR "/scenarios/split-brain.yaml", "--output", kRunOut, "--subnet", kSubnet}, log);
  // Wait until the fault is in: Patroni frozen on the primary.
  bool injected = false;
  for (int i = 0; i < 600 && !injected; ++i) {
    injected = ReadAll(log).find("SIGSTOP patroni") != std::string::npos;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(injected) << ReadAll(log);
  const auto signalled = std::chrono::steady_clock::now();
  kill(pid, SIGINT);
  auto code = WaitChild(pid, std::chrono::seconds(60));
  ASSERT_TRUE(code.has_value()) << "run did not exit within 60 s of Ctrl-C";
  EXPECT_EQ(*code, 130) << ReadAll(log);
  const std::string out = ReadAll(log);
  EXPECT_NE(out.find("step 3/7: pause patroni on primary"), std::string::npos)
      << "signalled after the fault, not during bring-up";
  EXPECT_NE(out.find("INTERRUPTED"), std::string::npos) << out;
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, std::chrono::seconds(30));
  EXPECT_EQ(itest::Join(Leftovers()), "");
  EXPECT_TRUE(ListManifestRuns(kWorkdir).empty());
}

TEST_F(RunTest, AMalformedScenarioExits2AndStartsNothing) {
  const std::string bad = "/tmp/pgha-itest-bad-scenario.yaml";
  {
    std::ofstream f(bad);
    f << "name: bad\nsteps:\n  - hold: 5x\n  - fault: kill\n    target: primary\n";
  }
  auto r = Cli({"run", bad, "--output", kRunOut, "--subnet", kSubnet});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(bad + ":3:11: steps[0].hold: bad duration \"5x\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("needs the key \"processes\""), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(kRunOut));
  EXPECT_EQ(itest::Join(Leftovers()), "");
  auto v = Cli({"validate", bad});
  EXPECT_EQ(v.exit_code, 2);
  EXPECT_EQ(
      Cli({"validate", PGHA_SOURCE_DIR "/scenarios/primary-kill.yaml", PGHA_SOURCE_DIR "/scenarios/split-brain.yaml"})
          .exit_code,
      0);
}

}  // namespace
}  // namespace pgha
