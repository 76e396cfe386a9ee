// FaultInjector: applies and heals the faults of a scenario on a running
// cluster, through the Provider's host interfaces, so the same faults work
// on every provider. The runner resolves targets to host names and
// journals each fault before calling Inject (leveldb's fault-injection
// habit: the record comes first).
//
//   kill/stop   SIGKILL/SIGTERM the named processes of a host through the
//               provider's ServiceControl: a service's daemon; postgres
//               as the postmaster of the host's data directory and its
//               children.
//               Heal restarts the daemons that were killed (Patroni brings
//               PostgreSQL back itself).
//   pause       SIGSTOP those services, or freeze the whole host ("host");
//               heal continues exactly what was stopped.
//   isolate, partition, one_way, cut_etcd, packet_loss
//               traffic blocks on the hosts (HostNetwork), each recorded in
//               the manifest before it is added, so teardown and `cleanup`
//               remove them too; heal removes them.
//   latency     HostNetwork::Delay; where the host cannot delay traffic
//               (no sch_netem here), Check() says skipped with the reason.
//   disk_loss   the host's data directory is removed while PostgreSQL
//               runs; heal asks Patroni to reinitialize the member.
//   disk_full   fills the host's data volume with a ballast file until
//               ENOSPC; heal deletes it. Without a data volume Check()
//               says skipped.
// Heal is idempotent; HealAll heals every active fault, newest first.
// After every heal, a host that its emulated watchdog fenced meanwhile
// "reboots": every service of it that is not running starts again.
// Not thread-safe: the runner's thread only.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "client/http_client.h"
#include "cluster/provider.h"
#include "model/cluster_plan.h"
#include "scenario/scenario.h"

namespace pgha {

struct FaultEnv {
  const ClusterPlan& plan;
  Provider& provider;
  Manifest& manifest;
  HttpClient& http;
  Clock& clock;
  // Starts the daemon of service `kind` on a host again (recorded in the
  // manifest); a run's waits first for the DCS to agree on a leader.
  std::function<Status(const HostPlan& host, const std::string& kind)> restart;
  // Tells the run's journal something the injector did on its own (a fenced host rebooted); may be empty.
  std::function<void(const std::string& host, const std::string& detail)> note;
};

struct ResolvedFault {
  FaultSpec spec;
  std::vector<std::string> hosts;                // the target(s)
  std::vector<std::vector<std::string>> groups;  // partition
  std::string to_host;                           // one_way
};

// What an injected fault did, so heal can undo exactly that.
struct ActiveFault {
  ResolvedFault fault;
  std::vector<std::pair<std::string, std::string>> paused;       // host, service kind: SIGSTOPped
  std::vector<std::pair<std::string, std::vector<int>>> frozen;  // host, what Freeze stopped
  std::vector<std::pair<std::string, std::string>> killed;       // host, service kind: restart on heal
  std::vector<size_t> rules;                                     // manifest ids of traffic blocks
  std::vector<std::string> delayed;                              // hosts
  std::vector<std::pair<std::string, std::string>> ballast;      // host, file
  std::vector<std::string> reinitialize;                         // hosts whose data directory went
};

class FaultInjector {
 public:
  explicit FaultInjector(FaultEnv env) : env_(std::move(env)) {}

  // "" when the fault can be injected here, else why not (reported as skipped).
  std::string Check(const ResolvedFault& f);
  // Returns what was done, e.g. "SIGKILL patroni on node1 (pids 4242); ...".
  Result<std::string> Inject(const ResolvedFault& f);
  Status Heal(const std::string& id);
  Status HealAll();
  std::vector<std::string> ActiveIds() const;

 private:
  FaultEnv env_;
  std::vector<std::string> order_;
  std::map<std::string, ActiveFault> active_;
};

// The parts, one file each (internal to faults/).
Result<std::string> InjectProcessFault(FaultEnv& env, const ResolvedFault& f, ActiveFault* a);
Status HealProcessFault(FaultEnv& env, ActiveFault& a);
Result<std::string> InjectNetworkFault(FaultEnv& env, const ResolvedFault& f, ActiveFault* a);
std::string CheckNetworkFault(FaultEnv& env, const ResolvedFault& f);
Status HealNetworkFault(FaultEnv& env, ActiveFault& a);
Result<std::string> InjectDiskFault(FaultEnv& env, const ResolvedFault& f, ActiveFault* a);
std::string CheckDiskFault(FaultEnv& env, const ResolvedFault& f);
Status HealDiskFault(FaultEnv& env, ActiveFault& a);
Status RebootFencedHosts(FaultEnv& env);

}  // namespace pgha
