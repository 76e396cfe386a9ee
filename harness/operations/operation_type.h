// OperationType: what one kind of planned operation is (a step a team runs
// on purpose: maintenance mode, a configuration change, a reload, tags, a
// PgBouncer PAUSE), in one file of operations/ and one line of
// operations/registry.cc, as faults are (faults/fault_type.h). A kind owns:
//   - its parameters: Read takes its value from the step (`pause: cluster`,
//     `edit_config: {ttl: 10s}`) and reports errors at file:line:col;
//   - where it can run (WhyNot: the step is then skipped with that reason,
//     never passed);
//   - Run, through Patroni's REST API or PgBouncer's admin console as a
//     user's patronictl or psql would, every wait under the step's
//     deadline; it returns what it did and, when it leaves the cluster in
//     a state the run must not end in (paused, tags flipped, a changed
//     configuration on a cluster that is not ours), an undo the end of the
//     run performs unless a later operation completes it (`resume` after
//     `pause`).
// Types are stateless singletons.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "client/http_client.h"
#include "client/sql_client.h"
#include "cluster/provider.h"
#include "core/clock.h"
#include "core/process.h"
#include "core/yaml_reader.h"
#include "model/cluster_plan.h"
#include "model/steps.h"
#include "model/topology.h"

namespace pgha {

// What an operation may use of the run.
struct OperationEnv {
  const ClusterPlan& plan;
  Provider& provider;
  HttpClient& http;
  SqlClient& sql;
  Clock& clock;
  const Secrets& secrets;
  // Host names a target means at this moment (or why it means none).
  std::function<Result<std::vector<std::string>>(const TargetSpec&)> resolve;
  TimePoint deadline;  // the step's: every wait of the operation ends by then
  // The member whose REST API answers for the cluster (the leader, else any).
  std::string api_member;
  // Programs on this machine (a playbook's ansible-playbook); null: none may run.
  ProcessRunner* local = nullptr;
  std::string id;       // the step's operation id ("op12"): names what it keeps
  std::string log_dir;  // where an operation keeps its output ("": nowhere)
};

// What the end of the run does for an operation left standing: its steps
// run newest first, all of them even when one fails.
class OperationUndo {
 public:
  using Step = std::function<Status(OperationEnv&)>;
  void Add(Step step) { steps_.push_back(std::move(step)); }
  bool empty() const { return steps_.empty(); }
  Status Run(OperationEnv& env) const;

 private:
  std::vector<Step> steps_;
};

struct OperationResult {
  Status status;
  std::string detail;  // "Patroni paused the cluster: pause on node1, node2, node3"
  bool skipped = false;
  // Left standing until the end of the run, under `undo_key` (a later
  // undo under the same key keeps the first: it restores the state
  // before the first change), unless a later operation names the key in
  // `completes`.
  std::string undo_key;
  OperationUndo undo;
  std::vector<std::string> completes;
};

// What a kind's reader is given.
struct OperationReadContext {
  YamlMap& map;             // the step's map (its `timeout` is read by the step reader)
  const YAML::Node& value;  // the value under the operation's name
  const Topology& topology;
  // Reads a target (a role or a host name); `several` allows all and replicas.
  std::function<bool(const YAML::Node& node, TargetSpec* out, bool several)> target;
  // What the topology lacks: an error, or with another topology a reason the scenario cannot run there.
  std::function<void(const YAML::Node& node, const std::string& what)> lacks;
};

class OperationType {
 public:
  virtual ~OperationType() = default;
  virtual std::string Name() const = 0;
  // One line for `pgha-chaos list` and docs: what it does, as whom.
  virtual std::string Summary() const = 0;
  // Reads the kind's value into the spec's params (and target); errors go to r.map.
  virtual void Read(OperationReadContext& r, OperationSpec* out) const = 0;
  // "" when it can run here, else why not (the step is reported skipped).
  virtual std::string WhyNot(const OperationEnv&, const OperationSpec&) const { return ""; }
  virtual OperationResult Run(OperationEnv& env, const OperationSpec& op) const = 0;
};

// Patroni's REST API on member `member` (a host name): one call under a
// deadline of at most 10 s and the step's; ok when Patroni answered 2xx,
// its body in *body.
Status PatroniCall(OperationEnv& env, const std::string& member, const std::string& method, const std::string& path,
                   const std::string& request, std::string* body = nullptr);
// Polls GET `path` on `member` every 250 ms until `done` holds of its body
// or the step's deadline passes (then why, naming `waiting_for`).
Status PollPatroni(OperationEnv& env, const std::string& member, const std::string& path,
                   const std::function<bool(const std::string& body)>& done, const std::string& waiting_for);
// A failed result, or a result with `detail`.
OperationResult OperationFailed(Status status);
OperationResult OperationDone(std::string detail);

}  // namespace pgha
