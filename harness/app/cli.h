// The command line: the subcommands, their flags and --help (CLI11), and
// dispatch to app/commands.h. `source_dir` is where the project's
// fixtures/ and scenarios/ are by default. Returns the exit code; a flag
// the parser rejects is exit 2, --help is 0.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "app/subcommands.h"

namespace pgha {

// The whole parser: the global options and every row of the subcommand
// table, bound to `c` (also what the documentation checks parse against).
void DeclareCommandLine(CLI::App& app, CommandLine& c, const std::string& source_dir);

int RunCommandLine(int argc, char** argv, const std::string& source_dir);

}  // namespace pgha
