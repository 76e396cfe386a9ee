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

const std::string kOut = "/tmp/pgha-itest-results";

class RunTest : public CleanMachineTest {
 protected:
  RunTest() : CleanMachineTest(kOut) {}
  static json Result(const std::string& scenario) {
    return json::parse(ReadAll(kOut + "/" + scenario + "/result.json"));
  }
  static json Verdict(const json& result, const std::string& metric) {
    for (const auto& v : result["verdicts"])
      if (v["metric"] == metric) return v;
    return json();
  }
};

TEST_F(RunTest, PrimaryKillFailsOverInsideTheWindowTheSettingsAllowAndLosesNothing) {
  auto r = Cli(
      {"run", PGHA_SOURCE_DIR "/scenarios/primary-kill.yaml", "--output", kOut, "--subnet", kSubnet, "--seed", "11"},
      std::chrono::seconds(300));
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  auto res = Result("primary-kill");
  const auto& m = res["measurements"];
  ASSERT_FALSE(m["failover_time_s"].is_null());
  const double failover = m["failover_time_s"];
  // ttl 5s, loop_wait 1s, HAProxy checks every 250ms: the key expires 4 to
  // 5 s after the kill (renewed every loop_wait), then promotion and one check.
  EXPECT_GT(failover, 3.5);
  EXPECT_LT(failover, 8.0);
  EXPECT_EQ(Verdict(res, "failover_time")["status"], "pass");
  // Asynchronous: at most one write per writer acknowledged as the primary died (primary-kill.yaml).
  EXPECT_LE(m["lost_keys"].size(), 2u) << m["lost_keys"].dump();
  EXPECT_EQ(Verdict(res, "lost_writes")["status"], "pass");
  EXPECT_GT(m["writes"]["ok"].get<int>(), 200);
  EXPECT_GT(m["writes"]["fail"].get<int>() + m["writes"]["info"].get<int>(), 0) << "the outage was seen by the clients";
  EXPECT_TRUE(res["final_read"]["ok"].get<bool>());
  EXPECT_NE(res["final_read"]["primary"], res["journal"][0]["target"]) << "a new primary at the end";
  EXPECT_EQ(res["journal"][0]["action"], "inject");
  EXPECT_EQ(res["seed"], 11);
  EXPECT_TRUE(fs::exists(kOut + "/primary-kill/history.jsonl"));
  EXPECT_TRUE(fs::exists(kOut + "/primary-kill/logs/node1/patroni.log"));
  EXPECT_TRUE(fs::exists(kOut + "/primary-kill/logs/lb/haproxy.log")) << "every service's log is collected";
  EXPECT_EQ(res["logs"].size(), 7u) << res["logs"].dump();
  EXPECT_NE(r.out.find("failover_time < 8s"), std::string::npos) << r.out;
  EXPECT_EQ(Join(Leftovers()), "");

  // JUnit for the CI gate: valid against the schema, and `report` recomputes
  // the same bytes from the saved history without a cluster.
  const std::string junit = ReadAll(kOut + "/junit.xml");
  ASSERT_FALSE(junit.empty());
  BoostProcessRunner runner;
  auto lint = runner.Run(CommandSpec::Of(
      {"/usr/bin/xmllint", "--noout", "--schema", PGHA_SOURCE_DIR "/tests/schemas/junit-10.xsd", kOut + "/junit.xml"}));
  ASSERT_TRUE(lint.ok());
  EXPECT_EQ(lint->exit_code, 0) << lint->err;
  fs::remove(kOut + "/junit.xml");
  auto again = Cli({"report", kOut});
  EXPECT_EQ(again.exit_code, r.exit_code) << again.err;
  EXPECT_EQ(ReadAll(kOut + "/junit.xml"), junit);

  // The HTML report opens in a real browser (headless Chromium, nothing
  // fetched) with its verdict table; a screenshot is kept for a person.
  const std::vector<std::string> chromium{"/usr/bin/chromium",
                                          "--headless",
                                          "--no-sandbox",
                                          "--disable-gpu",
                                          "--disable-quic",
                                          "--no-first-run",
                                          "--disable-background-networking",
                                          "--disable-component-update",
                                          "--disable-sync",
                                          "--user-data-dir=" + kOut + "/chromium-profile"};
  auto dump_argv = chromium;
  dump_argv.push_back("--dump-dom");
  dump_argv.push_back("file://" + kOut + "/report.html");
  auto dom = runner.Run(CommandSpec::Of(dump_argv, std::chrono::seconds(60)));
  ASSERT_TRUE(dom.ok());
  EXPECT_NE(dom->out.find("PostgreSQL HA acceptance report"), std::string::npos) << dom->err.substr(0, 2000);
  EXPECT_NE(dom->out.find("<td>failover_time &lt; 8s</td>"), std::string::npos);
  auto shot_argv = chromium;
  shot_argv.push_back("--window-size=1200,2400");
  shot_argv.push_back("--screenshot=" + kOut + "/report.png");
  shot_argv.push_back("file://" + kOut + "/report.html");
  auto shot = runner.Run(CommandSpec::Of(shot_argv, std::chrono::seconds(60)));
  ASSERT_TRUE(shot.ok());
  EXPECT_GT(fs::file_size(kOut + "/report.png"), 20000u);
}

TEST_F(RunTest, SplitBrainIsMeasuredAndFailsItsTarget) {
  auto r =
      Cli({"run", PGHA_SOURCE_DIR "/scenarios/split-brain.yaml", "--output", kOut, "--subnet", kSubnet, "--seed", "12"},
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
  EXPECT_EQ(Join(Leftovers()), "");
}

TEST_F(RunTest, CtrlCInTheMiddleOfARunHealsTearsDownAndExits130) {
  const std::string log = "/tmp/pgha-itest-run-sigint.log";
  pid_t pid = CliInBackground(
      {"run", PGHA_SOURCE_DIR "/scenarios/split-brain.yaml", "--output", kOut, "--subnet", kSubnet}, log);
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
  EXPECT_EQ(Join(Leftovers()), "");
  EXPECT_TRUE(ListManifestRuns(kWorkdir).empty());
}

TEST_F(RunTest, AMalformedScenarioExits2AndStartsNothing) {
  const std::string bad = "/tmp/pgha-itest-bad-scenario.yaml";
  {
    std::ofstream f(bad);
    f << "name: bad\nsteps:\n  - hold: 5x\n  - fault: kill\n    target: primary\n";
  }
  auto r = Cli({"run", bad, "--output", kOut, "--subnet", kSubnet});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(bad + ":3:11: steps[0].hold: bad duration \"5x\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("needs the key \"processes\""), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(kOut));
  EXPECT_EQ(Join(Leftovers()), "");
  auto v = Cli({"validate", bad});
  EXPECT_EQ(v.exit_code, 2);
  EXPECT_EQ(
      Cli({"validate", PGHA_SOURCE_DIR "/scenarios/primary-kill.yaml", PGHA_SOURCE_DIR "/scenarios/split-brain.yaml"})
          .exit_code,
      0);
}

}  // namespace
}  // namespace pgha
