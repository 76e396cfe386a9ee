// History: everything a run observed, as plain data, and the single source
// the checker reads (after Jepsen). Times are nanoseconds on the run's
// monotonic clock, counted from the start of the run.
//
//   ops       every client operation: writes through the read-write
//             endpoint, reads through the read-only endpoint, and direct
//             write probes to every PostgreSQL node; each ends ok, fail
//             (certainly not applied) or info (indeterminate: sent, then
//             the connection broke or timed out)
//   observer  Patroni's view (GET /cluster) and which servers the router
//             behind the read-write endpoint sends writes to, sampled
//             every observe_interval
//   journal   each fault as it was injected, healed or skipped; written
//             before the fault is applied
//   final     the keys read back from the final primary after heal and
//             convergence
// The JSON forms here are those of history.jsonl, observer.jsonl and the
// journal in result.json (docs/results.md). Pure.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "model/patroni.h"

namespace pgha {

enum class OpType { kWrite, kRead, kProbe };
enum class Outcome { kOk, kFail, kInfo };

struct Op {
  OpType type = OpType::kWrite;
  int process = 0;   // writer or reader index; probes: the node's index
  int64_t key = -1;  // writes and probes: the unique key written
  int64_t invoke_ns = 0;
  int64_t complete_ns = 0;
  Outcome outcome = Outcome::kOk;
  std::string server;  // address of the PostgreSQL that answered, if known
  int timeline = -1;   // of that server, if known
  std::string node;    // probes: the host probed
  std::string error;
};

struct ObserverSample {
  int64_t t_ns = 0;
  bool reachable = false;  // some Patroni answered /cluster
  std::string leader;      // "" when no member holds the leader key
  std::vector<PatroniMember> members;
  bool router_reachable = false;                  // the router behind the read-write endpoint answered
  std::vector<std::string> router_write_targets;  // the servers it sends writes to (UP in its primary backend)
};

// kReboot: a host its emulated watchdog fenced had its services started again.
enum class JournalAction { kInject, kHeal, kSkip, kConverged, kFinal, kReboot };

struct JournalEntry {
  int64_t t_ns = 0;
  JournalAction action = JournalAction::kInject;
  std::string fault_id;
  std::string kind;    // "kill", "pause", "switchover", ...
  std::string target;  // the host it was resolved to
  std::string detail;  // what exactly was done, or why it was skipped
};

struct History {
  std::vector<std::string> members;  // every Patroni member the topology has
  std::vector<Op> ops;
  std::vector<ObserverSample> observer;
  std::vector<JournalEntry> journal;
  bool final_read_ok = false;
  std::string final_read_error;
  std::string final_primary;  // host name
  std::set<int64_t> final_keys;
  int64_t end_ns = 0;
};

std::string OutcomeName(Outcome o);
std::string OpTypeName(OpType t);
std::string JournalActionName(JournalAction a);

// The JSON forms. The FromJson functions throw nlohmann::json::exception on
// a value of the wrong type; callers reading files catch it.
nlohmann::json OpToJson(const Op& op);
Op OpFromJson(const nlohmann::json& j);
nlohmann::json SampleToJson(const ObserverSample& s);
ObserverSample SampleFromJson(const nlohmann::json& j);
nlohmann::json JournalToJson(const JournalEntry& e);
JournalEntry JournalFromJson(const nlohmann::json& j);

}  // namespace pgha
