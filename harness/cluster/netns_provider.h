// NetnsProvider: the embedded default way to stand a cluster up. One Linux
// bridge, one network namespace per topology host joined to it by a veth
// pair, addresses from the topology's subnet (bridge .1, hosts .10 up), no
// default route in any namespace and nothing routed or NATed off the
// machine. etcd, Patroni (as the postgres user, PostgreSQL 15) and HAProxy
// run inside the namespaces with configs rendered from fixtures/.
//
// Up() runs preflight first (nothing is created when it fails), records
// every namespace, link, directory and process in the run's manifest
// before creating it, then waits under the topology's up_timeout until the
// cluster is healthy (observe/cluster_probe.h). On any failure, timeout or
// Ctrl-C it tears everything down before returning the error, which quotes
// the relevant log lines. Down() and Cleanup() tear down from manifests.
// Not thread-safe; one provider per command.
#pragma once

#include <functional>
#include <string>

#include "cluster/cluster_plan.h"
#include "cluster/manifest.h"
#include "cluster/teardown.h"
#include "cluster/topology.h"
#include "core/clock.h"
#include "core/process.h"
#include "observe/cluster_probe.h"
#include "observe/http_client.h"
#include "workload/sql_client.h"

namespace pgha {

struct ProviderDeps {
  ProcessRunner& runner;
  ProcessTable& table;
  Clock& clock;
  HttpClient& http;
  SqlClient& sql;
};

struct UpOptions {
  std::string workdir;                                 // see workdir.h
  std::string fixtures_dir;                            // holds patroni.yml, etcd.conf.yml, haproxy.cfg
  std::string run_id;                                  // empty: 6 random hex characters
  bool skip_preflight = false;                         // unit tests with fakes only
  std::string patroni_user = "postgres";               // empty: no chown, no user switch (unit tests)
  Duration poll_interval = std::chrono::milliseconds(200);
  std::function<void(const std::string&)> progress;    // one line per change; may be empty
};

struct RunningCluster {
  ClusterPlan plan;
  Secrets secrets;
  Duration time_to_healthy{};
  HealthVerdict health;
};

class NetnsProvider {
 public:
  explicit NetnsProvider(ProviderDeps deps) : d_(deps) {}

  Result<RunningCluster> Up(const Topology& topology, const UpOptions& options);
  // Tears down one run from its manifest; removes the manifest when done.
  Result<TeardownReport> Down(const std::string& workdir, const std::string& run_id);
  // Starts "etcd", "patroni" or "haproxy" on a node of a running cluster
  // again (after a kill fault), recorded in its manifest.
  Status RestartDaemon(Manifest& m, const NodePlan& node, const std::string& daemon, const std::string& patroni_user);

 private:
  Status Build(const ClusterPlan& plan, const Secrets& secrets, const UpOptions& o, Manifest& m);
  Status BuildNetwork(const ClusterPlan& plan, Manifest& m);
  Status WriteConfigs(const ClusterPlan& plan, const Secrets& secrets, const UpOptions& o, Manifest& m);
  Status MountDataVolume(const NodePlan& n, Manifest& m);
  Status StartDaemons(const ClusterPlan& plan, const UpOptions& o, Manifest& m);
  Status StartDaemon(Manifest& m, const std::string& label, const DaemonSpec& spec);
  static DaemonSpec SpecFor(const NodePlan& n, const std::string& daemon, const std::string& patroni_user);
  Status WaitEtcd(const ClusterPlan& plan, const UpOptions& o, Manifest& m);
  Status WaitEtcdPeerServing(const ClusterPlan& plan, const NodePlan& node, Manifest& m);
  Status CheckDaemonsAlive(const ClusterPlan& plan, Manifest& m);
  Status Ip(const std::vector<std::string>& args, const std::string& netns = "");
  Result<HealthVerdict> WaitHealthy(const ClusterPlan& plan, const Secrets& secrets, const UpOptions& o, Manifest& m);
  std::string DiagnoseLogs(const ClusterPlan& plan, const std::string& waiting_for) const;
  void Progress(const UpOptions& o, const std::string& line) const;

  ProviderDeps d_;
  TimePoint up_start_{};  // progress lines count from here
};

}  // namespace pgha
