// The command line: the subcommands, their flags and --help (CLI11), and
// dispatch to app/commands.h. `source_dir` is where the project's
// fixtures/ and scenarios/ are by default. Returns the exit code; a flag
// the parser rejects is exit 2, --help is 0.
#pragma once

#include <string>

namespace pgha {

int RunCommandLine(int argc, char** argv, const std::string& source_dir);

}  // namespace pgha
