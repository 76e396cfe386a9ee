// The subcommands as one table (after ninja's kTools[]): each row is a
// name, its one-line help, whether users see it, whether it only reads
// files (Ctrl-C then ends it at once), the function that declares its
// options to CLI11 and the one that runs it. A new subcommand is a new
// row; cli.cc builds the parser, --help, the man page and the bash
// completion from these rows and dispatches by them. The options of every
// subcommand live in one CommandLine, plain structs from app/commands.h.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "app/commands.h"

namespace pgha {

struct CommandLine {
  GlobalOptions global;
  UpCommandOptions up;
  ProviderChoice status;
  std::string down_provider;
  RunCommandOptions run;
  SweepCommandOptions sweep;
  std::string compare_base, compare_now, compare_tolerance;
  ReportCommandOptions report;
  MergeCommandOptions merge;
  std::vector<std::string> validate_files;
  LintCommandOptions lint;
  CheckHistoryOptions check_history;
  std::string list_dir;
  std::string docs_format;  // completion's shell, or man's
  WatchdogCommandOptions watchdog;
  PacketEngineCommandOptions engine;
  TcpProbeCommandOptions probe;
  DurableFsCommandOptions durable_fs;
  bool json = false;
  uint64_t seed = 0;
  CLI::Option* run_seed = nullptr;    // run's --seed, to tell whether it was given
  CLI::Option* sweep_seed = nullptr;  // sweep's
  CLI::App* app = nullptr;            // the whole parser (for man and completion)
};

struct Subcommand {
  const char* name;
  const char* help;
  bool hidden;            // started by the harness on hosts, not typed by users
  bool reads_files_only;  // starts nothing: Ctrl-C ends it at once (exit 130)
  void (*declare)(CLI::App& cmd, CommandLine& c);
  int (*run)(CommandLine& c);
};

const std::vector<Subcommand>& Subcommands();

// The hidden helpers' options (subcommands_hidden.cc).
void DeclareWatchdog(CLI::App& cmd, CommandLine& c);
void DeclarePacketEngine(CLI::App& cmd, CommandLine& c);
void DeclareTcpProbe(CLI::App& cmd, CommandLine& c);
void DeclareDurableFs(CLI::App& cmd, CommandLine& c);

}  // namespace pgha
