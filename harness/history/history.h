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
//   events    what the cluster said itself, with exact times (ClusterEvent)
//   final     the keys read back from the final primary after heal and
//             convergence
//   txns      the list-append transactions (workload.model: list-append),
//             times in nanoseconds on the run's clock, and the final read of
//             every list; history.elle.json in elle-cli's format
// The JSON forms here are those of history.jsonl, observer.jsonl and the
// journal in result.json (docs/results.md). Pure.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/interned.h"
#include "elle/txn_history.h"
#include "model/patroni.h"

namespace pgha {

// Nanoseconds on the run's clock (every t_ns below) as seconds.
inline double SecondsOfNs(int64_t ns) { return static_cast<double>(ns) / 1e9; }

enum class OpType { kWrite, kRead, kProbe };
enum class Outcome { kOk, kFail, kInfo };

// 104 bytes (a history of 1.5 million holds 156 MB of them): the strings
// are interned (core/interned.h), the fields ordered to leave no padding.
struct Op {
  OpType type = OpType::kWrite;
  int process = 0;   // writer or reader index; probes: the node's index
  int64_t key = -1;  // writes and probes: the unique key written
  int64_t invoke_ns = 0;
  int64_t complete_ns = 0;
  Outcome outcome = Outcome::kOk;
  int timeline = -1;  // of the server that answered, if known
  Interned server;    // address of the PostgreSQL that answered, if known
  Interned node;      // probes: the host probed
  Interned error;
  // writes: when the server ran the INSERT (its clock_timestamp()), on the
  // run's clock (the server's wall clock minus the run's wall-clock start)
  std::optional<int64_t> server_at_ns;
  // reads: per writer, the highest sequence number the read saw (-1: none
  // of that writer's rows); empty when the read did not say
  std::vector<int64_t> seen;
};

// A client write's key: its writer in the high 32 bits, the writer's
// sequence number in the low ones, so one index range holds each writer.
inline int64_t LedgerKey(int writer, int64_t seq) { return (int64_t{writer} << 32) + seq; }
inline int KeyWriter(int64_t key) { return static_cast<int>(key >> 32); }
inline int64_t KeySeq(int64_t key) { return key & 0xffffffffLL; }

struct ObserverSample {
  int64_t t_ns = 0;
  bool reachable = false;  // some Patroni answered /cluster
  std::string leader;      // "" when no member holds the leader key
  bool paused = false;     // Patroni's maintenance mode (pause: cluster)
  std::vector<PatroniMember> members;
  bool router_reachable = false;                  // the router behind the read-write endpoint answered
  std::vector<std::string> router_write_targets;  // the servers it sends writes to (UP in its primary backend)
};

// Something the cluster itself said, to the millisecond or better, on the
// run's clock: a change of Patroni's leader key in etcd (a watch; the time
// is when the harness received it), or a line a service logged with its
// own timestamp (PostgreSQL's %m, Patroni's asctime, HAProxy's ISO time).
struct ClusterEvent {
  int64_t t_ns = 0;
  std::string source;   // "etcd watch", "postgresql log", "patroni log", "haproxy log", "etcd log"
  std::string host;     // where it was logged ("" for the watch)
  std::string kind;     // see kEvent* below
  std::string subject;  // the member it is about
};
inline constexpr const char* kEventLeaderKeyGone = "leader key gone";      // deleted or expired
inline constexpr const char* kEventLeaderKeySet = "leader key set";        // subject: the holder
inline constexpr const char* kEventTookLeaderKey = "took the leader key";  // Patroni's own word
inline constexpr const char* kEventNewTimeline = "selected a new timeline";
inline constexpr const char* kEventAcceptsWrites = "ready to accept connections";  // a primary's startup done
inline constexpr const char* kEventRoutedUp = "routed: server UP";                 // in the read-write backend
inline constexpr const char* kEventRoutedDown = "routed: server DOWN";
// etcd's raft, from its log (subject: the member that logged it): a won
// election restarts every lease, Patroni's leader key's too, at ttl plus
// etcd's election timeout; a slow disk delays elections and renewals.
inline constexpr const char* kEventEtcdLeader = "etcd leader elected";
inline constexpr const char* kEventEtcdSlowDisk = "etcd slow disk";

// kReboot: a host its emulated watchdog fenced had its services started again.
// kVip: which host held the VIP (target; "" none) before a fault and at the end.
// kNote: what a fault remarked as it went (a limit's usage at heal).
// kClock: from now on process `kind` on host `target` runs with its wall
// clock `detail` seconds off ("+0.000": the real time again).
// kOperation: a planned operation of operations/registry.h began (pause,
// edit_config, tags, pgbouncer, ...; Patroni's switchover, failover,
// restart and reinitialize are journaled as kInject, as before).
enum class JournalAction { kInject, kHeal, kSkip, kConverged, kFinal, kReboot, kVip, kNote, kClock, kOperation };

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
  std::vector<ClusterEvent> events;  // in time order
  bool final_read_ok = false;
  std::string final_read_error;
  std::string final_primary;  // host name
  std::set<int64_t> final_keys;
  int64_t end_ns = 0;
  elle::ListAppendHistory txns;
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
nlohmann::json EventToJson(const ClusterEvent& e);
ClusterEvent EventFromJson(const nlohmann::json& j);

}  // namespace pgha
