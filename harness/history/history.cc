#include "history/history.h"

namespace pgha {

std::string OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kOk: return "ok";
    case Outcome::kFail: return "fail";
    case Outcome::kInfo: return "info";
  }
  return "?";
}

std::string OpTypeName(OpType t) {
  switch (t) {
    case OpType::kWrite: return "write";
    case OpType::kRead: return "read";
    case OpType::kProbe: return "probe";
  }
  return "?";
}

std::string JournalActionName(JournalAction a) {
  switch (a) {
    case JournalAction::kInject: return "inject";
    case JournalAction::kHeal: return "heal";
    case JournalAction::kSkip: return "skip";
    case JournalAction::kConverged: return "converged";
    case JournalAction::kFinal: return "final";
    case JournalAction::kReboot: return "reboot";
    case JournalAction::kVip: return "vip";
    case JournalAction::kNote: return "note";
    case JournalAction::kClock: return "clock";
    case JournalAction::kOperation: return "operation";
  }
  return "?";
}

nlohmann::json OpToJson(const Op& op) {
  nlohmann::json j{{"type", OpTypeName(op.type)},
                   {"process", op.process},
                   {"invoke_ns", op.invoke_ns},
                   {"complete_ns", op.complete_ns},
                   {"outcome", OutcomeName(op.outcome)}};
  if (op.key >= 0) j["key"] = op.key;
  if (!op.server.empty()) j["server"] = op.server;
  if (op.timeline >= 0) j["timeline"] = op.timeline;
  if (!op.node.empty()) j["node"] = op.node;
  if (!op.error.empty()) j["error"] = op.error;
  if (op.server_at_ns) j["server_at_ns"] = *op.server_at_ns;
  if (!op.seen.empty()) j["seen"] = op.seen;
  return j;
}

Op OpFromJson(const nlohmann::json& j) {
  Op op;
  const std::string type = j.value("type", "write");
  op.type = type == "read" ? OpType::kRead : type == "probe" ? OpType::kProbe : OpType::kWrite;
  const std::string outcome = j.value("outcome", "info");
  op.outcome = outcome == "ok" ? Outcome::kOk : outcome == "fail" ? Outcome::kFail : Outcome::kInfo;
  op.process = j.value("process", 0);
  op.key = j.value("key", int64_t{-1});
  op.invoke_ns = j.value("invoke_ns", int64_t{0});
  op.complete_ns = j.value("complete_ns", int64_t{0});
  op.server = j.value("server", "");
  op.timeline = j.value("timeline", -1);
  op.node = j.value("node", "");
  op.error = j.value("error", "");
  if (auto it = j.find("server_at_ns"); it != j.end()) op.server_at_ns = it->get<int64_t>();
  if (auto it = j.find("seen"); it != j.end()) op.seen = it->get<std::vector<int64_t>>();
  return op;
}

nlohmann::json SampleToJson(const ObserverSample& s) {
  nlohmann::json members = nlohmann::json::array();
  for (const auto& m : s.members)
    members.push_back(
        {{"name", m.name}, {"role", m.role}, {"state", m.state}, {"timeline", m.timeline}, {"lag_bytes", m.lag_bytes}});
  // The router keys keep their format-1 names (HAProxy was the only router then).
  nlohmann::json j = {{"t_ns", s.t_ns},
                      {"reachable", s.reachable},
                      {"leader", s.leader},
                      {"members", members},
                      {"haproxy_reachable", s.router_reachable},
                      {"haproxy_primary_up", s.router_write_targets}};
  if (s.paused) j["paused"] = true;  // only then: earlier files read the same
  return j;
}

ObserverSample SampleFromJson(const nlohmann::json& j) {
  ObserverSample s;
  s.t_ns = j.value("t_ns", int64_t{0});
  s.reachable = j.value("reachable", false);
  s.leader = j.value("leader", "");
  s.paused = j.value("paused", false);
  s.router_reachable = j.value("haproxy_reachable", false);
  s.router_write_targets = j.value("haproxy_primary_up", std::vector<std::string>{});
  for (const auto& m : j.value("members", nlohmann::json::array()))
    s.members.push_back({m.value("name", ""), m.value("role", ""), m.value("state", ""), "", m.value("timeline", -1),
                         m.value("lag_bytes", int64_t{-1})});
  return s;
}

nlohmann::json JournalToJson(const JournalEntry& e) {
  return {{"t_ns", e.t_ns},    {"t_s", e.t_ns / 1e9}, {"action", JournalActionName(e.action)},
          {"id", e.fault_id},  {"kind", e.kind},      {"target", e.target},
          {"detail", e.detail}};
}

JournalEntry JournalFromJson(const nlohmann::json& j) {
  JournalEntry e;
  e.t_ns = j.value("t_ns", int64_t{0});
  const std::string action = j.value("action", "");
  for (auto a : {JournalAction::kInject, JournalAction::kHeal, JournalAction::kSkip, JournalAction::kConverged,
                 JournalAction::kFinal, JournalAction::kReboot, JournalAction::kVip, JournalAction::kNote,
                 JournalAction::kClock, JournalAction::kOperation})
    if (JournalActionName(a) == action) e.action = a;
  e.fault_id = j.value("id", "");
  e.kind = j.value("kind", "");
  e.target = j.value("target", "");
  e.detail = j.value("detail", "");
  return e;
}

nlohmann::json EventToJson(const ClusterEvent& e) {
  return {{"t_ns", e.t_ns}, {"source", e.source}, {"host", e.host}, {"kind", e.kind}, {"subject", e.subject}};
}

ClusterEvent EventFromJson(const nlohmann::json& j) {
  return {j.value("t_ns", int64_t{0}), j.value("source", ""), j.value("host", ""), j.value("kind", ""),
          j.value("subject", "")};
}

}  // namespace pgha
