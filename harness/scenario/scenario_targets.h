// Steps whose target cannot do what the step asks on the scenario's
// topology (issue 18), refused at their line on the scenario's own
// topology, or marking the scenario incompatible (Scenario::incompatible)
// on another one (a suite's matrix): a kill, stop or pause of a service
// the targeted host runs none of; disk_loss of a host without PostgreSQL;
// a switchover or failover to the primary, or a reinitialize of it (Patroni
// refuses: the leader cannot be reinitialized); sync_standby as a target
// without synchronous_mode. Pure: reads the loaded scenario.
#pragma once

#include "core/yaml_reader.h"
#include "scenario/scenario.h"

namespace pgha {

void CheckTargetsFitTopology(Scenario& s, Diagnostics& diags);

}  // namespace pgha
