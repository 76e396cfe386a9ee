#include "check/history.h"

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

nlohmann::json OpToJson(const Op& op) {
  nlohmann::json j{{"type", OpTypeName(op.type)}, {"process", op.process}, {"invoke_ns", op.invoke_ns},
                   {"complete_ns", op.complete_ns}, {"outcome", OutcomeName(op.outcome)}};
  if (op.key >= 0) j["key"] = op.key;
  if (!op.server.empty()) j["server"] = op.server;
  if (op.timeline >= 0) j["timeline"] = op.timeline;
  if (!op.node.empty()) j["node"] = op.node;
  if (!op.error.empty()) j["error"] = op.error;
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
  return op;
}

}  // namespace pgha
