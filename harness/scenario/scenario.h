// Scenario: one chaos experiment as plain structs. A scenario names its
// topology, overrides the settings under test, describes the client
// workload, lists ordered steps and states expectations (targets).
//
// LoadScenario reads a YAML file strictly: unknown keys, wrong types, bad
// units and metrics with the wrong kind of unit are errors with
// file:line:column; warnings (Patroni's unchecked timing rule) come back
// beside a valid scenario. Targets are parsed against check/metrics.h; the
// topology through scenario/topology_loader.h. Pure apart from reading the
// files. The format, with every key, is documented in docs/scenarios.md.
#pragma once

#include <string>
#include <vector>

#include "check/expectation.h"
#include "core/status.h"
#include "core/yaml_reader.h"
#include "model/topology.h"

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

enum class FaultKind {
  kKill,        // SIGKILL of processes on a host
  kStop,        // SIGTERM of processes on a host
  kPause,       // SIGSTOP of processes (or a whole host); heal sends SIGCONT
  kIsolate,     // a host loses all network traffic
  kPartition,   // groups of hosts cannot reach each other
  kOneWay,      // traffic from `target` to `to` is dropped, not back
  kCutEtcd,     // Patroni on a host cannot reach etcd; PostgreSQL stays reachable
  kPacketLoss,  // a percentage of a host's packets is dropped
  kLatency,     // needs tc netem: reported as skipped where the kernel lacks it
  kDiskLoss,    // the data directory is removed while PostgreSQL runs
  kDiskFull,    // the data directory's filesystem fills up
};

struct FaultSpec {
  FaultKind kind = FaultKind::kKill;
  std::string id;  // for `heal: <id>`; defaults to the step's index
  TargetSpec target;
  std::vector<std::string> processes;           // kill/stop/pause: a service kind, postgres, or "host"
  std::vector<std::vector<TargetSpec>> groups;  // partition
  TargetSpec to;                                // one-way: the far side
  double loss_percent = 0;                      // packet loss
  Duration latency{};                           // latency
};

enum class StepKind { kWait, kHold, kFault, kHeal, kSwitchover, kFailover, kRestart, kReinitialize };
enum class WaitCondition { kHealthy, kNewPrimary, kReplicasStreaming };

struct Step {
  StepKind kind = StepKind::kHold;
  int line = 0;                                 // in the scenario file, for messages
  Duration duration{};                          // hold
  Duration timeout = std::chrono::seconds(60);  // wait and planned operations
  WaitCondition condition = WaitCondition::kHealthy;
  FaultSpec fault;    // fault
  std::string heal;   // heal: a fault id or "all"
  TargetSpec target;  // switchover/failover: the candidate; restart/reinitialize: the member
  std::string Describe() const;
};

struct WorkloadSpec {
  int writers = 2;       // libpq clients inserting through the read-write endpoint
  double rate = 50;      // writes per second, all writers together
  bool unpaced = false;  // rate: max: each writer sends its next write as soon as the last one ended
  int readers = 1;       // clients reading through the read-only endpoint
  Duration op_timeout = std::chrono::seconds(2);               // per statement; then the write is "info"
  Duration probe_interval = std::chrono::milliseconds(100);    // direct writes to every node
  Duration observe_interval = std::chrono::milliseconds(250);  // Patroni REST
};

struct Scenario {
  std::string name;
  std::string description;
  std::string file;
  Topology topology;  // with the scenario's overrides applied
  WorkloadSpec workload;
  std::vector<Step> steps;
  std::vector<Expectation> expectations;
  Duration run_timeout = std::chrono::minutes(10);  // the whole run, bring-up to teardown
  int trials = 1;  // runs, each on a fresh cluster, judged together (check/trials.h); run --trials overrides
  // With another topology than its own (run --topology): why the scenario
  // cannot run there (a host it names, a role or a VIP the topology lacks).
  // Not empty means the run is skipped with these reasons, never started.
  std::vector<std::string> incompatible;
  bool retargeted = false;  // loaded with another topology than its own
};

struct ScenarioLoadOptions {
  // A topology name (fixtures/topologies/NAME.yaml) or path to run the
  // scenario on instead of its own; its settings blocks still apply on top.
  std::string topology;
  // Or a topology already loaded (an inventory's, for the ssh provider):
  // the scenario runs on it as it is; settings blocks the scenario sets
  // are reported in `LoadedScenario::warnings` and not applied.
  const Topology* cluster = nullptr;
};

struct LoadedScenario {
  Scenario scenario;
  std::vector<std::string> warnings;
};

// `fixtures_dir` resolves `topology: compact` to fixtures/topologies/compact.yaml.
Result<LoadedScenario> LoadScenario(const std::string& path, const std::string& fixtures_dir,
                                    const ScenarioLoadOptions& options = {});
Result<LoadedScenario> ParseScenario(const std::string& yaml_text, const std::string& name,
                                     const std::string& fixtures_dir, const ScenarioLoadOptions& options = {});
// A topology argument (a name in fixtures/topologies/, or a path) as a file path.
std::string TopologyPath(const std::string& ref, const std::string& relative_to, const std::string& fixtures_dir);

// Reads a `workload:` map into *out, leaving absent keys as they are; errors go to the map's diagnostics.
void ReadWorkloadSettings(YamlMap& map, WorkloadSpec* out);
// The workload settings under test, as result.json and the reports show them.
SettingGroup DescribeWorkload(const WorkloadSpec& w);

std::string FaultKindName(FaultKind k);
std::string WaitConditionName(WaitCondition c);

}  // namespace pgha
