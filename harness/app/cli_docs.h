// The manual page (roff, man(7)) and the bash completion script, both
// generated from the parser itself: the subcommands of the table
// (app/subcommands.h) with their help, and every option with its
// description, as CLI11 holds them. Hidden helpers are left out. So the
// documentation of the command line cannot drift from the command line.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace pgha {

std::string BashCompletion(const CLI::App& app);
std::string ManPage(const CLI::App& app, const std::string& version);

// Print them to standard output; exit 0.
int PrintCompletion(const CLI::App& app);
int PrintManPage(const CLI::App& app);

}  // namespace pgha
