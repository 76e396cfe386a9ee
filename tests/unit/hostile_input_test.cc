// Hostile input, one class per test (issue 18): each is refused with a
// message that names the file and says what is wrong, and none crashes,
// reads without bound or lets a name climb out of the results folder. The
// inputs are the regression files in tests/fuzz/regressions/ (also
// replayed under the sanitizers) or made here.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "check/expectation.h"
#include "core/files.h"
#include "core/text.h"
#include "core/units.h"
#include "core/yaml_reader.h"
#include "result/result.h"
#include "scenario/lint_inputs.h"
#include "scenario/scenario.h"
#include "scenario/suite.h"
#include "scenario/topology_loader.h"
#include "scenario/validate_file.h"
#include "services/patroni_config.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;

const std::string kHostileInputFixtures = PGHA_SOURCE_DIR "/fixtures";
const std::string kRegressions = PGHA_SOURCE_DIR "/tests/fuzz/regressions";

// The message a refused scenario file gets ("" when it loads).
std::string ScenarioRefusal(const std::string& path) {
  auto s = LoadScenario(path, kHostileInputFixtures);
  return s.ok() ? "" : s.status().message();
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "pgha-hostile-XXXXXX").string();
    root_ = mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(root_); }
  std::string Write(const std::string& name, const std::string& text) const {
    const std::string path = root_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

 private:
  std::string root_;
};

TEST(HostileInput, NumbersPastAnIntOrADoubleInATargetAreRefusedNotConverted) {
  const auto rate = ScenarioRefusal(kRegressions + "/scenario/rate-count-past-int");
  EXPECT_NE(rate.find("rate-count-past-int:"), std::string::npos) << rate;
  EXPECT_NE(rate.find("needs 1 <= N <= 1000"), std::string::npos) << rate;
  const auto percentile = ScenarioRefusal(kRegressions + "/scenario/percentile-past-double");
  EXPECT_NE(percentile.find("percentile-past-double:"), std::string::npos) << percentile;
  EXPECT_FALSE(ParseExpectation("failover_time", "p101 < 6s").ok());
  EXPECT_FALSE(ParseExpectation("lost_writes", "0 in 3 of 2147483648").ok());
  EXPECT_FALSE(ParseSize("99999999999999999999GiB").ok());
}

TEST(HostileInput, AHugeTargetIsRefusedQuotingOnlyItsStart) {
  const auto why = ScenarioRefusal(kRegressions + "/scenario/target-200k-characters");
  EXPECT_NE(why.find("a target is at most 120 characters"), std::string::npos) << why.substr(0, 400);
  EXPECT_NE(why.find("(200003 characters)"), std::string::npos) << why.substr(0, 400);
  EXPECT_LT(why.size(), 1000u);
}

TEST(HostileInput, CountsAreWholeDecimalNumbers) {
  const auto why = ScenarioRefusal(kRegressions + "/scenario/count-hexadecimal-or-fraction");
  EXPECT_NE(why.find("lost_writes is a count: write a whole number"), std::string::npos) << why;
  EXPECT_NE(why.find("leader_changes is a count"), std::string::npos) << why;
  EXPECT_TRUE(ParseExpectation("lost_writes", "<= 2").ok());
}

TEST(HostileInput, NestedAliasesAreRefusedOnceTheyExpandPastTheBound) {
  const auto why = ScenarioRefusal(kRegressions + "/scenario/billion-laughs");
  EXPECT_NE(why.find("billion-laughs: the YAML holds more than 100000 values once its aliases"), std::string::npos)
      << why;
  Diagnostics diags;
  std::string deep = "x: ";
  for (int i = 0; i < 100; ++i) deep += "[";
  for (int i = 0; i < 100; ++i) deep += "]";
  EXPECT_FALSE(LoadYamlString(deep, "deep.yaml", &diags).has_value());
  EXPECT_NE(diags.ToStatus().message().find("nested deeper than 64 levels"), std::string::npos);
}

TEST(HostileInput, ADeviceAFolderOrAnOversizedFileIsNeverRead) {
  auto dev = ReadInputFile("/dev/zero");
  ASSERT_FALSE(dev.ok());
  EXPECT_EQ(dev.status().message(), "/dev/zero: a character device, not a file pgha-chaos reads: name a regular file");
  auto dir = ReadInputFile("/tmp");
  ASSERT_FALSE(dir.ok());
  EXPECT_NE(dir.status().message().find("a folder"), std::string::npos);
  TempDir t;
  const std::string big = t.Write("big.yaml", std::string(2 << 20, '#'));
  auto refused = ReadInputFile(big, 1 << 20);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("larger than 1 MiB"), std::string::npos);
  EXPECT_TRUE(ReadInputFile(big).ok());
  // A scenario naming a device as its topology is refused naming both.
  const std::string scenario = t.Write("dev-topology.yaml", "name: x\ntopology: /dev/zero\nsteps: [{hold: 1s}]\n");
  const auto why = ScenarioRefusal(scenario);
  EXPECT_NE(why.find("/dev/zero: a character device"), std::string::npos) << why;
}

TEST(HostileInput, NamesUsedAsFoldersAreRestrictedAndAFaultIdAllIsRefused) {
  const auto why = ScenarioRefusal(kRegressions + "/scenario/name-climbs-out-of-output");
  EXPECT_NE(why.find("name-climbs-out-of-output:21:7: the scenario.name names a folder of results"), std::string::npos)
      << why;
  for (const char* bad : {"", "..", ".hidden", "a/b", "a b", "-x"}) EXPECT_FALSE(IsSafeName(bad)) << bad;
  for (const char* good : {"primary-kill", "seed-001-haproxy-vip", "v1.2_x"}) EXPECT_TRUE(IsSafeName(good)) << good;
  TempDir t;
  const std::string all = t.Write(
      "all.yaml", "name: x\nsteps:\n  - fault: kill\n    id: all\n    target: primary\n    processes: [postgres]\n");
  EXPECT_NE(ScenarioRefusal(all).find("a fault id \"all\" would make `heal: all` ambiguous"), std::string::npos);
}

TEST(HostileInput, HarnessOwnedParametersAreRefusedInAnyCase) {
  auto t = LoadTopology(kRegressions + "/topology/postgresql-port-in-another-case");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("patroni.postgresql_parameters.PORT is set by pgha-chaos"), std::string::npos)
      << t.status().message();
  EXPECT_NE(HarnessOwnedParameter("Listen_Addresses"), "");
  EXPECT_EQ(HarnessOwnedParameter("wal_retrieve_retry_interval"), "");
  // The same in an overlay.
  Diagnostics diags;
  auto root = LoadYamlString("postgresql:\n  parameters:\n    PORT: 6000\n", "overlay.yaml", &diags);
  ASSERT_TRUE(root.has_value());
  CheckPatroniOverlay(*root, "overlay.yaml", &diags);
  EXPECT_NE(diags.ToStatus().message().find("\"postgresql.parameters.port\" is set by pgha-chaos"), std::string::npos)
      << diags.ToStatus().message();
}

TEST(HostileInput, AnOverlayWhoseSectionsAreScalarsIsRefusedNotACrash) {
  for (const char* text : {"bootstrap: 5\n", "bootstrap:\n  dcs: [1, 2]\n"}) {
    Diagnostics diags;
    auto root = LoadYamlString(text, "overlay.yaml", &diags);
    ASSERT_TRUE(root.has_value());
    CheckPatroniOverlay(*root, "overlay.yaml", &diags);
    PatroniSettings p;
    ReadOverlaySettings(*root, "overlay.yaml", &p, &diags);
    EXPECT_NE(diags.ToStatus().message().find("is a mapping of settings in patroni.yml"), std::string::npos) << text;
  }
}

TEST(HostileInput, LintTellsFormatsByStructureAndRefusesWhatItDoesNotRead) {
  TempDir t;
  // The seed-001 topology mentions advert_int: it is a topology all the same.
  auto seed = ReadLintInputs({kHostileInputFixtures + "/topologies/seed-001-haproxy-vip.yaml"}, kHostileInputFixtures);
  ASSERT_TRUE(seed.ok()) << seed.status().message();
  EXPECT_EQ(seed->read[0].rfind("topology ", 0), 0u) << seed->read[0];
  const std::string cfg =
      t.Write("haproxy.cfg", "listen primary\n  server pg1 10.0.0.1:5432 check inter 99999999999999\n");
  auto huge = ReadLintInputs({cfg}, kHostileInputFixtures);
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.status().message().find("is not an HAProxy time"), std::string::npos);
  const std::string watchdog = t.Write("patroni.yml", "scope: x\nwatchdog: required\n");
  auto scalar = ReadLintInputs({watchdog}, kHostileInputFixtures);
  ASSERT_FALSE(scalar.ok());
  EXPECT_NE(scalar.status().message().find("patroni.yml:2: watchdog is a map"), std::string::npos);
  auto suite = ReadLintInputs({PGHA_SOURCE_DIR "/scenarios/suites/ci-gate.yaml"}, kHostileInputFixtures);
  ASSERT_FALSE(suite.ok());
  EXPECT_NE(suite.status().message().find("a suite; lint reads one scenario or topology"), std::string::npos);
  const std::string other = t.Write("inventory.yml", "all:\n  hosts:\n    pg1: {}\n");
  auto inventory = ReadLintInputs({other}, kHostileInputFixtures);
  ASSERT_FALSE(inventory.ok());
  EXPECT_NE(inventory.status().message().find("not a file lint reads"), std::string::npos);
}

// The message ParseScenario gives `text` ("" when it loads).
std::string Refusal(const std::string& text) {
  auto s = ParseScenario(text, "meaning.yaml", kHostileInputFixtures);
  return s.ok() ? "" : s.status().message();
}

TEST(HostileInput, ScenarioLogicThatCannotMeanAnythingIsRefusedAtItsLine) {
  const std::string kill = "  - fault: kill\n    target: primary\n    processes: [postgres]\n";
  EXPECT_NE(Refusal("name: x\nrun_timeout: 0s\nsteps: [{hold: 1s}]\n")
                .find("meaning.yaml:2:14: run_timeout must be "
                      "longer than 0s"),
            std::string::npos);
  EXPECT_NE(Refusal("name: x\nrun_timeout: 10s\nsteps: [{hold: 6s}, {hold: 6s}]\n")
                .find("run_timeout 10s is not longer than the steps' own holds (12s)"),
            std::string::npos);
  EXPECT_NE(Refusal("name: x\nworkload: {op_timeout: 0s}\nsteps: [{hold: 1s}]\n").find("op_timeout must be longer"),
            std::string::npos);
  EXPECT_NE(Refusal("name: x\nworkload: {writers: 0}\nsteps:\n" + kill + "expect:\n  lost_writes: 0\n")
                .find("meaning.yaml:8:1: expect.lost_writes is measured from the workload's writes"),
            std::string::npos);
  EXPECT_NE(Refusal("name: x\nsteps:\n  - fault: kill\n    target: primary\n    processes: []\n")
                .find("meaning.yaml:5:16: processes is empty"),
            std::string::npos);
  EXPECT_NE(Refusal("name: x\nsteps:\n  - fault: partition\n    groups: [[node1, node2], [node2, node3]]\n")
                .find("node2 is in two partition groups"),
            std::string::npos);
  EXPECT_NE(Refusal("name: x\nsteps:\n  - fault: one_way\n    target: node1\n    to: node1\n").find("to itself"),
            std::string::npos);
  // A rate over more runs than the scenario makes is a warning that says how to make them.
  auto rate = ParseScenario("name: x\nsteps:\n" + kill + "expect:\n  lost_writes: \"0 in 9 of 10\"\n", "r.yaml",
                            kHostileInputFixtures);
  ASSERT_TRUE(rate.ok()) << rate.status().message();
  ASSERT_EQ(rate->warnings.size(), 1u);
  EXPECT_NE(rate->warnings[0].find("judges 10 runs and the scenario makes 1: run it with --trials 10"),
            std::string::npos);
  EXPECT_EQ(Refusal("name: x\nsteps:\n" + kill), "");
}

TEST(HostileInput, AScenarioWhoseEveryTargetWasSkippedIsHeadedSkippedNotPass) {
  ScenarioResult r;
  Verdict skipped;
  skipped.status = VerdictStatus::kSkipped;
  r.verdicts = {skipped, skipped};
  EXPECT_EQ(r.ExitCode(), 0);
  EXPECT_TRUE(r.Skipped());
  Verdict pass;
  pass.status = VerdictStatus::kPass;
  r.verdicts.push_back(pass);
  EXPECT_FALSE(r.Skipped());
  r.verdicts.clear();
  EXPECT_FALSE(r.Skipped()) << "no target at all is not a skip";
}

TEST(HostileInput, ControlAndBidiCharactersArePrintedEscaped) {
  EXPECT_EQ(EscapeForTerminal("a\x1b[2Jb\nc\x7f"), "a\\x1B[2Jb\nc\\x7F");
  EXPECT_EQ(EscapeForTerminal("x\xe2\x80\xaey\xe2\x81\xa6z"), "x\\u{202E}y\\u{2066}z");
  EXPECT_EQ(EscapeForTerminal("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(Shorten(std::string(50, 'a')), std::string(50, 'a'));
  const std::string shortened = Shorten(std::string(100, 'a'));
  EXPECT_EQ(shortened.substr(0, 40), std::string(40, 'a'));
  EXPECT_EQ(shortened.substr(40), "... (100 characters)");
}

}  // namespace
}  // namespace pgha

namespace pgha {
namespace {

TEST(HostileInput, HostStepAndScenarioListsAreBoundedWithAMessage) {
  TempDir dir;
  std::string hosts = "name: many\nhosts:\n";
  for (int i = 0; i < 65; ++i) hosts += "  - {name: h" + std::to_string(i) + ", roles: [etcd, patroni]}\n";
  auto topology = LoadTopology(dir.Write("many.yaml", hosts));
  ASSERT_FALSE(topology.ok());
  EXPECT_NE(topology.status().message().find("65 hosts: a topology has at most 64"), std::string::npos)
      << topology.status().message();
  std::string steps = "name: long\nsteps:\n";
  for (int i = 0; i < 1001; ++i) steps += "  - hold: 1s\n";
  const std::string long_scenario = Refusal(steps);
  EXPECT_NE(long_scenario.find("1001 steps: a scenario has at most 1000"), std::string::npos) << long_scenario;
  std::string suite = "name: wide\nscenarios:\n";
  for (int i = 0; i < 1001; ++i) suite += "  - ../primary-kill.yaml\n";
  auto wide = LoadSuite(dir.Write("wide.yaml", suite), kHostileInputFixtures);
  ASSERT_FALSE(wide.ok());
  EXPECT_NE(wide.status().message().find("1001 scenarios: a suite has at most 1000"), std::string::npos)
      << wide.status().message();
}

}  // namespace
}  // namespace pgha

namespace pgha {
namespace {

// A template must be a config of its service (a secret file of the machine
// would otherwise be copied to the cluster's hosts as haproxy.cfg), and an
// overlay judged alone must still let pgha-chaos in (on the default subnet).
TEST(HostileInput, ATemplateOfAnotherKindAndAnOverlayThatShutsUsOutAreRefused) {
  TempDir t;
  const std::string secret = t.Write("secret.txt", "root:$6$abc:19000:0:99999:7:::\n");
  const std::string topo = t.Write("topo.yaml",
                                   "name: t\nhosts:\n  - {name: node1, roles: [etcd, patroni, haproxy]}\n"
                                   "templates: {haproxy: secret.txt}\n");
  auto loaded = LoadTopology(topo);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("topo.yaml:4:22: templates.haproxy: " + secret +
                                           " is not a haproxy config (told by its first section)"),
            std::string::npos)
      << loaded.status().message();
  const std::string overlay = t.Write("overlay.yml", "postgresql:\n  pg_hba:\n    - host all all 0.0.0.0/0 reject\n");
  const FileVerdict v = ValidateFile(overlay, kHostileInputFixtures, [](const std::string&) { return ""; });
  EXPECT_EQ(v.kind, "patroni overlay");
  EXPECT_NE(v.error.find("overlay.yml:3: postgresql.pg_hba shuts pgha-chaos out"), std::string::npos) << v.error;
  const std::string fine = t.Write("fine.yml",
                                   "postgresql:\n  pg_hba:\n    - host all all 0.0.0.0/0 scram-sha-256\n"
                                   "    - host replication replicator 0.0.0.0/0 scram-sha-256\n");
  EXPECT_EQ(ValidateFile(fine, kHostileInputFixtures).error, "");
}

}  // namespace
}  // namespace pgha
