#include "core/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <fstream>
#include <future>
#include <sstream>

namespace pgha {
namespace bp = boost::process;

namespace {

// Every descriptor above stderr closes at exec. Boost.Process makes its
// pipes without O_CLOEXEC, so a child forked by one thread would otherwise
// keep another thread's command pipe open: seen with run --jobs, where a
// daemon started by one job held the stdout of the other job's `ip`, whose
// read then waited out its 10 s timeout. Boost's own exec-error pipe is
// close-on-exec already.
void CloseOnExecAboveStderr() {
  if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
  struct rlimit limit {};
  const rlim_t top = getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY
                         ? std::min<rlim_t>(limit.rlim_cur, 1 << 20)
                         : 4096;
  for (int fd = 3; fd < static_cast<int>(top); ++fd) fcntl(fd, F_SETFD, FD_CLOEXEC);
}

// Runs in the forked child before exec: only async-signal-safe calls.
// An ignored signal survives exec; daemons get the default SIGPIPE and an
// empty signal mask, as if started by init.
void ResetSignals(bool new_session) {
  CloseOnExecAboveStderr();
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigaction(SIGPIPE, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  if (new_session) setsid();
}

std::string ResolveProgram(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  auto found = bp::search_path(name);
  return found.empty() ? name : found.string();
}

}  // namespace

Result<CommandResult> BoostProcessRunner::Run(const CommandSpec& spec) {
  if (spec.argv.empty()) return InvalidInput("empty command");
  std::vector<std::string> args(spec.argv.begin() + 1, spec.argv.end());
  CommandResult result;
  try {
    boost::asio::io_context ios;
    std::future<std::string> out, err;
    bp::child child(
        ResolveProgram(spec.argv[0]), args, bp::std_in.close(), bp::std_out > out, bp::std_err > err, ios,
        bp::extend::on_exec_setup = [](auto&) { ResetSignals(false); });
    ios.run_for(spec.timeout);
    if (!ios.stopped()) {
      result.timed_out = true;
      std::error_code ec;
      child.terminate(ec);
      ios.restart();
      ios.run_for(std::chrono::seconds(2));
    }
    child.wait();
    result.exit_code = result.timed_out ? -1 : child.exit_code();
    if (out.valid() && out.wait_for(std::chrono::seconds(0)) == std::future_status::ready) result.out = out.get();
    if (err.valid() && err.wait_for(std::chrono::seconds(0)) == std::future_status::ready) result.err = err.get();
  } catch (const std::exception& e) {
    return Failed("cannot run " + spec.argv[0] + ": " + e.what());
  }
  return result;
}

Result<int> BoostProcessRunner::Spawn(const DaemonSpec& spec) {
  if (spec.argv.empty() || spec.argv[0].empty() || spec.argv[0][0] != '/')
    return InvalidInput("daemon program must be an absolute path");
  std::vector<std::string> args(spec.argv.begin() + 1, spec.argv.end());
  bp::environment env;
  for (const auto& [k, v] : spec.env) env[k] = v;
  try {
    // Open the log ourselves so it is appended to and owned by root.
    int log_fd = open(spec.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) return Failed("cannot open log file " + spec.log_path);
    FILE* log = fdopen(log_fd, "a");
    bp::child child(
        spec.argv[0], args, env, bp::std_in.close(), bp::std_out > log, bp::std_err > log,
        bp::start_dir = spec.working_dir.empty() ? std::string("/") : spec.working_dir,
        bp::extend::on_exec_setup = [](auto&) { ResetSignals(true); });
    fclose(log);
    int pid = child.id();
    child.detach();
    return pid;
  } catch (const std::exception& e) {
    return Failed("cannot start " + spec.argv[0] + ": " + e.what());
  }
}

std::optional<ProcStat> ParseProcStat(const std::string& text) {
  // pid (comm) state ppid ... ; comm may contain ')' so find the last one.
  auto close_paren = text.rfind(')');
  if (close_paren == std::string::npos || close_paren + 2 >= text.size()) return std::nullopt;
  std::istringstream rest(text.substr(close_paren + 2));
  ProcStat st;
  rest >> st.state >> st.ppid;
  std::string field;
  // After state (3) and ppid (4) come fields 5..21; start_time is field 22.
  for (int i = 5; i <= 21; ++i) rest >> field;
  if (!(rest >> st.start_time)) return std::nullopt;
  return st;
}

std::optional<ProcStat> LinuxProcessTable::Stat(int pid) {
  if (pid <= 0) return std::nullopt;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  if (!in) return std::nullopt;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return ParseProcStat(text);
}

bool LinuxProcessTable::Signal(int pid, int signal_number) {
  if (pid <= 1) return false;  // never signal init or a process group by accident
  return kill(pid, signal_number) == 0;
}

void LinuxProcessTable::Reap(int pid) {
  if (pid > 0) waitpid(pid, nullptr, WNOHANG);
}

bool IsSameLiveProcess(ProcessTable& table, int pid, std::optional<uint64_t> start_time) {
  auto st = table.Stat(pid);
  if (!st || st->state == 'Z' || st->state == 'X') return false;
  return !start_time || st->start_time == *start_time;
}

}  // namespace pgha
