// Log events: the lines of the services' own logs that mark a failover's
// phases, with the time each service stamped on them, put on the run's
// clock (the stamp, read as UTC, minus the run's wall-clock start):
//   PostgreSQL (log_line_prefix '%m', milliseconds; in patroni.log, where
//     Patroni's PostgreSQL writes, or postgresql*.log)
//       "selected new timeline ID"                       a promotion
//       "database system is ready to accept connections" a primary is up
//   Patroni (asctime, milliseconds)
//       "promoted self to leader by acquiring session lock" /
//       "acquired session lock as a leader"              it took the key
//   HAProxy (log stdout format iso, microseconds)
//       "Server primary/NAME is UP" / "is DOWN"          routing changed
//   etcd (zap's JSON "ts", milliseconds; logged at level info)
//       "became leader at term N"                        it won an election
//       "slow fdatasync", "leader is overloaded likely from slow disk"
// Lines of other services, and lines without a readable stamp, give
// nothing. Pure.
#pragma once

#include <string>
#include <vector>

#include "history/history.h"

namespace pgha {

// `file`: the log's file name (patroni.log, haproxy.log, ...), which says
// which service wrote it; `host`: where it was collected.
std::vector<ClusterEvent> EventsFromLog(const std::string& host, const std::string& file, const std::string& text,
                                        int64_t wall_start_ns);

// "2026-12-03 02:37:22.575", "2026-12-03 02:37:22,575" or
// "2026-12-03T02:37:22.575783" at the start of `s`, read as UTC: nanoseconds
// since the epoch, or -1.
int64_t ParseUtcStamp(const std::string& s);

}  // namespace pgha
