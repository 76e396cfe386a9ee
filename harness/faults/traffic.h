// What the network faults share (internal to faults/): traffic blocks on a
// host, each recorded in the manifest before it exists and undone on heal,
// and the hosts a fault names by address.
#pragma once

#include <string>
#include <vector>

#include "faults/fault_type.h"

namespace pgha {

// Adds the block on `host_name` (named "<host>:<fault id>") and its removal to the undo.
Status BlockTraffic(FaultEnv& env, const std::string& host_name, const TrafficBlock& block, const std::string& fault_id,
                    Injection* in);
// Each of `blocks` on the host, in order, up to the first failure.
Status BlockAll(FaultEnv& env, const std::string& host_name, const std::vector<TrafficBlock>& blocks,
                const std::string& fault_id, Injection* in);
// Both directions between two hosts, on both of them.
Status CutBetween(FaultEnv& env, const std::string& a, const std::string& b, const std::string& fault_id,
                  Injection* in);
// Reads an optional single target under `key` (one_way's `to`, latency's `peer`).
bool ReadOptionalTarget(FaultReadContext& r, const std::string& key, TargetSpec* out);

}  // namespace pgha
