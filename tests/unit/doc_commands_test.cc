// Every pgha-chaos command line shown in the README and docs/ exists: its
// subcommand is a row of the table and each of its --options is one that
// subcommand (or the program) takes, checked against the parser itself.
// The man page and the bash completion come from that parser too.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "app/cli.h"
#include "app/cli_docs.h"
#include "core/files.h"
#include "core/process.h"
#include "core/text.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;

struct ShownCommand {
  std::string where;  // file:line
  std::vector<std::string> words;
};

// Lines of fenced code blocks that run pgha-chaos ("build/pgha-chaos ...",
// "sudo pgha-chaos ...", "$ pgha-chaos ..."), continuations joined, the
// comment and anything after a pipe or && left out.
std::vector<ShownCommand> CommandsIn(const std::string& file) {
  std::vector<ShownCommand> out;
  static const std::regex kProgram(
      R"(^\s*(-\s+)?(\$\s+)?(sudo\s+)?([A-Z_]+=\S*\s+)*(\./)?(build/|/usr/bin/|/usr/local/bin/)?pgha-chaos\s+(.*)$)");
  bool fenced = false;
  int number = 0;
  std::string pending;
  for (const std::string& raw : Split(*ReadTextFile(file), '\n')) {
    ++number;
    if (raw.rfind("```", 0) == 0 || Trim(raw).rfind("```", 0) == 0) {
      fenced = !fenced;
      continue;
    }
    if (!fenced) continue;
    std::string line = pending + raw;
    pending.clear();
    if (!line.empty() && line.back() == '\\') {
      pending = line.substr(0, line.size() - 1) + " ";
      continue;
    }
    for (const char* cut : {" #", " | ", " && ", " || ", " >", " 2>", ";"})
      if (auto at = line.find(cut); at != std::string::npos) line = line.substr(0, at);
    std::smatch m;
    if (!std::regex_search(line, m, kProgram)) continue;
    ShownCommand c{file + ":" + std::to_string(number), {}};
    for (const auto& w : Split(m[7].str(), ' '))
      if (!w.empty()) c.words.push_back(w);
    out.push_back(c);
  }
  return out;
}

std::vector<std::string> DocFiles() {
  std::vector<std::string> files = {PGHA_SOURCE_DIR "/README.md"};
  for (const auto& e : fs::directory_iterator(PGHA_SOURCE_DIR "/docs"))
    if (e.path().extension() == ".md") files.push_back(e.path().string());
  return files;
}

bool Takes(const CLI::App& cmd, const std::string& option) {
  for (const CLI::Option* o : cmd.get_options())
    for (const auto& l : o->get_lnames())
      if ("--" + l == option) return true;
  return false;
}

// "" when the words are a command pgha-chaos takes, else why not.
std::string Check(const CLI::App& app, const std::vector<std::string>& words) {
  const CLI::App* cmd = nullptr;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (cmd == nullptr && (w == "--workdir" || w == "--fixtures")) {
      ++i;
      continue;
    }
    if (w.rfind("--", 0) == 0) {
      const std::string name = w.substr(0, w.find('='));
      if (!Takes(app, name) && (cmd == nullptr || !Takes(*cmd, name)))
        return "no option " + name + (cmd ? " in " + cmd->get_name() : "");
      continue;
    }
    if (cmd == nullptr && w.rfind("-", 0) != 0) {
      auto found =
          app.get_subcommands([&](const CLI::App* s) { return s->get_name() == w && !s->get_group().empty(); });
      if (found.empty()) return "no subcommand " + w;
      cmd = found.front();
    }
  }
  return cmd ? "" : "no subcommand";
}

TEST(DocCommands, EveryCommandLineInTheReadmeAndDocsIsOneTheProgramTakes) {
  CLI::App app;
  CommandLine c;
  DeclareCommandLine(app, c, PGHA_SOURCE_DIR);
  size_t checked = 0;
  std::string wrong;
  for (const auto& file : DocFiles())
    for (const auto& shown : CommandsIn(file)) {
      ++checked;
      if (const std::string why = Check(app, shown.words); !why.empty())
        wrong += shown.where + ": " + Join(shown.words, " ") + "\n    " + why + "\n";
    }
  EXPECT_EQ(wrong, "");
  EXPECT_GT(checked, 20u) << "the documents show commands; finding none means this test reads them wrong";
}

TEST(DocCommands, TheCheckRefusesWhatTheProgramWouldRefuse) {
  CLI::App app;
  CommandLine c;
  DeclareCommandLine(app, c, PGHA_SOURCE_DIR);
  EXPECT_EQ(Check(app, {"run", "scenarios/x.yaml", "--trials", "3", "--summary=s.md"}), "");
  EXPECT_EQ(Check(app, {"--workdir", "/tmp/w", "cleanup"}), "");
  EXPECT_EQ(Check(app, {"run", "x.yaml", "--trails", "3"}), "no option --trails in run");
  EXPECT_EQ(Check(app, {"lint", "--summary", "x"}), "no option --summary in lint");
  EXPECT_EQ(Check(app, {"rnu", "x.yaml"}), "no subcommand rnu");
  EXPECT_EQ(Check(app, {"watchdog", "--device", "x"}), "no subcommand watchdog") << "hidden helpers are not shown";
}

TEST(DocCommands, TheManPageRendersAndTheCompletionParsesBothFromTheParser) {
  CLI::App app;
  CommandLine c;
  DeclareCommandLine(app, c, PGHA_SOURCE_DIR);
  const std::string dir = (fs::temp_directory_path() / ("pgha-docs-" + RandomHex(4))).string();
  fs::create_directories(dir);
  ASSERT_TRUE(WriteFileAtomic(dir + "/pgha-chaos.1", ManPage(app, "pgha-chaos 0.1.0")).ok());
  ASSERT_TRUE(WriteFileAtomic(dir + "/completion.bash", BashCompletion(app)).ok());
  BoostProcessRunner runner;
  auto man = runner.Run(CommandSpec::Of({"/usr/bin/groff", "-man", "-Tutf8", "-ww", "-P-cbou", dir + "/pgha-chaos.1"}));
  ASSERT_TRUE(man.ok());
  EXPECT_EQ(man->err, "") << "groff's warnings";
  for (const char* shown : {"--summary", "--sarif", "check-history", "EXIT STATUS"})
    EXPECT_NE(man->out.find(shown), std::string::npos) << shown;
  EXPECT_EQ(man->out.find("packet-engine"), std::string::npos) << "hidden helpers stay out";
  // Completing "run --su" in a real bash offers run's options that start so.
  auto bash =
      runner.Run(CommandSpec::Of({"/bin/bash", "-c",
                                  "source " + dir +
                                      "/completion.bash; COMP_WORDS=(pgha-chaos run --su); COMP_CWORD=2; _pgha_chaos; "
                                      "echo \"${COMPREPLY[*]}\""}));
  ASSERT_TRUE(bash.ok());
  EXPECT_EQ(bash->out, "--suite --subnet --summary\n") << bash->err;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace pgha
