// Beyond one run, on the real cluster: trials with a distribution and a
// percentile target, Ctrl-C in the middle of trials (a partial set, nothing
// left), a baseline that catches a slower failover (and not itself), a
// small sweep with its skipped combination and frontier, and lint.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli_helpers.h"

namespace pgha {
namespace {
using namespace itest;
namespace fs = std::filesystem;
using nlohmann::json;

const std::string kBeyondOut = "/tmp/pgha-itest-beyond";

class BeyondTest : public CleanMachineTest {
 protected:
  BeyondTest() : CleanMachineTest(kBeyondOut) {}
  // primary-kill with the given extra top-level YAML (settings, targets), named primary-kill.
  static std::string Variant(const std::string& file, const std::string& extra, const std::string& expect) {
    std::string text = ReadAll(PGHA_SOURCE_DIR "/scenarios/primary-kill.yaml");
    text = text.substr(0, text.find("expect:"));
    std::ofstream(file) << text << extra << "expect:\n" << expect;
    return file;
  }
};

TEST_F(BeyondTest, TrialsGiveADistributionAndAPercentileVerdict) {
  const auto file = Variant(kBeyondOut + "-p95.yaml", "",
                            "  failover_time: \"p95 < 8s\"\n  lost_writes: \"<= 2 in 2 of 2\"\n  split_brain: 0s\n");
  const std::string summary = kBeyondOut + "-summary.md";
  fs::remove(summary);
  auto r = Cli({"run", file, "--trials", "2", "--output", kBeyondOut, "--subnet", kSubnet, "--seed", "7", "--summary",
                summary, "--annotations", "github"},
               std::chrono::seconds(400));
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err << r.out;
  const json t = json::parse(ReadAll(kBeyondOut + "/primary-kill/trials.json"));
  ASSERT_EQ(t["runs"].size(), 2u);
  EXPECT_FALSE(t["partial"].get<bool>());
  EXPECT_EQ(t["metrics"]["failover_time"]["n"], 2);
  EXPECT_LE(t["metrics"]["failover_time"]["min"].get<double>(), t["metrics"]["failover_time"]["p95"].get<double>());
  EXPECT_EQ(t["verdicts"][0]["target"], "p95 < 8s");
  EXPECT_EQ(t["verdicts"][0]["runs"], 2);
  EXPECT_NE(t["verdicts"][0]["measured"].get<std::string>().find("p95 "), std::string::npos);
  for (int i = 1; i <= 2; ++i)
    EXPECT_TRUE(fs::exists(kBeyondOut + "/primary-kill/trial-" + std::to_string(i) + "/result.json"));
  const std::string junit = ReadAll(kBeyondOut + "/junit.xml");
  EXPECT_NE(junit.find("2 runs: min"), std::string::npos) << junit.substr(0, 2000);
  EXPECT_NE(junit.find("name=\"distribution.failover_time\""), std::string::npos);
  EXPECT_NE(junit.find("name=\"trial 2 of 2\""), std::string::npos) << "each run its own case";
  // What a CI job shows: the summary's verdict table, and an annotation exactly when a target was missed.
  const std::string md = ReadAll(summary);
  EXPECT_EQ(md.rfind(r.exit_code == 0 ? "## pgha-chaos: ✅ PASS" : "## pgha-chaos: ❌ FAIL", 0), 0u) << md;
  EXPECT_NE(md.find("| primary-kill (2 trials, worst run shown) |"), std::string::npos) << md;
  EXPECT_EQ(r.out.find("::error file=") != std::string::npos, r.exit_code == 1) << r.out;
  fs::remove(summary);
  EXPECT_NE(ReadAll(kBeyondOut + "/report.html").find("aria-label=\"failover_time\""), std::string::npos)
      << "a strip plot";
  EXPECT_NE(r.out.find("predicted failover (process kill)"), std::string::npos) << r.out;
  auto again = Cli({"report", kBeyondOut});
  EXPECT_EQ(again.exit_code, r.exit_code) << again.err;
  EXPECT_EQ(itest::Join(Leftovers()), "");
}

TEST_F(BeyondTest, CtrlCDuringTrialsEndsWithAPartialSetAndNothingLeft) {
  const std::string log = "/tmp/pgha-itest-trials-sigint.log";
  pid_t pid = CliInBackground({"run", PGHA_SOURCE_DIR "/scenarios/primary-kill.yaml", "--trials", "3", "--output",
                               kBeyondOut, "--subnet", kSubnet, "--seed", "8"},
                              log);
  bool second = false;
  for (int i = 0; i < 1200 && !second; ++i) {
    second = ReadAll(log).find("trial 2/3") != std::string::npos;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(second) << ReadAll(log);
  std::this_thread::sleep_for(std::chrono::seconds(8));  // into the second run's steps
  kill(pid, SIGINT);
  auto code = WaitChild(pid, std::chrono::seconds(90));
  ASSERT_TRUE(code.has_value()) << "run did not exit within 90 s of Ctrl-C";
  EXPECT_EQ(*code, 130) << ReadAll(log);
  const json t = json::parse(ReadAll(kBeyondOut + "/primary-kill/trials.json"));
  EXPECT_TRUE(t["partial"].get<bool>());
  EXPECT_EQ(t["planned"], 3);
  EXPECT_EQ(t["runs"].size(), 2u) << "the first run and the interrupted second";
  EXPECT_NE(ReadAll(log).find("partial"), std::string::npos);
  EXPECT_EQ(itest::Join(Leftovers()), "");
}

TEST_F(BeyondTest, ABaselineCatchesASlowerFailoverAndNotItself) {
  const std::string expect = "  failover_time: \"< 60s\"\n  split_brain: 0s\n";
  auto base = Cli({"run", Variant(kBeyondOut + "-base.yaml", "", expect), "--output", kBeyondOut + "/base", "--subnet",
                   kSubnet, "--seed", "9"},
                  std::chrono::seconds(300));
  ASSERT_EQ(base.exit_code, 0) << base.err << base.out;
  auto slow =
      Cli({"run", Variant(kBeyondOut + "-slow.yaml", "patroni: {ttl: 15s, loop_wait: 5s, retry_timeout: 5s}\n", expect),
           "--output", kBeyondOut + "/slow", "--subnet", kSubnet, "--seed", "10", "--baseline", kBeyondOut + "/base"},
          std::chrono::seconds(400));
  EXPECT_EQ(slow.exit_code, 1) << slow.err << slow.out;
  EXPECT_NE(slow.out.find("REGRESSION failover_time"), std::string::npos) << slow.out;
  const std::string junit = ReadAll(kBeyondOut + "/slow/junit.xml");
  EXPECT_NE(junit.find("regression: failover_time of primary-kill"), std::string::npos);
  EXPECT_NE(junit.find("<failure type=\"regression\""), std::string::npos);
  auto self = Cli({"compare", kBeyondOut + "/base", kBeyondOut + "/base"});
  EXPECT_EQ(self.exit_code, 0) << self.out;
  EXPECT_NE(self.out.find("0 regression(s)"), std::string::npos) << self.out;
  auto missing = Cli({"run", PGHA_SOURCE_DIR "/scenarios/primary-kill.yaml", "--baseline", "/tmp"});
  EXPECT_EQ(missing.exit_code, 2) << "a baseline with no results is bad input: " << missing.err;
  EXPECT_EQ(itest::Join(Leftovers()), "");
}

TEST_F(BeyondTest, ASweepSkipsBrokenCombinationsAndMarksTheFrontier) {
  auto r = Cli({"sweep", PGHA_SOURCE_DIR "/scenarios/primary-kill.yaml", "--set", "patroni.ttl=5s,3s", "--trials", "1",
                "--control", "10s", "--output", kBeyondOut + "/sweep", "--subnet", kSubnet, "--seed", "11"},
               std::chrono::seconds(400));
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const json s = json::parse(ReadAll(kBeyondOut + "/sweep/sweep.json"));
  ASSERT_EQ(s["rows"].size(), 2u);
  EXPECT_EQ(s["rows"][0]["settings"]["patroni.ttl"], "5s");
  EXPECT_EQ(s["rows"][0]["failover_s"]["n"], 1);
  EXPECT_EQ(s["rows"][0]["control_leader_changes"], 0);
  EXPECT_TRUE(s["rows"][0]["frontier"].get<bool>());
  EXPECT_NE(s["rows"][1]["skipped"].get<std::string>().find("loop_wait + 2*retry_timeout <= ttl"), std::string::npos);
  EXPECT_NE(ReadAll(kBeyondOut + "/sweep/sweep.html").find("Failover time against patroni.ttl"), std::string::npos);
  EXPECT_EQ(itest::Join(Leftovers()), "");
}

TEST_F(BeyondTest, LintPredictsTheWindowsAndFlagsWhatIsUnsafe) {
  auto ok = Cli({"lint", PGHA_SOURCE_DIR "/fixtures/topologies/compact.yaml"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("process kill                      4.10 to  7.80 s"), std::string::npos) << ok.out;
  const std::string cfg = kBeyondOut + "-haproxy.cfg";
  std::ofstream(cfg) << "listen primary\n  bind *:5000\n  server pg1 10.0.0.1:5432 check inter 3s fall 3\n";
  auto unsafe = Cli({"lint", PGHA_SOURCE_DIR "/fixtures/topologies/compact.yaml", cfg, "--json"});
  EXPECT_EQ(unsafe.exit_code, 1) << unsafe.out;
  const json j = json::parse(unsafe.out);
  bool shutdown = false;
  for (const auto& f : j["findings"])
    shutdown |= f["what"].get<std::string>().find("shutdown-sessions") != std::string::npos;
  EXPECT_TRUE(shutdown) << unsafe.out;
}

}  // namespace
}  // namespace pgha
