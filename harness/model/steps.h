// The steps of a scenario as plain data: who a step acts on (TargetSpec),
// what a fault step asks (FaultSpec: a kind's name, its target and the
// parameters that kind read), the other step kinds, and the client
// workload. Loaders (scenario/) fill them; faults/ gives a fault kind its
// meaning; run/ executes them. Pure data apart from Describe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/units.h"

namespace pgha {

// Who a step acts on, resolved when the step runs.
// kAll is every Patroni host; kReplicas every Patroni host but the leader.
// kVipHolder is the keepalived host that holds the VIP right now.
enum class TargetKind { kPrimary, kReplica, kSyncStandby, kEtcdLeader, kVipHolder, kHost, kAll, kReplicas };

struct TargetSpec {
  TargetKind kind = TargetKind::kPrimary;
  std::string host;  // kHost only
  std::string ToString() const;
};

// What one fault kind read from its YAML block beyond kind, id and target.
// Each kind (a file of faults/) derives its own and is the only reader of it.
class FaultParams {
 public:
  virtual ~FaultParams() = default;
  // How the step reads in a sentence, after the kind's name: "patroni+postgres", "200ms".
  virtual std::string Describe() const { return ""; }
  // Further targets the kind names (one_way's `to`, a partition's groups), for checks that look at every target.
  virtual std::vector<TargetSpec> OtherTargets() const { return {}; }
};

struct FaultSpec {
  std::string kind;  // a name of faults/registry.h: "kill", "latency", ...
  std::string id;    // for `heal: <id>`; defaults to the step's index
  bool has_target = true;
  TargetSpec target;
  std::vector<TargetSpec> more_targets;       // a list target's others (`target: [primary, sync_standby]`)
  std::shared_ptr<const FaultParams> params;  // never null once read
  std::string Describe() const;
};

// What one planned operation (operations/registry.h: pause, resume,
// edit_config, reload, tags, pgbouncer) read from its step beyond its name.
// Each kind derives its own and is the only reader of it.
class OperationParams {
 public:
  virtual ~OperationParams() = default;
  // How the step reads after the operation's name: "cluster", "{ttl: 10s}".
  virtual std::string Describe() const { return ""; }
};

struct OperationSpec {
  std::string kind;         // a name of operations/registry.h
  bool has_target = false;  // the kind acts on members (tags, reload), named by `target`
  TargetSpec target;
  std::shared_ptr<const OperationParams> params;  // never null once read
};

enum class StepKind { kWait, kHold, kFault, kHeal, kSwitchover, kFailover, kRestart, kReinitialize, kOperation };
enum class WaitCondition { kHealthy, kNewPrimary, kReplicasStreaming };

struct Step {
  StepKind kind = StepKind::kHold;
  int line = 0;                                 // in the scenario file, for messages
  Duration duration{};                          // hold
  Duration timeout = std::chrono::seconds(60);  // wait and planned operations
  WaitCondition condition = WaitCondition::kHealthy;
  FaultSpec fault;    // fault
  std::string heal;   // heal: a fault id or "all"
  TargetSpec target;  // switchover/failover: the candidate; restart/reinitialize: the member (restart: or all)
  bool restart_pending_only = false;  // restart {pending_restart: true}: only where Patroni says a restart is pending
  OperationSpec operation;            // a planned operation of operations/registry.h
  std::string Describe() const;
};

// The list-append workload (workload.model: list-append), after Jepsen's
// Elle: transactions of appends of unique integers to small lists and
// reads of whole lists, judged by elle/list_append_check.h. Beside the
// ledger writers, which keep measuring failover and lost writes.
struct ListAppendSpec {
  bool enabled = false;
  int keys = 8;  // active keys at a time; each retires after max_writes_per_key appends
  int min_txn_len = 1, max_txn_len = 4;
  int max_writes_per_key = 32;
  std::string isolation = "serializable";  // read committed, repeatable read, serializable
  int clients = 4;                         // through the read-write endpoint: appends and reads
  int replica_clients = 2;                 // read-only transactions: the read-only endpoint, then each node directly
  int node_clients = 0;  // appends and reads straight to each node in turn, pinned to it (as a client whose
                         // connection string names one host): what a deposed primary still commits
  double rate = 40;      // transactions per second, all clients together
};

struct WorkloadSpec {
  int writers = 2;       // libpq clients inserting through the read-write endpoint
  double rate = 50;      // writes per second, all writers together
  bool unpaced = false;  // rate: max: each writer sends its next write as soon as the last one ended
  int readers = 1;       // clients reading through the read-only endpoint
  Duration op_timeout = std::chrono::seconds(2);               // per statement; then the write is "info"
  Duration probe_interval = std::chrono::milliseconds(100);    // direct writes to every node
  Duration observe_interval = std::chrono::milliseconds(250);  // Patroni REST
  ListAppendSpec list_append;
};

std::string WaitConditionName(WaitCondition c);

}  // namespace pgha
