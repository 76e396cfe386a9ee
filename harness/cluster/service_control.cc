#include "cluster/service_control.h"

#include <algorithm>

#include "core/text.h"

namespace pgha {
namespace {

bool Listed(const std::vector<ProcessInfo>& live, int pid) {
  return std::any_of(live.begin(), live.end(), [&](const ProcessInfo& p) { return p.pid == pid; });
}

}  // namespace

// postmaster.pid holds the pid as the host numbers it (inside a container,
// the container's own); HostShell::FromHostPid turns it into ours.
std::vector<int> DaemonControl::PostgresPids(const HostPlan& host) {
  std::vector<int> pids;
  auto text = files_.ReadFile(host, PostgresDataDir(host) + "/postmaster.pid");
  if (!text.ok()) return pids;
  const int on_host = ParseInt(text->substr(0, text->find('\n'))).value_or(0);
  if (on_host <= 1) return pids;
  const int postmaster = shell_.FromHostPid(host, on_host);
  const auto live = shell_.Processes(host);
  if (postmaster <= 0 || !Listed(live, postmaster)) return pids;  // it must be one of the host's own processes
  pids.push_back(postmaster);
  for (const auto& p : live)
    if (p.ppid == postmaster) pids.push_back(p.pid);
  std::sort(pids.begin() + 1, pids.end());
  return pids;
}

std::vector<int> DaemonControl::Pids(const HostPlan& host, const std::string& kind, bool with_children,
                                     const Manifest& m) {
  if (kind == "postgres") return PostgresPids(host);
  auto pids = LiveDaemonPids(m, kind + "@" + host.name, shell_, host);
  if (pids.empty() || !with_children) return pids;
  const std::vector<int> daemons = pids;
  for (const auto& p : shell_.Processes(host))
    if (std::find(daemons.begin(), daemons.end(), p.ppid) != daemons.end()) pids.push_back(p.pid);
  return pids;
}

Result<std::vector<int>> DaemonControl::Signal(const HostPlan& host, const std::string& kind, int sig,
                                               bool with_children, const Manifest& m) {
  auto pids = Pids(host, kind, with_children, m);
  for (int pid : pids) shell_.Signal(host, pid, sig);
  return pids;
}

Status DaemonControl::Start(const HostPlan& host, const DaemonLaunch& launch, Manifest& m) {
  return shell_.StartDaemon(host, launch, m);
}

}  // namespace pgha
