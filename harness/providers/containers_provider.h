// ContainersProvider: one system container per topology host, each with
// its own root filesystem, systemd as PID 1 and sshd, so services run as
// systemd units exactly as on the seeds' hosts (`--provider containers`).
//
//   image      a Debian 12 root filesystem built once by tools/build-image.sh
//              (mmdebstrap from this machine's apt sources, every cluster
//              package baked in: containers reach no mirror); read-only
//   host       an overlayfs over the image (<run>/.containers/<host>/root),
//              booted with `systemd-nspawn --boot --network-bridge` on the
//              run's bridge; the host's folder (<run>/<host>: configs, data,
//              logs) is bind-mounted at the same path, so configs are
//              written and logs read from here. Address from the topology
//              (80-container-host0.network), no route off the bridge.
//   cgroups    with no systemd on this machine, each nspawn first moves
//              itself into cgroups of its own (unified, name=systemd,
//              freezer: pgha-<container>); a whole-host freeze is that
//              freezer cgroup, which stops everything inside at once.
//   network    the container's network namespace is attached as
//              /run/netns/<container>, so traffic faults are the netns
//              provider's iptables rules and processes are listed by it.
//   services   DaemonLaunch becomes /etc/systemd/system/<kind>.service
//              (providers/systemd_unit.h), started with systemctl; the
//              manifest records the daemon by its pid on this machine.
//   ssh        a per-run key (<run>/ssh/id_ed25519) is authorized for root
//              in every container: Ansible and `--provider ssh` use it.
//
// Everything (mounts, cgroups, links, containers, attached namespaces) is
// recorded in the manifest before it is created; Teardown pulls the plug
// (SIGKILL of each container's PID 1 takes everything inside with it: a
// run's cluster is thrown away, not shut down), then removes the rest
// like the netns provider does. machinectl is not used
// (there is no systemd on this machine). Not thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "providers/cgroup_limits.h"
#include "providers/local_files.h"
#include "providers/netns_provider.h"

namespace pgha {

struct ContainersOptions {
  std::string image_dir = "/var/lib/pgha-chaos/images/debian12";  // rootfs/ and packages (tools/build-image.sh)
  std::string package_list;  // fixtures/image/packages.txt; "" skips the image's freshness check
  std::string build_image = "tools/build-image.sh";  // the script that builds it, as errors name it
  std::string packages_dir;                          // the user's .deb folder the image was built with (--packages), or
  std::string cgroup_root = "/sys/fs/cgroup";
  Duration boot_timeout = std::chrono::seconds(30);  // until `systemctl is-system-running` says running
};

// Where a container's layers live on this machine.
struct ContainerPaths {
  std::string base;   // <run>/.containers/<host>
  std::string upper;  // the container's own writes
  std::string work;
  std::string root;  // the merged root filesystem it boots
  std::string log;   // systemd-nspawn's output
};
ContainerPaths PathsOf(const ClusterPlan& plan, const HostPlan& h);
ContainerPaths PathsOf(const HostPlan& h);                      // from the host's folder (<run>/<host>)
std::string MachineName(const std::string& run_id, int index);  // pgc<run>h<index>: 14-character veth names
// The per-run SSH key that every container authorizes for root.
std::string SshKeyPath(const std::string& run_dir);
// The container's PID 1 as this machine numbers it: the child of its
// systemd-nspawn (pid `nspawn`) that is PID 1 of a namespace; 0 when none.
int ContainerInitOf(int nspawn);
// The image's package words, one line, as tools/build-image.sh writes them.
std::string NormalizedPackageList(const std::string& packages_txt);

class ContainerShell : public NetnsShell {
 public:
  ContainerShell(NetnsDeps d, const ContainersOptions& o) : NetnsShell(d), d_(d), o_(o) {}
  Result<CommandResult> Exec(const HostPlan& host, const std::vector<std::string>& argv, Duration timeout) override;
  Status StartDaemon(const HostPlan& host, const DaemonLaunch& daemon, Manifest& m) override;
  Result<std::vector<int>> Freeze(const HostPlan& host, const std::vector<int>& spare) override;
  Status Thaw(const HostPlan& host, const std::vector<int>& frozen) override;
  int FromHostPid(const HostPlan& host, int pid_on_host) override;
  // The container's PID 1 as this machine numbers it; 0 when it does not run.
  int InitPid(const std::string& scope);

 private:
  Status SetFreezer(const HostPlan& host, const std::string& state);
  NetnsDeps d_;
  const ContainersOptions& o_;
};

// Files of a container's host: paths below the host's folder are the same
// here (bind-mounted); any other path is in the container's root. Owners
// are the image's users (its postgres is not this machine's).
class ContainerFiles : public LocalFiles {
 public:
  explicit ContainerFiles(const ContainersOptions& o) : o_(o) {}
  Status WriteFile(const HostPlan& host, const FileSpec& file) override;
  Status MakeDirectory(const HostPlan& host, const std::string& path, mode_t mode, const std::string& owner) override;
  Result<std::string> ReadFile(const HostPlan& host, const std::string& path) override;
  Result<uint64_t> RemoveTree(const HostPlan& host, const std::string& path) override;
  Result<uint64_t> FillFilesystem(const HostPlan& host, const std::string& path, Manifest& m) override;
  Status RemoveFile(const HostPlan& host, const std::string& path) override;

 protected:
  std::optional<std::pair<uid_t, gid_t>> LookupOwner(const std::string& user) override;

 private:
  std::string Local(const HostPlan& host, const std::string& path) const;
  const ContainersOptions& o_;
};

class ContainersProvider : public Provider {
 public:
  ContainersProvider(NetnsDeps d, ContainersOptions o)
      : d_(d), o_(std::move(o)), shell_(d, o_), files_(o_), network_(d), services_(shell_, files_) {}
  std::string Name() const override { return "containers"; }
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

 private:
  Status CheckImage();
  Status MakeSshKey(const ClusterPlan& plan, Manifest& m);
  Status PrepareHost(const ClusterPlan& plan, const HostPlan& h, Manifest& m);
  Status Boot(const ClusterPlan& plan, const HostPlan& h, Manifest& m);
  Status WaitRunning(const HostPlan& h, Manifest& m, TimePoint deadline);

  NetnsDeps d_;
  ContainersOptions o_;
  ContainerShell shell_;
  ContainerFiles files_;
  NetnsNetwork network_;
  DaemonControl services_;
  CgroupLimits limits_;
};

}  // namespace pgha
