// SshProvider: a cluster that already runs on existing hosts (VMs,
// pre-production), reached over ssh with the Ansible inventory that
// provisioned it (`--provider ssh --inventory FILE`). It never builds or
// destroys anything there: `up` only checks health, and what the faults
// do is undone exactly:
//
//   kill/stop/pause  `systemctl kill` of the service's unit (main process;
//                    keepalived with its children), the postmaster named by
//                    postmaster.pid and its children for `postgres`;
//                    a killed service comes back with `systemctl start`
//   host freeze      SIGSTOP of every cluster unit of the host (its own
//                    sshd and systemd keep running, so heal can reach it)
//   traffic          iptables rules in chains of our own (PGHA_IN and
//                    PGHA_OUT, hooked first into INPUT and OUTPUT), which
//                    always let the controller's own ssh through; removed
//                    rule by rule on heal, chains and hooks on teardown
//   latency          `tc qdisc ... netem` where the host's kernel has it
//   disk full        a ballast file beside PGDATA grown with fallocate and
//                    dd until ENOSPC; deleted on heal
//   logs             `journalctl -u <unit>` since the run began
//
// Each remote change is recorded in the run's manifest (on this machine)
// before the command runs, with the hosts' access details, so teardown
// and `cleanup` undo it after a crash without the inventory. Preflight
// refuses (exit 2, nothing done) a host it cannot reach, a unit it cannot
// find, and a Patroni that serves another cluster than patroni_scope.
// `--dry-run` prints every command instead of running it.
// Not thread-safe; one provider per command.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "client/http_client.h"
#include "cluster/provider.h"
#include "cluster/service_control.h"
#include "model/inventory.h"
#include "providers/ssh_remote.h"

namespace pgha {

struct SshDeps {
  ProcessRunner& runner;
  Clock& clock;
  HttpClient& http;
};

// The chains our rules live in, per direction.
inline constexpr const char* kSshChainIn = "PGHA_IN";
inline constexpr const char* kSshChainOut = "PGHA_OUT";

class SshShell : public HostShell {
 public:
  explicit SshShell(SshRemote& remote) : remote_(remote) {}
  Result<CommandResult> Exec(const HostPlan& host, const std::vector<std::string>& argv, Duration timeout) override;
  Status StartDaemon(const HostPlan& host, const DaemonLaunch& daemon, Manifest& m) override;
  std::vector<ProcessInfo> Processes(const HostPlan& host) override;
  bool Alive(const HostPlan& host, int pid, uint64_t start_time) override;
  bool Signal(const HostPlan& host, int pid, int signal_number) override;
  Result<std::vector<int>> Freeze(const HostPlan& host, const std::vector<int>& spare) override;
  Status Thaw(const HostPlan& host, const std::vector<int>& frozen) override;

 private:
  Status AllUnits(const HostPlan& host, const std::string& signal);
  SshRemote& remote_;
};

class SshControl : public ServiceControl {
 public:
  explicit SshControl(SshRemote& remote) : remote_(remote) {}
  Result<std::vector<int>> Signal(const HostPlan& host, const std::string& kind, int sig, bool with_children,
                                  const Manifest& m) override;
  std::vector<int> Pids(const HostPlan& host, const std::string& kind, const Manifest& m) override;
  Status Start(const HostPlan& host, const DaemonLaunch& launch, Manifest& m) override;

 private:
  SshRemote& remote_;
};

class SshFiles : public HostFiles {
 public:
  SshFiles(SshRemote& remote, Clock& clock) : remote_(remote), since_(clock.WallNow()) {}
  Status WriteFile(const HostPlan& host, const FileSpec& file) override;
  Status MakeDirectory(const HostPlan& host, const std::string& path, mode_t mode, const std::string& owner) override;
  Result<std::string> ReadFile(const HostPlan& host, const std::string& path) override;
  Result<uint64_t> RemoveTree(const HostPlan& host, const std::string& path) override;
  Result<uint64_t> FillFilesystem(const HostPlan& host, const std::string& path, Manifest& m) override;
  Status RemoveFile(const HostPlan& host, const std::string& path) override;
  // The journal of each of the host's service units since the provider was made.
  Status CollectLogs(const HostPlan& host, const std::vector<std::string>& files, const std::string& dest_dir) override;

 private:
  SshRemote& remote_;
  std::chrono::system_clock::time_point since_;
};

class SshNetwork : public HostNetwork {
 public:
  explicit SshNetwork(SshRemote& remote) : remote_(remote) {}
  Result<size_t> Block(const HostPlan& host, const TrafficBlock& block, const std::string& label, Manifest& m) override;
  Status Unblock(size_t id, Manifest& m) override;
  std::string WhyNoShape(const HostPlan& host, const TrafficShape& shape) override;
  Result<size_t> Shape(const HostPlan& host, const TrafficShape& shape, const std::string& label, Manifest& m) override;
  Status Unshape(size_t id, Manifest& m) override;

 private:
  Status EnsureChains(const HostPlan& host, Manifest& m);
  SshRemote& remote_;
};

// Scripts the ssh provider runs (ssh_scripts.cc), pure, for tests and --dry-run.
std::string ChainsScript(const std::string& controller, int ssh_port);
std::string DropChainsScript();
// The rule's words with our chain in place of INPUT/OUTPUT.
std::vector<std::string> ChainRule(const TrafficBlock& b, const std::string& interface);
std::string SignalName(int sig);  // "KILL" for SIGKILL

class SshProvider : public Provider, public AnsibleHosts {
 public:
  // `inventory` is needed to build a plan (up, run); teardown and cleanup
  // read the hosts' access from the manifest and need none.
  SshProvider(SshDeps d, std::optional<Inventory> inventory, bool dry_run, SshRemote::Printer print);
  std::string Name() const override { return "ssh"; }
  Status Place(ClusterPlan* plan) override;
  Status Preflight(const ClusterPlan& plan, const std::vector<RequiredProgram>& programs) override;
  Status CreateHosts(const ClusterPlan& plan, Manifest& m) override;
  TeardownReport Teardown(Manifest& m, const TeardownOptions& options) override;
  std::map<std::string, std::string> Versions(const std::vector<VersionQuery>& queries) override;
  HostShell& Shell() override { return shell_; }
  HostFiles& Files() override { return files_; }
  HostNetwork& Network() override { return network_; }
  ServiceControl& Services() override { return control_; }
  HostResources& Resources() override { return no_limits_; }
  bool BuildsServices() const override { return false; }
  std::optional<Secrets> ExistingSecrets() override;
  std::string InventoryFile() const override { return inventory_ ? inventory_->file : ""; }

 private:
  Status CheckHost(const HostPlan& h);
  Status CheckScope(const ClusterPlan& plan, const HostPlan& h);

  SshDeps d_;
  std::optional<Inventory> inventory_;
  SshRemote remote_;
  SshShell shell_;
  SshControl control_;
  NoHostResources no_limits_{
      "the ssh provider does not limit CPU or memory yet (systemctl set-property on the service's unit is not "
      "built): use the netns or containers provider"};
  SshFiles files_;
  SshNetwork network_;
};

}  // namespace pgha
