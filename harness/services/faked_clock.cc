#include "services/faked_clock.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "core/files.h"
#include "core/shared_objects.h"
#include "core/text.h"

namespace pgha {
namespace fs = std::filesystem;
namespace {

bool Faked(const ClusterPlan& plan, const std::string& process) {
  return std::count(plan.faked_clocks.begin(), plan.faked_clocks.end(), process) > 0;
}

// The programs libfaketime fakes in a daemon's process tree (their __progname).
std::vector<std::string> FakedCommands(const ClusterPlan& plan, const std::string& kind) {
  std::vector<std::string> commands;
  if (kind == "patroni") {
    if (Faked(plan, "patroni")) commands.push_back("python3");
    if (Faked(plan, "postgres")) commands.push_back("postgres");
  } else if (Faked(plan, kind)) {
    commands.push_back(kind);
  }
  return commands;
}

// "/pgha-<run>-<host>-<kind>": the daemon's shared objects (core/shared_objects.h).
std::string SharedObjectsName(const ClusterPlan& plan, const HostPlan& host, const std::string& kind) {
  return fmt::format("/pgha-{}-{}-{}", plan.run_id, host.name, kind);
}

}  // namespace

const std::vector<std::string>& FakeableClocks() {
  static const std::vector<std::string> kProcesses = {"patroni", "postgres", "haproxy", "pgbouncer"};
  return kProcesses;
}

std::string WhyClockNotFakeable(const std::string& process) {
  if (process == "etcd")
    return "etcd is a Go program: it reads the clock through its own system calls, which libfaketime cannot "
           "intercept";
  if (std::count(FakeableClocks().begin(), FakeableClocks().end(), process)) return "";
  return fmt::format("the clock of {} cannot be faked; only {} can", process, Join(FakeableClocks()));
}

std::string ClockFilePath(const HostPlan& host, const std::string& process) {
  return fmt::format("{}/clock-{}.faketime", host.dir, process == "postgres" ? "patroni" : process);
}

std::string ClockShimPath() {
  const fs::path self = fs::path(ThisProgram()).parent_path();
  // Beside the program (a build), its parent (the tests' folder), or where `cmake --install` puts it.
  for (const fs::path& dir : {self, self.parent_path(), self.parent_path() / "libexec" / "pgha-chaos"}) {
    std::error_code ec;
    if (fs::exists(dir / "libpgha-clock-shim.so", ec)) return (dir / "libpgha-clock-shim.so").string();
  }
  return "";
}

DaemonLaunch WithFakedClock(const ClusterPlan& plan, const HostPlan& host, const std::string& kind,
                            DaemonLaunch launch) {
  const auto commands = FakedCommands(plan, kind);
  const std::string shim = ClockShimPath();
  if (commands.empty() || shim.empty()) return launch;  // no shim: the clock fault says so and is skipped
  std::vector<std::string> argv = {"/usr/bin/env",
                                   "LD_PRELOAD=" + shim + " " + kLibfaketime,
                                   "FAKETIME_TIMESTAMP_FILE=" + ClockFilePath(host, kind),
                                   "FAKETIME_SHARED=" + SharedObjectsEnv(SharedObjectsName(plan, host, kind)),
                                   "FAKETIME_CACHE_DURATION=1",
                                   "DONT_FAKE_MONOTONIC=1",
                                   "NO_FAKE_STAT=1",
                                   "FAKETIME_ONLY_CMDS=" + Join(commands, ",")};
  argv.insert(argv.end(), launch.argv.begin(), launch.argv.end());
  launch.argv = std::move(argv);
  return launch;
}

Status PrepareFakedClock(HostFiles& files, const ClusterPlan& plan, const HostPlan& host, const std::string& kind,
                         const std::string& user, Manifest& m) {
  if (FakedCommands(plan, kind).empty()) return Status::Ok();
  const std::string name = SharedObjectsName(plan, host, kind);
  auto id = m.Record(Resource::Of(kSharedObjectsResource, name, host.scope));
  if (!id.ok()) return id.status();
  if (Status s = CreateSharedObjects(name, user); !s.ok()) return s;
  if (Status s = m.MarkCreated(*id); !s.ok()) return s;
  return files.WriteFile(host, {ClockFilePath(host, kind), "+0\n", 0644, ""});
}

std::vector<RequiredProgram> WithClockPrograms(const ClusterPlan& plan, std::vector<RequiredProgram> programs) {
  if (plan.faked_clocks.empty()) return programs;
  programs.push_back({kLibfaketime, "libfaketime"});
  return programs;
}

}  // namespace pgha
