// pgha-chaos: stands up a real PostgreSQL HA cluster (etcd, Patroni,
// PostgreSQL, HAProxy) in network namespaces and proves or disproves what
// it claims. main only parses flags and dispatches; see app/commands.h.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <fcntl.h>
#include <fmt/format.h>

#include "app/commands.h"
#include "cluster/workdir.h"
#include "core/cancel.h"

#ifndef PGHA_SOURCE_DIR
#define PGHA_SOURCE_DIR "."
#endif

int main(int argc, char** argv) {
  using namespace pgha;
  // Children inherit our stdio: make sure 0-2 are open, whatever started us.
  for (int fd = 0; fd < 3; ++fd)
    if (fcntl(fd, F_GETFD) < 0) open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
  InstallCancelHandlers();
  std::vector<std::string> validate_files;
  CLI::App app{"pgha-chaos: chaos and failover tests for PostgreSQL HA clusters (etcd + Patroni + PostgreSQL + HAProxy)"};
  app.require_subcommand(1);
  GlobalOptions g;
  g.workdir = kDefaultWorkdir;
  const char* env_fixtures = std::getenv("PGHA_CHAOS_FIXTURES");
  g.fixtures_dir = env_fixtures ? env_fixtures : PGHA_SOURCE_DIR "/fixtures";
  app.add_option("--workdir", g.workdir, "where manifests, configs, data and logs of runs live")->capture_default_str();
  app.add_option("--fixtures", g.fixtures_dir, "folder with patroni.yml, etcd.conf.yml, haproxy.cfg templates")
      ->capture_default_str();

  UpCommandOptions up;
  auto* up_cmd = app.add_subcommand("up", "stand up a cluster and wait until it is healthy; prints connection strings");
  up_cmd->add_option("--topology", up.topology_file, "topology file (default: <fixtures>/topologies/compact.yaml)");
  up_cmd->add_option("--subnet", up.subnet, "IPv4 subnet for the cluster's bridge and namespaces, e.g. 10.77.0.0/24");
  up_cmd->add_option("--timeout", up.timeout, "deadline to reach healthy, e.g. 90s (default: the topology's up_timeout)");

  bool json = false;
  auto* status_cmd = app.add_subcommand("status", "members, roles, timeline, lag and HAProxy state of the running cluster");
  status_cmd->add_flag("--json", json, "print JSON for machines");

  auto* down_cmd = app.add_subcommand("down", "remove everything `up` made");
  auto* cleanup_cmd = app.add_subcommand("cleanup", "remove whatever crashed or killed runs left, from their manifests");

  auto* validate_cmd = app.add_subcommand("validate", "check scenario files (keys, types, units, targets) without touching the machine");
  validate_cmd->add_option("files", validate_files, "scenario or suite files")->required()->check(CLI::ExistingFile);

  RunCommandOptions run;
  uint64_t seed = 0;
  auto* run_cmd = app.add_subcommand("run", "run scenarios, each on a fresh cluster; exit 1 when a target is missed");
  run_cmd->add_option("files", run.files, "scenario files")->check(CLI::ExistingFile);
  run_cmd->add_option("--suite", run.suites, "a suite file (scenarios/suites/*.yaml); its scenarios run after the files named, one combined report")
      ->check(CLI::ExistingFile);
  run_cmd->add_option("--output", run.output, "results folder (default: pgha-results/<UTC time>)");
  auto* seed_opt = run_cmd->add_option("--seed", seed, "repeat the random choices of an earlier run");
  run_cmd->add_option("--subnet", run.subnet, "IPv4 subnet for the clusters, e.g. 10.77.0.0/24");

  std::string list_dir = PGHA_SOURCE_DIR "/scenarios";
  auto* list_cmd = app.add_subcommand("list", "the scenarios and suites that ship, one line each");
  list_cmd->add_option("--dir", list_dir, "a scenario folder (suites in its suites/)")->capture_default_str()->check(CLI::ExistingDirectory);

  std::string report_dir;
  auto* report_cmd = app.add_subcommand("report", "recompute verdicts from a results folder and write its JUnit again, no cluster needed");
  report_cmd->add_option("dir", report_dir, "a folder written by `pgha-chaos run --output`")->required()->check(CLI::ExistingDirectory);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    app.exit(e);  // prints help or the parse error
    return e.get_exit_code() == 0 ? 0 : 2;
  }
  if (*up_cmd) return RunUp(g, up);
  if (*status_cmd) return RunStatus(g, json);
  if (*down_cmd) return RunDown(g);
  if (*cleanup_cmd) return RunCleanup(g);
  if (*validate_cmd) return RunValidate(g, validate_files);
  if (*report_cmd) return RunReport(g, report_dir);
  if (*list_cmd) return RunList(g, list_dir);
  if (*run_cmd) {
    if (*seed_opt) run.seed = seed;
    return RunRun(g, run);
  }
  return 2;
}
