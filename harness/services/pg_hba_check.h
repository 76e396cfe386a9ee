// HbaLocksOut: whether a Patroni overlay's pg_hba list (postgresql.pg_hba,
// the rules Patroni writes into pg_hba.conf) still lets the harness and
// Patroni in. Over TCP from every address in `from` (the hosts and the
// provider's own .1) the first line that matches must admit, by password
// or trust:
//   - user postgres to database postgres (Patroni, the workload, probes),
//   - user replicator for replication (replicas' base backups, streaming),
//   - user rewinder to database postgres (pg_rewind of a deposed primary).
// Returns why not ("user replicator for replication from 10.77.0.12: no
// line matches"), or "" when it does or when a line cannot be judged
// offline (a host name, a +group, an @file): then nothing is refused.
// `ssl`: clients connect with TLS (hostssl lines match, hostnossl do not).
// Pure.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace pgha {

std::string HbaLocksOut(const YAML::Node& pg_hba, const std::vector<std::string>& from, bool ssl);

}  // namespace pgha
