// The subcommands behind main.cpp, by group: cluster_commands.cc (up,
// status, down, cleanup), run_commands.cc (run, report), file_commands.cc
// (validate, list), watchdog_command.cc (the hidden per-host watchdog
// daemon). Each returns the process exit code:
//   0 success, 1 a target missed or the cluster is not healthy,
//   2 bad input (flags, files, not root, a missing package),
//   3 infrastructure error (a deadline passed, a daemon died),
//   130 interrupted (after tearing down).
// Options are plain structs filled by CLI11 in main.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace pgha {

struct GlobalOptions {
  std::string workdir;       // default kDefaultWorkdir
  std::string fixtures_dir;  // default: the project's fixtures/
};

// Where the hosts are: a provider, and for ssh the inventory of the hosts.
struct ProviderChoice {
  std::string provider;   // default netns
  std::string inventory;  // ssh: an Ansible inventory
  bool dry_run = false;   // ssh, run: print every command, run none
  std::string packages;   // containers: a folder of the user's own .deb files, baked into the image
};

struct UpCommandOptions {
  std::string topology_file;  // default <fixtures>/topologies/compact.yaml
  std::string subnet;         // overrides the topology's
  std::string timeout;        // overrides the topology's up_timeout ("90s")
  ProviderChoice where;
  bool bare = false;  // containers: hosts only, and an Ansible inventory of them
};

// Where a CI job reads results (app/ci_outputs.cc): a Markdown summary
// appended to `summary` (or to $GITHUB_STEP_SUMMARY when that is set), and
// workflow annotations on standard output (`annotations`: "" or "github").
struct CiOutputOptions {
  std::string summary;
  std::string annotations;
};

struct RunCommandOptions {
  std::vector<std::string> files;   // scenario files, run in order
  std::vector<std::string> suites;  // suite files: their scenarios run after `files`
  std::string output;               // default ./pgha-results/<UTC timestamp>
  std::string subnet;               // overrides every scenario's topology subnet
  std::optional<uint64_t> seed;     // default: random, printed and recorded
  ProviderChoice where;
  std::string topology;   // run every scenario on this topology (a name or a path) instead of its own
  int trials = 0;         // 0: each scenario's own `trials` (default 1)
  int jobs = 1;           // clusters at once (run/jobs.h)
  std::string baseline;   // an earlier results folder to hold this run against
  std::string tolerance;  // of a time metric against the baseline: "20%" (default) or "1.5s"
  CiOutputOptions ci;
  std::string shard;          // "I/N": only the I-th of N shares of the list (result/shard.h)
  std::string shard_timings;  // an earlier results folder whose durations balance the shares
};

struct SweepCommandOptions {
  std::string scenario;
  std::vector<std::string> sets;  // "patroni.ttl=5s,10s,30s", one per swept setting
  int trials = 3;
  std::string control;  // the no-fault control's hold ("60s"; "0s": none)
  std::string output;   // default pgha-results/sweep-<UTC time>
  std::optional<uint64_t> seed;
  std::string subnet;
  ProviderChoice where;
  CiOutputOptions ci;  // --summary only: a sweep has no targets to annotate
};

struct LintCommandOptions {
  std::vector<std::string> files;  // topology, scenario, patroni.yml, haproxy.cfg, keepalived.conf, etcd config
  std::string target;              // the failover target the deployment claims (default 10s)
  std::string patroni_version;     // predict for this Patroni ("" the installed one, else 3.0.2)
  bool json = false;
  std::string sarif;  // also write the findings here as SARIF 2.1.0 (report/sarif.h)
};

struct WatchdogCommandOptions {
  std::string device;  // the named pipe Patroni's testing driver writes
  std::string owner;   // the pipe's owner (Patroni's user)
  std::string marker;  // appended to when the host is fenced
};

int ExitCodeFor(const Status& s);

int RunUp(const GlobalOptions& g, const UpCommandOptions& o);
int RunStatus(const GlobalOptions& g, const ProviderChoice& where, bool as_json);
// `provider` "": whatever made the run; else only runs that provider made.
int RunDown(const GlobalOptions& g, const std::string& provider);
int RunCleanup(const GlobalOptions& g, const std::string& provider);
// Runs each scenario on a fresh cluster; exit 0 all targets met, 1 a target
// missed, 2 bad input (nothing started), 3 infrastructure error, 130 Ctrl-C.
int RunRun(const GlobalOptions& g, const RunCommandOptions& o);
// Recomputes verdicts from a results folder's saved history (no cluster)
// and writes its junit.xml and report.html again; exit codes as for run.
// `output`: where junit.xml and report.html go ("": into `dir` itself).
struct ReportCommandOptions {
  std::string dir;
  std::string output;  // junit.xml and report.html there instead of in dir
  CiOutputOptions ci;
  std::string pdf;      // also the acceptance PDF here, with evidence.sha256 (result/evidence.h)
  bool verify = false;  // only check dir's files against its evidence.sha256
};
int RunReport(const GlobalOptions& g, const ReportCommandOptions& o);

// merge: shares of a sharded run joined into `output` and reported as one run.
struct MergeCommandOptions {
  std::vector<std::string> dirs;
  std::string output;
  CiOutputOptions ci;
};
int RunMerge(const GlobalOptions& g, const MergeCommandOptions& o);
// Checks scenario and suite files without touching the machine: 0 all valid, 2 not.
int RunValidate(const GlobalOptions& g, const std::vector<std::string>& files, bool json);
// One line per scenario in `dir` and per suite in `dir`/suites: 0, or 2
// when the folder holds none or a file there does not load.
int RunList(const GlobalOptions& g, const std::string& dir, bool json);
// Holds the results folder `now` against `baseline` (check/compare.h):
// 0 nothing regressed, 1 something did, 2 bad input.
int RunCompare(const GlobalOptions& g, const std::string& baseline, const std::string& now,
               const std::string& tolerance, bool json);
// A scenario over a grid of settings (sweep_command.cc): 0 done, 2 bad
// input, 3 cut short by the deadline or an error, 130 Ctrl-C.
int RunSweepCommand(const GlobalOptions& g, const SweepCommandOptions& o);
// The predicted failover windows and findings of a cluster's settings:
// 0 nothing unsafe, 1 an unsafe setting, 2 bad input (lint_command.cc).
int RunLint(const GlobalOptions& g, const LintCommandOptions& o);
// A list-append history (elle-cli's JSON) through the transactional
// checker: 0 valid, 1 anomalies, 2 unreadable (check_history_command.cc).
struct CheckHistoryOptions {
  std::string model = "list-append";
  std::string file;  // - reads standard input
  bool json = false;
};
constexpr uint64_t kHistoryFileLimit = uint64_t{1} << 30;
int RunCheckHistory(const CheckHistoryOptions& o);
// The emulated watchdog of one host (watchdog_command.cc); runs until SIGTERM.
int RunWatchdogCommand(const WatchdogCommandOptions& o);

// Hidden helpers the latency fault runs on a host (netem_commands.cc).
struct PacketEngineCommandOptions {
  int queue = 0;
  double delay_ms = 0, jitter_ms = 0, reorder = 0, duplicate = 0, rate_bps = 0;
  std::string distribution = "uniform";
  int max_held = 4096;
  uint32_t mark = 0x70ea;
};
int RunPacketEngineCommand(const PacketEngineCommandOptions& o);
struct TcpProbeCommandOptions {
  std::string address;
  int port = 0, count = 10, spacing_ms = 20, timeout_ms = 5000;
};
int RunTcpProbeCommand(const TcpProbeCommandOptions& o);

// Hidden: the durable file system the netns provider mounts under a host's data (durable_fs_command.cc).
struct DurableFsCommandOptions {
  std::string backing, mount, control;
  int max_dirty_mib = 64;
  int write_back_after_ms = 30000;
};
int RunDurableFsCommand(const DurableFsCommandOptions& o);

}  // namespace pgha
