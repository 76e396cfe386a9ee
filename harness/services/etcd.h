// etcd as a service kind (etcd.cc), and what the rest of the harness asks
// etcd directly: its health and leader answers, parsed by pure functions
// (etcd 3.4's /health and POST /v3/maintenance/status shapes), and which
// member leads right now (the `etcd_leader` target).
#pragma once

#include <optional>
#include <string>

#include "services/service.h"

namespace pgha {

bool ParseEtcdHealthy(const std::string& body);
// The leader's member id from POST /v3/maintenance/status; nullopt when the
// member knows no leader (or the answer is not etcd's).
std::optional<std::string> ParseEtcdLeader(const std::string& body);
// The host whose etcd member says it is the leader; nullopt when none does.
std::optional<std::string> EtcdLeaderHost(const ProbeContext& c);

}  // namespace pgha
