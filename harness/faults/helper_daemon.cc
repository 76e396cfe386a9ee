#include "faults/helper_daemon.h"

#include <fmt/format.h>
#include <signal.h>

#include "core/text.h"

namespace pgha {

Status WaitReady(FaultEnv& env, const HostPlan& host, const std::string& label, const std::string& log_file) {
  Deadline deadline(env.clock, std::chrono::seconds(5));
  while (true) {
    auto log = env.provider.Files().ReadFile(host, log_file);
    const std::string text = log.ok() ? *log : "";
    if (text.rfind("ready", 0) == 0 || text.find("\nready") != std::string::npos) return Status::Ok();
    const bool alive = !LiveDaemonPids(env.manifest, label, env.provider.Shell(), host).empty();
    if (!alive || deadline.Expired())
      return Failed(fmt::format("{} {} ({}): {}", label, alive ? "was not ready within 5 s" : "exited", log_file,
                                Trim(text).substr(0, 400)));
    env.clock.SleepFor(std::chrono::milliseconds(20));
  }
}

Status StopDaemon(FaultEnv& env, const std::string& host_name, const std::string& label) {
  const HostPlan* host = env.plan.Find(host_name);
  if (!host) return Status::Ok();
  HostShell& shell = env.provider.Shell();
  for (int pid : LiveDaemonPids(env.manifest, label, shell, *host)) shell.Signal(*host, pid, SIGTERM);
  Deadline deadline(env.clock, std::chrono::seconds(3));
  while (!LiveDaemonPids(env.manifest, label, shell, *host).empty()) {
    if (deadline.Expired()) {
      for (int pid : LiveDaemonPids(env.manifest, label, shell, *host)) shell.Signal(*host, pid, SIGKILL);
      break;
    }
    env.clock.SleepFor(std::chrono::milliseconds(20));
  }
  return Status::Ok();
}

}  // namespace pgha
