#include "run/operation_steps.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>

#include "core/text.h"
#include "operations/registry.h"
#include "services/targets.h"

namespace pgha {
namespace {

StepRecord OpRecord(StepOutcome o, std::string detail) {
  StepRecord r;
  r.outcome = o;
  r.detail = std::move(detail);
  return r;
}

// The member whose REST API answers for the cluster: the leader, else a
// running member, else the first Patroni host.
std::string ApiMember(StepContext& c) {
  const ObserverSample s = c.session.observer().SampleNow();
  if (!s.leader.empty()) return s.leader;
  for (const auto& m : s.members)
    if (m.IsRunning()) return m.name;
  const auto hosts = c.session.plan().HostsRunning("patroni");
  return hosts.empty() ? "" : hosts[0]->name;
}

OperationEnv EnvFor(StepContext& c, TimePoint deadline) {
  const std::string api = ApiMember(c);
  const ClusterPlan& plan = c.session.plan();
  // A role resolves once per step (`replica` picks one with the run's
  // seed): what the journal names is what the operation acts on.
  auto resolved = std::make_shared<std::map<std::string, std::vector<std::string>>>();
  auto resolve = [&c, resolved](const TargetSpec& t) -> Result<std::vector<std::string>> {
    if (auto it = resolved->find(t.ToString()); it != resolved->end()) return it->second;
    auto hosts = ResolveTarget(c, t);
    if (hosts.ok()) (*resolved)[t.ToString()] = *hosts;
    return hosts;
  };
  return OperationEnv{plan,      c.d.provider, c.d.http,
                      c.d.sql,   c.d.clock,    c.session.secrets(),
                      resolve,   deadline,     api,
                      c.d.local, "",           c.opt.output_dir.empty() ? "" : c.opt.output_dir + "/logs"};
}

void KeepStanding(StepContext& c, OperationResult& r) {
  for (const auto& key : r.completes)
    c.standing.erase(
        std::remove_if(c.standing.begin(), c.standing.end(), [&](const auto& s) { return s.first == key; }),
        c.standing.end());
  if (r.undo.empty() || r.undo_key.empty()) return;
  for (const auto& s : c.standing)
    if (s.first == r.undo_key) return;  // the first keeps the state before every change
  c.standing.emplace_back(r.undo_key, std::move(r.undo));
}

}  // namespace

StepRecord PlannedOperationStep(StepContext& c, const Step& step) {
  const OperationType* type = FindOperationType(step.operation.kind);
  if (!type) return OpRecord(StepOutcome::kError, "unknown operation " + step.operation.kind);
  OperationEnv env = EnvFor(c, std::min(c.d.clock.Now() + step.timeout, c.deadline));
  const std::string id = fmt::format("op{}", step.line);
  env.id = id;
  if (const std::string why = type->WhyNot(env, step.operation); !why.empty()) {
    c.Journal(JournalAction::kSkip, id, step.operation.kind, "", why);
    // As a skipped fault: a run whose every fault and operation was skipped judges nothing.
    c.facts.skipped_faults.push_back(step.operation.kind + ": " + why);
    return OpRecord(StepOutcome::kSkipped, why);
  }
  std::string where = env.api_member;
  if (step.operation.has_target)
    if (auto hosts = env.resolve(step.operation.target); hosts.ok()) where = Join(*hosts, ",");
  c.Journal(JournalAction::kOperation, id, step.operation.kind, where, step.Describe());
  OperationResult r = type->Run(env, step.operation);
  KeepStanding(c, r);
  if (!r.status.ok()) return OpRecord(StepOutcome::kError, r.status.message());
  return OpRecord(r.skipped ? StepOutcome::kSkipped : StepOutcome::kOk, r.detail);
}

namespace {

// The members a restart goes through: replicas first, the leader last.
Result<std::vector<std::string>> RestartOrder(StepContext& c, const TargetSpec& target) {
  auto hosts = ResolveTarget(c, target);
  if (!hosts.ok()) return hosts;
  const std::string leader = c.session.observer().SampleNow().leader;
  std::stable_partition(hosts->begin(), hosts->end(), [&](const std::string& h) { return h != leader; });
  return hosts;
}

}  // namespace

StepRecord RestartMembersStep(StepContext& c, const Step& step) {
  auto order = RestartOrder(c, step.target);
  if (!order.ok()) return OpRecord(StepOutcome::kError, order.status().message());
  OperationEnv env = EnvFor(c, std::min(c.d.clock.Now() + step.timeout, c.deadline));
  const std::string body = step.restart_pending_only ? R"({"restart_pending":true})" : "{}";
  std::vector<std::string> restarted, passed;
  for (const auto& member : *order) {
    if (c.Stopping()) break;
    c.Journal(JournalAction::kInject, fmt::format("op{}-{}", step.line, member), "restart", member, body);
    std::string answer;
    Status s = PatroniCall(env, member, "POST", "/restart", body, &answer);
    // Patroni's answer to restart_pending where nothing is pending: 503, "restart conditions are not satisfied".
    if (!s.ok() && step.restart_pending_only && s.message().find("conditions are not satisfied") != std::string::npos) {
      passed.push_back(member);
      continue;
    }
    if (!s.ok()) return OpRecord(StepOutcome::kError, s.message());
    restarted.push_back(member);
  }
  if (restarted.size() + passed.size() < order->size())
    return OpRecord(StepOutcome::kError, "the run's deadline passed after restarting " + Join(restarted));
  return OpRecord(StepOutcome::kOk, fmt::format("Patroni restarted {}{}", restarted.empty() ? "none" : Join(restarted),
                                                passed.empty() ? "" : "; no restart pending on " + Join(passed)));
}

std::string UndoStandingOperations(StepContext& c) {
  std::vector<std::string> failed;
  for (auto it = c.standing.rbegin(); it != c.standing.rend(); ++it) {
    c.Progress("undoing what the steps left: " + it->first);
    OperationEnv env = EnvFor(c, c.d.clock.Now() + std::chrono::seconds(30));  // even past the run's deadline
    c.Journal(JournalAction::kNote, "end", "undo", env.api_member, "undone at the end of the run: " + it->first);
    if (Status s = it->second.Run(env); !s.ok()) failed.push_back(it->first + ": " + s.message());
  }
  c.standing.clear();
  return Join(failed, "; ");
}

}  // namespace pgha
