// Provider: the seam between the harness and the hosts a cluster runs on.
// A provider makes hosts (network namespaces on this machine, system
// containers, existing hosts over SSH) and does everything the harness
// does on a host, through three small interfaces:
//
//   HostShell    run a command, start a daemon, list and signal processes,
//                freeze and thaw a whole host
//   HostFiles    write, read, remove and fill files; copy logs out
//   HostNetwork  drop traffic or hand it to a packet queue (every rule
//                recorded in the manifest before it exists), shape it with a
//                qdisc
//   HostResources  limit the CPU, memory and block I/O of some of a host's processes
//                (a control group of the run's; a provider without says why)
//   ServiceControl  signal, start and check a host's services by kind
//                (cluster/service_control.h)
//
// Nothing above this folder names a concrete provider: the runner, deploy/,
// faults/ and the observer are handed a Provider&; app/ picks one by name
// from providers/registry.h (a new provider is a new file there plus one
// registration line). Which services run on a host and how they are
// configured is deploy/ and services/'s business, not the provider's.
//
// Every resource a provider creates (hosts, links, mounts, rules, daemons)
// is recorded in the run's Manifest before it is created; Teardown removes
// everything a manifest records, on success, failure, timeout, Ctrl-C, and
// from `pgha-chaos cleanup` after a SIGKILL. Failures are Status values.
// Thread-safety: one provider per command; the runner's thread calls it
// (the observer and workload threads use HTTP and SQL, not the provider).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cluster/manifest.h"
#include "core/clock.h"
#include "core/process.h"
#include "core/status.h"
#include "model/cluster_plan.h"

namespace pgha {

// A long-running service process on a host.
struct DaemonLaunch {
  std::string label;                       // "etcd@node1": how the manifest and messages name it
  std::vector<std::string> argv;           // argv[0] an absolute path on the host
  std::string user;                        // "" root
  std::map<std::string, std::string> env;  // the whole environment
  std::string working_dir;
  std::string log_file;  // on the host: stdout and stderr, appended
  // Its mounts are the host's (no mount namespace of its own, where a
  // provider gives daemons one): a daemon that mounts for the others.
  bool shares_mounts = false;
};

struct ProcessInfo {
  int pid = 0;
  int ppid = 0;
  uint64_t start_time = 0;  // guards against pid reuse
  char state = '?';         // R, S, D, T, Z, ...
};

class HostShell {
 public:
  virtual ~HostShell() = default;
  virtual Result<CommandResult> Exec(const HostPlan& host, const std::vector<std::string>& argv, Duration timeout) = 0;
  // Records the daemon in `m` (as "process", named by its label), starts it
  // and marks it created with its pid and start time.
  virtual Status StartDaemon(const HostPlan& host, const DaemonLaunch& daemon, Manifest& m) = 0;
  // Every live process of the host (zombies of our own children are reaped).
  virtual std::vector<ProcessInfo> Processes(const HostPlan& host) = 0;
  // Whether a process the provider started on the host is still that
  // process (same start time, not a zombie), including the moment after
  // StartDaemon when it may not be listed by Processes yet.
  virtual bool Alive(const HostPlan& host, int pid, uint64_t start_time) = 0;
  // false when the pid is gone or not the host's.
  virtual bool Signal(const HostPlan& host, int pid, int signal_number) = 0;
  // Stops everything on the host at once but the pids in `spare`; Thaw
  // undoes exactly that.
  virtual Result<std::vector<int>> Freeze(const HostPlan& host, const std::vector<int>& spare) = 0;
  virtual Status Thaw(const HostPlan& host, const std::vector<int>& frozen) = 0;
  // A pid as the host's own processes see it (postmaster.pid inside a
  // container) as the pid Processes and Signal use; 0 when there is none.
  virtual int FromHostPid(const HostPlan&, int pid_on_host) { return pid_on_host; }
};

struct FileSpec {
  std::string path;
  std::string content;
  mode_t mode = 0644;
  std::string owner;         // "" root
  std::string link_to = "";  // not "": a symbolic link to this path (content, mode and owner unused)
};

class HostFiles {
 public:
  virtual ~HostFiles() = default;
  virtual Status WriteFile(const HostPlan& host, const FileSpec& file) = 0;
  // Creates the directory (and parents); sets mode and owner on it alone.
  virtual Status MakeDirectory(const HostPlan& host, const std::string& path, mode_t mode,
                               const std::string& owner) = 0;
  virtual Result<std::string> ReadFile(const HostPlan& host, const std::string& path) = 0;
  // Removes a tree while its owners may still use it; returns how many entries went.
  virtual Result<uint64_t> RemoveTree(const HostPlan& host, const std::string& path) = 0;
  // Creates `path` (recorded in `m` first) and grows it until its
  // filesystem is full; returns the bytes written.
  virtual Result<uint64_t> FillFilesystem(const HostPlan& host, const std::string& path, Manifest& m) = 0;
  virtual Status RemoveFile(const HostPlan& host, const std::string& path) = 0;
  // Copies the named files (those that exist) into dest_dir on this machine.
  virtual Status CollectLogs(const HostPlan& host, const std::vector<std::string>& files,
                             const std::string& dest_dir) = 0;
};

// Traffic of one host to drop: everything in one direction, or only to/from
// a peer, or only TCP to a port; at random with `probability` below 1.
// With `queue` set, the traffic is handed to that NFQUEUE instead (with
// --queue-bypass: it flows when no program reads the queue), all but
// packets carrying `skip_mark` (the queue reader's own re-sent copies).
struct TrafficBlock {
  enum class Direction { kIn, kOut };
  Direction direction = Direction::kIn;
  std::string peer = "";  // an address; "" any
  int tcp_port = 0;       // outgoing TCP to this port only; 0 any
  double probability = 1.0;
  int queue = -1;     // 0..65535: NFQUEUE this queue instead of DROP
  int skip_mark = 0;  // with a queue: packets with this mark are not queued
};

// A root qdisc on a host's interface: {"netem", {"delay", "200ms"}}, {"tbf", {"rate", "1mbit", ...}}.
struct TrafficShape {
  std::string qdisc;
  std::vector<std::string> args;
};

class HostNetwork {
 public:
  virtual ~HostNetwork() = default;
  // Records the rule in `m` (named `label`) before adding it; returns its manifest id.
  virtual Result<size_t> Block(const HostPlan& host, const TrafficBlock& block, const std::string& label,
                               Manifest& m) = 0;
  virtual Status Unblock(size_t id, Manifest& m) = 0;
  // "" when the host's kernel has this qdisc, else why not (the fault is reported skipped).
  virtual std::string WhyNoShape(const HostPlan& host, const TrafficShape& shape) = 0;
  // Puts the qdisc on the host's interface (recorded in `m` first, so teardown removes it too).
  virtual Result<size_t> Shape(const HostPlan& host, const TrafficShape& shape, const std::string& label,
                               Manifest& m) = 0;
  virtual Status Unshape(size_t id, Manifest& m) = 0;
};

// A limit on some of a host's processes: a CPU quota, a memory limit (0: none).
struct ResourceLimit {
  double cpu_cores = 0;  // > 0: at most this share of one core (0.05: 5 % of a core)
  // > 0: what the processes may charge from now on; past it the kernel reclaims, then OOM-kills.
  uint64_t memory_bytes = 0;
  // > 0: their reads and writes on the block device that holds io_path,
  // each direction at most this many bytes (and operations) per second.
  uint64_t io_bytes_per_s = 0;
  uint64_t io_ops_per_s = 0;
  std::string io_path = "";
  bool io() const { return io_bytes_per_s > 0 || io_ops_per_s > 0; }
};

// What a limit did while it held, read before it is lifted.
struct LimitUsage {
  double cpu_seconds = 0;         // used by the limited processes
  int64_t periods = 0;            // CPU quota periods (100 ms) in which they ran
  int64_t throttled_periods = 0;  // of which they used up the quota
  double throttled_s = 0;         // the time they waited for the next period
  uint64_t memory_peak_bytes = 0;
  int64_t memory_limit_hits = 0;  // allocations that met the limit (reclaim)
  int64_t oom_kills = 0;          // processes the kernel killed for it
  uint64_t io_bytes = 0;          // read and written on the throttled device
};

// Limits on a host's processes. The processes are moved into a group of the
// run's (recorded in the manifest before it exists); children they fork
// stay in it. Unlimit (and teardown) moves them back and removes the group.
class HostResources {
 public:
  virtual ~HostResources() = default;
  // "" when the host can take this limit, else why not (the fault is reported skipped).
  virtual std::string WhyNoLimit(const HostPlan& host, const ResourceLimit& limit) = 0;
  virtual Result<size_t> Limit(const HostPlan& host, const std::vector<int>& pids, const ResourceLimit& limit,
                               const std::string& label, Manifest& m) = 0;
  virtual Result<LimitUsage> Usage(size_t id, const Manifest& m) = 0;
  virtual Status Unlimit(size_t id, Manifest& m) = 0;
};

// A provider's resources where it cannot limit any: every WhyNoLimit says `why`.
class NoHostResources : public HostResources {
 public:
  explicit NoHostResources(std::string why) : why_(std::move(why)) {}
  std::string WhyNoLimit(const HostPlan&, const ResourceLimit&) override { return why_; }
  Result<size_t> Limit(const HostPlan&, const std::vector<int>&, const ResourceLimit&, const std::string&,
                       Manifest&) override {
    return Failed(why_);
  }
  Result<LimitUsage> Usage(size_t, const Manifest&) override { return Failed(why_); }
  Status Unlimit(size_t, Manifest&) override { return Status::Ok(); }

 private:
  std::string why_;
};

struct RequiredProgram {
  std::string path;
  std::string package;
};

// A component's version as its binary reports it: {"etcd", {"/usr/bin/etcd", "--version"}}.
struct VersionQuery {
  std::string component;
  std::vector<std::string> argv;
};

struct TeardownOptions {
  std::string allowed_root;  // local directories outside it are never removed
  Duration process_exit_deadline = std::chrono::seconds(5);
};

struct TeardownReport {
  int removed = 0;
  int processes_killed = 0;
  std::vector<std::string> errors;
  bool ok() const { return errors.empty(); }
};

class ServiceControl;

// A capability (after Jepsen's optional protocols): a provider whose hosts
// an Ansible inventory describes (ssh), which the user's playbooks run
// against (operations/ansible_operation.cc).
class AnsibleHosts {
 public:
  virtual ~AnsibleHosts() = default;
  virtual std::string InventoryFile() const = 0;
};

class Provider {
 public:
  virtual ~Provider() = default;
  virtual std::string Name() const = 0;
  // Resolves each host of a fresh plan: the provider's name for it
  // (HostPlan::scope) and, where the provider decides it, its address. Pure.
  virtual Status Place(ClusterPlan* plan) = 0;
  // Everything checked before anything is created: the machine can build
  // `plan` (root, kernel features, free addresses, the programs services need).
  virtual Status Preflight(const ClusterPlan& plan, const std::vector<RequiredProgram>& programs) = 0;
  // Creates the run folder and the hosts (network, host folders, data
  // volumes), each recorded in `m` first. On failure what was made is in `m`.
  virtual Status CreateHosts(const ClusterPlan& plan, Manifest& m) = 0;
  // Removes everything `m` records, newest first; what fails stays in `m`.
  virtual TeardownReport Teardown(Manifest& m, const TeardownOptions& options) = 0;
  // The components' versions, "unknown" where a query fails.
  virtual std::map<std::string, std::string> Versions(const std::vector<VersionQuery>& queries) = 0;
  virtual HostShell& Shell() = 0;
  virtual HostFiles& Files() = 0;
  virtual HostNetwork& Network() = 0;
  virtual ServiceControl& Services() = 0;
  virtual HostResources& Resources() = 0;
  // Whether `up` builds the services (netns, containers) or finds them
  // running and only checks their health (ssh: a cluster someone else
  // built, whose configuration the harness never touches).
  virtual bool BuildsServices() const { return true; }
  // Whether a host can run this machine's programs by their path here
  // (netns: one filesystem), so helpers of ours (the packet engine, its
  // probe) run on it through HostShell.
  virtual bool RunsLocalPrograms() const { return false; }
  // The cluster's own credentials where the provider attaches to one;
  // nullopt: the deployer generates them per run.
  virtual std::optional<Secrets> ExistingSecrets() { return std::nullopt; }
};

// Pids of the daemon `label` ("patroni@node1") that the manifest records
// and that are still the same live process on the host.
std::vector<int> LiveDaemonPids(const Manifest& m, const std::string& label, HostShell& shell, const HostPlan& host);

// Records a local directory (the run's folder) in `m`, then creates it.
Status CreateRecordedDirectory(const std::string& path, Manifest& m);

// Removes a recorded local directory, only below `allowed_root` (a guard
// against a damaged manifest); "" on success (or when already gone), else why not.
std::string RemoveRecordedDirectory(const std::string& path, const std::string& allowed_root);
// The same for one recorded file (a certificate or key).
std::string RemoveRecordedFile(const std::string& path, const std::string& allowed_root);

}  // namespace pgha
