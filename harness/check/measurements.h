// Measurements: what Analyze reads from a History. A pure function: no
// clock, no I/O; the same history always gives the same measurements, so a
// checker change can be replayed on saved runs (`pgha-chaos report`).
// Definitions (see also shared/DESIGN.md; check/metrics.h says which
// measurement each scenario metric reads):
//
// failover_time  the worst outage of the run. Outages are found in order:
//   the first write that failed after the first fault (or after the end of
//   the previous outage) is anchored at T0, the latest fault injected before
//   it was invoked; failures that anchor at a fault already measured (a
//   heal going wrong) start no new outage. P0 is the server of the last
//   acknowledged write before T0. If an acknowledged write after T0 came
//   from a server other than P0, the outage ends at the first such write's
//   completion (a new primary took over). Otherwise it ends at the first
//   acknowledged write invoked after the last failure before the next
//   fault (the old primary came back). With no failed write after the first
//   fault there was no outage: 0. With no acknowledged write after T0 the
//   cluster never recovered: the time to the end of the run, flagged.
//   Each outage is listed (fault id, start, duration).
// phases  from the observer: leader key gone (first sample after T0 with
//   no leader or another leader), new leader elected, promoted (first ok
//   direct probe on the new leader), routed ("HAProxy routes to it": the
//   router behind the read-write endpoint sends writes to the new leader
//   alone), first acknowledged write.
// lost_writes  acknowledged client writes (through the read-write
//   endpoint) whose key is absent from the final primary; probe writes are not counted, since a
//   probe on a deposed primary is expected to vanish. info writes found
//   there are "recovered"; info writes absent are no anomaly and are
//   listed apart.
// split_brain  per node, runs of consecutive accepted direct write probes
//   form writable intervals [first invoke, last completion]; the metric is
//   the total time two or more nodes' intervals overlap (precise to about
//   one probe interval). split_brain_writes counts acknowledged writes and
//   probes served by one node while another node was writable.
// timeline_changes  times the leader's timeline changed in the observer's
//   samples (a promotion starts a new one; a restart in place does not).
// recovery_time  from the last heal to the first observer sample of the
//   final stretch (to the end of the run) in which every sample has one
//   leader and every member of the topology listed, running on the
//   leader's timeline, replicas at most 1 MiB behind (a streaming replica
//   under load is a few kB behind at any sample). A cluster that looks whole for a moment
//   after the heal and then goes through a reinitialize is not recovered
//   until the reinitialize is done.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "history/history.h"

namespace pgha {

struct Interval {
  double start_s = 0;
  double end_s = 0;
  std::vector<std::string> nodes;  // split brain: who was writable
};

struct Outage {
  std::string fault_id;
  double fault_at_s = 0;
  double duration_s = 0;  // to the first acknowledged write after it, or to the end of the run
  bool recovered = true;
};

struct FailoverPhase {
  std::string name;
  std::optional<double> after_fault_s;
};

struct Measurements {
  bool fault_injected = false;
  double fault_at_s = 0;
  std::string old_primary_server;
  std::optional<double> failover_time_s;
  bool recovered_writes = true;       // an acknowledged write came after the fault
  std::vector<FailoverPhase> phases;  // of the worst outage
  std::vector<Outage> outages;

  int64_t writes_ok = 0, writes_failed = 0, writes_info = 0;
  int64_t reads_ok = 0, reads_failed = 0;
  bool final_read_ok = false;
  std::string final_read_error;
  std::vector<int64_t> lost_keys;
  std::vector<int64_t> info_recovered_keys;
  std::vector<int64_t> info_absent_keys;

  double split_brain_s = 0;
  std::vector<Interval> split_brain_intervals;
  int64_t split_brain_writes = 0;

  bool healed = false;
  std::optional<double> recovery_time_s;
  int leader_changes = 0;
  int timeline_changes = 0;
  double throughput_per_s = 0;
  double latency_p50_s = 0, latency_p95_s = 0, latency_p99_s = 0;
};

Measurements Analyze(const History& h);

// The parts of Analyze, each filling its own fields (analyze_*.cc).
void AnalyzeFailover(const History& h, Measurements* m);
void AnalyzeWrites(const History& h, Measurements* m);
void AnalyzeSplitBrain(const History& h, Measurements* m);
void AnalyzeRecovery(const History& h, Measurements* m);
void AnalyzeLatency(const History& h, Measurements* m);

}  // namespace pgha
