// EvaluateHealth: the pure judgement of one look at a cluster (cluster_probe.h)
// as "healthy" or what it still waits for:
//   every DCS member healthy; exactly one Patroni leader, running; every
//   other member a running replica on the leader's timeline and streaming
//   from it (pg_stat_replication, since Patroni 3.0.2 says only "running");
//   each router's backends send read-write clients to the leader alone and
//   read-only clients to the replicas (its service kind judges); a client
//   of the read-write endpoint lands on the leader, one of the read-only
//   endpoint on a server in recovery.
// The summary reads in tier order: "etcd 3/3, leader node1, streaming 2/2,
// haproxy routing". Pure.
#pragma once

#include <string>

#include "model/cluster_plan.h"
#include "observe/cluster_probe.h"

namespace pgha {

struct HealthVerdict {
  bool healthy = false;
  std::string summary;      // one line: "etcd 3/3, leader node1, streaming 2/2, haproxy routing"
  std::string waiting_for;  // what is missing, when not healthy
  std::string leader;       // host name, when exactly one
};

HealthVerdict EvaluateHealth(const ClusterPlan& plan, const ClusterObservation& obs);

}  // namespace pgha
