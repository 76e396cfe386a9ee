// FaultInjector: applies and heals the faults of a scenario on a running
// netns cluster. The runner resolves targets to host names and journals
// each fault before calling Inject (leveldb's fault-injection habit: the
// record comes first).
//
//   kill/stop   SIGKILL/SIGTERM the named processes of a host: patroni,
//               etcd and haproxy by the pids the manifest recorded;
//               postgres as the postmaster of the host's data directory and
//               its children. Heal restarts the daemons that were killed
//               (Patroni brings PostgreSQL back itself).
//   pause       SIGSTOP those processes, or every process of the host's
//               namespace ("host"); heal sends SIGCONT to the same pids.
//   isolate, partition, one_way, cut_etcd, packet_loss
//               iptables rules inside the hosts' own namespaces, each
//               recorded in the manifest before it is added, so teardown
//               and `cleanup` remove them too; heal deletes them.
//   latency     tc netem; on a kernel without sch_netem, Check() says
//               skipped with the kernel's own words.
//   disk_loss   the host's data directory is removed while PostgreSQL
//               runs; heal asks Patroni to reinitialize the member.
//   disk_full   fills the host's data volume (a tmpfs of the scenario's
//               data_volume size) with a ballast file until ENOSPC; heal
//               deletes it. Without a data volume Check() says skipped.
// Heal is idempotent; HealAll heals every active fault, newest first.
// Not thread-safe: the runner's thread only.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "cluster/cluster_plan.h"
#include "cluster/manifest.h"
#include "core/process.h"
#include "observe/http_client.h"
#include "scenario/scenario.h"

namespace pgha {

struct FaultEnv {
  const ClusterPlan& plan;
  Manifest& manifest;
  ProcessRunner& runner;
  ProcessTable& table;
  HttpClient& http;
  Clock& clock;
  // Starts "patroni", "etcd" or "haproxy" on a node again (recorded in the manifest).
  std::function<Status(const NodePlan&, const std::string& daemon)> restart_daemon;
};

struct ResolvedFault {
  FaultSpec spec;
  std::vector<std::string> hosts;                // the target(s)
  std::vector<std::vector<std::string>> groups;  // partition
  std::string to_host;                           // one_way
};

class FaultInjector {
 public:
  explicit FaultInjector(FaultEnv env) : env_(std::move(env)) {}

  // "" when the fault can be injected here, else why not (reported as skipped).
  std::string Check(const ResolvedFault& f);
  // Returns what was done, e.g. "SIGKILL patroni (pid 4242), postgres (pids 4301 4302 ...)".
  Result<std::string> Inject(const ResolvedFault& f);
  Status Heal(const std::string& id);
  Status HealAll();
  std::vector<std::string> ActiveIds() const;

 private:
  struct Active {
    ResolvedFault fault;
    std::vector<int> paused;
    std::vector<std::pair<std::string, std::string>> killed;  // host, daemon
    std::vector<int> signalled;                                // to wait for before a restart
    std::vector<size_t> rules;                                 // manifest ids
  };
  std::vector<int> PidsOf(const NodePlan& node, const std::string& process);
  Status AddRule(const NodePlan& node, std::vector<std::string> rule, Active* a);
  Result<uint64_t> FillVolume(const NodePlan& node);
  const NodePlan* Node(const std::string& host) const { return env_.plan.Find(host); }

  FaultEnv env_;
  std::vector<std::string> order_;
  std::map<std::string, Active> active_;
};

}  // namespace pgha
