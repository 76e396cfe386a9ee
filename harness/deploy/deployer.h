// Deployer: stands a topology up on a provider and tears it down, the same
// way whatever the provider. A provider that attaches to a cluster
// someone else built (Provider::BuildsServices false: ssh) gets no
// configs, certificates or services: Up records the run and waits until
// that cluster is healthy. Up() makes the plan, lets the provider place
// and check it (nothing is created when that fails), records the run's
// manifest, has the provider create the hosts, writes each service's
// folders and config files (services/), starts the services tier by tier
// with their gates (etcd agrees on a leader before Patroni starts), then
// waits under the topology's up_timeout until the cluster is healthy
// (observe/health.h). On any failure, timeout or Ctrl-C it tears down
// everything before returning the error, which quotes the relevant logs.
// Down() tears a run down from its manifest through the provider.
// Not thread-safe; one deployer per command.
#pragma once

#include <functional>
#include <string>

#include "client/http_client.h"
#include "client/sql_client.h"
#include "cluster/provider.h"
#include "model/cluster_plan.h"
#include "model/topology.h"
#include "observe/health.h"

namespace pgha {

struct DeployDeps {
  Provider& provider;
  Clock& clock;
  HttpClient& http;
  SqlClient& sql;
};

struct UpOptions {
  std::string workdir;          // see cluster/workdir.h
  std::string fixtures_dir;     // holds the config templates
  std::string run_id;           // empty: 6 random hex characters
  bool skip_preflight = false;  // unit tests with fakes only
  // Hosts only, no services (for a user's own provisioning, e.g. Ansible):
  // Up returns once the hosts run, with an empty health verdict.
  bool bare = false;
  // One of several clusters a command runs at once (run --jobs): it neither
  // claims nor checks "the cluster up" (cluster/workdir.h); each has its own
  // subnet, which preflight checks is free.
  bool one_of_several = false;
  // Processes to start with libfaketime preloaded (ClusterPlan::faked_clocks).
  std::vector<std::string> faked_clocks;
  Duration poll_interval = std::chrono::milliseconds(200);
  std::function<void(const std::string&)> progress;  // one line per change; may be empty
};

struct RunningCluster {
  ClusterPlan plan;
  Secrets secrets;
  Duration time_to_healthy{};
  HealthVerdict health;
};

class Deployer {
 public:
  explicit Deployer(DeployDeps deps) : d_(deps) {}
  Result<RunningCluster> Up(const Topology& topology, const UpOptions& options);
  // Tears down one run from its manifest; removes the manifest when done.
  Result<TeardownReport> Down(const std::string& workdir, const std::string& run_id);

 private:
  Result<ClusterPlan> PlanFor(const Topology& topology, const UpOptions& o);
  Result<RunningCluster> Build(const Topology& topology, const ClusterPlan& plan, const UpOptions& o, Manifest& m);
  Status FailAndTearDown(const Status& why, const UpOptions& o, Manifest& m);

  DeployDeps d_;
};

// Starts service `kind` on a host of a running cluster again (after a kill
// fault), recorded in its manifest.
Status RestartService(Provider& provider, const ClusterPlan& plan, Manifest& m, const HostPlan& host,
                      const std::string& kind);

// What RestartServiceAfterDcs needs of the running cluster.
struct RestartContext {
  Provider& provider;
  Manifest& manifest;
  ProbeContext probe;  // its plan is the cluster's
  Clock& clock;
  Duration dcs_wait = std::chrono::seconds(10);
};

// RestartService, but a service above the DCS tier starts only once a
// majority of the DCS agrees on a leader again, or after `dcs_wait`: healed
// at once after a partition, Patroni 3.0.2 found etcd electing and exited at
// start-up (its first lease request failed), and never rejoined.
Status RestartServiceAfterDcs(const RestartContext& c, const HostPlan& host, const std::string& kind);

}  // namespace pgha
