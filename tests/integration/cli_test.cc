// The command line's conventions, through the real binary and no cluster:
// --version, an unknown subcommand named with a did-you-mean, validate
// telling what it is given and checking every file, a device refused,
// control characters escaped, output that cannot be written, a read-only
// results folder and a baseline that shares nothing with the run.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "cli_helpers.h"

namespace pgha {
namespace {
using namespace itest;
namespace fs = std::filesystem;

const std::string kDir = "/tmp/pgha-itest-cli";

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::remove_all(kDir);
    fs::create_directories(kDir);
  }
  void TearDown() override { fs::remove_all(kDir); }
  static std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(kDir + "/" + name) << text;
    return kDir + "/" + name;
  }
};

TEST_F(CliTest, VersionNamesTheCommitAndAnUnknownSubcommandTheClosestOne) {
  auto v = Cli({"--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_TRUE(std::regex_search(v.out, std::regex(R"(^pgha-chaos \d+\.\d+\.\d+ \(commit ([0-9a-f]{12}|unknown)\)\n$)")))
      << v.out;
  auto typo = Cli({"rnu", "scenarios/primary-kill.yaml"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_EQ(typo.err,
            "pgha-chaos: error: unknown subcommand \"rnu\" (did you mean \"run\"?); `pgha-chaos --help` lists them\n");
}

TEST_F(CliTest, ValidateTellsWhatItIsGivenAndChecksEveryFile) {
  const std::string overlay = Write("overlay.yml", "bootstrap:\n  dcs:\n    ttl: 20\n");
  const std::string tmpl = Write("haproxy.cfg.j2", "listen primary\n  bind {{bind_address}}:{{primary_port}}\n");
  const std::string plain = Write("haproxy.cfg", "listen primary\n  bind 10.0.0.1:5000\n");
  const std::string other = Write("notes.yaml", "shopping: [milk]\n");
  auto r = Cli({"validate", PGHA_SOURCE_DIR "/scenarios/primary-kill.yaml", overlay, tmpl, plain, other, "/dev/zero"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("primary-kill.yaml: ok"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("overlay.yml: ok (Patroni overlay"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("haproxy.cfg.j2: ok (haproxy template"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("haproxy.cfg: a cluster's own config, not a file validate checks: `pgha-chaos lint"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("notes.yaml: not a file pgha-chaos reads"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/dev/zero: a character device"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("pgha-chaos: error: 3 of 6 files are invalid"), std::string::npos) << r.err;
}

TEST_F(CliTest, ControlCharactersFromAFileReachTheTerminalEscaped) {
  const std::string file = Write("evil.yaml", "name: \"x\\e[2J\"\nsteps: [{hold: 1s}]\n");
  auto r = Cli({"validate", file});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\\x1B[2J"), std::string::npos) << r.err;
}

TEST_F(CliTest, OutputThatCannotBeWrittenIsAnError) {
  BoostProcessRunner runner;
  auto r = runner.Run(CommandSpec::Of(
      {"bash", "-c", std::string(PGHA_BINARY) + " list --dir " + PGHA_SOURCE_DIR "/scenarios > /dev/full"},
      std::chrono::seconds(30)));
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->exit_code, 0);
  EXPECT_NE(r->err.find("cannot write the output: No space left on device"), std::string::npos) << r->err;
}

TEST_F(CliTest, ReportRefusesAReadOnlyFolderAndCompareAFolderSharingNothing) {
  fs::copy(PGHA_SOURCE_DIR "/tests/golden/format1-run", kDir + "/run", fs::copy_options::recursive);
  fs::create_directories(kDir + "/other/elsewhere");
  fs::copy(PGHA_SOURCE_DIR "/tests/golden/format1-run/primary-kill", kDir + "/other/elsewhere",
           fs::copy_options::recursive);
  // The same run under another folder name: the two folders share no scenario.
  auto none = Cli({"compare", kDir + "/run", kDir + "/other"});
  EXPECT_EQ(none.exit_code, 2) << none.out << none.err;
  EXPECT_NE(none.err.find("share no scenario"), std::string::npos) << none.err;
  // A read-only mount is what root cannot write either.
  ASSERT_EQ(
      system(("mount --bind " + kDir + "/run " + kDir + "/run && mount -o remount,bind,ro " + kDir + "/run").c_str()),
      0);
  auto ro = Cli({"report", kDir + "/run"});
  system(("umount " + kDir + "/run").c_str());
  EXPECT_EQ(ro.exit_code, 2) << ro.err;
  EXPECT_NE(ro.err.find("report writes junit.xml and report.html into"), std::string::npos) << ro.err;
}

}  // namespace
}  // namespace pgha
