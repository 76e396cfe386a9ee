// run and report: scenarios on fresh clusters, and reports from saved runs.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <random>

#include "app/ci_outputs.h"
#include "app/commands.h"
#include "app/present.h"
#include "app/reporting.h"
#include "app/run_list.h"
#include "app/system.h"
#include "core/cancel.h"
#include "core/cidr.h"
#include "core/files.h"
#include "report/reporter.h"
#include "result/baseline.h"
#include "result/result_json.h"
#include "result/trial_set.h"
#include "run/dry_run.h"
#include "run/jobs.h"
#include "run/runner.h"
#include "run/trials.h"
#include "scenario/suite.h"

namespace pgha {
namespace fs = std::filesystem;

namespace {

// A cluster someone else built is checked once, before any scenario: a
// host out of reach or another cluster's Patroni stops the run (exit 2).
Status CheckExistingCluster(Provider& provider, const Topology& topology, const std::string& workdir) {
  auto plan = MakePlan(topology, "check", workdir, provider.Name());
  if (!plan.ok()) return plan.status();
  if (Status s = provider.Place(&*plan); !s.ok()) return s;
  return provider.Preflight(*plan, {});
}

std::vector<std::unique_ptr<Reporter>> AllReporters(const CiOutputOptions& ci, const std::string& output,
                                                    const RunPlan& list) {
  std::vector<std::unique_ptr<Reporter>> reporters;
  reporters.push_back(std::make_unique<JsonReporter>(list.shard.index, list.shard.count, list.all));
  reporters.push_back(std::make_unique<JUnitReporter>());
  reporters.push_back(std::make_unique<HtmlReporter>());
  AddCiReporters(ci, output, &reporters);
  return reporters;
}

// The run held against --baseline: printed, told to the reporters; 1 when something regressed.
int AgainstBaseline(const RunCommandOptions& o, const std::vector<std::pair<std::string, Sample>>& samples,
                    std::vector<std::unique_ptr<Reporter>>& reporters) {
  auto tolerance = ParseTolerance(o.tolerance);
  auto b = tolerance.ok() ? CompareWithBaseline(o.baseline, samples, *tolerance)
                          : Result<BaselineComparison>(tolerance.status());
  if (!b.ok()) {
    PrintError(b.status().message());
    return 3;
  }
  fmt::print("{}", BaselineText(*b));
  for (auto& rep : reporters) rep->BaselineCompared(*b);
  return b->Regressions() > 0 ? 1 : 0;
}

// Every scenario's commands, printed, none run (--provider ssh --dry-run).
int DryRunAll(RealSystem& sys, Provider& provider, const GlobalOptions& g, const std::vector<Scenario>& scenarios) {
  for (const auto& sc : scenarios) {
    RunOptions ro;
    ro.workdir = g.workdir;
    ro.fixtures_dir = g.fixtures_dir;
    Status s = DryRun({provider, sys.clock, sys.http, sys.sql, &sys.runner}, sc, ro, sys.provider_options.print);
    if (!s.ok()) {
      PrintError(s.message());
      return ExitCodeFor(s);
    }
  }
  return 0;
}

std::string OutputFolder(const RunCommandOptions& o) {
  return fs::absolute(o.output.empty() ? fmt::format("pgha-results/{:%Y%m%d-%H%M%S}", fmt::gmtime(std::time(nullptr)))
                                       : o.output)
      .string();
}

// One line per trial: its figures (tagged with the scenario when others run beside it).
std::function<void(int, const ScenarioResult&)> TrialLine(const std::string& tag) {
  return [tag](int i, const ScenarioResult& r) {
    const auto& m = r.measurements;
    fmt::print("{}  trial {}: failover {}{}, lost {}, split brain {:.2f}s, exit {}\n", tag, i + 1,
               m.failover_time_s ? fmt::format("{:.2f}s", *m.failover_time_s) : "-",
               m.heal_disruption_s ? fmt::format(", heal disruption {:.2f}s", *m.heal_disruption_s) : "",
               m.lost_keys.size(), m.split_brain_s, r.ExitCode());
    std::fflush(stdout);
  };
}

// What every scenario of one `run` shares, and its results so far.
struct RunState {
  const GlobalOptions& g;
  const RunCommandOptions& o;
  const std::vector<Scenario>& scenarios;
  const std::vector<std::string>& folders;
  const std::vector<size_t>& places;  // each scenario's index in the whole list (--shard)
  uint64_t seed = 0;
  std::string output = "";
  std::vector<std::unique_ptr<Reporter>> reporters = {};
  std::vector<std::pair<std::string, Sample>> samples = {};
  int worst = 0;
};

// The subnet of scenario `sc` in job `slot`: --subnet or the topology's for the first job
// ("" keeps the topology's), the next ones of its size for the others.
Result<std::string> JobSubnet(const RunCommandOptions& o, const Scenario& sc, size_t slot) {
  if (slot == 0) return o.subnet;
  return SubnetForSlot(o.subnet.empty() ? sc.topology.subnet : o.subnet, static_cast<int>(slot));
}

// Scenario i's trials on `runner`; slot > 0 (run --jobs) moves its clusters to the slot's subnet.
ScenarioResult RunScenario(RunState& st, Runner& runner, size_t slot, size_t i) {
  const Scenario& sc = st.scenarios[i];
  const bool beside = st.o.jobs > 1;
  const std::string tag = beside ? "[" + st.folders[i] + "] " : "";
  RunOptions ro;
  ro.workdir = st.g.workdir;
  ro.fixtures_dir = st.g.fixtures_dir;
  ro.output_dir = st.output + "/" + st.folders[i];
  ro.seed = st.seed + st.places[i];        // as in a run of the whole list
  ro.subnet = *JobSubnet(st.o, sc, slot);  // CheckJobSubnets passed
  ro.one_of_several = beside;
  ro.progress = beside
                    ? std::function<void(const std::string&)>([tag](const std::string& l) { PrintProgress(tag + l); })
                    : PrintProgress;
  fmt::print(stderr, "pgha-chaos: scenario {}/{} {}{} (seed {}{})\n", i + 1, st.scenarios.size(), sc.name,
             sc.retargeted ? " on " + sc.topology.name : "", ro.seed, beside ? fmt::format(", job {}", slot + 1) : "");
  const int trials = st.o.trials > 0 ? st.o.trials : sc.trials;
  return RunTrials(runner, sc, ro, {trials, st.folders[i], TrialLine(tag)});
}

// Scenario i has ended: reported, its verdicts printed (in the list's order).
void ScenarioEnded(RunState& st, size_t i, ScenarioResult result) {
  const SharedResult shared = std::make_shared<const ScenarioResult>(std::move(result));
  const ScenarioResult& r = *shared;
  const int written = Report(st.reporters, shared, st.folders[i]);
  st.worst = WorstExitCode(st.worst, written);
  if (st.o.jobs > 1) fmt::print("{}:\n", st.folders[i]);
  fmt::print("{}", VerdictsText(r));
  if (written != 0) fmt::print("  the results above could not all be saved in {} (see the error above)\n", st.output);
  std::fflush(stdout);  // verdicts before the next scenario's progress, even into a pipe
  st.worst = WorstExitCode(st.worst, r.ExitCode());
  st.samples.emplace_back(st.folders[i], SampleOfResult(r));
}

// Every job has a subnet for every scenario (checked before anything is made).
Status CheckJobSubnets(const RunCommandOptions& o, const std::vector<Scenario>& scenarios) {
  const int used = std::min(o.jobs, static_cast<int>(scenarios.size()));  // RunInJobs starts no more
  for (int slot = 1; slot < used; ++slot)
    for (const auto& sc : scenarios)
      if (auto sn = JobSubnet(o, sc, static_cast<size_t>(slot)); !sn.ok())
        return InvalidInput("--jobs: " + sn.status().message());
  return Status::Ok();
}

// With --jobs N: one provider per job (the first is `provider`).
Result<std::vector<std::unique_ptr<Provider>>> ProvidersForJobs(RealSystem& sys, const RunState& st) {
  std::vector<std::unique_ptr<Provider>> providers;
  for (int slot = 1; slot < st.o.jobs; ++slot) {
    auto p = sys.MakeProvider(st.o.where.provider);
    if (!p.ok()) return p.status();
    providers.push_back(std::move(*p));
  }
  return providers;
}

// Each scenario on a fresh cluster (or the existing one), reported as it ends.
int RunAll(RealSystem& sys, Provider& provider, const GlobalOptions& g, const RunCommandOptions& o,
           const RunPlan& list) {
  const std::vector<Scenario>& scenarios = list.scenarios;
  RunState st{g, o, scenarios, list.folders, list.places};
  st.seed = o.seed ? *o.seed : (static_cast<uint64_t>(std::random_device{}()) << 16) % 1000000007;
  st.output = OutputFolder(o);
  st.reporters = AllReporters(o.ci, st.output, list);
  auto more = ProvidersForJobs(sys, st);
  if (!more.ok()) {
    PrintError(more.status().message());
    return 2;
  }
  std::vector<Runner> runners = {Runner({provider, sys.clock, sys.http, sys.sql, &sys.runner})};
  for (auto& p : *more) runners.push_back(Runner({*p, sys.clock, sys.http, sys.sql, &sys.runner}));
  JobCallbacks cb;
  cb.run = [&](size_t slot, size_t i) { return RunScenario(st, runners[slot], slot, i); };
  cb.finished = [&](size_t i, ScenarioResult r) { ScenarioEnded(st, i, std::move(r)); };
  cb.cancelled = [] { return CancelRequested(); };
  const size_t done = RunInJobs(scenarios.size(), o.jobs, cb);
  if (!o.baseline.empty() && done > 0) st.worst = WorstExitCode(st.worst, AgainstBaseline(o, st.samples, st.reporters));
  if (done > 0) st.worst = WorstExitCode(st.worst, FinishReports(st.reporters, st.output, ""));
  return st.worst;
}

}  // namespace

int RunRun(const GlobalOptions& g, const RunCommandOptions& o) {
  RealSystem sys;
  Status prepared = sys.Prepare(o.where.provider, o.where.inventory, o.where.dry_run, g.fixtures_dir);
  if (prepared.ok()) prepared = sys.UsePackages(o.where.provider, o.where.packages);
  if (Status s = prepared; !s.ok()) {
    PrintError(s.message());
    return 2;
  }
  const auto& inventory = sys.provider_options.inventory;
  auto list = LoadRunList(g, o, inventory ? &inventory->topology : nullptr);
  if (!list.ok()) {
    PrintError(list.status().message());
    return 2;
  }
  if (auto sn = o.subnet.empty() ? Result<Ipv4Subnet>(Ipv4Subnet{}) : ParseSubnet(o.subnet); !sn.ok()) {
    PrintError("--subnet: " + sn.status().message());
    return 2;
  }
  if (Status s = CheckJobSubnets(o, list->scenarios); !s.ok()) {
    PrintError(s.message());
    return 2;
  }
  if (Status s = CheckCiOutputs(o.ci); !s.ok()) {
    PrintError(s.message());
    return 2;
  }
  auto provider = sys.ProviderForCommand(o.where.provider, "run");
  if (!provider.ok()) {
    PrintError(provider.status().message());
    return 2;
  }
  if (!o.baseline.empty()) {  // checked before anything runs
    auto t = ParseTolerance(o.tolerance);
    if (!t.ok() || ResultFolders(o.baseline).empty()) {
      PrintError(t.ok() ? "--baseline " + o.baseline + " holds no results of `pgha-chaos run`" : t.status().message());
      return 2;
    }
  }
  if (o.where.dry_run) return DryRunAll(sys, **provider, g, list->scenarios);
  if (inventory)
    if (Status s = CheckExistingCluster(**provider, inventory->topology, g.workdir); !s.ok()) {
      PrintError(s.message());
      return ExitCodeFor(s);
    }
  // The results folder must take writes before any cluster exists.
  RunCommandOptions with_output = o;
  with_output.output = OutputFolder(o);
  if (Status s = CheckWritableFolder(with_output.output, 1 << 20); !s.ok()) {
    PrintError("--output: " + s.message() + " (free some space there or choose another folder)");
    return 2;
  }
  return RunAll(sys, **provider, g, with_output, *list);
}

}  // namespace pgha
