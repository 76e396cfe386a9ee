// The subcommand table (app/subcommands.h) and each row's options.
#include "app/subcommands.h"

#include "app/cli_docs.h"
#include "providers/registry.h"

namespace pgha {
namespace {

std::string ProvidersHelp() { return "where the hosts are made: " + ProviderNames() + " (default netns)"; }

// --packages DIR of up, run and sweep (providers/image_packages.h).
void AddPackagesOption(CLI::App& cmd, std::string* dir) {
  cmd.add_option("--packages", *dir,
                 "containers: a folder of your own .deb files (Patroni, PostgreSQL, etcd, ...), baked into the "
                 "image that sudo tools/build-image.sh --packages DIR builds");
}

// --summary and --annotations of run and report (app/ci_outputs.h).
void AddCiOutputOptions(CLI::App& cmd, CiOutputOptions* ci) {
  cmd.add_option("--summary", ci->summary,
                 "append a Markdown summary (verdicts first, under 1 MiB) to this file; under GitHub Actions "
                 "$GITHUB_STEP_SUMMARY is used when this is not given");
  cmd.add_option("--annotations", ci->annotations,
                 "print CI annotations for missed targets: github (at most 10 errors and 10 warnings, the most "
                 "important first)")
      ->check(CLI::IsMember({"github"}));
}

void DeclareUp(CLI::App& cmd, CommandLine& c) {
  cmd.add_option("--topology", c.up.topology_file,
                 "a topology: a name in <fixtures>/topologies/ (seed-001-haproxy-vip, ...) or a file (default: "
                 "compact)");
  cmd.add_option("--subnet", c.up.subnet, "IPv4 subnet for the cluster's hosts, e.g. 10.77.0.0/24");
  cmd.add_option("--timeout", c.up.timeout, "deadline to reach healthy, e.g. 90s (default: the topology's up_timeout)");
  cmd.add_option("--provider", c.up.where.provider, ProvidersHelp());
  AddPackagesOption(cmd, &c.up.where.packages);
  cmd.add_option("--inventory", c.up.where.inventory,
                 "ssh: the Ansible inventory of an existing cluster (up then only checks its health)")
      ->check(CLI::ExistingFile);
  cmd.add_flag("--bare", c.up.bare,
               "containers: the hosts only, no services, and an Ansible inventory of them for your playbook");
}

void DeclareStatus(CLI::App& cmd, CommandLine& c) {
  cmd.add_flag("--json", c.json, "print JSON for machines");
  cmd.add_option("--provider", c.status.provider, ProvidersHelp());
  cmd.add_option("--inventory", c.status.inventory, "ssh: the Ansible inventory of an existing cluster")
      ->check(CLI::ExistingFile);
}

void DeclareDown(CLI::App& cmd, CommandLine& c) {
  cmd.add_option("--provider", c.down_provider, "only a cluster (or runs) this provider made");
}

void DeclareRunWhere(CLI::App& cmd, CommandLine& c) {
  cmd.add_option("--subnet", c.run.subnet, "IPv4 subnet for the clusters, e.g. 10.77.0.0/24");
  cmd.add_option("--topology", c.run.topology,
                 "run every scenario on this topology (a name in fixtures/topologies/ or a file) instead of its "
                 "own; a scenario that needs what it lacks is skipped with the reason");
  cmd.add_option("--provider", c.run.where.provider, ProvidersHelp());
  AddPackagesOption(cmd, &c.run.where.packages);
  cmd.add_option("--inventory", c.run.where.inventory, "ssh: the Ansible inventory of an existing cluster")
      ->check(CLI::ExistingFile);
  cmd.add_flag("--dry-run", c.run.where.dry_run,
               "ssh: print every command a run would send to the hosts, and run none");
}

void DeclareRun(CLI::App& cmd, CommandLine& c) {
  cmd.add_option("files", c.run.files, "scenario files")->check(CLI::ExistingFile);
  cmd.add_option("--suite", c.run.suites,
                 "a suite file (scenarios/suites/*.yaml); its scenarios run after the files named, one combined report")
      ->check(CLI::ExistingFile);
  cmd.add_option("--output", c.run.output, "results folder (default: pgha-results/<UTC time>)");
  c.run_seed = cmd.add_option("--seed", c.seed, "repeat the random choices of an earlier run");
  DeclareRunWhere(cmd, c);
  cmd.add_option("--trials", c.run.trials,
                 "run each scenario N times, each on a fresh cluster, and judge the runs together "
                 "(targets may then be \"p95 < 6s\" or \"0 in 9 of 10\")")
      ->check(CLI::Range(1, 1000));
  cmd.add_option("--jobs", c.run.jobs,
                 "run N scenarios at once, each on its own cluster and subnet (the topology's, then the next ones "
                 "of its size); results and reports keep the list's order. Timings move when clusters share "
                 "the CPUs: docs/trials-sweeps-lint.md, \"Scenarios at once\"")
      ->check(CLI::Range(1, 16));
  cmd.add_option("--baseline", c.run.baseline,
                 "an earlier results folder: a metric worse beyond its noise, a new lost write or split brain, "
                 "or a target that went from pass to fail is a regression (exit 1)")
      ->check(CLI::ExistingDirectory);
  cmd.add_option("--tolerance", c.run.tolerance,
                 "with --baseline: how much worse a time may get, \"20%\" (default) or \"1.5s\"");
  AddCiOutputOptions(cmd, &c.run.ci);
  cmd.add_option("--shard", c.run.shard,
                 "I/N: run only the I-th of N shares of the scenarios (one machine of a CI matrix); "
                 "`pgha-chaos merge` joins the shares' results folders");
  cmd.add_option("--shard-timings", c.run.shard_timings,
                 "an earlier results folder: balance the shares by its scenarios' durations (default: every N-th)")
      ->check(CLI::ExistingDirectory);
}

void DeclareSweep(CLI::App& cmd, CommandLine& c) {
  cmd.add_option("scenario", c.sweep.scenario, "a scenario file")->required()->check(CLI::ExistingFile);
  cmd.add_option("--set", c.sweep.sets, "GROUP.SETTING=V1,V2,... e.g. patroni.ttl=5s,10s,30s (repeat)")
      ->required()
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd.add_option("--trials", c.sweep.trials, "runs per combination (default 3)")->check(CLI::Range(1, 100));
  cmd.add_option("--control", c.sweep.control, "the no-fault control's length (default 60s; 0s: none)");
  cmd.add_option("--output", c.sweep.output, "results folder (default: pgha-results/sweep-<UTC time>)");
  c.sweep_seed = cmd.add_option("--seed", c.seed, "repeat the random choices of an earlier sweep");
  cmd.add_option("--subnet", c.sweep.subnet, "IPv4 subnet for the clusters");
  cmd.add_option("--provider", c.sweep.where.provider, "netns (default) or containers");
  AddPackagesOption(cmd, &c.sweep.where.packages);
  cmd.add_option("--summary", c.sweep.ci.summary,
                 "append a Markdown table of the combinations (under 1 MiB) to this file; under GitHub Actions "
                 "$GITHUB_STEP_SUMMARY is used when this is not given");
}

void DeclareCompare(CLI::App& cmd, CommandLine& c) {
  cmd.add_option("baseline", c.compare_base, "the earlier results folder")->required()->check(CLI::ExistingDirectory);
  cmd.add_option("now", c.compare_now, "the results folder to judge")->required()->check(CLI::ExistingDirectory);
  cmd.add_option("--tolerance", c.compare_tolerance, "how much worse a time may get: \"20%\" or \"1.5s\"");
  cmd.add_flag("--json", c.json, "print JSON for machines");
}

void DeclareReport(CLI::App& cmd, CommandLine& c) {
  cmd.add_option("dir", c.report.dir, "a folder written by `pgha-chaos run --output`")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmd.add_option("--output", c.report.output,
                 "write junit.xml and report.html into this folder (made if missing) instead of into dir, "
                 "e.g. when dir is read-only");
  AddCiOutputOptions(cmd, &c.report.ci);
  cmd.add_option("--pdf", c.report.pdf,
                 "also print the acceptance report to this PDF (headless Chromium): a cover with the cluster, the "
                 "versions, the settings and the SHA-256 of every results file (kept in evidence.sha256), expected "
                 "against measured, deviations and sign-off fields");
  cmd.add_flag("--verify", c.report.verify,
               "only check the folder's files against its evidence.sha256: exit 1 when one changed, went missing or "
               "was added");
}

void DeclareMerge(CLI::App& cmd, CommandLine& c) {
  cmd.add_option("dirs", c.merge.dirs, "the results folders of every share (run --shard I/N --output DIR)")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmd.add_option("--output", c.merge.output, "the merged results folder (new or empty)")->required();
  AddCiOutputOptions(cmd, &c.merge.ci);
}

void DeclareValidate(CLI::App& cmd, CommandLine& c) {
  // Not CLI::ExistingFile: a missing file is one invalid file among the others, each checked.
  cmd.add_option("files", c.validate_files,
                 "scenario, suite, topology, Patroni overlay, config template or Ansible inventory files; - reads "
                 "standard input")
      ->required();
  cmd.add_flag("--json", c.json, "print JSON for machines");
}

void DeclareLint(CLI::App& cmd, CommandLine& c) {
  cmd.add_option("files", c.lint.files,
                 "a topology or scenario, your patroni.yml, haproxy.cfg, keepalived.conf, etcd config")
      ->required()
      ->check(CLI::ExistingFile);
  cmd.add_option("--target", c.lint.target, "the failover time the deployment claims (default 10s)");
  cmd.add_option("--patroni-version", c.lint.patroni_version,
                 "predict for this Patroni version (default: the installed one, else 3.0.2): from 3.2.0 "
                 "Patroni raises ttl to 20s, retry_timeout to 3s");
  cmd.add_flag("--json", c.lint.json, "print JSON for machines");
  cmd.add_option("--sarif", c.lint.sarif,
                 "also write the findings as SARIF 2.1.0 to this file, each at the file and line of its "
                 "setting (for code review: GitHub code scanning, GitLab)");
}

void DeclareCheckHistory(CLI::App& cmd, CommandLine& c) {
  cmd.add_option("file", c.check_history.file, "the history; - reads standard input")->required();
  cmd.add_option("--model", c.check_history.model, "the history's model (list-append)")->capture_default_str();
  cmd.add_flag("--json", c.check_history.json,
               "print JSON: valid, anomaly_types, anomalies with explanations, models ruled out");
}

void DeclareList(CLI::App& cmd, CommandLine& c) {
  cmd.add_option("--dir", c.list_dir, "a scenario folder (suites in its suites/)")
      ->capture_default_str()
      ->check(CLI::ExistingDirectory);
  cmd.add_flag("--json", c.json, "print JSON for machines");
}

void DeclareCompletion(CLI::App& cmd, CommandLine& c) {
  cmd.add_option("shell", c.docs_format, "the shell (bash)")->required()->check(CLI::IsMember({"bash"}));
}

void DeclareNothing(CLI::App&, CommandLine&) {}

}  // namespace

const std::vector<Subcommand>& Subcommands() {
  static const std::vector<Subcommand> kTable = {
      {"up", "stand up a cluster and wait until it is healthy; prints connection strings", false, false, DeclareUp,
       [](CommandLine& c) { return RunUp(c.global, c.up); }},
      {"status", "members, roles, timeline, lag, services and endpoints of the running cluster", false, false,
       DeclareStatus, [](CommandLine& c) { return RunStatus(c.global, c.status, c.json); }},
      {"down", "remove everything `up` made", false, false, DeclareDown,
       [](CommandLine& c) { return RunDown(c.global, c.down_provider); }},
      {"cleanup", "remove whatever crashed or killed runs left, from their manifests", false, false, DeclareDown,
       [](CommandLine& c) { return RunCleanup(c.global, c.down_provider); }},
      {"run", "run scenarios, each on a fresh cluster; exit 1 when a target is missed", false, false, DeclareRun,
       [](CommandLine& c) {
         if (*c.run_seed) c.run.seed = c.seed;
         return RunRun(c.global, c.run);
       }},
      {"sweep", "run a scenario over a grid of settings, with a no-fault control each: which settings to run?", false,
       false, DeclareSweep,
       [](CommandLine& c) {
         if (*c.sweep_seed) c.sweep.seed = c.seed;
         return RunSweepCommand(c.global, c.sweep);
       }},
      {"compare", "hold a results folder against an earlier one (as run --baseline does): exit 1 on a regression",
       false, true, DeclareCompare,
       [](CommandLine& c) { return RunCompare(c.global, c.compare_base, c.compare_now, c.compare_tolerance, c.json); }},
      {"report", "recompute verdicts from a results folder and write its JUnit and HTML again, no cluster needed",
       false, true, DeclareReport, [](CommandLine& c) { return RunReport(c.global, c.report); }},
      {"merge",
       "join the results folders of a sharded run's shares (run --shard I/N) into one, reported as one run: exit as "
       "report",
       false, false, DeclareMerge, [](CommandLine& c) { return RunMerge(c.global, c.merge); }},
      {"validate",
       "check scenario, suite and topology files (keys, types, units, targets, your own Patroni overlay and "
       "templates) without touching the machine",
       false, true, DeclareValidate, [](CommandLine& c) { return RunValidate(c.global, c.validate_files, c.json); }},
      {"lint", "predict the failover window of each kind of failure from a cluster's settings, and flag what is unsafe",
       false, true, DeclareLint, [](CommandLine& c) { return RunLint(c.global, c.lint); }},
      {"check-history",
       "check a list-append history (elle-cli's JSON, or a run's history.elle.json) for isolation anomalies, as "
       "Jepsen's Elle does; exit 0 valid, 1 anomalies, 2 unreadable",
       false, true, DeclareCheckHistory, [](CommandLine& c) { return RunCheckHistory(c.check_history); }},
      {"list", "the scenarios, suites, fault kinds and planned operations that ship, one line each", false, true,
       DeclareList, [](CommandLine& c) { return RunList(c.global, c.list_dir, c.json); }},
      {"completion", "print the shell completion script: source <(pgha-chaos completion bash)", false, true,
       DeclareCompletion, [](CommandLine& c) { return PrintCompletion(*c.app); }},
      {"man", "print the manual page (roff): pgha-chaos man | man -l -", false, true, DeclareNothing,
       [](CommandLine& c) { return PrintManPage(*c.app); }},
      {"watchdog", "the emulated watchdog of one host (started by the harness)", true, false, DeclareWatchdog,
       [](CommandLine& c) { return RunWatchdogCommand(c.watchdog); }},
      {"packet-engine", "delays one NFQUEUE's packets (started by the latency fault)", true, false, DeclarePacketEngine,
       [](CommandLine& c) { return RunPacketEngineCommand(c.engine); }},
      {"tcp-probe", "TCP connect round trips, one per line (run by the latency fault)", true, false, DeclareTcpProbe,
       [](CommandLine& c) { return RunTcpProbeCommand(c.probe); }},
      {"durable-fs", "a FUSE file system that caches unsynced data (started by the harness)", true, false,
       DeclareDurableFs, [](CommandLine& c) { return RunDurableFsCommand(c.durable_fs); }},
  };
  return kTable;
}

}  // namespace pgha
