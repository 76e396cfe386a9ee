// FaultType: what one kind of fault is, in one file of faults/ and one
// line of faults/registry.cc (etcd's robustness Failpoint, Jepsen's
// nemeses). A kind owns:
//   - its parameters: Read takes its keys from the step's YAML block and
//     reports errors there with file:line:col (the generic part, `fault`,
//     `id` and `target`, is read by scenario/'s step reader);
//   - where it fits a topology (Misfit) and where it can run (WhyNot: the
//     step is then skipped with that reason, never passed);
//   - how its targets resolve to hosts (Resolve, over a TargetResolver
//     that the run and the dry run both supply);
//   - Inject, which returns what it did and an undo object that heal runs;
//   - which failure class the prediction (check/predict.h) uses for it.
// Types are stateless singletons: every run's state is in the Injection.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "check/predict.h"
#include "client/http_client.h"
#include "cluster/provider.h"
#include "core/yaml_reader.h"
#include "model/cluster_plan.h"
#include "model/fault_effect.h"
#include "model/steps.h"
#include "model/topology.h"

namespace pgha {

// What a fault tells the run's journal as it goes: a remark on what it did
// or found ("note": a limit's usage at heal), or the clock offset a process
// runs with from now on ("clock": detail is the offset in seconds, "+0"
// when restored), which the checker subtracts from that server's times.
struct FaultRemark {
  std::string kind;  // "note" or "clock"
  std::string fault_id;
  std::string host;
  std::string process;  // "postgres", "patroni", ...; "" for the host
  std::string detail;
};

// What a fault may use of the run.
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
  // A dry run: inject only prints what it would do (nothing measures).
  bool dry_run = false;
  // The program whose hidden subcommands run on hosts (packet-engine,
  // tcp-probe); "" is this very program (core/files.h ThisProgram).
  std::string helper = "";
  // Journals what a fault remarks (above); may be empty.
  std::function<void(const FaultRemark&)> remark = nullptr;
  std::string Helper() const;
};

// A step's fault with its targets resolved to host names.
struct ResolvedFault {
  FaultSpec spec;
  std::vector<std::string> hosts;                // the target(s)
  std::vector<std::vector<std::string>> groups;  // a partition's sides
  std::vector<std::string> peers;                // one_way's far side, a latency's peer
};

// Host names a target means at this moment (or why it means none).
using TargetResolver = std::function<Result<std::vector<std::string>>(const TargetSpec&)>;

// What heal does for one injected fault: its steps run newest first, all
// of them even when one fails. Running it twice does nothing the second time.
class FaultUndo {
 public:
  using Step = std::function<Status(FaultEnv&)>;
  void Add(Step step) { steps_.push_back(std::move(step)); }
  bool empty() const { return steps_.empty(); }
  Status Run(FaultEnv& env);

 private:
  std::vector<Step> steps_;
};

struct Injection {
  Status status;       // a fault that failed halfway still carries the undo of what it did
  std::string detail;  // "SIGKILL patroni on node1 (pids 4242)"
  FaultUndo undo;
  std::vector<FaultEffect> effects;  // what the fault measured of itself
};

// What a kind's reader is given.
struct FaultReadContext {
  YamlMap& map;
  const Topology& topology;
  const TargetSpec& target_read;  // the step's `target`, as read before the kind's own keys
  // Reads a target (a role or a host name) at `node`; `several` lets it name several hosts (all, replicas).
  std::function<bool(const YAML::Node& node, TargetSpec* out, bool several)> target;
  // What the topology lacks: an error, or with another topology a reason the scenario cannot run there.
  std::function<void(const YAML::Node& node, const std::string& what)> lacks;
};

// kList: a target or a list of them (`target: [primary, sync_standby]`), each of several hosts;
// kOwn: the kind reads `target` itself (or has none).
enum class TargetUse { kOne, kSeveral, kList, kOwn };

class FaultType {
 public:
  virtual ~FaultType() = default;
  virtual std::string Name() const = 0;
  // One line for `pgha-chaos faults` and docs: what it does.
  virtual std::string Summary() const = 0;
  virtual TargetUse Targets() const { return TargetUse::kOne; }
  // Reads the kind's own keys; errors go to r.map. Returns the parameters read so far.
  virtual std::shared_ptr<const FaultParams> Read(FaultReadContext& r) const = 0;
  // Why the fault cannot do what it asks on topology `t` ("" when it can);
  // `candidates` are the hosts its target may resolve to.
  virtual std::string Misfit(const Topology& t, const FaultSpec& f,
                             const std::vector<const HostSpec*>& candidates) const;
  virtual Status Resolve(const TargetResolver& resolve, const ClusterPlan& plan, const FaultSpec& f,
                         ResolvedFault* out) const;
  // "" when the fault can run here, else why not (the step is reported skipped).
  virtual std::string WhyNot(FaultEnv& env, const ResolvedFault& f) const;
  virtual Injection Inject(FaultEnv& env, const ResolvedFault& f) const = 0;
  // The failure class the predicted failover window is computed for; nullopt: none predicted.
  virtual std::optional<FailureClass> Predicts(const FaultSpec&) const { return std::nullopt; }
  // Whether a failover may be what the fault is for. A run whose injected
  // faults all say no (slow nodes, clocks; or no fault at all) counts every
  // loss of leadership as a false failover (the metric false_failovers).
  virtual bool MayFailOver(const FaultSpec&) const { return true; }
  // The processes whose clock the fault moves: the cluster starts them with
  // the clock preload (services/faked_clock.h). Empty for most kinds.
  virtual std::vector<std::string> MovesClocks(const FaultSpec&) const { return {}; }
  // Whether it needs the data volumes on a block device: the scenario's
  // hosts then get one (data_device: loop), of data_volume or 512 MiB.
  virtual bool NeedsBlockVolume(const FaultSpec&) const { return false; }
  // Whether it needs the durable file system (durablefs/) under the data
  // volumes: the scenario's hosts then get it (data_fs: pgha), of data_volume or 512 MiB.
  virtual bool NeedsDurableFs(const FaultSpec&) const { return false; }
};

// A named process ("postgres" is run by Patroni's hosts; "host" by every
// host) that no candidate host runs, as a reason; "" when each is run somewhere.
std::string ProcessesMisfit(const std::vector<std::string>& processes, const Topology& t, const FaultSpec& f,
                            const std::vector<const HostSpec*>& candidates);

// Runs `each` for every target host in turn (an unknown one fails), up to the first failure, into one Injection.
Injection ForEachHost(FaultEnv& env, const ResolvedFault& f,
                      const std::function<Status(const HostPlan& host, Injection* in)>& each);

// The parameters of a spec as the kind that read them (nullptr for another kind's).
template <typename P>
const P* ParamsOf(const FaultSpec& f) {
  return dynamic_cast<const P*>(f.params.get());
}

}  // namespace pgha
