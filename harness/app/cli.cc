#include "app/cli.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <set>

#include "app/cli_refusals.h"
#include "app/commands.h"
#include "app/system.h"
#include "cluster/workdir.h"
#include "core/build_info.h"
#include "core/cancel.h"
#include "core/text.h"
#include "core/yaml_reader.h"
#include "providers/registry.h"

namespace pgha {
namespace {

// --summary and --annotations of run and report (app/ci_outputs.h).
void AddCiOutputOptions(CLI::App* cmd, CiOutputOptions* ci) {
  cmd->add_option("--summary", ci->summary,
                  "append a Markdown summary (verdicts first, under 1 MiB) to this file; under GitHub Actions "
                  "$GITHUB_STEP_SUMMARY is used when this is not given");
  cmd->add_option("--annotations", ci->annotations,
                  "print CI annotations for missed targets: github (at most 10 errors and 10 warnings, the most "
                  "important first)")
      ->check(CLI::IsMember({"github"}));
}

// --packages DIR of up, run and sweep (providers/image_packages.h).
void AddPackagesOption(CLI::App* cmd, std::string* dir) {
  cmd->add_option("--packages", *dir,
                  "containers: a folder of your own .deb files (Patroni, PostgreSQL, etcd, ...), baked into the "
                  "image that sudo tools/build-image.sh --packages DIR builds");
}

// Every option of every subcommand, and which subcommand was named.
struct CommandLine {
  GlobalOptions global;
  UpCommandOptions up;
  RunCommandOptions run;
  ProviderChoice status;
  LintCommandOptions lint;
  std::string compare_base, compare_now, compare_tolerance;
  SweepCommandOptions sweep;
  CLI::App* sweep_cmd;
  CLI::Option* sweep_seed;
  CLI::App* compare_cmd;
  CLI::App* lint_cmd;
  CheckHistoryOptions check_history;
  CLI::App* check_history_cmd;
  std::string down_provider;
  bool json = false;
  uint64_t seed = 0;
  std::vector<std::string> validate_files;
  std::string list_dir;
  std::string report_dir;
  std::string report_output;
  CiOutputOptions report_ci;
  WatchdogCommandOptions watchdog;
  CLI::App* watchdog_cmd;
  PacketEngineCommandOptions engine;
  DurableFsCommandOptions durable_fs;
  CLI::App* durable_fs_cmd;
  CLI::App* engine_cmd;
  TcpProbeCommandOptions probe;
  CLI::App* probe_cmd;
  CLI::App *up_cmd, *status_cmd, *down_cmd, *cleanup_cmd, *validate_cmd, *run_cmd, *list_cmd, *report_cmd;
  CLI::Option* seed_opt;
};

void AddClusterCommands(CLI::App& app, CommandLine& c) {
  const std::string providers = "where the hosts are made: " + ProviderNames() + " (default netns)";
  c.up_cmd = app.add_subcommand("up", "stand up a cluster and wait until it is healthy; prints connection strings");
  c.up_cmd->add_option("--topology", c.up.topology_file,
                       "a topology: a name in <fixtures>/topologies/ (seed-001-haproxy-vip, ...) or a file (default: "
                       "compact)");
  c.up_cmd->add_option("--subnet", c.up.subnet, "IPv4 subnet for the cluster's hosts, e.g. 10.77.0.0/24");
  c.up_cmd->add_option("--timeout", c.up.timeout,
                       "deadline to reach healthy, e.g. 90s (default: the topology's up_timeout)");
  c.up_cmd->add_option("--provider", c.up.where.provider, providers);
  AddPackagesOption(c.up_cmd, &c.up.where.packages);
  c.up_cmd
      ->add_option("--inventory", c.up.where.inventory,
                   "ssh: the Ansible inventory of an existing cluster (up then only checks its health)")
      ->check(CLI::ExistingFile);
  c.up_cmd->add_flag("--bare", c.up.bare,
                     "containers: the hosts only, no services, and an Ansible inventory of them for your playbook");
  c.status_cmd =
      app.add_subcommand("status", "members, roles, timeline, lag, services and endpoints of the running cluster");
  c.status_cmd->add_flag("--json", c.json, "print JSON for machines");
  c.status_cmd->add_option("--provider", c.status.provider, providers);
  c.status_cmd->add_option("--inventory", c.status.inventory, "ssh: the Ansible inventory of an existing cluster")
      ->check(CLI::ExistingFile);
  c.down_cmd = app.add_subcommand("down", "remove everything `up` made");
  c.down_cmd->add_option("--provider", c.down_provider, "only a cluster this provider made");
  c.cleanup_cmd = app.add_subcommand("cleanup", "remove whatever crashed or killed runs left, from their manifests");
  c.cleanup_cmd->add_option("--provider", c.down_provider, "only runs this provider made");
}

void AddRunCommands(CLI::App& app, CommandLine& c) {
  c.run_cmd = app.add_subcommand("run", "run scenarios, each on a fresh cluster; exit 1 when a target is missed");
  c.run_cmd->add_option("files", c.run.files, "scenario files")->check(CLI::ExistingFile);
  c.run_cmd
      ->add_option(
          "--suite", c.run.suites,
          "a suite file (scenarios/suites/*.yaml); its scenarios run after the files named, one combined report")
      ->check(CLI::ExistingFile);
  c.run_cmd->add_option("--output", c.run.output, "results folder (default: pgha-results/<UTC time>)");
  c.seed_opt = c.run_cmd->add_option("--seed", c.seed, "repeat the random choices of an earlier run");
  c.run_cmd->add_option("--subnet", c.run.subnet, "IPv4 subnet for the clusters, e.g. 10.77.0.0/24");
  c.run_cmd->add_option("--topology", c.run.topology,
                        "run every scenario on this topology (a name in fixtures/topologies/ or a file) instead of its "
                        "own; a scenario that needs what it lacks is skipped with the reason");
  c.run_cmd->add_option("--provider", c.run.where.provider,
                        "where the hosts are made: " + ProviderNames() + " (default netns)");
  AddPackagesOption(c.run_cmd, &c.run.where.packages);
  c.run_cmd->add_option("--inventory", c.run.where.inventory, "ssh: the Ansible inventory of an existing cluster")
      ->check(CLI::ExistingFile);
  c.run_cmd
      ->add_option("--trials", c.run.trials,
                   "run each scenario N times, each on a fresh cluster, and judge the runs together "
                   "(targets may then be \"p95 < 6s\" or \"0 in 9 of 10\")")
      ->check(CLI::Range(1, 1000));
  c.run_cmd
      ->add_option("--jobs", c.run.jobs,
                   "run N scenarios at once, each on its own cluster and subnet (the topology's, then the next ones "
                   "of its size); results and reports keep the list's order. Timings move when clusters share "
                   "the CPUs: README, \"Scenarios at once\"")
      ->check(CLI::Range(1, 16));
  c.run_cmd
      ->add_option("--baseline", c.run.baseline,
                   "an earlier results folder: a metric worse beyond its noise, a new lost write or split brain, "
                   "or a target that went from pass to fail is a regression (exit 1)")
      ->check(CLI::ExistingDirectory);
  c.run_cmd->add_option("--tolerance", c.run.tolerance,
                        "with --baseline: how much worse a time may get, \"20%\" (default) or \"1.5s\"");
  c.run_cmd->add_flag("--dry-run", c.run.where.dry_run,
                      "ssh: print every command a run would send to the hosts, and run none");
  AddCiOutputOptions(c.run_cmd, &c.run.ci);
  c.sweep_cmd = app.add_subcommand(
      "sweep", "run a scenario over a grid of settings, with a no-fault control each: which settings to run?");
  c.sweep_cmd->add_option("scenario", c.sweep.scenario, "a scenario file")->required()->check(CLI::ExistingFile);
  c.sweep_cmd->add_option("--set", c.sweep.sets, "GROUP.SETTING=V1,V2,... e.g. patroni.ttl=5s,10s,30s (repeat)")
      ->required()
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  c.sweep_cmd->add_option("--trials", c.sweep.trials, "runs per combination (default 3)")->check(CLI::Range(1, 100));
  c.sweep_cmd->add_option("--control", c.sweep.control, "the no-fault control's length (default 60s; 0s: none)");
  c.sweep_cmd->add_option("--output", c.sweep.output, "results folder (default: pgha-results/sweep-<UTC time>)");
  c.sweep_seed = c.sweep_cmd->add_option("--seed", c.seed, "repeat the random choices of an earlier sweep");
  c.sweep_cmd->add_option("--subnet", c.sweep.subnet, "IPv4 subnet for the clusters");
  c.sweep_cmd->add_option("--provider", c.sweep.where.provider, "netns (default) or containers");
  AddPackagesOption(c.sweep_cmd, &c.sweep.where.packages);
  c.compare_cmd = app.add_subcommand(
      "compare", "hold a results folder against an earlier one (as run --baseline does): exit 1 on a regression");
  c.compare_cmd->add_option("baseline", c.compare_base, "the earlier results folder")
      ->required()
      ->check(CLI::ExistingDirectory);
  c.compare_cmd->add_option("now", c.compare_now, "the results folder to judge")
      ->required()
      ->check(CLI::ExistingDirectory);
  c.compare_cmd->add_option("--tolerance", c.compare_tolerance, "how much worse a time may get: \"20%\" or \"1.5s\"");
  c.compare_cmd->add_flag("--json", c.json, "print JSON for machines");
  c.report_cmd = app.add_subcommand(
      "report", "recompute verdicts from a results folder and write its JUnit and HTML again, no cluster needed");
  c.report_cmd->add_option("dir", c.report_dir, "a folder written by `pgha-chaos run --output`")
      ->required()
      ->check(CLI::ExistingDirectory);
  c.report_cmd->add_option("--output", c.report_output,
                           "write junit.xml and report.html into this folder (made if missing) instead of into dir, "
                           "e.g. when dir is read-only");
  AddCiOutputOptions(c.report_cmd, &c.report_ci);
}

void AddFileCommands(CLI::App& app, CommandLine& c) {
  c.validate_cmd = app.add_subcommand("validate",
                                      "check scenario, suite and topology files (keys, types, units, targets, your own "
                                      "Patroni overlay and templates) without touching the machine");
  // Not CLI::ExistingFile: a missing file is one invalid file among the others, each checked.
  c.validate_cmd
      ->add_option("files", c.validate_files,
                   "scenario, suite, topology, Patroni overlay, config template or Ansible inventory files; - reads "
                   "standard input")
      ->required();
  c.validate_cmd->add_flag("--json", c.json, "print JSON for machines");
  c.lint_cmd = app.add_subcommand(
      "lint", "predict the failover window of each kind of failure from a cluster's settings, and flag what is unsafe");
  c.lint_cmd
      ->add_option("files", c.lint.files,
                   "a topology or scenario, your patroni.yml, haproxy.cfg, keepalived.conf, etcd config")
      ->required()
      ->check(CLI::ExistingFile);
  c.lint_cmd->add_option("--target", c.lint.target, "the failover time the deployment claims (default 10s)");
  c.lint_cmd->add_option("--patroni-version", c.lint.patroni_version,
                         "predict for this Patroni version (default: the installed one, else 3.0.2): from 3.2.0 "
                         "Patroni raises ttl to 20s, retry_timeout to 3s");
  c.lint_cmd->add_flag("--json", c.lint.json, "print JSON for machines");
  c.lint_cmd->add_option("--sarif", c.lint.sarif,
                         "also write the findings as SARIF 2.1.0 to this file, each at the file and line of its "
                         "setting (for code review: GitHub code scanning, GitLab)");
  c.check_history_cmd = app.add_subcommand(
      "check-history",
      "check a list-append history (elle-cli's JSON, or a run's history.elle.json) for isolation anomalies, as "
      "Jepsen's Elle does; exit 0 valid, 1 anomalies, 2 unreadable");
  c.check_history_cmd->add_option("file", c.check_history.file, "the history; - reads standard input")->required();
  c.check_history_cmd->add_option("--model", c.check_history.model, "the history's model (list-append)")
      ->capture_default_str();
  c.check_history_cmd->add_flag("--json", c.check_history.json,
                                "print JSON: valid, anomaly_types, anomalies with explanations, models ruled out");
  c.list_cmd =
      app.add_subcommand("list", "the scenarios, suites, fault kinds and planned operations that ship, one line each");
  c.list_cmd->add_option("--dir", c.list_dir, "a scenario folder (suites in its suites/)")
      ->capture_default_str()
      ->check(CLI::ExistingDirectory);
  c.list_cmd->add_flag("--json", c.json, "print JSON for machines");
}

// Hidden: started by the harness on each host of a topology with an emulated watchdog.
void AddWatchdogCommand(CLI::App& app, CommandLine& c) {
  c.watchdog_cmd = app.add_subcommand("watchdog", "the emulated watchdog of one host (started by the harness)");
  c.watchdog_cmd->group("");
  c.watchdog_cmd->add_option("--device", c.watchdog.device, "the named pipe to create and read")->required();
  c.watchdog_cmd->add_option("--owner", c.watchdog.owner, "the user who writes it (Patroni's)");
  c.watchdog_cmd->add_option("--marker", c.watchdog.marker, "file appended to when the host is fenced")->required();
}

// Hidden: started by the latency fault on a host (the packet engine, and its measuring probe).
void AddHelperCommands(CLI::App& app, CommandLine& c) {
  c.engine_cmd = app.add_subcommand("packet-engine", "delays one NFQUEUE's packets (started by the latency fault)");
  c.engine_cmd->group("");
  c.engine_cmd->add_option("--queue", c.engine.queue, "the NFQUEUE number")->required()->check(CLI::Range(0, 65535));
  c.engine_cmd->add_option("--delay-ms", c.engine.delay_ms)->check(CLI::Range(0.0, 600000.0));
  c.engine_cmd->add_option("--jitter-ms", c.engine.jitter_ms)->check(CLI::Range(0.0, 600000.0));
  c.engine_cmd->add_option("--distribution", c.engine.distribution)
      ->check(CLI::IsMember({"uniform", "normal", "pareto"}));
  c.engine_cmd->add_option("--reorder", c.engine.reorder, "percent")->check(CLI::Range(0.0, 100.0));
  c.engine_cmd->add_option("--duplicate", c.engine.duplicate, "percent")->check(CLI::Range(0.0, 100.0));
  c.engine_cmd->add_option("--max-held", c.engine.max_held)->check(CLI::Range(1, 1 << 20));
  c.engine_cmd->add_option("--rate-bps", c.engine.rate_bps, "pace packets to this many bits/s")
      ->check(CLI::Range(0.0, 1e12));
  c.engine_cmd->add_option("--mark", c.engine.mark);
  c.probe_cmd = app.add_subcommand("tcp-probe", "TCP connect round trips, one per line (run by the latency fault)");
  c.probe_cmd->group("");
  c.probe_cmd->add_option("--address", c.probe.address)->required();
  c.probe_cmd->add_option("--port", c.probe.port)->required()->check(CLI::Range(1, 65535));
  c.probe_cmd->add_option("--count", c.probe.count)->check(CLI::Range(1, 1000));
  c.probe_cmd->add_option("--spacing-ms", c.probe.spacing_ms)->check(CLI::Range(1, 10000));
  c.probe_cmd->add_option("--timeout-ms", c.probe.timeout_ms)->check(CLI::Range(1, 600000));
}

// Hidden: started by the netns provider under a host's data volume (scenarios with durability faults).
void AddDurableFsCommand(CLI::App& app, CommandLine& c) {
  c.durable_fs_cmd =
      app.add_subcommand("durable-fs", "a FUSE file system that caches unsynced data (started by the harness)");
  c.durable_fs_cmd->group("");
  c.durable_fs_cmd->add_option("--backing", c.durable_fs.backing, "the directory that holds the data")
      ->required()
      ->check(CLI::ExistingDirectory);
  c.durable_fs_cmd->add_option("--mount", c.durable_fs.mount, "where to mount it")
      ->required()
      ->check(CLI::ExistingDirectory);
  c.durable_fs_cmd->add_option("--control", c.durable_fs.control, "the control socket to create")->required();
  c.durable_fs_cmd->add_option("--max-dirty-mib", c.durable_fs.max_dirty_mib)->check(CLI::Range(1, 4096));
  c.durable_fs_cmd->add_option("--write-back-after-ms", c.durable_fs.write_back_after_ms)
      ->check(CLI::Range(1, 3600000));
}

int Dispatch(CommandLine& c) {
  if (*c.durable_fs_cmd) return RunDurableFsCommand(c.durable_fs);
  if (*c.watchdog_cmd) return RunWatchdogCommand(c.watchdog);
  if (*c.engine_cmd) return RunPacketEngineCommand(c.engine);
  if (*c.probe_cmd) return RunTcpProbeCommand(c.probe);
  if (*c.up_cmd) return RunUp(c.global, c.up);
  if (*c.status_cmd) return RunStatus(c.global, c.status, c.json);
  if (*c.down_cmd) return RunDown(c.global, c.down_provider);
  if (*c.cleanup_cmd) return RunCleanup(c.global, c.down_provider);
  if (*c.validate_cmd) return RunValidate(c.global, c.validate_files, c.json);
  if (*c.report_cmd) return RunReport(c.global, c.report_dir, c.report_output, c.report_ci);
  if (*c.list_cmd) return RunList(c.global, c.list_dir, c.json);
  if (*c.lint_cmd) return RunLint(c.global, c.lint);
  if (*c.check_history_cmd) return RunCheckHistory(c.check_history);
  if (*c.sweep_cmd) {
    if (*c.sweep_seed) c.sweep.seed = c.seed;
    return RunSweepCommand(c.global, c.sweep);
  }
  if (*c.compare_cmd) return RunCompare(c.global, c.compare_base, c.compare_now, c.compare_tolerance, c.json);
  if (*c.run_cmd) {
    if (*c.seed_opt) c.run.seed = c.seed;
    return RunRun(c.global, c.run);
  }
  return 2;
}

// Commands that only read files: Ctrl-C or SIGTERM ends them at once
// (exit 130); they start nothing that needs an orderly end.
bool ReadsFilesOnly(const CommandLine& c) {
  return *c.validate_cmd || *c.lint_cmd || *c.list_cmd || *c.report_cmd || *c.compare_cmd || *c.check_history_cmd;
}

// Output that could not be written (a full disk, a closed pipe) is a
// failure, never exit 0: a CI step reading it would act on half of it.
int CheckedStdout(int code) {
  if (std::fflush(stdout) == 0 && !std::ferror(stdout)) return code;
  PrintError(fmt::format("cannot write the output: {}", std::strerror(errno)));
  return code == 0 ? 1 : code;
}

}  // namespace

int RunCommandLine(int argc, char** argv, const std::string& source_dir) {
  CLI::App app{
      "pgha-chaos: chaos and failover tests for PostgreSQL HA clusters (etcd + Patroni + PostgreSQL + HAProxy)"};
  app.require_subcommand(1);
  CommandLine c;
  c.global.workdir = kDefaultWorkdir;
  const char* env_fixtures = std::getenv("PGHA_CHAOS_FIXTURES");
  c.global.fixtures_dir = env_fixtures ? env_fixtures : source_dir + "/fixtures";
  c.list_dir = source_dir + "/scenarios";
  app.add_option("--workdir", c.global.workdir, "where manifests, configs, data and logs of runs live")
      ->capture_default_str();
  app.add_option("--fixtures", c.global.fixtures_dir, "folder with the config templates and topologies/")
      ->capture_default_str();
  AddClusterCommands(app, c);
  AddRunCommands(app, c);
  AddFileCommands(app, c);
  AddWatchdogCommand(app, c);
  AddHelperCommands(app, c);
  AddDurableFsCommand(app, c);
  app.set_version_flag("--version", PghaVersionLine(), "the version and the git commit it was built from");
  if (const std::string typed = TypedSubcommand(argc, argv);
      !typed.empty() && !IsHiddenCommand(app, typed) && SubcommandNames(app).count(typed) == 0)
    return RefuseUnknownSubcommand(app, typed);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // An unknown option is the cause to name, whatever CLI11 tripped over first.
    if (e.get_exit_code() != 0)
      if (auto code = RefuseUnknownOption(app, argc, argv)) return *code;
    app.exit(e);  // prints help, the version or the parse error
    return e.get_exit_code() == 0 ? 0 : 2;
  }
  if (ReadsFilesOnly(c)) ExitAtOnceOnCancelSignals();
  // The last guard: whatever still escapes is our bug, said in one line (exit 3), never `terminate`.
  int code = 3;
  try {
    code = Dispatch(c);
  } catch (const std::exception& e) {
    PrintError(fmt::format("internal error (a bug in pgha-chaos; please report it with the command line): {}",
                           Shorten(e.what())));
  } catch (...) {
    PrintError("internal error (a bug in pgha-chaos; please report it with the command line)");
  }
  return CheckedStdout(code);
}

}  // namespace pgha
