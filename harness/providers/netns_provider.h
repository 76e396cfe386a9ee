// NetnsProvider: the embedded default way to make hosts. One Linux bridge,
// one network namespace per topology host joined to it by a veth pair,
// addresses from the topology's subnet (bridge .1, hosts .10 up), no
// default route in any namespace and nothing routed or NATed off the
// machine. Hosts share this machine's filesystem (each has a folder below
// the run's) and programs; a command runs on a host as
// `nsenter --net=/run/netns/<ns> [setpriv --reuid ...] argv`, which keeps
// the daemon's pid the one the manifest records.
//
// Names: namespace pgc-<run>-<host>, veth pgc<run>v<index>, bridge
// pgc<run>br. Every namespace, link, mount, rule and process is recorded in
// the manifest before it is created; Teardown (netns_teardown.cc) kills
// recorded pids whose start time still matches, then anything left inside
// the run's own namespaces, then removes mounts, rules, links, namespaces
// and folders. Nothing is ever killed by name.
// Not thread-safe; one provider per command.
#pragma once

#include <string>
#include <vector>

#include "cluster/provider.h"
#include "cluster/service_control.h"
#include "core/clock.h"
#include "core/process.h"
#include "providers/cgroup_limits.h"
#include "providers/local_files.h"

namespace pgha {

// Which pids live in a network namespace (/proc/<pid>/ns/net).
class NetnsTable {
 public:
  virtual ~NetnsTable() = default;
  virtual std::vector<int> PidsIn(const std::string& netns) = 0;
};

class LinuxNetnsTable : public NetnsTable {
 public:
  std::vector<int> PidsIn(const std::string& netns) override;
};

struct NetnsDeps {
  ProcessRunner& runner;
  ProcessTable& table;
  NetnsTable& netns;
  Clock& clock;
};

struct NetnsOptions {
  bool apply_owners = true;  // chown files and folders to their service's user (unit tests without that user: false)
  std::string helper;        // the pgha-chaos whose hidden durable-fs subcommand runs on hosts; "" this program
};

std::string NetnsName(const std::string& run_id, const std::string& host);
std::string VethName(const std::string& run_id, int index);
std::string BridgeName(const std::string& run_id);
// iptables words (after -I/-D) for a block, in the host's namespace; a
// block of all traffic names the host's interface.
std::vector<std::string> IptablesRule(const TrafficBlock& b, const std::string& interface);

class NetnsShell : public HostShell {
 public:
  explicit NetnsShell(NetnsDeps d) : d_(d) {}
  Result<CommandResult> Exec(const HostPlan& host, const std::vector<std::string>& argv, Duration timeout) override;
  Status StartDaemon(const HostPlan& host, const DaemonLaunch& daemon, Manifest& m) override;
  std::vector<ProcessInfo> Processes(const HostPlan& host) override;
  bool Alive(const HostPlan& host, int pid, uint64_t start_time) override;
  bool Signal(const HostPlan& host, int pid, int signal_number) override;
  Result<std::vector<int>> Freeze(const HostPlan& host, const std::vector<int>& spare) override;
  Status Thaw(const HostPlan& host, const std::vector<int>& frozen) override;

 private:
  NetnsDeps d_;
};

class NetnsNetwork : public HostNetwork {
 public:
  explicit NetnsNetwork(NetnsDeps d) : d_(d) {}
  Result<size_t> Block(const HostPlan& host, const TrafficBlock& block, const std::string& label, Manifest& m) override;
  Status Unblock(size_t id, Manifest& m) override;
  std::string WhyNoShape(const HostPlan& host, const TrafficShape& shape) override;
  Result<size_t> Shape(const HostPlan& host, const TrafficShape& shape, const std::string& label, Manifest& m) override;
  Status Unshape(size_t id, Manifest& m) override;

 private:
  NetnsDeps d_;
};

class NetnsProvider : public Provider {
 public:
  explicit NetnsProvider(NetnsDeps d, NetnsOptions o = {})
      : d_(d), o_(o), shell_(d), files_(o.apply_owners), network_(d), services_(shell_, files_) {}
  std::string Name() const override { return "netns"; }
  Status Place(ClusterPlan* plan) override;
  Status Preflight(const ClusterPlan& plan, const std::vector<RequiredProgram>& programs) override;
  Status CreateHosts(const ClusterPlan& plan, Manifest& m) override;
  TeardownReport Teardown(Manifest& m, const TeardownOptions& options) override;
  std::map<std::string, std::string> Versions(const std::vector<VersionQuery>& queries) override;
  HostShell& Shell() override { return shell_; }
  HostFiles& Files() override { return files_; }
  HostNetwork& Network() override { return network_; }
  ServiceControl& Services() override { return services_; }
  HostResources& Resources() override { return limits_; }
  bool RunsLocalPrograms() const override { return true; }

 private:
  Status CreateHost(const ClusterPlan& plan, const HostPlan& host, Manifest& m);

  NetnsDeps d_;
  NetnsOptions o_;
  NetnsShell shell_;
  LocalFiles files_;
  NetnsNetwork network_;
  DaemonControl services_;
  CgroupLimits limits_;
};

}  // namespace pgha
