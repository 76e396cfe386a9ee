#include "cluster/teardown.h"

#include <fmt/format.h>
#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <set>

namespace pgha {
namespace fs = std::filesystem;

bool IsAlreadyGone(const CommandResult& r) {
  const std::string& e = r.err;
  return e.find("Cannot find device") != std::string::npos || e.find("No such file") != std::string::npos ||
         e.find("does not exist") != std::string::npos || e.find("not mounted") != std::string::npos ||
         e.find("Bad rule") != std::string::npos || e.find("no target") != std::string::npos;
}

namespace {

std::string RemoveWith(ProcessRunner& runner, CommandSpec spec) {
  auto r = runner.Run(spec);
  if (!r.ok()) return r.status().message();
  if (r->Succeeded() || IsAlreadyGone(*r)) return "";
  std::string cmd;
  for (const auto& a : spec.argv) cmd += (cmd.empty() ? "" : " ") + a;
  return fmt::format("`{}` failed: {}", cmd, r->timed_out ? "timed out" : r->err);
}

bool UnderRoot(const std::string& path, const std::string& root) {
  if (root.empty() || path.size() <= root.size() + 1) return false;
  return path.compare(0, root.size(), root) == 0 && path[root.size()] == '/' && path.find("/../") == std::string::npos;
}

}  // namespace

TeardownReport Teardown(Manifest& manifest, ProcessRunner& runner, ProcessTable& table, Clock& clock,
                        const TeardownOptions& options) {
  TeardownReport report;
  auto resources = manifest.Snapshot();

  // 1. Processes: recorded pids, then anything inside our namespaces.
  std::set<int> killed;
  for (size_t i = resources.size(); i-- > 0;) {
    const auto& r = resources[i];
    if (r.kind != ResourceKind::kProcess || r.state == ResourceState::kRemoved || r.pid <= 0) continue;
    if (IsSameLiveProcess(table, r.pid, r.start_time) && table.Signal(r.pid, SIGKILL)) killed.insert(r.pid);
  }
  std::vector<std::string> namespaces;
  for (const auto& r : resources)
    if (r.kind == ResourceKind::kNetns && r.state != ResourceState::kRemoved) namespaces.push_back(r.name);
  auto sweep = [&]() {
    int left = 0;
    for (const auto& ns : namespaces)
      for (int pid : table.PidsInNetns(ns)) {
        auto st = table.Stat(pid);
        if (!st || st->state == 'Z') {
          table.Reap(pid);
          continue;
        }
        ++left;
        if (table.Signal(pid, SIGKILL)) killed.insert(pid);
      }
    for (int pid : killed) table.Reap(pid);
    return left;
  };
  Deadline deadline(clock, options.process_exit_deadline);
  while (sweep() > 0 && !deadline.Expired()) clock.SleepFor(std::chrono::milliseconds(20));
  // Recorded processes outside namespaces must be gone too.
  for (int pid : killed) {
    while (IsSameLiveProcess(table, pid, std::nullopt) && !deadline.Expired()) {
      table.Reap(pid);
      clock.SleepFor(std::chrono::milliseconds(20));
    }
  }
  report.processes_killed = static_cast<int>(killed.size());
  int still_running = 0;
  for (const auto& ns : namespaces) still_running += static_cast<int>(table.PidsInNetns(ns).size());
  if (still_running > 0)
    report.errors.push_back(fmt::format("{} processes still run in the run's namespaces after SIGKILL", still_running));
  for (size_t i = 0; i < resources.size(); ++i) {
    const auto& r = resources[i];
    if (r.kind != ResourceKind::kProcess || r.state == ResourceState::kRemoved) continue;
    if (r.pid > 0 && IsSameLiveProcess(table, r.pid, r.start_time)) {
      report.errors.push_back(fmt::format("process {} (pid {}) survived SIGKILL", r.name, r.pid));
      continue;
    }
    manifest.MarkRemoved(i);
    ++report.removed;
  }

  // 2. Everything else, newest first.
  for (size_t i = resources.size(); i-- > 0;) {
    const auto& r = resources[i];
    if (r.state == ResourceState::kRemoved || r.kind == ResourceKind::kProcess) continue;
    std::string error;
    switch (r.kind) {
      case ResourceKind::kMount:
        error = RemoveWith(runner, CommandSpec::Of({"umount", "-l", r.name}));
        break;
      case ResourceKind::kIptablesRule: {
        if (!r.netns.empty() && !fs::exists("/run/netns/" + r.netns)) break;  // gone with its namespace
        std::vector<std::string> argv{"iptables", "-w", "5", "-D"};
        argv.insert(argv.end(), r.args.begin(), r.args.end());
        error = RemoveWith(runner, CommandSpec::Of(argv, std::chrono::seconds(10), r.netns));
        break;
      }
      case ResourceKind::kVeth:
      case ResourceKind::kBridge:
        error = RemoveWith(runner, CommandSpec::Of({"ip", "link", "del", r.name}));
        break;
      case ResourceKind::kNetns:
        error = RemoveWith(runner, CommandSpec::Of({"ip", "netns", "del", r.name}));
        break;
      case ResourceKind::kDirectory: {
        if (!UnderRoot(r.name, options.allowed_root)) {
          error = fmt::format("refusing to remove {}: not below {}", r.name, options.allowed_root);
          break;
        }
        std::error_code ec;
        fs::remove_all(r.name, ec);
        if (ec) error = fmt::format("cannot remove {}: {}", r.name, ec.message());
        break;
      }
      case ResourceKind::kProcess:
        break;
    }
    if (error.empty()) {
      manifest.MarkRemoved(i);
      ++report.removed;
    } else {
      report.errors.push_back(fmt::format("{} {}: {}", KindName(r.kind), r.name, error));
    }
  }
  return report;
}

}  // namespace pgha
