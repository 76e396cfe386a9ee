// Patroni's maintenance mode (`patronictl pause` / `resume`) as the pause
// and resume operations share it: the cluster's `pause` flag set through
// PATCH /config, then every running member polled until its own GET
// /patroni says so, as `patronictl pause --wait` does.
#pragma once

#include <string>

#include "operations/operation_type.h"

namespace pgha {

inline constexpr const char* kPauseUndoKey = "maintenance mode";

// Reads `pause: cluster` / `resume: cluster`: the one value there is.
void ReadClusterWord(OperationReadContext& r, const std::string& name);
// Sets the flag and waits for every running member to report it; what it saw.
Status SetMaintenanceMode(OperationEnv& env, bool paused, std::string* detail);

}  // namespace pgha
