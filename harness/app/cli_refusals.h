// What the command line typed that pgha-chaos does not know: a subcommand
// or an option, refused with the closest known one (exit 2) before CLI11
// says anything less helpful. Used by cli.cc only.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <set>
#include <string>

namespace pgha {

// The first word that is neither an option nor a global option's value:
// the subcommand as typed ("" when there is none).
std::string TypedSubcommand(int argc, char** argv);
// The subcommands a user may type (not the hidden helpers).
std::set<std::string> SubcommandNames(CLI::App& app);
// The hidden helpers the harness starts on hosts (watchdog, packet-engine, tcp-probe, durable-fs).
bool IsHiddenCommand(CLI::App& app, const std::string& name);
// An unknown subcommand named, with the closest known one; exit 2.
int RefuseUnknownSubcommand(CLI::App& app, const std::string& typed);
// An option the chosen subcommand (and the program) does not take, named
// with the closest one that it does; exit 2. None such: nullopt.
std::optional<int> RefuseUnknownOption(CLI::App& app, int argc, char** argv);

}  // namespace pgha
