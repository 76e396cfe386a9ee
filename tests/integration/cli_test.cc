// The command line's conventions, through the real binary and no cluster:
// --version, an unknown subcommand named with a did-you-mean, validate
// telling what it is given and checking every file (standard input too),
// a device refused, control characters escaped, output that cannot be
// written, a read-only results folder and a baseline that shares nothing
// with the run.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
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
  // An unknown option of the subcommand, too; nothing starts.
  auto option = Cli({"run", PGHA_SOURCE_DIR "/scenarios/primary-kill.yaml", "--seeed", "3"});
  EXPECT_EQ(option.exit_code, 2);
  EXPECT_EQ(option.err,
            "pgha-chaos: error: unknown option \"--seeed\" (did you mean \"--seed\"?); `pgha-chaos run --help` lists "
            "them\n");
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

// `validate -` reads standard input (paths in it resolve from the current
// folder); a missing file is one invalid file, the others are still checked.
TEST_F(CliTest, ValidateReadsStandardInputAndGoesOnPastAMissingFile) {
  const std::string good = PGHA_SOURCE_DIR "/scenarios/primary-kill.yaml";
  const std::string bad = Write("bad.yaml", "name: x\ntopology: compact\nsteps:\n  - hold: -5s\n");
  BoostProcessRunner runner;
  const auto piped = [&](const std::string& file, const std::string& args) {
    auto r = runner.Run(CommandSpec::Of(
        {"/bin/sh", "-c", std::string(PGHA_BINARY) + " validate " + args + " < " + file}, std::chrono::seconds(60)));
    return r.ok() ? CliRun{r->exit_code, r->out, r->err} : CliRun{};
  };
  auto ok = piped(good, "-");
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("<stdin>: ok ("), std::string::npos) << ok.out;
  auto refused = piped(bad, "/nonexistent/a.yaml - " + good);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("/nonexistent/a.yaml: cannot read it: No such file or directory"), std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("<stdin>:4:"), std::string::npos) << refused.err;
  EXPECT_NE(refused.out.find("primary-kill.yaml: ok"), std::string::npos) << refused.out;
  EXPECT_NE(refused.err.find("2 of 3 files are invalid"), std::string::npos) << refused.err;
  EXPECT_EQ(piped(good, "- -").exit_code, 2);
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
  EXPECT_EQ(r->err.find("internal error"), std::string::npos) << "a full disk is not our bug: " << r->err;
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
  // --output writes them elsewhere, linking the read-only folder's files from there.
  auto elsewhere = Cli({"report", kDir + "/run", "--output", kDir + "/reports/today"});
  system(("umount " + kDir + "/run").c_str());
  EXPECT_EQ(ro.exit_code, 2) << ro.err;
  EXPECT_NE(ro.err.find("report writes junit.xml and report.html into"), std::string::npos) << ro.err;
  EXPECT_NE(ro.err.find("--output DIR writes them elsewhere"), std::string::npos) << ro.err;
  EXPECT_TRUE(elsewhere.exit_code == 0 || elsewhere.exit_code == 1) << elsewhere.err;
  auto in_place = Cli({"report", kDir + "/run"});
  EXPECT_EQ(in_place.exit_code, elsewhere.exit_code) << in_place.err;
  EXPECT_EQ(ReadAll(kDir + "/reports/today/junit.xml"), ReadAll(kDir + "/run/junit.xml"))
      << "the same JUnit as into the folder itself";
  EXPECT_NE(ReadAll(kDir + "/reports/today/report.html").find("href=\"../../run/primary-kill/result.json\""),
            std::string::npos);
}

TEST_F(CliTest, ValidateListAndCompareSpeakJsonForMachines) {
  using nlohmann::json;
  const std::string other = Write("notes.yaml", "shopping: [milk]\n");
  auto v = Cli({"validate", "--json", PGHA_SOURCE_DIR "/scenarios/primary-kill.yaml", other});
  EXPECT_EQ(v.exit_code, 2);
  const json files = json::parse(v.out);
  ASSERT_EQ(files["files"].size(), 2u) << v.out;
  EXPECT_EQ(files["files"][0]["kind"], "scenario");
  EXPECT_TRUE(files["files"][0]["valid"].get<bool>());
  EXPECT_NE(files["files"][0]["detail"].get<std::string>().find("topology compact"), std::string::npos);
  EXPECT_FALSE(files["files"][1]["valid"].get<bool>());
  EXPECT_NE(files["files"][1]["error"].get<std::string>().find("not a file pgha-chaos reads"), std::string::npos);
  EXPECT_EQ(files["invalid"], 1);

  auto l = Cli({"list", "--json"});
  EXPECT_EQ(l.exit_code, 0) << l.err;
  const json catalog = json::parse(l.out);
  EXPECT_GT(catalog["scenarios"].size(), 10u);
  bool gate = false;
  for (const auto& s : catalog["suites"]) gate |= s["file"] == "ci-gate.yaml" && s["scenarios"] == 12;
  EXPECT_TRUE(gate) << l.out;

  fs::copy(PGHA_SOURCE_DIR "/tests/golden/format1-run", kDir + "/run", fs::copy_options::recursive);
  auto c = Cli({"compare", "--json", kDir + "/run", kDir + "/run"});
  EXPECT_EQ(c.exit_code, 0) << c.err;
  const json compared = json::parse(c.out);
  EXPECT_EQ(compared["regressions"], 0);
  ASSERT_EQ(compared["scenarios"].size(), 1u);
  EXPECT_TRUE(compared["scenarios"][0]["in_baseline"].get<bool>());
  EXPECT_FALSE(compared["scenarios"][0]["compared"].empty());
}

// The acceptance PDF of a saved run: its pages render, its cover lists the
// SHA-256 of the results files, and --verify fails once one byte changed.
TEST_F(CliTest, TheAcceptancePdfListsTheHashesAndVerifyCatchesAChangedByte) {
  const std::string dir = kDir + "/run";
  fs::copy(PGHA_SOURCE_DIR "/tests/golden/format1-run", dir, fs::copy_options::recursive);
  auto r = Cli({"report", dir, "--pdf", dir + "/report.pdf"}, std::chrono::seconds(180));
  ASSERT_EQ(r.exit_code, 1) << "its saved history misses a target\n" << r.err;
  EXPECT_NE(r.out.find("acceptance PDF: " + dir + "/report.pdf"), std::string::npos) << r.out << r.err;
  const std::string listing = ReadAll(dir + "/evidence.sha256");
  const std::string history_hash = listing.substr(listing.find("  primary-kill/history.jsonl") - 64, 64);
  BoostProcessRunner runner;
  auto pages = runner.Run(CommandSpec::Of(
      {"/usr/bin/pdftoppm", "-r", "30", "-png", dir + "/report.pdf", kDir + "/page"}, std::chrono::seconds(60)));
  ASSERT_TRUE(pages.ok());
  EXPECT_EQ(pages->exit_code, 0) << pages->err;
  EXPECT_TRUE(fs::exists(kDir + "/page-1.png"));
  auto text = runner.Run(CommandSpec::Of({"/usr/bin/pdftotext", dir + "/report.pdf", "-"}, std::chrono::seconds(60)));
  ASSERT_TRUE(text.ok());
  std::string flat;  // the hash may be broken over lines on the page
  for (char ch : text->out)
    if (ch != '\n' && ch != ' ') flat += ch;
  EXPECT_NE(flat.find(history_hash), std::string::npos) << "the cover lists each file's hash";
  EXPECT_NE(text->out.find("Sign-off"), std::string::npos);
  EXPECT_EQ(Cli({"report", dir, "--verify"}).exit_code, 0);
  std::ofstream(dir + "/primary-kill/history.jsonl", std::ios::app) << " ";
  auto changed = Cli({"report", dir, "--verify"});
  EXPECT_EQ(changed.exit_code, 1);
  EXPECT_NE(changed.out.find("changed since it was hashed: primary-kill/history.jsonl"), std::string::npos)
      << changed.out;
}

}  // namespace
}  // namespace pgha
