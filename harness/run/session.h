// Session: one scenario's running cluster and everything attached to it:
// the plan and secrets, the manifest, the fault injector, the observer, the
// watch on the leader key and the workload. Open() brings the cluster up through the Deployer (on
// failure nothing is left behind and there is no session); Close() heals
// every fault, stops the clients, collects the logs into the results and
// tears the cluster down. The destructor closes a session that was not
// closed, so teardown happens on every path. Not thread-safe: the runner's
// thread (the observer and workload run their own threads inside).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "deploy/deployer.h"
#include "faults/fault_injector.h"
#include "history/recorder.h"
#include "observe/leader_watch.h"
#include "observe/observer.h"
#include "run/runner.h"
#include "workload/workload.h"

namespace pgha {

class Session {
 public:
  static Result<std::unique_ptr<Session>> Open(RunDeps deps, const Scenario& scenario, const RunOptions& options,
                                               Recorder& rec);
  ~Session();

  const ClusterPlan& plan() const { return cluster_.plan; }
  const Secrets& secrets() const { return cluster_.secrets; }
  Duration time_to_healthy() const { return cluster_.time_to_healthy; }
  const WorkloadEndpoints& endpoints() const { return endpoints_; }
  FaultInjector& faults() { return *faults_; }
  Observer& observer() { return *observer_; }
  ProbeContext probe(Duration call_timeout) {
    return {cluster_.plan, cluster_.secrets, d_.http, d_.sql, call_timeout, &d_.provider.Shell()};
  }

  void StartClients();
  void StopClients();
  // Heals what is still active, stops the clients, copies every service's
  // logs into <output_dir>/logs/<host>/ (their relative paths into *logs),
  // tears everything down. Idempotent; an error says the teardown was
  // incomplete.
  Status Close(std::vector<std::string>* logs);

 private:
  Session(RunDeps deps, const RunOptions& options, RunningCluster cluster, std::unique_ptr<Manifest> manifest);
  void Wire(const Scenario& scenario, Recorder& rec);
  std::vector<std::string> CollectLogs();

  RunDeps d_;
  const RunOptions& opt_;
  RunningCluster cluster_;
  std::unique_ptr<Manifest> manifest_;
  WorkloadEndpoints endpoints_;
  std::unique_ptr<FaultInjector> faults_;
  std::unique_ptr<Observer> observer_;
  std::unique_ptr<LeaderWatch> leader_watch_;
  std::unique_ptr<Workload> workload_;
  bool closed_ = false;
};

}  // namespace pgha
