#include "observe/health.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"
#include "services/registry.h"

namespace pgha {
namespace {

// With synchronous_mode the cluster is whole only once Patroni has named a
// synchronous standby: until its next loop after a replica streams, the
// primary acknowledges writes no replica holds (seen: a write lost 5 s
// after "healthy" with loop_wait 10s).
void JudgeSynchronous(const ClusterPlan& plan, const std::vector<PatroniMember>& members, int replicas_expected,
                      std::vector<std::string>* parts, HealthPart* part) {
  auto group = plan.settings.find("patroni");
  if (group == plan.settings.end() || replicas_expected == 0) return;
  auto sync = group->second.find("synchronous_mode");
  if (sync == group->second.end() || !sync->second.is_boolean() || !sync->second.get<bool>()) return;
  for (const auto& m : members)
    if (m.role == "sync_standby") return parts->push_back("sync standby " + m.name);
  part->problems.push_back("Patroni to name a synchronous standby (synchronous_mode)");
}

// The database tier: Patroni's members and the leader's replication.
HealthPart JudgeDatabase(const ClusterPlan& plan, const ClusterObservation& obs, HealthFacts* facts) {
  HealthPart part;
  std::vector<std::string> parts;
  const auto patroni_hosts = plan.HostsRunning("patroni");
  facts->replicas_expected = static_cast<int>(patroni_hosts.size()) - 1;
  if (!obs.members) {
    part.problems.push_back("Patroni's REST API" + (obs.members_error.empty() ? "" : " (" + obs.members_error + ")"));
    return part;
  }
  std::vector<const PatroniMember*> leaders;
  for (const auto& m : *obs.members)
    if (m.IsLeader()) leaders.push_back(&m);
  if (leaders.size() != 1) {
    part.problems.push_back(leaders.empty() ? "a leader to be elected"
                                            : fmt::format("a single leader (there are {})", leaders.size()));
    return part;
  }
  const PatroniMember& leader = *leaders[0];
  facts->leader = leader.name;
  if (!leader.IsRunning())
    part.problems.push_back(fmt::format("leader {} to be running (it is {})", leader.name, leader.state));
  parts.push_back("leader " + leader.name);
  for (const auto* n : patroni_hosts) {
    if (n->name == leader.name) continue;
    auto it = std::find_if(obs.members->begin(), obs.members->end(), [&](const auto& m) { return m.name == n->name; });
    const bool member_ok = it != obs.members->end() && it->IsRunning() && !it->IsLeader() &&
                           (it->timeline < 0 || leader.timeline < 0 || it->timeline == leader.timeline);
    bool streams = false;
    if (obs.replication)
      for (const auto& r : *obs.replication) streams |= r.application_name == n->name && r.state == "streaming";
    if (member_ok && streams)
      ++facts->replicas_streaming;
    else if (it == obs.members->end())
      part.problems.push_back(n->name + " to join the cluster");
    else if (!member_ok)
      part.problems.push_back(fmt::format("{} to run as a replica on the leader's timeline (now {} {}, timeline {})",
                                          n->name, it->role, it->state, it->timeline));
    else
      part.problems.push_back(n->name + " to stream from the leader");
  }
  parts.push_back(fmt::format("streaming {}/{}", facts->replicas_streaming, facts->replicas_expected));
  JudgeSynchronous(plan, *obs.members, facts->replicas_expected, &parts, &part);
  part.summary = Join(parts);
  return part;
}

// Problems of the endpoints a service kind serves.
std::vector<std::string> EndpointProblems(const ClusterPlan& plan, const ClusterObservation& obs,
                                          const HealthFacts& facts, const std::string& kind) {
  std::vector<std::string> problems;
  const HostPlan* leader = facts.leader.empty() ? nullptr : plan.Find(facts.leader);
  for (const auto& r : obs.endpoints) {
    const EndpointPlan& e = r.endpoint;
    if (e.service != kind) continue;
    if (e.role == EndpointRole::kReadWrite &&
        (!r.reachable || r.in_recovery || (leader && r.server_address != leader->address)))
      problems.push_back(fmt::format("the read-write endpoint {} to reach the leader", e.Where()));
    if (e.role == EndpointRole::kReadOnly && facts.replicas_expected > 0 && (!r.reachable || !r.in_recovery))
      problems.push_back(fmt::format("the read-only endpoint {} to reach a replica", e.Where()));
  }
  return problems;
}

}  // namespace

HealthVerdict EvaluateHealth(const ClusterPlan& plan, const ClusterObservation& obs) {
  HealthFacts facts;
  const HealthPart database = JudgeDatabase(plan, obs, &facts);
  std::vector<std::string> summary, problems;
  for (const Service* s : AllServices()) {
    if (plan.HostsRunning(s->Kind()).empty()) continue;
    HealthPart part;
    if (s->Tier() == ServiceTier::kDatabase) {
      part = database;
      for (auto& p : EndpointProblems(plan, obs, facts, s->Kind())) part.problems.push_back(p);
    } else {
      std::vector<ServiceCheck> checks;
      for (const auto& c : obs.services)
        if (c.kind == s->Kind()) checks.push_back(c);
      part = s->Judge(checks, facts, EndpointProblems(plan, obs, facts, s->Kind()));
    }
    if (!part.summary.empty()) summary.push_back(part.summary);
    problems.insert(problems.end(), part.problems.begin(), part.problems.end());
  }
  HealthVerdict v;
  v.leader = facts.leader;
  v.summary = Join(summary);
  v.waiting_for = Join(problems, "; ");
  v.healthy = problems.empty();
  return v;
}

}  // namespace pgha
