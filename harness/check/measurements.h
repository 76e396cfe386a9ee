// Measurements: what Analyze reads from a History. A pure function: no
// clock, no I/O; the same history always gives the same measurements, so a
// checker change can be replayed on saved runs (`pgha-chaos report`).
// Definitions (see also shared/DESIGN.md; check/metrics.h says which
// measurement each scenario metric reads):
//
// outages  stretches in which the client writes (through the read-write
//   endpoint) were not acknowledged. Every write that failed or ended
//   indeterminate, completed after the first fault, is a failure; each
//   opens a stretch from the last acknowledged write completed before it
//   was sent to the first acknowledged write completed after that. Two
//   stretches are one outage unless acknowledged writes flowed between
//   them (from the first acknowledgement after one to the last before the
//   next) for at least the flow threshold: 100 ms, or four times the
//   median interval between the last 10,001 acknowledged writes before the
//   first fault, whichever is longer. An outage is caused by the latest step (a fault
//   injected, a planned operation, or a heal) at or before its first
//   failure was sent; it starts at that step or at the last acknowledged
//   write before it, whichever is later, and ends at the first
//   acknowledged write after its last failure, or at the end of the run
//   (never recovered).
// failover_time  the worst outage caused by a fault or operation (an
//   unrecovered one is worse than any recovered one); 0 when none. Writes
//   recovered when every outage ended.
// heal_disruption  the worst outage caused by a heal (a VIP moving back,
//   a member rejoining); 0 when none, skipped when nothing was healed.
// vip  where a topology has a VIP, the host that held it before the first
//   fault and the one that held it at the end of the run (the journal's
//   `vip` entries), and what it did: "moved back" (a fault hit the host
//   that held it, which holds it again at the end), "moved" (another host
//   holds it at the end), "stayed" (the same host, which no fault hit).
// write gap, cross-checked  each outage that ends ends a gap in the
//   acknowledged writes: from the last write acknowledged before the
//   write that ended it to that write. The gap is measured twice: on the
//   client's clock (acknowledgement times) and on the servers' clocks
//   (clock_timestamp() of the two INSERTs, returned by them). Each server
//   time falls inside its write's [invoke, complete], so the gaps may
//   differ by the two writes' latencies (an acknowledgement that took long
//   to arrive) and no more: client - server at most the later write's
//   latency + 100 ms, server - client at most the earlier write's latency
//   + 100 ms. Beyond that is a measurement error (measurement_errors),
//   which makes the metric of the outage's cause (failover_time or
//   heal_disruption) an error, never an average of the two.
// phases  of the worst outage, each from the most exact source there is
//   (the source is named with the time):
//     leader key gone      the etcd watch's first delete of the leader key
//                          after T0; else the observer's first sample
//                          with no leader or another one
//     new leader elected   the watch's first put of the key naming another
//                          member; else the observer
//     promoted             PostgreSQL's log on the new leader: "selected
//                          new timeline ID"; else its first accepted probe
//     accepts writes       its log: "database system is ready to accept
//                          connections"
//     HAProxy routes to it HAProxy's log: its server in the read-write
//                          backend is UP; else the observer (the router
//                          sends writes to the new leader alone)
//     first acknowledged write  the end of the outage
//   Causal order: key gone <= elected <= promoted <= accepts writes <=
//   first write, and elected <= routed <= first write, each within 10 ms
//   (the coarsest stamp, PostgreSQL's, is 1 ms; a watch event is stamped
//   when it arrives). A pair out of order is listed in phase_disorder,
//   naming both sources; the phases are shown as measured.
//   Beside them, etcd's own elections in that outage (from the fault to
//   the new leader, or its end; when no write failed, from the first fault
//   to the end of the run): a won election restarts every lease, so the
//   leader key lives ttl + etcd's election timeout past the last one; and
//   etcd's slow-disk warnings there (etcd's log, level info).
// lost_writes  acknowledged client writes (through the read-write
//   endpoint) whose key is absent from the final primary; probe writes are not counted, since a
//   probe on a deposed primary is expected to vanish. info writes found
//   there are "recovered"; info writes absent are no anomaly and are
//   listed apart.
// split_brain  every acknowledgement is evidence that its server was
//   writable between the operation's invoke and its completion: accepted
//   direct write probes, and acknowledged client writes by the server that
//   ran them (its address mapped to a node by the probes, else by
//   Patroni's member list). Per node, consecutive evidence in completion
//   order forms writable intervals [first invoke, last completion], ended
//   by a direct probe of that node that was refused or failed, or a client
//   write that the node refused (failed, not indeterminate). The metric
//   is the total time two or more nodes' intervals overlap.
//   split_brain_writes counts acknowledged writes and probes served by one
//   node while another node was writable.
// read staleness  each acknowledged read that says what it saw (per
//   writer, the highest sequence number visible) is judged against the
//   writes acknowledged before it was sent and present at the end (a lost
//   write is counted as lost, not as staleness forever): it missed those
//   with a higher sequence number; it is behind by their count and by the
//   time since the oldest of them was acknowledged (0 when it missed none).
//   p50, p99 and max over the run. A stale primary read is a read that
//   missed a write and was served by a server that had been the primary
//   (it acknowledged writes earlier) while another server was: the latest
//   write acknowledged before the read was sent came from another server.
// leadership losses  times the cluster lost or changed its leader: from the
//   etcd watch, each deletion or expiry of Patroni's leader key, and each
//   write of it naming another member without one between; without watch
//   events, from the observer's samples: each change of leader and each
//   stretch of two or more answered samples with no leader. Where no
//   fault of the run is meant to fail over (check/verdict.h RunFacts::
//   failover_expected_by), each is a false failover.
// timeline_changes  times the leader's timeline changed in the observer's
//   samples (a promotion starts a new one; a restart in place does not).
// timeline_regressions  times the leader's timeline became lower than the
//   highest one a leader had before: a stale primary took the leader key
//   back from one promoted after it (patroni#2779), whose writes since
//   then are lost.
// leader_key_overwrites  times the etcd watch saw the leader key written
//   with another member's name while a member held it, without the key
//   expiring or being deleted first: a Patroni wrote a key it did not hold
//   (before 3.0.3 Patroni's etcd3 update_leader put the key without a
//   compare once its own lease had expired, patroni PR #2689), and the
//   holder it displaced demotes; its writes since it took the key are lost.
// recovery_time  from the last heal to the first observer sample of the
//   final stretch (to the end of the run) in which every sample has one
//   leader and every member of the topology listed, running on the
//   leader's timeline, replicas at most 1 MiB behind (a streaming replica
//   under load is a few kB behind at any sample). A cluster that looks whole for a moment
//   after the heal and then goes through a reinitialize is not recovered
//   until the reinitialize is done.
// anomalies  the list-append transactions (workload.model: list-append)
//   through elle/list_append_check.h: every anomaly by Elle's name, with
//   its explanation and the consistency models it rules out.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "elle/list_append_check.h"
#include "history/history.h"

namespace pgha {

struct Interval {
  double start_s = 0;
  double end_s = 0;
  std::vector<std::string> nodes;  // split brain: who was writable
};

// Agreement asked of the client-observed and server-side write gaps.
inline constexpr double kGapAgreementS = 0.100;

struct LeaderKeyOverwrite {
  double at_s = 0;   // on the run's clock
  std::string from;  // the member that held the key
  std::string to;    // the member whose name was written over it
};

struct Outage {
  std::string fault_id;         // the fault (or operation) that caused it, or whose heal did
  std::string cause = "fault";  // "fault" or "heal"
  double fault_at_s = 0;        // when that step was taken
  double start_s = 0;           // that step or the last acknowledged write before it, whichever is later
  double duration_s = 0;        // from start_s to the first acknowledged write after it, or to the end of the run
  bool recovered = true;
  // The write gap it ends (see above); server_gap_s is unset when either
  // write did not return its server time.
  std::optional<double> client_gap_s, server_gap_s;
  std::string gap_from, gap_to;                         // the servers of the two writes
  double gap_from_latency_s = 0, gap_to_latency_s = 0;  // the two writes' latencies
  // How far apart the two gaps are (unset without both), and whether that
  // is more than the two writes' latencies and kGapAgreementS explain.
  std::optional<double> GapDisagreementS() const;
  bool GapDisagrees() const;
};

struct StaleRead {
  double at_s = 0;  // the read was sent
  std::string server;
  double behind_ms = 0;
  int64_t behind_writes = 0;
};

struct ReadStaleness {
  int64_t judged = 0;  // acknowledged reads that said what they saw
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
  int64_t p50_writes = 0, p99_writes = 0, max_writes = 0;
  int64_t stale_primary_reads = 0;
  std::vector<StaleRead> stale_primary_examples;  // the first 20
};

// What clients saw during one planned operation (a switchover, a restart,
// a pause, a configuration change, a PgBouncer PAUSE...): its window runs
// from the operation's start to the next fault, heal or operation, or to
// the end of the steps (the final convergence).
struct OperationWindow {
  std::string id;      // "op12" (the step's line), "op20-node2" for one member of a restart
  std::string kind;    // "switchover", "restart", "pause", "edit_config", "pgbouncer", ...
  std::string target;  // the member(s) it acted on, or the REST API it went through
  std::string detail;  // what was asked
  double start_s = 0, end_s = 0;
  int64_t writes_ok = 0, writes_failed = 0, writes_info = 0;  // sent in the window
  // The longest stretch inside the window without an acknowledged write:
  // from its start to the first, between two, or from the last to its end.
  double write_gap_s = 0;
  bool writes_resumed = true;  // an acknowledged write came in the window
  // Latency of the acknowledged writes sent in the window (nullopt: none).
  std::optional<double> latency_p99_ms, latency_max_ms;
  // Writes the server refused as read-only (SQLSTATE 25006: "cannot execute
  // INSERT in a read-only transaction"): clients left on a node that is no
  // longer the primary, by a pooler or a router. The stale window is from
  // the first such refusal sent to the last one's answer (0: none).
  int64_t read_only_refusals = 0;
  double stale_window_s = 0;
  int64_t reads_failed = 0;
  // Reads through the read-only endpoint served by a node it did not
  // promise: the leader (the observer's at the time), or a member tagged
  // noloadbalance (by a tags step); from the first such read sent to the
  // last one's answer.
  int64_t reads_off_promise = 0;
  double off_promise_window_s = 0;
};

struct FailoverPhase {
  std::string name;
  std::optional<double> after_fault_s;
  std::string source;  // "etcd watch", "postgresql log", "haproxy log", "observer", "probe", "writes"
};

struct EtcdElection {
  double after_fault_s = 0;
  std::string leader;  // the host whose member won
};

struct Measurements {
  bool fault_injected = false;
  double fault_at_s = 0;
  std::string old_primary_server;
  std::optional<double> failover_time_s;
  bool recovered_writes = true;              // an acknowledged write came after the fault
  std::vector<FailoverPhase> phases;         // of the worst outage
  std::vector<std::string> phase_disorder;   // pairs of phases out of causal order, with their sources
  std::vector<EtcdElection> etcd_elections;  // in the worst outage (or after the first fault), from etcd's log
  int etcd_slow_disk = 0;                    // etcd's slow-disk warnings there
  std::vector<Outage> outages;
  double flow_threshold_s = 0;              // writes flowing this long end an outage
  std::optional<double> heal_disruption_s;  // the worst outage caused by a heal
  std::string vip_before, vip_at_end;       // VIP holders ("" unknown or no VIP)
  std::string vip_movement;                 // "moved back", "moved", "stayed"; "" unknown

  int64_t writes_ok = 0, writes_failed = 0, writes_info = 0;
  int64_t reads_ok = 0, reads_failed = 0;
  bool final_read_ok = false;
  std::string final_read_error;
  std::vector<int64_t> lost_keys;
  std::vector<int64_t> info_recovered_keys;
  std::vector<int64_t> info_absent_keys;

  ReadStaleness reads;
  std::vector<std::string> measurement_errors;  // two measurements of one thing that disagree

  double split_brain_s = 0;
  std::vector<Interval> split_brain_intervals;
  int64_t split_brain_writes = 0;

  bool healed = false;
  std::optional<double> recovery_time_s;
  std::string not_recovered_because;  // healed, never recovered: what the run's last sample showed
  int leader_changes = 0;
  int leadership_losses = 0;  // see "leadership losses" above
  // Server processes whose clock a fault moved ("node1 postgres: -300s"):
  // their stamps were put back on the run's clock first (check/clock_offsets.h).
  std::vector<std::string> moved_clocks;
  int timeline_changes = 0;
  int timeline_regressions = 0;
  bool leader_key_watched = false;  // the etcd watch saw the leader key (overwrites are counted)
  std::vector<LeaderKeyOverwrite> leader_key_overwrites;
  double throughput_per_s = 0;
  double latency_p50_s = 0, latency_p95_s = 0, latency_p99_s = 0;
  // p50 latency of the acknowledged writes sent before the first fault and
  // while it was active (to the first heal after it, or the end).
  std::optional<double> latency_before_fault_p50_s, latency_during_fault_p50_s;
  std::optional<elle::CheckResult> txns;  // set when the history has list-append transactions
  // Planned operations, each with what clients saw in its window
  // (analyze_operations.cc); the steady state they are held against is
  // the acknowledged writes sent before the first fault or operation, less
  // the clients' first second (all of them when that leaves none).
  std::vector<OperationWindow> operations;
  std::optional<double> steady_latency_p99_ms, steady_latency_max_ms;
  // Times the observer saw a new leader while the cluster stayed paused,
  // and whether it saw the cluster paused at all.
  int paused_failovers = 0;
  bool paused_observed = false;
};

Measurements Analyze(const History& h);

// Whether one observer sample shows the cluster whole in recovery_time's
// sense: one leader, every one of `members` listed and running on the
// leader's timeline, replicas caught up (analyze_recovery.cc).
bool SampleShowsRecovered(const std::vector<std::string>& members, const ObserverSample& s);
// What keeps one sample from that, for people ("node1 (replica, stopped,
// timeline 1) not running"); "" when it shows the cluster recovered.
std::string WhyNotRecovered(const std::vector<std::string>& members, const ObserverSample& s);

// One overwrite of the leader key for people: "the leader key went from
// node3 to node1 at 34.41s without expiring: ...".
std::string DescribeOverwrite(const LeaderKeyOverwrite& o);

// Every outage in one line for people: "kill at 10.0s: 5.09s; heal of kill
// at 25.0s: 0.30s" ("" when there was none).
std::string DescribeOutages(const Measurements& m);

}  // namespace pgha
