#include "app/cli.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <set>
#include <system_error>

#include "app/cli_refusals.h"
#include "app/commands.h"
#include "app/subcommands.h"
#include "app/system.h"
#include "cluster/workdir.h"
#include "core/build_info.h"
#include "core/cancel.h"
#include "core/files.h"
#include "core/text.h"
#include "core/yaml_reader.h"
#include "providers/registry.h"

namespace pgha {
namespace {

// Where the fixtures and scenarios are: beside an installed program
// (<prefix>/share/pgha-chaos, cmake/install.cmake), else the source tree
// it was built from.
std::string DataFolder(const std::string& source_dir) {
  const auto installed = std::filesystem::path(ThisProgram()).parent_path().parent_path() / "share" / "pgha-chaos";
  std::error_code ec;
  return std::filesystem::is_directory(installed / "fixtures", ec) ? installed.string() : source_dir;
}

// Each row of the table a subcommand of `app`, its options declared.
void DeclareSubcommands(CLI::App& app, CommandLine& c) {
  for (const Subcommand& row : Subcommands()) {
    CLI::App* cmd = app.add_subcommand(row.name, row.help);
    if (row.hidden) cmd->group("");
    row.declare(*cmd, c);
  }
}

// The row of the subcommand that was parsed.
const Subcommand* Chosen(const CLI::App& app) {
  for (const Subcommand& row : Subcommands())
    if (app.got_subcommand(row.name)) return &row;
  return nullptr;
}

// Output that could not be written (a full disk, a closed pipe) is a
// failure, never exit 0: a CI step reading it would act on half of it.
int CheckedStdout(int code) {
  if (std::fflush(stdout) == 0 && !std::ferror(stdout)) return code;
  PrintError(fmt::format("cannot write the output: {}", std::strerror(errno)));
  return code == 0 ? 1 : code;
}

}  // namespace

void DeclareCommandLine(CLI::App& app, CommandLine& c, const std::string& source_dir) {
  app.description(
      "pgha-chaos: chaos and failover tests for PostgreSQL HA clusters (etcd + Patroni + PostgreSQL + HAProxy)");
  app.require_subcommand(1);
  c.app = &app;
  c.global.workdir = kDefaultWorkdir;
  const std::string data = DataFolder(source_dir);
  const char* env_fixtures = std::getenv("PGHA_CHAOS_FIXTURES");
  c.global.fixtures_dir = env_fixtures ? env_fixtures : data + "/fixtures";
  c.list_dir = data + "/scenarios";
  app.add_option("--workdir", c.global.workdir, "where manifests, configs, data and logs of runs live")
      ->capture_default_str();
  app.add_option("--fixtures", c.global.fixtures_dir,
                 "folder with the config templates and topologies/: $PGHA_CHAOS_FIXTURES, else "
                 "<program>/../share/pgha-chaos/fixtures when installed, else the source tree's" +
                     std::string(std::filesystem::is_directory(c.global.fixtures_dir) ? "" : " (MISSING here)"))
      ->capture_default_str();
  DeclareSubcommands(app, c);
  app.set_version_flag("--version", PghaVersionLine(), "the version and the git commit it was built from");
}

int RunCommandLine(int argc, char** argv, const std::string& source_dir) {
  CLI::App app;
  CommandLine c;
  DeclareCommandLine(app, c, source_dir);
  if (const std::string typed = TypedSubcommand(argc, argv);
      !typed.empty() && !IsHiddenCommand(app, typed) && SubcommandNames(app).count(typed) == 0)
    return RefuseUnknownSubcommand(app, typed);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // An unknown option is the cause to name, whatever CLI11 tripped over first.
    if (e.get_exit_code() != 0)
      if (auto code = RefuseUnknownOption(app, argc, argv)) return *code;
    app.exit(e);  // prints help, the version or the parse error
    return e.get_exit_code() == 0 ? 0 : 2;
  }
  const Subcommand* chosen = Chosen(app);
  if (chosen == nullptr) return 2;
  if (chosen->reads_files_only) ExitAtOnceOnCancelSignals();
  // The last guard: whatever still escapes is our bug, said in one line (exit 3), never `terminate`.
  int code = 3;
  try {
    code = chosen->run(c);
  } catch (const std::system_error& e) {
    // Standard output failed under us (`| head`, a full disk): said once by CheckedStdout, not as our bug.
    if (!std::ferror(stdout))
      PrintError(fmt::format("internal error (a bug in pgha-chaos; please report it with the command line): {}",
                             Shorten(e.what())));
    code = 1;
  } catch (const std::exception& e) {
    PrintError(fmt::format("internal error (a bug in pgha-chaos; please report it with the command line): {}",
                           Shorten(e.what())));
  } catch (...) {
    PrintError("internal error (a bug in pgha-chaos; please report it with the command line)");
  }
  return CheckedStdout(code);
}

}  // namespace pgha
