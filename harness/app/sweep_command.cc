// sweep: a scenario over a grid of settings, each combination run on fresh
// clusters with a no-fault control, into one report (run/sweep.h).
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <filesystem>
#include <random>

#include "app/ci_outputs.h"
#include "app/commands.h"
#include "app/system.h"
#include "core/cancel.h"
#include "core/files.h"
#include "core/units.h"
#include "report/reporter.h"
#include "report/sweep_html.h"
#include "report/sweep_summary.h"
#include "run/sweep.h"
#include "services/registry.h"

namespace pgha {
namespace fs = std::filesystem;

namespace {

Result<std::vector<SweepPoint>> Grid(const GlobalOptions& g, const SweepCommandOptions& o) {
  auto loaded = LoadScenario(o.scenario, g.fixtures_dir);
  if (!loaded.ok()) return loaded.status();
  if (o.sets.empty())
    return InvalidInput("sweep needs at least one --set GROUP.SETTING=V1,V2,... (e.g. patroni.ttl=5s,10s)");
  std::vector<SweepAxis> axes;
  for (const auto& s : o.sets) {
    auto a = ParseSweepAxis(s);
    if (!a.ok()) return a.status();
    axes.push_back(*a);
  }
  return ExpandGrid(loaded->scenario, axes);
}

std::string RowLine(const SweepRow& r) {
  if (!r.skipped.empty()) return fmt::format("  {:<34} skipped: {}\n", r.label, r.skipped);
  const std::string as = r.runs_as.empty() ? "" : fmt::format("  {:<34} {}\n", "", r.runs_as);
  const auto& d = r.failover;
  return fmt::format("  {:<34} failover {}{} | lost in {} of {} runs | false failovers in {} of {} | control: {}{}\n",
                     r.label, d.n ? fmt::format("median {:.2f}s p95 {:.2f}s max {:.2f}s", d.median, d.p95, d.max) : "-",
                     r.unrecovered_runs ? fmt::format(", never came back in {} run(s)", r.unrecovered_runs) : "",
                     r.lost_runs, r.runs, r.false_failover_runs, r.false_failover_judged,
                     r.control_leader_changes ? fmt::format("{} leader changes, {} failed writes",
                                                            *r.control_leader_changes, *r.control_failed_writes)
                                              : "not run",
                     r.frontier ? "  * frontier" : "") +
         as;
}

}  // namespace

int RunSweepCommand(const GlobalOptions& g, const SweepCommandOptions& o) {
  auto points = Grid(g, o);
  Duration control{};
  Status bad = points.ok() ? Status::Ok() : points.status();
  if (bad.ok()) {
    auto c = ParseDuration(o.control.empty() ? "60s" : o.control);
    if (c.ok())
      control = *c;
    else
      bad = InvalidInput("--control: " + c.status().message());
  }
  if (bad.ok()) bad = CheckCiOutputs(o.ci);
  RealSystem sys;
  if (bad.ok()) bad = sys.Prepare(o.where.provider, "", false, g.fixtures_dir);
  if (bad.ok()) bad = sys.UsePackages(o.where.provider, o.where.packages);
  auto provider = bad.ok() ? sys.ProviderForCommand(o.where.provider, "sweep") : Result<std::unique_ptr<Provider>>(bad);
  if (!provider.ok()) {
    PrintError(provider.status().message());
    return 2;
  }
  const auto patroni = (*provider)->Versions(VersionsFor({"patroni"}));
  if (auto v = patroni.count("patroni") ? ParsePatroniVersion(patroni.at("patroni")) : std::nullopt)
    ApplyPatroniVersionToGrid(&*points, *v);
  int skipped = 0;
  for (const auto& p : *points) skipped += p.skipped.empty() ? 0 : 1;
  const std::string output = fs::absolute(o.output.empty() ? fmt::format("pgha-results/sweep-{:%Y%m%d-%H%M%S}",
                                                                         fmt::gmtime(std::time(nullptr)))
                                                           : o.output)
                                 .string();
  fmt::print(stderr, "pgha-chaos: sweep of {}: {} combinations ({} skipped), {} trials each, {} control\n", o.scenario,
             points->size(), skipped, o.trials, FormatDuration(control));
  RunOptions base;
  base.workdir = g.workdir;
  base.fixtures_dir = g.fixtures_dir;
  base.output_dir = output;
  base.seed = o.seed ? *o.seed : std::random_device{}() % 1000000007;
  base.subnet = o.subnet;
  base.progress = PrintProgress;
  Runner runner({**provider, sys.clock, sys.http, sys.sql, &sys.runner});
  SweepOptions so;
  so.trials = o.trials;
  so.control = control;
  so.on_row = [](const SweepRow& r) {
    fmt::print("{}", RowLine(r));
    std::fflush(stdout);
  };
  SweepResult s = RunSweep(runner, sys.clock, *points, base, so);
  std::error_code ec;
  fs::create_directories(output, ec);
  Status w = WriteFileAtomic(output + "/sweep.json", SweepToJson(s).dump(2) + "\n");
  if (w.ok()) w = WriteFileAtomic(output + "/sweep.html", RenderSweepHtml(s));
  if (const std::string summary = SummaryPath(o.ci); w.ok() && !summary.empty()) {
    SummaryOptions so;
    so.results_dir = output;
    so.artifacts_url = CiRunUrl();
    w = AppendStepSummary(summary, so, [&](const SummaryOptions& x) { return RenderSweepMarkdown(s, x); });
  }
  fmt::print("\nsweep of {}{}:\n", s.scenario, s.partial ? " (partial)" : "");
  for (const auto& r : s.rows) fmt::print("{}", RowLine(r));
  if (!w.ok()) {
    PrintError("cannot write the sweep's report: " + w.message());
    return 3;
  }
  fmt::print("report: {}/sweep.html, sweep.json\n", output);
  return CancelRequested() ? 130 : s.partial ? 3 : 0;
}

}  // namespace pgha
