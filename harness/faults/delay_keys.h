// The keys that shape a delay, read alike by latency and disk_latency
// (internal to faults/): `delay` (required, above 0 and at most `max`),
// `jitter`, and `distribution: uniform|normal|pareto` (which needs jitter).
#pragma once

#include "faults/fault_type.h"
#include "netem/delay_model.h"

namespace pgha {

void ReadDelayKeys(FaultReadContext& r, Duration max, const std::string& max_text, DelayModel* model);

}  // namespace pgha
