// What a CI gate run shows beyond its verdicts, for the scenario folders
// it left: the Patroni log lines that tell what each member did about the
// leader key, and whether a run met Patroni's overwrite of the leader key
// (patroni PR #2689, fixed in 3.0.3; docs/findings.md) or its concurrent
// offline demotes. Reads files only.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace pgha::itest {

// Each member's Patroni lines about the leader key, promotion, demotion and
// pg_rewind in `folder`/logs (repeats of one line folded), at most `per_node`
// lines a member, and the leader key's changes the etcd watch saw.
std::string LeaderKeyEvidence(const std::string& folder, size_t per_node = 30);

// Whether a member's Patroni in `folder`/logs ran demote('offline') twice at
// once ("AsyncExecutor is busy, demoting from the main thread"): Patroni's
// own race (its FIXME in ha.py; patroni PR #3372, issue #3649), which can
// leave the member never rejoining.
bool MetConcurrentOfflineDemote(const std::string& folder);

// Whether a result.json records an overwrite of the leader key on a Patroni
// older than 3.0.3, whose etcd3 client wrote the key without a compare.
bool MetPatroni302Overwrite(const nlohmann::json& result);

}  // namespace pgha::itest
