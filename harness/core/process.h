// ProcessRunner and ProcessTable: every process the harness starts, signals
// or inspects on this machine goes through these two interfaces (after
// ninja's CommandRunner), so providers are tested with fakes
// (tests/fakes/fakes.h) and no root. They know nothing of hosts: where a
// command runs is a provider's business (a provider wraps argv, e.g. with
// nsenter, or sends it over ssh).
//
// ProcessRunner::Run runs a short command to completion under a deadline
// and returns its exit code and output; a command still running at the
// deadline is killed and reported as timed out (a Result, not an error).
// ProcessRunner::Spawn starts a long-lived daemon in its own session with
// stdout and stderr appended to a log file; it returns the pid at once.
// ProcessTable reads /proc: whether a pid is alive (start time guards
// against pid reuse), and sends signals.
// Thread-safety: the real implementations hold no state; calls from
// several threads are fine.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace pgha {

struct CommandSpec {
  std::vector<std::string> argv;  // argv[0]: absolute path or a name on PATH
  Duration timeout = std::chrono::seconds(10);

  static CommandSpec Of(std::vector<std::string> argv, Duration timeout = std::chrono::seconds(10)) {
    CommandSpec c;
    c.argv = std::move(argv);
    c.timeout = timeout;
    return c;
  }
};

struct CommandResult {
  int exit_code = -1;
  bool timed_out = false;
  std::string out;
  std::string err;
  bool Succeeded() const { return !timed_out && exit_code == 0; }
};

struct DaemonSpec {
  std::vector<std::string> argv;           // argv[0] must be an absolute path
  std::string log_path;                    // stdout and stderr, appended
  std::string working_dir;                 // empty: "/"
  std::map<std::string, std::string> env;  // the whole environment
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  virtual Result<CommandResult> Run(const CommandSpec& spec) = 0;
  virtual Result<int> Spawn(const DaemonSpec& spec) = 0;
};

struct ProcStat {
  char state = '?';  // R, S, D, T, Z, ...
  int ppid = 0;
  uint64_t start_time = 0;  // clock ticks since boot (field 22 of /proc/pid/stat)
};

class ProcessTable {
 public:
  virtual ~ProcessTable() = default;
  // nullopt when the pid does not exist.
  virtual std::optional<ProcStat> Stat(int pid) = 0;
  // false when the pid does not exist (ESRCH) or cannot be signalled.
  virtual bool Signal(int pid, int signal_number) = 0;
  // Collects the exit status of our own child if it has exited (no zombie
  // left); harmless for pids that are not our children.
  virtual void Reap(int pid) = 0;
};

// True when the pid exists, is not a zombie and, if start_time is given,
// is the same process that was recorded.
bool IsSameLiveProcess(ProcessTable& table, int pid, std::optional<uint64_t> start_time);

class BoostProcessRunner : public ProcessRunner {
 public:
  Result<CommandResult> Run(const CommandSpec& spec) override;
  Result<int> Spawn(const DaemonSpec& spec) override;
};

class LinuxProcessTable : public ProcessTable {
 public:
  std::optional<ProcStat> Stat(int pid) override;
  bool Signal(int pid, int signal_number) override;
  void Reap(int pid) override;
};

// Parses the contents of /proc/<pid>/stat (pure; the comm field may hold
// spaces and parentheses).
std::optional<ProcStat> ParseProcStat(const std::string& text);

}  // namespace pgha
