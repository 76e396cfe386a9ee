#include "run/steps.h"

#include <fmt/format.h>

#include <set>

#include "core/cancel.h"
#include "core/text.h"
#include "faults/registry.h"
#include "observe/health.h"
#include "run/operation_steps.h"
#include "services/targets.h"

namespace pgha {

bool StepContext::Stopping() const { return CancelRequested() || d.clock.Now() >= deadline; }

void StepContext::Progress(const std::string& line) const {
  if (!opt.progress) return;
  auto counts = rec.WriteCounts();
  opt.progress(
      fmt::format("[{:6.1f}s] {}  (writes ok {} fail {} info {})", Now(), line, counts.ok, counts.fail, counts.info));
}

void StepContext::Journal(JournalAction action, const std::string& id, const std::string& kind,
                          const std::string& target, const std::string& detail) const {
  rec.AddJournal({rec.NowNs(), action, id, kind, target, detail});
}

namespace {

StepRecord Record(StepOutcome o, std::string detail = "") {
  StepRecord r;
  r.outcome = o;
  r.detail = std::move(detail);
  return r;
}

// One check of a wait condition: "" when it holds, else what it waits for.
std::string Missing(StepContext& c, WaitCondition condition, std::string* done_detail) {
  if (condition == WaitCondition::kNewPrimary) {
    ObserverSample s = c.session.observer().SampleNow();
    bool running = false;
    for (const auto& m : s.members) running |= m.name == s.leader && m.IsRunning();
    if (!s.leader.empty() && s.leader != c.leader_before_fault && running) {
      *done_detail = "new primary " + s.leader;
      return "";
    }
    return s.leader.empty() ? "no leader yet" : "leader is still " + s.leader;
  }
  ProbeOptions po;
  po.call_timeout = std::chrono::milliseconds(500);
  po.check_routes = condition == WaitCondition::kHealthy;
  po.shell = &c.d.provider.Shell();
  const ClusterObservation obs = Observe(c.session.plan(), c.session.secrets(), c.d.http, c.d.sql, po);
  const HealthVerdict h = EvaluateHealth(c.session.plan(), obs);
  bool done = h.healthy;
  if (condition == WaitCondition::kReplicasStreaming) {
    int streaming = 0;
    if (obs.replication)
      for (const auto& row : *obs.replication) streaming += row.state == "streaming" ? 1 : 0;
    done = streaming == static_cast<int>(c.session.plan().HostsRunning("patroni").size()) - 1;
  }
  if (!done) return h.waiting_for.empty() ? "the cluster" : h.waiting_for;
  *done_detail = h.summary;
  return "";
}

StepRecord Hold(StepContext& c, Duration duration) {
  const TimePoint end = c.d.clock.Now() + duration;
  TimePoint next_report = c.d.clock.Now() + std::chrono::seconds(30);
  while (!c.Stopping() && c.d.clock.Now() < end) {
    c.d.clock.SleepFor(std::chrono::milliseconds(100));
    if (c.d.clock.Now() >= next_report && c.d.clock.Now() < end) {  // a long hold still shows it is alive
      c.Progress(fmt::format("  holding, {:.0f}s left", std::chrono::duration<double>(end - c.d.clock.Now()).count()));
      next_report += std::chrono::seconds(30);
    }
  }
  return Record(c.Stopping() ? StepOutcome::kError : StepOutcome::kOk);
}

Result<ResolvedFault> ResolveFault(StepContext& c, const FaultSpec& spec) {
  const FaultType* type = FindFaultType(spec.kind);
  if (!type) return Failed("unknown fault kind " + spec.kind);
  ResolvedFault f;
  Status s = type->Resolve([&](const TargetSpec& t) { return ResolveTarget(c, t); }, c.session.plan(), spec, &f);
  if (!s.ok()) return s;
  return f;
}

StepRecord FaultStep(StepContext& c, const Step& step) {
  auto f = ResolveFault(c, step.fault);
  if (!f.ok()) return Record(StepOutcome::kError, f.status().message());
  const std::string where = Join(f->hosts, ",");
  const std::string why_not = c.session.faults().Check(*f);
  if (!why_not.empty()) {
    c.Journal(JournalAction::kSkip, f->spec.id, f->spec.kind, where, why_not);
    c.facts.skipped_faults.push_back(f->spec.kind + ": " + why_not);
    return Record(StepOutcome::kSkipped, why_not);
  }
  c.leader_before_fault = c.session.observer().SampleNow().leader;
  JournalVipHolder(c, "before " + f->spec.id);
  c.Journal(JournalAction::kInject, f->spec.id, f->spec.kind, where, step.Describe());  // before it is applied
  auto done = c.session.faults().Inject(*f, &c.facts.fault_effects);
  if (done.ok()) return Record(StepOutcome::kOk, *done);
  // A fault that did not happen judges nothing: the targets would be held
  // against a run without it (the verdicts become errors, exit 3).
  if (c.facts.infrastructure_error.empty())
    c.facts.infrastructure_error =
        fmt::format("fault {} ({}) could not be injected: {}", f->spec.id, f->spec.kind, done.status().message());
  return Record(StepOutcome::kError, done.status().message());
}

// switchover, failover, restart and reinitialize through Patroni's REST API.
StepRecord OperationStep(StepContext& c, const Step& step) {
  const std::string leader = c.session.observer().SampleNow().leader;
  std::string member;
  if (!(step.kind == StepKind::kSwitchover && step.target.kind == TargetKind::kAll)) {
    auto hosts = ResolveTarget(c, step.target);
    if (!hosts.ok()) return Record(StepOutcome::kError, hosts.status().message());
    member = (*hosts)[0];
  }
  if (step.kind == StepKind::kSwitchover && !member.empty() && member == leader)  // a drill putting the leader in place
    return Record(StepOutcome::kOk, member + " is already the leader: nothing to switch over");
  const ClusterPlan& plan = c.session.plan();
  const HostPlan* api = plan.Find(leader.empty() ? plan.HostsRunning("patroni")[0]->name : leader);
  std::string path, body;
  switch (step.kind) {
    case StepKind::kSwitchover:
      path = "/switchover";
      body = member.empty() ? fmt::format(R"({{"leader":"{}"}})", leader)
                            : fmt::format(R"({{"leader":"{}","candidate":"{}"}})", leader, member);
      break;
    case StepKind::kFailover:
      path = "/failover";
      body = fmt::format(R"({{"candidate":"{}"}})", member);
      break;
    default:
      path = step.kind == StepKind::kRestart ? "/restart" : "/reinitialize";
      body = step.kind == StepKind::kRestart ? "{}" : R"({"force":true})";
      api = plan.Find(member);
      break;
  }
  c.leader_before_fault = leader;
  c.Journal(JournalAction::kInject, fmt::format("op{}", step.line), path.substr(1), member.empty() ? leader : member,
            body);
  auto resp = c.d.http.Request("POST", PatroniApi(plan, *api), path, body, std::chrono::seconds(10));
  if (!resp.ok()) return Record(StepOutcome::kError, resp.status().message());
  return Record(resp->status < 300 ? StepOutcome::kOk : StepOutcome::kError,
                fmt::format("Patroni answered {}: {}", resp->status, resp->body.substr(0, 200)));
}

}  // namespace

StepRecord WaitFor(StepContext& c, WaitCondition condition, Duration timeout) {
  const TimePoint end = c.d.clock.Now() + timeout;
  std::string last;
  while (!c.Stopping()) {
    std::string done;
    const std::string waiting = Missing(c, condition, &done);
    if (waiting.empty()) return Record(StepOutcome::kOk, done);
    if (const ObserverSample s = c.session.observer().SampleNow();
        s.paused && (condition == WaitCondition::kNewPrimary || s.leader.empty()))
      return Record(StepOutcome::kSkipped,
                    "the cluster is in maintenance mode (paused): Patroni promotes no replica until `resume`, so "
                    "this wait cannot end (" +
                        waiting + ")");
    if (c.d.clock.Now() >= end) return Record(StepOutcome::kTimeout, "still waiting for: " + waiting);
    if (waiting != last) {
      c.Progress("  waiting for: " + waiting);
      last = waiting;
    }
    c.d.clock.SleepFor(std::chrono::milliseconds(250));
  }
  if (CancelRequested()) return Record(StepOutcome::kError, "interrupted");
  return Record(StepOutcome::kError,
                "the run's deadline passed" + (last.empty() ? std::string() : " while waiting for: " + last));
}

StepRecord RunStep(StepContext& c, const Step& step) {
  switch (step.kind) {
    case StepKind::kWait: return WaitFor(c, step.condition, step.timeout);
    case StepKind::kHold: return Hold(c, step.duration);
    case StepKind::kFault: return FaultStep(c, step);
    case StepKind::kHeal: {
      c.Journal(JournalAction::kHeal, step.heal, "heal", "", "");
      Status s = step.heal == "all" ? c.session.faults().HealAll() : c.session.faults().Heal(step.heal);
      return Record(s.ok() ? StepOutcome::kOk : StepOutcome::kError, s.message());
    }
    case StepKind::kOperation: return PlannedOperationStep(c, step);
    case StepKind::kRestart:
      if (step.target.kind == TargetKind::kAll || step.restart_pending_only) return RestartMembersStep(c, step);
      return OperationStep(c, step);
    default: return OperationStep(c, step);
  }
}

}  // namespace pgha
