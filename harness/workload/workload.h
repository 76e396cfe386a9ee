// Workload: the clients of a run, each on its own thread, recording every
// operation in the Recorder.
//   writers  insert unique keys into pgha_ledger through the read-write
//            endpoint at `rate` writes per second in all (seeded jitter);
//            ok = committed, fail = certainly not applied (no connection,
//            or the server refused), info = sent and then the connection
//            broke or the statement timed out; a writer connects again
//            after a broken connection or a server that is not a primary
//            (at connect, or SQLSTATE 25006 later)
//   readers  read through the read-only endpoint (none without one)
//   probes   one per node, straight to its PostgreSQL (not through any
//            router): a write into pgha_probe every probe_interval; an
//            accepted write means the node was a writable primary then
//   list-append clients (workload.model: list-append; workload/list_append.h):
//            transactions through the read-write endpoint, and read-only
//            ones through the read-only endpoint and to each node directly
// Stop() asks every thread to finish and joins them; each is bounded by
// op_timeout, so Stop() returns within about that.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "client/sql_client.h"
#include "history/recorder.h"
#include "model/steps.h"
#include "workload/list_append.h"

namespace pgha {

struct WorkloadEndpoints {
  PgTarget read_write;                                  // the read-write endpoint
  std::optional<PgTarget> read_only;                    // the read-only endpoint, when the topology has one
  std::vector<std::pair<std::string, PgTarget>> nodes;  // host name, its PostgreSQL directly
};

// The tables the workload writes; created through the read-write endpoint.
extern const char* kLedgerSchema;
// Removes them: on a cluster the harness did not build (ssh), before a run
// (no keys of an earlier run may hide a lost write) and after it.
extern const char* kLedgerDrop;
// A writer's statement (fmt: key, writer): the row, and the server's time
// of it in microseconds since the epoch.
extern const char* kInsert;

class Workload {
 public:
  Workload(SqlClient& sql, Clock& clock, Recorder& recorder, WorkloadSpec spec, WorkloadEndpoints endpoints,
           uint64_t seed)
      : sql_(sql), clock_(clock), rec_(recorder), spec_(spec), ep_(std::move(endpoints)), seed_(seed) {}
  ~Workload() { Stop(); }
  void Start();
  void Stop();

 private:
  void Writer(int index);
  void Reader(int index);
  void Probe(int node_index);
  // (Re)connects a writer through the read-write endpoint; "" or why not.
  std::string ConnectWriter(std::unique_ptr<SqlSession>* session, std::string* server, int* timeline);
  // Sleeps until `next` or until stopped; false when stopped.
  bool SleepUntil(TimePoint next);

  SqlClient& sql_;
  Clock& clock_;
  Recorder& rec_;
  WorkloadSpec spec_;
  WorkloadEndpoints ep_;
  uint64_t seed_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
  std::unique_ptr<ListAppendClients> lists_;
};

// Where the list-append clients go: `clients` to the read-write endpoint,
// `replica_clients` read-only to the read-only endpoint (when there is
// one) and then to each node in turn, `node_clients` read-write to each
// node in turn (their transactions fail on a standby).
std::vector<ListAppendTarget> ListAppendTargets(const ListAppendSpec& spec, const WorkloadEndpoints& ep);

}  // namespace pgha
