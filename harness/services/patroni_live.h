// The settings under test of a cluster the harness did not configure (the
// ssh provider), read from Patroni itself: GET /config returns the DCS
// configuration every member follows (ttl, loop_wait, retry_timeout,
// maximum_lag_on_failover, synchronous_mode, synchronous_mode_strict,
// postgresql.use_pg_rewind and postgresql.parameters). A key the cluster
// does not set takes Patroni 3.0.2's own default (ttl 30 s, loop_wait 10 s,
// retry_timeout 10 s, 1 MiB), which is what that cluster then runs with.
#pragma once

#include <string>

#include "client/http_client.h"
#include "core/status.h"
#include "model/topology.h"

namespace pgha {

// Pure: the body of GET /config.
Result<PatroniSettings> PatroniSettingsFromConfig(const std::string& json_body);
Result<PatroniSettings> FetchPatroniSettings(HttpClient& http, const HttpTarget& api);

}  // namespace pgha
