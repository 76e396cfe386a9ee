#include "run/runner.h"

#include <algorithm>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "check/measurements.h"
#include "core/build_info.h"
#include "core/cancel.h"
#include "core/files.h"
#include "core/text.h"
#include "core/units.h"
#include "observe/log_events.h"
#include "run/prediction.h"
#include "run/session.h"
#include "run/steps.h"
#include "services/registry.h"

namespace pgha {
namespace {

// What the result says before anything runs.
ScenarioResult StartResult(const Scenario& scenario, const RunOptions& opt, Provider& provider, Clock& clock) {
  ScenarioResult r;
  r.scenario = {scenario.name, scenario.file, scenario.description, scenario.retargeted ? scenario.topology.name : ""};
  r.seed = opt.seed;
  r.output_dir = opt.output_dir;
  r.started_at =
      fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::chrono::system_clock::to_time_t(clock.WallNow())));
  r.topology = scenario.topology.name;
  r.settings = DescribeTopologySettings(scenario.topology);
  r.settings["workload"] = DescribeWorkload(scenario.workload);
  r.expectations = scenario.expectations;
  r.versions = provider.Versions(VersionsFor(scenario.topology.Kinds()));
  // What judged the run: a change of the checker changes what its figures mean.
  r.versions["pgha-chaos"] = PghaVersionLine();
  r.known_bug = scenario.known_bug;
  PatroniVersion patroni = kDebianPatroni;
  if (auto it = r.versions.find("patroni"); it != r.versions.end()) {
    EffectiveSettings e = EffectiveFor(scenario.topology.patroni, it->second);
    if (!e.patroni_version.empty()) {
      patroni = *ParsePatroniVersion(e.patroni_version);
      r.effective = std::move(e);
    }
  }
  r.prediction = PredictFor(scenario, patroni);
  return r;
}

// A fresh ledger; on a cluster someone else built the old one goes first.
Status CreateSchema(SqlClient& sql, const PgTarget& primary, Clock& clock, bool drop_first) {
  Deadline deadline(clock, std::chrono::seconds(20));
  SqlOutcome out;
  const std::string schema = drop_first ? std::string(kLedgerDrop) + "; " + kLedgerSchema : kLedgerSchema;
  while (!deadline.Expired() && !CancelRequested()) {
    out = sql.QueryOnce(primary, schema, std::chrono::seconds(5));
    if (out.status.ok()) return Status::Ok();
    clock.SleepFor(std::chrono::milliseconds(200));
  }
  return out.status.ok() ? Timeout("creating the ledger tables timed out")
                         : out.status.WithContext("creating the ledger tables");
}

// After the run's deadline the end of a run (convergence, the final read,
// teardown) has this long at most, so that a frozen or dead cluster ends the
// run within run_timeout plus 30 s.
constexpr Duration kAfterDeadline = std::chrono::seconds(20);

// libpq's multi-line messages as one line.
std::string OneLine(const std::string& text) {
  std::string out;
  for (char ch : text) {
    const bool space = ch == '\n' || ch == '\t' || ch == ' ';
    if (!space)
      out += ch;
    else if (!out.empty() && out.back() != ' ')
      out += ' ';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// "the read-write endpoint 10.77.0.13:5000 (haproxy on lb)": where clients write.
std::string ReadWriteEndpoint(const ClusterPlan& plan) {
  for (const auto& e : plan.endpoints)
    if (e.role == EndpointRole::kReadWrite)
      return "the " + e.Describe().insert(std::string("read-write").size(), " endpoint");
  return "the read-write endpoint";
}

// Every key of the ledger, from the final primary; tried for 30 s at most and
// not past the run's deadline by more than kAfterDeadline.
void FinalRead(StepContext& c, TimePoint run_deadline, History* h) {
  const TimePoint now = c.d.clock.Now();
  const TimePoint end =
      std::clamp(run_deadline + kAfterDeadline, now + std::chrono::seconds(5), now + std::chrono::seconds(30));
  while (c.d.clock.Now() < end) {
    const Duration left = std::chrono::duration_cast<Duration>(end - c.d.clock.Now());
    auto out = c.d.sql.QueryOnce(c.session.endpoints().read_write, "SELECT key FROM pgha_ledger",
                                 std::clamp<Duration>(left, std::chrono::seconds(1), std::chrono::seconds(10)));
    if (out.status.ok()) {
      for (const auto& row : out.rows.rows)
        if (auto key = row[0] ? ParseInt64(*row[0]) : std::nullopt) h->final_keys.insert(*key);
      h->final_read_ok = true;
      h->final_primary = c.session.observer().SampleNow().leader;
      return;
    }
    h->final_read_error = ReadWriteEndpoint(c.session.plan()) + ": " + OneLine(out.status.message());
    c.d.clock.SleepFor(std::chrono::milliseconds(500));
  }
}

// Recovery is read from the observer's samples: after convergence, clients
// still running, the run goes on until kSettledSamples samples in a row
// show the cluster whole and kMinTail has passed, or for kMaxTail (a heal
// that acts late, a reinitialize, then shows in the samples).
void SettleTail(StepContext& c) {
  constexpr int kSettledSamples = 4;
  constexpr auto kMinTail = std::chrono::seconds(1), kMaxTail = std::chrono::seconds(3);
  std::vector<std::string> members;
  for (const auto* n : c.session.plan().HostsRunning("patroni")) members.push_back(n->name);
  const TimePoint start = c.d.clock.Now();
  int64_t seen_ns = -1;
  int in_a_row = 0;
  while (!CancelRequested() && c.d.clock.Now() < start + kMaxTail) {
    if (auto s = c.rec.LatestSample(); s && s->t_ns > seen_ns) {
      seen_ns = s->t_ns;
      in_a_row = SampleShowsRecovered(members, *s) ? in_a_row + 1 : 0;
    }
    if (in_a_row >= kSettledSamples && c.d.clock.Now() >= start + kMinTail) return;
    c.d.clock.SleepFor(std::chrono::milliseconds(50));
  }
}

void RunSteps(StepContext& c, const Scenario& scenario, ScenarioResult* r) {
  for (size_t i = 0; i < scenario.steps.size() && !c.Stopping(); ++i) {
    const Step& step = scenario.steps[i];
    c.Progress(fmt::format("step {}/{}: {}", i + 1, scenario.steps.size(), step.Describe()));
    const double start = c.Now();
    StepRecord rec = RunStep(c, step);
    rec.description = step.Describe();
    rec.line = step.line;
    rec.start_s = start;
    rec.end_s = c.Now();
    if (rec.outcome != StepOutcome::kOk)
      c.Progress(fmt::format("  {}: {}", StepOutcomeName(rec.outcome), rec.detail));
    else if (!rec.detail.empty())
      c.Progress("  " + rec.detail);
    r->steps.push_back(rec);
  }
  if (!CancelRequested() && c.d.clock.Now() >= c.deadline)
    r->facts.infrastructure_error = fmt::format("the run's deadline (run_timeout {}) passed before the steps were done",
                                                FormatDuration(scenario.run_timeout));
}

// Heal what the steps left, then wait until the cluster is whole again (no
// later than the run's deadline); "" or what it was still waiting for.
std::string Converge(StepContext& c, const RunOptions& opt, TimePoint run_deadline) {
  // A pause or flipped tags first: a paused Patroni would not start what the heal restarts.
  if (const std::string failed = UndoStandingOperations(c); !failed.empty())
    c.Progress("could not undo what the steps left: " + failed);
  if (!c.session.faults().ActiveIds().empty()) {
    c.Progress(fmt::format("healing what the steps left: {} faults", c.session.faults().ActiveIds().size()));
    c.Journal(JournalAction::kHeal, "all", "heal", "", "end of run");
    c.session.faults().HealAll();
  }
  if (CancelRequested()) return "";
  const TimePoint now = c.d.clock.Now();
  c.deadline = std::max(std::min(now + opt.convergence_timeout, run_deadline), now + std::chrono::seconds(2));
  StepRecord r = WaitFor(c, WaitCondition::kHealthy, opt.convergence_timeout);
  if (r.outcome != StepOutcome::kOk) {
    c.Progress("the cluster did not converge: " + r.detail);
    return r.detail;
  }
  c.Journal(JournalAction::kConverged, "", "health", "", r.detail);
  JournalVipHolder(c, "at the end");
  SettleTail(c);
  return "";
}

// The run on a cluster that is up; the final read-back goes into *final.
void Drive(StepContext& c, const Scenario& scenario, ScenarioResult* r, History* final) {
  const bool theirs = !c.d.provider.BuildsServices();
  if (Status s = CreateSchema(c.d.sql, c.session.endpoints().read_write, c.d.clock, theirs); !s.ok()) {
    r->facts.infrastructure_error = s.message();
    return;
  }
  c.session.StartClients();
  RunSteps(c, scenario, r);
  const TimePoint run_deadline = c.deadline;
  const std::string not_converged = Converge(c, c.opt, run_deadline);
  c.session.StopClients();
  if (CancelRequested()) return;
  FinalRead(c, run_deadline, final);
  if (!final->final_read_ok) {
    // Nothing can be judged of a cluster that does not answer: an error (exit 3), naming what did not answer.
    const std::string unanswered =
        fmt::format("the cluster did not answer at the end of the run: {}{}", final->final_read_error,
                    not_converged.empty() ? "" : "; " + not_converged);
    std::string& error = r->facts.infrastructure_error;
    error += (error.empty() ? "" : "; ") + unanswered;
    c.Progress(unanswered);
  }
  c.Journal(JournalAction::kFinal, "", "read", final->final_primary,
            std::to_string(final->final_keys.size()) + " keys");
  if (scenario.workload.list_append.enabled && final->final_read_ok)
    if (Status s = ReadAllLists(c.d.sql, c.session.endpoints().read_write, c.rec, std::chrono::seconds(10)); !s.ok())
      c.Progress(s.message() + ": lost appends cannot be judged");
  if (theirs) c.d.sql.QueryOnce(c.session.endpoints().read_write, kLedgerDrop, std::chrono::seconds(10));
}

// What a Patroni log (or the ssh provider's extract of its warnings) says
// Patroni changed of its settings, each change once.
void ReadAdjustments(const std::string& file, const std::string& text, std::optional<EffectiveSettings>* effective) {
  if (!*effective || (file != "patroni.log" && file != "patroni-settings.log")) return;
  (*effective)->logs_read = true;
  for (auto& adj : ParseAdjustmentLog(text)) {
    bool seen = false;
    for (const auto& x : (*effective)->logged) seen |= x.setting == adj.setting && x.applied == adj.applied;
    if (!seen) (*effective)->logged.push_back(std::move(adj));
  }
}

// The watch's events and those of the collected logs ("logs/<host>/<file>"),
// in time order; what Patroni's logs say it adjusted goes to *effective.
std::vector<ClusterEvent> AllEvents(const std::string& output_dir, const std::vector<std::string>& logs,
                                    std::vector<ClusterEvent> watched, int64_t wall_start_ns,
                                    std::optional<EffectiveSettings>* effective) {
  for (const auto& rel : logs) {
    const size_t a = rel.find('/'), b = rel.rfind('/');
    if (a == std::string::npos || b <= a) continue;
    auto text = ReadTextFile(output_dir + "/" + rel);
    if (!text.ok()) continue;
    ReadAdjustments(rel.substr(b + 1), *text, effective);
    for (auto& e : EventsFromLog(rel.substr(a + 1, b - a - 1), rel.substr(b + 1), *text, wall_start_ns))
      watched.push_back(std::move(e));
  }
  std::stable_sort(watched.begin(), watched.end(),
                   [](const ClusterEvent& x, const ClusterEvent& y) { return x.t_ns < y.t_ns; });
  return watched;
}

}  // namespace

ScenarioResult Runner::Run(const Scenario& scenario, const RunOptions& opt) {
  const TimePoint wall_start = d_.clock.Now();
  ScenarioResult r = StartResult(scenario, opt, d_.provider, d_.clock);
  r.facts.failover_expected_by = FailoverExpectedBy(scenario.steps);
  if (!scenario.incompatible.empty()) {
    r.facts.not_applicable =
        fmt::format("not run on topology {}: {}", scenario.topology.name, Join(scenario.incompatible, "; "));
    Evaluate(&r);
    return r;
  }
  Recorder rec(d_.clock);
  History final;
  auto session = Session::Open(d_, scenario, opt, rec);
  if (!session.ok()) {
    r.interrupted = session.status().code() == StatusCode::kCancelled;
    r.facts.infrastructure_error = "the cluster did not come up: " + session.status().message();
  } else {
    r.run_id = (*session)->plan().run_id;
    r.bring_up_s = ToSeconds((*session)->time_to_healthy());
    for (const auto* n : (*session)->plan().HostsRunning("patroni")) final.members.push_back(n->name);
    StepContext c{opt, d_, **session, rec, r.facts, std::mt19937_64(opt.seed), wall_start + scenario.run_timeout,
                  "",  {}};
    Drive(c, scenario, &r, &final);
    if (CancelRequested()) {
      r.interrupted = true;
      r.facts.infrastructure_error = "interrupted";
    }
    if (Status closed = (*session)->Close(&r.logs); !closed.ok())
      r.facts.infrastructure_error += (r.facts.infrastructure_error.empty() ? "" : "; ") + closed.message();
  }
  // One evaluation, of everything recorded.
  r.history = rec.Snapshot();
  r.history.members = final.members;
  r.history.end_ns = rec.NowNs();
  r.history.final_read_ok = final.final_read_ok;
  r.history.final_read_error = final.final_read_error;
  r.history.final_primary = final.final_primary;
  r.history.final_keys = final.final_keys;
  r.history.events = AllEvents(opt.output_dir, r.logs, std::move(r.history.events), rec.WallStartNs(), &r.effective);
  Evaluate(&r);
  r.wall_s = ToSeconds(d_.clock.Now() - wall_start);
  return r;
}

}  // namespace pgha
