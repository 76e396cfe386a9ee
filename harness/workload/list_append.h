// The list-append workload (model/steps.h ListAppendSpec): client threads
// running small transactions of appends and whole-list reads, recorded in
// the history for elle/list_append_check.h.
//   TxnPlanner      what each transaction does: 1 to N micro-operations,
//                   half appends of unique elements, half reads, over
//                   `keys` active keys, each retired after
//                   max_writes_per_key appends (as Jepsen's generator);
//                   thread-safe, seeded
//   ListAppendClients  `clients` threads through the read-write endpoint
//                   and `replica_clients` read-only ones (the read-only
//                   endpoint, then each node directly; REPEATABLE READ,
//                   the strongest level a hot standby runs: it refuses
//                   SERIALIZABLE), and `node_clients` read-write ones
//                   pinned to each node in turn (they fail on a standby;
//                   a deposed primary that still commits shows as a
//                   fork), each transaction
//                   BEGIN ISOLATION LEVEL ..., one statement per
//                   micro-operation, COMMIT. ok: committed; fail: certainly
//                   not (an error before or at COMMIT, or the connection
//                   lost before COMMIT was sent: PostgreSQL rolls an open
//                   transaction back); info: COMMIT sent and no answer. A
//                   process that saw info goes on as a new process (Elle's
//                   rule: one transaction at a time per process).
// ReadAllLists is the final read of every list from the final primary.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "client/sql_client.h"
#include "elle/txn_history.h"
#include "history/recorder.h"
#include "model/steps.h"

namespace pgha {

class TxnPlanner {
 public:
  TxnPlanner(const ListAppendSpec& spec, uint64_t seed);
  // A transaction's micro-operations (reads without values yet); a
  // read-only one has reads only.
  std::vector<elle::Mop> Next(bool read_only);

 private:
  ListAppendSpec spec_;
  std::mutex mu_;
  std::mt19937_64 rng_;
  std::vector<int64_t> active_;
  std::vector<int> appended_;
  int64_t next_key_ = 0, next_element_ = 1;
};

struct ListAppendTarget {
  std::string name;  // "the read-write endpoint", "node2"
  PgTarget target;
  bool read_only = false;
};

class ListAppendClients {
 public:
  ListAppendClients(SqlClient& sql, Clock& clock, Recorder& rec, const ListAppendSpec& spec, Duration op_timeout,
                    std::vector<ListAppendTarget> targets, uint64_t seed)
      : sql_(sql),
        clock_(clock),
        rec_(rec),
        spec_(spec),
        op_timeout_(op_timeout),
        targets_(std::move(targets)),
        planner_(spec, seed) {}
  ~ListAppendClients() { Stop(); }
  void Start();
  void Stop();

 private:
  void Client(int index);
  struct Outcome {
    elle::TxnOutcome outcome = elle::TxnOutcome::kFail;
    std::vector<std::vector<int64_t>> reads;
    bool drop_session = false;
    std::string error;  // why it failed or is indeterminate
  };
  Outcome RunTxn(SqlSession& session, std::vector<elle::Mop>& mops, bool read_only);

  SqlClient& sql_;
  Clock& clock_;
  Recorder& rec_;
  ListAppendSpec spec_;
  Duration op_timeout_;
  std::vector<ListAppendTarget> targets_;
  TxnPlanner planner_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

// Reads every list from `primary` and records it as the final read;
// false with the reason when it could not.
Status ReadAllLists(SqlClient& sql, const PgTarget& primary, Recorder& rec, Duration timeout);

// "{1,2,3}" (PostgreSQL's int8[] text) as numbers; nullopt when malformed.
std::optional<std::vector<int64_t>> ParseIntArray(const std::string& text);

}  // namespace pgha
