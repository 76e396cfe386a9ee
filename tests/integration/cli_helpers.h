// Helpers for integration tests: run the real pgha-chaos binary as a user
// would, and look for anything of ours left on the machine.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/process.h"

namespace pgha::itest {

// Everything integration tests create lives below this workdir and on this
// subnet, so leftovers can be told apart from anything else on the machine.
inline const std::string kWorkdir = "/var/lib/pgha-chaos-itest";
inline const std::string kSubnet = "10.213.7.0/24";

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline CliRun Cli(std::vector<std::string> args, std::chrono::seconds timeout = std::chrono::seconds(180)) {
  BoostProcessRunner runner;
  std::vector<std::string> argv{PGHA_BINARY, "--workdir", kWorkdir};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = runner.Run(CommandSpec::Of(argv, timeout));
  if (!r.ok()) return CliRun{-1, "", r.status().message()};
  return CliRun{r->timed_out ? -2 : r->exit_code, r->out, r->err};
}

// Starts pgha-chaos in the background (output to `log`); returns its pid.
inline pid_t CliInBackground(std::vector<std::string> args, const std::string& log) {
  // Remove the old log here, before the child exists: a test polling it must
  // never read an earlier run's lines.
  std::filesystem::remove(log);
  std::vector<std::string> argv{PGHA_BINARY, "--workdir", kWorkdir};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_t pid = fork();
  if (pid == 0) {
    FILE* f = fopen(log.c_str(), "w");
    if (f) {
      dup2(fileno(f), 1);
      dup2(fileno(f), 2);
    }
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    execv(cargv[0], cargv.data());
    _exit(127);
  }
  return pid;
}

// Waits for our child to exit; returns its exit code (128+signal when
// killed) or nullopt at the deadline.
inline std::optional<int> WaitChild(pid_t pid, std::chrono::seconds deadline) {
  auto end = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < end) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    usleep(50 * 1000);
  }
  return std::nullopt;
}

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

// Polls `log` every 10 ms until it holds `line`; false at the deadline, or
// as soon as process `pid` (when given) is gone.
inline bool WaitForLine(const std::string& log, const std::string& line, std::chrono::seconds deadline, pid_t pid = 0) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < end) {
    if (ReadAll(log).find(line) != std::string::npos) return true;
    if (pid > 0 && kill(pid, 0) != 0) return false;
    usleep(10 * 1000);
  }
  return false;
}

// The run ids of a workdir's manifests.
inline std::vector<std::string> RunsOf(const std::string& workdir) {
  std::vector<std::string> ids;
  std::error_code ec;
  for (const auto& m : std::filesystem::directory_iterator(workdir + "/manifests", ec))
    if (m.path().extension() == ".json") ids.push_back(m.path().stem().string());
  return ids;
}

// The runs of other workdirs (/var/lib/pgha-chaos*, not kWorkdir): a
// cluster a person has up beside the tests (`pgha-chaos up`), which the
// tests must leave alone and not count as their own.
inline std::vector<std::string> ForeignRuns() {
  std::vector<std::string> ids;
  std::error_code ec;
  for (const auto& dir : std::filesystem::directory_iterator("/var/lib", ec)) {
    const std::string name = dir.path().filename().string();
    if (name.rfind("pgha-chaos", 0) != 0 || dir.path().string() == kWorkdir) continue;
    for (const auto& id : RunsOf(dir.path().string())) ids.push_back(id);
  }
  return ids;
}

// Everything of ours still on the machine: namespaces and links named pgc*,
// live processes whose command line or working folder is below kWorkdir or
// that live in a container's cgroup, cgroups named pgha-*, mounts below
// kWorkdir or of our namespaces; not what belongs to another workdir's run
// (ForeignRuns). Empty means clean.
inline std::vector<std::string> OursAndForeign();
inline std::vector<std::string> Leftovers() {
  std::vector<std::string> found = OursAndForeign();
  const std::vector<std::string> foreign = ForeignRuns();
  std::erase_if(found, [&](const std::string& item) {
    for (const auto& id : foreign)
      if (item.find(id) != std::string::npos) return true;
    return false;
  });
  return found;
}

inline std::vector<std::string> OursAndForeign() {
  namespace fs = std::filesystem;
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/run/netns", ec))
    if (e.path().filename().string().rfind("pgc", 0) == 0) found.push_back("netns " + e.path().filename().string());
  for (const auto& e : fs::directory_iterator("/sys/class/net", ec))
    if (e.path().filename().string().rfind("pgc", 0) == 0) found.push_back("link " + e.path().filename().string());
  for (const auto& e : fs::directory_iterator("/proc", ec)) {
    const std::string pid = e.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string stat = ReadAll("/proc/" + pid + "/stat");
    auto close = stat.rfind(')');
    if (close == std::string::npos || close + 2 >= stat.size() || stat[close + 2] == 'Z') continue;
    std::string cmdline = ReadAll("/proc/" + pid + "/cmdline");
    std::string cwd = fs::read_symlink("/proc/" + pid + "/cwd", ec).string();
    if (cmdline.find(kWorkdir + "/") != std::string::npos || cwd.rfind(kWorkdir + "/", 0) == 0)
      found.push_back("process " + pid + " " + cmdline.substr(0, cmdline.find('\0')));
    else if (ReadAll("/proc/" + pid + "/cgroup").find("/pgha-pgc") != std::string::npos)
      found.push_back("container process " + pid + " " + cmdline.substr(0, cmdline.find('\0')));
  }
  for (const char* hierarchy : {"unified", "systemd", "freezer"})
    for (const auto& e : fs::directory_iterator(std::string("/sys/fs/cgroup/") + hierarchy, ec))
      if (e.path().filename().string().rfind("pgha-", 0) == 0) found.push_back("cgroup " + e.path().string());
  // Limit groups (cpu_throttle, memory_pressure) sit below the group their processes were in.
  for (const char* hierarchy : {"cpu", "cpuacct", "memory"}) {
    fs::recursive_directory_iterator it(std::string("/sys/fs/cgroup/") + hierarchy, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      if (it.depth() > 4) it.disable_recursion_pending();
      if (it->path().filename().string().rfind("pgha-limit-", 0) == 0) found.push_back("cgroup " + it->path().string());
    }
  }
  // Loop devices over a file of ours (io_throttle's volumes).
  for (const auto& e : fs::directory_iterator("/sys/block", ec)) {
    const std::string backing = ReadAll(e.path().string() + "/loop/backing_file");
    if (backing.find(kWorkdir + "/") != std::string::npos) found.push_back("loop device " + e.path().string());
  }
  // The clock preload's shared objects: ours ("pgha-<run>-<host>-<kind>-shm", "sem.pgha-...-sem"), or
  // libfaketime's own had it made any ("faketime_shm_<pid>", "sem.faketime_sem_<pid>").
  for (const auto& e : fs::directory_iterator("/dev/shm", ec)) {
    const std::string name = e.path().filename().string();
    const bool ours =
        (name.rfind("pgha-", 0) == 0 || name.rfind("sem.pgha-", 0) == 0) &&
        (name.size() > 4 && (name.substr(name.size() - 4) == "-shm" || name.substr(name.size() - 4) == "-sem"));
    if (ours || name.find("faketime_") != std::string::npos) found.push_back("shared object " + e.path().string());
  }
  std::ifstream mounts("/proc/mounts");
  std::string line;
  while (std::getline(mounts, line))
    if (line.find(kWorkdir + "/") != std::string::npos || line.find("/run/netns/pgc") != std::string::npos ||
        line.find("fuse.pgha-durable") != std::string::npos)
      found.push_back("mount " + line);
  return found;
}

inline std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + "\n";
  return s;
}

// A test that needs root and a clean machine, writes its results below
// `out`, and cleans up after itself if it left anything (so one failure
// does not cascade).
class CleanMachineTest : public ::testing::Test {
 protected:
  explicit CleanMachineTest(std::string out) : out_(std::move(out)) {}
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "integration tests need root (network namespaces)";
    ASSERT_EQ(Join(Leftovers()), "") << "the machine was not clean before the test";
    std::filesystem::remove_all(out_);
  }
  void TearDown() override {
    if (geteuid() == 0 && !Leftovers().empty()) Cli({"cleanup"});
  }
  std::string out_;
};

}  // namespace pgha::itest
